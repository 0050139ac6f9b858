"""The steps after each batch that ask the rebuild's question again: split test and regroup."""

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
from tests.cluster.test_stories import ECBPLUS, REPORTS, _partition

from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer, StoryDoc
from storyline.cluster.story_regroup import story_ids_for
from storyline.cluster.story_split import split_group
from storyline.cluster.story_sums import StorySums
from storyline.update.story_state import cluster_settings

# Measured without the same-week boost (`date_near_boost` 1.0), as when the regroup was built:
# with the shipped boost the sample's five orders give 2 partitions with the regroup on (both
# pure, 15-16 stories) and 5 without it (17-18), docs/clustering.md round 7.
# Dated stories take part (`regroup_dated`), as when the regroup was built: by default only
# undated ones did (round 10) and mostly undated ones do (round 13), tested below.
#: Measured with the repair's eviction of round 17 (`evict_adopted` off): with text and names
#: only, keeping adopted members (round 18) already lifts ECB+ dev's file order to .944 and the
#: regroup then costs it (.930); with the entity stages and WordLlama, as ingest clusters, the
#: regroup still lifts it (.914 -> .944, docs/clustering.md round 18). The 45-day window
#: without merges of dated stories, as before round 20: with 60 days, one sample-corpus report
#: (on Afghans returning) lands in another story in some orders, even with the regroup.
OFF = ClusterSettings(
    max_gap_days=45.0,
    merge_dated=False,
    regroup_max_articles=0,
    split_min_group=0,
    date_near_boost=1.0,
    regroup_dated=True,
    evict_adopted=False,
)
ON = replace(OFF, regroup_max_articles=600, split_min_group=2)


def _batched(settings: ClusterSettings, docs: list[StoryDoc], batch: int = 64) -> dict[str, str]:
    clusterer = StoryClusterer(settings)
    for start in range(0, len(docs), batch):
        chunk = docs[start : start + batch]
        clusterer.observe(chunk)
        for doc in chunk:
            clusterer.add(doc)
        clusterer.settle(doc.id for doc in chunk)
    return {doc.id: clusterer.story_of(doc.id) or "" for doc in docs}


def test_split_gives_up_a_second_happening() -> None:
    """Six reports of two earthquakes forced into one story: the split test hands back the three
    reports that do not hold the founding article."""
    docs = [
        StoryDoc(id=f"{label}-{n}", text=text)
        for label in ("quake-peru", "quake-japan")
        for n, text in enumerate(REPORTS[label])
    ]
    clusterer = StoryClusterer()
    clusterer.observe(docs)
    story = StorySums(id="st_quake-peru-0")
    for doc in docs:
        clusterer._join(story, doc.id, clusterer._weigh(doc, *clusterer._observed.pop(doc.id)))
    assert len(story.recent) == 6
    assert sorted(split_group(story, ON)) == [f"quake-japan-{n}" for n in range(3)]
    # one happening: nothing to give up
    one = StorySums(id="st_quake-peru-0")
    for doc_id, feats in story.recent[:3]:
        clusterer._join(one, doc_id, feats)
    assert split_group(one, ON) == []


def test_story_ids_for_name_a_member_once() -> None:
    current = {"a": "st_a", "b": "st_a", "c": "st_a", "d": "st_d", "e": "st_d"}
    founders = {"st_a": "a", "st_d": "d"}
    # a and d's stories are merged (d's gives more members); b and c leave, each alone
    groups = [["a", "d", "e"], ["b"], ["c"]]
    assert story_ids_for(groups, current, founders) == ["st_d", "st_b", "st_c"]
    groups = [["a", "b"], ["c", "d", "e"]]
    assert story_ids_for(groups, current, founders) == ["st_a", "st_d"]
    # the founder's group takes the id even when another group holds more of its members
    groups = [["b", "c"], ["a"], ["d", "e"]]
    assert story_ids_for(groups, current, founders) == ["st_b", "st_a", "st_d"]


