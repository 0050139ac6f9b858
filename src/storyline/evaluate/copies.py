"""Copy detection evaluator: precision and recall of copy pairs against labelled reprints.

Gold pairs come from a corpus manifest (``copy_of``/``copy_kind`` per article, as in the bundled
sample corpus): every two articles in one reprint group (an original and its copies, joined
through ``copy_of``) share text and are a gold pair. Direct pairs (a copy and the article it
copies) also carry the gold kind and which article had it first; pairs between two copies of the
same original are ``sibling`` pairs, scored for detection only.

By default (``through_store=True``) the corpus folder is ingested into a temporary store exactly
as `storyline ingest` does (`storyline.ingest.ingest_paths`: the default stages, the update steps,
the merged settings; the gold files beside the articles left out, as `storyline demo` does), and
the store's ``copy_links`` are scored: the figures include what the cleaner keeps or drops and the
order in which the ``find_copies`` step sees the articles. Two inputs that ingest as one article
(the same text and title, or the same URL) count as a found ``exact`` pair. ``through_store=False``
(``--detection-only``) measures the copy index in isolation, in memory: the corpus read and cleaned
by the foundation stages, then `CopyIndex` over the articles in key order, timed.

Articles are identified by their manifest key: the file path relative to the corpus folder, plus
``#record`` for a record of a JSON Lines file. ``storyline eval copies`` with no arguments measures
the bundled sample corpus against the pairs of its manifest.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from storyline.cluster.copy_index import CopyIndex
from storyline.evaluate.labelled import read_jsonl, require
from storyline.store.copies import independent_sources

__all__ = ["evaluate_copies", "format_report", "gold_pairs", "manifest_key", "write_gold"]

#: A found pair: the two manifest keys (sorted), its kind, and the key that had it first (or
#: "unknown").
Found = dict[frozenset[str], tuple[str, str]]


def manifest_key(file: str, record: int | None) -> str:
    return file if record is None else f"{file}#{record}"


def gold_pairs(manifest: Path) -> list[dict[str, Any]]:
    """All gold copy pairs of a manifest, each ``{"a", "b", "kind", "first"}`` with a < b.

    ``kind`` is the labelled kind for a copy and its original, ``sibling`` for two copies of one
    original; ``first`` is the original for direct pairs, else None.
    """
    parent: dict[str, str] = {}
    direct: dict[frozenset[str], tuple[str, str]] = {}
    for number, row in read_jsonl(manifest):
        if row.get("hostile") or not row.get("copy_of"):
            continue
        require(row, ("file",), manifest, number, "each manifest row names its input file")
        key = manifest_key(row["file"], row.get("record"))
        original = str(row["copy_of"])
        parent[key] = original
        direct[frozenset((key, original))] = (str(row.get("copy_kind") or "partial"), original)

    def root(key: str) -> str:
        seen = set()
        while key in parent and key not in seen:
            seen.add(key)
            key = parent[key]
        return key

    groups: dict[str, set[str]] = {}
    for key in parent:
        groups.setdefault(root(key), {root(key)}).add(key)
    pairs = []
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members), 2):
            kind, first = direct.get(frozenset((a, b)), ("sibling", None))
            pairs.append({"a": a, "b": b, "kind": kind, "first": first})
    return sorted(pairs, key=lambda p: (p["a"], p["b"]))


def write_gold(manifest: Path, out: Path) -> int:
    """Write the gold pairs of ``manifest`` as JSON Lines; returns how many."""
    pairs = gold_pairs(manifest)
    out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs), "utf-8")
    return len(pairs)


def _key(corpus: Path, source: str, record: int | None) -> str:
    rel = Path(source).resolve().relative_to(corpus.resolve()).as_posix()
    return manifest_key(rel, record)


def _read_corpus(corpus: Path, settings: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(manifest key, cleaned article) for every readable article of the corpus, read with the
    ingest reader options and foundation stages (in memory, no store)."""
    from storyline.evaluate.ingested import read_options
    from storyline.ingest import foundation_stages
    from storyline.pipeline import Pipeline
    from storyline.sources.files import read_paths
    from storyline.sources.sample import GOLD_FILES

    articles = list(read_paths([str(corpus)], read_options(settings, GOLD_FILES)))
    Pipeline(foundation_stages(dict(settings))).run_batch([a for a in articles if a.ok])
    return [(_key(corpus, a.source, a.record), a) for a in articles if a.ok]


