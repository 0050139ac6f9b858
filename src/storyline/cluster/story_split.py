"""The split test of the incremental clusterer: a story that holds two happenings gives one up.

Why: when the first report of a topic's second happening arrives, the topic's first story is
often the only story it resembles, and it joins it (two earthquakes in one region, two arrests of
one team's players). The reports of the second happening that follow then join that mixed story
too, since it now holds their happening. Neither the local repair nor the batch settle can undo
this: both move one article to a *rival* story, and the second happening has none. The full
rebuild (average link over all pairs) keeps the two groups apart because the link between them
is below the threshold.

This test asks the rebuild's question of one story's recent members (those whose vectors the
story keeps): their average-link tree, cut at the threshold, proposes groups; a group that does
not hold the founding article leaves the story when

* it holds at least ``split_min_group`` articles (one article leaving is the repair's eviction),
* its members' average link to each other reaches the threshold (it is a story by itself), and
* its average link to the rest of the story (all of it, older members included, read from the
  story's sums) stays below ``split_link`` times the threshold: the rebuild would not join them.

Pure functions of a story's sums and the settings: the clusterer applies the result (moves).
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from storyline.cluster.story_model import ClusterSettings, Features
from storyline.cluster.story_rebuild import similarity_matrix
from storyline.cluster.story_sums import StorySums, story_similarity

__all__ = ["split_group"]


def split_group(story: StorySums, settings: ClusterSettings) -> list[str]:
    """Ids of the recent members that form a second happening inside ``story`` ([] if none).

    When several groups qualify, the one least linked to the rest leaves (one split per call;
    the next batch may split again).
    """
    recent = story.recent
    least = settings.split_min_group
    if least <= 0 or len(recent) < least + 1 or len(story.doc_ids) < least + 1:
        return []
    feats = [f for _, f in recent]
    sim = similarity_matrix(feats, settings)
    sim = (sim + sim.T) / 2.0
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - settings.threshold + 1e-12, criterion="distance")
    founder = story.id[3:] if story.id.startswith("st_") else None
    best: tuple[float, list[int]] | None = None
    for label in sorted(set(labels.tolist())):
        members = [i for i, x in enumerate(labels) if x == label]
        if len(members) < least or any(recent[i][0] == founder for i in members):
            continue
        if len(members) >= len(story.doc_ids):
            continue
        inner = sim[np.ix_(members, members)]
        cohesion = (inner.sum() - np.trace(inner)) / (len(members) * (len(members) - 1))
        if cohesion < settings.threshold:
            continue
        link = _link_to_rest(story, [feats[i] for i in members], settings)
        if link >= settings.threshold * settings.split_link:
            continue
        if best is None or link < best[0]:
            best = (link, members)
    if best is None:
        return []
    return [recent[i][0] for i in best[1]]


def _link_to_rest(story: StorySums, group: list[Features], settings: ClusterSettings) -> float:
    """Average link between ``group`` (members of ``story``) and the rest of the story."""
    part = _sums(group)
    rest = StorySums(
        id=story.id,
        doc_ids=story.doc_ids[: len(story.doc_ids) - len(group)],  # only its size is read
        terms=story.terms.copy(),
        names=story.names.copy(),
        n_terms=story.n_terms - part.n_terms,
        n_names=story.n_names - part.n_names,
        n_embedding=story.n_embedding - part.n_embedding,
    )
    rest.terms.subtract(part.terms)
    rest.names.subtract(part.names)
    if story.embedding is not None and part.embedding is not None and rest.n_embedding > 0:
        rest.embedding = story.embedding - part.embedding  # else the rest has no embedded member
    for kind, sets in story.signatures.items():
        left = dict(sets)
        for values, count in part.signatures.get(kind, {}).items():
            if values in left:
                left[values] -= count
                if left[values] <= 0:
                    del left[values]
        if left:
            rest.signatures[kind] = left
    # the rest's dates: its recent members', and the story's first day when older ones exist
    mine = {id(f) for f in group}
    days = [f.day for _, f in story.recent if id(f) not in mine and f.day is not None]
    if len(story.doc_ids) > len(story.recent) and story.first_day is not None:
        days.append(story.first_day)
    if days:
        rest.first_day, rest.last_day = min(days), max(days)
    if not rest.n_terms and not rest.n_names:
        return 0.0
    return story_similarity(part, rest, settings)


def _sums(group: list[Features]) -> StorySums:
    """Sums of a few members' vectors, as a story would hold them."""
    sums = StorySums(id="", doc_ids=[""] * len(group))
    for feats in group:
        if feats.terms:
            sums.terms.add(feats.terms)
            sums.n_terms += 1
        if feats.names:
            sums.names.add(feats.names)
            sums.n_names += 1
        if feats.embedding is not None:
            sums.embedding = (
                feats.embedding.copy()
                if sums.embedding is None
                else sums.embedding + feats.embedding
            )
            sums.n_embedding += 1
        for kind, values in feats.signature.items():
            sets = sums.signatures.setdefault(kind, {})
            sets[values] = sets.get(values, 0) + 1
        if feats.day is not None:
            sums.first_day = feats.day if sums.first_day is None else min(sums.first_day, feats.day)
            sums.last_day = feats.day if sums.last_day is None else max(sums.last_day, feats.day)
    return sums
