"""The kept search index: each term's and each adjacent pair's postings, and each article's
length, per block of rowids.

FTS5 ranks by scoring every row a query matches (`bm25()` reads each row's size and instance
list), so a word in most of a million articles costs most of a second. This index keeps, for
every term FTS5's tokenizer produces, which articles hold it and how often in the title and in the
text, and for every article its length in tokens: what FTS5's `bm25()` reads, without positions.
It keeps the same for every pair of terms that follow each other in a column (`pair_key`): that
is what FTS5 counts for a two-word phrase (its instances per column, and the articles holding
it, for the phrase's IDF), so such a phrase is ranked exactly without positions.
`storyline.store.search_topk` ranks from it with numpy over whole arrays, and gives the same
scores and order as FTS5.

The articles are cut into blocks of `BLOCK` consecutive rowids. A block is always rebuilt whole,
from the ``articles`` rows, by FTS5's own tokenizer (a contentless temporary FTS5 table with the
same options and its ``fts5vocab`` instance table), so the terms, pairs and counts are FTS5's by
construction. The update step ``index_search`` (`storyline.update.index_search`) rebuilds the
blocks that a batch of changed articles touches, inside the step's transaction: the index and the
step's mark land together. While the step is behind by a few batches, search adds the changed
articles' own postings (`pending`); further behind, or when the totals disagree with FTS5's,
it asks FTS5, as before.

Tables (migration 17): ``search_postings`` (term or pair, block, postings), ``search_terms``
(term or pair, the number of articles holding it), ``search_blocks`` (per block: articles,
tokens, lengths) and ``search_rows`` (rowid → article id, to find the block of an article that is
gone). Pairs came with the step's version 2: a store indexed by version 1 is re-indexed by the
next ``storyline update`` (its blocks rebuilt as the step takes in the feed again from the
start); search asks FTS5 meanwhile.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from storyline.errors import StoreError
from storyline.store.db import migration, run_script

__all__ = [
    "BLOCK",
    "BLOCK_BITS",
    "STEP",
    "Pending",
    "add_articles",
    "clear",
    "fts_averages",
    "is_current",
    "lengths",
    "pending",
    "plan",
    "postings",
    "rebuild_blocks",
    "state",
]

#: Rowids per block: a batch of new articles rewrites one or two blocks' rows.
BLOCK_BITS = 12
BLOCK = 1 << BLOCK_BITS
#: The tokenizer of ``articles_fts`` (migration 1): the index must split text exactly as it does.
TOKENIZE = "unicode61 remove_diacritics 2"
#: The update step that keeps the index (its mark says how far the index is current).
STEP = "index_search"
STEP_VERSION = "2"
#: The first character of an adjacent pair's key (`pair_key`): below every term FTS5 produces.
PAIR = "\x01"
#: Article changes the index may be behind by and still answer (`pending`): a batch or a few of
#: an ingest, tokenised per request state in well under FTS5's cost; beyond, FTS5 answers.
PENDING_MAX = 2_000


@migration(17, "kept search index: postings and lengths per block of rowids, for top-k BM25")
def _v17(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- One row per term and block: the block's articles holding the term (uint16 offsets in
        -- the block), then their counts in the title and in the text (uint16, or uint32 when
        -- ``wide``); ``n`` articles.
        CREATE TABLE search_postings (
            term TEXT NOT NULL,
            block INTEGER NOT NULL,
            n INTEGER NOT NULL,
            wide INTEGER NOT NULL,
            postings BLOB NOT NULL,
            PRIMARY KEY (term, block)
        ) WITHOUT ROWID;
        CREATE INDEX search_postings_block ON search_postings(block);

        -- Articles holding each term (the document frequency of BM25's IDF).
        CREATE TABLE search_terms (
            term TEXT PRIMARY KEY,
            df INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- Per block: its articles, their tokens, and each rowid's length (uint32, 0: none).
        CREATE TABLE search_blocks (
            block INTEGER PRIMARY KEY,
            articles INTEGER NOT NULL,
            tokens INTEGER NOT NULL,
            lengths BLOB NOT NULL
        );

        -- Which article each indexed rowid held: the block of an article deleted or moved.
        CREATE TABLE search_rows (
            rowid INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL UNIQUE
        );
        """,
    )