def detect(items: Iterable[tuple[str, Any]]) -> tuple[Found, float, int]:
    """Run the copy index over (key, article) in key order; (found pairs, seconds, paragraphs)."""
    index = CopyIndex()
    found: Found = {}
    paragraphs = 0
    started = time.perf_counter()
    for key, a in sorted(items, key=lambda item: item[0]):
        paragraphs += len(a.paragraphs)
        for link in index.add(
            key,
            a.paragraphs,
            a.published,
            a.date_source,
            a.agencies,
            a.outlet,
            not_before=a.date_not_before,
            byline=a.byline,
        ):
            found[frozenset((link.a, link.b))] = (link.kind, link.first)
    return found, time.perf_counter() - started, paragraphs


def _through_store(
    corpus: Path, settings: Mapping[str, Any]
) -> tuple[list[tuple[str, Any]], Found, float]:
    """Ingest the corpus into a temporary store as `storyline ingest` does; (manifest key, stored
    article) for every stored input, the store's copy links by manifest key, and the seconds the
    whole ingest took."""
    from storyline.evaluate.ingested import temporary_ingest
    from storyline.sources.sample import GOLD_FILES

    started = time.perf_counter()
    with temporary_ingest([corpus], settings, exclude=GOLD_FILES) as done:
        seconds = time.perf_counter() - started
        items: list[tuple[str, Any]] = []
        keys: dict[str, list[str]] = {}  # article id -> the manifest keys stored as it
        for article in done.read:
            stored = done.stored(article)
            if stored is None:
                continue
            key = _key(corpus, article.source, article.record)
            items.append((key, stored))
            keys.setdefault(stored.id, []).append(key)
        rows = done.store.conn.execute("SELECT a, b, kind, first FROM copy_links").fetchall()
    found: Found = {}
    for same in keys.values():  # one article for several inputs: identical copies
        for ka, kb in itertools.combinations(sorted(same), 2):
            found[frozenset((ka, kb))] = ("exact", "unknown")
    for a, b, kind, first in rows:
        first_key = keys[first][0] if first in keys else "unknown"
        for ka in keys.get(a, []):
            for kb in keys.get(b, []):
                found[frozenset((ka, kb))] = (kind, first_key)
    return items, found, seconds


