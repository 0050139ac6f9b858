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

Rebuilding the index from those rows computes every paragraph's MinHash again (67 s of CPU at
100,000 stored articles), so the step also saves the index to a file beside the store
(`index_file`, written by `storyline.cluster.copy_index_file`) once enough has changed since it
was last written, and a new process starts from that file: it names the store's token (drawn
anew by a rebuild) and the step's mark when it was written, and every article changed after that
mark is taken out of it and indexed again from its row. A file that does not fit the store (another
token, a mark ahead of the store's, a count that does not add up) or cannot be read is ignored and
the index is rebuilt from the rows as before.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.article import Article
from storyline.store.articles import row_to_article
from storyline.store.changes import failures, keys_after, mark_of
from storyline.store.copies import new_token
from storyline.store.db import now, transaction
from storyline.update.step import StepRun, UpdateStep

if TYPE_CHECKING:  # datasketch takes ~0.4 s to import: only when copies are actually computed
    from storyline.cluster.copy_index import CopyIndex, CopyLink, Paragraph

__all__ = ["FindCopies", "index_file", "pack", "unpack"]


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


#: The saved index is written again once the articles indexed since it was written (or read)
#: reach this share of the index, and at least `SAVE_AT_LEAST`: a new process then indexes at
#: most that many rows again, and the file is written about twenty times over any growth of the
#: store, not at every batch. Below `SAVE_AT_LEAST` articles the rows load in about a second.
SAVE_SHARE = 0.05
SAVE_AT_LEAST = 1000


_SUFFIX = ".copy-index.npz"


def index_file(conn: sqlite3.Connection) -> Path | None:
    """Where ``find_copies`` saves its index: ``STORE.copy-index.npz`` beside the store's file
    (None for a store in memory). Deleting it is safe: the index is rebuilt from the store."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return Path(row[2] + _SUFFIX) if row[2] else None
    return None


class FindCopies(UpdateStep):
    """Copy links, their shared paragraphs, and the index they are found with."""

    name = "find_copies"
    version = "1"
    follows = ("article",)
    emits = ("copies",)
    reads = ("articles",)
    writes = ("copy_index", "copy_index_file", "copy_links", "copy_spans")

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        super().__init__(settings)
        self.index: CopyIndex | None = None
        self.loader = _Loader()
        self.high_water = 0  # largest copy_index rowid already in the index
        self.token = ""  # the store's copy_index_file token, read inside the step's transaction
        self.unsaved = 0  # articles indexed since the saved file was written or read
        #: where the index in memory came from ("file", "store") and why a file was not used
        self.source = ""
        self.file_note = ""

    def forget(self) -> None:
        self.index = None
        self.high_water = 0
        self.unsaved = 0

    def ready(self, conn: sqlite3.Connection) -> CopyIndex:
        """The index, loaded on first use (from the saved file when it fits the store, else from
        ``copy_index``) and caught up on rows written since (by this process before a restart,
        or by another one)."""
        from storyline.cluster.copy_index import CopyIndex

        self.loader.clear(conn)
        self.token = _token(conn)
        if self.index is None:
            self.index = self._from_file(conn)
            if self.index is None:
                self.index = CopyIndex(keep_text=False, load_text=self.loader)
                self.high_water = 0
                self.source = "store"
        self.unsaved += self._catch_up(conn, self.index)
        return self.index

    def _catch_up(self, conn: sqlite3.Connection, index: CopyIndex) -> int:
        """Index rows written since this process last looked (by it before a restart, or by
        another process); returns how many."""
        rows = conn.execute(_META + "WHERE c.rowid > ? ORDER BY c.rowid", (self.high_water,))
        with index.loading():  # band entries sorted in once, not one key at a time
            n = _index_rows(index, rows)
        self.high_water = max(self.high_water, _max_rowid(conn))
        return n

    def _from_file(self, conn: sqlite3.Connection) -> CopyIndex | None:
        """The saved index brought up to the store, or None (why: ``file_note``)."""
        from storyline.cluster.copy_index_file import load_index

        path = index_file(conn)
        if path is None:
            return None
        index, head = load_index(path, self.loader)
        if index is None:
            self.file_note = f"{path}: {head}"
            return None
        assert isinstance(head, dict)
        mark, position = head.get("mark"), mark_of(conn, self.name, self.version)
        if head.get("token") != self.token or head.get("version") != self.version:
            self.file_note = f"{path}: saved for another state of the store"
            return None
        if not isinstance(mark, int) or mark > position:
            self.file_note = f"{path}: saved ahead of the store (mark {mark}, store {position})"
            return None
        # every article changed after the file's mark: out of the index, then in again from
        # its row as it is now (gone if the article was deleted)
        dirty = keys_after(conn, self.follows, mark)
        dirty += [f["key"] for f in failures(conn, self.name)]
        with index.loading():
            for article_id in dirty:
                index.remove(article_id)
            _index_rows(index, _rows_of(conn, dirty))
        stored = int(conn.execute("SELECT COUNT(*) FROM copy_index").fetchone()[0])
        if len(index) != stored:  # an older copy of the store beside a newer file
            self.file_note = f"{path}: holds {len(index)} articles, the store {stored}"
            return None
        self.high_water = _max_rowid(conn)
        self.unsaved = len(dirty)
        self.source, self.file_note = "file", ""
        return index

    def committed(self, conn: sqlite3.Connection, position: int) -> None:
        """Save the index beside the store once enough changed since it was last saved."""
        from storyline.cluster.copy_index_file import save_index

        index = self.index
        if index is None or self.unsaved < max(SAVE_AT_LEAST, SAVE_SHARE * len(index)):
            return
        path = index_file(conn)
        if path is None:
            return
        self.unsaved = 0  # a failed save is tried again after as many changes, not every batch
        # A fresh token for each file: an older copy of the store put back (a backup) still
        # names the token of its own time, so no file written after it fits it, even once its
        # change feed has handed out the same positions again. The store takes the new token
        # only once the new file is written in full, just before it replaces the old one: a
        # write that fails or is killed leaves the old file, still named by the store.
        token = new_token()

        def name_it() -> bool:
            with transaction(conn, what="naming the saved copy index") as inside:
                if _token(inside) != self.token:  # a rebuild, or another process's save,
                    return False  # since this batch: its index is not this one
                inside.execute("UPDATE copy_index_file SET token = ? WHERE id = 1", (token,))
            self.token = token
            return True

        head = {"token": token, "version": self.version, "mark": position}
        like = path.with_name(path.name[: -len(_SUFFIX)])
        try:
            save_index(index, path, head, like=like, ready=name_it)
        except Exception as exc:  # the batch is committed; the file is only a cache
            self.file_note = f"{path}: not saved ({type(exc).__name__}: {exc})"

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
        self.unsaved += len(articles) + len(gone)
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
        # a file saved before this rebuild no longer fits the store; this index is saved anew
        self.token = new_token()
        conn.execute("UPDATE copy_index_file SET token = ? WHERE id = 1", (self.token,))
        self.unsaved, self.source = max(len(index), SAVE_AT_LEAST), "store"
        return {"links": len(after)}


def _token(conn: sqlite3.Connection) -> str:
    try:
        row = conn.execute("SELECT token FROM copy_index_file WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # a connection to a store not migrated (a benchmark's)
        return ""
    return str(row[0]) if row else ""


def _rows_of(conn: sqlite3.Connection, article_ids: Sequence[str]) -> list[sqlite3.Row]:
    """The ``copy_index`` rows (with `_META`'s columns) of some articles, in rowid order."""
    rows: list[sqlite3.Row] = []
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows += conn.execute(_META + f"WHERE c.article_id IN ({marks})", chunk).fetchall()
    return sorted(rows, key=lambda r: int(r["rowid"]))


def _index_rows(index: CopyIndex, rows: Iterable[sqlite3.Row]) -> int:
    """Index saved rows (no lookup: they were linked when first indexed); returns how many."""
    n = 0
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
        n += 1
    return n


def _max_rowid(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM copy_index").fetchone()[0])


def _pairs(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in conn.execute("SELECT a, b FROM copy_links")}


def _meta_changed(index: CopyIndex, article: Article, fingerprint: str) -> bool:
    """Whether anything the index keeps of the article changed: its text, or what decides a
    link's kind and who had it first (dates, agencies, outlet, a staff byline). An entry left
    with an old outlet or byline would give other links than the same article read from its
    row, and the index saved beside the store would keep it."""
    from storyline.cluster.copy_index import _is_staff_byline  # datasketch: imported late

    entry = index.entries.get(article.id)
    if entry is None:
        return True
    agencies = frozenset(a.strip().casefold() for a in article.agencies if a and a.strip())
    kept = (entry.fingerprint, entry.date, entry.not_before, entry.agencies, entry.date_source)
    now_ = (fingerprint, article.published, article.date_not_before, agencies, article.date_source)
    return (
        kept != now_
        or entry.outlet != article.outlet
        or entry.staff_byline != _is_staff_byline(article.byline, agencies)
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
