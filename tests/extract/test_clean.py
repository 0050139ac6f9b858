"""Plain-text cleaning: our own fixtures, the five real seeds, properties and regex safety."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.article import Article
from storyline.errors import Skip
from storyline.extract import rules
from storyline.extract.clean import REASONS, Cleaned, CleanStage, clean_text
from storyline.pipeline import run_one
from storyline.testing import BLOWUP_SECONDS, HOSTILE_CLEAN

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "clean"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _cases() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.suffix in {".txt", ".md"})


def _expect(path: Path) -> dict:
    return json.loads(path.with_suffix(".expect.json").read_text(encoding="utf-8"))


def _clean(path: Path) -> tuple[Cleaned, dict]:
    exp = _expect(path)
    got = clean_text(
        path.read_text(encoding="utf-8"),
        title=exp.get("given_title"),
        raw_format=exp.get("raw_format", "txt"),
    )
    return got, exp


# --- table over our own fixtures ---------------------------------------------------------------


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    got, exp = _clean(path)
    assert got.title == exp["title"]
    if "title_source" in exp:
        assert got.title_source == exp["title_source"]
    if "url" in exp:
        assert got.url == exp["url"]
    for reason, fragment in exp["reasons"]:
        hits = [x for x in got.removed if x.reason == reason and fragment in x.text]
        assert hits, f"expected {reason!r} removal containing {fragment!r}; got {got.removed}"
    if exp.get("exact"):
        assert sorted(x.reason for x in got.removed) == sorted(r for r, _ in exp["reasons"])
    for fragment in exp.get("keep", []):
        assert fragment in got.text
    for fragment in exp.get("drop", []):
        assert fragment not in got.text
    if "first" in exp:
        assert got.paragraphs[0].startswith(exp["first"])
    if "last" in exp:
        assert got.paragraphs[-1].startswith(exp["last"])
    if "paragraphs" in exp:
        assert len(got.paragraphs) == exp["paragraphs"]
    assert got.text == "\n\n".join(got.paragraphs)


def test_fixtures_cover_every_reason() -> None:
    seen = {reason for p in _cases() for reason, _ in _expect(p)["reasons"]}
    assert set(REASONS) <= seen, set(REASONS) - seen
    assert len(_cases()) >= 15


# --- the five real seeds -----------------------------------------------------------------------

JUNK = [
    "Read more",
    "Read further",
    "Check Also",
    "About admin",
    "About Track Persia",
    "http://103.",
    "Original url",
    "Home / Latest",
    "pictured",
    "AFP/Al Arabiya",
    "[AFP]",
    "# ",
]

SEED_EXPECT = {
    "000": {
        "title": None,
        "first": "Iranian President Ebrahim Raisi called on Thursday for cooperation",
        "last": "But Iran has stressed in recent months that the Taliban must be “part of a future "
        "solution” in Afghanistan.",
        "reasons": {"caption", "date_line", "credit", "promo"},
        "paragraphs": 12,
    },
    "001": {
        "title": "Afghan terror safe havens worry Pakistan, Iran",
        "first": "Pakistan and Iran on Monday shared concerns over the presence of terrorist "
        "outfits in Afghanistan, stressing the need for close coordination between the two "
        "countries and other regional players to persuade Kabul to come good on its promises.",
        "last": "Sources said that Islamabad feels regional countries can put pressure on the "
        "Taliban government to fulfil the promises they made to the international community.",
        "reasons": {"title", "teaser"},
        "paragraphs": 15,
    },
    "002": {
        "title": "Iran Says Ready to Work With Russia, China on Afghanistan 'Peace'",
        "first": "Iran's President Ebrahim Raisi on Wednesday told his Russian and Chinese "
        "counterparts that Tehran is ready to cooperate",
        "last": "It has officially recorded more than 99,000 deaths and nearly 4.6 million "
        "infections, according to the health ministry.",
        "reasons": {"title", "byline", "date_line", "original_url"},
        "paragraphs": 15,
    },
    "003": {
        "title": "U.S. Using Daesh to Destabilize Afghanistan",
        "first": "TEHRAN -- Iran’s special envoy to Afghanistan Hassan Kazemi-Qomi says",
        "last": "The group announced the formation of a caretaker government on September 7, but "
        "their efforts to stabilize the situation have so far been undermined by international "
        "sanctions, as banks are running out of cash and civil servants are going unpaid.",
        "reasons": {"title"},
        "paragraphs": 16,
    },
    "004": {
        "title": "Iran, Pakistan agree to increase cooperation in Afghanistan",
        "first": "KABUL: As U.S. troops prepare to leave Afghanistan",
        "last": "This is as the Kabul government has long accused Pakistan’s government and its "
        "intelligence service agencies for supporting Taliban insurgents operating in "
        "Afghanistan.",
        "reasons": {
            "breadcrumb",
            "repeated_headline",
            "outlet_name",
            "author_box",
            "teaser",
            "link_dump",
        },
        "paragraphs": 7,
    },
}


def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (the shared folder is absent)")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return matches[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECT))
def test_seed(prefix: str) -> None:
    exp = SEED_EXPECT[prefix]
    got = clean_text(_seed(prefix))
    assert got.title == exp["title"]
    for junk in JUNK:
        assert junk not in got.text, junk
    assert got.paragraphs[0].startswith(exp["first"])
    if exp["first"].endswith("."):
        assert got.paragraphs[0] == exp["first"]
    assert got.paragraphs[-1] == exp["last"]
    assert {x.reason for x in got.removed} == exp["reasons"]
    assert len(got.paragraphs) == exp["paragraphs"]


def test_seed_002_url_and_byline_kept_in_removed() -> None:
    got = clean_text(_seed("002"))
    assert got.url == (
        "https://www.themoscowtimes.com/2021/08/18/"
        "iran-says-ready-to-work-with-russia-china-on-afghanist-an-peace-a74833"
    )
    assert any(x.reason == "byline" and "AFP" in x.text for x in got.removed)
    assert any(x.reason == "date_line" and x.text == "August 18, 2021" for x in got.removed)


def test_seed_000_credit_and_promo_for_metadata() -> None:
    got = clean_text(_seed("000"))
    by_reason = {x.reason: x for x in got.removed}
    assert by_reason["credit"].text == "AFP/Al Arabiya"
    assert by_reason["credit"].line == 29
    assert by_reason["caption"].line == 1
    assert next(x.text for x in got.removed if x.reason == "promo") == "About Track Persia"


def test_seed_004_outlet_name_and_link_dump() -> None:
    got = clean_text(_seed("004"))
    assert [x.text for x in got.removed if x.reason == "outlet_name"] == ["AT News"]
    assert Counter(x.reason for x in got.removed)["teaser"] == 3
    assert got.title_source == "breadcrumb"


LINK_COLUMN = """Border talks resume in Quetta

