"""How long the cleaner's and the byline finder's regular expressions take on hostile input.

    python benchmarks/regex_safety.py

reliability.md asks for each pattern under 100 ms on 100 KB of adversarial text. Unit tests only
catch a backtracking blow-up (minutes; `storyline.testing.BLOWUP_SECONDS`), because wall-clock
goals flake on a loaded machine; this prints the figures: the slowest input per pattern (of
search, match, fullmatch and finditer, each timed alone), and per whole function (clean_text, the
byline finders).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from storyline.article import Article, Removed
from storyline.extract import rules
from storyline.extract.bylines import (
    find_agencies,
    find_byline,
    find_dateline,
    find_outlet,
    find_photo_agencies,
)
from storyline.extract.clean import clean_text
from storyline.testing import HOSTILE_BYLINES, HOSTILE_CLEAN

GOAL_MS = 100.0


def worst(run: Callable[[str], object], inputs: list[str]) -> tuple[float, str]:
    slowest, which = 0.0, ""
    for text in inputs:
        start = time.perf_counter()
        run(text)
        ms = (time.perf_counter() - start) * 1000
        if ms > slowest:
            slowest, which = ms, text[:12]
    return slowest, which


def pattern_runs(name: str) -> list[tuple[str, Callable[[str], object]]]:
    """One call per way the code may use a pattern: each is timed on its own."""
    pattern = rules.PATTERNS[name]
    return [
        ("search", pattern.search),
        ("match", pattern.match),
        ("fullmatch", pattern.fullmatch),
        ("finditer", lambda text: sum(1 for _ in pattern.finditer(text))),
    ]


def bylines_run(text: str) -> None:
    article = Article(source="hostile", text=text)
    removed = [Removed(text, reason) for reason in ("byline", "credit", "promo")]
    article.removed = removed
    find_dateline(text)
    find_agencies(text, removed)
    find_photo_agencies(text, [Removed(text, "caption")])
    find_byline(removed, text)
    find_outlet(article)


def main() -> None:
    rows = []
    for name in sorted(rules.PATTERNS):
        ms, which, how = max((*worst(run, HOSTILE_CLEAN), how) for how, run in pattern_runs(name))
        rows.append((f"pattern {name} ({how})", ms, which))
    rows.append(("clean_text", *worst(clean_text, HOSTILE_CLEAN)))
    rows.append(("bylines, agencies, dateline, outlet", *worst(bylines_run, HOSTILE_BYLINES)))
    print(f"{'what':<45} {'worst ms':>9}  worst input   goal {GOAL_MS:.0f} ms")
    for what, ms, which in rows:
        flag = "" if ms <= GOAL_MS else "  OVER"
        print(f"{what:<45} {ms:>9.1f}  {which!r:<12}{flag}")


if __name__ == "__main__":
    main()
