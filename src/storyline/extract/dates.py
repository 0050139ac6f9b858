"""Publication dates with their provenance and precision, and lower bounds for undated articles.

A wrong date is worse than none: it puts a story on the wrong day of a timeline and makes a
reprint look like the original. So every date says where it came from (``date_source``) and how
precise it is (``date_precision``), and the ingest time or a file's mtime is never used.

Candidates, in precedence order (see docs/metadata.md):

1. ``record``: a date field of the input record (``date``, ``published``, ``pubDate``...).
2. ``html-meta``: a date the HTML extractor already set, else the page's ``<meta>`` and JSON-LD
   read with htmldate on a copy of the page that holds nothing else (see `html_meta_date`).
3. ``url``: a day in the URL path (``/2021/08/18/``, ``/20210818/``, ``/2003/03/20030331_x``).
4. ``date-line``: a date line the cleaner removed, a first line of the text that is only a date
   (labels in several languages, times, bylines and Solar Hijri dates allowed), a date element
   in an HTML page's header, or an element marked as the publication date anywhere.
5. ``html-script``: a publication key in the page's other scripts (``"publishedAt": ...``).
6. ``htmldate``: htmldate's whole search, asked only when nothing above gives a day and no feed
   gave the item's date.
7. ``url`` month (``/2021/08/``), then ``date-line (updated)``, then ``html-meta (updated)`` (a
   modified time in the metadata, the page's only metadata date): only when nothing else dates
   it.
8. ``url`` in six digits: an old static site's "yymmdd" folder or file name
   (``/981117/local3.htm``), only when nothing above dates the page.
9. ``feed``: the date a feed or news sitemap gave for the article (``fields["feed"]``), used only
   when the page itself gives none; more than a day away from the page's date, it is noted.

The first candidate wins unless better evidence overrules it (`choose_date`): a URL day over a
metadata date on another day, two agreeing sources over a lone one, a visible local day over a
UTC time one day away. A later source that agrees and is more precise refines the winner (URL
gives the month, the date line the day). Disagreements are recorded as problems.

For an undated article, `find_date_bound` gives the latest *absolute* date the text mentions: the
article cannot be older than a date it reports. It is stored as ``date_not_before``, never as the
date. The scanner is our own regexes, not dateparser's ``search_dates``: on the sample seeds that
call turned "the 17th extraordinary session" into a date in 2017, "20 years of" into a date 20
years before today, "on Monday" into today, and filled the missing day of "August 2021" with
today's day of month, i.e. it leaks the ingest time into the result, which is the one thing a
publication date must never contain. It is also ~10 ms to ~100 ms per article.

This module is the stage: it gathers the candidates, chooses one and reports disagreements. The
parts live next to it: `date_values` reads one date value, `date_sources` holds the four sources,
`solar_hijri` the Iranian calendar, `date_mentions` the lower bound and the year-less mentions.
Their public names are re-exported here.
"""

from __future__ import annotations

import re

from storyline.article import Article
from storyline.extract.date_mentions import (
    BOUND_REASONS,
    DateBound,
    absolute_mentions,
    find_date_bound,
    latest_absolute_date,
    yearless_mentions,
)
from storyline.extract.date_sources import (
    DATE_FIELDS,
    FIRST_SENTENCE,
    GENERIC_META,
    IMPORT_NOTE,
    MAX_HEADER_LINES,
    STATED,
    DateFinding,
    badge_day,
    date_line_date,
    date_line_dates,
    feed_date,
    feed_disagreement,
    html_header_lines,
    html_import_day,
    html_meta_date,
    html_script_date,
    html_stated_date,
    htmldate_date,
    kicker_led,
    not_a_writing,
    record_date,
    url_date,
    url_short_day,
)
from storyline.extract.date_values import (
    MAX_YEAR,
    MIN_YEAR,
    PRECISION_RANK,
    PRECISIONS,
    parse_date_value,
)
from storyline.extract.solar_hijri import jalali_to_gregorian, solar_hijri_date
from storyline.pipeline import Stage

