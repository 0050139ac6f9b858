"""Update step ``index_search``: keeps the kept search index (`storyline.store.search_index`) in
step with the stored articles, so search can rank the top of a BM25 ordering without FTS5 scoring
every matching row.

Per batch it adds the articles never indexed (their tokens merged into the rows of their terms
and blocks: the cost of a batch of new articles is its own tokens) and re-indexes whole, from the
``articles`` rows, the blocks that held an article rewritten, dropped or moved; FTS5's own
tokenizer splits the text either way. What it writes is a function of the stored rows (postings
in rowid order), so a batch done twice after a kill, a clean run and `rebuild` write the same
rows. Between a batch's commit and this step (or after a kill, until the next run), search ranks
the kept index with the changed articles tokenised per request state
(`storyline.store.search_index.pending`), and asks FTS5 only when it is far behind.
"""

from __future__ import annotations

from storyline.store.search_index import (
    STEP,
    STEP_VERSION,
    add_articles,
    all_blocks,
    clear,
    plan,
    rebuild_blocks,
)
from storyline.update.step import StepRun, UpdateStep

__all__ = ["IndexSearch"]


class IndexSearch(UpdateStep):
    """Term postings and article lengths per block of rowids, for exact top-k BM25."""

    name = STEP
    version = STEP_VERSION
    follows = ("article",)
    reads = ("articles",)
    writes = ("search_postings", "search_terms", "search_blocks", "search_rows")

    def apply(self, run: StepRun) -> None:
        ids = run.keys("article")
        if ids:
            rebuild, fresh = plan(run.conn, ids)
            rebuild_blocks(run.conn, rebuild)
            add_articles(run.conn, fresh)

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Every block re-indexed from the stored articles."""
        clear(run.conn)
        return rebuild_blocks(run.conn, all_blocks(run.conn))
