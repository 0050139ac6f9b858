"""Publication dates with their provenance and precision, and lower bounds for undated articles.

A wrong date is worse than none: it puts a story on the wrong day of a timeline and makes a
reprint look like the original. So every date says where it came from (``date_source``) and how
precise it is (``date_precision``), and the ingest time or a file's mtime is never used.

Precedence (first source that yields a date wins; see docs/metadata.md):

1. ``record``: a date field of the input record (``date``, ``published``, ``pubDate``...).
2. ``html-meta``: a date the HTML extractor already set, else the page's ``<meta>`` and JSON-LD
   read with htmldate on a copy of the page that holds nothing else (see `html_meta_date`).
3. ``url``: a date in the URL path (``/2021/08/18/`` day, ``/2021/08/`` month).
4. ``date-line``: a date line the cleaner removed, a first line of the text that is only a date
   (labels, times, bylines and Solar Hijri dates allowed), or a date in an HTML page's header.
   An "Updated ..." date is used only when nothing else dates the article, with the source
   ``date-line (updated)``.

When a lower-precedence source agrees with the winner and is more precise (URL gives the month,
the date line the day), the more precise one is used. Disagreements are recorded as problems.

For an undated article, `find_date_bound` gives the latest *absolute* date the text mentions: the
article cannot be older than a date it reports. It is stored as ``date_not_before``, never as the
date. The scanner is our own regexes, not dateparser's ``search_dates``: on the sample seeds that
call turned "the 17th extraordinary session" into a date in 2017, "20 years of" into a date 20
years before today, "on Monday" into today, and filled the missing day of "August 2021" with
today's day of month, i.e. it leaks the ingest time into the result, which is the one thing a
publication date must never contain. It is also ~10 ms to ~100 ms per article.
"""

from __future__ import annotations

import calendar
import email.utils
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from persiantools.jdatetime import JalaliDate

from storyline.article import Article, Removed
from storyline.pipeline import Stage

#: Input record fields that hold a publication date, in order of preference. Fields that hold
#: crawl or ingest times ("timestamp", "date_download", "crawled", "fetched") are left out on
#: purpose: they say when someone saved the page, not when the outlet published it.
DATE_FIELDS: tuple[str, ...] = (
    "published",
    "date_published",
    "datePublished",
    "published_at",
    "publishedAt",
    "publication_date",
    "published_date",
    "publish_date",
    "date_publish",
    "pubDate",
    "pubdate",
    "pub_date",
    "date",
    "datetime",
    "issued",
)

PRECISIONS = ("datetime", "day", "month", "year")
_RANK = {p: i for i, p in enumerate(PRECISIONS)}  # lower is finer
MIN_YEAR, MAX_YEAR = 1800, 2100

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        _MONTHS[_name.lower()] = _i
        _MONTHS[_name[:3].lower()] = _i
_MONTHS["sept"] = 9

# Month names as written in news: "September", "Sept.", "Sep", "SEPTEMBER"; never lower case
# ("may", "march" are words). "May" has no abbreviation to avoid "Mayor".
_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?"
    r"|JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?"
    r"|SEPT?(?:EMBER)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)(?![A-Za-z])"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d|2100)"
_NB = r"(?<![\d/.,-])"  # no digit or number punctuation just before
_NA = r"(?![\d%])"  # no digit or percent just after

