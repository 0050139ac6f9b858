"""Where a publication date comes from: the record, the page's metadata, the URL, a date line.

Why a module of its own: each source reads a different input (a record's fields, the page's
``<meta>`` and header, the URL path, the first lines of the text) and labels what it finds with
its source; the date stage (`storyline.extract.dates`) only orders and compares these findings.
The sources are listed here in precedence order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storyline.article import Removed
from storyline.extract.date_values import format_date, parse_date_value, valid_date
from storyline.extract.solar_hijri import solar_hijri_date

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

_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[/_-])(?P<m>0?[1-9]|1[0-2])"
    r"(?:(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01]))?(?=[/_-]|$|\.html?)"
    r"|/(?P<cy>(?:19|20)\d\d)(?P<cm>0[1-9]|1[0-2])(?P<cd>0[1-9]|[12]\d|3[01])(?=[/_-])"
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
        found = valid_date(int(match.group("cy")), int(match.group("cm")), int(match.group("cd")))
        return DateFinding(found.isoformat(), "day", "url", url) if found else None
    year, month = int(match.group("y")), int(match.group("m"))
    if match.group("d"):
        found = valid_date(year, month, int(match.group("d")))
        return DateFinding(found.isoformat(), "day", "url", url) if found else None
    found = valid_date(year, month)
    return DateFinding(format_date(found, "month"), "month", "url", url) if found else None


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


#: How far a feed's date may be from the page's own date before the difference is noted: feeds
#: and pages often state one moment in two time zones, or the feed the time it was republished.
FEED_TOLERANCE_DAYS = 1


def feed_date(fields: Any) -> DateFinding | None:
    """The publication date a feed or news sitemap gave for the article (``fields["feed"]``, put
    there by `storyline.sources.feeds.FeedItem.article` with ``provenance: feed``).

    It ranks below every date the page itself gives: the date stage uses it only when the page
    has none, and notes a disagreement of more than `FEED_TOLERANCE_DAYS` (`feed_disagreement`).
    """
    feed = fields.get("feed") if isinstance(fields, dict) else None
    if not isinstance(feed, dict) or feed.get("provenance") != "feed":
        return None
    for key in ("published", "published_raw"):
        parsed = parse_date_value(feed.get(key))
        if parsed is not None:
            evidence = f"feed {feed.get('feed', '')}: {feed.get('published_raw') or feed[key]}"
            return DateFinding(parsed[0], parsed[1], "feed", evidence[:300])
    return None


def feed_disagreement(feed: DateFinding, chosen: DateFinding) -> str | None:
    """A note when the feed's date is more than `FEED_TOLERANCE_DAYS` away from the date the
    page gave (for a page date of month or year precision: when the feed's day lies outside it).
    """
    from datetime import date

    if len(chosen.day) < 10 or len(feed.day) < 10:
        coarse, fine = sorted((chosen.day, feed.day), key=len)
        if fine.startswith(coarse):
            return None
    else:
        try:
            gap = abs((date.fromisoformat(feed.day) - date.fromisoformat(chosen.day)).days)
        except ValueError:
            return None
        if gap <= FEED_TOLERANCE_DAYS:
            return None
    return (
        f"date sources disagree: feed says {feed.value}, kept {chosen.source} {chosen.value} "
        "(a feed's date is used only when the page gives none)"
    )
