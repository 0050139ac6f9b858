"""A happening may pause for up to `max_gap_days` (60 since docs/clustering.md round 20), and,
when `far_gap_days` is set (round 22, off), a story of three reports or more for longer: a
report strongly similar to its story joins it after such a lull, as a trial's next hearing or a
takeover's next bid does; a report that only shares the topic does not."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from storyline.cluster.story_clusterer import StoryClusterer
from storyline.cluster.story_model import ClusterSettings, StoryDoc

START = date(2024, 3, 4)


def _trial(n: int, day: date, hearing: str) -> StoryDoc:
    text = (
        f"The fraud trial of the former Brevik Shipping chairman Oskar Lindqvist resumed in the "
        f"Tromsø district court on {day:%B %d}, where prosecutors {hearing}. Lindqvist denies "
        f"diverting 41 million crowns from the Brevik pension fund through shell companies in "
        f"Cyprus. His lawyer, Ingrid Haldorsen, told the court the transfers were approved by the "
        f"Brevik board. Report {n}."
    )
    return StoryDoc(
        id=f"trial-{n}", title="Lindqvist fraud trial in Tromsø", text=text, date=str(day)
    )


def _other_fraud(day: date) -> StoryDoc:
    text = (
        f"Police in Bergen charged a property developer with fraud on {day:%B %d} over unpaid "
        "invoices of a housing project in Fana, the prosecutor Siv Aamodt said. The developer "
        "denies the charge; the court will hear the case in the autumn."
    )
    return StoryDoc(id="bergen-fraud", title="Bergen developer charged", text=text, date=str(day))


def _stories(settings: ClusterSettings, docs: list[StoryDoc]) -> dict[str, str]:
    clusterer = StoryClusterer(settings)
    clusterer.observe(docs)
    ids = {doc.id: clusterer.add(doc) for doc in docs}
    clusterer.settle(ids)
    return {doc_id: clusterer.story_of(doc_id) or story for doc_id, story in ids.items()}


def _feed(gap: int, hearings_before: int = 3, every: int = 1) -> list[StoryDoc]:
    """Hearings ``every`` days apart, then ``gap`` days after the last one the sentence plea and
    another fraud case."""
    hearings = [
        "called the fund's former auditor",
        "read emails between Lindqvist and the fund's manager",
        "showed the court the Cyprus bank statements",
    ][:hearings_before]
    docs = [_trial(n, START + timedelta(days=n * every), h) for n, h in enumerate(hearings)]
    later = START + timedelta(days=(len(hearings) - 1) * every + gap)
    return [*docs, _trial(9, later, "asked for a five-year sentence"), _other_fraud(later)]


def test_the_shipped_window_is_sixty_days() -> None:
    assert ClusterSettings().max_gap_days == 60.0


def test_a_strong_report_joins_its_happening_after_a_seven_week_lull() -> None:
    shipped = ClusterSettings()
    stories = _stories(shipped, _feed(50))
    assert stories["trial-9"] == stories["trial-0"] == stories["trial-2"]
    assert stories["bergen-fraud"] != stories["trial-0"]  # the same topic, another happening
    before = dataclasses.replace(shipped, max_gap_days=45.0, far_gap_days=0.0)
    narrow = _stories(before, _feed(50))
    assert narrow["trial-9"] != narrow["trial-0"]  # before round 20: a story of its own


def test_beyond_the_window_only_a_story_of_three_reports_is_reached() -> None:
    """Round 22 (off by default): past `max_gap_days` and up to `far_gap_days`, a strong report
    still joins a story of `far_min_story` (3) reports; a story of two is too weak a witness."""
    assert ClusterSettings().far_gap_days == 0.0
    shipped = ClusterSettings(far_gap_days=90.0, active_days=105.0)
    three = _stories(shipped, _feed(65))
    assert three["trial-9"] == three["trial-0"]
    assert three["bergen-fraud"] != three["trial-0"]
    two = _stories(shipped, _feed(65, hearings_before=2))
    assert two["trial-9"] != two["trial-0"]
    off = _stories(dataclasses.replace(shipped, far_gap_days=0.0), _feed(65))
    assert off["trial-9"] != off["trial-0"]  # round 21: the window was the limit


def test_no_report_joins_beyond_the_window() -> None:
    stories = _stories(ClusterSettings(), _feed(65))
    assert stories["trial-9"] != stories["trial-0"]
    far = _stories(ClusterSettings(far_gap_days=90.0, active_days=105.0), _feed(95))
    assert far["trial-9"] != far["trial-0"]


def test_with_a_minimum_span_only_a_story_that_has_run_for_days_is_reached() -> None:
    """Round 23 (`far_min_span`, off by default): three hearings over two days are a burst, the
    same three over a week a happening that runs; only the second is reached 65 days on."""
    assert ClusterSettings().far_min_span == 0.0
    guarded = ClusterSettings(far_gap_days=240.0, far_min_span=5.0, active_days=255.0)
    burst = _stories(guarded, _feed(65, every=1))
    assert burst["trial-9"] != burst["trial-0"]
    running = _stories(guarded, _feed(65, every=4))
    assert running["trial-9"] == running["trial-0"]
    assert running["bergen-fraud"] != running["trial-0"]
    unguarded = _stories(dataclasses.replace(guarded, far_min_span=0.0), _feed(65, every=1))
    assert unguarded["trial-9"] == unguarded["trial-0"]
