"""Publication dates (source, precision, precedence) and lower bounds for undated articles."""

from __future__ import annotations

import importlib.util
import re
import time
from pathlib import Path
from typing import Any

import pytest

from storyline.article import Article, Removed
from storyline.extract import dates
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
        ("2021-08-18", "day", "html-meta"),
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
        {"url": "https://x.com/2021/08/a", "removed": [R("July 30, 2021", "date_line")]},
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
        "2021-08-18", "day", "html-meta", "meta/JSON-LD"
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


@pytest.mark.parametrize(
    "name", sorted(n for n, v in vars(dates).items() if isinstance(v, re.Pattern))
)
def test_every_module_regex_is_linear(name: str) -> None:
    """Each compiled pattern, scanned over 20 KB of hostile text: linear scans take a few ms;
    one that backtracks catastrophically takes seconds."""
    pattern = getattr(dates, name)
    for probe in REGEX_PROBES:
        start = time.perf_counter()
        for _ in pattern.finditer(probe):
            pass
        assert time.perf_counter() - start < 0.5, (name, probe[:10])
