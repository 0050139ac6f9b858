"""Snippets of a page of search results, made by FTS5 over those articles alone.

FTS5's `snippet()` reads one row's text and the query's instances in that row, nothing else of the
index; but to find those instances in ``articles_fts`` it first sets up the query over the whole
index, and a prefix (``word*``) is expanded there into one merged list of every matching term's
rows: for a prefix in most of a million articles that costs most of a second, for twenty
snippets. Here the page's articles are copied into an FTS5 table of their own (in memory, one per
thread, the same columns and tokenizer as ``articles_fts``) and `snippet()` runs there: the same
text, the same instances, so the same snippet, for a cost that follows the page, not the store.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence

from storyline.store.search_index import TOKENIZE

__all__ = ["snippets"]

_LOCAL = threading.local()


def _scratch() -> sqlite3.Connection:
    """This thread's in-memory FTS5 table (``page``), made once."""
    conn: sqlite3.Connection | None = getattr(_LOCAL, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute(f"CREATE VIRTUAL TABLE page USING fts5(title, text, tokenize='{TOKENIZE}')")
        _LOCAL.conn = conn
    return conn


def snippets(
    conn: sqlite3.Connection,
    fts_query: str,
    rowids: Sequence[int],
    start: str,
    end: str,
    tokens: int = 16,
) -> dict[int, str]:
    """``snippet(articles_fts, 1, start, end, ' … ', tokens)`` of those of ``rowids`` that match
    ``fts_query``, by rowid (`sqlite3.OperationalError` for a query FTS5 refuses, as there)."""
    if not rowids:
        return {}
    rows = conn.execute(
        "SELECT rowid, title, text FROM articles WHERE rowid IN (SELECT value FROM json_each(?))",
        (json.dumps([int(r) for r in rowids]),),
    ).fetchall()
    scratch = _scratch()
    scratch.execute("BEGIN")
    try:
        scratch.execute("DELETE FROM page")
        scratch.executemany(
            "INSERT INTO page (rowid, title, text) VALUES (?, ?, ?)",
            [(int(r[0]), r[1], r[2]) for r in rows],
        )
        found = scratch.execute(
            "SELECT rowid, snippet(page, 1, ?, ?, ' … ', ?) FROM page WHERE page MATCH ?",
            (start, end, int(tokens), fts_query),
        ).fetchall()
    finally:
        scratch.execute("ROLLBACK")
    return {int(r[0]): r[1] for r in found}
