"""One SQLite file: connection settings, recorded migrations, and the single-writer transaction.

Every connection runs in WAL mode with ``foreign_keys=ON`` and a busy timeout, in autocommit mode
(``isolation_level=None``) so that each write is an explicit ``BEGIN IMMEDIATE … COMMIT``: a batch
of articles, all their child rows and the ingest checkpoint land together or not at all.
Migrations are small functions recorded in ``schema_migrations``; each runs in its own
transaction together with its record, so a killed migration never leaves a mixed schema.

Before SQLite touches a path, `check_store_file` refuses what is not a storyline store (a folder,
an empty or non-SQLite file, another application's database, a newer schema) without writing;
read commands open with ``create=False, read_only=True`` and so never make a store from a typo.
"""

from __future__ import annotations

import os
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


def check_store_file(path: str | Path, *, create: bool = True) -> bool:
    """Refuse, before anything is written, a path that is not a storyline store; True when it
    is missing (or an empty SQLite database) and ``create`` allows making a new store there.

    Never writes: a folder, a zero-byte file, a file that is not SQLite, a SQLite database of
    another application (tables but no ``schema_migrations``) and a store written by a newer
    storyline are refused with a coded error naming the path (E402, E403, E405); a missing path
    is refused unless ``create`` (E401): read commands never make a store out of a typo.
    """
    target = Path(path)
    if target.is_dir():
        raise StoreError(
            f"cannot open store {target}: it is a folder; give a store file (--db FILE)",
            code="E402",
        )
    if not target.exists():
        if not create:
            raise StoreError(
                f"no store at {target}: check --db (or $STORYLINE_DB); `storyline ingest PATH` "
                "creates one",
                code="E401",
            )
        if target.parent and not target.parent.exists():
            raise StoreError(f"cannot open store {target}: folder {target.parent} does not exist")
        return True
    # SQLite reads the header itself, through its own file handles: a handle of ours, closed,
    # would drop every POSIX lock this process holds on the file (fcntl locks belong to the
    # process and inode, not the handle), so a server opening one more pooled connection let
    # another process, closing its last connection, delete the WAL under the server's readers
    # ("database disk image is malformed"; docs/performance.md, "The run").
    try:
        size = target.stat().st_size
    except OSError as exc:
        raise StoreError(f"cannot open store {target}: {exc.strerror or exc}") from exc
    if size == 0:
        raise StoreError(
            f"cannot open store {target}: it is an empty file, not a storyline store; delete it "
            "or give another --db",
            code="E403",
        )
    tables, newest = _inspect(target)
    if "schema_migrations" not in tables:
        if not tables:  # an empty SQLite database: nothing of anyone's to protect
            if create:
                return True
            raise StoreError(
                f"no store at {target}: it is an empty SQLite database; ingest into it first "
                "(`storyline ingest PATH`)",
                code="E401",
            )
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"cannot open store {target}: a SQLite database of another application (tables "
            f"{shown}; no schema_migrations); storyline never writes into it: give another --db",
            code="E403",
        )
    _load_schema()
    known = max((v for v, _, _ in MIGRATIONS), default=0)
    if newest > known:
        raise StoreError(
            f"cannot open store {target}: written by a newer storyline (schema v{newest}; this "
            f"version knows up to v{known}); upgrade storyline to read it",
            code="E405",
        )
    return False