def _sample() -> tuple[list[StoryDoc], dict[str, str]]:
    from storyline.evaluate.clustering import sample_labelled_rows

    rows = sample_labelled_rows()
    docs = [StoryDoc(id=r["id"], text=r["text"], title=r["title"], date=r["date"]) for r in rows]
    return docs, {r["id"]: r["label"] for r in rows}


def test_regroup_makes_the_sample_corpus_order_independent() -> None:
    """Measured on the sample corpus (text and names): without the regroup the file order and
    four shuffles give more than one partition; with it (and the split), one, which never mixes
    two gold stories."""
    docs, gold = _sample()
    orders = [list(docs)]
    for seed in range(4):
        orders.append(list(docs))
        random.Random(seed).shuffle(orders[-1])
    on = {frozenset(_partition(_batched(ON, o))) for o in orders}
    off = {frozenset(_partition(_batched(OFF, o))) for o in orders}
    assert len(on) == 1 and len(off) > 1
    for group in next(iter(on)):
        assert len({gold[d] for d in group}) == 1
    # with the shipped same-week boost: fewer partitions with the regroup than without, none
    # mixing two gold stories (measured 2 against 5)
    boosted_on = replace(ON, date_near_boost=cluster_settings().date_near_boost)
    boosted_off = replace(OFF, date_near_boost=cluster_settings().date_near_boost)
    on = {frozenset(_partition(_batched(boosted_on, o))) for o in orders}
    off = {frozenset(_partition(_batched(boosted_off, o))) for o in orders}
    assert len(on) <= 2 and len(on) < len(off)
    for partition in on:
        for group in partition:
            assert len({gold[d] for d in group}) == 1


def test_regroup_helps_ecbplus_dev_in_file_order() -> None:
    """ECB+ dev topics (undated, two similar happenings per topic), text and names only: the
    regroup after each batch brings the file order up towards the rebuild."""
    if not ECBPLUS.exists():
        pytest.skip(f"ECB+ development data not found at {ECBPLUS} (shared/ is not checked out)")
    from storyline.evaluate.metrics import clustering_scores

    rows = [json.loads(line) for line in Path(ECBPLUS).read_text("utf-8").splitlines()]
    rows = [r for r in rows if r["split"] == "dev"]
    docs = [StoryDoc(id=r["id"], text=r["text"], title=r.get("title") or "") for r in rows]
    gold = [r["label"] for r in rows]

    def f1(settings: ClusterSettings) -> float:
        found = _batched(settings, docs)
        return clustering_scores(gold, [found[d.id] for d in docs])["bcubed_f1"]

    # measured: 0.902 off, 0.911 with the split and the regroup (with the entity stages, as the
    # evaluator's default: 0.890 and 0.917)
    off = f1(OFF)
    assert f1(ON) >= off + 0.005
    assert f1(replace(OFF, regroup_max_articles=600)) >= off + 0.005


def _story_of(settings: ClusterSettings, dated: int, undated: int) -> StorySums:
    """One story of the Peru quake's reports, the first ``dated`` of them dated."""
    texts = REPORTS["quake-peru"][: dated + undated]
    docs = [
        StoryDoc(id=f"peru-{n}", text=text, date="2025-06-02" if n < dated else None)
        for n, text in enumerate(texts)
    ]
    clusterer = StoryClusterer(settings)
    clusterer.observe(docs)
    story = StorySums(id="st_peru-0")
    for doc in docs:
        clusterer._join(story, doc.id, clusterer._weigh(doc, *clusterer._observed.pop(doc.id)))
    return story


def test_default_regroup_takes_mostly_undated_stories() -> None:
    """An archive whose dates were read from only some texts (ECB+ as ingested: 97 of 573
    dated, 223 with a lower bound) makes mixed stories; those with at most half their members
    dated take part in the regroup, those mostly dated keep the incremental mode's answer."""
    shipped = cluster_settings()
    assert shipped.regroup_dated_share == 0.5
    clusterer = StoryClusterer(shipped)
    for dated, undated, expected in [(0, 3, True), (1, 2, True), (1, 1, True), (2, 1, False),
                                     (3, 0, False)]:  # fmt: skip
        story = _story_of(shipped, dated, undated)
        assert clusterer._regroupable(story) is expected, (dated, undated)
    only_undated = StoryClusterer(replace(shipped, regroup_dated_share=0.0))
    assert not only_undated._regroupable(_story_of(shipped, 1, 2))
    assert only_undated._regroupable(_story_of(shipped, 0, 3))
    every = StoryClusterer(replace(shipped, regroup_dated=True))
    assert every._regroupable(_story_of(shipped, 3, 0))


