"""Story clustering on small hand-written reports, state round-trips, and an ECB+ quality floor."""

import random
from pathlib import Path

import numpy as np
import pytest

from storyline.cluster.features import signature
from storyline.cluster.stories import ClusterSettings, StoryClusterer, StoryDoc

# Two earthquakes (different places, magnitudes, tolls), a cup final and a phone launch.
REPORTS = {
    "quake-peru": [
        "A magnitude 6.8 earthquake struck southern Peru near Arequipa on Tuesday, killing 14 "
        "people and collapsing adobe homes in the Colca valley, Peru's civil defence office said.",
        "Rescuers in Arequipa searched collapsed adobe houses after the 6.8 magnitude quake that "
        "killed 14 people in the Colca valley of southern Peru.",
        "Peru declared an emergency in Arequipa province after a 6.8 earthquake left 14 dead in "
        "the Colca valley and damaged roads to the colonial town of Chivay.",
    ],
    "quake-japan": [
        "A magnitude 7.3 earthquake hit off Fukushima in northern Japan late on Saturday, injuring "
        "120 people and cutting power to two million homes, Japan's weather agency said.",
        "Fukushima residents cleared broken glass after the 7.3 magnitude quake injured 120 people "
        "and left two million homes in northern Japan without power.",
        "Japan lifted a tsunami advisory for Fukushima after the 7.3 earthquake, which injured 120 "
        "people and knocked out power to two million homes.",
    ],
    "cup-final": [
        "Riverton United won the national cup final 3-1 against Eastbrook Rovers at Kingsway "
        "Stadium, with striker Mateo Alvarez scoring twice in the second half.",
        "Mateo Alvarez scored twice as Riverton United beat Eastbrook Rovers 3-1 in the cup final "
        "at a sold-out Kingsway Stadium.",
    ],
    "phone-launch": [
        "Orbitel unveiled its Nimbus 5 smartphone in Lisbon, with a folding display, a two-day "
        "battery and a starting price of 899 euros.",
        "The Nimbus 5, launched by Orbitel at an event in Lisbon, folds in half and costs "
        "899 euros; its battery lasts two days, the company said.",
    ],
}


def _docs(dated: bool = False) -> tuple[list[StoryDoc], dict[str, str]]:
    docs, gold = [], {}
    for label, texts in REPORTS.items():
        for n, text in enumerate(texts):
            doc_id = f"{label}-{n}"
            date = f"2024-03-{10 + n:02d}" if dated else None
            docs.append(StoryDoc(id=doc_id, text=text, date=date))
            gold[doc_id] = label
    return docs, gold


