"""Update step ``count_volume``: articles per day, outlet and language, and each actor's
articles and mentions per published day, for the front page, the listing's numbers and the
actor page.

Runs last, after ``dates_from_context``: an undated article is counted at the day of its
effective lower bound, context bounds included, so the step takes in the batch's articles
(``article``: stored, changed, hidden or restored) and the articles whose context bound moved
(``bounds``). The actor counts read the linked ``mentions.actor_id``, so it also takes in the
articles an acronym defined in the batch may have relinked (as ``count_cooccurrence`` does);
analysts' merges and splits refresh the articles they relink in their own transaction. Each
article's part is replaced whole and the groups it touched recounted (`storyline.store.volume`),
so a batch done twice after a kill, a clean run and `rebuild` write the same rows.
"""

from __future__ import annotations

from storyline.store.cooccurrence import articles_with_keys
from storyline.store.volume import TABLES, rebuild_all, refresh_articles
from storyline.update.step import StepRun, UpdateStep

__all__ = ["CountVolume"]


class CountVolume(UpdateStep):
    """Articles per day, kind, outlet and language; actors' articles and mentions per day."""

    name = "count_volume"
    version = "1"
    follows = ("article", "bounds")
    reads = ("articles", "context_bounds", "mentions", "mentions.actor_id", "acronym_defs")
    writes = TABLES

    def apply(self, run: StepRun) -> None:
        ids = run.keys("article")
        relinked = articles_with_keys(run.conn, ids)
        for article_id in sorted(set(ids) | set(run.keys("bounds")) | relinked):
            with run.each(article_id):
                refresh_articles(run.conn, [article_id])

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Every table recomputed from the stored articles, bounds and linked mentions."""
        return rebuild_all(run.conn)
