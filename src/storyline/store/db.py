"""One SQLite file: connection settings, recorded migrations, and the single-writer transaction.

Every connection runs in WAL mode with ``foreign_keys=ON`` and a busy timeout, in autocommit mode
(``isolation_level=None``) so that each write is an explicit ``BEGIN IMMEDIATE … COMMIT``: a batch
of articles, all their child rows and the ingest checkpoint land together or not at all.
Migrations are small functions recorded in ``schema_migrations``; each runs in its own
transaction together with its record, so a killed migration never leaves a mixed schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from storyline.errors import StoreError, StoreFull

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, name: str) -> Callable[[Migration], Migration]:
    """Register a schema migration; versions must be unique and increasing."""

    def register(fn: Migration) -> Migration:
        if any(v == version for v, _, _ in MIGRATIONS):
            raise StoreError(f"migration {version} registered twice")
        MIGRATIONS.append((version, name, fn))
        MIGRATIONS.sort(key=lambda m: m[0])
        return fn

    return register


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: str | Path, busy_timeout_ms: int = 10_000) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the store."""
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise StoreError(f"cannot open store {target}: folder {target.parent} does not exist")
    try:
        conn = sqlite3.connect(
            str(target),
            isolation_level=None,
            timeout=busy_timeout_ms / 1000,
            check_same_thread=False,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open store {target}: {exc}") from exc
    _load_schema()
    migrate(conn)
    return conn


#: Modules whose import registers migrations (and child-row writers); add new ones here.
SCHEMA_MODULES = [
    "storyline.store.schema",
    "storyline.store.changes",
    "storyline.store.bounds",
    "storyline.store.copies",
    "storyline.store.events",
    "storyline.store.actors",
    "storyline.store.quotes",
    "storyline.store.stories",
    "storyline.store.followed",
]


def _load_schema() -> None:
    import importlib

    for name in SCHEMA_MODULES:
        importlib.import_module(name)


def _ensure_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    _ensure_table(conn)
    return {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest applied migration (for display; `migrate` checks each version)."""
    return max(applied_versions(conn), default=0)


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply every registered migration not yet recorded, in version order, each atomically.

    Each version is checked on its own rather than against the highest applied one, so a
    capability whose migration number is lower than one already applied still gets its tables.
    """
    applied: list[int] = []
    done = applied_versions(conn)
    for version, name, fn in MIGRATIONS:
        if version in done:
            continue
        with transaction(conn):
            # Re-check under the write lock: another process may have migrated meanwhile.
            if version in applied_versions(conn):
                continue
            fn(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, now()),
            )
        applied.append(version)
    return applied


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the current transaction.

    ``executescript`` would COMMIT the open transaction first, which would break the promise
    that a migration and its record land together.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip():
                conn.execute(statement)
            statement = ""
    if statement.strip().strip(";").strip():
        raise StoreError(f"incomplete SQL statement in migration: {statement[:80]!r}")


#: SQLite result codes that mean the disk (or RLIMIT_FSIZE) ran out of room.
_FULL_CODES = {"SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE"}


def describe_sqlite_error(exc: sqlite3.Error) -> str:
    """SQLite's message with its cause in words: "disk I/O error" alone does not say the disk
    is full, which is what it almost always means while writing."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if is_full(exc):
        return (
            f"{text} ({name or 'write failed'}): the disk is full or the file size limit was "
            "reached; free some space and run the same command again"
        )
    return f"{text} ({name})" if name else text


def is_full(exc: BaseException) -> bool:
    """Whether a SQLite error means no room was left to write."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    return name in _FULL_CODES or "disk is full" in text or "disk i/o error" in text


def store_error(exc: sqlite3.Error, what: str) -> StoreError:
    """The coded error for a SQLite failure during ``what``."""
    cls = StoreFull if is_full(exc) else StoreError
    return cls(f"{what} failed: {describe_sqlite_error(exc)}")


def _rollback(conn: sqlite3.Connection) -> None:
    # SQLite rolls a transaction back by itself after some errors (a full disk among them);
    # a second ROLLBACK would raise "no transaction is active" and hide the real cause.
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


@contextmanager
def transaction(
    conn: sqlite3.Connection, what: str = "a write transaction"
) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error.

    SQLite errors come out as `StoreError` (`StoreFull` when the disk or the file size limit ran
    out) naming ``what`` was being done; other exceptions pass through after the rollback.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise store_error(exc, f"starting {what}") from exc
    try:
        yield conn
    except sqlite3.Error as exc:
        _rollback(conn)
        raise store_error(exc, what) from exc
    except BaseException:
        _rollback(conn)
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise store_error(exc, f"committing {what}") from exc