Officials from both governments met on Tuesday to discuss reopening the crossing, the ministry said.

The ministry published the three decrees on its website and summarised them in a statement:

https://bit.ly/3kQx7Za
https://bit.ly/3mTr9Qb
https://t.co/Xy12abCD

The talks will continue next week in Kabul, officials said in the statement on Tuesday.
"""


def test_a_column_of_links_the_article_introduces_is_kept() -> None:
    got = clean_text(LINK_COLUMN)
    for link in ("https://bit.ly/3kQx7Za", "https://bit.ly/3mTr9Qb", "https://t.co/Xy12abCD"):
        assert link in got.text
    assert "link_dump" not in {x.reason for x in got.removed}


@pytest.mark.parametrize(
    ("lead_in", "links"),
    [
        # no lead-in sentence: the column is a link dump, as before
        ("", ["https://bit.ly/3kQx7Za", "https://bit.ly/3mTr9Qb"]),
        # a header, not a clause of the article
        ("Links:", ["https://bit.ly/3kQx7Za", "https://bit.ly/3mTr9Qb"]),
        # a share widget's lead-in is dropped itself, so its links go too
        ("Share this article with your friends on:", ["https://twitter.com/intent/tweet?x=1"]),
        # a list of bare IP addresses is spam whatever introduces it
        ("Visit the partner sites of our network here:", ["http://103.49.239.135/"]),
    ],
)
def test_link_columns_without_an_article_lead_in_are_still_dumps(
    lead_in: str, links: list[str]
) -> None:
    body = "Officials from both governments met on Tuesday to discuss the crossing, they said."
    text = "\n".join([body, "", lead_in, *links, "", body.replace("Tuesday", "Monday")])
    got = clean_text(text)
    for link in links:
        assert link not in got.text
        assert any(x.reason == "link_dump" and link in x.text for x in got.removed)


# --- the stage ---------------------------------------------------------------------------------


def test_stage_sets_fields_and_provenance() -> None:
    raw = "# Quiet day at the port\n\nBy Jo Park\n\nNothing moved in the harbour on Monday.\n"
    raw += "\nOriginal url: https://example.org/quiet-day\n"
    article = Article(source="x.md", raw_format="md", decoded=raw)
    run_one(CleanStage(), article)
    assert article.ok
    assert article.title == "Quiet day at the port"
    assert article.provenance == {"title": "markdown-heading", "url": "original-url-line"}
    assert article.url == "https://example.org/quiet-day"
    assert article.text == "Nothing moved in the harbour on Monday."
    assert article.paragraphs == [article.text]
    assert {x.reason for x in article.removed} == {"title", "byline", "original_url"}
    assert article.stages == {"clean": CleanStage.version}


def test_stage_prefers_extracted_text_and_keeps_given_title() -> None:
    article = Article(source="x.html", raw_format="html", decoded="<html>junk</html>")
    article.title = "Tide tables revised"
    article.url = "https://example.org/tides"
    article.text = "Tide tables revised\nThe tables were revised on Monday.\nRead more: Old tables"
    CleanStage().process(article)
    assert article.title == "Tide tables revised"
    assert "title" not in article.provenance and "url" not in article.provenance
    assert article.text == "The tables were revised on Monday."
    assert [x.reason for x in article.removed] == ["repeated_headline", "teaser"]


def test_stage_skips_when_nothing_is_left() -> None:
    article = Article(source="x.txt", decoded="Share this:\nhttp://a.example/ http://b.example/\n")
    with pytest.raises(Skip, match="no text left after cleaning"):
        CleanStage().process(article)
    assert {x.reason for x in article.removed} == {"share", "link_dump"}


# --- precision: body text that looks a bit like junk stays -------------------------------------

BODY_LINES = [
    "Read more than 200 pages of the report and you will find no mention of the spillway.",
    "By Sunday, the rebels had taken the bridge and the airport.",
    "Share prices fell sharply on Monday after the announcement.",
    "Follow the money, the auditor told the committee on Tuesday.",
    "Photographers gathered outside the court before the verdict was read.",
    "Sources said the talks would resume next week in the capital.",
    "The ministry's website, https://example.gov/plan, lists every project and its budget.",
    "Related talks between the two ministries ended without agreement late on Friday.",
    "Copyright law was not discussed at the meeting, the spokesman said.",
]


@pytest.mark.parametrize("line", BODY_LINES)
def test_body_lines_are_kept(line: str) -> None:
    text = f"Opening paragraph of the story, which is long enough to be body text.\n{line}\n"
    got = clean_text(text, title="A headline", raw_format="html")
    assert line in got.paragraphs, got.removed


def test_whitespace_is_normalised_and_quotes_kept() -> None:
    got = clean_text("Tide\u00a0tables  \u201crevised\u201d\u200b today.\t\r\n", title="T")
    assert got.text == "Tide tables \u201crevised\u201d today."


def test_original_url_on_next_line_and_markdown_link() -> None:
    got = clean_text(
        "Body text here.\n\nOriginal url:\n\n[https://e.example/a](https://e.example/a)"
    )
    assert got.url == "https://e.example/a"
    assert got.text == "Body text here."


# --- properties --------------------------------------------------------------------------------

JUNKY = st.sampled_from(
    [
        "Read more: ",
        "About admin",
        "Check Also",
        "# ",
        "By [AFP](#)",
        "Home / News / ",
        "http://1.2.3.4/ ",
        "Original url:",
        "\n",
        "\n\n",
        "(AFP)",
        "…",
        "\x00",
        "\r",
        "**",
        "[",
        "](",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(JUNKY, st.text(max_size=40)), max_size=30).map("".join))
def test_clean_text_never_raises_and_removed_comes_from_input(text: str) -> None:
    for raw_format in ("txt", "html"):
        got = clean_text(text, raw_format=raw_format)
        assert "\x00" not in got.text
        assert got.text == "\n\n".join(got.paragraphs)
        assert all(p and p == p.strip() for p in got.paragraphs)
        normalised = "\n".join(rules.normalise_line(x) for x in rules.split_lines(text))
        for piece in got.removed:
            assert piece.reason in REASONS
            assert piece.text in normalised
            assert (
                piece.line is not None
                and 1 <= piece.line <= text.count("\n") + text.count("\r") + 1
            )


# --- regex safety: every exported pattern is linear on hostile input ---------------------------

ADVERSARIAL = HOSTILE_CLEAN


@pytest.mark.parametrize("name", sorted(rules.PATTERNS))
def test_pattern_is_fast_on_adversarial_input(name: str) -> None:
    pattern = rules.PATTERNS[name]
    for hostile in ADVERSARIAL:
        start = time.perf_counter()
        pattern.search(hostile)
        pattern.match(hostile)
        pattern.fullmatch(hostile)
        for _ in pattern.finditer(hostile[:100_000]):
            pass
        elapsed = time.perf_counter() - start
        assert elapsed < BLOWUP_SECONDS, f"{name} took {elapsed:.2f}s on {hostile[:20]!r}..."


@pytest.mark.parametrize("hostile", ADVERSARIAL, ids=lambda s: repr(s[:12]))
def test_clean_text_is_fast_on_one_huge_line(hostile: str) -> None:
    start = time.perf_counter()
    clean_text(hostile)
    clean_text(hostile.replace(" ", "\n"))
    assert time.perf_counter() - start < BLOWUP_SECONDS


_ARTICLE = [
    "Falconair Express, a low-cost carrier based in the Gulf, will start three weekly flights "
    "to Tashkent from 2 April, the airline said on Wednesday.",
    "Tickets go on sale next week. The airline said it expected demand from migrant workers, "
    "traders and a rising number of tourists.",
]
_CARDS = [
    ("The group said the three hotels would open between 2026 and 2028 as business travel "
     "grows.", "29 Jan 2025"),
    ("The terminal doubles passenger capacity and adds 14 check-in counters, the operator "
     "said.", "28 Jan 2025"),
    ("Seat occupancy reached 88 per cent during the holiday season, helped by strong "
     "demand.", "27 Jan 2025"),
]  # fmt: skip


def test_other_stories_cards_with_their_dates_end_the_text() -> None:
    """Summaries each followed by a date line, three or more to the end: other stories' cards
    whose headlines the extractor dropped."""
    text = "\n\n".join([*_ARTICLE, *(f"{s}\n\n{d}" for s, d in _CARDS)])
    cleaned = clean_text(text, raw_format="html")
    assert cleaned.paragraphs == _ARTICLE
    assert [x.reason for x in cleaned.removed].count("teaser") == 3
    # two cards are not a list; a date before each paragraph is a timeline, the article's own
    two = "\n\n".join([*_ARTICLE, *(f"{s}\n\n{d}" for s, d in _CARDS[:2])])
    assert len(clean_text(two, raw_format="html").paragraphs) == 4
    timeline = "\n\n".join([*_ARTICLE, *(f"{d}\n\n{s}" for s, d in _CARDS)])
    assert len(clean_text(timeline, raw_format="html").paragraphs) == 5
    # the cards must come after the article's first lines
    alone = "\n\n".join(f"{s}\n\n{d}" for s, d in _CARDS)
    assert len(clean_text(alone, raw_format="html").paragraphs) == 3


@pytest.mark.parametrize(
    ("line", "tool"),
    [
        ("Print Email this story Text size: A A", True),
        ("Print | Email | A- A+", True),
        ("Listen · Share · Save", True),
        ("Print media and email campaigns helped the party win the vote.", False),
        ("A", False),
    ],
)
def test_an_article_tool_bar_is_share_furniture(line: str, tool: bool) -> None:
    text = "\n\n".join([*_ARTICLE[:1], line, *_ARTICLE[1:]])
    cleaned = clean_text(text, raw_format="html")
    assert (("share", line) in [(x.reason, x.text) for x in cleaned.removed]) is tool
    assert (line in cleaned.paragraphs) is not tool
