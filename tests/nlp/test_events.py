"""Coded events: the dictionary, the coder on real and labelled sentences, dates, store and CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from storyline.article import Article, Event
from storyline.nlp.event_dates import anchor_of, find_dates, resolve
from storyline.nlp.events import PLOVER_TYPES, EventStage, inflect, load_dictionary, tokenize

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "events_plover.jsonl"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

#: Quality floors on tests/fixtures/events_plover.jsonl. They may only be raised.
FLOORS = {
    "type_accuracy": 0.92,
    "type_found": 0.94,
    "source_match": 0.92,
    "target_match": 0.94,
    "date_accuracy": 0.95,
}


@pytest.fixture(scope="module")
def entities():  # type: ignore[no-untyped-def]
    from storyline.nlp.entities import EntityStage

    stage = EntityStage()
    stage.setup()
    return stage


@pytest.fixture(scope="module")
def coded(entities):  # type: ignore[no-untyped-def]
    """Code one text as an article published on ``published``."""
    events = EventStage()

    def run(text: str, published: str | None = None, not_before: str | None = None) -> Article:
        article = Article("test", text=text, published=published, date_not_before=not_before)
        entities.process_batch([article])
        events.process(article)
        assert article.ok, article.failed
        return article

    return run


def only(article: Article, type_: str) -> Event:
    found = [e for e in article.events if e.type == type_]
    assert found, f"no {type_} in {[(e.type, e.rule) for e in article.events]}"
    return found[0]


# -- dictionary ----------------------------------------------------------------------------------


def test_dictionary_covers_every_plover_category() -> None:
    book = load_dictionary()
    categories = {p.category for ps in book.patterns.values() for p in ps if p.category}
    assert categories == set(PLOVER_TYPES)


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("agree", {"agree", "agrees", "agreed", "agreeing"}),
        ("deny", {"deny", "denies", "denied", "denying"}),
        ("accuse", {"accuse", "accuses", "accused", "accusing"}),
        ("launch", {"launch", "launches", "launched", "launching"}),
        ("deploy", {"deploy", "deploys", "deployed", "deploying"}),
    ],
)
def test_inflection_rules(lemma: str, forms: set[str]) -> None:
    assert set(inflect(lemma)) == forms


def test_irregular_forms_come_from_the_table() -> None:
    book = load_dictionary()
    for form in ("met", "held", "banned", "withdrew", "sought", "fought"):
        assert form in book.patterns, form


def test_tokenizer_splits_possessives_and_negation() -> None:
    toks = tokenize("Iran’s envoy didn't meet Pakistan's minister")
    assert toks.lower == ["iran", "'s", "envoy", "did", "n't", "meet", "pakistan", "'s", "minister"]
    text = "Iran’s envoy didn't meet Pakistan's minister"
    assert [text[s:e] for s, e in zip(toks.starts, toks.ends, strict=True)][:5] == [
        "Iran", "’s", "envoy", "did", "n't"
    ]  # fmt: skip


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "value", "precision"),
    [
        ("called on Thursday for", "2021-08-27", "2021-08-26", "day"),  # a Friday
        ("said on Friday", "2021-08-27", "2021-08-27", "day"),  # same weekday: that day
        ("met last Friday", "2021-08-27", "2021-08-20", "day"),
        ("will meet next Monday", "2021-08-27", "2021-08-30", "day"),
        ("yesterday", "2024-03-01", "2024-02-29", "day"),  # leap day
        ("on August 15 as troops", "2021-08-27", "2021-08-15", "day"),
        ("on 24 January 2024", "2024-03-01", "2024-01-24", "day"),
        ("on December 30", "2024-01-03", "2023-12-30", "day"),  # year taken from the anchor
        ("last week", "2021-08-27", "2021-08-16", "week"),
        ("earlier this month", "2021-08-27", "2021-08", "month"),
        ("in March", "2024-01-10", "2023-03", "month"),  # a past month, not a future one
        ("between 1996 and 2001", "2021-08-27", "1996", "year"),
    ],
)
def test_date_expressions_resolve_against_the_article_date(
    text: str, published: str, value: str, precision: str
) -> None:
    anchor = anchor_of(published, None)
    resolved = [resolve(m, anchor) for m in find_dates(text)]
    first = next(r for r in resolved if r is not None)
    assert (first.value, first.precision, first.bound) == (value, precision, False)


def test_lower_bound_anchor_marks_the_date_as_a_bound() -> None:
    anchor = anchor_of(None, "2024-02-12")
    result = resolve(find_dates("on Sunday")[0], anchor)
    assert result is not None and result.value == "2024-02-11" and result.bound


def test_relative_dates_without_anchor_are_left_unresolved() -> None:
    assert resolve(find_dates("on Thursday")[0], None) is None
    absolute = resolve(find_dates("on 15 August 2021")[0], None)
    assert absolute is not None and absolute.value == "2021-08-15"


# -- the coder on sentences ----------------------------------------------------------------------


def test_agree_with_coordinated_subject_is_reciprocal(coded) -> None:  # type: ignore[no-untyped-def]
    a = coded("Iran and Pakistan have agreed to enhance cooperation on stability.", "2021-04-01")
    event = only(a, "AGREE")
    assert (event.source, event.target) == ("Iran", "Pakistan")
    assert "reciprocal" in event.rule and event.trigger == "agreed to"
    assert [e.type for e in a.events] == ["AGREE"]  # "cooperation" is absorbed by "agreed to"


def test_passive_voice_swaps_source_and_target(coded) -> None:  # type: ignore[no-untyped-def]
    event = only(coded("Iran was attacked by Israel in April, officials said.", "2024-05-02"),
                 "ASSAULT")  # fmt: skip
    assert (event.source, event.target, event.date) == ("Israel", "Iran", "2024-04")


@pytest.mark.parametrize(
    ("text", "type_", "mode"),
    [
        ("India did not sign the agreement with Russia.", "AGREE", "negated"),
        ("Tehran never recognized the Taliban government.", "SUPPORT", "negated"),
        ("Russia is ready to help Afghanistan rebuild its grid.", "AGREE", "intent"),
        ("Pakistan plans to attack Afghan Taliban hideouts.", "THREATEN", "intent"),
        ("Iran will provide aid to Afghanistan.", "AID", "future"),
        ("Turkey could impose sanctions on Syria.", "SANCTION", "hypothetical"),
        ("Islamabad refused to cooperate with Kabul.", "REJECT", ""),
    ],
)
def test_modes_and_intent(coded, text: str, type_: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    a = coded(text, "2024-03-04")
    assert a.events and a.events[0].type == type_ and a.events[0].mode == mode


def test_call_on_is_a_request_with_to_and_a_visit_without(coded) -> None:  # type: ignore[no-untyped-def]
    request = coded("The United Nations called on Pakistan to exercise restraint.", "2024-03-04")
    assert (request.events[0].type, request.events[0].target) == ("REQUEST", "Pakistan")
    visit = coded(
        "The Iranian minister called on Shehbaz Sharif and discussed trade.", "2024-03-04"
    )
    assert visit.events[0].type == "CONSULT"


def test_place_comes_from_in_phrases_not_from_actors(coded) -> None:  # type: ignore[no-untyped-def]
    event = only(coded("Iran's president met Recep Tayyip Erdogan in Ankara on Monday.",
                       "2024-01-26"), "CONSULT")  # fmt: skip
    assert (event.source, event.target, event.place) == ("Iran", "Recep Tayyip Erdogan", "Ankara")
    assert (event.date, event.date_precision) == ("2024-01-22", "day")


def test_unnamed_subject_keeps_the_event_and_no_trigger_no_event(coded) -> None:  # type: ignore[no-untyped-def]
    # No named actor: the parse gives the verb's subject, a common noun phrase that names no
    # actor, so the event is kept without one (the floor set labels this sentence PROTEST).
    marched = only(coded("Several hundred mourners marched behind the coffins.", "2024-02-13"),
                   "PROTEST")  # fmt: skip
    assert (marched.source, marched.source_actor, marched.target) == (None, None, None)
    assert marched.rule.endswith("+unnamed")
    # A name NER misses at the start of a sentence is the verb's subject, hence the source.
    freed = only(coded("Belarus released the Lithuanian lorry driver on Thursday.", "2024-02-13"),
                 "RETREAT")  # fmt: skip
    assert freed.source == "Belarus" and "+subject" in freed.rule
    # A pronoun is nobody without coreference: no event.
    assert coded("They marched behind the coffins.", "2024-02-13").events == []
    assert coded("Pakistan is the fifth most populous country.", "2024-02-13").events == []


def test_delivering_food_or_supplies_is_aid(coded) -> None:  # type: ignore[no-untyped-def]
    text = "The Red Crescent delivered food and tents to families driven out by the floods."
    aid = only(coded(text, "2024-03-02"), "AID")
    assert aid.source == "The Red Crescent"
    assert coded("Caravans delivered grain to the market.", "2024-03-02").events == []


def test_article_date_fallback_and_bound(coded) -> None:  # type: ignore[no-untyped-def]
    dated = only(coded("Turkey condemned the bombing of a mosque.", "2024-03-04"), "ACCUSE")
    assert (dated.date, dated.date_precision, dated.date_bound) == ("2024-03-04", "article", False)
    undated = only(coded("Turkey condemned the bombing on Sunday.", None, "2024-03-04"), "ACCUSE")
    assert (undated.date, undated.date_precision, undated.date_bound) == ("2024-03-03", "day", True)


def test_evidence_and_span_point_at_the_sentence(coded) -> None:  # type: ignore[no-untyped-def]
    text = "Weather was fine.\n\nThe Taliban threatened to retaliate against Pakistan."
    a = coded(text, "2024-03-04")
    event = only(a, "THREATEN")
    assert text[event.start : event.end] == event.evidence
    assert event.sentence == 1 and (event.source, event.target) == ("Taliban", "Pakistan")


def test_hostile_input_is_coded_in_bounded_time(coded) -> None:  # type: ignore[no-untyped-def]
    from storyline.nlp.events import EventCoder
    from storyline.nlp.events import Span as SpanT

    # CPU time of this process, not wall-clock time (which other processes' load stretches: the
    # wall-clock bound of 0.5 s failed at 0.54 s under a parallel CI run), and a bound far from a
    # linear pass (tens of milliseconds here) and far below catastrophic backtracking (minutes)
    coder = EventCoder()
    for text in ("agreed to " * 10_000, "Iran attacked " * 7_000, "on Thursday " * 9_000,
                 "a" * 100_000, "9 " * 50_000):  # fmt: skip
        article = Article("hostile", text=text[:100_000], published="2024-01-01")
        article.sentences = [SpanT(0, len(article.text))]
        started = time.process_time()
        coder.code(article)
        assert time.process_time() - started < 2.0
    started = time.process_time()
    find_dates("9 " * 50_000)
    assert time.process_time() - started < 2.0


# -- seeds (real articles) -----------------------------------------------------------------------


def _seed(name_prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"real seed articles not found at {SEEDS} (they live beside the repo)")
    return next(SEEDS.glob(f"{name_prefix}_*.txt")).read_text(encoding="utf-8")


def test_seed_000_raisi_calls_for_cooperation_on_thursday(coded) -> None:  # type: ignore[no-untyped-def]
    a = coded(_seed("000"), "2021-08-27")  # a Friday
    event = next(e for e in a.events if "called on Thursday" in e.evidence)
    assert event.type in ("REQUEST", "COOPERATE")
    assert event.source is not None and "Raisi" in event.source
    assert (event.date, event.date_precision) == ("2021-08-26", "day")
    # "Tehran never recognized the Taliban during its first period ruling Afghanistan between
    # 1996 and 2001" is history told for context (issue 10): no current event is coded from it.
    assert not [e for e in a.events if "between 1996 and 2001" in e.evidence]


def test_seed_004_iran_and_pakistan_agree(coded) -> None:  # type: ignore[no-untyped-def]
    a = coded(_seed("004"))
    event = next(e for e in a.events if "have agreed to enhance cooperation" in e.evidence)
    assert (event.type, event.source, event.target) == ("AGREE", "Iran", "Pakistan")
    assert event.date is None  # undated article, no date in the sentence


def test_seed_002_ready_to_cooperate_is_agree_intent(coded) -> None:  # type: ignore[no-untyped-def]
    a = coded(_seed("002"), "2021-08-18")
    event = next(e for e in a.events if e.evidence.startswith('"Iran is ready to cooperate'))
    assert (event.type, event.mode, event.source, event.target) == ("AGREE", "intent", "Iran",
                                                                    "China")  # fmt: skip
    request = next(e for e in a.events if e.trigger.startswith("called on China"))
    assert (request.type, request.source, request.target) == ("REQUEST", "Raisi", "China")


# -- evaluator and quality floors ----------------------------------------------------------------


def test_names_match_rules() -> None:
    from storyline.evaluate.events import names_match

    assert names_match("Raisi", "Ebrahim Raisi")
    assert names_match("Iran", "Iranian")
    assert names_match("Afghanistan", None, "Afghan")
    assert names_match(None, None)
    assert not names_match("Iran", "Iraq")
    assert not names_match(None, "Iran")
    assert not names_match("Iran", None)


def test_fixture_is_labelled_in_plover() -> None:
    records = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 40
    assert {r["type"] for r in records} <= {*PLOVER_TYPES, "NONE"}
    assert sum(r["type"] == "NONE" for r in records) >= 8


def test_quality_floors_on_labelled_sentences() -> None:
    from storyline.evaluate.events import evaluate_events, format_report

    result = evaluate_events(FIXTURE)
    report = format_report(result)
    for name, floor in FLOORS.items():
        assert result[name] >= floor, f"{name} {result[name]:.3f} fell below {floor}\n{report}"
    assert "event-type accuracy" in report


# -- store and CLI -------------------------------------------------------------------------------


def _stored(tmp_path: Path) -> Path:
    from storyline.article import Span
    from storyline.store import Store

    db = tmp_path / "events.db"
    article = Article("a.txt", id="abc123", content_hash="h", text="Turkey condemned Iran.",
                      title="T", outlet="Desk", published="2024-03-04")  # fmt: skip
    article.sentences = [Span(0, 22)]
    article.events = [
        Event(
            "ACCUSE",
            "Turkey",
            "Iran",
            0,
            "Turkey condemned Iran.",
            0,
            22,
            date="2024-03-04",
            date_precision="article",
            source_actor="Turkey",
            target_actor="Iran",
            trigger="condemned",
            rule="verb:condemn",
        ),
    ]
    with Store(db) as store:
        store.write_batch([("a.txt", article)])
        store.write_batch([("a.txt", article)])  # re-writing replaces, never duplicates
        rows = store.conn.execute("SELECT type, source_actor, date FROM events").fetchall()
    assert [tuple(r) for r in rows] == [("ACCUSE", "Turkey", "2024-03-04")]
    return db


def test_store_and_cli_filters_and_exports(tmp_path: Path) -> None:
    """Through a real ingest (the update steps link the event's actors), so `--actor` finds the
    event under any spelling of its actor, as an analyst would type it."""
    from typer.testing import CliRunner

    from storyline.cli.main import app

    _stored(tmp_path)  # the store keeps one row per event, whatever is written twice
    folder = tmp_path / "in"
    folder.mkdir()
    record = {
        "title": "Turkey condemns Iran",
        "published": "2024-03-04",
        "outlet": "Desk",
        "text": "ANKARA -- Turkey condemned Iran on Monday over the border shelling.",
    }
    (folder / "a.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "ingested.db"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(db), "ingest", str(folder)]).exit_code == 0
    for spelling in ("iran", "Iran", "country-ir"):
        result = runner.invoke(app, ["--db", str(db), "events", "--actor", spelling, "--json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert [(r["type"], r["source_name"], r["target_name"]) for r in rows] == [
            ("ACCUSE", "Turkey", "Iran")
        ], spelling
        assert "actor: Iran (country-ir" in result.stderr
    result = runner.invoke(app, ["--db", str(db), "events", "--type", "assault", "--json"])
    assert json.loads(result.stdout) == []
    result = runner.invoke(app, ["--db", str(db), "events", "--type", "accuse", "--csv"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("article_id,seq,type,source,source_actor,target,target_actor")
    assert ",0,ACCUSE,Turkey,country-tr,Iran,country-ir," in lines[1]
    result = runner.invoke(app, ["--db", str(db), "events", "--type", "BOGUS"])
    assert result.exit_code == 2 and "valid types: AGREE" in result.output
