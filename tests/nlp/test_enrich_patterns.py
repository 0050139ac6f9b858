"""The failure patterns of issue 10, one test per pattern, on sentences we wrote ourselves.

Entities: section headers are no datelines, a gazetteer alias never cuts a longer name short.
Quotes: attribution read from the dependency parse (nominal and long sources, verbs of showing,
passives, "according to", datelines and quoted names never sources). Events: dissent by
obstruction, demands reported in speech, deals and their brokers, background history, the place
of the event's own clause and the dateline. The development sets in ``tests/data/enrich_dev``
are ours too; their floors may only be raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.article import Article
from storyline.evaluate.entities import evaluate_entities
from storyline.evaluate.events import evaluate_events
from storyline.evaluate.quotes import evaluate_quotes
from storyline.nlp.quote_parse import cue_lemma

DEV = Path(__file__).resolve().parents[1] / "data" / "enrich_dev"


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

    def enrich(text: str, published: str | None = "2026-03-02", dateline: str | None = None):  # type: ignore[no-untyped-def]
        article = Article("test", text=text, published=published, dateline=dateline)
        for stage in stages:
            stage.process_batch([article])
        assert article.ok, article.failed
        return article

    return enrich


def spans(article: Article) -> set[tuple[str, str]]:
    return {(m.text, m.label) for m in article.mentions}


def source_of(article: Article, fragment: str) -> str:
    found = [q for q in article.quotes if fragment in q.text]
    assert found, [(q.speaker, q.text) for q in article.quotes]
    q = found[0]
    return article.text[q.speaker_start : q.speaker_end]


# -- entities ------------------------------------------------------------------------------------
def test_sports_and_section_headers_are_not_datelines(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "SOCCER - LATE GOAL SINKS LEADERS\n\nTENNIS - Marlen Ostrova reached the final.\n\n"
        "NHL ICE HOCKEY - WEEKEND RESULTS\n\nKARSK - The council met on Tuesday."
    )
    found = spans(article)
    assert not any(m.rule == "fix:dateline" and m.text != "KARSK" for m in article.mentions)
    assert ("KARSK", "GPE") in found
    assert not any("SOCCER" in t or "TENNIS" in t or "HOCKEY" in t for t, _ in found)
    # The model glues the label to the name on its own line; the rule cuts the label off.
    glued = run("TENNIS - Marlen Ostrova reached the final in Geneva on Friday.")
    assert "Marlen Ostrova" in {m.text for m in glued.mentions}


def test_gazetteer_alias_never_cuts_a_longer_name(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "Exports from North America rose for a third month.\n\n"
        "China Steel said on Monday its quarterly profit fell.\n\n"
        "Shipments to New Delhi and China resumed after the strike."
    )
    found = {t for t, _ in spans(article)}
    assert {"North America", "China Steel", "New Delhi", "China"} <= found
    assert "America" not in found and "Delhi" not in found


def test_entity_dev_set_floor() -> None:
    result = evaluate_entities(DEV / "entities_dev.conll")
    assert result["overall"]["f1"] >= 0.80, result["overall"]


# -- quotes --------------------------------------------------------------------------------------
def test_cue_lemmas_cover_inflections() -> None:
    assert cue_lemma("said") == "say" and cue_lemma("showed") == "show"
    assert cue_lemma("warns") == "warn" and cue_lemma("denied") == "deny"
    assert cue_lemma("claiming") == "claim" and cue_lemma("table") is None


def test_nominal_source_after_a_dateline(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "Rally goes ahead\n\nKARSK (Wire) - The Velmont campaign said Tuesday that the rally in"
        " Dorrow would go ahead despite the storm."
    )
    assert source_of(article, "rally in Dorrow") == "The Velmont campaign"


def test_a_name_inside_the_quote_is_not_its_speaker(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "Race heats up\n\n\u201cElsa Marrow has the potential to unite a divided party,\u201d"
        " the influential regional daily wrote on Sunday."
    )
    quote = next(q for q in article.quotes if "potential" in q.text)
    assert article.text[quote.speaker_start : quote.speaker_end] == "the influential regional daily"
    assert quote.kind == "direct" and quote.text.endswith("party,")


def test_apposition_and_verbs_of_showing(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "Turnout rises\n\nDoran Pike, the campaign manager, told reporters that the crowd would be"
        " the largest of the year.\n\nThe figures show that turnout among young voters rose for a"
        " third election in a row."
    )
    assert source_of(article, "the crowd would be") == "Doran Pike, the campaign manager"
    assert source_of(article, "turnout among young") == "The figures"


def test_passive_speech_has_its_agent_or_no_source(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "Bridge to reopen\n\nIt was announced by the ministry that the bridge would reopen in May."
        "\n\nRescue teams were told that the dam was safe."
    )
    assert source_of(article, "bridge would reopen") == "the ministry"
    assert not [q for q in article.quotes if "dam was safe" in q.text]


def test_relative_clause_speaker_is_the_noun_it_modifies(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "Plan criticised\n\nThe plan was criticised by opposition lawmakers, who said it came"
        " far too late for the valley."
    )
    assert source_of(article, "came far too late") == "opposition lawmakers"


def test_quote_dev_sets_floors() -> None:
    for name in ("quotes_brat", "quotes_heldout"):
        result = evaluate_quotes(DEV / name)
        # Either convention on quote marks scores alike: ours leaves them out.
        marks = result["content_marks_either_way"]
        assert marks["f1"] >= result["exact"]["Content"]["f1"], (name, marks)
        assert result["attribution_recall"] >= 0.90, (name, result["attribution_recall"])
        assert result["overlap"]["Source"]["f1"] >= 0.90, (name, result["overlap"]["Source"])
        assert result["overlap"]["Content"]["f1"] >= 0.90, (name, result["overlap"]["Content"])


# -- events --------------------------------------------------------------------------------------
def first_event(article: Article):  # type: ignore[no-untyped-def]
    assert article.events, "no event"
    return article.events[0]


def test_blocking_to_show_dissent_is_a_protest(run) -> None:  # type: ignore[no-untyped-def]
    event = first_event(
        run("Kenyan farmers blocked a highway on Tuesday to show their anger at the fuel tax.")
    )
    assert (event.type, event.source) == ("PROTEST", "Kenyan")
    plain = first_event(run("Kenyan police blocked a highway near the border on Tuesday."))
    assert plain.type == "COERCE"


def test_a_demand_reported_in_speech_is_a_request(run) -> None:  # type: ignore[no-untyped-def]
    event = first_event(run("Russia said on Monday that Sudan must return a seized cargo plane."))
    assert (event.type, event.source, event.target) == ("REQUEST", "Russia", "Sudan")


def test_the_broker_of_a_deal_is_not_its_party(run) -> None:  # type: ignore[no-untyped-def]
    event = first_event(
        run(
            "Turkey will allow families to return to the border villages as part of a"
            " UN-brokered deal."
        )
    )
    assert (event.type, event.source) == ("AGREE", "Turkey")
    assert event.target != "UN"


def test_background_years_are_not_current_events(run) -> None:  # type: ignore[no-untyped-def]
    article = run("Chile and Peru signed a maritime border treaty in 1998 after years of dispute.")
    assert article.events == []


def test_place_of_a_later_relative_clause_is_not_the_event_place(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "Police in Lyon arrested three men on Monday, who had travelled from Marseille by train.",
    )
    event = first_event(article)
    assert event.type == "COERCE" and event.place != "Marseille"


def test_dateline_is_no_event_place_when_the_sentence_names_one(run) -> None:  # type: ignore[no-untyped-def]
    text = (
        "KARSK -- Chile and Peru agreed on Monday to reopen the border crossing at Tacna.\n\nMore."
    )
    article = run(text, dateline="Karsk")
    assert first_event(article).place != "Karsk"
    convoy = "KARSK -- Kurdish rebels attacked an army convoy on Monday.\n\nMore."
    other = run(convoy, dateline="Karsk")
    assert first_event(other).place == "Karsk"


def test_a_pair_with_his_counterpart_is_source_and_target(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "Chile's foreign minister Ana Ruiz and her Peruvian counterpart Luis Vega reached the"
        " agreement during a meeting on the sidelines of the Pacific Trade Forum."
    )
    event = first_event(article)
    assert (event.type, event.source, event.target) == ("AGREE", "Ana Ruiz", "Luis Vega")


def test_event_dev_sets_floors() -> None:
    for name, floor in (("events_dev.jsonl", 0.9), ("events_heldout.jsonl", 0.8)):
        result = evaluate_events(DEV / name)
        assert result["type_accuracy"] >= floor, (name, result["type_accuracy"])


def test_the_event_parties_and_the_dateline_name_leave_the_dateline_as_place(run) -> None:  # type: ignore[no-untyped-def]
    # The places the lead names are the acting parties: the act happened where the reporter is.
    urged = "KARSK -- The foreign ministry of Chile on Tuesday urged Peru to free the crew.\n\nM."
    assert first_event(run(urged, dateline="Karsk")).place == "Karsk"
    # The dateline's own name again in the sentence is no other place.
    again = "KARSK -- Kurdish rebels attacked an army convoy near Karsk on Monday.\n\nMore."
    assert first_event(run(again, dateline="Karsk")).place == "Karsk"


# -- span convention (issue 10) ------------------------------------------------------------------
def test_spans_keep_the_as_written_and_actors_stay_the_same(run) -> None:  # type: ignore[no-untyped-def]
    """A leading "the" the model reads with a name stays in the span; the actor it links to,
    and the name it is listed under, are the name without it."""
    article = run(
        "In Islamabad, the Foreign Office said the Islamic Emirate had been told. The Taliban "
        "denied it. On Monday the Ministry of Energy and Water said talks on the Helmand river, "
        "the Tehran meeting and the Islamic State group would go on."
    )
    by_text = {m.text: m for m in article.mentions}
    office = by_text["the Foreign Office"]
    assert (office.actor_id, office.name) == ("pakistan-foreign-office", "Foreign Office")
    assert by_text["the Islamic Emirate"].actor_id == "taliban"
    assert by_text["Taliban"].actor_id == "taliban"  # one word: the model leaves "the" out
    ministry = by_text["the Ministry of Energy and Water"]
    assert ministry.actor_id == "org:ministri-uf-inirgi-and-vatir"  # the key leaves "the" out
    # The gazetteer completes "Helmand" into its river, written as the model writes names...
    assert by_text["the Helmand river"].rule == "gazetteer:helmand-river"
    # ...but a name that modifies the noun after it does not take "the".
    assert "Tehran" in by_text and "Islamic State" in by_text
    for m in article.mentions:
        assert article.text[m.start : m.end] == m.text
    speaker = next(q for q in article.quotes if "talks" in q.text)
    assert speaker.speaker == "the Ministry of Energy and Water"
    assert speaker.speaker_actor == ministry.actor_id


def test_reported_content_never_opens_with_a_dateline(run) -> None:  # type: ignore[no-untyped-def]
    article = run(
        "KABUL: A delegation from Iran arrived in Kabul on Tuesday for two days of talks on the "
        "river, the Ministry of Energy and Water said."
    )
    (quote,) = article.quotes
    assert quote.text.startswith("A delegation from Iran")