def evaluate_copies(
    pairs_file: Path | str | None,
    corpus: Path | str,
    *,
    through_store: bool = True,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Precision, recall and F1 of detected copy pairs; kind and "who first" on direct pairs;
    independent-source counts per story when the manifest has stories.

    ``pairs_file``: gold pairs (JSON Lines ``{"a", "b", "kind", "first"}``); None takes them
    from ``CORPUS/manifest.jsonl`` (`gold_pairs`). ``settings``: the merged settings (None:
    loaded as the CLI does). ``through_store=False`` measures the copy index alone, in memory.
    """
    from storyline.evaluate.ingested import merged_settings

    merged = merged_settings(settings)
    corpus = Path(corpus)
    if pairs_file is None:
        gold = gold_pairs(corpus / "manifest.jsonl")
    else:
        gold = []
        for number, row in read_jsonl(pairs_file):
            require(row, ("a", "b", "kind"), pairs_file, number, 'each pair is {"a", "b", "kind"}')
            gold.append(row)
    if through_store:
        items, found, seconds = _through_store(corpus, merged)
        paragraphs = sum(len(a.paragraphs) for _, a in items)
    else:
        items = _read_corpus(corpus, merged)
        found, seconds, paragraphs = detect(items)
    gold_set = {frozenset((p["a"], p["b"])): p for p in gold}
    tp = len(found.keys() & gold_set.keys())
    precision = tp / len(found) if found else 1.0
    recall = tp / len(gold_set) if gold_set else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    kinds = {"right": 0, "wrong": []}  # type: dict[str, Any]
    first = {"right": 0, "unknown": 0, "wrong": []}  # type: dict[str, Any]
    for pair, g in gold_set.items():
        link = found.get(pair)
        if link is None or g["kind"] == "sibling":
            continue
        kind, had_first = link
        if kind == g["kind"]:
            kinds["right"] += 1
        else:
            kinds["wrong"].append([g["a"], g["b"], g["kind"], kind])
        if had_first == "unknown":
            first["unknown"] += 1
        elif had_first == g.get("first"):
            first["right"] += 1
        else:
            first["wrong"].append([g["a"], g["b"], g.get("first"), had_first])
    report: dict[str, Any] = {
        "mode": "full ingest" if through_store else "copy index alone",
        "articles": len(items),
        "paragraphs": paragraphs,
        "gold_pairs": len(gold_set),
        "found_pairs": len(found),
        "true_positives": tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "false_positives": sorted(sorted(p) for p in found.keys() - gold_set.keys()),
        "missed": sorted(sorted(p) for p in gold_set.keys() - found.keys()),
        "kind": kinds,
        "first": first,
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(items) / seconds, 1) if seconds else None,
    }
    manifest = corpus / "manifest.jsonl"
    if manifest.exists():
        report["sources"] = _source_counts(manifest, items, list(found), gold)
    return report


def _source_counts(
    manifest: Path,
    items: list[tuple[str, Any]],
    links: list[frozenset[str]],
    gold: list[dict[str, Any]],
) -> dict[str, Any]:
    """Per story: articles, gold independent sources, detected independent sources."""
    stories: dict[str, list[str]] = {}
    present = {key for key, _ in items}
    for _, row in read_jsonl(manifest):
        key = manifest_key(row.get("file", ""), row.get("record"))
        if row.get("story") and key in present:
            stories.setdefault(str(row["story"]), []).append(key)
    gold_links = [(p["a"], p["b"]) for p in gold]
    pairs = [(a, b) for a, b in map(sorted, links)]
    per_story = {
        story: {
            "articles": len(keys),
            "gold": independent_sources(keys, gold_links),
            "found": independent_sources(keys, pairs),
        }
        for story, keys in sorted(stories.items())
    }
    agree = sum(1 for s in per_story.values() if s["gold"] == s["found"])
    return {"stories": len(per_story), "agree": agree, "per_story": per_story}


def format_report(report: dict[str, Any]) -> str:
    """The evaluation as a few lines of text."""
    lines = [
        f"copy pairs: gold {report['gold_pairs']}, found {report['found_pairs']}, "
        f"true {report['true_positives']}",
        f"precision {report['precision']:.4f}  recall {report['recall']:.4f}  "
        f"F1 {report['f1']:.4f}",
        f"kind on direct pairs: {report['kind']['right']} right, "
        f"{len(report['kind']['wrong'])} wrong",
        f"who had it first on direct pairs: {report['first']['right']} right, "
        f"{report['first']['unknown']} unknown, {len(report['first']['wrong'])} wrong",
        (
            f"{report['articles']} articles, {report['paragraphs']} paragraphs through a full "
            f"ingest in {report['seconds']} s (all stages and update steps)"
            if report.get("mode", "full ingest") == "full ingest"
            else f"{report['articles']} articles, {report['paragraphs']} paragraphs in "
            f"{report['seconds']} s ({report['articles_per_second']} articles/s, copy index "
            "alone)"
        ),
    ]
    if "sources" in report:
        s = report["sources"]
        lines.append(
            f"independent sources per story: {s['agree']}/{s['stories']} stories agree "
            "with the gold count"
        )
    for label in ("false_positives", "missed"):
        for pair in report[label]:
            lines.append(f"  {label.replace('_', ' ')}: {pair[0]} ~ {pair[1]}")
    for a, b, want, got in report["kind"]["wrong"]:
        lines.append(f"  kind: {a} ~ {b}: gold {want}, found {got}")
    for a, b, want, got in report["first"]["wrong"]:
        lines.append(f"  first: {a} ~ {b}: gold {want}, found {got}")
    return "\n".join(lines)
