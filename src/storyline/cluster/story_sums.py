"""A story's running sums, and how an article or another story scores against them.

Why a module of its own: the incremental clusterer (`storyline.cluster.story_clusterer`) keeps
each story as sums of its members' normalised vectors, so that average link to a story is one dot
product; the scores read from those sums (an article to a story, a member to its own story without
itself, a story to a story) and the record holding them are plain functions of the settings, apart
from the clusterer's index, postings and repair decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from storyline.cluster.sparse import SparseVector
from storyline.cluster.story_model import (
    ClusterSettings,
    Features,
    date_factor,
    interval_gap,
    near_days,
)

__all__ = [
    "StorySums",
    "agreement",
    "article_score",
    "member_fit",
    "pair_similarity",
    "story_similarity",
]


@dataclass
class StorySums:
    """A story's running sums: average link to it is a dot product with these sums."""

    id: str
    doc_ids: list[str] = field(default_factory=list)
    terms: SparseVector = field(default_factory=SparseVector)
    names: SparseVector = field(default_factory=SparseVector)
    n_terms: int = 0
    n_names: int = 0
    embedding: np.ndarray | None = None
    n_embedding: int = 0
    first_day: int | None = None
    last_day: int | None = None
    keys: list[int] = field(default_factory=list)
    seq: int = 0
    #: kind -> {value set -> number of member articles stating exactly that set}
    signatures: dict[str, dict[frozenset[str], int]] = field(default_factory=dict)
    #: (doc id, weighed features) of the most recent members, for the local repair
    recent: list[tuple[str, Features]] = field(default_factory=list)


def _dot(a: SparseVector, b: SparseVector) -> float:
    return a.dot(b)


def _embed_score(cosine: float, settings: ClusterSettings) -> float:
    floor = settings.embed_floor
    return max(0.0, (cosine - floor) / (1.0 - floor)) if floor < 1.0 else 0.0


def pair_similarity(
    text: float | None,
    names: float | None,
    embedding: float | None,
    gap_days: float | None,
    settings: ClusterSettings,
    near: bool = False,
    span: float = 0.0,
    members: int = 0,
) -> float:
    """Weighted mean of the channel scores that exist, times the date factor (``near``: see
    `near_days`)."""
    total = weight = 0.0
    for score, w in (
        (text, settings.text_weight),
        (names, settings.names_weight),
        (None if embedding is None else _embed_score(embedding, settings), settings.embed_weight),
    ):
        if score is not None and w > 0:
            total += w * score
            weight += w
    if weight == 0:
        return 0.0
    content = total / weight
    return content * date_factor(gap_days, settings, near, embedding, content, span, members)


def span_days(story: StorySums) -> int:
    """Days from a story's first to its last dated article (0 when undated)."""
    if story.first_day is None or story.last_day is None:
        return 0
    return story.last_day - story.first_day


def article_score(feats: Features, story: StorySums, settings: ClusterSettings) -> float:
    """Average link of an article to a story, times the date factor and the signatures'
    agreement (the score ``StoryClusterer.add`` compares with the threshold)."""
    text = _dot(feats.terms, story.terms) / story.n_terms if feats.terms and story.n_terms else None
    names = (
        _dot(feats.names, story.names) / story.n_names if feats.names and story.n_names else None
    )
    emb = None
    if feats.embedding is not None and story.embedding is not None and story.n_embedding:
        emb = float(feats.embedding @ story.embedding) / story.n_embedding
    gap = interval_gap(feats.day, feats.bound, story.first_day, story.last_day)
    near = near_days(feats.day, story.first_day, story.last_day, settings)
    members = len(story.doc_ids)
    score = pair_similarity(text, names, emb, gap, settings, near, span_days(story), members)
    if feats.signature and story.signatures and score > 0:
        score *= agreement(feats.signature, story, settings)
    return score


def agreement(sig: dict[str, frozenset[str]], story: StorySums, settings: ClusterSettings) -> float:
    """Product over signature kinds of ``1 - penalty * share of members that disagree``."""
    factor = 1.0
    n = len(story.doc_ids)
    if n == 0:
        return factor
    for kind, values in sig.items():
        sets = story.signatures.get(kind)
        if not sets:
            continue
        disagree = sum(c for member, c in sets.items() if member.isdisjoint(values))
        factor *= 1.0 - settings.conflict_penalty * min(1.0, disagree / n)
    return factor


