"""Evaluate the main text storyline keeps from HTML pages, beside trafilatura alone.

Why its own evaluator: the public main-text benchmarks for news (the article-extraction benchmark
of 181 pages, and those built like it) are a folder of saved pages and a JSON map of page id ->
gold article body, scored on word shingles; `storyline eval metadata` wants a manifest of every
field and never looks at the body. This one reads that common format as it is:

- ``{"ID": {"articleBody": "...", "url": "..."}, ...}`` with the pages in ``html/ID.html.gz``
  (or ``ID.html``, ``ID.html.gz``, ``ID`` in the folder or in ``html/``), the benchmark's layout;
- ``{"page.html": "gold text", ...}`` or ``{"page.html": {"text": "..."}, ...}``.

A gold of null or "" says the page has no article.

Scoring is the benchmark's, so figures compare with the published ones: each text is cut into
tokens (``\\w+``, case kept) and their overlapping 4-token shingles; per page, true positives are
the shingles both hold (counted with multiplicity), false positives the extra ones found, false
negatives the ones missed, and the three are divided by their sum so that long pages do not
outweigh short ones. Precision is the mean over the pages where something was found, recall the
mean over pages with a gold body, F1 the harmonic mean of those two means. A seeded bootstrap over
pages gives a 95 % interval, since one or two pages move a 181-page F1 by more than the gaps
between published systems.

The pages go through what `storyline ingest` runs on an HTML file: the foundation stages (decode,
extract, clean, bylines, dates, language, lead title) of the merged settings, in memory, and the
article's stored ``text`` is scored. ``compare=True`` also scores trafilatura alone on the same
pages, as the benchmark runs it (``extract(html, include_comments=False)``), and with
``favor_precision=True``, the mode storyline's extraction starts from.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import time
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from storyline.article import Article
from storyline.evaluate.ingested import merged_settings
from storyline.evaluate.labelled import find_gold, malformed, read_text
from storyline.ingest import foundation_stages
from storyline.pipeline import Pipeline

__all__ = [
    "Counts",
    "evaluate_text",
    "format_report",
    "gold_path",
    "page_counts",
    "read_gold",
    "summarize",
]

#: Gold file names looked for in the folder when none is given.
GOLD_NAMES = ("ground-truth.json", "gold.json", "text.json")
#: Shingle length of the benchmark's scoring.
SHINGLE = 4
#: Where a page id is looked for, relative to the folder, in this order.
PAGE_PATTERNS = ("{id}", "{id}.html", "{id}.html.gz", "{id}.htm")
PAGE_DIRS = ("", "html")
#: Bootstrap resamples for the interval (seeded: the same pages give the same interval).
BOOTSTRAP = 1000
#: Pages whose own F1 is under this are listed in the report.
LIST_BELOW = 0.9

Counts = tuple[float, float, float]
_TOKEN = re.compile(r"\w+")


def gold_path(folder: Path) -> Path:
    """The folder's gold map: one of `GOLD_NAMES`, else its only ``.json`` file."""
    return find_gold(
        folder,
        GOLD_NAMES,
        "a JSON map of page id -> {articleBody} or -> text",
        skip=("patterns.json",),
    )


