"""What the date stage costs per HTML page, beside htmldate alone, on a folder of pages.

The date stage reads the page's metadata (htmldate on the meta and JSON-LD only), the URL, the
header's date elements and the page's scripts, and asks htmldate's whole search only when none
of those gives a day. This prints the median and p95 ms per page of the stage (the extract and
clean stages run first, untimed) and of ``htmldate.find_date(html, extensive_search=True,
original_date=True)`` on the same pages, and how many pages needed the htmldate fallback.

    PYTHONPATH=src python benchmarks/dates.py tests/data/dates --repeat 5

Prints one table; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from storyline.article import Article
from storyline.extract import date_sources
from storyline.extract.body import ExtractStage
from storyline.extract.clean import CleanStage
from storyline.extract.dates import DateStage
from storyline.extract.encoding import DecodeStage
from storyline.sources.files import read_paths


def _ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _undate(article: Article) -> None:
    """Back to what the stage found before it ran (it would otherwise keep its own date)."""
    article.published = article.date_source = article.date_precision = None
    article.date_not_before = article.date_bound_evidence = None
    article.problems.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from htmldate import find_date

    paths = sorted(str(p) for p in args.folder.glob("*.htm*"))
    stage, fallbacks = DateStage(), 0
    stage_times: list[float] = []
    htmldate_times: list[float] = []
    import dateparser  # noqa: F401  (its import, ~0.2 s, is not a page's cost)

    for article in read_paths(paths):
        if not article.ok:
            continue
        for before in (DecodeStage(), ExtractStage(), CleanStage()):
            before.process(article)
        for _ in range(args.repeat):
            _undate(article)
            date_sources._LAST_PARSE[0] = ("", None)  # no parse carried over between runs
            start = time.perf_counter()
            stage.process(article)
            stage_times.append(time.perf_counter() - start)
        fallbacks += article.date_source == "htmldate"
        raw = Path(article.source).read_bytes()
        for _ in range(args.repeat):
            start = time.perf_counter()
            find_date(raw, extensive_search=True, original_date=True)
            htmldate_times.append(time.perf_counter() - start)
    print(f"{len(paths)} pages, {args.repeat} runs each; htmldate fallback on {fallbacks} pages")
    print(f"{'':<28}{'median ms':>10}{'p95 ms':>9}")
    for name, values in (("date stage", stage_times), ("htmldate alone", htmldate_times)):
        median, p95 = _ms(values)
        print(f"{name:<28}{median:>10.2f}{p95:>9.2f}")


if __name__ == "__main__":
    main()
