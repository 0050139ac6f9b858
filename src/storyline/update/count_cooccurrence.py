"""Update step ``count_cooccurrence``: how many articles mention each pair of actors, and the
per-actor, per-place and per-country totals the listing pages show (articles, mentions, and
the events located at each place and in each country).

Runs after ``link_actors`` (it reads the canonical ``mentions.actor_id``) and keeps the tables of
`storyline.store.cooccurrence`, so the actor page reads an actor's partners from one index range
instead of aggregating every article of a hub actor per request. Per batch it takes in the
batch's articles and the articles an acronym defined in the batch may have relinked; each
article's part is replaced whole (what it counted before is taken back), so a batch done twice
after a kill, a clean run and `rebuild` write the same rows. The articles' links are written one
article at a time (one that fails is undone alone); the pair and actor totals they change are
added up over the batch and written once, in key order (`Tally`). Analysts' merges and splits
(`storyline.analysis.actors`) refresh the articles they relink in their own transaction.
"""

from __future__ import annotations

from storyline.store.cooccurrence import (
    TABLES,
    Tally,
    articles_with_keys,
    rebuild_all,
)
from storyline.update.step import StepRun, UpdateStep

__all__ = ["CountCooccurrence"]


class CountCooccurrence(UpdateStep):
    """Actor pairs and the number of articles that mention both; actor, place and country
    totals (with the events located at each place and country)."""

    name = "count_cooccurrence"
    version = "1"
    follows = ("article",)
    reads = ("mentions", "mentions.actor_id", "acronym_defs", "actor_keys", "places", "events")
    writes = TABLES

    def apply(self, run: StepRun) -> None:
        ids = run.keys("article")
        tally = Tally()
        for article_id in sorted(set(ids) | articles_with_keys(run.conn, ids)):
            with run.each(article_id):
                tally.count(run.conn, article_id)
        tally.write(run.conn)

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Every table recomputed from every article's linked mentions, places and events."""
        return rebuild_all(run.conn)
