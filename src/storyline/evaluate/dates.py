"""Evaluate publication dates of HTML pages against a gold map, beside htmldate alone.

Why its own evaluator: the public date benchmarks (htmldate's own, and those built like it) are a
folder of saved pages and a JSON map of file -> gold day; `storyline eval metadata` wants a
manifest of every field. This one reads that common format as it is:

- ``{"page.html": "2020-10-28", ...}``, or
- ``{"page.html": {"date": "2020-10-28", "url": ...}, ...}``, or
- htmldate's layout ``{"https://...": {"file": "page.html", "date": "2020-10-28"}, ...}``.

A gold of null or "" says the page has no publication date.

Scoring is day-level exact match, counted the way those benchmarks count: a right day is a true
positive; a wrong day, or a day given for a page without one, a false positive; no day for a page
that has one, a false negative (so a wrong answer costs precision, a missing one recall). A month
or year (URL ``/2019/04/``) given for a page that has a day counts as a wrong answer, as in the
published figures; ``coarse`` counts them apart.

The pages go through what `storyline ingest` runs on an HTML file: the foundation stages (decode,
extract, clean, bylines, dates, ...) of the merged settings, in memory; ``through_store=True``
ingests them into a temporary store (update steps included) and reads back what was stored.
``compare=True`` also runs htmldate alone on the same bytes, as its benchmark runs it
(``find_date(html, extensive_search=True, original_date=True)``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from storyline.article import Article
from storyline.evaluate.ingested import merged_settings, read_options, temporary_ingest
from storyline.evaluate.labelled import find_gold, malformed, read_text
from storyline.ingest import foundation_stages
from storyline.pipeline import Pipeline
from storyline.sources.files import read_paths

__all__ = ["evaluate_dates", "format_report", "gold_path", "read_gold", "score"]

#: Gold file names looked for in the folder when none is given.
GOLD_NAMES = ("gold.json", "dates.json", "gold_dates.json")


def gold_path(folder: Path) -> Path:
    """The folder's gold map: one of `GOLD_NAMES`, else its only ``.json`` file."""
    return find_gold(folder, GOLD_NAMES, "a JSON map of file -> YYYY-MM-DD")


def _day(value: Any, path: Path, key: str) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()[:10]
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.replace("-", "").isdigit():
        raise malformed(path, None, f"{key}: gold date {value!r} is not YYYY-MM-DD")
    return text


