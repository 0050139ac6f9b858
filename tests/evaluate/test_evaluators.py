"""The evaluators measure what ingest does, with its settings, and fail with coded errors.

Quality floors live beside each capability's tests (tests/nlp, tests/cluster) and in
test_extraction.py; these tests check the plumbing: settings reach the evaluators, the entity
stages are on by default for clustering, and a bad labelled file gives an `InputError` or
`EvaluationError` naming the file and the line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import config
from storyline.article import Article
from storyline.cli.main import app
from storyline.cluster.story_clusterer import StoryDoc
from storyline.errors import EvaluationError, InputError, PipelineError
from storyline.evaluate.clustering import (
    add_entities,
    clustering_on_sample,
    evaluate_clustering,
    format_report,
    ingested_docs,
    read_labelled,
    write_labelled,
)
from storyline.evaluate.copies import evaluate_copies
from storyline.evaluate.entities import read_conll
from storyline.evaluate.events import load_records
from storyline.evaluate.extraction import evaluate_metadata
from storyline.evaluate.ingested import enrich, enrichment_pipeline, merged_settings

ROWS = [
    {"id": "a", "title": "Quake hits Van", "text": "A quake hit Van on Monday.", "label": "q"},
    {"id": "b", "title": "Van quake", "text": "The Van quake killed ten.", "label": "q"},
    {"id": "c", "title": "Talks in Kabul", "text": "Talks opened in Kabul.", "label": "t"},
]


def _jsonl(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def test_clustering_takes_its_settings_and_batches_from_the_ingest_settings(
    tmp_path: Path,
) -> None:
    settings = config.load(environ={})
    settings["stories"]["threshold"] = 0.5
    settings["store"]["batch_size"] = 2
    path = _jsonl(tmp_path / "l.jsonl", ROWS)
    result = evaluate_clustering(
        path, shuffles=0, embedder="none", entities=False, ingest_settings=settings
    )
    assert result["settings"]["threshold"] == 0.5
    assert result["batch"] == 2
    assert result["entities"] is False and result["entity_ms_per_article"] is None


def test_clustering_scores_storylines_against_happenings_and_gold_storylines(
    tmp_path: Path,
) -> None:
    """Storyline-level figures: the stories linked into storylines, scored against the gold
    happenings and, when every line has one, against the gold storylines (here `topic`)."""
    rows = [dict(r, topic="quakes" if r["label"] == "q" else "talks") for r in ROWS]
    result = evaluate_clustering(
        _jsonl(tmp_path / "l.jsonl", rows), shuffles=0, embedder="none", entities=False
    )
    for mode in ("incremental", "rebuild"):
        scored = result["storylines"][mode]
        assert set(scored) == {"label", "storyline", "stories_vs_storyline"}
        # one article per storyline at least, never more storylines than articles
        assert 1 <= scored["label"]["clusters"] <= 3
        # the storyline gold here is the happening itself: both scores agree
        assert scored["storyline"]["bcubed_f1"] == scored["label"]["bcubed_f1"]
    assert "storylines over the incremental stories" in format_report(result)
    # without storyline gold only the happenings are scored
    plain = evaluate_clustering(
        _jsonl(tmp_path / "p.jsonl", ROWS), shuffles=0, embedder="none", entities=False
    )
    assert set(plain["storylines"]["rebuild"]) == {"label"}


def test_clustering_runs_the_entity_stages_by_default(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "l.jsonl", ROWS)
    result = evaluate_clustering(path, shuffles=0, embedder="none")
    assert result["entities"] is True and result["entity_ms_per_article"] is not None


# Our own words: a dateline the row's date field does not give, an untitled text, and a line
# that cleaning leaves empty.
INGESTED_ROWS = [
    {"id": "a1", "label": "flood", "title": "Flood closes Harbour Road in Port Velin",
     "text": "March 4, 2025\n\nFloodwater closed Harbour Road in Port Velin on Tuesday after two "
     "days of heavy rain, the city council said. Crews pumped water from the tunnel under the "
     "rail line through the night.\n\nThe council said the road would stay shut until the water "
     "had gone down.", "date": None},
    {"id": "a2", "label": "flood",
     "title": "Port Velin pumps out rail tunnel as Harbour Road stays shut",
     "text": "Council crews in Port Velin spent Wednesday pumping floodwater out of the rail "
     "tunnel beneath Harbour Road, which has been closed since Tuesday's downpour.\n\nThe "
     "council said the road could reopen by the weekend.", "date": "2025-03-05"},
    {"id": "b1", "label": "strike",
     "text": "Bus drivers in Arlen walked out on Monday over a pay offer they called an insult, "
     "leaving most routes without service.\n\nThe drivers' union said the strike would last "
     "three days unless the operator improved its offer of four per cent.", "date": None},
    {"id": "c1", "label": "junk", "text": "Advertisement\n\nShare this article\n\nRead more"},
]  # fmt: skip


def test_as_ingested_clusters_what_the_store_reads(tmp_path: Path) -> None:
    """`--as-ingested`: the lines go through a real ingest, so the clusterer sees the date ingest
    reads from a dateline, the cleaned text (an untitled one without the title ingest derives
    from its lead), the entity stages' places, and a line that cleaning empties is counted as a
    story of its own."""
    path = _jsonl(tmp_path / "l.jsonl", INGESTED_ROWS)
    docs, _ = read_labelled(path)
    assert docs[0].date is None and docs[2].title == ""
    found, store, unstored, features = ingested_docs(path, docs, merged_settings(None))
    by_id = {d.id: d for d in found}
    assert by_id["a1"].date == "2025-03-04", "the dateline of a line without a date"
    assert by_id["a2"].date == "2025-03-05", "the line's own date"
    assert by_id["b1"].title == "", "the title ingest derives from the lead is not clustered on"
    assert by_id["a1"].places, "the entity stages ran"
    assert unstored == ["c1"] and store["c1"] == "unstored:c1"
    # storylines are scored on what the store's linker counts for each stored article
    assert set(features) == {"a1", "a2", "b1"} and features["b1"]["terms"]
    assert store["a1"] == store["a2"] != store["b1"]
    result = evaluate_clustering(path, shuffles=1, embedder="none", as_ingested=True)
    assert result["as_ingested"] is True and result["unstored"] == 1
    assert set(result["modes"]) == {"incremental", "shuffled-1", "rebuild", "store"}
    for mode in result["modes"].values():
        assert mode["bcubed_f1"] == 1.0 and mode["clusters"] == 3
    assert "as ingested" in format_report(result) and "1 line not stored" in format_report(result)


def test_as_ingested_counts_lines_the_store_did_not_keep(tmp_path: Path) -> None:
    """Lines pair with ingest's records by line number: a line the reader refuses (nested too
    deep), one whose article a later line at the same address replaced, and a file where no line
    is stored are counted, never mispaired or fatal; a U+2028 inside a text (as
    `write_labelled` writes it) does not split its line."""
    flood, also, strike = INGESTED_ROWS[0], INGESTED_ROWS[1], INGESTED_ROWS[2]
    deep: object = "x"
    for _ in range(70):
        deep = [deep]
    rows = [
        dict(flood, text=flood["text"].replace(". Crews", ".\u2028Crews")),
        dict(also, url="https://news.example/same"),
        dict(strike, url="https://news.example/same"),  # replaces the line above in the store
        {"id": "d1", "label": "deep", "text": "Deep nesting here.", "extra": deep},
    ]
    path = write_labelled(rows, tmp_path / "l.jsonl")
    assert "\u2028" in path.read_text("utf-8")
    docs, _ = read_labelled(path)
    assert [d.id for d in docs] == ["a1", "a2", "b1", "d1"]
    found, _, unstored, _ = ingested_docs(path, docs, merged_settings(None))
    assert sorted(unstored) == ["a2", "d1"]
    texts = {d.id: d.text for d in found}
    assert texts["b1"].startswith("Bus drivers") and texts["a1"].startswith("Floodwater")
    junk = _jsonl(tmp_path / "junk.jsonl", [INGESTED_ROWS[3]])
    result = evaluate_clustering(junk, shuffles=0, embedder="none", as_ingested=True)
    assert result["unstored"] == 1 and result["articles"] == 1
    assert "1 line not stored" in format_report(result)


def test_as_ingested_file_order_is_the_store_on_the_sample_corpus() -> None:
    """The incremental mode over the ingested documents makes the stories the store made while
    ingesting them (same settings, same batches, same embeddings)."""
    result = clustering_on_sample(shuffles=0, as_ingested=True)
    modes = result["modes"]
    assert result["unstored"] == 0
    for key in ("bcubed_p", "bcubed_r", "clusters"):
        assert modes["store"][key] == modes["incremental"][key], key


def test_add_entities_gives_the_actors_and_places_the_store_clusters_on() -> None:
    docs = [
        StoryDoc(id="en", text="Iran and Pakistan agreed in Tehran on Monday.", title="Deal"),
        StoryDoc(
            id="fr",
            text="L'Iran et le Pakistan ont conclu un accord à Téhéran lundi, a annoncé le "
            "ministère des affaires étrangères dans un communiqué publié dans la soirée.",
            title="Accord",
        ),
    ]
    add_entities(docs)
    assert docs[0].places, "English NER gives places"
    # the language stage gates NER as in ingest: no English model on French text
    assert docs[1].actors == [] and docs[1].places == []


def test_enrichment_stops_at_the_named_stage_and_keeps_the_text() -> None:
    pipeline = enrichment_pipeline(until="entities")
    assert pipeline.names[-1] == "entities" and "language" in pipeline.names
    text = "  Iran said on Monday.  "
    article = Article(source="x", text=text)
    enrich([article], until="entities")
    assert article.text == text and article.mentions and article.ok
    with pytest.raises(PipelineError, match="no enrichment stage named 'nope'"):
        enrichment_pipeline(until="nope")


# -- coded errors naming file and line ---------------------------------------------------------


def test_labelled_file_errors_name_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "label": "s"}\n{not json\n', "utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl: line 2: not JSON") as caught:
        read_labelled(bad)
    assert caught.value.code == "E100"
    bad.write_text('{"id": "a", "text": "x", "label": "s"}\n\n{"id": "b", "text": "y"}\n', "utf-8")
    with pytest.raises(EvaluationError, match=r"bad.jsonl:3: missing label") as missing:
        read_labelled(bad)
    assert missing.value.code == "E700"
    bad.write_text('{"id": "a", "text": "x", "label": "s"}\n' * 2, "utf-8")
    with pytest.raises(EvaluationError, match=r"bad.jsonl:2: duplicate id 'a'"):
        read_labelled(bad)
    with pytest.raises(InputError, match="no such labelled file"):
        read_labelled(tmp_path / "absent.jsonl")


def test_other_evaluators_raise_coded_errors(tmp_path: Path) -> None:
    conll = tmp_path / "g.conll"
    conll.write_text(
        "# text = Iran said\nIran B-GPE\nsaid O\n\n# text = x\nTehran B-GPE\n", "utf-8"
    )
    with pytest.raises(EvaluationError, match=r"g.conll:5: token 'Tehran' not found"):
        read_conll(conll)
    events = _jsonl(tmp_path / "e.jsonl", [{"text": "Iran met Pakistan.", "type": "MEET"}, {}])
    with pytest.raises(EvaluationError, match=r"e.jsonl:2: a record needs 'text' and 'type'"):
        load_records(events)
    pairs = _jsonl(tmp_path / "p.jsonl", [{"a": "x.txt"}])
    with pytest.raises(EvaluationError, match=r"p.jsonl:1: missing b, kind"):
        evaluate_copies(pairs, tmp_path, through_store=False)
    (tmp_path / "manifest.jsonl").write_text('{"title": "no file"}\n', "utf-8")
    with pytest.raises(EvaluationError, match=r"manifest.jsonl:1: missing file"):
        evaluate_metadata(tmp_path, through_store=False)


def test_the_cli_prints_a_coded_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", "utf-8")
    result = CliRunner().invoke(app, ["eval", "clustering", str(bad), "--no-entities"])
    assert result.exit_code == 1
    assert "E100" in result.output and "bad.jsonl: line 1: not JSON" in result.output


def test_conll2003_gold_takes_the_off_predicted_spans(tmp_path: Path) -> None:
    """CoNLL-2003 never puts a determiner in a span; storyline keeps "the" as written. Both
    figures are reported: translated to the gold's convention, and as written."""
    from storyline.evaluate.entities import evaluate_entities, format_report

    conll = tmp_path / "c03.conll"
    conll.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "# text = In Islamabad, the Foreign Office said the Ministry of Energy and Water agreed.\n"
        "In O\nIslamabad B-LOC\n, O\nthe O\nForeign B-ORG\nOffice I-ORG\nsaid O\nthe O\n"
        "Ministry B-ORG\nof I-ORG\nEnergy I-ORG\nand I-ORG\nWater I-ORG\nagreed O\n. O\n",
        "utf-8",
    )
    result = evaluate_entities(conll)
    assert result["span_convention"].startswith("conll2003")
    assert result["per_type"]["ORG"]["tp"] == 2, result["errors"]
    assert result["as_written"]["per_type"]["ORG"]["tp"] == 0
    assert "as written" in format_report(result)