# One pass over the text. Branches are grouped behind a one-character guard (digit, capital,
# lower case) so that most positions are rejected after a single test: ~40 ms per 100 KB of news.
_MENTION = re.compile(
    rf"(?=\d){_NB}(?:"
    rf"(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-3]\d)(?!\d)"
    rf"|(?P<num_a>[0-3]?\d)[./](?P<num_b>[0-3]?\d)[./](?P<num_y>{_YEAR}){_NA}"
    rf"|(?P<dmy_d>{_DAY})\s(?:of\s)?(?P<dmy_m>{_MONTH}),?\s(?P<dmy_y>{_YEAR}){_NA}"
    rf"|(?P<dm_d>{_DAY})\s(?:of\s)?(?P<dm_m>{_MONTH}))"
    rf"|(?=[ADFJMNOS])(?:"
    rf"(?P<mdy_m>{_MONTH})\s(?P<mdy_d>{_DAY}),?\s(?P<mdy_y>{_YEAR}){_NA}"
    rf"|(?P<my_m>{_MONTH}),?\s(?:of\s)?(?P<my_y>{_YEAR}){_NA}"
    rf"|(?P<md_m>{_MONTH})\s(?P<md_d>{_DAY})(?![\d:]))"
    rf"|(?=[ABDEFILMSWYabefilmswy])(?<![A-Za-z])(?:"
    rf"(?P<mo_pre>(?:[Ii]n|[Ss]ince|[Dd]uring|[Ee]arly|[Mm]id|[Ll]ate|[Ee]nd\sof|[Ss]ummer\sof)"
    rf"[\s-](?:(?:early|mid|late)[\s-])?)(?P<mo_m>{_MONTH})(?![.,]?\s(?:of\s)?\d)"
    rf"|(?P<y_pre>(?:[Ii]n|[Ss]ince|[Ff]rom|[Dd]uring|[Bb]etween|and|of|[Ee]arly|[Mm]id|[Ll]ate"
    rf"|year|[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter|[Ff]all)[\s-])(?P<y_y>{_YEAR})"
    rf"(?![\d%]|[,.-]\d))"
)

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

_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/_-])(?P<m>0?[1-9]|1[0-2])"
    r"(?:(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01]))?(?=[/_-]|$|\.html?)"
    r"|/(?P<cy>(?:19|20)\d\d)(?P<cm>0[1-9]|1[0-2])(?P<cd>0[1-9]|[12]\d|3[01])(?=[/_-])"
)
_ISO_FULL = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?\s?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
# RSS pubDate with a zone email.utils knows; "10:32 PKT" would silently become UTC.
_RFC2822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s[A-Za-z]{3}\s\d{4}\s\d{2}:\d{2}(?::\d{2})?"
    r"\s(?:[+-]\d{4}|GMT|UTC?|Z|[ECMP][SD]T)"
)
_DATE_LINE_LABEL = re.compile(
    r"^(?:published|posted|date|dated|first published|publication date|released|created)"
    r"(?:\s+(?:on|at))?\s*[:\-]?\s*",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    r"^(?:last\s+)?(?:updated|modified|edited|revised)(?:\s+(?:on|at))?\s*[:\-]?\s*",
    re.IGNORECASE,
)
# "Published: 10 July 2024 | Updated: 11 July 2024": one line, two dates.
_DATE_LINE_PARTS = re.compile(
    r"\s[|•·]\s|\s{2,}|,\s(?=(?:last\s+)?(?:updated|modified|published|posted)\b)", re.I
)
# "Posted on June 19, 2024 by Staff Reporter": the byline after the date is not part of it.
_BY_TAIL = re.compile(r"\s(?:by|von|par|por)\s.{1,80}$", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"^(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+", re.IGNORECASE
)
_TIME_TAIL = re.compile(
    r"(?:\s{0,3}[|,•·-]?\s{0,3}(?:at\s{1,3})?\d{1,2}[:.]\d{2}(?::\d{2})?\s?(?:[AaPp]\.?[Mm]\.?)?"
    r"\s?(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2})?)?\s*\Z"
)


@dataclass(frozen=True)
class DateFinding:
    """A publication date: ISO value, its precision and the source it came from."""

    value: str  # "YYYY-MM-DD", "YYYY-MM", "YYYY" or a full ISO datetime
    precision: str  # datetime | day | month | year
    source: str  # record | html-meta | url | date-line
    evidence: str = ""

    @property
    def day(self) -> str:
        """The value as a comparable ISO prefix (datetimes cut to the day)."""
        return self.value[:10]


@dataclass(frozen=True)
class DateBound:
    """The latest absolute date a text mentions: the article is not older than this."""

    value: str  # "YYYY-MM-DD" (first day of the month or year for coarser mentions)
    precision: str  # day | month | year
    evidence: str  # the sentence that mentions it
    start: int = -1  # character offset of the mention in the scanned text (-1: a removed item)


def _valid(y: int, m: int = 1, d: int = 1) -> date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_number(name: str) -> int:
    return _MONTHS[
        name.rstrip(".").lower()[:4]
        if name.lower().startswith("sept")
        else name.rstrip(".").lower()[:3]
    ]


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


def _fmt(value: date, precision: str) -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


# ---------------------------------------------------------------- parsing one date string


