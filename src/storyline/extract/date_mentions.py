"""Dates an article's text mentions: a lower bound for an undated article, year-less mentions.

Why a module of its own: these dates are never the publication date. An undated article cannot
be older than the latest absolute date it reports as a past fact (``date_not_before``), and a
"September 7" without a year waits for a dated copy of the story to lend it one
(`storyline.update.dates_from_context`). Future and planning clauses ("by 2030", "will be held
on ...") are skipped. The scanner is our own regexes, not dateparser's ``search_dates`` (see the
date stage, `storyline.extract.dates`, for why).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from storyline.article import Removed
from storyline.extract.date_values import MENTION, PRECISION_RANK, mention_date, valid_date

# Words that make a date in the same clause a plan, a deadline or a forecast, not a past fact.
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|would|shall|won't|plans?\s+to|planned|planning|aims?\s+to|aiming|aimed\s+at"
    r"|targets?\s+(?:of|for)|target(?:ed|ing)|goal\s+of|vision|agenda|expects?|expected"
    r"|expecting|scheduled|slated|due\s+to\s+be|deadline|forecasts?|projected|projections?"
    r"|upcoming|coming|next|future|hopes?\s+to|intends?|intended|to\s+be\s+held|set\s+to"
    r"|is\s+to|are\s+to|ahead\s+of)\b",
    re.IGNORECASE,
)
_FUTURE_RIGHT_BEFORE = re.compile(r"\b(?:by|until|till|through|before|for|to|no later than)\s$")
_FUTURE_AFTER = re.compile(
    r"^\W{0,3}(?:targets?|goals?|deadline|plans?|vision|agenda|strategy|will|is expected)\b",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"^\s(?:people|persons|troops|soldiers|men|women|children|families|refugees|km|kilometres"
    r"|kilometers|miles|metres|meters|tonnes|tons|dollars|rupees|euros|units|cases|deaths"
    r"|votes|seats|feet|hours|minutes|words|pages)\b"
)
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n")
_ABBREV_END = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Capt|Sgt|Prof|Rep|Sen|Gov|Jan|Feb|Mar|Apr|Jun|Jul"
    r"|Aug|Sep|Sept|Oct|Nov|Dec|No|St|Jr|Sr|vs|etc|Inc|Ltd|Co))\.$"
)
_URL_LIKE = re.compile(r"(?:https?://|www\.)[^\s<>\"']{1,2000}")


@dataclass(frozen=True)
class DateBound:
    """The latest absolute date a text mentions: the article is not older than this."""

    value: str  # "YYYY-MM-DD" (first day of the month or year for coarser mentions)
    precision: str  # day | month | year
    evidence: str  # the sentence that mentions it
    start: int = -1  # character offset of the mention in the scanned text (-1: a removed item)


def _is_future_context(text: str, start: int, end: int) -> bool:
    """True when the date sits in a clause about plans, deadlines or forecasts."""
    left = text[max(0, start - 120) : start]
    cut = max(
        (m.end() for m in _CLAUSE_BREAK.finditer(left)),
        default=0,
    )
    sentence_cut = max((m.end() for m in _SENTENCE_END.finditer(left)), default=0)
    clause = left[max(cut, sentence_cut) :]
    if _FUTURE_BEFORE.search(clause) or _FUTURE_RIGHT_BEFORE.search(left[-20:]):
        return True
    return bool(_FUTURE_AFTER.match(text[end : end + 40]))


def _sentence_around(text: str, start: int, end: int) -> str:
    left = text[max(0, start - 1500) : start]
    begin = max(0, start - 1500)
    for m in _SENTENCE_END.finditer(left):
        if not _ABBREV_END.search(left[: m.start()][-8:]):
            begin = max(0, start - 1500) + m.end()
    right = text[end : end + 1500]
    stop = end + len(right)
    for m in _SENTENCE_END.finditer(right):
        if not _ABBREV_END.search(text[max(0, end + m.start() - 8) : end + m.start()]):
            stop = end + m.start()
            break
    return text[begin:stop].strip()


def _blank_urls(text: str) -> str:
    # Dates in URLs belong to other pages (link dumps, "read more"); keep offsets stable.
    return _URL_LIKE.sub(lambda m: " " * len(m.group(0)), text)


def absolute_mentions(text: str) -> Iterator[DateBound]:
    """Every absolute date the text mentions as a past fact, in order.

    A mention without a year ("on September 7") takes the year of the nearest earlier absolute
    mention; with none, it is skipped. Dates in a future or planning clause ("by 2030", "will be
    held on ...", "Vision 2030") are skipped and do not lend their year. Relative expressions
    ("on Sunday", "earlier this month", "last year") never match.
    """
    text = _blank_urls(text)
    for value, precision, start, end in _absolute(text):
        yield DateBound(value.isoformat(), precision, _sentence_around(text, start, end), start)


def _absolute(text: str) -> Iterator[tuple[date, str, int, int]]:
    """`absolute_mentions` without the evidence, which costs a scan of the sentence around each
    mention: `latest_absolute_date` reads the evidence of the one it keeps (issue 15)."""
    for value, precision, context_year, start, end in _past_mentions(text):
        if context_year == 0:
            continue
        if context_year is not None:
            resolved = valid_date(context_year, value.month, value.day)
            if resolved is None:
                continue
            value = resolved
        yield value, precision, start, end


def _past_mentions(text: str) -> Iterator[tuple[date, str, int | None, int, int]]:
    """``(date, precision, context_year, start, end)`` for each mention outside a future clause.

    ``context_year`` is None for a mention with its own year, the year of the nearest earlier
    absolute mention for a year-less one, and 0 for a year-less one with no such mention.
    """
    context_year: int | None = None
    for match in MENTION.finditer(text):
        found = mention_date(match)
        if found is None:
            continue
        value, precision, needs_year = found
        start = match.start()
        prefix = match.group("y_pre") or match.group("mo_pre")
        if prefix:
            start += len(prefix)
        if _is_future_context(text, start, match.end()):
            continue
        if match.group("y_y") and _UNIT_AFTER.match(text[match.end() : match.end() + 20]):
            continue
        if not needs_year:
            context_year = value.year
            yield value, precision, None, start, match.end()
        else:
            yield value, precision, context_year or 0, start, match.end()


#: A past-tense verb in the sentence: "announced", "was", "took". Year-less dates are kept only
#: in such sentences, so "the talks on March 3" in a present-tense preview is not a past fact.
_PAST_HINT = re.compile(
    r"\b(?:[a-z]{2,}(?<!ne)(?<!ee)ed|was|were|had|did|said|told|took|met|held|began|left|came"
    r"|went|gave|made|saw|won|lost|fell|rose|struck|shot|fled|sent|spoke|wrote|broke|became"
    r"|brought|fought|led|kept|paid|ran|stood|chose|drove|flew|sold|threw|seized|hit|quit)\b"
)


#: Year-less mentions whose sentence `yearless_mentions` reads, at most, per text: each costs a
#: scan of up to 3,000 characters around it, and no real article has this many (issue 15).
MAX_YEARLESS_CHECKS = 500


def yearless_mentions(text: str) -> list[dict[str, Any]]:
    """Month-day mentions without a year and without an earlier year to lend them one.

    "announced the formation of a caretaker government on September 7" in an article that names
    no year: the date stage cannot resolve it, but a dated copy or a dated article of the same
    story can (`storyline.update.dates_from_context`). Only past-tense sentences outside future
    clauses count. Each item: ``{"month", "day", "evidence"}``, in text order, without repeats;
    only the first `MAX_YEARLESS_CHECKS` candidates are read.
    """
    text = _blank_urls(text)
    found: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    checks = 0
    for value, precision, context_year, start, end in _past_mentions(text):
        if context_year != 0 or precision != "day" or (value.month, value.day) in seen:
            continue
        checks += 1
        if checks > MAX_YEARLESS_CHECKS:
            break
        evidence = _sentence_around(text, start, end)
        if not _PAST_HINT.search(evidence):
            continue
        seen.add((value.month, value.day))
        found.append({"month": value.month, "day": value.day, "evidence": evidence})
    return found


#: Removed items that belong to the article itself and may carry a date (a caption's photo date
#: is before publication). Teasers, promos and link dumps point at *other* articles: never used.
BOUND_REASONS = frozenset({"caption", "title", "repeated_headline", "date_line"})


def latest_absolute_date(text: str, removed: Iterable[Removed] = ()) -> DateBound | None:
    """The latest absolute date mentioned in the text (and in captions and the title), or None."""
    best: tuple[date, str, str, int, int, bool] | None = None  # ..., scanned text, span, own
    sources = [(text, True)]
    sources += [(item.text, False) for item in removed if item.reason in BOUND_REASONS]
    for source, own in sources:
        scanned = _blank_urls(source)
        for value, precision, start, end in _absolute(scanned):
            if best is None or _later(value, precision, best[0], best[1]):
                best = (value, precision, scanned, start, end, own)
    if best is None:
        return None
    value, precision, scanned, start, end, own = best
    evidence = _sentence_around(scanned, start, end)
    return DateBound(value.isoformat(), precision, evidence, start if own else -1)


def _later(value: date, precision: str, best: date, best_precision: str) -> bool:
    if value != best:
        return value > best
    return PRECISION_RANK[precision] < PRECISION_RANK[best_precision]


def find_date_bound(text: str, removed: list[Removed]) -> tuple[str, str] | None:
    """``(iso_date, evidence_sentence)`` for the date an undated article cannot predate.

    Month-only mentions give the first day of the month, year-only the first of January. This is
    a lower bound, never the publication date.
    """
    bound = latest_absolute_date(text, removed)
    return (bound.value, bound.evidence) if bound else None
