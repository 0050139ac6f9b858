"""Copy detection: the seed pair, kinds, who had it first, hostile inputs, the store and the CLI."""

from __future__ import annotations

import difflib
import json
import random
import time
from pathlib import Path

import pytest

from storyline.article import Article
from storyline.cluster import copy_index
from storyline.cluster.copy_index import (
    MAX_PARAGRAPHS,
    MAX_POSTINGS,
    SPAN_ALIGN_WORDS,
    SPAN_CACHE,
    CopyIndex,
    CopyLink,
    prepare,
    shared_span,
)
from storyline.cluster.shingles import SPELLING, normalise_token, tokenise
from storyline.evaluate.copies import evaluate_copies, gold_pairs
from storyline.store.copies import independent_sources
from storyline.testing import generate

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "storyline" / "data" / "sample"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "copy_pairs.jsonl"

# Our own wire-style paragraphs (fictional), for the tests that build articles by hand.
WIRE = [
    "QUETTA, March 3 (Reuters) - Officials on both sides of the frontier agreed on Sunday to "
    "reopen the main crossing for trucks carrying fruit and medicine after a week of closure.",
    "The neighbouring governments said a joint committee would meet every month to review "
    "customs fees, the movement of traders and the security of the road to the border post.",
    "“We want the gates open before the harvest reaches the markets,” said a spokesman for the "
    "provincial trade chamber, who asked that his name not be used.",
    "Traders said hundreds of lorries had queued for days along the highway, with drivers "
    "sleeping in their cabs and perishable goods spoiling in the heat of the afternoon.",
    "The organisation representing transporters said it would favour a permanent arrangement "
    "that kept the crossing open on public holidays as well as on ordinary working days.",
    "The crossing was last closed for a similar period two years ago, when a dispute over "
    "identity documents for daily labourers stopped traffic for more than ten days.",
]
OWN = [
    "Local farmers in the valley told our correspondent that the closure had cost them most of "
    "the early apricot crop, which could not be stored for more than a few days.",
    "A district council member said the council would ask the provincial government to build "
    "cold storage near the market so that growers were less exposed to such closures.",
    "Schools in the district reopened on Monday after the winter break, with teachers reporting "
    "that attendance was higher than last year in most of the villages they serve.",
    "The weather office expects light rain over the hills later in the week, followed by a "
    "return of warm and dry conditions across the plains by the weekend.",
]


def americanised(text: str) -> str:
    return (
        text.replace("neighbouring", "neighboring")
        .replace("organisation", "organization")
        .replace("favour", "favor")
        .replace("“", '"')
        .replace("”", '"')
    )


# -- normalisation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("neighbouring", "neighboring"),
        ("Favour", "favor"),
        ("organisation", "organization"),
        ("recognised", "recognized"),
        ("centre", "center"),
        ("defence", "defense"),
        ("programme", "program"),
        ("travelled", "traveled"),
    ],
)
def test_spelling_variants_normalise_to_one_form(british: str, american: str) -> None:
    assert normalise_token(british) == normalise_token(american)


def test_spelling_table_is_documented_data() -> None:
    assert SPELLING["neighbouring"] == "neighboring"
    assert SPELLING["favour"] == "favor"


def test_tokens_fold_quotes_case_and_keep_offsets() -> None:
    text = "IRAN’s “neighbours” said"
    tokens = tokenise(text)
    assert [t.norm for t in tokens] == ["irans", "neighbors", "said"]
    assert [text[t.start : t.end] for t in tokens] == ["IRAN’s", "neighbours", "said"]
    assert tokenise("Iran's neighbors SAID")[0].hash == tokens[0].hash


# -- seeds ---------------------------------------------------------------------------------------


def seed_paragraphs(name: str) -> list[str]:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]


# What the seed files themselves print: 000 is dated August 27, 2021 and credited "AFP/Al
# Arabiya"; 002 is "By AFP", August 18, 2021; the others carry no date line or agency.
SEED_META = {
    "000": ("2021-08-27", ["AFP", "Al Arabiya"], None),
    "002": ("2021-08-18", ["AFP"], "AFP"),
}


