"""Update step ``index_search``: keeps the kept search index (`storyline.store.search_index`) in
step with the stored articles, so search can rank the top of a BM25 ordering without FTS5 scoring
every matching row.

Per batch it re-indexes the blocks of rowids that hold the batch's articles now or held them
before (an article stored, rewritten or dropped), each block whole from the ``articles`` rows
through FTS5's own tokenizer. What it writes is a function of the stored rows, so a batch done
twice after a kill, a clean run and `rebuild` write the same rows. Search uses the index only when
this step has taken in every article change (`storyline.store.search_index.is_current`): a kill
between a batch's commit and this step leaves search on FTS5 until the next run catches up.
"""

from __future__ import annotations

from storyline.store.search_index import (
    STEP,
    STEP_VERSION,
    all_blocks,
    blocks_of,
    clear,
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
            rebuild_blocks(run.conn, blocks_of(run.conn, ids))

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Every block re-indexed from the stored articles."""
        clear(run.conn)
        return rebuild_blocks(run.conn, all_blocks(run.conn))