def test_default_regroup_leaves_mostly_dated_stories() -> None:
    """By default the regroup leaves every story holding mostly dated articles as the
    incremental mode made it (on dated news the same-week boost puts that mode above the
    rebuild): the dated sample corpus gives the same stories with the regroup on or off, in
    every order."""
    docs, _ = _sample()
    shipped = cluster_settings()
    assert shipped.regroup_max_articles > 0 and not shipped.regroup_dated
    orders = [list(docs)]
    for seed in range(4):
        orders.append(list(docs))
        random.Random(seed).shuffle(orders[-1])
    dated = {d.id for d in docs if d.date}
    for order in orders:
        on = _partition(_batched(shipped, order))
        off = _partition(_batched(replace(shipped, regroup_max_articles=0), order))
        assert {g for g in on if g & dated} == {g for g in off if g & dated}


def test_default_regroup_helps_undated_ecbplus_dev() -> None:
    """ECB+ dev topics are undated: the shipped regroup (mostly undated stories) lifts the file
    order as the regroup of every story does."""
    if not ECBPLUS.exists():
        pytest.skip(f"ECB+ development data not found at {ECBPLUS} (shared/ is not checked out)")
    from storyline.evaluate.metrics import clustering_scores

    rows = [json.loads(line) for line in Path(ECBPLUS).read_text("utf-8").splitlines()]
    rows = [r for r in rows if r["split"] == "dev"]
    docs = [StoryDoc(id=r["id"], text=r["text"], title=r.get("title") or "") for r in rows]
    gold = [r["label"] for r in rows]

    def f1(settings: ClusterSettings) -> float:
        found = _batched(settings, docs)
        return clustering_scores(gold, [found[d.id] for d in docs])["bcubed_f1"]

    shipped = replace(cluster_settings(), evict_adopted=False)  # see OFF
    off = f1(replace(shipped, regroup_max_articles=0))
    assert f1(shipped) >= off + 0.005


def test_regroup_of_mixed_stories_helps_ecbplus_dev_as_ingested(tmp_path: Path) -> None:
    """ECB+ dev ingested as a user would (`ingested_docs`): ingest dates 24 of its 197 texts and
    gives 74 a lower bound, so stories mix dated and undated reports. Regrouping the mostly
    undated ones (round 13) lifts the file order over round 12's undated-only rule (measured
    without embeddings: 0.854 against 0.819)."""
    if not ECBPLUS.exists():
        pytest.skip(f"ECB+ development data not found at {ECBPLUS} (shared/ is not checked out)")
    from storyline.evaluate.clustering import ingested_docs, read_labelled, write_labelled
    from storyline.evaluate.ingested import merged_settings
    from storyline.evaluate.metrics import clustering_scores

    rows = [json.loads(line) for line in Path(ECBPLUS).read_text("utf-8").splitlines()]
    path = write_labelled([r for r in rows if r["split"] == "dev"], tmp_path / "dev.jsonl")
    labelled, gold = read_labelled(path)
    docs, _, unstored, _ = ingested_docs(path, labelled, merged_settings(None))
    assert not unstored and sum(1 for d in docs if d.date) >= 20

    def f1(settings: ClusterSettings) -> float:
        found = _batched(settings, docs)
        return clustering_scores([gold[d.id] for d in docs], [found[d.id] for d in docs])[
            "bcubed_f1"
        ]

    shipped = cluster_settings()
    assert f1(shipped) >= f1(replace(shipped, regroup_dated_share=0.0)) + 0.02
