"""A lone undated report of an earlier batch is asked again when a later batch grows its
happening's story (`StoryClusterer._revisit_lone`, round 17 in docs/clustering.md)."""

from __future__ import annotations

import dataclasses

from storyline.cluster.sparse import SparseVector
from storyline.cluster.story_clusterer import StoryClusterer
from storyline.cluster.story_model import ClusterSettings, Features, StoryDoc
from storyline.cluster.story_sums import StorySums, article_score

#: A brief that names the mountain and little else of what the later reports tell.
BRIEF = StoryDoc(
    "x",
    "Snow slide on the Brennhorn buries climbers, regional police say. Inspector Lukas Berner "
    "gave no names and asked relatives to wait for news at the town hall, where the mayor and "
    "the priest were expected in the evening with a psychologist from the district hospital.",
)
ELSEWHERE = [
    StoryDoc(
        "o1",
        "The city council of Marlow voted to close the old ferry pier after "
        "inspectors found rot in its pilings.",
    ),
    StoryDoc(
        "o2",
        "Striking bus drivers in Tervola held a rally outside the transit authority "
        "over a pay offer they call an insult.",
    ),
    StoryDoc(
        "o3",
        "A new library opened in the river town of Kessel with a reading room for "
        "children and a cafe.",
    ),
]
REPORTS = [
    StoryDoc(
        "r1",
        "Rescue teams with dogs searched the Brennhorn glacier for a second day for "
        "four climbers buried by an avalanche near Saas. Guide Anton Riedl said the slope "
        "broke above the Keller hut.",
    ),
    StoryDoc(
        "r2",
        "Four climbers are still missing after the Brennhorn avalanche, rescuers in "
        "Saas said. Helicopters flew over the Keller hut as guide Anton Riedl led the "
        "search teams.",
    ),
    StoryDoc(
        "r3",
        "Hopes faded for the four climbers buried on the Brennhorn above Saas, where "
        "rescuers and avalanche dogs dug near the Keller hut, guide Anton Riedl said.",
    ),
    StoryDoc(
        "r4",
        "The Saas rescue service named the four climbers missing in the Brennhorn "
        "avalanche; guide Anton Riedl said the search near the Keller hut would go on at "
        "first light.",
    ),
    StoryDoc(
        "o4",
        "Farmers near Lindow said a late frost had ruined much of the cherry crop this spring.",
    ),
]


def _feed(revisit: bool) -> tuple[StoryClusterer, list[tuple[str, str]], float]:
    clusterer = StoryClusterer(dataclasses.replace(ClusterSettings(), settle_revisit=revisit))
    merges: list[tuple[str, str]] = []
    for batch in ([BRIEF, *ELSEWHERE], REPORTS):
        clusterer.observe(batch)
        for doc in batch:
            clusterer.add(doc)
        if batch is REPORTS:  # the brief against the grown story, before the settle
            brief = next(f for d, f in clusterer._stories["st_x"].recent if d == "x")
            score = article_score(brief, clusterer._stories["st_r1"], clusterer.settings)
        clusterer.settle(doc.id for doc in batch)
        clusterer.take_moves()
        merges += clusterer.take_merges()
    return clusterer, merges, score


def test_a_lone_brief_joins_the_story_a_later_batch_grew() -> None:
    off, off_merges, score = _feed(revisit=False)
    threshold = off.settings.threshold
    # below the join threshold (so neither add nor the repair moves it), within adoption's reach
    assert threshold * off.settings.settle_lone <= score < threshold
    assert off.story_of("x") == "st_x" and off_merges == []  # its own batch had no home for it
    on, on_merges, _ = _feed(revisit=True)
    assert on.story_of("x") == on.story_of("r1") == "st_r1"
    assert on_merges == [("st_x", "st_r1")]  # reported as a merge of its one-article story
    assert on.story_of("o4") == "st_o4" and on.story_of("o1") == "st_o1"  # nothing else moved


def test_dated_lone_reports_are_not_revisited() -> None:
    """A dated report could reach retired stories: asking it again would bring them back (or
    decide otherwise than a clusterer that keeps them all), so only undated ones are asked."""
    dated = [dataclasses.replace(d, date="2025-02-03") for d in (BRIEF, *ELSEWHERE)]
    later = [dataclasses.replace(d, date="2025-02-04") for d in REPORTS]
    clusterer = StoryClusterer(dataclasses.replace(ClusterSettings(), settle_revisit=True))
    for batch in (dated, later):
        clusterer.observe(batch)
        for doc in batch:
            clusterer.add(doc)
        clusterer.settle(doc.id for doc in batch)
    feats = next(f for d, f in clusterer._stories[clusterer.story_of("x") or ""].recent)
    assert not clusterer._in_view(feats)


def _home(members: int, first: int | None, last: int | None) -> StorySums:
    return StorySums(
        id="st_a", doc_ids=[f"m{i}" for i in range(members)], first_day=first, last_day=last
    )


def _feats(day: int | None) -> Features:
    return Features(terms=SparseVector(), names=SparseVector(), embedding=None, day=day, bound=None)


def test_evict_adopted_keeps_only_what_adoption_would_place() -> None:
    """`evict_adopted` (on since docs/clustering.md round 18): eviction leaves a member below the
    threshold only when `_adopt`'s rule would place it in its story now, and, when dated, only
    within the story's first week."""
    on = StoryClusterer(ClusterSettings())
    lone, ratio = on.settings.threshold * on.settings.settle_lone, on.settings.settle_ratio
    burst, undated = _home(3, 100, 103), _feats(None)
    assert on._adoptable(undated, burst, lone, lone / ratio)  # half the threshold, a clear lead
    assert on._adoptable(_feats(102), burst, lone, lone / ratio)  # a report of the same days
    assert not on._adoptable(undated, burst, lone * 0.9, 0.0)  # below adoption's reach
    assert not on._adoptable(undated, burst, lone, lone)  # no clear lead over a rival
    assert not on._adoptable(undated, _home(2, 100, 103), lone, 0.0)  # a story of two or more
    # a dated report weeks from the rest: it stays only on `date_strong` content
    assert not on._adoptable(_feats(130), _home(3, 100, 130), lone, 0.0)
    off = StoryClusterer(dataclasses.replace(ClusterSettings(), evict_adopted=False))
    assert not off._adoptable(undated, burst, lone, 0.0)
