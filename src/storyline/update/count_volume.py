"""Update step ``count_volume``: articles per day, outlet and language, each actor's articles
and mentions per published day, and each story's dates, for the front page, the listing's
numbers, the actor page and the story and storyline listings.

Runs last, after ``dates_from_context``: an undated article is counted at the day of its
effective lower bound, context bounds included, so the step takes in the batch's articles
(``article``: stored, changed, hidden or restored) and the articles whose context bound moved
(``bounds``). The actor counts read the linked ``mentions.actor_id``, so it also takes in the
articles an acronym defined in the batch may have relinked (as ``count_cooccurrence`` does);
analysts' merges and splits refresh the articles they relink in their own transaction. A
story's dates are recomputed when ``cluster_stories`` changes its members (``story``) or a
member's date or bound moves. Each
article's part is replaced whole and the groups it touched recounted (`storyline.store.volume`),
so a batch done twice after a kill, a clean run and `rebuild` write the same rows.
"""

from __future__ import annotations

from storyline.store.cooccurrence import articles_with_keys
from storyline.store.volume import (
    TABLES,
    rebuild_all,
    refresh_articles,
    refresh_stories,
    stories_of,
)
from storyline.update.step import StepRun, UpdateStep

__all__ = ["CountVolume"]


class CountVolume(UpdateStep):
    """Articles per day, kind, outlet and language; actors' articles and mentions per day;
    stories' dates."""

    name = "count_volume"
    version = "1"
    follows = ("article", "bounds", "story")
    reads = (
        "articles",
        "context_bounds",
        "mentions",
        "mentions.actor_id",
        "acronym_defs",
        "story_articles",
    )
    writes = TABLES

    def apply(self, run: StepRun) -> None:
        ids = run.keys("article")
        relinked = articles_with_keys(run.conn, ids)
        dated = set(ids) | set(run.keys("bounds"))
        for article_id in sorted(dated | relinked):
            with run.each(article_id):
                refresh_articles(run.conn, [article_id])
        # a story's dates move with its members (``story``: joined, left, gone) and with a
        # member's date or bound
        for story_id in sorted(set(run.keys("story")) | stories_of(run.conn, dated)):
            with run.each(story_id):
                refresh_stories(run.conn, [story_id])

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Every table recomputed from the stored articles, bounds and linked mentions."""
        return rebuild_all(run.conn)
