"""Issue 10, second round: patterns found on the wire-style set ``tests/data/enrich_wire``.

Quotes: the "that" of the reported clause, a day right after the cue, the closing mark of a mixed
quote, a source described after its cue, "add" as adding a thing. Events: the parse's subject of a
verb with no named actor, yielding to pressure (CONCEDE), gathering to denounce (PROTEST). The
sentences here are written for these tests; the floors of the wire-style sets may only be raised.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.article import Article
from storyline.evaluate.events import evaluate_events
from storyline.evaluate.quotes import evaluate_quotes

WIRE = Path(__file__).resolve().parents[1] / "data" / "enrich_wire"


@pytest.fixture(scope="module")
def run():  # type: ignore[no-untyped-def]
    """Entities, actors, places, quotes and events over one text, as ingest runs them."""
    from storyline.nlp.actor_keys import ActorStage
    from storyline.nlp.entities import EntityStage
    from storyline.nlp.events import EventStage
    from storyline.nlp.places import PlaceStage
    from storyline.nlp.quotes import QuoteStage

    stages = [EntityStage(), ActorStage(), PlaceStage(), QuoteStage(), EventStage()]
    for stage in stages:
        stage.setup()

    def enrich(text: str) -> Article:
        article = Article("test", text=text, published="2026-05-12")
        for stage in stages:
            stage.process_batch([article])
        assert article.ok, article.failed
        return article

    return enrich


def quote_with(article: Article, fragment: str):  # type: ignore[no-untyped-def]
    found = [q for q in article.quotes if fragment in q.text]
    assert found, [(q.speaker, q.text) for q in article.quotes]
    return found[0]


def source(article: Article, quote) -> str:  # type: ignore[no-untyped-def]
    return article.text[quote.speaker_start : quote.speaker_end]


# -- quotes --------------------------------------------------------------------------------------
def test_that_inside_the_reported_clause_does_not_start_it(run) -> None:  # type: ignore[no-untyped-def]
    article = run("The inspector said the builder had admitted that the beams were too thin.")
    q = quote_with(article, "beams")
    assert q.text == "the builder had admitted that the beams were too thin"


def test_a_day_after_the_cue_is_not_content(run) -> None:  # type: ignore[no-untyped-def]
    article = run("Harbour officials said Thursday the ferry would sail again next week.")
    assert quote_with(article, "ferry").text == "the ferry would sail again next week"


def test_mixed_content_keeps_its_closing_mark(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "Oskar Lind, a fisherman, said the new quota was “a death sentence for the coast”."
    )
    q = quote_with(article, "quota")
    assert q.kind == "mixed" and q.text.endswith("coast”")


def test_a_source_described_after_its_cue_keeps_the_description(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "“The water came in through the floor,” said Mira Holt, a baker whose shop flooded."
    )
    q = quote_with(article, "water came")
    assert source(article, q) == "Mira Holt, a baker whose shop flooded"
    assert q.speaker == "Mira Holt"  # the name stays the speaker


def test_adding_a_thing_is_no_speech(run) -> None:  # type: ignore[no-untyped-def]
    article = run("Airlines warned on Monday that they would add a fuel charge to every ticket.")
    q = quote_with(article, "fuel charge")
    assert source(article, q) == "Airlines" and q.cue == "warned"
    assert q.text.startswith("they would add")


def test_wire_quote_sets_floors() -> None:
    for name, floor in (("quotes_brat", 0.94), ("quotes_heldout", 0.95)):
        result = evaluate_quotes(WIRE / name)
        assert result["attribution_recall"] >= floor, (name, result["attribution_recall"])
        assert result["overlap"]["Source"]["f1"] >= floor, (name, result["overlap"]["Source"])
        assert result["overlap"]["Content"]["f1"] >= floor, (name, result["overlap"]["Content"])
        assert result["exact"]["Source"]["f1"] >= 0.83, (name, result["exact"]["Source"])


# -- events --------------------------------------------------------------------------------------
def test_a_verb_with_no_named_actor_is_coded_from_its_subject(run) -> None:  # type: ignore[no-untyped-def]
    article = run("Soldiers in Lagos detained dozens of students on Friday.")
    event = article.events[0]
    assert (event.type, event.source, event.source_actor) == ("COERCE", None, None)
    assert "+unnamed" in event.rule


def test_yielding_to_pressure_is_concede(run) -> None:  # type: ignore[no-untyped-def]
    article = run("Peru's government bowed to pressure from miners and suspended the new royalty.")
    assert [e.type for e in article.events] == ["CONCEDE"]
    resigned = run("Chile's mining minister resigned after two weeks of strikes.")
    assert resigned.events[0].type == "CONCEDE"


def test_gathering_to_denounce_is_a_protest(run) -> None:  # type: ignore[no-untyped-def]
    article = run("Hundreds of Peruvian miners gathered in Lima to denounce the new royalty.")
    assert article.events[0].type == "PROTEST"
    official = run("Peru denounced the new royalty imposed by Chile.")
    assert official.events[0].type == "ACCUSE"


def test_wire_event_sets_floors() -> None:
    for name, floor in (("events_plover.jsonl", 0.93), ("events_heldout.jsonl", 0.85)):
        result = evaluate_events(WIRE / name)
        assert result["type_accuracy"] >= floor, (name, result["type_accuracy"])
        assert result["detection"]["recall"] >= 0.95, (name, result["detection"])
        assert result["source_match"] >= 0.87, (name, result["source_match"])
