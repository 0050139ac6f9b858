"""Where the story clusterer keeps the stories it has retired from memory.

Why: a feed adds about a thousand articles a day and never stops, so a clusterer that keeps every
story it ever made in its candidate index grows without end (postings, per-story scans, memory).
A dated article can only join a story whose dates lie within ``max_gap_days`` of its own (or
``far_gap_days`` for a story of three reports or more: `story_model.far_reach`), so the
clusterer (`storyline.cluster.story_clusterer`) retires a story once its newest article is more
than ``active_days`` older than the newest article seen (`ClusterSettings.active_days`): the story
leaves the candidate index and its running sums go to an archive. A late article whose date reaches
back into a retired period brings the stories of that period back (`RetiredStories.due`), so
clustering inside the window is unchanged.

This module holds the bookkeeping of which stories are retired (by id and by newest day) and the
in-memory archive used when no store is at hand; the store's archive, which writes the sums into
``cluster_state_stories``, is `storyline.update.story_state.StoreArchive`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from storyline.cluster.story_sums import StorySums

__all__ = ["MemoryArchive", "RetiredStories", "StoryArchive"]


class StoryArchive(Protocol):
    """Holds retired stories' running sums until a late article needs them again."""

    def put(self, stories: list[StorySums]) -> None:
        """Keep these stories (their sums as they are now)."""

    def get(self, story_ids: list[str]) -> list[StorySums]:
        """The stories with these ids (in any order; each one at most once)."""


class MemoryArchive:
    """Retired stories kept as objects: the candidate index shrinks, memory does not.

    The default when the clusterer is used on its own (evaluation, tests); the store passes its
    own archive, which writes the sums into the store and frees them.
    """

    def __init__(self) -> None:
        self._stories: dict[str, StorySums] = {}

    def put(self, stories: list[StorySums]) -> None:
        for story in stories:
            self._stories[story.id] = story

    def get(self, story_ids: list[str]) -> list[StorySums]:
        return [self._stories[sid] for sid in story_ids if sid in self._stories]


class RetiredStories:
    """Which stories are retired and the newest day of each, to find the ones a date reaches.

    Stories are bucketed by their newest day, so finding those due back for a late article reads
    the buckets of the days it reaches, not every retired story.
    """

    def __init__(self) -> None:
        self.last_day: dict[str, int] = {}
        self._by_day: dict[int, set[str]] = {}

    def __len__(self) -> int:
        return len(self.last_day)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self.last_day

    def add(self, story_id: str, last_day: int) -> None:
        self.last_day[story_id] = last_day
        self._by_day.setdefault(last_day, set()).add(story_id)

    def discard(self, story_id: str) -> None:
        day = self.last_day.pop(story_id, None)
        if day is not None:
            bucket = self._by_day[day]
            bucket.discard(story_id)
            if not bucket:
                del self._by_day[day]

    def due(self, since: int, before: int) -> list[str]:
        """Retired stories whose newest day is in ``[since, before)``, sorted by id."""
        if before - since > len(self._by_day):
            days: Iterable[int] = [d for d in self._by_day if since <= d < before]
        else:
            days = range(since, before)
        found: list[str] = []
        for day in days:
            found.extend(self._by_day.get(day, ()))
        return sorted(found)
