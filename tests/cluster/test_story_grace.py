"""The grace period of four days (docs/clustering.md round 19): reports that trail a happening by
four days are not decayed, and the same-week boost reaches eight days."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from storyline.cluster.story_model import ClusterSettings, date_factor

DATA = Path(__file__).parents[1] / "data" / "clustering"


def test_the_shipped_grace_is_four_days() -> None:
    shipped = ClusterSettings()
    assert shipped.date_grace_days == 4.0
    assert date_factor(4, shipped) == 1.0  # a report four days after its happening's first
    assert date_factor(5, shipped) < 1.0  # and decayed from the fifth
    assert date_factor(4, dataclasses.replace(shipped, date_grace_days=3.0)) < 1.0


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        # without the entity stages, file order (with them, round 19: .890 -> .927 on the blind
        # wire set, .851 -> .885 on the recurring actors, .924 -> .948 on the same-week set)
        ("heldout_dated_wire.jsonl", 0.88, 0.91),
        ("heldout_dated_actors.jsonl", 0.84, 0.87),
        ("heldout_same_week.jsonl", 0.92, 0.94),
    ],
)
def test_four_days_of_grace_gather_trailing_reports_without_losing_precision(
    name: str, before: float, after: float
) -> None:
    from storyline.cluster.embed import default_embedder
    from storyline.evaluate.clustering import evaluate_clustering

    if default_embedder() is None:
        pytest.skip("the wordllama package is not installed: the dated sets were measured with it")
    # the window, merges and half-life before rounds 20 and 21, which these figures were measured
    # with
    shipped = ClusterSettings(max_gap_days=45.0, merge_dated=False, date_span_share=0.0)
    on = evaluate_clustering(DATA / name, shipped, shuffles=0, entities=False)["modes"]
    three = dataclasses.replace(shipped, date_grace_days=3.0)
    off = evaluate_clustering(DATA / name, three, shuffles=0, entities=False)["modes"]
    assert off["incremental"]["bcubed_f1"] >= before
    assert on["incremental"]["bcubed_f1"] >= after
    assert on["incremental"]["bcubed_f1"] > off["incremental"]["bcubed_f1"]
    assert on["incremental"]["bcubed_p"] >= 0.96
    assert on["rebuild"]["bcubed_f1"] >= off["rebuild"]["bcubed_f1"]