__all__ = [
    "BOUND_REASONS",
    "DATE_FIELDS",
    "MAX_HEADER_LINES",
    "MAX_YEAR",
    "MIN_YEAR",
    "PRECISIONS",
    "DateBound",
    "DateFinding",
    "DateStage",
    "absolute_mentions",
    "choose_date",
    "date_candidates",
    "date_line_date",
    "disagreements",
    "find_date",
    "find_date_bound",
    "html_header_lines",
    "html_meta_date",
    "html_script_date",
    "htmldate_date",
    "jalali_to_gregorian",
    "latest_absolute_date",
    "parse_date_value",
    "record_date",
    "solar_hijri_date",
    "url_date",
    "yearless_mentions",
]


def _urls(article: Article) -> list[str]:
    urls = [u for u in (article.url, article.canonical_url) if u]
    for item in article.removed:
        if item.reason == "original_url":
            urls += re.findall(r"https?://[^\s<>()\"']{1,2000}", item.text)
    return urls


def date_candidates(article: Article) -> list[DateFinding]:
    """Every publication date the article offers, in precedence order (record first).

    htmldate's whole search (`htmldate_date`) is asked only when no other source dates the
    article to the day: it costs a second pass over the page and answers from weaker evidence.
    """
    found: list[DateFinding] = []
    if isinstance(article.fields, dict) and article.fields:
        record = record_date(article.fields)
        if record is not None:
            found.append(record)
    if article.html and not_a_writing(article.html):
        return found  # a tag archive, a profile, a product: its dates are the listed items'
    if article.published and article.date_source:
        precision = article.date_precision or _precision_of(article.published)
        found.append(DateFinding(article.published, precision, article.date_source))
    meta_update: DateFinding | None = None
    if not (article.published and article.date_source) and article.html:
        meta = html_meta_date(article.html)
        if meta is not None and meta.source == "html-meta":
            found.append(meta)
        else:
            meta_update = meta  # a modified time only: after every source, as an update
    month_url: DateFinding | None = None
    for url in _urls(article):
        from_url = url_date(url)
        if from_url is not None:
            if from_url.precision == "month":
                month_url = month_url or from_url
                continue
            found.append(from_url)
            break
    published, updated = date_line_dates(article.text, article.removed, article.html)
    if published is not None:
        found.append(published)
    if article.html:
        stated = html_stated_date(article.html)
        if stated is not None:
            found.append(stated)
        imported = html_import_day(article.html)
        if imported is not None:
            found.append(imported)  # never chosen: it marks the migration's day (choose_date)
        script = html_script_date(article.html)
        if script is not None:
            found.append(script)
        if month_url is not None and not any(_day_level(f) for f in found):
            badge = badge_day(article.html, month_url.value[:7])
            if badge is not None:  # a badge's "12 / Mar" settles the address's month
                found.append(badge)
        # a feed's date for the item is the publisher's own word, stronger than a date htmldate
        # finds somewhere in the text: with one, the whole search is not asked
        if not any(_day_level(f) for f in found) and feed_date(article.fields) is None:
            fallback = htmldate_date(article.html)
            if fallback is not None:
                found.append(fallback)
    if month_url is not None:
        found.append(month_url)
    if updated is not None:
        found.append(updated)
    if meta_update is not None:
        found.append(meta_update)
    if not found and feed_date(article.fields) is None:
        # an old static site's "/nieuws/060307.htm": six digits, asked last (a feed's date for
        # the item is the publisher's word, stronger), and not before a day the text reports
        short = next((d for url in _urls(article) if (d := url_short_day(url)) is not None), None)
        later = latest_absolute_date(article.text) if short is not None else None
        if short is not None and (later is None or later.value <= short.day):
            found.append(short)
    return found


def _placeholder(finding: DateFinding) -> bool:
    """A metadata date on 1 January at midnight (or without a time): what a CMS template or an
    import writes when it has no date ("2014-01-01T00:00:00"), not a moment someone published.
    The metadata reader reports days; whether the page wrote a time is in ``midnight``."""
    value = finding.value
    if value[4:10] != "-01-01":
        return False
    if len(value) > 10:
        return value[10:16] == "T00:00"
    return finding.midnight


