"""Clustering metrics against gold labels: pairwise and B-cubed P/R/F1, ARI, cluster counts.

All functions take two equally long sequences of hashable labels, one per item: the gold story
and the predicted story. Label values only matter through equality.

* Pairwise: over all unordered pairs of items, a pair is predicted-together and/or gold-together;
  precision = correct together-pairs / predicted together-pairs, recall = / gold together-pairs.
  With no predicted (or gold) pairs the precision (recall) is 1.0 by convention.
* B-cubed (Bagga and Baldwin, 1998): per item, precision is the share of its predicted cluster
  that shares its gold label, recall the share of its gold cluster that shares its predicted
  cluster; both averaged over items.
* ARI: scikit-learn's ``adjusted_rand_score``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

from sklearn.metrics import adjusted_rand_score

from storyline.errors import EvaluationError

__all__ = ["bcubed", "clustering_scores", "f1", "pairwise"]


def f1(precision: float, recall: float) -> float:
    """Harmonic mean, 0.0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def _check(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> None:
    if len(gold) != len(pred):
        raise EvaluationError(
            f"gold has {len(gold)} labels but predicted has {len(pred)}; score one predicted "
            "label per gold item"
        )


def _pairs(sizes: Counter[Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pairwise(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1."""
    _check(gold, pred)
    together = _pairs(Counter(zip(gold, pred, strict=True)))
    pred_pairs = _pairs(Counter(pred))
    gold_pairs = _pairs(Counter(gold))
    precision = together / pred_pairs if pred_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return precision, recall, f1(precision, recall)


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (item-averaged)."""
    _check(gold, pred)
    if not gold:
        return 1.0, 1.0, 1.0
    joint = Counter(zip(gold, pred, strict=True))
    gold_sizes = Counter(gold)
    pred_sizes = Counter(pred)
    # every item in cell (g, p) has the same per-item precision and recall
    precision = sum(n * n / pred_sizes[p] for (_, p), n in joint.items()) / len(gold)
    recall = sum(n * n / gold_sizes[g] for (g, _), n in joint.items()) / len(gold)
    return precision, recall, f1(precision, recall)


def clustering_scores(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    """All metrics as one flat dict (the evaluator's row)."""
    pp, pr, pf = pairwise(gold, pred)
    bp, br, bf = bcubed(gold, pred)
    ari = float(adjusted_rand_score(list(gold), list(pred))) if len(gold) > 1 else 1.0
    return {
        "pairwise_p": pp,
        "pairwise_r": pr,
        "pairwise_f1": pf,
        "bcubed_p": bp,
        "bcubed_r": br,
        "bcubed_f1": bf,
        "ari": ari,
        "clusters": float(len(set(pred))),
        "gold_clusters": float(len(set(gold))),
    }