def _tokenizer(conn: sqlite3.Connection) -> None:
    """The temporary FTS5 table that tokenizes a block (per connection, made once)."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tok USING fts5("
        f"title, text, content='', tokenize='{TOKENIZE}')"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tok_vi "
        "USING fts5vocab(temp, search_tok, instance)"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_tok_vr "
        "USING fts5vocab(temp, search_tok, row)"
    )


def plan(conn: sqlite3.Connection, article_ids: Sequence[str]) -> tuple[set[int], list[int]]:
    """What a batch of changed articles needs: the blocks to rebuild whole (an article rewritten,
    dropped or moved, as its block held it before) and the rowids of articles never indexed,
    outside those blocks, to add (`add_articles`)."""
    ids = json.dumps(list(article_ids))
    now = {
        str(r[1]): int(r[0])
        for r in conn.execute(
            "SELECT rowid, id FROM articles WHERE id IN (SELECT value FROM json_each(?))", (ids,)
        )
    }
    before = {
        str(r[1]): int(r[0])
        for r in conn.execute(
            "SELECT rowid, article_id FROM search_rows "
            "WHERE article_id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
    }
    rebuild = {r >> BLOCK_BITS for r in before.values()}
    rebuild |= {r >> BLOCK_BITS for i, r in now.items() if i in before}
    candidates = [r for i, r in now.items() if i not in before]
    taken = {
        int(r[0])
        for r in conn.execute(
            "SELECT rowid FROM search_rows WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(candidates),),
        )
    }
    rebuild |= {r >> BLOCK_BITS for r in taken}  # a rowid reused: its old article went
    fresh = sorted(r for r in candidates if r >> BLOCK_BITS not in rebuild)
    return rebuild, fresh


def all_blocks(conn: sqlite3.Connection) -> list[int]:
    """Every block holding an article."""
    rows = conn.execute(f"SELECT DISTINCT rowid >> {BLOCK_BITS} FROM articles").fetchall()
    return sorted(int(r[0]) for r in rows)


def clear(conn: sqlite3.Connection) -> None:
    for table in ("search_postings", "search_terms", "search_blocks", "search_rows"):
        conn.execute(f"DELETE FROM {table}")


def _instances(
    conn: sqlite3.Connection, base: int
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """What the temporary table holds, one posting per (term, article), then one per (pair of
    adjacent terms, article): the terms and pairs (`pair_key`), and per posting its term's index,
    its rowid less ``base``, and its counts in the title and text; then how many postings are
    words' (the pairs' follow). Postings are sorted by term index, then rowid."""
    # the instance table lists every token in term order, then article, column, offset; the row
    # table has each term's instances in the same order
    pairs = conn.execute("SELECT term, cnt FROM temp.search_tok_vr").fetchall()
    terms = [str(r[0]) for r in pairs]
    counts = np.array([int(r[1]) for r in pairs], dtype=np.int64)
    listed = conn.execute(
        f"SELECT group_concat((doc - {int(base)}) * 2 + (col = 'text')), group_concat(offset) "
        "FROM temp.search_tok_vi"
    ).fetchone()
    keys = np.fromstring(listed[0] or "", dtype=np.int64, sep=",")
    offsets = np.fromstring(listed[1] or "", dtype=np.int64, sep=",")
    if len(keys) != int(counts.sum()) or len(offsets) != len(keys):
        raise StoreError("search index: the tokenizer's tables disagree; run the update again")
    if not len(keys):
        empty = np.zeros(0, dtype=np.int64)
        return terms, empty, empty, empty, empty, 0
    term_of = np.repeat(np.arange(len(terms), dtype=np.int64), counts)
    names, owner, doc, title, text = _postings(terms, term_of, keys)
    words = len(doc)
    # adjacent pairs: consecutive tokens of one column of one article (FTS5's two-word phrase)
    order = _order(keys, offsets)
    k, o, t = keys[order], offsets[order], term_of[order]
    adjacent = np.flatnonzero((k[1:] == k[:-1]) & (o[1:] == o[:-1] + 1))
    if len(adjacent):
        width = len(terms)
        pair_id = t[adjacent] * width + t[adjacent + 1]
        run = _order(pair_id, k[adjacent])
        pair_id = pair_id[run]
        first = np.r_[True, pair_id[1:] != pair_id[:-1]]
        ids = pair_id[first]
        pair_names = [pair_key(terms[i // width], terms[i % width]) for i in ids.tolist()]
        p_names, p_owner, p_doc, p_title, p_text = _postings(
            pair_names, np.cumsum(first) - 1, k[adjacent][run]
        )
        names = names + p_names
        owner = np.r_[owner, p_owner + len(terms)]
        doc, title, text = np.r_[doc, p_doc], np.r_[title, p_title], np.r_[text, p_text]
    return names, owner, doc, title, text, words


def _order(major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """The permutation sorting by ``major``, then ``minor`` (non-negative integers): one sort of
    a combined key when it fits in 63 bits."""
    span = int(minor.max(initial=0)) + 1
    if int(major.max(initial=0)) < (1 << 62) // span:
        return np.argsort(major * span + minor)
    return np.lexsort((minor, major))


def pair_key(first: str, second: str) -> str:
    """The key of two adjacent terms in the index: a character no term holds first, so a prefix
    range over the terms (``word*``) never meets a pair."""
    return f"{PAIR}{first} {second}"


def _postings(
    terms: list[str], term_of: np.ndarray, keys: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Instances sorted by term, then (article, column) key, to postings: per (term, article)
    the term's index, the article and its counts in the title and the text."""
    # one run per (term, article, column), already in order: count the runs
    starts = np.flatnonzero(np.r_[True, (term_of[1:] != term_of[:-1]) | (keys[1:] != keys[:-1])])
    tf = np.diff(np.r_[starts, len(keys)])
    key, term_at = keys[starts], term_of[starts]
    column, doc = key & 1, key >> 1
    first = np.r_[True, (term_at[1:] != term_at[:-1]) | (doc[1:] != doc[:-1])]
    slot = np.cumsum(first) - 1
    title = np.zeros(int(first.sum()), dtype=np.int64)
    text = np.zeros(len(title), dtype=np.int64)
    title[slot[column == 0]] = tf[column == 0]
    text[slot[column == 1]] = tf[column == 1]
    return terms, term_at[first], doc[first], title, text


