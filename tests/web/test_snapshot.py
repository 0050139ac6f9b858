"""A reading request sees one state of the store, whatever an ingest commits meanwhile.

Under a load run with an ingest writing (benchmarks/load.py at 10,000 articles, 20 clients), the
server's reads outside a transaction failed with "database disk image is malformed" and search
mixed two states of the kept index; each GET now reads inside one read transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from starlette.requests import Request

from storyline.config import defaults
from storyline.web.deps import StoreAccess, _reads


def _count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM tags").fetchone()[0])


def test_a_snapshot_lease_reads_one_state_while_another_process_commits(
    fresh_sample_db: Path,
) -> None:
    access = StoreAccess(str(fresh_sample_db), defaults())
    writer = sqlite3.connect(fresh_sample_db, isolation_level=None)
    try:
        with access.lease(snapshot=True) as store:
            before = _count(store.conn)
            writer.execute(
                "INSERT INTO tags (kind, target, tag, added_by, added_at) "
                "VALUES ('article', 'x', 'snapshot-probe', 'test', '2026-12-04T00:00:00+00:00')"
            )
            assert _count(store.conn) == before  # the request's snapshot holds
        with access.lease(snapshot=False) as store:
            assert _count(store.conn) == before + 1  # a new lease sees the commit
            assert not store.conn.in_transaction
    finally:
        writer.close()
        access.close()


def test_reading_methods_get_a_snapshot_and_writing_ones_do_not() -> None:
    def request(method: str) -> Request:
        return Request({"type": "http", "method": method, "headers": [], "path": "/"})

    assert _reads(request("GET")) and _reads(request("HEAD"))
    assert not any(_reads(request(m)) for m in ("POST", "PUT", "PATCH", "DELETE"))
