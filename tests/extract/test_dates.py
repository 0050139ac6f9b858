"""Publication dates (source, precision, precedence) and lower bounds for undated articles."""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path
from typing import Any

import pytest

from storyline.article import Article, Removed
from storyline.extract import date_mentions, date_sources, date_values, dates, solar_hijri
from storyline.extract.dates import (
    DateFinding,
    DateStage,
    date_line_date,
    find_date,
    find_date_bound,
    html_meta_date,
    latest_absolute_date,
    parse_date_value,
    url_date,
)
from storyline.pipeline import run_one
from storyline.testing import compiled_patterns


def R(text: str, reason: str) -> Removed:  # short name: table helper
    return Removed(text=text, reason=reason)


PARSE_CASES: list[tuple[Any, tuple[str, str] | None]] = [
    ("2021-08-18", ("2021-08-18", "day")),
    ("2021-08", ("2021-08", "month")),
    ("2021", ("2021", "year")),
    ("2021-08-18T10:15:00Z", ("2021-08-18T10:15:00+00:00", "datetime")),
    ("2021-08-18 10:15:00+04:30", ("2021-08-18T10:15:00+04:30", "datetime")),
    ("2021-08-18T00:00:00", ("2021-08-18", "day")),
    ("Wed, 18 Aug 2021 06:30:00 GMT", ("2021-08-18T06:30:00+00:00", "datetime")),
    ("Wed, 18 Aug 2021 06:30:00 +0430", ("2021-08-18T06:30:00+04:30", "datetime")),
    (1629268200, ("2021-08-18T06:30:00+00:00", "datetime")),
    (1629268200000, ("2021-08-18T06:30:00+00:00", "datetime")),
    ("1629268200", ("2021-08-18T06:30:00+00:00", "datetime")),
    ("August 27, 2021", ("2021-08-27", "day")),
    ("Aug. 27, 2021", ("2021-08-27", "day")),
    ("27 August 2021", ("2021-08-27", "day")),
    ("Friday, 27 August 2021 10:32 PKT", ("2021-08-27", "day")),
    ("AUGUST 27, 2021", ("2021-08-27", "day")),
    ("September 2021", ("2021-09", "month")),
    ("27.08.2021", ("2021-08-27", "day")),
    ("27. August 2021", ("2021-08-27", "day")),
    ("18 août 2021", ("2021-08-18", "day")),
    # Refused: relative, year-less, ambiguous, out of range, not dates.
    ("yesterday", None),
    ("2 hours ago", None),
    ("August 18", None),
    ("07/09/2021", None),
    ("2021-02-30", None),
    ("1066-10-14", None),
    ("", None),
    (None, None),
    (True, None),
    ("the 17th", None),
]


@pytest.mark.parametrize(("value", "expected"), PARSE_CASES)
def test_parse_date_value(value: Any, expected: tuple[str, str] | None) -> None:
    assert parse_date_value(value) == expected


URL_CASES = [
    ("https://www.themoscowtimes.com/2021/08/18/iran-says-ready-a74833", "2021-08-18", "day"),
    ("https://example.com/news/2021/08/some-story", "2021-08", "month"),
    ("https://example.com/20210818/story.html", "2021-08-18", "day"),
    ("https://example.com/world/2021-08-18-story", "2021-08-18", "day"),
    ("https://example.com/2021/8/5/story", "2021-08-05", "day"),
    ("https://example.com/2021/13/40/story", None, None),
    ("https://example.com/item/1234567890", None, None),
    ("https://example.com/2021-in-review", None, None),
    ("", None, None),
]


def test_a_line_without_a_day_number_never_reaches_dateparser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """dateparser tries every language before it fails (~45 ms a line, seconds for a process's
    first): lines with a year but no day in digits cannot give a day-precise date."""
    import dateparser

    calls: list[str] = []

    def parse(text: str, **kwargs: Any) -> Any:
        calls.append(text)
        return None

    monkeypatch.setattr(dateparser, "parse", parse)
    for line in ("Copyright 2021 Foo Bar", "Issue 2021 of the review", "Archiv 2019"):
        assert date_values.parse_date_value(line) is None
    assert calls == []
    assert date_values.parse_date_value("Ausgabe 3, 2019") is None
    assert calls == ["Ausgabe 3, 2019"]


@pytest.mark.parametrize(("url", "value", "precision"), URL_CASES)
def test_url_date(url: str, value: str | None, precision: str | None) -> None:
    found = url_date(url)
    assert ((found.value, found.precision) if found else (None, None)) == (value, precision)
    if found:
        assert found.source == "url"