def member_fit(
    feats: Features, story: StorySums, settings: ClusterSettings, doc_id: str | None = None
) -> float:
    """Score of a member to its own story without itself (the threshold when alone)."""
    n = len(story.doc_ids)
    if n <= 1:
        return settings.threshold
    text = names = emb = None
    if feats.terms and story.n_terms > 1:
        # its own contribution to the sum is its squared norm: 1 (vectors are normalised)
        text = (_dot(feats.terms, story.terms) - 1.0) / (story.n_terms - 1)
    if feats.names and story.n_names > 1:
        names = (_dot(feats.names, story.names) - 1.0) / (story.n_names - 1)
    if feats.embedding is not None and story.embedding is not None and story.n_embedding > 1:
        emb = float(feats.embedding @ (story.embedding - feats.embedding)) / (story.n_embedding - 1)
    gap = interval_gap(feats.day, feats.bound, story.first_day, story.last_day)
    near = _near_others(feats, story, settings, doc_id)
    members = n - 1  # the story without this member
    score = pair_similarity(text, names, emb, gap, settings, near, span_days(story), members)
    if feats.signature and story.signatures and score > 0:
        factor = 1.0
        for kind, values in feats.signature.items():
            sets = story.signatures.get(kind)
            if not sets:
                continue
            disagree = sum(c for member, c in sets.items() if member.isdisjoint(values))
            factor *= 1.0 - settings.conflict_penalty * min(1.0, disagree / (n - 1))
        score *= factor
    return score - settings.small_story_margin / (n - 1)


def _near_others(
    feats: Features, story: StorySums, settings: ClusterSettings, doc_id: str | None
) -> bool:
    """`near_days` against the story without this member: the days of its other recent members,
    and the story's first day when older members are no longer kept. (The story's range holds
    the member's own day, which would boost a member among undated others, or at its edge.)"""
    if feats.day is None:
        return False
    others = [f for d, f in story.recent if f is not feats and d != doc_id]
    days = [f.day for f in others if f.day is not None]
    if len(story.doc_ids) - 1 > len(others):
        if story.first_day is not None:
            days.append(story.first_day)
    if not days:
        return False
    lo, hi = min(days), max(days)
    nearest = min(abs(feats.day - d) for d in days)
    return nearest <= settings.date_grace_days and near_days(feats.day, lo, hi, settings)


def story_similarity(
    a: StorySums, b: StorySums, settings: ClusterSettings, boost: bool = True, floor: float = 0.0
) -> float:
    """Average link between two stories (mean over their article pairs), from the sums; without
    the same-week boost when ``boost`` is off. A score already below ``floor`` before the
    signatures is returned as it is: they can only lower it, and comparing every pair of the
    two stories' signature sets (up to `max_story_signatures` squared per kind) is the costly
    part of a merge test that most candidates fail."""
    text = _dot(a.terms, b.terms) / (a.n_terms * b.n_terms) if a.n_terms and b.n_terms else None
    names = _dot(a.names, b.names) / (a.n_names * b.n_names) if a.n_names and b.n_names else None
    emb = None
    if a.embedding is not None and b.embedding is not None and a.n_embedding and b.n_embedding:
        emb = float(a.embedding @ b.embedding) / (a.n_embedding * b.n_embedding)
    gap = None
    if a.first_day is not None and b.first_day is not None:
        gap = max(0, a.first_day - b.last_day, b.first_day - a.last_day)  # type: ignore[operator]
    near = (
        boost
        and a.last_day is not None
        and b.last_day is not None
        and near_days(a.first_day, b.first_day, b.last_day, settings)
        and near_days(a.last_day, b.first_day, b.last_day, settings)
    )
    span = max(span_days(a), span_days(b))
    members = min(len(a.doc_ids), len(b.doc_ids))
    score = pair_similarity(text, names, emb, gap, settings, near, span, members)
    if score < floor:
        return score
    pairs = len(a.doc_ids) * len(b.doc_ids)
    for kind, sets in a.signatures.items():
        other = b.signatures.get(kind)
        if other and score > 0:
            disagree = sum(
                ca * cb for va, ca in sets.items() for vb, cb in other.items() if va.isdisjoint(vb)
            )
            score *= 1.0 - settings.conflict_penalty * min(1.0, disagree / pairs)
    return score