@pytest.fixture(scope="module")
def seed_links() -> tuple[list[CopyLink], dict[str, list[str]]]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    index = CopyIndex()
    texts: dict[str, list[str]] = {}
    links: list[CopyLink] = []
    for name in ("000", "001", "002", "003", "004"):
        texts[name] = seed_paragraphs(name)
        day, agencies, byline = SEED_META.get(name, (None, [], None))
        links += index.add(name, texts[name], day, "date-line", agencies, None, byline=byline)
    return links, texts


def test_seeds_000_and_002_share_afp_copy_and_nothing_else(seed_links) -> None:  # type: ignore[no-untyped-def]
    links, texts = seed_links
    assert [(link.a, link.b) for link in links] == [("002", "000")]
    link = links[0]
    assert link.kind == "partial"
    assert link.first == "002"
    assert "2021-08-18" in link.first_reason and "2021-08-27" in link.first_reason
    shown = [(texts["002"][s.para_a], texts["000"][s.para_b]) for s in link.shared]
    assert len(shown) == 2
    (a1, b1), (a2, b2) = shown
    assert a1.startswith("Analysts say") and "neighbouring Iran on edge" in a1
    assert b1.startswith("Analysts say") and "neighboring Iran on edge" in b1
    assert a2.startswith("Iran never recognized the Taliban") and "part of a future solution" in a2
    assert b2.startswith("But Iran has stressed") and "part of a future solution" in b2
    assert "part of a future solution" in link.shared[1].text


def test_seeds_through_the_foundation_pipeline() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    from storyline.ingest import foundation_stages
    from storyline.pipeline import Pipeline
    from storyline.sources.files import read_paths

    articles = list(read_paths([str(SEEDS)]))
    Pipeline(foundation_stages()).run_batch(articles)
    index = CopyIndex()
    links = []
    for a in articles:
        links += index.add(
            Path(a.source).name[:3],
            a.paragraphs,
            a.published,
            a.date_source,
            a.agencies,
            a.outlet,
            not_before=a.date_not_before,
            byline=a.byline,
        )
    assert [(x.a, x.b, x.kind, x.first, len(x.shared)) for x in links] == [
        ("002", "000", "partial", "002", 2)
    ]


# -- kinds and who first -------------------------------------------------------------------------


def test_exact_reprint_is_exact_and_whitespace_does_not_matter() -> None:
    index = CopyIndex()
    index.add("orig", WIRE, "2024-03-03", "date-line", ["Reuters"], "Wire Outlet")
    links = index.add(
        "copy", [p.replace(" ", "  ") for p in WIRE], "2024-03-04", "url", ["Reuters"], "Reprinter"
    )
    assert [(x.a, x.b, x.kind, x.first) for x in links] == [("orig", "copy", "exact", "orig")]
    assert len(links[0].shared) == len(WIRE)


def test_respelt_trimmed_copy_is_edited_wire() -> None:
    index = CopyIndex()
    index.add("orig", WIRE, "2024-03-03", "date-line", ["Reuters"], "A")
    copy = [americanised(p) for p in WIRE[:-1]] + [OWN[0]]
    links = index.add("copy", copy, None, None, ["Reuters"], "B", not_before="2024-03-05")
    assert len(links) == 1
    link = links[0]
    assert (link.kind, link.first) == ("edited_wire", "orig")
    assert "strict lower bound" in link.first_reason
    assert [(s.para_a, s.para_b) for s in link.shared] == [(i, i) for i in range(5)]
    assert all(s.similarity == 1.0 for s in link.shared)


def test_two_borrowed_paragraphs_by_a_staff_reporter_are_partial() -> None:
    index = CopyIndex()
    index.add("orig", WIRE, "2024-03-03", "date-line", ["Reuters"], "A")
    story = [OWN[0], WIRE[1], OWN[1], WIRE[3], OWN[2], OWN[3]]
    links = index.add("mixed", story, "2024-03-03", "url", ["Reuters"], "B", byline="Sara Khan")
    assert [(x.kind, x.first) for x in links] == [("partial", "unknown")]
    assert [(s.para_a, s.para_b) for s in links[0].shared] == [(1, 1), (3, 3)]
    assert "same day" in links[0].first_reason