def _pack(offsets: np.ndarray, title: np.ndarray, text: np.ndarray) -> tuple[int, bytes]:
    """One row's postings: offsets in the block, then title and text counts."""
    wide = int(max(int(title.max(initial=0)), int(text.max(initial=0))) > 0xFFFF)
    kind = np.uint32 if wide else np.uint16
    blob = offsets.astype(np.uint16).tobytes() + title.astype(kind).tobytes()
    return wide, blob + text.astype(kind).tobytes()


def _pack_rows(
    edges: np.ndarray, offsets: np.ndarray, title: np.ndarray, text: np.ndarray
) -> list[tuple[int, bytes]]:
    """`_pack` of every row at once: row ``i`` holds postings ``edges[i]:edges[i + 1]``."""
    starts, ends = edges[:-1], edges[1:]
    n = ends - starts
    out: list[tuple[int, bytes]] = []
    if not len(offsets):
        return [_pack(offsets, title, text) for _ in n.tolist()]
    top = np.maximum(title, text)
    filled = n > 0
    wide = np.zeros(len(n), dtype=bool)
    wide[filled] = np.maximum.reduceat(top, starts[filled]) > 0xFFFF
    # narrow rows: offsets, title and text counts, all uint16, laid out row after row
    row = np.repeat(np.arange(len(n)), n)
    within = np.arange(len(offsets)) - starts[row]
    buf = np.zeros(3 * len(offsets), dtype=np.uint16)
    base = 3 * starts[row] + within
    buf[base] = offsets
    buf[base + n[row]] = np.minimum(title, 0xFFFF)
    buf[base + 2 * n[row]] = np.minimum(text, 0xFFFF)
    data = buf.tobytes()
    for a, b, w in zip(starts.tolist(), ends.tolist(), wide.tolist(), strict=True):
        out.append(_pack(offsets[a:b], title[a:b], text[a:b]) if w else (0, data[6 * a : 6 * b]))
    return out


