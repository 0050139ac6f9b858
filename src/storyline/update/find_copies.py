"""Update step ``find_copies``: copy links between stored articles (wire copy, reprints).

The algorithm is `storyline.cluster.copy_index.CopyIndex`; this step keeps one index per process,
built on first use from the ``copy_index`` table (each indexed article's fingerprint and paragraph
shingle hashes), so a restart re-tokenises nothing. For each changed article it compares what the
article itself says (its text, its date or its text's lower bound, agencies, outlet, byline: never
a bound inferred from other articles, which would make links depend on the order articles came in)
with the index, replaces the article's links when any of that changed, and logs a ``copies``
change for every article whose links changed, for the steps after it.

Rows another process indexed meanwhile are picked up by ``copy_index`` rowid before each batch, so
two ingests into one store see each other's articles.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.article import Article
from storyline.store.articles import row_to_article
from storyline.store.db import now
from storyline.update.step import StepRun, UpdateStep

if TYPE_CHECKING:  # datasketch takes ~0.4 s to import: only when copies are actually computed
    from storyline.cluster.copy_index import CopyIndex, CopyLink, Paragraph

__all__ = ["FindCopies", "pack", "unpack"]


# -- packing shingles (the copy_index.shingles column) -------------------------------------------


def pack(paragraphs: Sequence[Paragraph]) -> bytes:
    """Paragraph shingles as bytes: per paragraph, uint32 index and count, then uint64 hashes."""
    parts: list[bytes] = []
    for p in paragraphs:
        parts.append(np.array([p.index, p.shingles.size], dtype="<u4").tobytes())
        parts.append(p.shingles.astype("<u8", copy=False).tobytes())
    return b"".join(parts)


def unpack(blob: bytes) -> list[Paragraph]:
    from storyline.cluster.copy_index import Paragraph

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


class _Loader:
    """Paragraph texts of indexed articles, read from the store when a link needs them.

    An article's paragraphs are read once per batch (an original reprinted by several articles
    of one batch is read once, not once per shared paragraph); `clear` forgets them, since a
    reprocessed article may have new text.
    """

    def __init__(self) -> None:
        self.conn: sqlite3.Connection | None = None
        self.cache: dict[str, list[str]] = {}

    def clear(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.cache.clear()

    def __call__(self, article_id: str, index: int) -> str:
        paragraphs = self.cache.get(article_id)
        if paragraphs is None:
            row = (
                self.conn.execute(
                    "SELECT json_extract(data, '$.paragraphs') FROM articles WHERE id = ?",
                    (article_id,),
                ).fetchone()
                if self.conn is not None
                else None
            )
            paragraphs = json.loads(row[0]) if row and row[0] else []
            self.cache[article_id] = paragraphs
        text = paragraphs[index] if 0 <= index < len(paragraphs) else None
        return str(text) if text is not None else ""


_META = (
    "SELECT c.rowid AS rowid, c.article_id, c.fingerprint, c.shingles, a.published, "
    "a.date_source, a.date_not_before, a.outlet, a.byline, "
    "json_extract(a.data, '$.agencies') AS agencies "
    "FROM copy_index c JOIN articles a ON a.id = c.article_id "
)


class FindCopies(UpdateStep):
    """Copy links, their shared paragraphs, and the index they are found with."""

    name = "find_copies"
    version = "1"
    follows = ("article",)
    emits = ("copies",)
    reads = ("articles",)
    writes = ("copy_index", "copy_links", "copy_spans")

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        super().__init__(settings)
        self.index: CopyIndex | None = None
        self.loader = _Loader()
        self.high_water = 0  # largest copy_index rowid already in the index

    def forget(self) -> None:
        self.index = None
        self.high_water = 0

    def ready(self, conn: sqlite3.Connection) -> CopyIndex:
        """The index, loaded from ``copy_index`` on first use and caught up on rows written
        since (by this process before a restart, or by another one)."""
        from storyline.cluster.copy_index import CopyIndex

        if self.index is None:
            self.index = CopyIndex(keep_text=False, load_text=self.loader)
            self.high_water = 0
        self.loader.clear(conn)
        self._catch_up(conn, self.index)
        return self.index

    def _catch_up(self, conn: sqlite3.Connection, index: CopyIndex) -> None:
        """Index rows written since this process last looked (by it before a restart, or by
        another process)."""
        rows = conn.execute(_META + "WHERE c.rowid > ? ORDER BY c.rowid", (self.high_water,))
        with index.loading():  # band entries sorted in once, not one key at a time
            for row in rows:
                if row["article_id"] in index:
                    index.remove(row["article_id"])
                index.add(
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
                self.high_water = max(self.high_water, int(row["rowid"]))

    def apply(self, run: StepRun) -> None:
        index = self.ready(run.conn)
        articles, gone = run.articles(run.keys("article"))
        for article_id in gone:  # deleted: its links and index row went with it
            index.remove(article_id)
        changed: set[str] = set()
        for article in articles:
            with run.each(article.id):
                changed |= _update_one(run.conn, index, article)
        self.high_water = _max_rowid(run.conn)
        run.emit("copies", sorted(changed))

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Recompute every link from the stored articles, in date order (undated last, then by
        id), so the result does not depend on the order they were ingested in."""
        from storyline.cluster.copy_index import CopyIndex

        conn = run.conn
        before = _pairs(conn)
        for table in ("copy_spans", "copy_links", "copy_index"):
            conn.execute(f"DELETE FROM {table}")
        index = CopyIndex(keep_text=False, load_text=self.loader)
        self.loader.clear(conn)
        rows = conn.execute(
            "SELECT * FROM articles ORDER BY published IS NULL, substr(published, 1, 10), id"
        )
        for article in map(row_to_article, rows):
            if article.id:
                _update_one(conn, index, article)
        after = _pairs(conn)
        changed = {x for pair in before ^ after for x in pair}
        run.emit("copies", sorted(changed))
        self.index, self.high_water = index, _max_rowid(conn)
        return {"links": len(after)}


def _max_rowid(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM copy_index").fetchone()[0])


def _pairs(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in conn.execute("SELECT a, b FROM copy_links")}


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


def _update_one(conn: sqlite3.Connection, index: CopyIndex, article: Article) -> set[str]:
    """Re-link one article when what it says changed; returns the articles whose links changed."""
    from storyline.cluster.copy_index import prepare

    prepared = prepare(article.paragraphs)
    if not _meta_changed(index, article, prepared[1]):
        return set()
    changed: set[str] = set()
    if article.id in index:  # indexed before: its old links go (a new article has none)
        index.remove(article.id)
        for a, b in conn.execute(
            "SELECT a, b FROM copy_links WHERE a = ?1 UNION SELECT a, b FROM copy_links "
            "WHERE b = ?1",
            (article.id,),
        ).fetchall():
            changed |= {a, b}
            conn.execute("DELETE FROM copy_spans WHERE a = ? AND b = ?", (a, b))
            conn.execute("DELETE FROM copy_links WHERE a = ? AND b = ?", (a, b))
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
    for link in links:
        if _write_link(conn, link):
            changed |= {link.a, link.b}
    return changed


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