def _inspect(target: Path) -> tuple[set[str], int]:
    """The tables of an existing SQLite file and its newest recorded migration, read through a
    read-only connection (nothing is written, the journal mode is left as it is)."""
    try:
        conn = _open_read_only(target, 1_000)
        try:
            tables = {
                str(r[0])
                for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            newest = 0
            if "schema_migrations" in tables:
                row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
                newest = int(row[0] or 0)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise StoreError(
                f"cannot open store {target}: not a SQLite database file; give a storyline store "
                "(--db FILE)",
                code="E403",
            ) from exc
        raise StoreError(
            f"cannot open store {target}: {exc}; it is damaged or not a storyline store",
            code="E403",
        ) from exc
    return tables, newest


def _open_read_only(target: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``); a store in a folder we cannot write, whose WAL
    index cannot be made, is opened as immutable instead."""
    uri = target.resolve().as_uri()
    conn = sqlite3.connect(
        f"{uri}?mode=ro",
        uri=True,
        isolation_level=None,
        timeout=busy_timeout_ms / 1000,
        check_same_thread=False,
    )
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        conn.close()
        if os.access(target.parent, os.W_OK):
            raise
        conn = sqlite3.connect(
            f"{uri}?mode=ro&immutable=1",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )
    return conn


def is_read_only(path: str | Path) -> bool:
    """Whether the store file is marked read-only (even for a user, such as root, who could
    write it anyway: a file made read-only means "do not change this")."""
    target = Path(path)
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not (mode & 0o222) or not os.access(target, os.W_OK)


def connect(
    path: str | Path,
    busy_timeout_ms: int = 10_000,
    *,
    create: bool = True,
    read_only: bool = False,
) -> sqlite3.Connection:
    """Open and migrate the store; ``create``: make it when missing (writing commands only).

    What is not a storyline store is refused first (`check_store_file`). ``read_only`` opens it
    with ``mode=ro`` for the read commands: nothing is written, not even a migration, so a
    read-only file serves them; a store that still needs a migration is migrated only when it
    can be written (E406 otherwise). A writing open of a read-only file is refused (E406).
    """
    target = Path(path)
    check_store_file(target, create=create)
    _load_schema()
    if read_only and not _pending(target):
        try:
            conn = _open_read_only(target, busy_timeout_ms)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {target}: {exc}") from exc
        return conn
    if target.exists() and is_read_only(target):
        raise StoreError(
            f"cannot write to store {target}: the file is read-only"
            + (
                "; it needs a schema upgrade first: make it writable once"
                if read_only
                else "; this command writes (list, show, search and the other read commands "
                "still work)"
            ),
            code="E406",
        )
    if not target.exists():
        _create_file(target)
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
    migrate(conn)
    return conn


#: A leftover of a killed creation older than this is removed by the next one; a younger one
#: may be another process's creation in progress.
STALE_CREATION_S = 600


def _create_file(target: Path) -> None:
    """Make a new store's file whole or not at all: an empty SQLite database in WAL mode is
    written beside it (``.NAME.PID.new``) and linked into place only if the target is still
    missing (``os.link`` fails when it exists: another process's store is never replaced).
    SQLite itself creates the file empty and writes its header later, so a job killed in
    between left a zero-byte file, which `check_store_file` refuses (it may be anyone's): the
    next run could not resume. A killed creation leaves at most its hidden files, which a
    creation ten minutes later removes."""
    import glob
    import time

    pattern = f".{glob.escape(target.name)}.*.new*"
    for stale in target.parent.glob(pattern):
        try:
            if time.time() - stale.stat().st_mtime > STALE_CREATION_S:
                stale.unlink()
        except OSError:
            pass  # another process's, or gone already
    fresh = target.with_name(f".{target.name}.{os.getpid()}.new")
    try:
        conn = sqlite3.connect(str(fresh), isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # writes the header: 4 KiB, no tables
        finally:
            conn.close()
        try:
            os.link(fresh, target)
        except FileExistsError:
            pass  # another process made it meanwhile: theirs stands
        except OSError:  # a file system without hard links
            if not target.exists():
                os.replace(fresh, target)
    except (OSError, sqlite3.DatabaseError) as exc:
        if not target.exists():
            raise StoreError(f"cannot create store {target}: {exc}") from exc
    finally:
        for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass


def _pending(target: Path) -> bool:
    """Whether an existing store lacks a registered migration (a missing one lacks them all)."""
    if not target.exists():
        return True
    conn = _open_read_only(target, 1_000)
    try:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        done = (
            {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
            if row
            else set()
        )
    finally:
        conn.close()
    return any(v not in done for v, _, _ in MIGRATIONS)


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
    "storyline.store.cooccurrence",
    "storyline.store.outlet_copies",
    "storyline.store.volume",
    "storyline.store.team",
    "storyline.store.teamwork",
    "storyline.store.search_index",
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