DATE_LINE_CASES: list[tuple[str, list[Removed], str | None]] = [
    (
        "Body text that is long enough to be a paragraph of the article.",
        [R("August 27, 2021", "date_line")],
        "2021-08-27",
    ),
    ("August 27, 2021\n\nBody text that is long enough to be a paragraph.", [], "2021-08-27"),
    (
        "Published: 18 Aug 2021\n\nBody text that is long enough to be a paragraph.",
        [],
        "2021-08-18",
    ),
    (
        "**Posted on September 3, 2021**\n\nBody text long enough to be a paragraph.",
        [],
        "2021-09-03",
    ),
    # Only an update: used (source "date-line (updated)", see test_updated_line_is_a_fallback).
    (
        "Updated: August 27, 2021\n\nBody text that is long enough to be a paragraph.",
        [],
        "2021-08-27",
    ),
    ("The talks took place on August 27, 2021 in the capital of the country.", [], None),
    (
        "Body one.\n\nBody two.\n\nBody three.\n\nBody four.\n\nBody five.\n\nAugust 27, 2021",
        [],
        None,
    ),
]


@pytest.mark.parametrize(("text", "removed", "expected"), DATE_LINE_CASES)
def test_date_line_date(text: str, removed: list[Removed], expected: str | None) -> None:
    found = date_line_date(text, removed)
    assert (found.value if found else None) == expected


def _article(**kw: Any) -> Article:
    article = Article(source="test", text=kw.pop("text", "A body paragraph without any dates."))
    for key, value in kw.items():
        setattr(article, key, value)
    return article


PRECEDENCE_CASES: list[tuple[dict[str, Any], tuple[str, str, str] | None]] = [
    (
        {
            "fields": {"pubDate": "Wed, 18 Aug 2021 06:30:00 GMT"},
            "url": "https://x.com/2021/08/17/a",
            "removed": [R("August 16, 2021", "date_line")],
        },
        ("2021-08-18T06:30:00+00:00", "datetime", "record"),
    ),
    (
        {"fields": {"timestamp": "2024-01-01T00:00:00Z", "date_download": "2024-01-01"}},
        None,
    ),
    (
        {
            "published": "2021-08-18",
            "date_source": "html-meta",
            "url": "https://x.com/2021/07/01/a",
        },
        # A day in the URL path beats the metadata (a CMS re-saving a page rewrites its meta).
        ("2021-07-01", "day", "url"),
    ),
    (
        {"url": "https://x.com/2021/08/18/a", "removed": [R("August 18, 2021", "date_line")]},
        ("2021-08-18", "day", "url"),
    ),
    (
        {"url": "https://x.com/2021/08/a", "removed": [R("August 18, 2021", "date_line")]},
        ("2021-08-18", "day", "date-line"),
    ),
    (
        # A month-only URL ranks below a date line's day; the disagreement is noted.
        {"url": "https://x.com/2021/08/a", "removed": [R("July 30, 2021", "date_line")]},
        ("2021-07-30", "day", "date-line"),
    ),
    (
        {"url": "https://x.com/2021/08/a"},
        ("2021-08", "month", "url"),
    ),
    (
        {"removed": [R("<https://x.com/2021/08/18/a>", "original_url")]},
        ("2021-08-18", "day", "url"),
    ),
    ({"removed": [R("August 27, 2021", "date_line")]}, ("2021-08-27", "day", "date-line")),
    ({"text": "Talks were held on August 27, 2021 in Doha, officials said."}, None),
    ({}, None),
]


@pytest.mark.parametrize(("attrs", "expected"), PRECEDENCE_CASES)
def test_find_date_precedence(attrs: dict[str, Any], expected: tuple[str, str, str] | None) -> None:
    found = find_date(_article(**attrs))
    assert ((found.value, found.precision, found.source) if found else None) == expected


META_PAGE = """<html><head><title>Story</title>
<meta property="article:published_time" content="2021-08-18T06:30:00+00:00">
</head><body><p>Updated on 3 September 2021.</p><p>Body text mentions 1 January 2020.</p>
</body></html>"""
BODY_ONLY_PAGE = """<html><head><title>Story</title>
<link rel="canonical" href="https://x.com/2019/05/05/story"></head>
<body><time datetime="2020-02-02">2 February 2020</time><p>Posted 3 September 2021.</p>
</body></html>"""


def test_html_meta_date_reads_metadata() -> None:
    assert html_meta_date(META_PAGE) == DateFinding(
        "2021-08-18",
        "day",
        "html-meta",
        "meta/JSON-LD",
        utc=True,  # written 06:30:00+00:00
    )


def test_html_meta_date_never_guesses_from_the_body_or_the_url() -> None:
    assert html_meta_date(BODY_ONLY_PAGE) is None
    assert html_meta_date("") is None


def test_html_meta_date_from_json_ld() -> None:
    page = (
        '<html><head><script type="application/ld+json">{"@context":"https://schema.org",'
        '"@type":"NewsArticle","datePublished":"2021-08-27T09:00:00Z"}</script></head>'
        "<body><p>Text.</p></body></html>"
    )
    assert html_meta_date(page) is not None
    assert html_meta_date(page).value == "2021-08-27"  # type: ignore[union-attr]


