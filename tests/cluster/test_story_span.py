"""The half-life follows the story's own span (docs/clustering.md round 21): a happening already
told over weeks pauses for weeks between its bursts, so a report after such a lull is decayed
over the story's span, not over `date_half_life_days`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from storyline.cluster.story_model import ClusterSettings, date_factor
from storyline.cluster.story_sums import StorySums, span_days

DATA = Path(__file__).parents[1] / "data" / "clustering"


def test_a_long_story_decays_over_its_own_span() -> None:
    shipped = ClusterSettings()
    assert shipped.date_span_share == 1.0
    grace, half = shipped.date_grace_days, shipped.date_half_life_days
    # a story of one week: the fixed half-life
    assert date_factor(grace + half, shipped, span=7) == pytest.approx(0.5)
    # a story told over five weeks: a report 35 days past the grace is halved once, not five times
    assert date_factor(grace + 35, shipped, span=35) == pytest.approx(0.5)
    off = dataclasses.replace(shipped, date_span_share=0.0)
    assert date_factor(grace + 35, off, span=35) == pytest.approx(0.5**5)
    # never beyond the window, and strong content is not decayed at all, as before
    assert date_factor(shipped.max_gap_days + 1, shipped, span=300) == 0.0
    assert date_factor(grace + 35, shipped, content=shipped.date_strong, span=0) == 1.0


def test_span_days_of_dated_and_undated_stories() -> None:
    assert span_days(StorySums(id="s", first_day=100, last_day=142)) == 42
    assert span_days(StorySums(id="u")) == 0


@pytest.mark.parametrize(
    ("name", "off_floor", "on_floor", "precision"),
    [
        # without the entity stages, file order: .880 -> .898 (P 1.000) and .915 -> .948 (P .981)
        ("heldout_dated_long.jsonl", 0.87, 0.89, 0.99),
        ("heldout_dated_mixed.jsonl", 0.90, 0.94, 0.97),
    ],
)
def test_long_happenings_keep_their_reports_after_a_lull(
    name: str, off_floor: float, on_floor: float, precision: float
) -> None:
    from storyline.cluster.embed import default_embedder
    from storyline.evaluate.clustering import evaluate_clustering

    if default_embedder() is None:
        pytest.skip("the wordllama package is not installed: the dated sets were measured with it")
    # the span's own effect, without round 22's far joins (they take some of the same reports)
    shipped = ClusterSettings(far_gap_days=0.0)
    on = evaluate_clustering(DATA / name, shipped, shuffles=0, entities=False)["modes"]
    fixed = dataclasses.replace(shipped, date_span_share=0.0)
    off = evaluate_clustering(DATA / name, fixed, shuffles=0, entities=False)["modes"]
    assert off["incremental"]["bcubed_f1"] >= off_floor
    assert on["incremental"]["bcubed_f1"] >= on_floor
    assert on["incremental"]["bcubed_r"] > off["incremental"]["bcubed_r"]
    assert on["incremental"]["bcubed_p"] >= precision


def test_far_reach_needs_a_story_of_three_and_strong_content() -> None:
    from storyline.cluster.story_model import far_reach, reach_days

    assert reach_days(ClusterSettings()) == ClusterSettings().max_gap_days  # off by default
    shipped = ClusterSettings(far_gap_days=90.0, active_days=105.0)
    gap, strong = shipped.max_gap_days + 20, shipped.date_strong
    assert far_reach(shipped, 3) == shipped.far_gap_days == 90.0
    assert far_reach(shipped, 2) == shipped.max_gap_days
    assert reach_days(shipped) == 90.0
    assert date_factor(gap, shipped, content=strong, members=3) == 1.0
    assert date_factor(gap, shipped, content=strong, members=2) == 0.0
    assert date_factor(gap, shipped, content=strong - 0.01, members=30) == 0.0
    assert date_factor(shipped.far_gap_days + 1, shipped, content=0.9, members=30) == 0.0
    # with a minimum span (round 23), the story must also have run for that many days
    guarded = ClusterSettings(far_gap_days=240.0, far_min_span=5.0, active_days=255.0)
    assert far_reach(guarded, 3, span=5) == 240.0
    assert far_reach(guarded, 3, span=4) == far_reach(guarded, 30, span=0) == guarded.max_gap_days
    assert date_factor(gap, guarded, content=strong, span=7, members=3) == 1.0
    assert date_factor(gap, guarded, content=strong, span=2, members=3) == 0.0
    # the shipped retiring horizon keeps a margin over the furthest reach (round 21's churn)
    assert ClusterSettings().active_days >= reach_days(ClusterSettings()) + 15