def read_gold(path: Path) -> dict[str, str]:
    """page id -> gold body ("" for a page without an article) from any accepted layout."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise malformed(path, exc.lineno, f"not JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or not data:
        raise malformed(path, None, "the gold must be a non-empty JSON object: page -> body")
    gold: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            body = value.get("articleBody", value.get("text", value.get("body", "missing")))
            if body == "missing":
                raise malformed(path, None, f"{key}: entry has no 'articleBody' (or 'text')")
        else:
            body = value
        if body is not None and not isinstance(body, str):
            raise malformed(path, None, f"{key}: the gold body must be a string or null")
        gold[key] = body or ""
    return gold


def page_file(folder: Path, page: str) -> Path | None:
    """The saved page of a gold id, by the layouts of `PAGE_PATTERNS` under `PAGE_DIRS`."""
    for sub in PAGE_DIRS:
        for pattern in PAGE_PATTERNS:
            candidate = folder / sub / pattern.format(id=page)
            if candidate.is_file():
                return candidate
    return None


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < SHINGLE:  # a short text is one shingle of what it has (none when empty)
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(gold: str, found: str) -> Counts:
    """Normalised (tp, fp, fn) of one page's 4-token shingles (module doc)."""
    want, got = _shingles(gold), _shingles(found)
    tp = float(sum((want & got).values()))
    fp = float(sum((got - want).values()))
    fn = float(sum((want - got).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(c: Counts) -> float:
    tp, fp, fn = c
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(c: Counts) -> float:
    tp, fp, fn = c
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def _figures(counts: Sequence[Counts]) -> tuple[float, float, float]:
    found = [_precision(c) for c in counts if c[0] + c[1] > 0]
    wanted = [_recall(c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(found) if found else 0.0
    recall = statistics.mean(wanted) if wanted else 0.0
    return precision, recall, _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def summarize(counts: Sequence[Counts], *, bootstrap: int = BOOTSTRAP) -> dict[str, Any]:
    """P, R and F1 over pages (module doc) with a seeded bootstrap 95 % interval for each."""
    precision, recall, f1 = _figures(counts)
    result: dict[str, Any] = {
        "pages": len(counts),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "nothing_found": sum(1 for c in counts if c[0] + c[1] == 0 and c[2] > 0),
    }
    if bootstrap and len(counts) > 1:
        rng = random.Random(0)
        draws = [
            _figures([counts[rng.randrange(len(counts))] for _ in counts]) for _ in range(bootstrap)
        ]
        for i, name in enumerate(("precision", "recall", "f1")):
            result[f"{name}_ci"] = round(1.96 * statistics.stdev(d[i] for d in draws), 3)
    return result


def _storyline_texts(paths: list[Path], settings: Mapping[str, Any]) -> dict[Path, Article]:
    """Each page through the reading stages as an HTML file (a page saved without an extension
    is still HTML), the article kept whatever happened to it."""
    articles: dict[Path, Article] = {}
    for path in paths:
        try:
            raw = _page_bytes(path)
        except (OSError, EOFError, zlib.error) as exc:
            articles[path] = Article(source=str(path), failed=f"cannot read: {exc}")
            continue
        articles[path] = Article(source=str(path), raw=raw, raw_format="html")
    Pipeline(foundation_stages(dict(settings))).run_batch([a for a in articles.values() if a.ok])
    return articles


def _page_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def _page_html(path: Path) -> str:
    try:
        return _page_bytes(path).decode("utf-8", errors="replace")
    except (OSError, EOFError, zlib.error):
        return ""


def _trafilatura(precision: bool) -> Callable[[str], str]:
    import trafilatura

    def run(html: str) -> str:
        try:
            text = trafilatura.extract(html, include_comments=False, favor_precision=precision)
        except Exception:  # trafilatura's own failure on one page is a page without text
            return ""
        return text or ""

    return run


def evaluate_text(
    folder: str | Path,
    gold: str | Path | None = None,
    *,
    compare: bool = False,
    settings: Mapping[str, Any] | None = None,
    bootstrap: int = BOOTSTRAP,
) -> dict[str, Any]:
    """Shingle P/R/F1 of storyline's main text on a folder of pages, the weakest pages listed;
    ``compare=True`` adds trafilatura alone (default and ``favor_precision``)."""
    folder = Path(folder)
    gold_file = Path(gold) if gold else gold_path(folder)
    wanted = read_gold(gold_file)
    pages = sorted(wanted)
    located: dict[str, Path] = {}
    for page in pages:
        path = page_file(folder, page)
        if path is not None:
            located[page] = path
    missing = [page for page in pages if page not in located]
    if missing:
        raise malformed(
            gold_file,
            None,
            f"{len(missing)} gold page(s) not in {folder} (looked for ID, ID.html, ID.html.gz "
            "there and under html/): " + ", ".join(missing[:5]),
        )
    started = time.perf_counter()
    articles = _storyline_texts(list(located.values()), merged_settings(settings))
    seconds = time.perf_counter() - started
    found: dict[str, str] = {}
    failed: dict[str, str] = {}
    for page in pages:
        article = articles[located[page]]
        found[page] = (article.text or "") if article.ok else ""
        if not article.ok:
            failed[page] = article.failed or article.skipped or "skipped"
    counts = {page: page_counts(wanted[page], found[page]) for page in pages}
    result: dict[str, Any] = {
        "folder": str(folder),
        "gold": str(gold_file),
        "storyline": summarize(list(counts.values()), bootstrap=bootstrap),
        "storyline_seconds": round(seconds, 2),
        # pages the reading stages gave no text (an unreadable file, no article found): scored
        # as empty, as the benchmark scores an empty answer, and named here
        "failed": failed,
    }
    others: dict[str, dict[str, Counts]] = {}
    if compare:
        html = {page: _page_html(path) for page, path in located.items()}
        for name, precision in (("trafilatura", False), ("trafilatura_precision", True)):
            run = _trafilatura(precision)
            started = time.perf_counter()
            others[name] = {page: page_counts(wanted[page], run(html[page])) for page in pages}
            result[name] = summarize(list(others[name].values()), bootstrap=bootstrap)
            result[f"{name}_seconds"] = round(time.perf_counter() - started, 2)
    weak: list[dict[str, Any]] = []
    for page in pages:
        row = _page_row(counts[page])
        if row["f1"] >= LIST_BELOW:
            continue
        row["page"] = page
        row["words_found"] = len(found[page].split())
        row["words_gold"] = len(wanted[page].split())
        for name, table in others.items():
            row[f"{name}_f1"] = _page_row(table[page])["f1"]
        weak.append(row)
    result["weak_pages"] = sorted(weak, key=lambda r: (r["f1"], r["page"]))
    return result


def _page_row(c: Counts) -> dict[str, Any]:
    p, r = _precision(c), _recall(c)
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(_f1(p, r), 3),
    }


def format_report(result: dict[str, Any]) -> str:
    """The figures as a small table, then the pages storyline scored under `LIST_BELOW`."""
    lines = [
        f"main text on {result['storyline']['pages']} pages ({result['folder']}; "
        f"{SHINGLE}-token shingles, per-page normalised, mean P and R)",
        f"{'system':<23}{'P':>7}{'R':>7}{'F1':>7}{'± F1':>7}{'empty':>7}",
    ]
    for name in ("storyline", "trafilatura", "trafilatura_precision"):
        s = result.get(name)
        if s is None:
            continue
        ci = f"{s['f1_ci']:.3f}" if "f1_ci" in s else "-"
        lines.append(
            f"{name:<23}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{ci:>7}"
            f"{s['nothing_found']:>7}"
        )
    for page, problem in result.get("failed", {}).items():
        lines.append(f"no text for {page}: {problem}")
    if result["weak_pages"]:
        lines.append(f"pages under F1 {LIST_BELOW} (storyline):")
        for row in result["weak_pages"]:
            extra = "".join(f", {key[:-3]} {row[key]:.3f}" for key in row if key.endswith("_f1"))
            lines.append(
                f"  {row['page']}: P {row['precision']:.3f} R {row['recall']:.3f} "
                f"F1 {row['f1']:.3f} ({row['words_found']} words for {row['words_gold']}){extra}"
            )
    return "\n".join(lines)