def test_unrelated_articles_on_the_same_topic_are_not_copies() -> None:
    index = CopyIndex()
    index.add("one", WIRE, "2024-03-03", None, [], None)
    assert index.add("two", OWN, "2024-03-03", None, [], None) == []


def test_undated_without_a_strict_bound_cannot_be_ordered() -> None:
    index = CopyIndex()
    index.add("orig", WIRE, "2024-03-03", "url", [], None)
    links = index.add("copy", WIRE[:4], None, None, [], None, not_before="2024-03-03")
    assert links[0].first == "unknown"
    assert links[0].a == "copy"  # unordered links are oriented by id


def test_adding_again_finds_nothing_and_changed_text_replaces() -> None:
    index = CopyIndex()
    index.add("orig", WIRE, "2024-03-03", None, [], None)
    assert len(index.add("copy", WIRE[:3], "2024-03-04", None, [], None)) == 1
    assert index.add("copy", WIRE[:3], "2024-03-04", None, [], None) == []
    assert index.add("copy", OWN, "2024-03-04", None, [], None) == []
    assert len(index.add("third", WIRE[2:5], "2024-03-05", None, [], None)) == 1


def test_independent_sources_count_copies_once() -> None:
    links = [("a", "b"), ("b", "c")]
    assert independent_sources(["a", "b", "c", "d"], links) == 2
    assert independent_sources(["a", "d"], links) == 2
    assert independent_sources([], links) == 0


def test_shared_span_is_the_stretch_both_print() -> None:
    a = "Officials said on Sunday that the main crossing would reopen for trucks next week."
    b = "A statement said the main crossing would reopen for trucks next week, officials added."
    assert shared_span(a, b) == "the main crossing would reopen for trucks next week"


def _aligned_span(text_a: str, text_b: str) -> str:
    """The span as first written: both paragraphs tokenised afresh and aligned by difflib."""
    ta, tb = tokenise(text_a, SPAN_ALIGN_WORDS), tokenise(text_b, SPAN_ALIGN_WORDS)
    matcher = difflib.SequenceMatcher(None, [t.norm for t in ta], [t.norm for t in tb], False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= 3]
    if not blocks:
        return ""
    return text_a[ta[blocks[0].a].start : ta[blocks[-1].a + blocks[-1].size - 1].end]


def test_shared_span_kept_words_give_the_aligned_span_and_stay_bounded() -> None:
    # Kept words and the same-words shortcut must answer as a fresh alignment does, for the same
    # paragraph printed again, respelt, edited, extended or unrelated, once the cache has turned
    # over (more paragraphs than it keeps) and for a paragraph longer than the aligned words.
    rng = random.Random(4)
    paragraphs = [p for s in generate(300, 9, realistic=True) for p in s.body.split("\n\n")]
    paragraphs += [*WIRE, " ".join(WIRE * 12)]
    pairs = []
    for _ in range(SPAN_CACHE + 500):
        a = rng.choice(paragraphs)
        words = a.split()
        for _ in range(rng.randint(0, 3)):
            if words:
                words[rng.randrange(len(words))] = rng.choice(["said", "the", "Kabul"])
        b = rng.choice([a, a.upper(), " ".join(words), "More words. " + a, rng.choice(WIRE)])
        pairs.append((a, b))
    for a, b in pairs + pairs[:200]:
        assert shared_span(a, b) == _aligned_span(a, b)
        assert shared_span(b, a) == _aligned_span(b, a)
    assert len(copy_index._SPAN_WORDS) <= SPAN_CACHE


# -- hostile input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraphs",
    [
        [],
        [""],
        ["   ", "\n"],
        ["word"] * 50,
        ["a b"] * 50,
        ["\x00\ufeff", "‘’“”", "_ _ _ _ _ _ _ _ _ _"],
    ],
)
def test_empty_and_tiny_paragraphs_link_nothing(paragraphs: list[str]) -> None:
    index = CopyIndex()
    assert index.add("x", paragraphs) == []
    assert index.add("y", paragraphs) == []
    assert prepare(paragraphs)[0] == []


