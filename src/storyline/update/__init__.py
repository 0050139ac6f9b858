"""Cross-article work over the store, as declared, resumable update steps.

Each step (copies, actors, stories and storylines, dates from context; later watchlists and
alerts) declares what it follows and writes and keeps its own mark in the store; the `Updater`
runs them in order after each committed batch and whenever asked to catch up. See
``docs/architecture.md`` for where a new step goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from storyline.update.runner import StepStatus, Updater, UpdateReport, check_step_order
from storyline.update.step import StepRun, UpdateStep

__all__ = [
    "StepRun",
    "StepStatus",
    "UpdateReport",
    "UpdateStep",
    "Updater",
    "check_step_order",
    "default_steps",
]


def default_steps(settings: Mapping[str, Any] | None = None) -> list[UpdateStep]:
    """The steps every ingest runs, in order. The search index comes first: search answers from
    it only while it holds every stored article (else FTS5 ranks every match, ten times the
    cost at 100,000 articles), so it should catch up before the slower steps, not after them."""
    from storyline.update.cluster_stories import ClusterStories
    from storyline.update.count_cooccurrence import CountCooccurrence
    from storyline.update.count_outlet_copies import CountOutletCopies
    from storyline.update.count_volume import CountVolume
    from storyline.update.dates_from_context import DatesFromContext
    from storyline.update.find_copies import FindCopies
    from storyline.update.index_search import IndexSearch
    from storyline.update.link_actors import LinkActors

    return [
        IndexSearch(settings),
        FindCopies(settings),
        CountOutletCopies(settings),
        LinkActors(settings),
        CountCooccurrence(settings),
        ClusterStories(settings),
        DatesFromContext(settings),
        CountVolume(settings),
    ]