def _day_level(finding: DateFinding) -> bool:
    return PRECISION_RANK[finding.precision] <= PRECISION_RANK["day"]


def _precision_of(value: str) -> str:
    if len(value) == 4:
        return "year"
    if len(value) == 7:
        return "month"
    return "datetime" if "T" in value else "day"


def _agrees(coarse: DateFinding, fine: DateFinding) -> bool:
    return fine.value.startswith(coarse.value) or fine.day.startswith(coarse.day)


#: A printed day at least this long before the metadata's is the publication and the metadata
#: a migration's or a re-save's (archives moved months or years later); closer, it may be a
#: sidebar's or a teaser's day, and the metadata keeps its precedence.
MIGRATED_DAYS = 30

#: Sources that read different parts of a page, so that two of them agreeing is evidence: the
#: record, the URL, the metadata, a date line and the page's scripts. htmldate re-reads the URL
#: and the metadata, and an update date is another moment: neither votes.
VOTERS = frozenset({"record", "url", "html-meta", "date-line", "html-script"})


def _utc(finding: DateFinding) -> bool:
    return finding.utc or (
        finding.precision == "datetime" and finding.value.endswith(("+00:00", "Z"))
    )


def _days_before(a: DateFinding, b: DateFinding) -> int:
    """How many days ``a`` falls before ``b`` (negative after; 0 when either is unreadable)."""
    from datetime import date

    try:
        return (date.fromisoformat(b.day) - date.fromisoformat(a.day)).days
    except ValueError:
        return 0


def _one_day_apart(a: DateFinding, b: DateFinding) -> bool:
    return abs(_days_before(a, b)) == 1


def _same_moment(stamp: DateFinding, meta: DateFinding) -> bool:
    """Whether the metadata's finding read ``stamp``'s own UTC moment in the outlet's zone
    (`DateFinding.zoned_from`), to the minute."""
    if stamp.precision != "datetime" or not meta.zoned_from:
        return False
    parsed = parse_date_value(meta.zoned_from)
    return parsed is not None and parsed[0][:16] == stamp.value[:16]


