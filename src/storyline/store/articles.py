"""Writing and reading articles: the one writer of the store.

Rows are plain dicts on the way out. `Store.write_batch` is the only place articles are written:
one ``BEGIN IMMEDIATE`` transaction per batch holds the articles, their child rows, the raw
inputs and the ingest checkpoint (`sources`), so a killed job leaves no half-written article and
a re-run resumes from what was committed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from storyline.article import Article, Event, Mention, Quote, Removed, Span
from storyline.errors import StoreError, StoreFull
from storyline.sources.files import escape_name, without_surrogates
from storyline.store.bounds import CONTEXT_COLUMNS, CONTEXT_JOIN
from storyline.store.changes import log_changes, next_batch
from storyline.store.db import connect, now, transaction

#: Fields kept in the ``data`` JSON column rather than in their own columns.
DATA_FIELDS = (
    "paragraphs",
    "removed",
    "provenance",
    "problems",
    "stages",
    "agencies",
    "sentences",
    "mentions",
    "quotes",
    "events",
    "tone",
    "extras",
    "fields",
)

#: Functions that write an article's derived child rows (entities, quotes, ...), called inside
#: the batch transaction after the article row. Later capabilities register theirs here.
CHILD_WRITERS: list[Callable[[sqlite3.Connection, Article], None]] = []


#: The checkpoint's reason for an input whose article is hidden (`storyline.store.hidden`).
HIDDEN_REASON = "hidden: {id} (an admin restores it: storyline articles restore {id})"

#: What a failed batch write leaves behind, said in every such error.
_INTACT = "nothing of this batch was stored, earlier batches are intact"


def raw_hash(article: Article) -> str:
    return hashlib.sha256(article.raw).hexdigest()


@dataclass
class WriteResult:
    """What one write did, per input, for the run summary."""

    stored: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: WriteResult) -> None:
        for name in ("stored", "updated", "unchanged", "skipped", "failed"):
            getattr(self, name).extend(getattr(other, name))


class Store:
    """The SQLite store. One instance per process is the single writer."""

    def __init__(
        self,
        path: str | Path,
        busy_timeout_ms: int = 10_000,
        settings: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.path = Path(path)
        self.conn = connect(self.path, busy_timeout_ms)
        #: the merged settings (`storyline.config.load`) that stages and hooks read; None: defaults
        self.settings = settings

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest checkpoint -------------------------------------------------------------------
    def known_source(self, key: str) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT key, raw_hash, article_id, status, reason FROM sources WHERE key = ?",
            (_storable_key(key),),
        ).fetchone()

    # -- writing -----------------------------------------------------------------------------
    def write_batch(self, items: Sequence[tuple[str, Article]]) -> WriteResult:
        """Store a batch of (source key, processed article) in one transaction."""
        result = WriteResult()
        changed: list[str] = []
        try:
            with transaction(self.conn, what=f"writing a batch to {self.path}") as conn:
                for key, article in items:
                    self._write_one(conn, _storable_key(key), article, result, changed)
                # the update steps read what changed from the feed, committed with the batch
                log_changes(conn, "article", changed, next_batch(conn))
        except StoreFull as exc:  # `transaction` turned the SQLite error into a coded one
            raise StoreFull(f"{exc.message}; {_INTACT}", code=exc.code) from exc
        except StoreError as exc:
            raise StoreError(f"{exc.message}; {_INTACT}", code=exc.code) from exc
        return result

    def _write_one(
        self,
        conn: sqlite3.Connection,
        key: str,
        article: Article,
        result: WriteResult,
        changed: list[str],
    ) -> None:
        stamp = now()
        digest = None if article.failed and not article.raw else raw_hash(article)
        previous = conn.execute("SELECT article_id FROM sources WHERE key = ?", (key,)).fetchone()
        previous_id = previous["article_id"] if previous else None
        if article.ok and article.id and _is_hidden(conn, article.id):
            article.skipped = HIDDEN_REASON.format(id=article.id)  # stays out until restored
        if article.failed or article.skipped:
            status = "failed" if article.failed else "skipped"
            reason = without_surrogates(str(article.failed or article.skipped))
            conn.execute(
                "INSERT INTO sources (key, raw_hash, article_id, status, reason, seen_at) "
                "VALUES (?, ?, NULL, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "raw_hash=excluded.raw_hash, article_id=NULL, status=excluded.status, "
                "reason=excluded.reason, seen_at=excluded.seen_at",
                (key, digest, status, reason, stamp),
            )
            if previous_id and self._drop_if_orphan(conn, previous_id):
                changed.append(previous_id)
            (result.failed if article.failed else result.skipped).append(
                (_storable_key(article.source), reason)
            )
            return
        existing = conn.execute(
            "SELECT content_hash, ingested_at FROM articles WHERE id = ?", (article.id,)
        ).fetchone()
        if existing and existing["content_hash"] == article.content_hash:
            outcome = "unchanged"
            if self._stages_changed(conn, article):
                self._upsert(conn, article, existing["ingested_at"], stamp)
                outcome = "updated"
        else:
            ingested = existing["ingested_at"] if existing else stamp
            self._upsert(conn, article, ingested, stamp)
            moved = previous_id and previous_id != article.id
            outcome = "updated" if existing or moved else "stored"
        conn.execute(
            "INSERT INTO sources (key, raw_hash, article_id, status, reason, seen_at) "
            "VALUES (?, ?, ?, 'stored', NULL, ?) ON CONFLICT(key) DO UPDATE SET "
            "raw_hash=excluded.raw_hash, article_id=excluded.article_id, status='stored', "
            "reason=NULL, seen_at=excluded.seen_at",
            (key, digest, article.id, stamp),
        )
        if previous_id and previous_id != article.id and self._drop_if_orphan(conn, previous_id):
            changed.append(previous_id)
        if outcome != "unchanged":
            changed.append(article.id)
        getattr(result, outcome).append(_storable_key(article.source))

    def _stages_changed(self, conn: sqlite3.Connection, article: Article) -> bool:
        row = conn.execute("SELECT data FROM articles WHERE id = ?", (article.id,)).fetchone()
        return bool(row) and json.loads(row["data"]).get("stages") != article.stages

    def _drop_if_orphan(self, conn: sqlite3.Connection, article_id: str) -> bool:
        """A changed input replaced its article: drop the old one unless another input has it.

        Returns whether it was dropped (the steps then drop what they derived from it).
        """
        other = conn.execute(
            "SELECT 1 FROM sources WHERE article_id = ? LIMIT 1", (article_id,)
        ).fetchone()
        if other:
            return False
        return conn.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount > 0

    def _upsert(self, conn: sqlite3.Connection, a: Article, ingested_at: str, stamp: str) -> None:
        data = {name: _jsonable(getattr(a, name)) for name in DATA_FIELDS}
        values: tuple[Any, ...] = (
            a.id,
            a.content_hash,
            a.source,
            a.record,
            a.url,
            a.canonical_url,
            a.title,
            a.text,
            a.outlet,
            a.byline,
            a.dateline,
            a.published,
            a.date_precision,
            a.date_source,
            a.date_not_before,
            a.date_bound_evidence,
            a.language,
            a.language_score,
            a.encoding,
            json.dumps(data, ensure_ascii=False),
            ingested_at,
            stamp,
        )
        # A lone surrogate (from a reader we do not own, or a stage) cannot be encoded as UTF-8:
        # SQLite would refuse the whole batch. Text becomes valid (U+FFFD), a source escaped.
        values = tuple(without_surrogates(v) if isinstance(v, str) else v for v in values)
        values = (values[0], values[1], _storable_key(a.source), *values[3:])
        conn.execute(
            "INSERT INTO articles (id, content_hash, source, record, url, canonical_url, title, "
            "text, outlet, byline, dateline, published, date_precision, date_source, "
            "date_not_before, date_bound_evidence, language, language_score, encoding, data, "
            "ingested_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET content_hash=excluded.content_hash, "
            "source=excluded.source, record=excluded.record, url=excluded.url, "
            "canonical_url=excluded.canonical_url, title=excluded.title, text=excluded.text, "
            "outlet=excluded.outlet, byline=excluded.byline, dateline=excluded.dateline, "
            "published=excluded.published, date_precision=excluded.date_precision, "
            "date_source=excluded.date_source, date_not_before=excluded.date_not_before, "
            "date_bound_evidence=excluded.date_bound_evidence, language=excluded.language, "
            "language_score=excluded.language_score, encoding=excluded.encoding, "
            "data=excluded.data, updated_at=excluded.updated_at",
            values,
        )
        conn.execute("DELETE FROM article_agencies WHERE article_id = ?", (a.id,))
        conn.executemany(
            "INSERT OR IGNORE INTO article_agencies (article_id, agency) VALUES (?, ?)",
            [(a.id, agency) for agency in a.agencies],
        )
        conn.execute("DELETE FROM removed_text WHERE article_id = ?", (a.id,))
        conn.executemany(
            "INSERT INTO removed_text (article_id, seq, reason, line, text) VALUES (?,?,?,?,?)",
            [(a.id, i, r.reason, r.line, r.text) for i, r in enumerate(a.removed)],
        )
        if a.raw:
            conn.execute(
                "INSERT INTO raw_inputs (article_id, source, record, format, fields, raw) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(article_id) DO UPDATE SET "
                "source=excluded.source, record=excluded.record, format=excluded.format, "
                "fields=excluded.fields, raw=excluded.raw",
                (
                    a.id,
                    _storable_key(a.source),
                    a.record,
                    a.raw_format,
                    without_surrogates(json.dumps(a.fields, ensure_ascii=False)),
                    zlib.compress(a.raw, 6),
                ),
            )
        for writer in CHILD_WRITERS:
            writer(conn, a)

    # -- reading -----------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def get(self, article_id: str) -> Article | None:
        """An article by id, or by a unique id prefix (as shown by `storyline list`), as a
        reader sees it (a lower bound from context included)."""
        # The exact id first (one primary-key probe); only a miss looks for a prefix, as an
        # index range: ``id = ? OR id LIKE ?`` made SQLite scan every article on each call.
        row = self.conn.execute(f"{SHOWN} WHERE a.id = ?", (article_id,)).fetchone()
        if row is not None:
            return row_to_article(row)
        low, high = id_prefix_range(article_id)
        rows = self.conn.execute(
            f"{SHOWN} WHERE a.id >= ? AND a.id < ? ORDER BY a.id LIMIT 2", (low, high)
        ).fetchall()
        return row_to_article(rows[0]) if len(rows) == 1 else None

    def iter_articles(
        self, where: str = "", params: Sequence[Any] = (), *, context: bool = True
    ) -> Iterator[Article]:
        """Articles in storage order; ``context=False`` gives only what each article itself
        says (what the update steps read), without bounds inferred from other articles."""
        sql = (SHOWN if context else "SELECT a.* FROM articles a") + (
            f" WHERE {where} " if where else " "
        )
        for row in self.conn.execute(sql + "ORDER BY a.rowid", params):
            yield row_to_article(row)

    def raw_inputs(self) -> Iterator[Article]:
        """The stored raw inputs, as reader output, for reprocessing."""
        # Paged by rowid and snapshotted first, so rows written while reprocessing are not
        # read again and memory stays bounded on large stores.
        last = self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM raw_inputs").fetchone()[0]
        after = 0
        while True:
            rows = self.conn.execute(
                "SELECT rowid, article_id, source, record, format, fields, raw FROM raw_inputs "
                "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT 256",
                (after, last),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                article = Article(
                    source=row["source"],
                    raw=zlib.decompress(row["raw"]),
                    raw_format=row["format"],
                    record=row["record"],
                    fields=json.loads(row["fields"]),
                )
                article.scratch["previous_id"] = row["article_id"]
                yield article
            after = rows[-1]["rowid"]


def _is_hidden(conn: sqlite3.Connection, article_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM hidden_articles WHERE article_id = ?", (article_id,))
    return row.fetchone() is not None


def _storable_key(key: str) -> str:
    """A source or key SQLite can store: lone surrogates (a file name that is not valid UTF-8)
    escaped reversibly (`storyline.sources.files.escape_name`); any other key unchanged."""
    return escape_name(key) if without_surrogates(key) != key else key


def _jsonable(value: Any) -> Any:
    if isinstance(value, list):
        return [_asdict(v) if hasattr(v, "__dataclass_fields__") else v for v in value]
    return value


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _asdict(obj: Any) -> Any:
    """`dataclasses.asdict` for JSON: same dumped text, without asdict's deep copies.

    Why: facts are dumped once per article and asdict's generic recursion was a fifth of the
    store write time. Nested dataclasses, lists, tuples and dicts are converted the same way.
    """
    if hasattr(obj, "__dataclass_fields__") and not isinstance(obj, type):
        names = _FIELD_NAMES.get(type(obj))
        if names is None:
            names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
        return {name: _asdict(getattr(obj, name)) for name in names}
    if isinstance(obj, list | tuple):
        return [_asdict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _asdict(v) for k, v in obj.items()}
    return obj


_FACT_TYPES: dict[str, type] = {
    "removed": Removed,
    "sentences": Span,
    "mentions": Mention,
    "quotes": Quote,
    "events": Event,
}


#: Articles as a reader sees them: with the lower bound other articles gave (`store.bounds`).
SHOWN = f"SELECT a.*, {CONTEXT_COLUMNS} FROM articles a {CONTEXT_JOIN}"


def id_prefix_range(prefix: str) -> tuple[str, str]:
    """The ids starting with ``prefix`` as a range ``low <= id < high`` an index can answer
    (a LIKE on the id column scans the table). Article ids are lowercase ASCII, so the prefix
    is lowercased, and ``%`` and ``_`` are dropped, as the LIKE match this replaces did."""
    low = prefix.replace("%", "").replace("_", "").lower()
    if not low:
        return "", "\U0010ffff"
    return low, low[:-1] + chr(ord(low[-1]) + 1)


def read_articles(
    conn: sqlite3.Connection, ids: Sequence[str], *, context: bool = False
) -> list[Article]:
    """Articles by id in the order given (ids not in the store are left out): as they were
    written (what each article itself says), or with ``context`` as a reader sees them."""
    found: dict[str, Article] = {}
    select = SHOWN if context else "SELECT a.* FROM articles a"
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"{select} WHERE a.id IN ({marks})", chunk):
            found[row["id"]] = row_to_article(row)
    return [found[i] for i in ids if i in found]


def read_paragraphs(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    """The stored paragraphs of articles by id (ids not in the store are left out), as
    `read_articles` would give them, without building the articles."""
    found: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for article_id, stored in conn.execute(
            f"SELECT id, json_extract(data, '$.paragraphs') FROM articles WHERE id IN ({marks})",
            chunk,
        ):
            found[article_id] = json.loads(stored) if stored is not None else []
    return found


def row_to_article(row: sqlite3.Row) -> Article:
    data = json.loads(row["data"])
    article = Article(source=row["source"], record=row["record"])
    for name in (
        "id",
        "content_hash",
        "url",
        "canonical_url",
        "title",
        "text",
        "outlet",
        "byline",
        "dateline",
        "published",
        "date_precision",
        "date_source",
        "date_not_before",
        "date_bound_evidence",
        "language",
        "language_score",
        "encoding",
    ):
        setattr(article, name, row[name])
    for name, value in data.items():
        if name in _FACT_TYPES and isinstance(value, list):
            kind = _FACT_TYPES[name]
            value = [kind(**v) for v in value]
        if hasattr(article, name):
            setattr(article, name, value)
    article.scratch["ingested_at"] = row["ingested_at"]
    article.scratch["updated_at"] = row["updated_at"]
    if "context_not_before" in row.keys() and row["context_not_before"]:
        _apply_context_bound(article, row)
    return article


def _apply_context_bound(article: Article, row: sqlite3.Row) -> None:
    """Show the context's bound when it is later than the text's, keeping the text's aside."""
    value = row["context_not_before"]
    if article.date_not_before and article.date_not_before >= value:
        return
    article.extras["text_bound"] = {
        "value": article.date_not_before,
        "evidence": article.date_bound_evidence,
        "provenance": article.provenance.get("date_not_before"),
        "precision": article.extras.get("date_bound_precision"),
    }
    article.date_not_before = value
    article.date_bound_evidence = row["context_evidence"]
    article.provenance["date_not_before"] = row["context_how"]
    article.extras["date_bound_precision"] = "day"