def _from_datetime(moment: datetime) -> tuple[str, str] | None:
    if _valid(moment.year) is None:
        return None
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        # Date-only values are often serialised as midnight; midnight says nothing more.
        return moment.date().isoformat(), "day"
    return moment.isoformat(), "datetime"


def _parse_words(text: str) -> tuple[str, str] | None:
    """ "August 27, 2021", "Friday, 27 August 2021 10:32 GMT", "Aug 2021": our own patterns."""
    text = _WEEKDAY.sub("", text.strip())
    text = _TIME_TAIL.sub("", text).strip(" ,|")
    match = _MENTION.fullmatch(text)
    if match is None:
        return None
    found = _mention_date(match)
    if found is None or found[2]:  # needs a year of its own
        return None
    value, precision = found[0], found[1]
    if match.group("num_y") and match.group("num_a") != match.group("num_b"):
        a, b = int(match.group("num_a")), int(match.group("num_b"))
        if a <= 12 and b <= 12:
            return None  # 07/09/2021: 7 September or 9 July? A date line must not guess.
    return _fmt(value, precision), precision


def _parse_with_dateparser(text: str) -> tuple[str, str] | None:
    """Last resort for other languages and formats ("27. August 2021", "18 août 2021").

    Only absolute parsers, all of day, month and year required, and the year must be written in
    the string: dateparser otherwise fills missing parts from today's date.
    """
    years = re.findall(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", text)
    if not years or len(text) > 40 or len(text.split()) > 6:
        return None  # a sentence that mentions a date is not a date line
    import dateparser  # slow import (~0.2 s): only when our own patterns failed

    settings: Any = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["custom-formats", "absolute-time"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        moment = dateparser.parse(text, settings=settings)
    except Exception:  # dateparser raises many types on odd input
        return None
    if moment is None or str(moment.year) not in years:
        return None
    return _from_datetime(moment)


def parse_date_value(value: Any) -> tuple[str, str] | None:
    """An ISO value and its precision from a record field or a date line, or None.

    Accepts ISO 8601, RFC 2822 (RSS ``pubDate``), Unix epochs in seconds or milliseconds,
    English written dates, and (through dateparser, strictly) other written dates. Relative
    expressions ("yesterday", "2 hours ago") are refused: they would need the ingest time.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        seconds = float(value) / 1000 if value > 10_000_000_000 else float(value)
        if not 0 < seconds < 4_102_444_800:
            return None
        return _from_datetime(datetime.fromtimestamp(seconds, tz=UTC))
    text = str(value).strip()
    if not text or len(text) > 100:
        return None
    if re.fullmatch(r"\d{10}|\d{13}", text):
        return parse_date_value(int(text))
    if re.fullmatch(r"\d{4}", text):
        year = _valid(int(text))
        return (text, "year") if year else None
    if re.fullmatch(r"\d{4}-\d{2}", text):
        month = _valid(int(text[:4]), int(text[5:]))
        return (text, "month") if month else None
    if _ISO_FULL.match(text):
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError:
            return None
        if len(text) == 10:
            return (text, "day") if _valid(moment.year) else None
        return _from_datetime(moment)
    if _RFC2822.fullmatch(text):
        try:
            return _from_datetime(email.utils.parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
    if re.fullmatch(r"[\d\s./-]+", text):
        return _parse_words(text)  # numeric: our own rules refuse the ambiguous ones
    return _parse_words(text) or _parse_with_dateparser(text)


# ---------------------------------------------------------------- sources, in precedence order


def record_date(fields: dict[str, Any]) -> DateFinding | None:
    """The publication date from the input record's date fields (see `DATE_FIELDS`)."""
    for key in DATE_FIELDS:
        parsed = parse_date_value(fields.get(key))
        if parsed is not None:
            return DateFinding(parsed[0], parsed[1], "record", f"{key}: {fields[key]}")
    return None


#: The last page parsed and its tree (None when lxml refused it): the date stage reads the same
#: page's metadata and its header, and one parse serves both. Neither reader changes the tree.
#: One tuple, replaced whole, so a reader never pairs one page with another's tree.
_LAST_PARSE: list[tuple[str, Any]] = [("", None)]


def _parsed(html: str) -> Any:
    """``lxml.html.fromstring(html)``, or None where it raises; the last page's tree is reused
    (the date stage passes the same string twice, ``html[:2_000_000]`` is ``html`` below that)."""
    last_html, last_tree = _LAST_PARSE[0]
    if last_html and last_html == html:
        return last_tree
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        tree = None
    _LAST_PARSE[0] = (html, tree)
    return tree


def html_meta_date(html: str) -> DateFinding | None:
    """The publication date from the page's metadata only, through htmldate.

    Even with ``extensive_search=False`` htmldate 1.11 falls back to date-like classes, ``<time>``
    elements, the title and finally any date in the body text. So it is given a document made of
    the page's ``<meta>`` elements and JSON-LD blocks and nothing else (no canonical link either:
    the URL is a source of its own, with its own label).
    """
    from htmldate import find_date as htmldate_find_date
    from lxml import etree

    tree = _parsed(html)
    if tree is None:
        return None
    parts = [
        etree.tostring(el, encoding="unicode", with_tail=False)
        for el in tree.xpath('//meta|//script[@type="application/ld+json"]')
    ]
    if not parts:
        return None
    doc = f"<html><head>{''.join(parts)}</head><body></body></html>"
    try:
        found = htmldate_find_date(
            doc, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"
        )
    except Exception:  # a broken page yields no date, not a failed article
        return None
    if not found:
        return None
    return DateFinding(found, "day", "html-meta", "meta/JSON-LD")


def url_date(url: str | None) -> DateFinding | None:
    """A date in a URL path: ``/2021/08/18/`` (day), ``/2021/08/`` (month), ``/20210818/``."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]*", "", url.strip().strip("<>"))[:2000]
    match = _URL_DATE.search(path)
    if match is None:
        return None
    if match.group("cy"):
        found = _valid(int(match.group("cy")), int(match.group("cm")), int(match.group("cd")))
        return DateFinding(found.isoformat(), "day", "url", url) if found else None
    year, month = int(match.group("y")), int(match.group("m"))
    if match.group("d"):
        found = _valid(year, month, int(match.group("d")))
        return DateFinding(found.isoformat(), "day", "url", url) if found else None
    found = _valid(year, month)
    return DateFinding(_fmt(found, "month"), "month", "url", url) if found else None


def _date_line_values(line: str) -> list[tuple[str, str, bool]]:
    """``(value, precision, is_update)`` for each date on a date line, or [] for other lines.

    The line must be *only* dates with their labels ("Published: 10 July 2024 | Updated: 11 July
    2024", "Posted on June 19, 2024 by Staff Reporter", "چهارشنبه ۰۴ مهر ۱۴۰۳ - ۱۱:۲۰"): a
    sentence that mentions a date is not a date line.
    """
    line = re.sub(r"[*_#`]+", "", line).strip()
    if not line or len(line) > 120:
        return []
    found: list[tuple[str, str, bool]] = []
    for part in _DATE_LINE_PARTS.split(line):
        part = part.strip(" ,;|")
        if not part:
            continue
        update = _UPDATED_LABEL.match(part)
        body = part[update.end() :] if update else _DATE_LINE_LABEL.sub("", part)
        parsed = parse_date_value(body) or parse_date_value(_BY_TAIL.sub("", body))
        if parsed is None:
            parsed = solar_hijri_date(body)
        if parsed is None:
            if found and _TIME_ONLY.fullmatch(part):
                continue  # "5 Jan 2020 | 14:05": the time of the date before it
            if not found and _BY_RE_START.match(part):
                continue  # "By Jane Roe | 10 July 2024": a byline before the date
            return []
        found.append((parsed[0], parsed[1], update is not None))
    return found


_BY_RE_START = re.compile(r"^(?:by|von|par|por)\s", re.IGNORECASE)
_TIME_ONLY = re.compile(
    r"(?:at\s)?\d{1,2}[:.]\d{2}(?::\d{2})?\s?(?:[AaPp]\.?[Mm]\.?)?\s?[A-Z]{0,5}"
)


def _date_line_value(line: str) -> tuple[str, str] | None:
    """The publication date on a date line, skipping "Updated ..." parts (None if only those)."""
    for value, precision, update in _date_line_values(line):
        if not update:
            return value, precision
    return None


def date_line_date(
    text: str, removed: Iterable[Removed], html: str | None = None
) -> DateFinding | None:
    """A date from a line that is only a date: a removed ``date_line`` item, one of the first
    five lines of the text, or a date element in the header of an HTML page (`html_header_lines`).

    An "Updated ..." date is the last modification, not the publication: a published date on any
    of these lines wins; only when the article gives nothing else is the update used, with the
    source ``date-line (updated)`` (the article existed by then, so it is never too early by much
    and never later than the truth).
    """
    lines = [
        line for item in removed if item.reason == "date_line" for line in item.text.splitlines()
    ]
    lines += [line.strip() for line in text[:5_000].splitlines() if line.strip()][:5]
    if html:
        lines += html_header_lines(html)
    updated: DateFinding | None = None
    for line in lines:
        for value, precision, update in _date_line_values(line):
            if not update:
                return DateFinding(value, precision, "date-line", line.strip())
            if updated is None:
                updated = DateFinding(value, precision, "date-line (updated)", line.strip())
    return updated


#: Elements whose class, id or itemprop marks a date in a page header ("date", "post-meta"...).
_DATE_CLASS = re.compile(r"date|time|publish|posted|updated|byline|meta", re.IGNORECASE)
MAX_HEADER_LINES = 20


def html_header_lines(html: str) -> list[str]:
    """Short texts of the date elements in a page's header, before the first body paragraph.

    trafilatura keeps the body and drops the header's "Published on 11 July 2024", and the date
    stage reads the page's ``<meta>`` only (`html_meta_date`). Elements after the first paragraph
    of a dozen words are left out: those are sidebars and "related" lists that date *other*
    articles. A ``<time datetime=...>`` contributes its attribute as well as its text.
    """
    tree = _parsed(html[:2_000_000])
    if tree is None:
        return []
    lines: list[str] = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "p" and len(el.text_content().split()) >= 12:
            break
        marks = " ".join(el.get(a, "") for a in ("class", "id", "itemprop"))
        if el.tag != "time" and not _DATE_CLASS.search(marks):
            continue
        if el.tag == "time" and el.get("datetime"):
            lines.append(el.get("datetime", "").strip())
        content = " ".join(el.text_content().split())
        if content and len(content) <= 120:
            lines.append(content)
        if len(lines) >= MAX_HEADER_LINES:
            break
    return lines


# ---------------------------------------------------------------- Solar Hijri (Iranian) dates

_PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_JALALI_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
_JALALI_WEEKDAY = re.compile(
    r"^(?:شنبه|یک\u200c?\s?شنبه|دو\u200c?\s?شنبه|سه\u200c?\s?شنبه|چهار\u200c?\s?شنبه"
    r"|پنج\u200c?\s?شنبه|جمعه)[\s،,]*"
)
_JALALI_DATE = re.compile(
    rf"(?P<d>\d{{1,2}})\s+(?P<m>{'|'.join(_JALALI_MONTHS)})\s+(?P<y>1[34]\d\d)"
    r"(?:\s*(?:[-–،,|]\s*)?(?:ساعت\s*)?\d{1,2}:\d{2}(?::\d{2})?)?"
)


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date:
    """The Gregorian date of a Solar Hijri (Iranian calendar) date, by ``persiantools`` (the
    33-year rule with the official calendar's corrections). Raises ValueError for a day the
    month does not have (30 Esfand outside a leap year, 31 Mehr)."""
    return JalaliDate(jy, jm, jd).to_gregorian()


def solar_hijri_date(text: str) -> tuple[str, str] | None:
    """``(iso_day, "day")`` for a line that is only a Solar Hijri date, or None.

    "چهارشنبه ۰۴ مهر ۱۴۰۳ - ۱۱:۲۰" (Wednesday 4 Mehr 1403, 11:20) -> 2024-09-25. Persian and
    Arabic-Indic digits are read; the weekday and the time are allowed around the date.
    """
    line = " ".join(text.translate(_PERSIAN_DIGITS).split())
    if not line or len(line) > 80:
        return None
    match = _JALALI_DATE.fullmatch(_JALALI_WEEKDAY.sub("", line))
    if match is None:
        return None
    jm = _JALALI_MONTHS.index(match.group("m")) + 1
    try:
        found = jalali_to_gregorian(int(match.group("y")), jm, int(match.group("d")))
    except ValueError:  # a day the month does not have
        return None
    return (found.isoformat(), "day") if _valid(found.year) else None


def _urls(article: Article) -> list[str]:
    urls = [u for u in (article.url, article.canonical_url) if u]
    for item in article.removed:
        if item.reason == "original_url":
            urls += re.findall(r"https?://[^\s<>()\"']{1,2000}", item.text)
    return urls


def date_candidates(article: Article) -> list[DateFinding]:
    """Every publication date the article offers, in precedence order (record first)."""
    found: list[DateFinding] = []
    if isinstance(article.fields, dict) and article.fields:
        record = record_date(article.fields)
        if record is not None:
            found.append(record)
    if article.published and article.date_source:
        precision = article.date_precision or _precision_of(article.published)
        found.append(DateFinding(article.published, precision, article.date_source))
    elif article.html:
        meta = html_meta_date(article.html)
        if meta is not None:
            found.append(meta)
    for url in _urls(article):
        from_url = url_date(url)
        if from_url is not None:
            found.append(from_url)
            break
    line = date_line_date(article.text, article.removed, article.html)
    if line is not None:
        found.append(line)
    return found


def _precision_of(value: str) -> str:
    if len(value) == 4:
        return "year"
    if len(value) == 7:
        return "month"
    return "datetime" if "T" in value else "day"


def _agrees(coarse: DateFinding, fine: DateFinding) -> bool:
    return fine.value.startswith(coarse.value) or fine.day.startswith(coarse.day)


def choose_date(candidates: list[DateFinding]) -> DateFinding | None:
    """The first candidate, refined by a later one that agrees and is more precise."""
    if not candidates:
        return None
    best = candidates[0]
    for other in candidates[1:]:
        if _RANK[other.precision] < _RANK[best.precision] and _agrees(best, other):
            best = other
    return best


def find_date(article: Article) -> DateFinding | None:
    """The publication date of an article with its source and precision, or None.

    Precedence: record > html-meta > url > date-line (module docstring). Never the ingest time,
    never a file's modification time, never a date merely mentioned in the body.
    """
    return choose_date(date_candidates(article))


def disagreements(candidates: list[DateFinding], chosen: DateFinding) -> list[str]:
    """Human-readable notes for sources whose date contradicts the chosen one."""
    notes = []
    for other in candidates:
        if other is chosen or _agrees(other, chosen) or _agrees(chosen, other):
            continue
        notes.append(
            f"date sources disagree: {other.source} says {other.value}, "
            f"kept {chosen.source} {chosen.value}"
        )
    return notes


# ---------------------------------------------------------------- lower bound from the text


def _mention_date(match: re.Match[str]) -> tuple[date, str, bool] | None:
    """(date, precision, needs_context_year) for one `_MENTION` match, or None if invalid.

    Mentions without a year get year 1 as a placeholder and ``needs_context_year=True``.
    """
    g = match.group
    if g("iso_y"):
        found = _valid(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
        return (found, "day", False) if found else None
    if g("num_y"):
        # 07/09/2021 is 7 September or 9 July: for a lower bound the earlier reading is safe.
        a, b, y = int(g("num_a")), int(g("num_b")), int(g("num_y"))
        readings = [d for d in (_valid(y, b, a), _valid(y, a, b)) if d]
        return (min(readings), "day", False) if readings else None
    if g("mdy_y"):
        found = _valid(int(g("mdy_y")), _month_number(g("mdy_m")), _day_number(g("mdy_d")))
        return (found, "day", False) if found else None
    if g("dmy_y"):
        found = _valid(int(g("dmy_y")), _month_number(g("dmy_m")), _day_number(g("dmy_d")))
        return (found, "day", False) if found else None
    if g("my_y"):
        found = _valid(int(g("my_y")), _month_number(g("my_m")))
        return (found, "month", False) if found else None
    if g("md_m"):
        return _placeholder(_month_number(g("md_m")), _day_number(g("md_d")), "day")
    if g("dm_m"):
        return _placeholder(_month_number(g("dm_m")), _day_number(g("dm_d")), "day")
    if g("mo_m"):
        return _placeholder(_month_number(g("mo_m")), 1, "month")
    if g("y_y"):
        found = _valid(int(g("y_y")))
        return (found, "year", False) if found else None
    return None


def _placeholder(month: int, day: int, precision: str) -> tuple[date, str, bool] | None:
    try:
        return date(2000, month, day), precision, True  # 2000: leap year, so 29 Feb is valid
    except ValueError:
        return None


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
    for value, precision, context_year, start, end in _past_mentions(text):
        if context_year == 0:
            continue
        if context_year is not None:
            resolved = _valid(context_year, value.month, value.day)
            if resolved is None:
                continue
            value = resolved
        evidence = _sentence_around(text, start, end)
        yield DateBound(value.isoformat(), precision, evidence, start)


def _past_mentions(text: str) -> Iterator[tuple[date, str, int | None, int, int]]:
    """``(date, precision, context_year, start, end)`` for each mention outside a future clause.

    ``context_year`` is None for a mention with its own year, the year of the nearest earlier
    absolute mention for a year-less one, and 0 for a year-less one with no such mention.
    """
    context_year: int | None = None
    for match in _MENTION.finditer(text):
        found = _mention_date(match)
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


def yearless_mentions(text: str) -> list[dict[str, Any]]:
    """Month-day mentions without a year and without an earlier year to lend them one.

    "announced the formation of a caretaker government on September 7" in an article that names
    no year: the date stage cannot resolve it, but a dated copy or a dated article of the same
    story can (`storyline.update.dates_from_context`). Only past-tense sentences outside future
    clauses count. Each item: ``{"month", "day", "evidence"}``, in text order, without repeats.
    """
    text = _blank_urls(text)
    found: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    for value, precision, context_year, start, end in _past_mentions(text):
        if context_year != 0 or precision != "day" or (value.month, value.day) in seen:
            continue
        evidence = _sentence_around(text, start, end)
        if not _PAST_HINT.search(evidence):
            continue
        seen.add((value.month, value.day))
        found.append({"month": value.month, "day": value.day, "evidence": evidence})
    return found


def _better(a: DateBound, b: DateBound | None) -> bool:
    if b is None:
        return True
    if a.value != b.value:
        return a.value > b.value
    return _RANK[a.precision] < _RANK[b.precision]


#: Removed items that belong to the article itself and may carry a date (a caption's photo date
#: is before publication). Teasers, promos and link dumps point at *other* articles: never used.
BOUND_REASONS = frozenset({"caption", "title", "repeated_headline", "date_line"})


def latest_absolute_date(text: str, removed: Iterable[Removed] = ()) -> DateBound | None:
    """The latest absolute date mentioned in the text (and in captions and the title), or None."""
    best: DateBound | None = None
    for mention in absolute_mentions(text):
        if _better(mention, best):
            best = mention
    for item in removed:
        if item.reason not in BOUND_REASONS:
            continue
        for mention in absolute_mentions(item.text):
            if _better(mention, best):
                best = DateBound(mention.value, mention.precision, mention.evidence, -1)
    return best


def find_date_bound(text: str, removed: list[Removed]) -> tuple[str, str] | None:
    """``(iso_date, evidence_sentence)`` for the date an undated article cannot predate.

    Month-only mentions give the first day of the month, year-only the first of January. This is
    a lower bound, never the publication date.
    """
    bound = latest_absolute_date(text, removed)
    return (bound.value, bound.evidence) if bound else None


class DateStage(Stage):
    """Sets the publication date with source and precision, or a lower bound when undated."""

    name = "date"
    version = "2"
    reads = ("text", "removed", "url", "fields")
    adds = ("published", "date_precision", "date_source", "date_not_before", "date_bound_evidence")

    def process(self, article: Article) -> None:
        candidates = date_candidates(article)
        chosen = choose_date(candidates)
        if chosen is not None:
            article.published = chosen.value
            article.date_precision = chosen.precision
            article.date_source = chosen.source
            article.provenance["published"] = chosen.source
            article.date_not_before = None
            article.date_bound_evidence = None
            for note in disagreements(candidates, chosen):
                if note not in article.problems:
                    article.problems.append(note)
            return
        bound = latest_absolute_date(article.text, article.removed)
        if bound is not None:
            article.date_not_before = bound.value
            article.date_bound_evidence = bound.evidence
            article.provenance["date_not_before"] = "text-bound"
            article.extras["date_bound_precision"] = bound.precision
        yearless = yearless_mentions(article.text)
        if yearless:
            article.extras["yearless_dates"] = yearless
