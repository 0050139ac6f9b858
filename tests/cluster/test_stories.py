"""Story clustering on small hand-written reports, state round-trips, and an ECB+ quality floor."""

import json
import random
import tempfile
from pathlib import Path

import numpy as np
import pytest

from storyline.cluster.features import signature
from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer, StoryDoc
from storyline.errors import StoreError

ECBPLUS = Path(__file__).parents[2].parent / "shared" / "datasets" / "ecbplus-traindev.jsonl"
DATED_PARAPHRASE = Path(__file__).parents[1] / "data" / "clustering" / "dated_paraphrase.jsonl"

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
    settings = ClusterSettings(embed_weight=0.2)  # embeddings are opt-in
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
    with pytest.raises(StoreError, match=r"^E430 .*rebuild the stories"):
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
    # ages stated with a death or with "aged" are ages too (and never tolls)
    assert signature("The former aide died on Wednesday at the age of 75.") == {
        "age": frozenset({"75"})
    }
    assert signature("A man, aged 44, died after the fall; Felt died Thursday at 95.") == {
        "age": frozenset({"44", "95"})
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


def test_dated_reports_of_one_kind_months_apart_are_two_stories() -> None:
    """The same wording dated ten weeks later is another happening; a day later, the same one."""
    texts = REPORTS["quake-peru"]
    docs = [
        StoryDoc(id=f"march-{n}", text=t, date=f"2024-03-{10 + n:02d}") for n, t in enumerate(texts)
    ]
    docs += [
        StoryDoc(id=f"may-{n}", text=t, date=f"2024-05-{20 + n:02d}") for n, t in enumerate(texts)
    ]
    two = {frozenset(f"march-{n}" for n in range(3)), frozenset(f"may-{n}" for n in range(3))}
    for order in (docs, docs[::-1]):
        clusterer = StoryClusterer()
        assert _partition({d.id: clusterer.add(d) for d in order}) == two
    assert _partition(StoryClusterer().rebuild(docs)) == two
    # undated copies of the same reports carry no date evidence: they join one story
    undated = [StoryDoc(id=d.id, text=d.text) for d in docs]
    assert len(_partition(StoryClusterer().rebuild(undated))) == 1


def _replay(clusterer: StoryClusterer, docs: list[StoryDoc], batch: int = 64) -> dict[str, str]:
    """What the store sees: per batch, add()'s answers, then each add's moves, then its merges,
    and after the batch the moves and merges of `settle`."""
    seen: dict[str, str] = {}

    def apply() -> None:
        for doc_id, old, new in clusterer.take_moves():
            assert seen[doc_id] == old
            seen[doc_id] = new
        for absorbed, survivor in clusterer.take_merges():
            for doc_id, story in seen.items():
                if story == absorbed:
                    seen[doc_id] = survivor

    for start in range(0, len(docs), batch):
        chunk = docs[start : start + batch]
        clusterer.observe(chunk)
        for doc in chunk:
            seen[doc.id] = clusterer.add(doc)
            apply()
        clusterer.settle(doc.id for doc in chunk)
        apply()
    return seen


def test_settle_adopts_lone_reports_into_their_own_story() -> None:
    """After a batch, a lone report joins the one story it clearly belongs to (`_adopt`); on the
    sample corpus that is the French report of the A1 border-guard story, and every article the
    settle step moves or adopts lands in a story of its own gold happening."""
    from storyline.evaluate.clustering import sample_labelled_rows

    rows = sample_labelled_rows()
    gold = {r["id"]: r["label"] for r in rows}
    docs = [StoryDoc(id=r["id"], text=r["text"], title=r["title"], date=r["date"]) for r in rows]

    def run(settings: ClusterSettings) -> tuple[StoryClusterer, list[tuple[str, str]]]:
        clusterer = StoryClusterer(settings)
        settled: list[tuple[str, str]] = []
        for start in range(0, len(docs), 64):
            chunk = docs[start : start + 64]
            clusterer.observe(chunk)
            for doc in chunk:
                clusterer.add(doc)
            clusterer.take_moves(), clusterer.take_merges()
            clusterer.settle(doc.id for doc in chunk)
            settled += [(d, new) for d, _, new in clusterer.take_moves()]
            settled += [(a.removeprefix("st_"), b) for a, b in clusterer.take_merges()]
        return clusterer, settled

    clusterer, settled = run(ClusterSettings())
    assert settled, "the sample corpus has a lone report to adopt"
    stories = clusterer.stories()
    for doc_id, story_id in settled:
        others = [gold[d] for d in stories[story_id] if d != doc_id]
        assert others and all(g == gold[doc_id] for g in others), (doc_id, story_id)
    # the passes and the adoption off (and the regroup and split, which also move articles)
    off, nothing = run(ClusterSettings(settle_passes=0, regroup_max_articles=0, split_min_group=0))
    assert nothing == [] and len(off.stories()) > len(stories)


def _replay_docs() -> tuple[list[StoryDoc], bool]:
    """ECB+ dev articles when present (many repairs happen there), else the sample corpus."""
    from storyline.evaluate.clustering import read_labelled, sample_labelled_rows, write_labelled

    with tempfile.TemporaryDirectory() as tmp:
        if ECBPLUS.exists():
            rows = [json.loads(line) for line in ECBPLUS.read_text("utf-8").splitlines()]
            rows = [r for r in rows if r["split"] == "dev"]
            return read_labelled(write_labelled(rows, Path(tmp) / "dev.jsonl"))[0], True
        return read_labelled(write_labelled(sample_labelled_rows(), Path(tmp) / "s.jsonl"))[
            0
        ], False


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_repair_moves_replayed_give_the_clusterers_stories(seed: int) -> None:
    docs, ecbplus = _replay_docs()
    random.Random(seed).shuffle(docs)
    clusterer = StoryClusterer()
    moves: list[int] = []
    original = clusterer.take_moves

    def counting() -> list[tuple[str, str, str]]:
        taken = original()
        moves.append(len(taken))
        return taken

    clusterer.take_moves = counting  # type: ignore[method-assign]
    seen = _replay(clusterer, docs)
    assert seen == {d.id: clusterer.story_of(d.id) for d in docs}
    assert _partition(seen) == {frozenset(v) for v in clusterer.stories().values()}
    # a story's id names an article it holds (the store checks liveness that way)
    for story_id, members in clusterer.stories().items():
        assert story_id.removeprefix("st_") in members
    if ecbplus:
        assert sum(moves) > 0, "ECB+ dev in random order always needs some repair"


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
    from storyline.evaluate.clustering import (
        evaluate_clustering,
        sample_labelled_rows,
        write_labelled,
    )

    rows = sample_labelled_rows()
    assert len(rows) == 49 and len({r["label"] for r in rows}) == 13
    assert all(r["text"] and r["title"] for r in rows)
    path = write_labelled(rows, tmp_path / "sample.jsonl")
    # the evaluator's default, what ingest does: the entity and actor stages run first
    result = evaluate_clustering(path, shuffles=3, seed=0, embedder="none")
    assert result["entities"] is True
    modes = result["modes"]
    # measured with the entity stages (the default since 2026-12) and the same-week boost
    # (`date_near_boost` 1.5, docs/clustering.md round 7): B3 F1 rebuild 0.948, incremental
    # 0.966, mean of four orders 0.958 (before the boost: rebuild 0.914, incremental 0.925);
    # every error left is a report in French, German, Spanish or Persian on its own
    assert modes["rebuild"]["bcubed_p"] == 1.0
    assert modes["rebuild"]["bcubed_f1"] >= 0.93
    assert min(m["bcubed_f1"] for m in modes.values()) >= 0.92
    assert min(m["bcubed_p"] for m in modes.values()) >= 0.95


def test_dated_paraphrase_quality_floor() -> None:
    """Our dated development set (tests/data/clustering/README.md): outlets reporting one
    happening in their own words over a few days, and look-alike happenings weeks apart."""
    from storyline.evaluate.clustering import evaluate_clustering

    # this set labels two missile launches two months apart as two happenings; since round 20
    # (docs/clustering.md) a report that strong joins a happening paused that long, as the
    # issue's hidden set labels a 14-month missile crisis one happening. The floors below were
    # set before round 20 and still hold with its window and no merges of dated stories:
    finer = ClusterSettings(max_gap_days=45.0, merge_dated=False)
    result = evaluate_clustering(DATED_PARAPHRASE, finer, shuffles=3, seed=0, embedder="none")
    modes = result["modes"]
    # measured: incremental 0.956 (P 0.985, R 0.928), mean of four orders 0.939, rebuild 0.933;
    # before the same-week boost: incremental 0.833 (R 0.722), rebuild 0.866
    assert modes["incremental"]["bcubed_f1"] >= 0.93
    assert modes["rebuild"]["bcubed_f1"] >= 0.92
    assert min(m["bcubed_f1"] for m in modes.values()) >= 0.88
    assert min(m["bcubed_p"] for m in modes.values()) >= 0.97
    # the shipped settings, measured: incremental 0.951, shuffles 0.960-0.978 (P 1.000),
    # rebuild 0.915; the launches joined in the file order and the rebuild (P 0.960)
    shipped = evaluate_clustering(DATED_PARAPHRASE, shuffles=3, seed=0, embedder="none")["modes"]
    assert shipped["incremental"]["bcubed_f1"] >= 0.93
    assert shipped["rebuild"]["bcubed_f1"] >= 0.91
    assert min(m["bcubed_f1"] for m in shipped.values()) >= 0.91
    assert min(m["bcubed_p"] for m in shipped.values()) >= 0.95


def test_ecbplus_quality_floor() -> None:
    if not ECBPLUS.exists():
        pytest.skip(f"ECB+ development data not found at {ECBPLUS} (shared/ is not checked out)")
    from storyline.evaluate.clustering import evaluate_clustering

    # TF-IDF and names only, so the floor does not depend on an optional embedder being installed,
    # and without the entity stages, which cost 2-3 minutes of NER on ECB+ here. The default
    # (entities on) holds the same floors: measured rebuild 0.903, incremental 0.896, shuffled
    # 0.901-0.905, ARI 0.857, spread 0.010 (docs/clustering.md).
    result = evaluate_clustering(ECBPLUS, shuffles=3, seed=0, embedder="none", entities=False)
    modes = result["modes"]
    # measured without entities: rebuild 0.907, incremental 0.897, shuffled 0.887-0.904
    assert modes["rebuild"]["bcubed_f1"] >= 0.89
    assert modes["incremental"]["bcubed_f1"] >= 0.87
    assert min(m["bcubed_f1"] for m in modes.values()) >= 0.86
    assert modes["rebuild"]["ari"] >= 0.82
    assert result["order_spread_bcubed_f1"] <= 0.04


def test_ecbplus_repair_helps_the_incremental_mode() -> None:
    """The local repair (repair_members) must beat the single pass over the same orders."""
    if not ECBPLUS.exists():
        pytest.skip(f"ECB+ development data not found at {ECBPLUS} (shared/ is not checked out)")
    from storyline.evaluate.metrics import clustering_scores

    docs, _ = _replay_docs()  # the dev topics
    gold = {d.id: d.id for d in docs}
    rows = [json.loads(line) for line in ECBPLUS.read_text("utf-8").splitlines()]
    gold = {r["id"]: r["label"] for r in rows if r["id"] in gold}
    orders = [list(docs)]
    for seed in range(3):
        orders.append(list(docs))
        random.Random(seed).shuffle(orders[-1])

    def mean_incremental(settings: ClusterSettings) -> float:
        scores = []
        for order in orders:
            clusterer = StoryClusterer(settings)
            for doc in order:
                clusterer.add(doc)
            ids = sorted(gold)
            predicted = [clusterer.story_of(i) for i in ids]
            scores.append(clustering_scores([gold[i] for i in ids], predicted)["bcubed_f1"])
        return sum(scores) / len(scores)

    # measured on the dev topics (these four orders): 0.889 with the repair, 0.865 without
    assert (
        mean_incremental(ClusterSettings())
        >= mean_incremental(ClusterSettings(repair_members=0)) + 0.01
    )


def test_repair_ignores_a_dropped_story_whose_id_was_reused() -> None:
    """A story emptied during a repair is dropped, and ``st_<article>`` can be created again by
    an eviction in the same add. The old object, still among the scored rivals, must be skipped:
    scoring it divided by its zero members (found at 1M articles in benchmarks/cluster.py) and
    merging it would have folded ghost sums into a live story."""
    from storyline.cluster.story_sums import StorySums, agreement

    clusterer = StoryClusterer()
    docs, _ = _docs(dated=True)
    for doc in docs:
        clusterer.add(doc)
    peru = clusterer._stories[clusterer.story_of("quake-peru-0")]
    japan = clusterer._stories[clusterer.story_of("quake-japan-0")]
    assert peru is not japan and peru.signatures and japan.signatures
    stale = StorySums(id=japan.id, n_terms=1, n_names=1, signatures=dict(japan.signatures))
    before = clusterer.stories()
    clusterer._repair(peru, [(0.9, stale)])  # used to raise ZeroDivisionError
    assert clusterer.stories() == before
    assert not clusterer._live(stale) and clusterer._live(japan)
    assert agreement({"kind": frozenset({"x"})}, stale, clusterer.settings) == 1.0
