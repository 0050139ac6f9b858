"""When an event happened: date expressions in its sentence, resolved against the article date.

News prose dates events relative to publication ("on Thursday", "yesterday", "last week"), so a
date found in a sentence is resolved against an *anchor*: the article's ``published`` date, or,
for an undated article, its ``date_not_before`` lower bound, in which case the result is marked as
a bound too (an event "on Thursday" of an article published no earlier than D happened no earlier
than the Thursday on or before D). Absolute dates ("on August 15", "15 August 2021", "2021-08-15")
take their missing year from the anchor. Past tense is assumed: a bare weekday is the latest such
day on or before the anchor, unless the sentence says "next" or speaks of the future.

Every pattern is a compiled regular expression without nested quantifiers, so a 100 KB hostile
sentence is scanned in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_MONTHS_ALT = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)


def _month(name: str) -> str:
    return rf"(?P<{name}>{_MONTHS_ALT})\.?"


def _day(name: str) -> str:
    return rf"(?P<{name}>\d{{1,2}})(?:st|nd|rd|th)?"


def _year(name: str) -> str:
    return rf"(?:,?\s{{1,3}}(?P<{name}>(?:19|20)\d\d))?"


# One alternation, tried left to right at each position; named groups say which form matched.
DATE_RE = re.compile(
    r"\b(?:"
    r"(?P<iso>(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>\d\d)-(?P<iso_d>\d\d))"
    rf"|(?P<mdy>{_month('mdy_m')}\s{{1,3}}{_day('mdy_d')}\b{_year('mdy_y')})"
    rf"|(?P<dmy>{_day('dmy_d')}\s{{1,3}}{_month('dmy_m')}{_year('dmy_y')})"
    r"|(?P<weekday>(?:(?P<wrel>last|this|next|past)\s{1,3})?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
    r"|(?P<rel>[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]his (?:morning|afternoon|evening)"
    r"|[Ll]ast (?:night|week|month|year)|[Ee]arlier this (?:week|month|year)"
    r"|[Tt]his (?:week|month|year)|[Nn]ext (?:week|month|year))"
    rf"|(?P<month>(?:[Ii]n|[Ss]ince|[Ee]arly|[Ll]ate|[Mm]id)[\s-]{{1,3}}{_month('mon_m')}"
    rf"(?!\s{{1,3}}\d{{1,2}}\b){_year('mon_y')})"
    r"|(?P<year>(?:[Ii]n|[Ss]ince|[Bb]etween|[Bb]y)\s{1,3}(?P<year_y>(?:19|20)\d\d))"
    r")\b"
)


@dataclass(frozen=True)
class Anchor:
    """The date relative expressions are resolved against, and whether it is only a bound."""

    day: date
    bound: bool = False


@dataclass(frozen=True)
class EventDate:
    """A resolved date: ISO text at its precision (day ``2021-08-26``, month ``2021-08``...)."""

    value: str
    precision: str  # day | week | month | year | article
    bound: bool
    start: int  # character span of the expression in the sentence (-1 for the article date)
    end: int
    text: str


def anchor_of(published: str | None, not_before: str | None) -> Anchor | None:
    """The article's anchor date: published when known, else the lower bound (marked)."""
    for value, bound in ((published, False), (not_before, True)):
        parsed = parse_iso_day(value)
        if parsed is not None:
            return Anchor(parsed, bound)
    return None


def parse_iso_day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def find_dates(sentence: str) -> list[re.Match[str]]:
    """All date expressions in a sentence, in order."""
    return list(DATE_RE.finditer(sentence))


def resolve(
    match: re.Match[str], anchor: Anchor | None, *, future: bool = False
) -> EventDate | None:
    """Turn one date expression into a date, or None when it cannot be placed in time."""
    g = match.groupdict()
    bound = anchor.bound if anchor else False
    text = match.group(0)

    def made(day: date | None, precision: str, value: str | None = None) -> EventDate | None:
        if day is None and value is None:
            return None
        shown = value if value is not None else day.isoformat()  # type: ignore[union-attr]
        return EventDate(shown, precision, bound, match.start(), match.end(), text)

    if g["iso"]:
        y, m, d = int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"])
        return made(_safe_date(y, m, d), "day")
    if g["mdy"] or g["dmy"]:
        key = "mdy" if g["mdy"] else "dmy"
        month_name, day_text, year_text = g[f"{key}_m"], g[f"{key}_d"], g[f"{key}_y"]
        month = MONTHS[month_name.lower().rstrip(".")]
        day_number = int(day_text)
        if year_text:
            return made(_safe_date(int(year_text), month, day_number), "day")
        if anchor is None:
            return None
        return made(_nearest_year(anchor.day, month, day_number, future), "day")
    if g["weekday"]:
        if anchor is None:
            return None
        target = WEEKDAYS.index(g["wd"].lower())
        rel = (g["wrel"] or "").lower()
        return made(_weekday(anchor.day, target, rel, future), "day")
    if g["rel"]:
        if anchor is None:
            return None
        return _relative(g["rel"].lower(), anchor.day, made)
    if g["month"]:
        month_name, year_text = g["mon_m"], g["mon_y"]
        month = MONTHS[month_name.lower().rstrip(".")]
        if year_text:
            return made(None, "month", f"{int(year_text):04d}-{month:02d}")
        if anchor is None:
            return None
        year = anchor.day.year
        if month > anchor.day.month and not future:
            year -= 1
        return made(None, "month", f"{year:04d}-{month:02d}")
    if g["year"]:
        return made(None, "year", g["year_y"])
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(anchor: date, month: int, day: int, future: bool) -> date | None:
    """A month-day without a year: this year's, unless that lies on the wrong side of the anchor."""
    candidate = _safe_date(anchor.year, month, day)
    if candidate is None:
        return None
    if not future and candidate > anchor + timedelta(days=7):
        return _safe_date(anchor.year - 1, month, day)
    if future and candidate < anchor - timedelta(days=7):
        return _safe_date(anchor.year + 1, month, day)
    return candidate


def _weekday(anchor: date, target: int, rel: str, future: bool) -> date:
    if rel == "next" or (future and rel != "last"):
        ahead = (target - anchor.weekday()) % 7
        return anchor + timedelta(days=ahead or 7)
    back = (anchor.weekday() - target) % 7
    if rel in ("last", "past") and back == 0:
        back = 7
    return anchor - timedelta(days=back)


def _relative(rel: str, anchor: date, made):  # type: ignore[no-untyped-def]
    if rel == "yesterday" or rel == "last night":
        return made(anchor - timedelta(days=1), "day")
    if rel in ("today", "tonight") or (
        rel.startswith("this ")
        and rel.split()[1]
        in (
            "morning",
            "afternoon",
            "evening",
        )
    ):
        return made(anchor, "day")
    unit = rel.split()[-1]
    shift = -1 if rel.startswith("last") else 1 if rel.startswith("next") else 0
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=shift)
        return made(monday, "week")
    if unit == "month":
        year, month = anchor.year, anchor.month + shift
        if month == 0:
            year, month = year - 1, 12
        elif month == 13:
            year, month = year + 1, 1
        return made(None, "month", f"{year:04d}-{month:02d}")
    return made(None, "year", f"{anchor.year + shift:04d}")
