"""Update step ``count_outlet_copies``: who copies whom per pair of outlets, with counts and the
first and last day, for the outlet page.

Runs after ``find_copies`` and keeps the tables of `storyline.store.outlet_copies`, so the
outlet page reads an outlet's copy relations from one index range instead of joining every copy
link of its articles per request. Per batch it takes in the articles ``find_copies`` relinked
(``copies``) and the batch's articles (``article``: a reprocessed article may change its outlet
or date, which moves its links to another group without changing them). Each article's links are
replaced whole and the groups they touch recounted, so a batch done twice after a kill, a clean
run and `rebuild` write the same rows.
"""

from __future__ import annotations

from storyline.store.outlet_copies import TABLES, rebuild_all, refresh_articles
from storyline.update.step import StepRun, UpdateStep

__all__ = ["CountOutletCopies"]


class CountOutletCopies(UpdateStep):
    """Copy links per outlet, other outlet, kind and direction; first and last day."""

    name = "count_outlet_copies"
    version = "1"
    follows = ("article", "copies")
    reads = ("articles", "copy_links")
    writes = TABLES

    def apply(self, run: StepRun) -> None:
        for article_id in sorted(set(run.keys("article")) | set(run.keys("copies"))):
            with run.each(article_id):
                refresh_articles(run.conn, [article_id])

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Both tables recomputed from every copy link and its articles."""
        return rebuild_all(run.conn)
