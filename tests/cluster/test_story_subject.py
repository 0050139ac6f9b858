"""The subject test of the average-link tree: look-alike happenings each told by its own names."""

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer, StoryDoc
from storyline.cluster.story_model import Features
from storyline.cluster.story_rebuild import different_subjects

DATA = Path(__file__).parents[1] / "data" / "clustering"

# Two capsizings on one lake: the same vocabulary, each told by its own island and skipper.
PELLOR = [
    "A ferry capsized off Pellor island on Lake Tanvar, and the coastguard pulled 31 "
    "passengers from the water. Skipper Ilka Marrow was among those rescued.",
    "Divers searched the wreck of the ferry that overturned near Pellor on Lake Tanvar. "
    "Its skipper, Ilka Marrow, told police a sudden squall hit the boat.",
    "Families waited on the Pellor jetty as the Lake Tanvar ferry was towed ashore. The "
    "transport ministry opened an inquiry into the capsizing.",
]
DUNMERE = [
    "A passenger ferry overturned near Dunmere on Lake Tanvar, and rescuers saved 27 "
    "people. The coastguard said the boat was overloaded.",
    "Police in Dunmere questioned the owner of the ferry that capsized on Lake Tanvar; "
    "the transport ministry opened an inquiry into overloading.",
    "Dunmere fishermen helped pull passengers from Lake Tanvar after the ferry capsized "
    "in rough water, the coastguard said.",
]


def _features(texts: list[str], settings: ClusterSettings | None = None) -> list[Features]:
    clusterer = StoryClusterer(settings)
    docs = [StoryDoc(id=f"d{i}", text=text) for i, text in enumerate(texts)]
    counts = [clusterer._counts(doc) for doc in docs]
    for terms, names, _ in counts:
        clusterer._count_df(terms, names)
    return [clusterer._weigh(d, *c) for d, c in zip(docs, counts, strict=True)]


def test_subject_names_are_the_title_and_leads_names_without_numbers() -> None:
    doc = StoryDoc(
        id="d",
        title="Ferry capsizes off Pellor",
        text="Its skipper, Ilka Marrow, and 31 passengers were rescued. The boat sank in 12 "
        "minutes. Later the Dunmere police chief spoke.",
    )
    names = StoryClusterer(ClusterSettings(lead_sentences=2))._counts(doc)[2]
    assert {"pellor", "ilka marrow", "ilka", "marrow"} <= names
    assert "dunmere" not in names  # the third sentence is not the lead
    assert not any(name.startswith("#") for name in names)  # numbers are the signature's


def test_groups_that_each_name_their_own_subject_differ() -> None:
    settings = ClusterSettings()
    feats = _features(PELLOR + DUNMERE, settings)
    pellor, dunmere = [0, 1, 2], [3, 4, 5]
    assert different_subjects(pellor, dunmere, feats, settings)
    assert different_subjects(dunmere, pellor, feats, settings)
    # two reports a side are too few: a name two reports share may be chance
    assert not different_subjects(pellor[:2], dunmere[:2], feats, settings)
    # off
    assert not different_subjects(pellor, dunmere, feats, replace(settings, subject_min_group=0))
    # mostly dated: the date rule decides
    for i in (0, 1, 3, 4):
        feats[i].day = 739000
    assert not different_subjects(pellor, dunmere, feats, settings)
    feats[4].day = None  # three of six dated: at most half
    assert different_subjects(pellor, dunmere, feats, settings)


def test_a_group_that_names_the_others_subject_does_not_differ() -> None:
    """Reports of the second capsizing recall the first: its island and skipper are no longer
    the first group's alone, so the test cannot tell them apart (it errs on the side of one
    story; the similarity alone decides)."""
    recalled = [
        text + " It is the second capsizing on the lake this year, after the ferry skippered"
        " by Ilka Marrow overturned off Pellor."
        for text in DUNMERE
    ]
    settings = ClusterSettings()
    feats = _features(PELLOR + recalled, settings)
    assert not different_subjects([0, 1, 2], [3, 4, 5], feats, settings)


def test_one_happenings_reports_do_not_differ() -> None:
    settings = ClusterSettings()
    feats = _features(PELLOR + PELLOR[::-1], settings)
    assert not different_subjects([0, 1, 2], [3, 4, 5], feats, settings)


