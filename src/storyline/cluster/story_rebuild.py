"""The full rebuild's pairwise similarity and average-link clustering (order-independent)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

from storyline.cluster.story_model import embed_boost

if TYPE_CHECKING:
    from storyline.cluster.sparse import SparseVector
    from storyline.cluster.story_model import ClusterSettings, Features


def _sparse(vectors: list[SparseVector]) -> csr_matrix:
    indptr = np.cumsum([0, *(len(v) for v in vectors)])
    if not indptr[-1]:
        return csr_matrix((len(vectors), 1), dtype=np.float64)
    indices = np.concatenate([v.ids for v in vectors]).astype(np.int64)
    data = np.concatenate([v.values for v in vectors])
    width = int(indices.max()) + 1
    return csr_matrix((data, indices, indptr), shape=(len(vectors), width), dtype=np.float64)


def _gram(vectors: list[SparseVector]) -> tuple[np.ndarray, np.ndarray]:
    """Cosine matrix of the channel and whether both sides have the channel."""
    matrix = _sparse(vectors)
    gram = (matrix @ matrix.T).toarray()
    present = np.array([bool(v) for v in vectors])
    return gram, np.outer(present, present)


def similarity_matrix(feats: list[Features], settings: ClusterSettings) -> np.ndarray:
    """Pairwise similarity of articles, exactly as :func:`pair_similarity` scores one pair."""
    n = len(feats)
    total = np.zeros((n, n))
    weight = np.zeros((n, n))
    channels = []
    if settings.text_weight > 0:
        channels.append((_gram([f.terms for f in feats]), settings.text_weight))
    if settings.names_weight > 0:
        channels.append((_gram([f.names for f in feats]), settings.names_weight))
    has_emb = np.array([f.embedding is not None for f in feats])
    cos: np.ndarray | None = None
    if has_emb.any() and (settings.embed_weight > 0 or settings.near_embed_boost > 0):
        dim = next(f.embedding for f in feats if f.embedding is not None).shape[0]
        emb = np.zeros((n, dim), dtype=np.float32)
        for i, f in enumerate(feats):
            if f.embedding is not None:
                emb[i] = f.embedding
        cos = (emb @ emb.T).astype(np.float64)
    if settings.embed_weight > 0 and cos is not None:
        floor = settings.embed_floor
        score = np.clip((cos - floor) / (1.0 - floor), 0.0, None) if floor < 1 else cos * 0
        channels.append(((score, np.outer(has_emb, has_emb)), settings.embed_weight))
    for (score, present), w in channels:
        total += np.where(present, w * score, 0.0)
        weight += np.where(present, w, 0.0)
    sim = np.divide(total, weight, out=np.zeros_like(total), where=weight > 0)
    both = np.outer(has_emb, has_emb) if cos is not None else None
    sim *= _date_factors(feats, settings, cos, both, sim)
    if settings.conflict_penalty > 0:
        sim *= _agreement(feats, settings.conflict_penalty)
    return sim


def _agreement(feats: list[Features], penalty: float) -> np.ndarray:
    """Per pair, the product over signature kinds of ``1 - penalty`` where both state values of
    that kind and share none (the soft cannot-link of
    :func:`storyline.cluster.story_sums.agreement`)."""
    n = len(feats)
    factor = np.ones((n, n))
    kinds = sorted({kind for f in feats for kind in f.signature})
    for kind in kinds:
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, f in enumerate(feats):
            for value in f.signature.get(kind, ()):
                rows.append(i)
                cols.append(vocab.setdefault(value, len(vocab)))
        marks = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(1, len(vocab))))
        shared = (marks @ marks.T).toarray() > 0
        has = np.asarray(marks.sum(axis=1)).ravel() > 0
        disjoint = np.outer(has, has) & ~shared
        factor[disjoint] *= 1.0 - penalty
    return factor


def _date_factors(
    feats: list[Features],
    settings: ClusterSettings,
    cos: np.ndarray | None = None,
    both: np.ndarray | None = None,
    content: np.ndarray | None = None,
) -> np.ndarray:
    """Per pair, :func:`storyline.cluster.story_model.date_factor`: the same-week boost follows
    the embedding cosine ``cos`` where ``both`` sides have an embedding (`near_boost`); a
    ``content`` similarity of at least ``date_strong`` is not decayed."""
    n = len(feats)
    day = np.array([np.nan if f.day is None else f.day for f in feats], dtype=np.float64)
    bound = np.array([np.nan if f.bound is None else f.bound for f in feats], dtype=np.float64)
    gap = np.abs(day[:, None] - day[None, :])
    dated = ~np.isnan(gap)  # both sides dated: the only pairs the same-week boost applies to
    # an undated article with a lower bound is at least (bound - other's date) away
    lower = np.clip(bound[:, None] - day[None, :], 0, None)
    gap = np.where(np.isnan(gap), lower, gap)
    gap = np.where(np.isnan(gap), lower.T, gap)
    factor = np.ones((n, n))
    known = ~np.isnan(gap)
    excess = np.clip(gap - settings.date_grace_days, 0, None)
    decay = 0.5 ** (excess / settings.date_half_life_days)
    if settings.date_strong > 0 and content is not None:
        decay = np.where(content >= settings.date_strong, 1.0, decay)
    boost = np.full((n, n), settings.date_near_boost)
    if cos is not None and both is not None and settings.near_embed_boost > 0:
        boost = np.where(both, embed_boost(cos, settings), boost)
    decay = np.where(dated & (excess <= 0), boost, decay)
    decay = np.where(gap > settings.max_gap_days, 0.0, decay)
    factor[known] = decay[known]
    return factor


def average_link_clusters(feats: list[Features], settings: ClusterSettings) -> list[list[int]]:
    """Groups of indices: average-link clustering cut where similarity falls below threshold."""
    n = len(feats)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    sim = similarity_matrix(feats, settings)
    dist = np.clip(1.0 - (sim + sim.T) / 2.0, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    if settings.subject_min_group > 0:
        return _cut_by_subject(tree, feats, settings)
    labels = fcluster(tree, t=1.0 - settings.threshold + 1e-12, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    return list(groups.values())


def _cut_by_subject(
    tree: np.ndarray, feats: list[Features], settings: ClusterSettings
) -> list[list[int]]:
    """The tree cut at the threshold, and also where its two branches tell different subjects.

    Walked from the root: a node above the cut, or one whose branches each have a subject the
    other never names (:func:`different_subjects`), gives way to its two branches, examined in
    turn; any other node is one group. Each node's answer is found first, bottom up, from its
    branches' name counts merged smaller into larger, so a tree of n articles costs about
    n log n counts however its joins fall. The plain cut is scipy's ``fcluster``; this one needs
    the members' names at each join, which no scipy criterion reads, hence the walk of our own.
    """
    n = len(feats)
    cut = 1.0 - settings.threshold + 1e-12
    branches = {n + k: (int(a), int(b), float(h)) for k, (a, b, h, _) in enumerate(tree)}
    summaries: dict[int, _Branch] = {}
    split: set[int] = set()
    for node in range(n, 2 * n - 1):  # scipy numbers the joins in the order they are made
        left, right, height = branches[node]
        if height > cut:  # average link never falls again above: no node up here is a group
            summaries.pop(left, None)
            summaries.pop(right, None)
            continue
        a = summaries.pop(left) if left >= n else _Branch.of(feats[left], settings)
        b = summaries.pop(right) if right >= n else _Branch.of(feats[right], settings)
        if a.differs_from(b, settings):
            split.add(node)
        summaries[node] = a.join(b, settings)

    def leaves(node: int) -> list[int]:
        found, stack = [], [node]
        while stack:
            x = stack.pop()
            if x < n:
                found.append(x)
            else:
                stack.extend(branches[x][:2])
        return found

    groups: list[list[int]] = []
    stack = [2 * n - 2]
    while stack:
        node = stack.pop()
        if node < n:
            groups.append([node])
        elif branches[node][2] > cut or node in split:
            stack.extend(branches[node][:2])
        else:
            groups.append(leaves(node))
    return groups


@dataclass
class _Branch:
    """What the subject test reads of a group of articles: how many name each name-channel id,
    how many have it in their title or lead, and the ids in enough of their leads to be a
    subject (at most a few dozen: each needs ``subject_lead_share`` of the group's leads)."""

    size: int
    dated: int
    names: Counter[int]
    leads: Counter[int]
    candidates: set[int]

    @classmethod
    def of(cls, feats: Features, settings: ClusterSettings) -> _Branch:
        subject = feats.subject.tolist()
        return cls(
            size=1,
            dated=int(feats.day is not None),
            names=Counter(feats.names.ids.tolist()),
            leads=Counter(subject),
            candidates=set(subject),
        )

    def join(self, other: _Branch, settings: ClusterSettings) -> _Branch:
        """The union of two groups; the larger's counts are reused (this or ``other`` is
        spent). A subject of the union is a subject of one of the two: an id in half the
        union's leads is in half the leads of one side."""
        big, small = (self, other) if self.size >= other.size else (other, self)
        big.names.update(small.names)
        big.leads.update(small.leads)
        big.size += small.size
        big.dated += small.dated
        floor = settings.subject_lead_share * big.size
        big.candidates = {x for x in big.candidates | small.candidates if big.leads[x] >= floor}
        return big

    def differs_from(self, other: _Branch, settings: ClusterSettings) -> bool:
        least = settings.subject_min_group
        if least <= 0 or self.size < least or other.size < least:
            return False
        if 2 * (self.dated + other.dated) > self.size + other.size:
            return False
        return self._own_subject(other, settings) and other._own_subject(self, settings)

    def _own_subject(self, other: _Branch, settings: ClusterSettings) -> bool:
        floor = settings.subject_share * self.size
        return any(self.names[x] >= floor and x not in other.names for x in self.candidates)


def different_subjects(
    a: list[int], b: list[int], feats: list[Features], settings: ClusterSettings
) -> bool:
    """Whether groups ``a`` and ``b`` (indices into ``feats``) each have a subject the other
    never names: a name of the title or lead (`Features.subject`) of at least
    ``subject_lead_share`` of the group's articles, named by at least ``subject_share`` of them
    and by none of the other group's (`Features.names`). Groups smaller than
    ``subject_min_group`` never differ: a name two reports share may be chance. Nor do two
    groups most of whose articles, counted together, are dated: there the date rule and the
    same-week boost decide, and the dated paraphrase set's reports of one happening were split
    by the test (its rebuild with the flat boost .933 -> .914)."""
    if not a or not b:
        return False
    sides = []
    for group in (a, b):
        branch = _Branch.of(feats[group[0]], settings)
        for i in group[1:]:
            branch = branch.join(_Branch.of(feats[i], settings), settings)
        sides.append(branch)
    return sides[0].differs_from(sides[1], settings)
