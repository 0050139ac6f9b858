"""Regroup after a batch: the rebuild's average link, asked again of the batch's neighbourhood.

Why: the incremental clusterer decides each article when it arrives, and its repairs move one
article at a time to a rival story. Two kinds of error survive that: a story that holds two
happenings (the first reports of a topic's second happening joined the first, and the rest
followed; there is no rival story to move them to), and one happening split into fragments
that each outgrew the single article that could have joined them. The full rebuild (average link
over all pairs, cut at the threshold) has neither problem, but it is quadratic in the archive.

After each batch, the stories the batch touched and their closest rivals form a neighbourhood of
a few hundred articles at most. When every member of such a story still has its vectors (the
story holds no more than ``repair_members`` articles), the neighbourhood is clustered again with
the rebuild's own average link (`storyline.cluster.story_rebuild.average_link_clusters`), and the
clusterer moves the articles whose group changed. Work is bounded by the neighbourhood (the batch
size times ``regroup_rivals`` stories of at most ``repair_members`` articles), never by the
archive.

Pure functions: the clusterer picks the neighbourhood and applies the result as moves.
"""

from __future__ import annotations

from storyline.cluster.story_model import ClusterSettings
from storyline.cluster.story_rebuild import average_link_clusters
from storyline.cluster.story_sums import StorySums

__all__ = ["regroup", "story_ids_for"]


def regroup(stories: list[StorySums], settings: ClusterSettings) -> list[list[str]]:
    """The neighbourhood's articles grouped by average link at the threshold (ids per group).

    Every story must hold the vectors of all its members (``recent`` covers ``doc_ids``).
    """
    ids: list[str] = []
    feats = []
    for story in stories:
        for doc_id, f in story.recent:
            ids.append(doc_id)
            feats.append(f)
    groups = average_link_clusters(feats, settings)
    return [[ids[i] for i in sorted(g)] for g in groups]


def story_ids_for(
    groups: list[list[str]], current: dict[str, str], founders: dict[str, str]
) -> list[str]:
    """A story id for each new group, so that every id names one of its members.

    ``current``: article -> its story id now; ``founders``: story id -> its founding article.
    A group keeps the id of the current story whose founder it holds and which gives it the
    most members (ties: the smaller id); a group holding no founder is a new story,
    ``st_<its first member>``. Each id is given to one group at most.
    """
    taken: set[str] = set()
    out: list[str] = []
    for group in groups:
        members = set(group)
        counts: dict[str, int] = {}
        for doc_id in group:
            counts[current[doc_id]] = counts.get(current[doc_id], 0) + 1
        kept = [s for s in counts if founders.get(s) in members and s not in taken]
        if kept:
            story_id = min(kept, key=lambda s: (-counts[s], s))
        else:
            story_id = "st_" + min(group)
        taken.add(story_id)
        out.append(story_id)
    return out