BOUND_CASES: list[tuple[str, list[Removed], str | None, str | None]] = [
    # The issue's own example: a year-less day takes its year from an earlier mention.
    (
        "The group took power in mid-August 2021. It formed a government on September 7, "
        "officials said.",
        [],
        "2021-09-07",
        "It formed a government on September 7, officials said.",
    ),
    (
        "Attacks rose after the Taliban returned to power in August 2021. Earlier this month, "
        "a bombing killed dozens.",
        [],
        "2021-08-01",
        "Attacks rose after the Taliban returned to power in August 2021.",
    ),
    ("They ruled between 1996 and 2001, and relations were tense.", [], "2001-01-01", None),
    ("The deal was signed on 14 July 2015 in Vienna.", [], "2015-07-14", None),
    ("Talks resumed on 2021-09-12 in Doha.", [], "2021-09-12", None),
    ("The note is dated 07/09/2021 in the archive.", [], "2021-07-09", None),
    ("The note is dated 25/09/2021 in the archive.", [], "2021-09-25", None),
    ("In 2019 the envoy visited. On March 3 he returned to the capital.", [], "2019-03-03", None),
    ("He arrived on Sept. 7, 2021, and left on Oct. 2, 2021.", [], "2021-10-02", None),
    (
        "The U.S. envoy said on 15 August 2021 that the embassy would close.",
        [],
        "2021-08-15",
        "The U.S. envoy said on 15 August 2021 that the embassy would close.",
    ),
    (
        "Fighting since early 2020 has displaced many. In late May, aid arrived.",
        [],
        "2020-05-01",
        None,
    ),
    (
        "Pakistan aims to double exports by 2030. The plan was approved in 2019.",
        [],
        "2019-01-01",
        None,
    ),
    # Future and planning clauses are not past facts.
    (
        "The summit will be held on March 3, 2025. Talks began in January 2022.",
        [],
        "2022-01-01",
        None,
    ),
    ("The country targets net zero by 2050, officials said in 2021.", [], "2021-01-01", None),
    ("Troops are expected to leave by September 2021.", [], None, None),
    ("Under Vision 2030 the kingdom is changing.", [], None, None),
    ("Elections are scheduled for October 2024.", [], None, None),
    ("The agreement runs until 2026.", [], None, None),
    # Relative expressions and year-less dates without context are not absolute.
    (
        "On Sunday the minister met his counterpart. Earlier this month, talks stalled.",
        [],
        None,
        None,
    ),
    ("Last year the border closed; next month it may reopen.", [], None, None),
    ("The group announced a government on September 7.", [], None, None),
    ("In mid-August the capital fell.", [], None, None),
    # Numbers that are not years, dates inside URLs.
    ("About 2000 people fled and 1500 troops were deployed.", [], None, None),
    ("Prices rose 2021% said no one; the 17th session met for 20 years of talks.", [], None, None),
    ("Read it at https://x.com/2023/01/05/story and http://1.2.3.4/2022/", [], None, None),
    ("A March on the capital; the Mayor may speak.", [], None, None),
    # Captions and titles count; teasers for other articles do not.
    (
        "No dates here at all.",
        [R("Pictured in Tehran on June 21, 2021. (AFP)", "caption")],
        "2021-06-21",
        None,
    ),
    ("No dates here at all.", [R("Talks collapse on 3 May 2024", "teaser")], None, None),
]


@pytest.mark.parametrize(("text", "removed", "value", "evidence"), BOUND_CASES)
def test_find_date_bound(
    text: str, removed: list[Removed], value: str | None, evidence: str | None
) -> None:
    found = find_date_bound(text, removed)
    assert (found[0] if found else None) == value
    if evidence is not None:
        assert found is not None and found[1] == evidence


def test_bound_precision() -> None:
    assert latest_absolute_date("It began in August 2021.").precision == "month"  # type: ignore[union-attr]
    assert latest_absolute_date("It began in 2021.").precision == "year"  # type: ignore[union-attr]
    assert latest_absolute_date("It began on 3 August 2021.").precision == "day"  # type: ignore[union-attr]


def test_stage_sets_date_and_provenance_and_not_the_bound() -> None:
    article = _article(
        text="It began in August 2019.",
        url="https://x.com/2021/08/18/a",
        removed=[R("August 17, 2021", "date_line")],
    )
    run_one(DateStage(), article)
    assert (article.published, article.date_precision, article.date_source) == (
        "2021-08-18",
        "day",
        "url",
    )
    assert article.provenance["published"] == "url"
    assert article.date_not_before is None and article.date_bound_evidence is None
    assert article.problems == [
        "date sources disagree: date-line says 2021-08-17, kept url 2021-08-18"
    ]