def read_gold(path: Path) -> dict[str, dict[str, Any]]:
    """file -> {"date": day or None, "url": url or None} from any of the accepted layouts."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise malformed(path, exc.lineno, f"not JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or not data:
        raise malformed(path, None, "the gold must be a non-empty JSON object: file -> date")
    gold: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            file = str(value.get("file") or key)
            url = value.get("url") or (key if "file" in value and "://" in key else None)
            if "date" not in value:
                raise malformed(path, None, f"{key}: entry has no 'date'")
            gold[file] = {"date": _day(value["date"], path, key), "url": url}
        elif value is None or isinstance(value, str):
            gold[key] = {"date": _day(value, path, key), "url": None}
        else:
            raise malformed(path, None, f"{key}: expected a date string or an object")
    return gold


def score(found: Mapping[str, str | None], gold: Mapping[str, str | None]) -> dict[str, Any]:
    """Day-level P/R/F1 of ``found`` (file -> value or None) against ``gold`` (module doc)."""
    tp = fp = fn = tn = coarse = 0
    for file, want in gold.items():
        got = found.get(file)
        day = got[:10] if got else None
        if day is not None and len(day) < 10:
            coarse += want is not None
        if want is None:
            fp += day is not None
            tn += day is None
        elif day is None:
            fn += 1
        elif day == want:
            tp += 1
        else:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pages": len(gold),
        "correct": tp,
        "wrong": fp,
        "missing": fn,
        "true_negatives": tn,
        "coarse": coarse,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def _storyline_dates(
    paths: list[str],
    settings: Mapping[str, Any],
    *,
    through_store: bool,
    urls: Mapping[str, str] | None = None,
) -> dict[str, Article]:
    if through_store:
        with temporary_ingest(paths, settings, foundation_only=True) as done:
            arts = [done.stored(a) or a for a in done.read]
    else:
        arts = list(read_paths(paths, read_options(settings)))
        for article in arts:  # the page's address, as an ingest of that URL knows it
            if urls and not article.url and urls.get(article.source):
                article.url = urls[article.source]
        Pipeline(foundation_stages(dict(settings))).run_batch([a for a in arts if a.ok])
    return {a.source: a for a in arts}


def _htmldate_alone(path: Path, url: str | None = None) -> str | None:
    from htmldate import find_date

    try:
        return find_date(path.read_bytes(), extensive_search=True, original_date=True, url=url)
    except Exception:  # htmldate's own failure on one page is a page without a date
        return None


def evaluate_dates(
    folder: str | Path,
    gold: str | Path | None = None,
    *,
    compare: bool = False,
    through_store: bool = False,
    settings: Mapping[str, Any] | None = None,
    urls: bool = True,
) -> dict[str, Any]:
    """P/R/F1 of storyline's publication dates on a folder of pages, with every miss listed;
    ``compare=True`` adds htmldate alone on the same pages.

    ``urls`` (default on): a page whose gold gives its URL (``{"date", "url"}`` or htmldate's
    URL keys) is read knowing that address, as `storyline ingest` of the URL (or of a web
    archive) would, and htmldate alone is given it too; the in-memory mode only (a temporary
    store reads the files without it). Off, pages are read as bare files."""
    folder = Path(folder)
    gold_file = Path(gold) if gold else gold_path(folder)
    wanted = read_gold(gold_file)
    missing = [f for f in wanted if not (folder / f).is_file()]
    if missing:
        raise malformed(
            gold_file,
            None,
            f"{len(missing)} gold file(s) not in {folder}: " + ", ".join(missing[:5]),
        )
    merged = merged_settings(settings)
    files = sorted(wanted)
    started = time.perf_counter()
    addresses = {str(folder / f): wanted[f]["url"] for f in files if urls and wanted[f]["url"]}
    by_source = _storyline_dates(
        [str(folder / f) for f in files], merged, through_store=through_store, urls=addresses
    )
    seconds = time.perf_counter() - started
    found: dict[str, str | None] = {}
    sources: dict[str, str | None] = {}
    for f in files:
        article = by_source.get(str(folder / f))
        ok = article is not None and article.ok
        found[f] = article.published if ok and article is not None else None
        sources[f] = article.date_source if ok and article is not None else None
    gold_days = {f: wanted[f]["date"] for f in files}
    result: dict[str, Any] = {
        "folder": str(folder),
        "gold": str(gold_file),
        "mode": ("store, foundation" if through_store else "foundation")
        + (", URLs" if addresses and not through_store else ""),
        "storyline": score(found, gold_days),
        "storyline_seconds": round(seconds, 2),
        "by_source": _by_source(found, sources, gold_days),
    }
    pages: list[dict[str, Any]] = []
    other: dict[str, str | None] = {}
    if compare:
        started = time.perf_counter()
        other = {f: _htmldate_alone(folder / f, addresses.get(str(folder / f))) for f in files}
        result["htmldate"] = score(other, gold_days)
        result["htmldate_seconds"] = round(time.perf_counter() - started, 2)
    for f in files:
        want, got = gold_days[f], found[f]
        row = {"file": f, "want": want, "found": got, "source": sources[f]}
        if compare:
            row["htmldate"] = other[f]
        if (got[:10] if got else None) != want or (compare and other[f] != want):
            pages.append(row)
    result["misses"] = pages
    return result


def _by_source(
    found: Mapping[str, str | None],
    sources: Mapping[str, str | None],
    gold: Mapping[str, str | None],
) -> dict[str, dict[str, int]]:
    """Right and wrong answers per ``date_source``: which evidence earns its place."""
    table: dict[str, dict[str, int]] = {}
    for f, want in gold.items():
        got = found.get(f)
        if not got:
            continue
        row = table.setdefault(sources.get(f) or "?", {"right": 0, "wrong": 0})
        row["right" if got[:10] == want else "wrong"] += 1
    return dict(sorted(table.items()))


def format_report(result: dict[str, Any]) -> str:
    """The figures as a small table, then the pages either system got wrong."""
    lines = [
        f"publication dates on {result['storyline']['pages']} pages ({result['folder']}; "
        f"{result['mode']}; day-level exact match)",
        f"{'system':<12}{'P':>7}{'R':>7}{'F1':>7}{'right':>7}{'wrong':>7}{'none':>6}{'coarse':>8}",
    ]
    for name in ("storyline", "htmldate"):
        s = result.get(name)
        if s is None:
            continue
        lines.append(
            f"{name:<12}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}"
            f"{s['correct']:>7}{s['wrong']:>7}{s['missing']:>6}{s['coarse']:>8}"
        )
    lines.append(
        "storyline by source: "
        + ", ".join(
            f"{k} {v['right']}/{v['right'] + v['wrong']}" for k, v in result["by_source"].items()
        )
    )
    if result["misses"]:
        lines.append("misses:")
        for m in result["misses"]:
            extra = f", htmldate {m['htmldate']!r}" if "htmldate" in m else ""
            lines.append(
                f"  {m['file']}: want {m['want']!r}, found {m['found']!r} ({m['source']}){extra}"
            )
    return "\n".join(lines)
