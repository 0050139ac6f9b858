"""Copy links in the store: schema, the per-batch update, and reading links back.

`update_copies` runs after each committed ingest batch. It keeps one `CopyIndex` per open
`Store`, built on first use from the ``copy_index`` table, which holds each indexed article's
fingerprint and paragraph shingle hashes. A restart therefore re-tokenises nothing: it rebuilds
MinHash signatures from the stored shingles (see ``docs/copies.md`` for the measured difference).
Rows another process indexed meanwhile are picked up, by rowid, under the write lock before each
update, so two ingests into one store see each other's articles.

The update writes in its own ``BEGIN IMMEDIATE`` transaction: the index rows, the links and their
shared spans land together. If it fails, the in-memory index is dropped and rebuilt from the
store on the next call, so memory never runs ahead of what was committed.
"""

from __future__ import annotations

import json
import sqlite3
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.article import Article
from storyline.store.articles import row_to_article
from storyline.store.db import migration, now, run_script, transaction

if TYPE_CHECKING:  # datasketch takes ~0.4 s to import: only when copies are actually computed
    from storyline.cluster.copies import CopyIndex, CopyLink, Paragraph

__all__ = ["links_for", "rebuild_copies", "source_count", "update_copies"]


@migration(5, "copy detection: copy links, shared spans, paragraph shingles")
def _v5(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- One row per pair of articles that share text. a had it first when known (first = a),
        -- otherwise a is the smaller id and first is 'unknown'.
        CREATE TABLE copy_links (
            a TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            b TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('exact', 'edited_wire', 'partial')),
            first TEXT NOT NULL,
            first_reason TEXT NOT NULL,
            score REAL NOT NULL,
            found_at TEXT NOT NULL,
            PRIMARY KEY (a, b)
        );
        CREATE INDEX copy_links_b ON copy_links(b);

        -- The paragraphs the two articles share, with the stretch of a's text they share.
        CREATE TABLE copy_spans (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            para_a INTEGER NOT NULL,
            para_b INTEGER NOT NULL,
            similarity REAL NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (a, b, para_a, para_b),
            FOREIGN KEY (a, b) REFERENCES copy_links(a, b) ON DELETE CASCADE
        );

        -- What the copy index holds per article: the fingerprint of its printed text and the
        -- shingle hashes of its compared paragraphs (packed: index, count, hashes; little-endian).
        CREATE TABLE copy_index (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL,
            shingles BLOB NOT NULL
        );
        """,
    )


# -- packing shingles ----------------------------------------------------------------------------


def pack(paragraphs: Sequence[Paragraph]) -> bytes:
    """Paragraph shingles as bytes: per paragraph, uint32 index and count, then uint64 hashes."""
    parts: list[bytes] = []
    for p in paragraphs:
        parts.append(np.array([p.index, p.shingles.size], dtype="<u4").tobytes())
        parts.append(p.shingles.astype("<u8", copy=False).tobytes())
    return b"".join(parts)


def unpack(blob: bytes) -> list[Paragraph]:
    from storyline.cluster.copies import Paragraph

    out: list[Paragraph] = []
    view = memoryview(blob)
    at = 0
    while at + 8 <= len(view):
        index, count = np.frombuffer(view[at : at + 8], dtype="<u4")
        at += 8
        hashes = np.frombuffer(view[at : at + 8 * int(count)], dtype="<u8").astype(np.uint64)
        at += 8 * int(count)
        out.append(Paragraph(int(index), hashes))
    return out


# -- the per-store index -------------------------------------------------------------------------


@dataclass
class _State:
    index: CopyIndex
    high_water: int = 0  # largest copy_index rowid already in the index


_STATES: weakref.WeakKeyDictionary[Any, _State] = weakref.WeakKeyDictionary()


class _Loader:
    """Paragraph texts of indexed articles, read from the store when a link needs them.

    An article's paragraphs are read once per batch (an original reprinted by several articles
    of one batch is read once, not once per shared paragraph); `clear` forgets them, since a
    reprocessed article may have new text.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.cache: dict[str, list[str]] = {}

    def clear(self) -> None:
        self.cache.clear()

    def __call__(self, article_id: str, index: int) -> str:
        paragraphs = self.cache.get(article_id)
        if paragraphs is None:
            row = self.conn.execute(
                "SELECT json_extract(data, '$.paragraphs') FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            paragraphs = json.loads(row[0]) if row and row[0] else []
            self.cache[article_id] = paragraphs
        text = paragraphs[index] if 0 <= index < len(paragraphs) else None
        return str(text) if text is not None else ""


def _state(store: Any) -> _State:
    from storyline.cluster.copies import CopyIndex

    state = _STATES.get(store)
    if state is None:
        state = _State(CopyIndex(keep_text=False, load_text=_Loader(store.conn)))
        _STATES[store] = state
    return state


_META = (
    "SELECT c.rowid AS rowid, c.article_id, c.fingerprint, c.shingles, a.published, "
    "a.date_source, a.date_not_before, a.outlet, a.byline, "
    "json_extract(a.data, '$.agencies') AS agencies "
    "FROM copy_index c JOIN articles a ON a.id = c.article_id "
)


def _catch_up(conn: sqlite3.Connection, state: _State) -> None:
    """Index rows written since this process last looked (by it before a restart, or by others)."""
    rows = conn.execute(_META + "WHERE c.rowid > ? ORDER BY c.rowid", (state.high_water,))
    for row in rows:
        state.index.add(
            row["article_id"],
            (),
            row["published"],
            row["date_source"],
            json.loads(row["agencies"] or "[]"),
            row["outlet"],
            not_before=row["date_not_before"],
            byline=row["byline"],
            find=False,
            prepared=(unpack(row["shingles"]), row["fingerprint"]),
        )
        state.high_water = max(state.high_water, int(row["rowid"]))


def _meta_changed(index: CopyIndex, article: Article, fingerprint: str) -> bool:
    entry = index.entries.get(article.id)
    if entry is None:
        return True
    agencies = frozenset(a.strip().casefold() for a in article.agencies if a and a.strip())
    return (entry.fingerprint, entry.date, entry.not_before, entry.agencies) != (
        fingerprint,
        article.published,
        article.date_not_before,
        agencies,
    )


def update_copies(store: Any, articles: Sequence[Article]) -> list[CopyLink]:
    """Find and store the copy links of a committed batch (an ingest ``after_write`` hook).

    Articles already indexed with the same text and dates cost one fingerprint; changed ones
    have their old links replaced. Returns the links found.
    """
    state = _state(store)
    if isinstance(state.index.load_text, _Loader):
        state.index.load_text.clear()
    found: list[CopyLink] = []
    try:
        with transaction(store.conn) as conn:
            _catch_up(conn, state)
            for article in articles:
                if not article.ok or not article.id:
                    continue
                found.extend(_update_one(conn, state.index, article))
            row = conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM copy_index").fetchone()
            state.high_water = int(row[0])
    except BaseException:
        _STATES.pop(store, None)  # memory must not run ahead of the store: rebuild next time
        raise
    return found


def _update_one(conn: sqlite3.Connection, index: CopyIndex, article: Article) -> list[CopyLink]:
    from storyline.cluster.copies import prepare

    prepared = prepare(article.paragraphs)
    if not _meta_changed(index, article, prepared[1]):
        return []
    if article.id in index:  # indexed before: its old links go (a new article has none)
        index.remove(article.id)
        conn.execute(
            "DELETE FROM copy_spans WHERE (a, b) IN "
            "(SELECT a, b FROM copy_links WHERE a = ?1 UNION SELECT a, b FROM copy_links "
            "WHERE b = ?1)",
            (article.id,),
        )
        conn.execute("DELETE FROM copy_links WHERE a = ?1 OR b = ?1", (article.id,))
    links = index.add(
        article.id,
        article.paragraphs,
        article.published,
        article.date_source,
        article.agencies,
        article.outlet,
        not_before=article.date_not_before,
        byline=article.byline,
        prepared=prepared,
    )
    conn.execute(
        "INSERT OR REPLACE INTO copy_index (article_id, fingerprint, shingles) VALUES (?, ?, ?)",
        (article.id, prepared[1], pack(prepared[0])),
    )
    written = []
    for link in links:
        if _write_link(conn, link):
            written.append(link)
    return written


def _write_link(conn: sqlite3.Connection, link: CopyLink) -> bool:
    alive = conn.execute(
        "SELECT COUNT(*) FROM articles WHERE id IN (?, ?)", (link.a, link.b)
    ).fetchone()[0]
    if alive != 2:  # the other article was deleted since it was indexed
        return False
    conn.execute("DELETE FROM copy_spans WHERE a = ? AND b = ?", (link.a, link.b))
    conn.execute("DELETE FROM copy_links WHERE a = ? AND b = ?", (link.a, link.b))
    conn.execute(
        "INSERT INTO copy_links (a, b, kind, first, first_reason, score, found_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (link.a, link.b, link.kind, link.first, link.first_reason, link.score, now()),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO copy_spans (a, b, para_a, para_b, similarity, text) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(link.a, link.b, s.para_a, s.para_b, s.similarity, s.text) for s in link.shared],
    )
    return True


def rebuild_copies(store: Any) -> int:
    """Recompute every copy link from the stored articles (after an upgrade, or for repair).

    One transaction: a killed rebuild leaves the previous links in place. Articles are added in
    date order (undated last, then by id), so the result does not depend on the order they were
    ingested in. Returns the number of links.
    """
    from storyline.cluster.copies import CopyIndex

    _STATES.pop(store, None)
    state = _State(CopyIndex(keep_text=False, load_text=_Loader(store.conn)))
    try:
        with transaction(store.conn) as conn:
            for table in ("copy_spans", "copy_links", "copy_index"):
                conn.execute(f"DELETE FROM {table}")
            rows = conn.execute(
                "SELECT * FROM articles ORDER BY published IS NULL, substr(published, 1, 10), id"
            )
            for article in map(row_to_article, rows):
                if article.id:
                    _update_one(conn, state.index, article)
            state.high_water = int(
                conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM copy_index").fetchone()[0]
            )
    finally:
        _STATES.pop(store, None)
    _STATES[store] = state
    return int(store.conn.execute("SELECT COUNT(*) FROM copy_links").fetchone()[0])


# -- reading -------------------------------------------------------------------------------------


def links_for(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    """The copy links of one article, each with its shared paragraphs, strongest first."""
    links = [
        dict(r)
        for r in conn.execute(
            "SELECT a, b, kind, first, first_reason, score, found_at FROM copy_links "
            "WHERE a = ? OR b = ? ORDER BY score DESC, a, b",
            (article_id, article_id),
        )
    ]
    for link in links:
        link["shared"] = [
            dict(r)
            for r in conn.execute(
                "SELECT para_a, para_b, similarity, text FROM copy_spans WHERE a = ? AND b = ? "
                "ORDER BY para_a, para_b",
                (link["a"], link["b"]),
            )
        ]
    return links


def source_count(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Independent sources among ``article_ids``: articles joined by copy links count once."""
    from storyline.cluster.copies import independent_sources

    ids = sorted(set(article_ids))
    pairs: list[tuple[str, str]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        pairs.extend(
            (r[0], r[1])
            for r in conn.execute(
                f"SELECT a, b FROM copy_links WHERE a IN ({marks}) OR b IN ({marks})", chunk + chunk
            )
        )
    return independent_sources(ids, pairs)
