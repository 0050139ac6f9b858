"""The store as the routes see it: a pool of connections, one leased to each request.

FastAPI runs plain ``def`` routes in a thread pool, and their plain ``def`` dependencies in it
too, as separate calls that may land on different threads. A connection kept per thread (as
before) was therefore handed by the dependency's thread to the route's thread, while the first
thread went on to authenticate another request with it: two threads in one SQLite connection at
once, which under load failed reads with "database is locked" and "another row available". A
request now leases a connection for its whole life (`get_store` / `get_conn` are ``yield``
dependencies; the auth middleware leases its own for the moment it needs one), and gives it
back; the pool keeps them open, so a connection is opened (and its schema checked) once, not per
request. SQLite in WAL mode lets every leased connection read while an ingest in another process
writes.

A reading request (GET, HEAD) reads one snapshot of the store: its connection holds a read
transaction for the whole request. A page asks many questions (search asks whether the kept index
is current, then reads its postings, lengths and the rows' snippets), and an ingest's update steps
commit between them: without a snapshot one request could mix two states of the store. (The
"database disk image is malformed" reads of the load runs were not this: opening a pooled
connection closed a file handle of ours on the store, which dropped the process's SQLite locks;
`storyline.store.db.check_store_file` no longer opens one.)
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Path
from starlette.requests import Request

from storyline.store import Store

#: A row id in a URL (a note, a token): SQLite's integers stop at 2**63 - 1, and a larger number
#: reached the store and failed there (500); out of range is now the caller's error (400).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the row's id")]


class StoreAccess:
    def __init__(self, db: str, settings: dict[str, Any]) -> None:
        self.db = db
        self.settings = settings
        self._idle: list[Store] = []
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def _take(self) -> Store:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        store = Store(self.db, int(self.settings["store"]["busy_timeout_ms"]), self.settings)
        with self._lock:
            self._all.append(store)
        return store

    def _give(self, store: Store) -> None:
        if store.conn.in_transaction:  # a route that failed inside one: the next lease starts clean
            try:
                store.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        with self._lock:
            self._idle.append(store)

    @contextmanager
    def lease(self, snapshot: bool = False) -> Iterator[Store]:
        """A store connection of this request's own until the block ends; with ``snapshot``,
        inside one read transaction (ended when the connection is given back)."""
        store = self._take()
        try:
            if snapshot:
                store.conn.execute("BEGIN")  # deferred: the first read fixes the snapshot
            yield store
        finally:
            self._give(store)

    @property
    def opened(self) -> int:
        """Connections the pool has opened (as many as requests ever needed one at once)."""
        with self._lock:
            return len(self._all)

    def close(self) -> None:
        """At shutdown: interrupt what the threads still run (a request whose grace time ran
        out stops at its next SQLite step instead of holding the process), then close."""
        with self._lock:
            for store in self._all:
                try:
                    store.conn.interrupt()
                    store.close()
                except sqlite3.Error:
                    pass  # closing a connection another thread is still in: it goes with us
            self._all.clear()
            self._idle.clear()


def get_store(request: Request) -> Iterator[Store]:
    """The request's leased store (a FastAPI ``yield`` dependency)."""
    access: StoreAccess = request.app.state.stores
    with access.lease(_reads(request)) as store:
        yield store


def _reads(request: Request) -> bool:
    return request.method in ("GET", "HEAD")


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """The request's leased connection (a FastAPI ``yield`` dependency)."""
    access: StoreAccess = request.app.state.stores
    with access.lease(_reads(request)) as store:
        yield store.conn


def settings_of(request: Request) -> dict[str, Any]:
    settings: dict[str, Any] = request.app.state.settings
    return settings
