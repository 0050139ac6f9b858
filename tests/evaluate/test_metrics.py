"""Clustering metrics on examples small enough to compute by hand."""

import pytest

from storyline.errors import EvaluationError
from storyline.evaluate.metrics import bcubed, clustering_scores, f1, pairwise

GOLD = ["a", "a", "a", "b", "b"]
PRED = [1, 1, 2, 2, 2]


def test_pairwise_by_hand() -> None:
    # gold pairs: 3 (a) + 1 (b) = 4; predicted pairs: 1 + 3 = 4; shared: (a1,a2) and (b1,b2)
    assert pairwise(GOLD, PRED) == pytest.approx((0.5, 0.5, 0.5))


def test_bcubed_by_hand() -> None:
    # precision per item: 1, 1, 1/3, 2/3, 2/3; recall: 2/3, 2/3, 1/3, 1, 1
    p, r, f = bcubed(GOLD, PRED)
    assert p == pytest.approx(11 / 15)
    assert r == pytest.approx(11 / 15)
    assert f == pytest.approx(11 / 15)


def test_bcubed_unbalanced() -> None:
    # everything in one cluster: precision per item 3/5, 3/5, 3/5, 2/5, 2/5; recall 1
    p, r, _ = bcubed(GOLD, [0] * 5)
    assert p == pytest.approx((3 * 3 / 5 + 2 * 2 / 5) / 5)
    assert r == 1.0
    # all singletons: precision 1, recall per item 1/3 x3, 1/2 x2
    p, r, _ = bcubed(GOLD, list(range(5)))
    assert p == 1.0
    assert r == pytest.approx((3 * (1 / 3) + 2 * (1 / 2)) / 5)


def test_all_singletons_pairwise_convention() -> None:
    p, r, f = pairwise(GOLD, list(range(5)))
    assert (p, r, f) == (1.0, 0.0, 0.0)


def test_perfect_and_relabelled() -> None:
    scores = clustering_scores(GOLD, ["x", "x", "x", "y", "y"])
    assert scores["bcubed_f1"] == 1.0
    assert scores["pairwise_f1"] == 1.0
    assert scores["ari"] == pytest.approx(1.0)
    assert scores["clusters"] == 2
    assert scores["gold_clusters"] == 2


def test_ari_matches_hand_example() -> None:
    # contingency [[2,1],[0,2]]: sum C(n_ij,2)=2, rows 3+1=4, cols 1+3=4, C(5,2)=10
    # expected = 4*4/10 = 1.6, max = 4; ARI = (2-1.6)/(4-1.6) = 1/6
    assert clustering_scores(GOLD, PRED)["ari"] == pytest.approx(1 / 6)


def test_f1_and_errors() -> None:
    assert f1(0.0, 0.0) == 0.0
    assert f1(1.0, 0.5) == pytest.approx(2 / 3)
    with pytest.raises(EvaluationError, match="gold has 2 labels") as caught:
        bcubed(["a", "b"], [1])
    assert caught.value.code == "E700"