def test_stage_sets_only_a_bound_for_undated_articles() -> None:
    article = _article(
        text="Taliban took power in August 2021. On September 7 they formed a cabinet."
    )
    run_one(DateStage(), article)
    assert article.published is None and article.date_source is None
    assert article.date_not_before == "2021-09-07"
    assert article.date_bound_evidence == "On September 7 they formed a cabinet."
    assert article.provenance == {"date_not_before": "text-bound"}
    assert article.extras["date_bound_precision"] == "day"


def test_stage_never_uses_ingest_time() -> None:
    article = _article(text="On Sunday the minister arrived. Yesterday he left.")
    run_one(DateStage(), article)
    assert article.published is None and article.date_not_before is None


ADVERSARIAL = [
    "1" * 100_000,
    "2021-" * 20_000,
    "August " * 14_000,
    "August 7, " * 10_000,
    "in " * 33_000,
    "7 " * 50_000,
    "Sept. " * 16_000,
    "in mid-" * 14_000,
    ". " * 50_000,
    "will " * 20_000 + "in 2021",
    "http://" * 14_000,
    "1/1/" * 25_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]))
def test_no_pathological_regex_time(text: str) -> None:
    start = time.perf_counter()
    find_date_bound(text, [R(text[:5_000], "caption")])
    date_line_date(text, [R(text[:200], "date_line")])
    url_date("https://x.com/" + text)
    parse_date_value(text[:100])
    # Loose bound: a linear scan of 100 KB is milliseconds; catastrophic backtracking is minutes.
    assert time.perf_counter() - start < 2.0


# ---------------------------------------------------------------- the real seeds


def _seed(seeds_dir: Path, prefix: str) -> str:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"), None)
    if path is None:
        pytest.skip(f"seed {prefix} is not in {seeds_dir}")
    return path.read_text(encoding="utf-8")


def _emulated(seeds_dir: Path, prefix: str) -> Article:
    """The cleaner's output for a seed, rebuilt by line position at run time."""
    lines = [line.strip() for line in _seed(seeds_dir, prefix).splitlines() if line.strip()]
    if prefix == "000":  # caption, date line, body..., credit line, promo block
        removed = [R(lines[0], "caption"), R(lines[1], "date_line")]
        body = lines[2:-3]
    elif prefix == "002":  # heading, byline, date line, body..., "Original url:" and the URL
        removed = [
            R(lines[0], "title"),
            R(lines[1], "byline"),
            R(lines[2], "date_line"),
            R("\n".join(lines[-2:]), "original_url"),
        ]
        body = lines[3:-2]
    elif prefix == "004":  # breadcrumb, headline, outlet name, body..., author box, teasers
        about = next(i for i, line in enumerate(lines) if line.startswith("About "))
        removed = [R(line, "teaser") for line in lines[about:]]
        body = lines[3:about]
    else:
        removed = [R(lines[0], "title")]
        body = lines[1:]
    return Article(source=prefix, text="\n\n".join(body), removed=removed)


def _cleaned(seeds_dir: Path, prefix: str) -> Article:
    if importlib.util.find_spec("storyline.extract.clean") is None:
        pytest.skip("storyline.extract.clean (CleanStage) is not written yet")
    from storyline.extract.clean import CleanStage

    raw = _seed(seeds_dir, prefix)
    article = Article(source=prefix, raw=raw.encode(), decoded=raw, raw_format="txt")
    run_one(CleanStage(), article)
    assert article.ok, article.failed or article.skipped
    return article


SEED_EXPECTED: dict[str, tuple[str | None, str | None, str | None, str | None, str | None]] = {
    # prefix: (published, precision, source, not_before, words of the evidence sentence)
    "000": ("2021-08-27", "day", "date-line", None, None),
    "001": (None, None, None, "2021-08-01", "August 2021"),
    # URL /2021/08/18/ and the date line agree; the URL comes first in the precedence.
    "002": ("2021-08-18", "day", "url", None, None),
    # Seed 003 names "mid-August" and "September 7" but never a year: nothing fixes the year,
    # so there is no absolute date and no bound. Inventing 2021 would need outside knowledge.
    "003": (None, None, None, None, None),
    "004": (None, None, None, None, None),
}


@pytest.mark.parametrize("make", [_emulated, _cleaned], ids=["emulated-cleaner", "clean-stage"])
@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seeds(seeds_dir: Path, prefix: str, make: Any) -> None:
    article = make(seeds_dir, prefix)
    run_one(DateStage(), article)
    assert article.failed is None
    published, precision, source, not_before, evidence = SEED_EXPECTED[prefix]
    assert (article.published, article.date_precision, article.date_source) == (
        published,
        precision,
        source,
    )
    assert article.date_not_before == not_before
    if evidence is None:
        assert article.date_bound_evidence is None
    else:
        assert evidence in (article.date_bound_evidence or "")
        assert article.extras["date_bound_precision"] == "month"


