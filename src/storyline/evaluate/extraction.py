"""Evaluate extraction and metadata against a gold manifest: titles, dates, bounds, credits.

The manifest is JSON Lines, one row per input (``file`` relative to the corpus folder, ``record``
for a line of a JSON Lines file) with the gold ``title``, ``date``, ``date_not_before``,
``outlet``, ``agencies``, ``dateline``, ``url`` and ``language``; rows with ``hostile`` name inputs
that must be refused or skipped. The bundled sample corpus ships such a manifest, so
``storyline eval metadata`` measures it out of the box.

By default (``through_store=True``) the manifest's files are ingested into a temporary store
exactly as `storyline ingest` does (`storyline.ingest.ingest_paths`: the default stages, the update
steps (copies, actors, stories, dates from context), the ``[ingest]`` reader options and
``[store] batch_size`` of the merged settings), and the fields are read back from the store: this
counts what the context of other articles adds, e.g. the year of "on February 12" in an undated
reprint of a dated wire story. ``full_pipeline=False`` runs only the foundation stages before the
same update steps (faster; the stories then cluster without entity facts). ``through_store=False``
(``--foundation-only``) measures the foundation stages in isolation, in memory: what one article
says about itself, with no store and no update steps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from storyline.article import Article
from storyline.evaluate.ingested import merged_settings, read_options, temporary_ingest
from storyline.evaluate.labelled import read_jsonl, require
from storyline.ingest import foundation_stages
from storyline.pipeline import Pipeline
from storyline.sources.files import read_paths

FIELDS = ("title", "date", "date_not_before", "outlet", "agencies", "dateline", "url", "language")


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(str(v).casefold() for v in value)
    if isinstance(value, str):
        return " ".join(value.replace("’", "'").split()).casefold().rstrip("/")
    return value


def _found(article: Article, field: str) -> Any:
    if field == "date":
        return article.published[:10] if article.published else None
    if field == "url":
        return article.url
    return getattr(article, field)


def _through_store(paths: list[str], settings: Mapping[str, Any], *, full: bool) -> list[Article]:
    """Ingest ``paths`` into a temporary store as `storyline ingest` does; every input read, in
    its stored form when it was stored (`storyline.evaluate.ingested.temporary_ingest`).

    ``full=False`` runs the foundation stages only (fast; stories then cluster on text alone).
    """
    with temporary_ingest(paths, settings, foundation_only=not full) as done:
        return [done.stored(a) or a for a in done.read]


def evaluate_metadata(
    corpus: str | Path,
    manifest: str | Path | None = None,
    *,
    through_store: bool = True,
    full_pipeline: bool = True,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Per-field accuracy over the gold rows, the date-bound rate, and every miss for review.

    Default: a full ingest into a temporary store, scored on what was stored (update steps
    included), with the merged ``settings`` (None: loaded as the CLI does). ``full_pipeline=False``
    ingests with the foundation stages only; ``through_store=False`` measures the foundation
    stages alone, in memory.
    """
    merged = merged_settings(settings)
    corpus = Path(corpus)
    manifest = Path(manifest) if manifest else corpus / "manifest.jsonl"
    gold = []
    for number, row in read_jsonl(manifest):
        require(row, ("file",), manifest, number, "each manifest row names its input file")
        gold.append(row)
    by_key: dict[tuple[str, int | None], Article] = {}
    files = sorted({row["file"] for row in gold})
    paths = [str(corpus / f) for f in files]
    if through_store:
        arts = _through_store(paths, merged, full=full_pipeline)
    else:
        arts = list(read_paths(paths, read_options(merged)))
        Pipeline(foundation_stages(merged)).run_batch([a for a in arts if a.ok])
    for a in arts:
        base = (
            a.source.rsplit(":", 1)[0]
            if a.failed and a.source.rsplit(":", 1)[-1].isdigit()
            else a.source
        )
        by_key[(str(Path(base).relative_to(corpus)), a.record)] = a
    correct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    hostile_ok = hostile = 0
    for row in gold:
        article = by_key.get((row["file"], row.get("record")))
        if "hostile" in row:
            hostile += 1
            # Refused (failed or skipped) or, for merely odd encodings, stored as clean text.
            hostile_ok += article is None or not article.ok or "\x00" not in article.text
            continue
        if article is None or not article.ok:
            total["stored"] += 1
            misses.append(
                {
                    "file": row["file"],
                    "field": "stored",
                    "found": article.failed or article.skipped if article else "missing",
                }
            )
            continue
        total["stored"] += 1
        correct["stored"] += 1
        for field in FIELDS:
            want = row.get(field)
            if field in ("date_not_before",) and row.get("date"):
                continue  # bounds are only asked of undated articles
            if field == "url" and not want:
                continue  # no gold URL stated in the file
            total[field] += 1
            got = _found(article, field)
            if _norm(got) == _norm(want):
                correct[field] += 1
            else:
                misses.append(
                    {
                        "file": row["file"],
                        "record": row.get("record"),
                        "field": field,
                        "want": want,
                        "found": got,
                    }
                )
    scores = {
        f: {
            "correct": correct[f],
            "total": total[f],
            "accuracy": round(correct[f] / total[f], 3) if total[f] else None,
        }
        for f in ("stored", *FIELDS)
    }
    mode = (
        ("store, full pipeline" if full_pipeline else "store, foundation")
        if through_store
        else "foundation"
    )
    return {
        "corpus": str(corpus),
        "mode": mode,
        "articles": total["stored"],
        "fields": scores,
        "hostile": {"total": hostile, "handled": hostile_ok},
        "misses": misses,
    }


def format_report(result: dict[str, Any]) -> str:
    lines = [
        f"metadata on {result['articles']} gold articles ({result['corpus']}; "
        f"{result.get('mode', 'foundation')})",
        f"{'field':<18}{'correct':>9}{'total':>7}{'accuracy':>10}",
    ]
    for field, s in result["fields"].items():
        acc = "" if s["accuracy"] is None else f"{s['accuracy']:.3f}"
        lines.append(f"{field:<18}{s['correct']:>9}{s['total']:>7}{acc:>10}")
    h = result["hostile"]
    lines.append(f"hostile inputs refused or made safe: {h['handled']}/{h['total']}")
    if result["misses"]:
        lines.append("misses:")
        for m in result["misses"]:
            where = m["file"] + (f"#{m['record']}" if m.get("record") is not None else "")
            want, found = m.get("want"), m.get("found")
            lines.append(f"  {where} {m['field']}: want {want!r}, found {found!r}")
    return "\n".join(lines)