def test_state_keeps_the_subjects_and_reads_states_without_them() -> None:
    clusterer = StoryClusterer()
    for i, text in enumerate(PELLOR + DUNMERE):
        clusterer.add(StoryDoc(id=f"d{i}", text=text))
    state = clusterer.to_state()
    assert state["version"] == 4
    restored = StoryClusterer.from_state(state)
    before = {d: f.subject.tolist() for s in clusterer._stories.values() for d, f in s.recent}
    after = {d: f.subject.tolist() for s in restored._stories.values() for d, f in s.recent}
    assert after == before and all(before.values())
    state["version"] = 3  # saved before subjects: its members start without them
    for story in state["stories"]:
        for member in story["recent"]:
            del member["subject"]
    older = StoryClusterer.from_state(state)
    assert older.stories() == clusterer.stories()
    assert all(not f.subject.size for s in older._stories.values() for _, f in s.recent)


@pytest.mark.parametrize(
    ("name", "floor", "without"),
    [
        # measured without the entity stages: .929 in every order and the rebuild (P .867),
        # against .834-.844 (P .716-.730) without the test; with the entity stages (ingest's
        # default) .963 (docs/clustering.md, round 14)
        ("heldout_undated_pairs.jsonl", 0.92, 0.85),
        # 1.000 against .947: the one merged pair of happenings is kept apart
        ("heldout_undated_outlets.jsonl", 0.99, 0.95),
    ],
)
def test_undated_look_alike_happenings_stay_apart(name: str, floor: float, without: float) -> None:
    from storyline.evaluate.clustering import evaluate_clustering

    settings = ClusterSettings()
    result = evaluate_clustering(
        DATA / name, settings=settings, shuffles=2, embedder="none", entities=False
    )
    assert min(m["bcubed_f1"] for m in result["modes"].values()) >= floor
    off = evaluate_clustering(
        DATA / name,
        settings=replace(settings, subject_min_group=0),
        shuffles=0,
        embedder="none",
        entities=False,
    )
    assert max(m["bcubed_f1"] for m in off["modes"].values()) < without


def test_a_damaged_subject_in_a_state_is_refused() -> None:
    from storyline.errors import StoreError

    clusterer = StoryClusterer()
    for i, text in enumerate(PELLOR):
        clusterer.add(StoryDoc(id=f"d{i}", text=text))
    state = clusterer.to_state()
    state["stories"][0]["recent"][0]["subject"] = None  # read as none
    assert StoryClusterer.from_state(state).stories() == clusterer.stories()
    state["stories"][0]["recent"][0]["subject"] = [2**40]
    with pytest.raises(StoreError, match=r"^E430"):
        StoryClusterer.from_state(state)


def test_the_tree_walk_stays_near_linear_on_a_caterpillar(monkeypatch: pytest.MonkeyPatch) -> None:
    """One large group absorbing blocks of three, each with its own subject: the names the cut
    merges stay proportional to the articles (counted, not timed), as each join moves the
    smaller side's counts only. The large group soon has no subject of its own (no name in two
    thirds of it), so nothing is cut."""
    import numpy as np

    from storyline.cluster import story_rebuild
    from storyline.cluster.sparse import SparseVector

    def feature(subject: int) -> Features:
        ids = np.array([subject, 10**6], dtype=np.int64)
        return Features(
            terms=SparseVector(),
            names=SparseVector.from_arrays(ids, np.ones(2)),
            embedding=None,
            day=None,
            bound=None,
            subject=np.array([subject], dtype=np.int64),
        )

    blocks = 400
    feats = [feature(1) for _ in range(3)] + [feature(2 + b) for b in range(blocks) for _ in "abc"]
    n = len(feats)
    rows, node = [], {}
    for k in range(2):  # the first group: 0, 1, 2
        a = node.get(k - 1, 0) if k else 0
        rows.append([a, k + 1, 0.1, k + 2])
        node[k] = n + len(rows) - 1
    big, size = node[1], 3
    for b in range(blocks):  # each block of three joins itself, then the big group
        first = 3 + 3 * b
        rows.append([first, first + 1, 0.1, 2])
        rows.append([n + len(rows) - 1, first + 2, 0.1, 3])
        rows.append([big, n + len(rows) - 1, 0.2, size + 3])
        big, size = n + len(rows) - 1, size + 3
    moved = {"names": 0}
    join = story_rebuild._Branch.join

    def counting(self: Any, other: Any, settings: ClusterSettings) -> Any:
        moved["names"] += len(min(self, other, key=lambda b: b.size).names)
        return join(self, other, settings)

    monkeypatch.setattr(story_rebuild._Branch, "join", counting)
    groups = story_rebuild._cut_by_subject(np.array(rows, dtype=float), feats, ClusterSettings())
    assert len(groups) == 1
    assert moved["names"] < 4 * n  # merged smaller into larger; quadratic: ~ n * blocks / 2