def _partition(assignment: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for doc_id, story in assignment.items():
        groups.setdefault(story, set()).add(doc_id)
    return {frozenset(g) for g in groups.values()}


GOLD_PARTITION = {frozenset(f"{k}-{n}" for n in range(len(v))) for k, v in REPORTS.items()}


def test_incremental_separates_happenings_and_joins_reports() -> None:
    docs, _ = _docs()
    clusterer = StoryClusterer()
    assignment = {d.id: clusterer.add(d) for d in docs}
    assert _partition(assignment) == GOLD_PARTITION
    assert set(clusterer.stories()) == set(assignment.values())
    assert clusterer.story_of("quake-peru-2") == assignment["quake-peru-0"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_incremental_in_shuffled_orders(seed: int) -> None:
    docs, _ = _docs()
    random.Random(seed).shuffle(docs)
    clusterer = StoryClusterer()
    assert _partition({d.id: clusterer.add(d) for d in docs}) == GOLD_PARTITION


def test_rebuild_is_order_independent() -> None:
    docs, _ = _docs()
    first = StoryClusterer().rebuild(docs)
    assert _partition(first) == GOLD_PARTITION
    for seed in range(5):
        shuffled = list(docs)
        random.Random(seed).shuffle(shuffled)
        assert StoryClusterer().rebuild(shuffled) == first  # same partition, same story ids


def test_rebuild_then_incremental_continues() -> None:
    docs, _ = _docs()
    clusterer = StoryClusterer()
    clusterer.rebuild(docs[:-1])
    late = docs[-1]  # the second phone-launch report
    assert clusterer.add(late) == clusterer.story_of("phone-launch-0")


def test_distant_dates_keep_similar_reports_apart() -> None:
    text = REPORTS["cup-final"][0]
    clusterer = StoryClusterer()
    a = clusterer.add(StoryDoc(id="final-2023", text=text, date="2023-05-20"))
    b = clusterer.add(StoryDoc(id="final-2024", text=text, date="2024-05-18"))
    c = clusterer.add(StoryDoc(id="final-2024-b", text=REPORTS["cup-final"][1], date="2024-05-19"))
    assert a != b
    assert b == c
    undated = clusterer.add(StoryDoc(id="undated", text=REPORTS["cup-final"][1]))
    assert undated in {a, b}  # no date: neutral, joins on text


def test_entities_and_embeddings_are_used() -> None:
    settings = ClusterSettings()
    clusterer = StoryClusterer(settings)
    vec = np.ones(8, dtype=np.float32)
    a = clusterer.add(
        StoryDoc(id="a", text="Talks resumed.", actors=["Maria Lopez"], embedding=vec)
    )
    b = clusterer.add(
        StoryDoc(id="b", text="Negotiators met.", actors=["Maria Lopez"], embedding=vec)
    )
    assert a == b  # no shared words, but the same actor and the same meaning


def test_state_round_trip_gives_same_decisions() -> None:
    docs, _ = _docs()
    original = StoryClusterer()
    for doc in docs[:-3]:
        original.add(doc)
    restored = StoryClusterer.from_state(original.to_state())
    assert restored.stories() == original.stories()
    for doc in docs[-3:]:
        assert restored.add(doc) == original.add(doc)
    assert restored.stories() == original.stories()


def test_state_version_is_checked() -> None:
    state = StoryClusterer().to_state()
    state["version"] = 999
    with pytest.raises(ValueError, match="rebuild the stories"):
        StoryClusterer.from_state(state)


def test_adding_the_same_article_twice_is_idempotent() -> None:
    docs, _ = _docs()
    clusterer = StoryClusterer()
    first = clusterer.add(docs[0])
    assert clusterer.add(docs[0]) == first
    assert len(clusterer) == 1


def test_signature_reads_the_values_that_pin_a_happening() -> None:
    sig = signature(
        "The 41-year-old pilot survived. A magnitude 5.9 tremor in 2019 killed 31 people; "
        "rescuers said 1,200 were injured and 8 people were killed in a 2011 flood.",
        year=2024,
    )
    assert sig == {
        "year": frozenset({"2011", "2019", "2024"}),
        "age": frozenset({"41"}),
        "magnitude": frozenset({"5.9"}),
        "toll": frozenset({"31", "8"}),
    }
    assert signature("Talks resumed on the water treaty.") == {}
    assert signature("It cost $2013 and rose 2020%.") == {}  # money and percentages are no years


# Two happenings of one kind: a goalkeeper's drink-driving arrest in two different years.
ARREST_A = [
    "Harbour City 29-year-old goalkeeper Tomas Verhoef was arrested on suspicion of drink "
    "driving early on Sunday after police stopped his car on the coast road, the club said "
    "in 2016.",
    "The club confirmed the 2016 arrest of 29-year-old goalkeeper Tomas Verhoef on suspicion "
    "of drink driving after police stopped him on the coast road early Sunday.",
]
ARREST_B = [
    "Harbour City 34-year-old goalkeeper Tomas Verhoef was arrested on suspicion of drink "
    "driving on Saturday night after police stopped his car near the stadium, the club said "
    "in 2021.",
    "Police arrested Harbour City 34-year-old goalkeeper Tomas Verhoef on suspicion of drink "
    "driving near the stadium on Saturday night, the club confirmed in 2021.",
]


@pytest.mark.parametrize("penalty", [0.0, 0.5])
def test_conflicting_signatures_keep_two_happenings_apart(penalty: float) -> None:
    docs = [
        StoryDoc(id=f"{tag}{n}", text=text)
        for tag, texts in (("a", ARREST_A), ("b", ARREST_B))
        for n, text in enumerate(texts)
    ]
    settings = ClusterSettings(conflict_penalty=penalty)
    rebuilt = _partition(StoryClusterer(settings).rebuild(docs))
    clusterer = StoryClusterer(settings)
    incremental = _partition({d.id: clusterer.add(d) for d in docs})
    two = {frozenset({"a0", "a1"}), frozenset({"b0", "b1"})}
    if penalty:
        assert rebuilt == two and incremental == two
    else:  # the same words and names: without the signature both arrests are one story
        assert rebuilt == incremental == {frozenset({"a0", "a1", "b0", "b1"})}


def test_version_1_state_still_loads() -> None:
    docs, _ = _docs()
    clusterer = StoryClusterer()
    for doc in docs[:-1]:
        clusterer.add(doc)
    state = clusterer.to_state()
    state["version"] = 1
    for story in state["stories"]:
        del story["signatures"]
    restored = StoryClusterer.from_state(state)
    assert restored.stories() == clusterer.stories()
    assert restored.add(docs[-1]) == clusterer.story_of("phone-launch-0")


def test_sample_corpus_stories(tmp_path: Path) -> None:
    """Our own sample corpus, read and cleaned by the ingest stages, labelled by its manifest."""
    from storyline.cluster.evaluate import (
        evaluate_clustering,
        sample_labelled_rows,
        write_labelled,
    )

    rows = sample_labelled_rows()
    assert len(rows) == 49 and len({r["label"] for r in rows}) == 13
    assert all(r["text"] and r["title"] for r in rows)
    path = write_labelled(rows, tmp_path / "sample.jsonl")
    result = evaluate_clustering(path, shuffles=3, seed=0, embedder="none")
    modes = result["modes"]
    # measured: B3 F1 rebuild 0.914, incremental 0.906, shuffled 0.879-0.897; every error is a
    # report in French, German, Spanish or Persian left on its own (no shared words)
    assert modes["rebuild"]["bcubed_p"] == 1.0
    assert modes["rebuild"]["bcubed_f1"] >= 0.89
    assert min(m["bcubed_f1"] for m in modes.values()) >= 0.86
    assert min(m["bcubed_p"] for m in modes.values()) >= 0.95


ECBPLUS = Path(__file__).parents[2].parent / "shared" / "datasets" / "ecbplus-traindev.jsonl"


def test_ecbplus_quality_floor() -> None:
    if not ECBPLUS.exists():
        pytest.skip(f"ECB+ development data not found at {ECBPLUS} (shared/ is not checked out)")
    from storyline.cluster.evaluate import evaluate_clustering

    # TF-IDF and names only, so the floor does not depend on an optional embedder being installed.
    result = evaluate_clustering(ECBPLUS, shuffles=3, seed=0, embedder="none")
    modes = result["modes"]
    # measured with these defaults: rebuild 0.898, incremental 0.889, shuffled 0.879-0.884
    assert modes["rebuild"]["bcubed_f1"] >= 0.88
    assert modes["incremental"]["bcubed_f1"] >= 0.85
    assert min(m["bcubed_f1"] for m in modes.values()) >= 0.84
    assert modes["rebuild"]["ari"] >= 0.80
    assert result["order_spread_bcubed_f1"] <= 0.05