def test_seed_003_with_a_year_in_context_gets_the_september_bound(seeds_dir: Path) -> None:
    """The same seed text, preceded by one sentence that fixes the year, bounds at 7 September."""
    article = _emulated(seeds_dir, "003")
    text = "The Taliban returned in August 2021.\n\n" + article.text
    found = find_date_bound(text, [])
    assert found is not None and found[0] == "2021-09-07"
    assert "September 7" in found[1] and "August 2021" not in found[1]


REGEX_PROBES = [
    "1" * 20_000,
    "2021-" * 4_000,
    "August " * 3_000,
    "August 7, " * 2_000,
    "in mid-" * 3_000,
    "7 " * 10_000,
    "Sept. " * 3_000,
    " " * 20_000,
    "1/1/" * 5_000,
    "a " * 10_000,
]


#: Every compiled pattern of the date stage's modules, once each, as "module.NAME".
DATE_PATTERNS: dict[str, re.Pattern[str]] = compiled_patterns(
    dates, date_values, date_sources, date_mentions, solar_hijri
)


@pytest.mark.parametrize("name", sorted(DATE_PATTERNS))
def test_every_module_regex_is_linear(name: str) -> None:
    """Each compiled pattern, scanned over 20 KB of hostile text: linear scans take a few ms;
    one that backtracks catastrophically takes seconds."""
    pattern = DATE_PATTERNS[name]
    for probe in REGEX_PROBES:
        start = time.process_time()  # this process's CPU: other processes' load does not count
        for _ in pattern.finditer(probe):
            pass
        assert time.process_time() - start < 0.5, (name, probe[:10])


# ---------------------------------------------------------------- date lines with labels, times