def test_ten_thousand_paragraph_document_stays_bounded() -> None:
    huge = [f"{p} Item {i} of a very long page." for i, p in enumerate(WIRE * 1700)]
    assert len(huge) > 10_000
    index = CopyIndex()
    index.add("orig", WIRE, "2024-03-03", None, [], None)
    started = time.perf_counter()
    links = index.add("huge", huge, "2024-03-04", None, [], None)
    assert time.perf_counter() - started < 30
    assert index.entries["huge"].counted <= MAX_PARAGRAPHS
    assert [(x.a, x.b) for x in links] == [("orig", "huge")]
    assert len(links[0].shared) == len(WIRE)  # one to one, not 1,700 times each


def test_megabyte_paragraph_is_read_partly() -> None:
    started = time.perf_counter()
    paras, _ = prepare(["word " * 250_000])
    assert time.perf_counter() - started < 5
    assert len(paras) == 1 and paras[0].shingles.size <= 2


def test_boilerplate_repeated_everywhere_links_nothing() -> None:
    footer = (
        "Subscribe to our newsletter for the latest news from the region delivered to "
        "your inbox every morning before seven."
    )
    index = CopyIndex()
    for i in range(MAX_POSTINGS + 5):
        own = (
            f"Page {i} reports that the council of district {i} met on day {i} of the month "
            f"to discuss budget line {i} and road {i}."
        )
        assert index.add(f"page{i:04d}", [own, footer]) == [] or i <= MAX_POSTINGS
    mine = "An entirely different report about the weather in the hills and the rain expected."
    assert index.add("last", [mine, footer]) == []
    assert index.skipped_boilerplate > 0


def test_story_syndicated_to_hundreds_of_outlets_stays_linked_and_bounded() -> None:
    index = CopyIndex()
    index.add("orig", WIRE, "2024-03-01", None, ["Reuters"], None)
    for i in range(300):
        index.add(f"out{i:03d}", WIRE, "2024-03-02", None, ["Reuters"], None)
    started = time.perf_counter()
    links = index.add(
        "late", [americanised(p) for p in WIRE], "2024-03-05", None, ["Reuters"], None
    )
    assert time.perf_counter() - started < 5
    assert 0 < len(links) <= MAX_POSTINGS
    assert ("orig", "late", "edited_wire", "orig") in [(x.a, x.b, x.kind, x.first) for x in links]
    assert index.distinct_paragraphs == len(WIRE)  # each distinct paragraph indexed once


# -- evaluator on the sample corpus --------------------------------------------------------------


def test_gold_fixture_matches_the_manifest() -> None:
    if not (SAMPLE / "manifest.jsonl").exists():
        pytest.skip("sample corpus manifest not found")
    fixture = [json.loads(line) for line in FIXTURE.read_text("utf-8").splitlines()]
    assert fixture == gold_pairs(SAMPLE / "manifest.jsonl")


def test_sample_corpus_copy_pairs_quality_floor() -> None:
    if not (SAMPLE / "manifest.jsonl").exists():
        pytest.skip("sample corpus manifest not found")
    report = evaluate_copies(FIXTURE, SAMPLE)
    assert report["gold_pairs"] >= 15
    assert report["precision"] >= 0.99, report["false_positives"]
    assert report["recall"] >= 0.95, report["missed"]
    assert report["first"]["wrong"] == []
    assert report["kind"]["wrong"] == []
    assert report["sources"]["agree"] == report["sources"]["stories"]


# -- store and CLI -------------------------------------------------------------------------------


def article(
    aid: str,
    paragraphs: list[str],
    published: str | None,
    agencies: list[str],
    outlet: str,
    not_before: str | None = None,
) -> Article:
    text = "\n\n".join(paragraphs)
    return Article(
        source=f"{aid}.txt",
        id=aid,
        content_hash=f"h-{aid}-{hash(text)}",
        text=text,
        paragraphs=paragraphs,
        title=f"Title {aid}",
        published=published,
        date_source="url" if published else None,
        date_not_before=not_before,
        agencies=agencies,
        outlet=outlet,
    )


