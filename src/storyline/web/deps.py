"""The store as the routes see it: one connection per server thread, opened on first use.

FastAPI runs plain ``def`` routes in a thread pool; SQLite in WAL mode lets each of those threads
read while an ingest in another process writes, so a thread keeps its connection for its life
instead of opening (and migrating) one per request.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from starlette.requests import Request

from storyline.store import Store


class StoreAccess:
    def __init__(self, db: str, settings: dict[str, Any]) -> None:
        self.db = db
        self.settings = settings
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db, int(self.settings["store"]["busy_timeout_ms"]), self.settings)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

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


def get_store(request: Request) -> Store:
    access: StoreAccess = request.app.state.stores
    return access.store()


def get_conn(request: Request) -> sqlite3.Connection:
    return get_store(request).conn


def settings_of(request: Request) -> dict[str, Any]:
    settings: dict[str, Any] = request.app.state.settings
    return settings