LABELLED_LINES = [
    # (line, [(value, precision, is_update), ...])
    ("Updated Jun 18, 2024 09:41 am", [("2024-06-18", "day", True)]),
    ("Last updated on March 3, 2023 10:02 PKT", [("2023-03-03", "day", True)]),
    ("Modified: 2022-11-05", [("2022-11-05", "day", True)]),
    ("Published: 10 July 2024", [("2024-07-10", "day", False)]),
    ("Posted on May 2, 2022 by News Desk", [("2022-05-02", "day", False)]),
    ("First published at 5 Jan 2020 | 14:05", [("2020-01-05", "day", False)]),
    (
        "Published: 9 Feb 2023 | Updated: 11 Feb 2023",
        [("2023-02-09", "day", False), ("2023-02-11", "day", True)],
    ),
    (
        "Updated: 2023-02-11T08:00:00+03:30, Published: 2023-02-09",
        [("2023-02-11T08:00:00+03:30", "datetime", True), ("2023-02-09", "day", False)],
    ),
    ("By Leila Haidari | 14 March 2022", [("2022-03-14", "day", False)]),
    ("**August 4, 2019**", [("2019-08-04", "day", False)]),
    # a byline or a view counter after the date (date stage v14)
    ("5 December 2017 | By Staff", [("2017-12-05", "day", False)]),
    ("Published: 7 October 2004 - By: admin", [("2004-10-07", "day", False)]),
    ("Sat Jun 11, 2005 8:12 pm | 1,234 views", [("2005-06-11", "day", False)]),
    (
        "Posted on Thursday, October 07, 2004 @ 18:42:10 CEST by admin",
        [("2004-10-07", "day", False)],
    ),
    # Thai: the weekday opens the line, Thai digits, the Buddhist Era year, a byline, a counter
    (
        "วันอังคารที่ ๕ ธันวาคม ๒๕๖๐ เวลา ๐๙:๔๐ น. | โดย กองบรรณาธิการ | อ่าน ๒,๔๑๗ ครั้ง",
        [("2017-12-05T09:40:00", "datetime", False)],
    ),
    # "Date of publication" in Slovak, a day-first date with spaced dots
    ("Dátum zverejnenia: 19. 05. 2010", [("2010-05-19", "day", False)]),
    # Basque: year first in the genitive, then the month, then the day
    (
        "Argitaratua: 2004ko urriaren 7a, osteguna @ 18:42:10 CEST - Egilea:",
        [("2004-10-07T18:42:10", "datetime", False)],
    ),
    ("2019ko martxoaren 12an", [("2019-03-12", "day", False)]),
    # a dotted day-first date with a two-digit year, after a German forum's label; a section's
    # name before the date; a Minguo year beside a traditional-character label (v15)
    ("Verfasst am: 03.11.07, 21:14", [("2007-11-03", "day", False)]),
    ("Geschrieben am 12.01.08", [("2008-01-12", "day", False)]),
    ("14.02.06", [("2006-02-14", "day", False)]),
    ("Stadtleben · 14.02.06", [("2006-02-14", "day", False)]),
    ("發布日期 96-03-21", [("2007-03-21", "day", False)]),
    ("96-03-21", []),  # without the label: 1996's by any reading, and no date line's
    ("12.13.07", []),  # no thirteenth month
    ("the rest · 14.02.06", []),  # a lower-case part is prose, not a section's name
    ("Updated · 14 Feb 2006", []),  # an update's label is no section's name
    # a name that says what else the date is, a run of spaces, a year-first CJK label
    ("Born · 12 March 1950", []),
    ("Version · 5.4.21", []),
    ("Firefox  12.1.10", []),
    ("입력 24.03.21 10:35", []),
    ("發佈日期：21/03/24", []),  # Hong Kong's day first, not Minguo year 21
    ("14.02.98", [("1998-02-14", "day", False)]),
    ("Stadtleben · Wien · 14.02.06", []),
    # the author's category after the name, a group signing with its article, a Czech school's
    # label with its view counter (v16)
    ("Posted on March 5, 2019 by admin in News", [("2019-03-05", "day", False)]),
    (
        "Posted 2012-04-06 by Pastor Dan Whitfield in From the Pastor",
        [("2012-04-06", "day", False)],
    ),
    ("geplaatst op 2016-03-08 door het bestuur", [("2016-03-08", "day", False)]),
    (
        "Vloženo: 20. 11. 2018 | Autor: Mgr. Jana Nováková | Zobrazeno: 214×",
        [("2018-11-20", "day", False)],
    ),
    ("Erstellt: 14.05.2017 | Zugriffe: 287", [("2017-05-14", "day", False)]),
    ("Posted on March 5, 2019 by the way we like it a lot more now", []),
    # the post's category after the author, behind a separator (v17)
    (
        "Publié le mardi 3 mars 2009 par Hélène · Catégorie : Rosiers",
        [("2009-03-03", "day", False)],
    ),
    ("Posted on March 5, 2019 by admin | Category: News", [("2019-03-05", "day", False)]),
    ("12.05.2014 | Kategorie: Vereinsleben", [("2014-05-12", "day", False)]),
    ("Category: News | March 5, 2019", []),  # a label before any date is no date line
    # the local time after the date with its word for "at" (v18)
    (
        "Objavljeno: subota, 20. oktobar 2007. u 14:05 | Autor: Lejla Kadić",
        [("2007-10-20", "day", False)],
    ),
    ("Objavljeno 12. 3. 2015 v 9:30", [("2015-03-12", "day", False)]),
    ("Julkaistu 12.3.2015 klo 12.30", [("2015-03-12", "day", False)]),
    ("Objavljeno 20. oktobra 2007 u prilogu", []),
    # a reading time beside the date (v19)
    (
        "Published Nov 18, 2021 • 9:40 p.m. PST • 3 minute read",
        [("2021-11-18", "day", False)],
    ),
    ("12.05.2014 · Lesezeit: 4 Min.", [("2014-05-12", "day", False)]),
    ("12 May 2014 | 3 ministers", []),
    # a German home page's own word for its entry (v19)
    ("Eintrag vom 19.06.2005", [("2005-06-19", "day", False)]),
    ("Beitrag vom 3. März 2011", [("2011-03-03", "day", False)]),
    ("March 5, 2019 | Category", []),
    # an old CMS's author between label and date, its read counter in brackets; a press
    # release's own line, with its number
    (
        "Geschrieben von Vorstand am Montag, 15.August 2005 um 10:20:11 (318 Lesungen)",
        [("2005-08-15T10:20:11", "datetime", False)],
    ),
    ("Posted by admin on March 5, 2019", [("2019-03-05", "day", False)]),
    ("Pressemitteilung Nr. 112/2008 · 22.07.2008", [("2008-07-22", "day", False)]),
    ("Pressemitteilung vom 14.05.2009", [("2009-05-14", "day", False)]),
    ("Comunicato stampa del 23/09/2009", [("2009-09-23", "day", False)]),
    ("Press release", []),
    # Not date lines: prose that mentions a date, a byline alone, an empty line, a bare number
    # after a date (not a counter).
    ("5 December 2017 | 12", []),
    # a byline word that opens prose is no byline: these stay "not a date line"
    ("12 May 2020 | Von der Leyen pledges aid", []),
    ("12 May 2020 | Di Maio si dimette", []),
    ("5 June 2021 | Door to door sales rise", []),
    ("12 May 2020 | By the way, prices rose", []),
    ("2023 di fuoco", []),
    ("12 May 2020 | By Ursula von der Leyen", [("2020-05-12", "day", False)]),
    ("The ministry said on 10 July 2024 that talks would resume", []),
    ("By Leila Haidari", []),
    ("Updated", []),
    ("", []),
]