def test_store_update_restart_rebuild_and_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli.main import app
    from storyline.store import Store
    from storyline.store.copies import links_for, source_count
    from storyline.update import Updater
    from storyline.update.find_copies import FindCopies

    def links(store: Store) -> list[tuple[str, str, str, str]]:
        rows = store.conn.execute("SELECT a, b, kind, first FROM copy_links ORDER BY a, b")
        return [tuple(r) for r in rows]

    def copies_changes(store: Store) -> list[str]:
        rows = store.conn.execute("SELECT key FROM changes WHERE kind = 'copies' ORDER BY key")
        return [r[0] for r in rows]

    db = tmp_path / "s.db"
    first = [
        article("orig0001", WIRE, "2024-03-03", ["Reuters"], "A"),
        article("other001", OWN, "2024-03-03", [], "C"),
    ]
    with Store(db) as store:
        store.write_batch([(a.id, a) for a in first])
        report = Updater(store, [FindCopies()]).run()
        assert report.changes == {"find_copies": 2} and links(store) == []
    second = [
        article(
            "copy0001",
            [americanised(p) for p in WIRE[:5]],
            None,
            ["Reuters"],
            "B",
            not_before="2024-03-04",
        )
    ]
    with Store(db) as store:  # a new process: the index comes back from copy_index
        store.write_batch([(a.id, a) for a in second])
        updater = Updater(store, [FindCopies()])
        assert updater.lag() == {"find_copies": 1}
        updater.run()
        assert links(store) == [("orig0001", "copy0001", "edited_wire", "orig0001")]
        assert copies_changes(store) == ["copy0001", "orig0001"]  # for the steps after it
        store.write_batch([(a.id, a) for a in second])  # unchanged: nothing is logged
        assert updater.lag() == {"find_copies": 0} and updater.run().changes == {}
        stored = links_for(store.conn, "copy0001")
        assert len(stored) == 1 and len(stored[0]["shared"]) == 5
        assert source_count(store.conn, ["orig0001", "copy0001", "other001"]) == 2
        before = [
            (r["a"], r["b"], r["kind"], r["first"]) for r in links_for(store.conn, "orig0001")
        ]
        assert updater.rebuild("find_copies") == {"links": 1}
        assert updater.lag() == {"find_copies": 0}
        after = [(r["a"], r["b"], r["kind"], r["first"]) for r in links_for(store.conn, "orig0001")]
        assert before == after
    result = CliRunner().invoke(app, ["--db", str(db), "copies", "copy0001", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["independent_sources"] == 1 and report["articles_counted"] == 2
    link = report["links"][0]
    assert link["relation"] == "this article reuses orig0001's text"
    assert link["shared"][1]["paragraph_a"] == WIRE[1]
    assert link["shared"][1]["paragraph_b"] == americanised(WIRE[1])
    text = CliRunner().invoke(app, ["--db", str(db), "copies", "orig0001"])
    assert text.exit_code == 0
    assert "copy0001 reuses this article's text" in text.output
    assert "edited wire copy" in text.output
    missing = CliRunner().invoke(app, ["--db", str(db), "copies", "nope"])
    assert missing.exit_code == 2


def test_one_short_stock_paragraph_is_not_a_copy_but_one_long_paragraph_is() -> None:
    """Two reports that each open with the same one-line stock phrasing did not copy each
    other; a long paragraph taken over whole (a shared background paragraph) is a copy."""
    from storyline.cluster.copy_index import CopyIndex

    stock = "In Zaranj, the ministry announced new measures after talks, officials said on {}."
    own_a = [
        "Traders at the crossing counted forty trucks waiting on the far side since dawn.",
        "A customs officer said the scanners had been repaired only the week before.",
    ]
    own_b = [
        "Farmers upstream said the canal had carried less water every week this month.",
        "The provincial council asked for an inquiry into the pumping licences granted.",
    ]
    background = (
        "The treaty signed in 1973 allots the lower basin a fixed share of the river every year, "
        "but both governments have accused each other of breaking it during the long drought, "
        "and a joint commission that was meant to settle such disputes has not met since 2019."
    )
    index = CopyIndex()
    index.add("a", [stock.format("Monday"), *own_a], "2024-05-06")
    assert index.add("b", [stock.format("Tuesday"), *own_b], "2024-05-07") == []
    assert index.skipped_short == 1
    index.add("c", [*own_a[:1], background], "2024-05-08")
    links = index.add("d", [*own_b[:1], background.replace("2019", "early 2019")], "2024-05-09")
    assert [(x.a, x.b) for x in links] == [("c", "d")]
