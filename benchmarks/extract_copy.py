"""What the extractor's copy of a page costs: the HTML passes before trafilatura reads a page.

Each pass (`extract/body.py` `extractor_copy`) first asks the page's HTML a cheap question; a page
that needs any pass is parsed and serialised once for all of them. This prints, over every saved
page of the given folders, how many pages each pass's question lets through, how many pages are
edited, and the median, p95 and mean milliseconds a page of `extractor_copy` and of the whole
extract stage (trafilatura included), so the passes' share of the stage is visible.

    PYTHONPATH=src python benchmarks/extract_copy.py tests/data/text tests/data/text_heldout*

Prints one table; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from storyline.article import Article
from storyline.extract.body import COPY_PASSES, ExtractStage, extractor_copy


def _pages(folders: list[str]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        root = Path(folder)
        found += sorted(p for p in root.rglob("*.htm*") if p.is_file())
    return found


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"median {statistics.median(ordered) * 1000:6.2f}  p95 {p95 * 1000:6.2f}  "
        f"mean {statistics.fmean(ordered) * 1000:6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", help="folders of saved HTML pages")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page; the best counts")
    args = parser.parse_args()
    pages = _pages(args.folders)
    html = [p.read_bytes().decode("utf-8", "replace") for p in pages]
    print(f"{len(pages)} pages")
    for name, question, _ in COPY_PASSES:
        print(f"  {name:28} asked of {sum(1 for h in html if question(h)):4} pages")
    copy_times: list[float] = []
    edited = 0
    for page in html:
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            copy = extractor_copy(page, None)
            best = min(best, time.perf_counter() - started)
        copy_times.append(best)
        edited += copy is not page
    stage_times: list[float] = []
    stage = ExtractStage()
    for path, page in zip(pages, html, strict=True):
        best = float("inf")
        for _ in range(args.repeat):
            article = Article(source=str(path), raw_format="html", decoded=page)
            started = time.perf_counter()
            stage.process(article)
            best = min(best, time.perf_counter() - started)
        stage_times.append(best)
    print(f"edited copies: {edited} of {len(pages)} pages")
    print(f"extractor_copy  {_ms(copy_times)}")
    print(f"extract stage   {_ms(stage_times)}")
    share = sum(copy_times) / sum(stage_times) if sum(stage_times) else 0.0
    print(f"the copy's share of the stage: {share:.1%}")


if __name__ == "__main__":
    main()