def choose_date(candidates: list[DateFinding]) -> DateFinding | None:
    """The first candidate, unless better evidence overrules it, refined by a later one that
    agrees and is more precise.

    Overruled (record dates never are: the data's provider stated them):

    - by a date line, when the metadata date is a placeholder (1 January at midnight,
      `_placeholder`) and the page prints another day, or when the page prints a day
      `MIGRATED_DAYS` or more before the metadata's: a CMS that re-saves or migrates a page
      rewrites its metadata, which then only ever moves later (an archive moved in 2019 whose
      article header still says "Freitag, 12. Jänner 2007"), while a page never prints a day
      before it was published (a date read from the text's first sentence does not count);
      or when the metadata's day came from a generic field (``<meta name="date">``, no field
      naming the publication: `GENERIC_META`) and the page prints an earlier day (a CMS writes
      its last save there: "Erstellt: 22.09.2018" under a ``name="date"`` of 2 October);
      or when the metadata's day is the page's own "Updated ..." day and the page prints an
      earlier published one ("Publicado el 13/02/2008 · Actualizado el 14/02/2008" over a
      ``<meta name="date">`` of the 14th: the metadata is the last save);

    - by the URL: a day in the URL path wins over a metadata date on another day (the path is
      fixed when the page is first published; a CMS re-saving the page rewrites its metadata;
      htmldate ranks the URL first for the same reason);
    - by agreement: two other sources (`VOTERS`) that agree on another day win over the first;
    - by the page's local day: a UTC time (``...Z``, ``+00:00``) one day away from a date line
      gives way to the date line, which states the day where the outlet published, and a UTC
      time read elsewhere (a ``<time>`` element's attribute) gives way to the metadata's
      reading of that moment in the outlet's zone (`page_zone`);
    - by the page's own word: a note stating the article was first published on a day
      `MIGRATED_DAYS` or more before the chosen one (`html_stated_date`) wins over everything
      else the migration rewrote, the byline's date included; and a note naming the chosen day
      as the page's import (`html_import_day`: "importé de notre ancien site le 15 janvier
      2017") hands it to a date line `MIGRATED_DAYS` or more earlier, even where the address
      and the metadata agree on the import's day. The note's own day is never chosen.
    """
    imports = {c.day for c in candidates if c.source == IMPORT_NOTE}
    candidates = [c for c in candidates if c.source != IMPORT_NOTE]
    if not candidates:
        return None
    best = candidates[0]
    if best.source == "html-meta":
        url = next((c for c in candidates if c.source == "url" and _day_level(c)), None)
        if url is not None and url.day != best.day:
            best = url
        else:
            line = next((c for c in candidates if c.source == "date-line" and _day_level(c)), None)
            update = next((c for c in candidates if c.source == "date-line (updated)"), None)
            if line is not None and (
                (_placeholder(best) and line.day != best.day)
                or (
                    _days_before(line, best) >= MIGRATED_DAYS
                    and not line.evidence.startswith(FIRST_SENTENCE)
                    and not kicker_led(line.evidence)
                )
                or (
                    update is not None
                    and update.day == best.day
                    and _days_before(line, best) > 0
                    and not line.evidence.startswith(FIRST_SENTENCE)
                )
                or (
                    best.evidence == GENERIC_META
                    and _days_before(line, best) > 0
                    and not line.evidence.startswith(FIRST_SENTENCE)
                    and not kicker_led(line.evidence)
                )
            ):
                best = line
    if best.source != "record":
        days = [c for c in candidates if c.source in VOTERS and _day_level(c)]
        for other in days:
            if other.day == best.day:
                continue
            support = {c.source for c in days if c.day == other.day}
            if len(support) >= 2 and best.day not in {c.day for c in days if c is not best}:
                best = other
                break
        if _utc(best):
            local = next(
                (
                    c
                    for c in candidates
                    if c.source == "date-line" and not _utc(c) and _one_day_apart(best, c)
                ),
                None,
            )
            if local is None and best.source != "html-meta":
                # the same moment read in the outlet's zone by the metadata reader (an empty
                # "time ago" widget's <time datetime="…Z"> against the page's `en-AU`)
                local = next(
                    (
                        c
                        for c in candidates
                        if c.source == "html-meta"
                        and _same_moment(best, c)
                        and _one_day_apart(best, c)
                    ),
                    None,
                )
            best = local or best
        if best.day in imports:
            # the page names the chosen day as its import's: the metadata and the address
            # carrying it are the migration's, and the byline's earlier day is the article's
            line = next(
                (
                    c
                    for c in candidates
                    if c.source == "date-line"
                    and _day_level(c)
                    and _days_before(c, best) >= MIGRATED_DAYS
                    and not c.evidence.startswith(FIRST_SENTENCE)
                ),
                None,
            )
            best = line or best
        stated = next((c for c in candidates if c.evidence.startswith(STATED)), None)
        if (
            stated is not None
            and best.source not in ("url", "feed")  # fixed when first published
            and _days_before(stated, best) >= MIGRATED_DAYS
        ):
            best = stated
    for other in candidates:
        if other is best or PRECISION_RANK[other.precision] >= PRECISION_RANK[best.precision]:
            continue
        if _agrees(best, other):
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


class DateStage(Stage):
    """Sets the publication date with source and precision, or a lower bound when undated."""

    name = "date"
    version = "43"
    reads = ("text", "removed", "url", "fields")
    adds = ("published", "date_precision", "date_source", "date_not_before", "date_bound_evidence")

    def process(self, article: Article) -> None:
        candidates = date_candidates(article)
        chosen = choose_date(candidates)
        feed = feed_date(article.fields)  # a feed's date: only when the page gives none
        if chosen is None and feed is not None:
            chosen, candidates = feed, [feed]
        elif chosen is not None and feed is not None:
            note = feed_disagreement(feed, chosen)
            if note and note not in article.problems:
                article.problems.append(note)
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