def _unpack(n: int, wide: int, blob: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kind = np.uint32 if wide else np.uint16
    size = np.dtype(kind).itemsize
    return (
        np.frombuffer(blob, np.uint16, n).astype(np.int64),
        np.frombuffer(blob, kind, n, 2 * n).astype(np.int64),
        np.frombuffer(blob, kind, n, 2 * n + size * n).astype(np.int64),
    )


def add_articles(conn: sqlite3.Connection, rowids: Sequence[int]) -> dict[str, int]:
    """Index articles never indexed before (new rowids), in the caller's transaction: their
    postings are merged into the rows of their terms and blocks, so a batch of new articles
    costs its own tokens, not its block's (`rebuild_blocks` is for rewritten and dropped ones).
    """
    done = {"articles": 0, "postings": 0}
    if not rowids:
        return done
    _tokenizer(conn)
    wanted = json.dumps(sorted(int(r) for r in rowids))
    conn.execute("INSERT INTO temp.search_tok(search_tok) VALUES ('delete-all')")
    done["articles"] = conn.execute(
        "INSERT INTO temp.search_tok(rowid, title, text) SELECT rowid, title, text FROM articles "
        "WHERE rowid IN (SELECT value FROM json_each(?))",
        (wanted,),
    ).rowcount
    conn.execute(
        "INSERT OR REPLACE INTO search_rows (rowid, article_id) SELECT rowid, id FROM articles "
        "WHERE rowid IN (SELECT value FROM json_each(?))",
        (wanted,),
    )
    terms, owner, rowid, title, text, words = _instances(conn, 0)
    conn.execute("INSERT INTO temp.search_tok(search_tok) VALUES ('delete-all')")
    present = [int(r[0]) for r in conn.execute(
        "SELECT rowid FROM articles WHERE rowid IN (SELECT value FROM json_each(?))", (wanted,)
    )]  # fmt: skip
    block_of = rowid >> BLOCK_BITS
    # per block: lengths, articles and tokens
    for block in sorted({r >> BLOCK_BITS for r in present}):
        row = conn.execute(
            "SELECT articles, tokens, lengths FROM search_blocks WHERE block = ?", (block,)
        ).fetchone()
        length = (
            np.frombuffer(row[2], dtype=np.uint32).copy()
            if row
            else np.zeros(BLOCK, dtype=np.uint32)
        )
        inside = block_of[:words] == block
        add = np.bincount(
            rowid[:words][inside] & (BLOCK - 1),
            weights=title[:words][inside] + text[:words][inside],
            minlength=BLOCK,
        ).astype(np.uint32)
        length += add
        fresh = sum(1 for r in present if r >> BLOCK_BITS == block)
        conn.execute(
            "INSERT OR REPLACE INTO search_blocks (block, articles, tokens, lengths) "
            "VALUES (?, ?, ?, ?)",
            (
                block,
                (int(row[0]) if row else 0) + fresh,
                (int(row[1]) if row else 0) + int(add.sum()),
                length.tobytes(),
            ),
        )
    if not len(rowid):
        return done
    # postings sorted by term, then rowid: one group per (term, block)
    group = np.flatnonzero(np.r_[True, (owner[1:] != owner[:-1]) | (block_of[1:] != block_of[:-1])])
    ends = np.r_[group[1:], len(rowid)]
    rows: list[tuple[str, int, int, int, bytes]] = []
    delta: list[tuple[str, int]] = []
    fresh_rows = _pack_rows(np.r_[group, len(rowid)], rowid & (BLOCK - 1), title, text)
    for a, b, (wide, blob) in zip(group.tolist(), ends.tolist(), fresh_rows, strict=True):
        term, block, n = terms[int(owner[a])], int(block_of[a]), b - a
        old = conn.execute(
            "SELECT n, wide, postings FROM search_postings WHERE term = ? AND block = ?",
            (term, block),
        ).fetchone()
        if old is not None:
            m, was_wide, stored = int(old[0]), int(old[1]), old[2]
            last = int.from_bytes(stored[2 * m - 2 : 2 * m], sys.byteorder)
            first = int(rowid[a]) & (BLOCK - 1)
            if not wide and not was_wide and first > last:
                # the usual case, new rowids after the stored ones in narrow rows: splice the
                # bytes (offsets, title counts, text counts, each old then new)
                blob = b"".join(
                    (
                        stored[: 2 * m], blob[: 2 * n],
                        stored[2 * m : 4 * m], blob[2 * n : 4 * n],
                        stored[4 * m :], blob[4 * n :],
                    )
                )  # fmt: skip
            else:
                o, ot, ox = _unpack(m, was_wide, stored)
                offsets, tt, xt = rowid[a:b] & (BLOCK - 1), title[a:b], text[a:b]
                if np.isin(offsets, o).any():
                    raise StoreError(f"search index: rowid indexed twice in block {block}")
                order = np.argsort(np.concatenate((o, offsets)), kind="stable")
                offsets = np.concatenate((o, offsets))[order]
                tt, xt = np.concatenate((ot, tt))[order], np.concatenate((ox, xt))[order]
                wide, blob = _pack(offsets, tt, xt)
            n += m
        rows.append((term, block, n, wide, blob))
        delta.append((term, b - a))
    conn.executemany(
        "INSERT OR REPLACE INTO search_postings (term, block, n, wide, postings) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO search_terms (term, df) VALUES (?, ?) "
        "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
        delta,
    )
    done["postings"] = len(rowid)
    return done


def rebuild_blocks(conn: sqlite3.Connection, blocks: Iterable[int]) -> dict[str, int]:
    """Re-index these blocks from the ``articles`` rows, in the caller's transaction."""
    _tokenizer(conn)
    done = {"blocks": 0, "articles": 0, "postings": 0}
    for block in sorted(set(blocks)):
        lo, hi = block << BLOCK_BITS, (block + 1) << BLOCK_BITS
        delta: dict[str, int] = {
            str(t): -int(n)
            for t, n in conn.execute(
                "SELECT term, n FROM search_postings WHERE block = ?", (block,)
            ).fetchall()
        }
        conn.execute("DELETE FROM search_postings WHERE block = ?", (block,))
        conn.execute("DELETE FROM search_rows WHERE rowid >= ? AND rowid < ?", (lo, hi))
        conn.execute("INSERT INTO temp.search_tok(search_tok) VALUES ('delete-all')")
        articles = conn.execute(
            "INSERT INTO temp.search_tok(rowid, title, text) "
            "SELECT rowid, title, text FROM articles WHERE rowid >= ? AND rowid < ?",
            (lo, hi),
        ).rowcount
        conn.execute(
            "INSERT OR REPLACE INTO search_rows (rowid, article_id) "
            "SELECT rowid, id FROM articles WHERE rowid >= ? AND rowid < ?",
            (lo, hi),
        )
        terms, owner, docs, title, text, words = _instances(conn, lo)
        length = np.bincount(
            docs[:words], weights=title[:words] + text[:words], minlength=BLOCK
        ).astype(np.uint32)
        out: list[tuple[str, int, int, int, bytes]] = []
        if len(docs):
            edges = np.searchsorted(owner, np.arange(len(terms) + 1))
            packed = _pack_rows(edges, docs, title, text)
            sizes = np.diff(edges).tolist()
            for term, n, (wide, blob) in zip(terms, sizes, packed, strict=True):
                out.append((term, block, n, wide, blob))
                delta[term] = delta.get(term, 0) + n
            done["postings"] += len(docs)
        conn.executemany(
            "INSERT INTO search_postings (term, block, n, wide, postings) VALUES (?, ?, ?, ?, ?)",
            out,
        )
        conn.executemany(
            "INSERT INTO search_terms (term, df) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            [(t, d) for t, d in delta.items() if d],
        )
        conn.executemany(
            "DELETE FROM search_terms WHERE term = ? AND df <= 0",
            [(t,) for t, d in delta.items() if d < 0],
        )
        if articles:
            conn.execute(
                "INSERT OR REPLACE INTO search_blocks (block, articles, tokens, lengths) "
                "VALUES (?, ?, ?, ?)",
                (block, articles, int(length.sum()), length.tobytes()),
            )
        else:
            conn.execute("DELETE FROM search_blocks WHERE block = ?", (block,))
        done["blocks"] += 1
        done["articles"] += articles
    conn.execute("INSERT INTO temp.search_tok(search_tok) VALUES ('delete-all')")
    return done


def _varints(data: bytes) -> list[int]:
    """SQLite's variable-length integers (the format of FTS5's averages record)."""
    out: list[int] = []
    i = 0
    while i < len(data):
        value = 0
        for k in range(9):
            byte = data[i]
            i += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        out.append(value)
    return out


def fts_averages(conn: sqlite3.Connection) -> tuple[int, int]:
    """FTS5's own row count and total tokens (all columns), as `bm25()` reads them."""
    row = conn.execute("SELECT block FROM articles_fts_data WHERE id = 1").fetchone()
    if row is None or not row[0]:
        return 0, 0
    values = _varints(bytes(row[0]))
    return values[0], sum(values[1:])


def state(conn: sqlite3.Connection) -> tuple[Any, ...]:
    """What identifies the indexed content: the store file, FTS5's totals, the step's mark."""
    try:
        mark = _mark(conn)
    except sqlite3.OperationalError:
        mark = None
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    return (path, fts_averages(conn), mark)


def _mark(conn: sqlite3.Connection) -> int | None:
    """How far the step has taken in the change feed (None: never run at this version)."""
    row = conn.execute(
        "SELECT position FROM update_marks WHERE step = ? AND version = ?", (STEP, STEP_VERSION)
    ).fetchone()
    return None if row is None else int(row[0])


def _kept_totals(conn: sqlite3.Connection) -> tuple[int, int]:
    """The articles and tokens the kept index holds (what `fts_averages` reads of FTS5)."""
    row = conn.execute(
        "SELECT COALESCE(SUM(articles), 0), COALESCE(SUM(tokens), 0) FROM search_blocks"
    ).fetchone()
    return int(row[0]), int(row[1])


def _prefix_end(term: str) -> str:
    """The first key after every key starting with ``term``."""
    return term[:-1] + chr(ord(term[-1]) + 1)


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether the index holds every stored article as stored: its step has taken in every
    article change, and its totals equal FTS5's (a store written around the feed fails this)."""
    try:
        mark = _mark(conn)
        if mark is None:
            return False
        behind = conn.execute(
            "SELECT 1 FROM changes WHERE kind = 'article' AND seq > ? LIMIT 1", (mark,)
        ).fetchone()
        if behind is not None:
            return False
        kept = _kept_totals(conn)
    except sqlite3.OperationalError:
        return False  # a store from before migration 17, opened read-only
    return kept == fts_averages(conn)


@dataclass(frozen=True)
class Pending:
    """The articles changed since the index's step last ran, tokenised as the step will: search
    ranks over the kept index with the ``stale`` rows taken out and these rows put in, which is
    the store's current state, so the ranking stays FTS5's exact one while an ingest's batch
    waits for the step (seconds under load; FTS5 alone then took seconds per query at 100,000
    articles)."""

    #: rowids whose kept postings no longer hold (the changed articles' old and new rowids)
    stale: np.ndarray
    #: the changed articles' current rowids and their lengths in tokens
    rowids: np.ndarray
    lengths: np.ndarray
    #: terms and pairs (sorted), and per key its slice of the postings below
    keys: list[str]
    spans: dict[str, tuple[int, int]]
    doc: np.ndarray
    title: np.ndarray
    text: np.ndarray

    def postings(self, term: str, *, prefix: bool = False) -> tuple[np.ndarray, ...]:
        """As `postings`, over the pending articles."""
        if not prefix:
            a, b = self.spans.get(term, (0, 0))
            return self.doc[a:b], self.title[a:b], self.text[a:b]
        high = _prefix_end(term)
        lo, hi = bisect.bisect_left(self.keys, term), bisect.bisect_left(self.keys, high)
        if lo == hi:
            return self.doc[:0], self.title[:0], self.text[:0]
        parts = [self.spans[k] for k in self.keys[lo:hi]]
        take = np.concatenate([np.arange(a, b) for a, b in parts])
        return self.doc[take], self.title[take], self.text[take]


def pending(conn: sqlite3.Connection, most: int = PENDING_MAX) -> Pending | None:
    """What search must add to and take from the kept index to rank the store as it is now;
    None when the index cannot answer: never built for this version, more than ``most``
    article changes behind, a connection that cannot make the temporary tokenizer, or totals
    that disagree with FTS5's (a store written around the change feed)."""
    try:
        mark = _mark(conn)
        if mark is None:
            return None
        changed = [
            str(r[0])
            for r in conn.execute(
                "SELECT key FROM changes WHERE kind = 'article' AND seq > ? ORDER BY seq LIMIT ?",
                (mark, most + 1),
            )
        ]
        if len(changed) > most:
            return None
        ids = json.dumps(changed)
        now = sorted(
            int(r[0])
            for r in conn.execute(
                "SELECT rowid FROM articles WHERE id IN (SELECT value FROM json_each(?))", (ids,)
            )
        )
        before = [
            int(r[0])
            for r in conn.execute(
                "SELECT rowid FROM search_rows WHERE article_id IN "
                "(SELECT value FROM json_each(?)) OR rowid IN (SELECT value FROM json_each(?))",
                (ids, json.dumps(now)),
            )
        ]  # the changed articles' old rows, and the rows their new rowids took from others
        kept = _kept_totals(conn)
        gone_tokens = _kept_lengths(conn, before)
        _tokenizer(conn)
        conn.execute("INSERT INTO temp.search_tok(search_tok) VALUES ('delete-all')")
        conn.execute(
            "INSERT INTO temp.search_tok(rowid, title, text) SELECT rowid, title, text "
            "FROM articles WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(now),),
        )
        terms, owner, doc, title, text, words = _instances(conn, 0)
        conn.execute("INSERT INTO temp.search_tok(search_tok) VALUES ('delete-all')")
    except sqlite3.OperationalError:
        return None  # a read-only connection without a temporary store, a store before v17
    rowids = np.array(now, dtype=np.int64)
    size = int(rowids.max(initial=-1)) + 1
    per_row = np.bincount(doc[:words], weights=title[:words] + text[:words], minlength=size)
    length = per_row[rowids] if len(rowids) else np.zeros(0, dtype=np.float64)
    rows = kept[0] - len(before) + len(now)
    tokens = kept[1] - gone_tokens + int(length.sum())
    if (rows, tokens) != fts_averages(conn):
        return None
    edges = np.searchsorted(owner, np.arange(len(terms) + 1)) if len(doc) else None
    spans = {
        t: (int(edges[i]), int(edges[i + 1])) for i, t in enumerate(terms) if edges is not None
    }
    return Pending(
        stale=np.unique(np.array([*before, *now], dtype=np.int64)),
        rowids=rowids,
        lengths=length.astype(np.float64),
        keys=sorted(spans),
        spans=spans,
        doc=doc,
        title=title,
        text=text,
    )


def _kept_lengths(conn: sqlite3.Connection, rowids: Sequence[int]) -> int:
    """The tokens the kept index counts for these rowids."""
    total = 0
    by_block: dict[int, list[int]] = {}
    for r in rowids:
        by_block.setdefault(r >> BLOCK_BITS, []).append(r & (BLOCK - 1))
    for block, offsets in by_block.items():
        row = conn.execute("SELECT lengths FROM search_blocks WHERE block = ?", (block,)).fetchone()
        if row is not None:
            total += int(np.frombuffer(row[0], dtype=np.uint32)[offsets].sum())
    return total


def lengths(conn: sqlite3.Connection) -> np.ndarray:
    """Every rowid's length in tokens (index = rowid; 0 where no article)."""
    rows = conn.execute("SELECT block, lengths FROM search_blocks ORDER BY block").fetchall()
    if not rows:
        return np.zeros(0, dtype=np.float64)
    out = np.zeros((int(rows[-1][0]) + 1) * BLOCK, dtype=np.float64)
    for block, blob in rows:
        start = int(block) << BLOCK_BITS
        out[start : start + BLOCK] = np.frombuffer(blob, dtype=np.uint32)
    return out


def postings(
    conn: sqlite3.Connection, term: str, *, prefix: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rowids, title counts, text counts) of one term, or of every term starting with it when
    ``prefix`` (an article holding two such terms appears twice)."""
    if prefix:
        high = _prefix_end(term)
        sql = "SELECT block, n, wide, postings FROM search_postings WHERE term >= ? AND term < ?"
        params: tuple[Any, ...] = (term, high)
    else:
        sql = "SELECT block, n, wide, postings FROM search_postings WHERE term = ?"
        params = (term,)
    blocks: list[int] = []
    sizes: list[int] = []
    offsets: list[np.ndarray] = []
    title: list[np.ndarray] = []
    text: list[np.ndarray] = []
    for block, n, wide, blob in conn.execute(sql, params):
        n = int(n)
        kind = np.uint32 if wide else np.uint16
        size = np.dtype(kind).itemsize
        blocks.append(int(block))
        sizes.append(n)
        offsets.append(np.frombuffer(blob, np.uint16, n))
        title.append(np.frombuffer(blob, kind, n, 2 * n))
        text.append(np.frombuffer(blob, kind, n, 2 * n + size * n))
    if not offsets:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    # one conversion of the whole list, then each block's first rowid added
    rowids = np.concatenate(offsets).astype(np.int64)
    rowids += np.repeat(np.array(blocks, dtype=np.int64) << BLOCK_BITS, sizes)
    return rowids, np.concatenate(title), np.concatenate(text)