@pytest.mark.parametrize(("line", "expected"), LABELLED_LINES)
def test_date_line_values(line: str, expected: list[tuple[str, str, bool]]) -> None:
    assert date_sources.date_line_values(line) == expected


def test_published_line_wins_over_an_earlier_updated_line() -> None:
    text = "Updated: 12 May 2023\n\nPublished: 9 May 2023\n\nThe body of the report starts here."
    found = date_line_date(text, [])
    assert found == DateFinding("2023-05-09", "day", "date-line", "Published: 9 May 2023")


def test_updated_line_is_a_fallback_with_its_own_source() -> None:
    found = date_line_date(
        "Body text of the report.", [R("Updated Jun 18, 2024 09:41 am", "date_line")]
    )
    assert found is not None
    assert (found.value, found.source) == ("2024-06-18", "date-line (updated)")


def test_stage_labels_an_update_date() -> None:
    article = _article(
        text="KABUL: Officials said on Tuesday that the road had reopened after the floods.",
        removed=[R("Last updated on 7 March 2023", "date_line")],
    )
    run_one(DateStage(), article)
    assert (article.published, article.date_source) == ("2023-03-07", "date-line (updated)")
    assert article.provenance["published"] == "date-line (updated)"


HEADER_PAGE = """<html><head><title>Floods cut the Salang road</title></head><body>
<header><h1>Floods cut the Salang road</h1>
<div class="post-meta"><span class="author">By Leila Haidari</span>
<span class="entry-date">Posted on 14 March 2022</span></div></header>
<article><p>Floods cut the Salang highway on Sunday, stranding hundreds of lorries on both sides
of the tunnel, officials said, as crews worked through the night to clear the mud.</p>
<aside class="related"><span class="date">2 January 2019</span> An older story</aside>
</article></body></html>"""


def test_html_header_lines_stop_at_the_body() -> None:
    lines = dates.html_header_lines(HEADER_PAGE)
    assert "Posted on 14 March 2022" in lines
    assert not any("2019" in line for line in lines)


def test_page_header_date_is_a_date_line_when_meta_has_none() -> None:
    article = _article(text="Floods cut the Salang highway on Sunday.", html=HEADER_PAGE)
    run_one(DateStage(), article)
    assert (article.published, article.date_source) == ("2022-03-14", "date-line")


def test_header_date_only_before_the_first_paragraph() -> None:
    page = HEADER_PAGE.replace('<span class="entry-date">Posted on 14 March 2022</span>', "")
    assert dates.date_line_date("Body.", [], page) is None


# ---------------------------------------------------------------- Solar Hijri date lines

JALALI_PAIRS = [
    ((1400, 1, 1), "2021-03-21"),  # Nowruz
    ((1403, 1, 1), "2024-03-20"),
    ((1399, 12, 30), "2021-03-20"),  # last day of a leap year
    ((1403, 12, 30), "2025-03-20"),
    ((1402, 10, 11), "2024-01-01"),
    ((1357, 11, 22), "1979-02-11"),
    ((1403, 7, 4), "2024-09-25"),
]


@pytest.mark.parametrize(("jalali", "iso"), JALALI_PAIRS)
def test_jalali_to_gregorian(jalali: tuple[int, int, int], iso: str) -> None:
    assert dates.jalali_to_gregorian(*jalali).isoformat() == iso


@pytest.mark.parametrize("jalali", [(1402, 12, 30), (1403, 7, 31), (1403, 13, 1), (1403, 1, 0)])
def test_jalali_days_a_month_lacks_are_refused(jalali: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError):
        dates.jalali_to_gregorian(*jalali)


HIJRI_LINES = [
    ("دوشنبه ۱۱ دی ۱۴۰۲ - ۰۹:۱۵", ("2024-01-01", "day")),
    ("۱ فروردین ۱۴۰۰", ("2021-03-21", "day")),
    ("١ فروردین ١٤٠٠", ("2021-03-21", "day")),  # Arabic-Indic digits
    ("22 بهمن 1357 ساعت 10:30", ("1979-02-11", "day")),
    ("۳۱ مهر ۱۴۰۳", None),  # the seventh month has 30 days
    ("۳۰ اسفند ۱۴۰۲", None),  # Esfand has 30 days only in a leap year (1403 is one, 1402 not)
    ("۳۰ اسفند ۱۴۰۳", ("2025-03-20", "day")),
    ("وزیر در ۴ مهر ۱۴۰۳ به زابل رفت", None),  # a sentence, not a date line
]


@pytest.mark.parametrize(("line", "expected"), HIJRI_LINES)
def test_solar_hijri_date(line: str, expected: tuple[str, str] | None) -> None:
    assert dates.solar_hijri_date(line) == expected


def test_persian_date_line_dates_the_article() -> None:
    text = (
        "جمعه ۱۰ فروردین ۱۴۰۳ - ۱۸:۴۰\n\nزابل - باد شدید امروز در شهر زابل وزید و مدارس تعطیل شد."
    )
    run_one(DateStage(), article := _article(text=text))
    assert (article.published, article.date_source) == ("2024-03-29", "date-line")


# ---------------------------------------------------------------- year-less mentions

YEARLESS_CASES = [
    ("The council met on March 3 and approved the budget.", [(3, 3)]),
    ("Negotiators agreed on 14 November to reopen the border.", [(11, 14)]),
    ("Troops left on June 2. Fighting resumed on June 9.", [(6, 2), (6, 9)]),
    ("The vote was held on May 5, and again on May 5 in the north.", [(5, 5)]),
    # Future clauses and present-tense previews are not past facts.
    ("The minister will visit Kabul on March 3.", []),
    ("Talks are on April 9 in the capital.", []),
    ("The deadline for applications is set to close on October 1.", []),
    # An earlier year gives the mention its year: the text alone resolves it.
    ("In 2019 the dam opened. On May 5 the gates closed.", []),
    ("On Monday the envoy returned.", []),
]


@pytest.mark.parametrize(("text", "expected"), YEARLESS_CASES)
def test_yearless_mentions(text: str, expected: list[tuple[int, int]]) -> None:
    found = dates.yearless_mentions(text)
    assert [(f["month"], f["day"]) for f in found] == expected
    for item in found:
        assert item["evidence"] and item["evidence"] in text


def test_stage_keeps_yearless_dates_only_for_undated_articles() -> None:
    text = "Ministers met on March 3 and agreed to reopen the crossing."
    undated = _article(text=text)
    run_one(DateStage(), undated)
    assert undated.date_not_before is None
    assert undated.extras["yearless_dates"] == [{"month": 3, "day": 3, "evidence": text}]
    dated = _article(text=text, url="https://x.example/2022/03/04/crossing")
    run_one(DateStage(), dated)
    assert dated.published == "2022-03-04" and "yearless_dates" not in dated.extras


def test_seed_003_keeps_september_7_for_the_store(seeds_dir: Path) -> None:
    article = _emulated(seeds_dir, "003")
    run_one(DateStage(), article)
    found = article.extras["yearless_dates"]
    assert [(f["month"], f["day"]) for f in found] == [(9, 7)]
    assert "caretaker government on September 7" in found[0]["evidence"]


DATA_ATTRIBUTE_PAGE = """<html><head><title>Canal gets floating solar trial</title></head><body>
<header><h1>Canal gets floating solar trial</h1>
<div class="story-meta" data-publish-date="2016-11-08T09:40:00+05:00" data-story-id="2290417">
<span class="author">Staff Reporter</span> <span class="upd">Updated: November 10, 2016</span>
</div></header>
<article><p>Engineers will float solar panels on a stretch of the canal next spring, the
provincial energy department said, after a hearing on the plan drew no objections.</p>
<ul class="related"><li data-published="2016-10-01">An older story</li></ul>
<div class="top-stories" data-publish-date="2011-01-01T00:00Z">
<a href="/other">Floods close the old mountain road again</a></div>
<div data-publication-id="12345">A number, not a date</div>
</article></body></html>"""

LABEL_TABLE_PAGE = """<html><head><title>Cycle route gets EU funds</title></head><body>
<h1>Cycle route along the Danube gets EU funds</h1>
<p>The ministry approved the funding for the second section of the riverside cycle route, which
will link three villages to the city by the end of the next year, officials said.</p>
<table class="info-tab"><tr><th>Dátum zverejnenia:</th><td>19. 05. 2010</td></tr>
<tr><th>Dátum poslednej aktualizácie:</th><td>02. 06. 2010</td></tr></table>
</body></html>"""


def test_a_data_attribute_naming_the_publication_is_the_page_date() -> None:
    """A theme that shows only "Updated ..." keeps the machine date in data-publish-date."""
    lines = dates.html_header_lines(DATA_ATTRIBUTE_PAGE)
    assert lines[0] == "2016-11-08T09:40:00+05:00"
    assert "2016-10-01" not in lines  # a related list's item dates that story
    assert "2011-01-01T00:00Z" not in lines  # a teaser holding another story's headline
    assert "12345" not in lines
    article = Article(
        source="p.html",
        html=DATA_ATTRIBUTE_PAGE,
        text="Engineers will float solar panels on a stretch of the canal next spring.",
    )
    run_one(DateStage(), article)
    assert article.published is not None and article.published.startswith("2016-11-08")
    assert article.date_source == "date-line"


def test_a_details_table_labels_the_publication_in_slovak() -> None:
    assert dates.html_header_lines(LABEL_TABLE_PAGE) == ["Published: 19. 05. 2010"]
