"""The change feed: what changed in the store, in order, and how far each update step has read.

Cross-article work (copies, stories, dates from context, actor linking, later alerts) runs as
update steps over the store (:mod:`storyline.update`). They do not get the batch in hand; they
read this feed, so a step killed before it ran, a step new to a filled store, and a step after
`reprocess` all catch up the same way: from their own mark.

- ``changes`` holds one row per changed thing (``kind``, ``key``): the batch writer logs
  ``article`` for every article it stores, updates or drops, in the batch's transaction; steps log
  what they change for the steps after them (``copies``: an article whose copy links changed;
  ``story``: a story whose members changed). A thing that changes again moves to the end of the
  feed (the row is replaced), so the feed never holds more rows than things, and a step that reads
  from its mark sees each pending thing once, in its latest state.
- ``batch`` groups the rows of one write: steps take in one batch at a time, so what they compute
  does not depend on when they run (right after the write, or after a kill, or as a backfill).
  Rows a step logs keep the batch of the change that caused them.
- ``update_marks`` holds each step's position (the last ``seq`` it took in) and version; a step
  whose version changed starts again from 0, which is also where a new step starts.
- ``update_failures`` records what a step could not do for one thing, with the reason.

The store only reads and writes these tables; the steps and their order live in `storyline.update`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.store.db import migration, now, run_script

__all__ = [
    "Change",
    "clear_failures",
    "failures",
    "keys_after",
    "latest_seq",
    "log_changes",
    "mark_of",
    "marks",
    "next_batch",
    "pending",
    "pending_count",
    "record_failure",
    "set_mark",
    "waiting_before",
]

#: Rows of a migration's backfill per batch (one ingest batch's worth).
BACKFILL_BATCH = 64


@migration(7, "change feed and update-step marks: resumable cross-article work")
def _v7(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            batch INTEGER NOT NULL,
            UNIQUE (kind, key)
        );
        CREATE INDEX changes_kind ON changes(kind, seq);

        CREATE TABLE update_marks (
            step TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE update_failures (
            step TEXT NOT NULL,
            key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            reason TEXT NOT NULL,
            failed_at TEXT NOT NULL,
            PRIMARY KEY (step, key)
        );
        """,
    )
    # A store filled before the feed existed: every article is pending for every step, so the
    # steps rebuild what the old after-write hooks may have left half done.
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid")]
    for start in range(0, len(ids), BACKFILL_BATCH):
        log_changes(conn, "article", ids[start : start + BACKFILL_BATCH], next_batch(conn))


@dataclass(frozen=True)
class Change:
    """One pending row of the feed."""

    seq: int
    kind: str
    key: str
    batch: int


def next_batch(conn: sqlite3.Connection) -> int:
    """A batch number above every one used so far (the next ``seq``, never reused)."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
    return int(row[0]) + 1 if row else 1


def log_changes(conn: sqlite3.Connection, kind: str, keys: Iterable[str], batch: int) -> None:
    """Move each key to the end of the feed (inside the caller's transaction)."""
    rows = [(kind, key) for key in dict.fromkeys(keys)]
    conn.executemany("DELETE FROM changes WHERE kind = ? AND key = ?", rows)
    conn.executemany(
        "INSERT INTO changes (kind, key, batch) VALUES (?, ?, ?)",
        [(k, key, batch) for k, key in rows],
    )


def latest_seq(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()
    return int(row[0])


def _kinds(kinds: Sequence[str]) -> tuple[str, list[str]]:
    return ",".join("?" * len(kinds)), list(kinds)


def pending(
    conn: sqlite3.Connection, kinds: Sequence[str], after: int, limit: int = 4096
) -> list[Change]:
    """The next batch of changes of ``kinds`` after ``after``: the run of rows that share the
    first pending row's batch, in feed order, at most ``limit`` of them."""
    marks, params = _kinds(kinds)
    rows = conn.execute(
        f"SELECT seq, kind, key, batch FROM changes WHERE kind IN ({marks}) AND seq > ? "
        "ORDER BY seq LIMIT ?",
        [*params, after, limit],
    ).fetchall()
    out: list[Change] = []
    for row in rows:
        if out and row["batch"] != out[0].batch:
            break
        out.append(Change(int(row["seq"]), row["kind"], row["key"], int(row["batch"])))
    return out


def keys_after(conn: sqlite3.Connection, kinds: Sequence[str], after: int) -> list[str]:
    """The keys of ``kinds`` changed after ``after`` (each once: a key changed again moved to
    the end of the feed), in feed order."""
    marks, params = _kinds(kinds)
    return [
        r[0]
        for r in conn.execute(
            f"SELECT key FROM changes WHERE kind IN ({marks}) AND seq > ? ORDER BY seq",
            [*params, after],
        )
    ]


def pending_count(conn: sqlite3.Connection, kinds: Sequence[str], after: int) -> int:
    marks, params = _kinds(kinds)
    row = conn.execute(
        f"SELECT COUNT(*) FROM changes WHERE kind IN ({marks}) AND seq > ?", [*params, after]
    ).fetchone()
    return int(row[0])


def waiting_before(conn: sqlite3.Connection, kinds: Sequence[str], after: int, batch: int) -> bool:
    """Whether a step at ``after`` has yet to take in a change of ``kinds`` from ``batch`` or an
    earlier one. Per kind, only the first pending row is read (one index lookup): a kind's rows
    come in batch order, the writer's because batches are numbered as they commit, a step's
    because it takes batches in feed order. A scan for any older batch would read a step's
    whole backlog on every turn of the steps after it while it replays from 0."""
    for kind in dict.fromkeys(kinds):
        row = conn.execute(
            "SELECT batch FROM changes WHERE kind = ? AND seq > ? ORDER BY seq LIMIT 1",
            (kind, after),
        ).fetchone()
        if row is not None and int(row[0]) <= batch:
            return True
    return False


def mark_of(conn: sqlite3.Connection, step: str, version: str) -> int:
    """The step's position; 0 when it is new or its version changed (it starts over)."""
    row = conn.execute(
        "SELECT version, position FROM update_marks WHERE step = ?", (step,)
    ).fetchone()
    if row is None or row["version"] != version:
        return 0
    return int(row["position"])


def set_mark(conn: sqlite3.Connection, step: str, version: str, position: int) -> None:
    conn.execute(
        "INSERT INTO update_marks (step, version, position, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(step) DO UPDATE SET version = excluded.version, "
        "position = excluded.position, updated_at = excluded.updated_at",
        (step, version, position, now()),
    )


def marks(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Every recorded step's version, position and last update time, by step name."""
    return {
        r["step"]: dict(r)
        for r in conn.execute("SELECT step, version, position, updated_at FROM update_marks")
    }


def record_failure(conn: sqlite3.Connection, step: str, key: str, seq: int, reason: str) -> None:
    conn.execute(
        "INSERT INTO update_failures (step, key, seq, reason, failed_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(step, key) DO UPDATE SET seq = excluded.seq, reason = excluded.reason, "
        "failed_at = excluded.failed_at",
        (step, key, seq, reason, now()),
    )


def clear_failures(conn: sqlite3.Connection, step: str, keys: Iterable[str]) -> None:
    conn.executemany(
        "DELETE FROM update_failures WHERE step = ? AND key = ?", [(step, k) for k in keys]
    )


def failures(conn: sqlite3.Connection, step: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT step, key, seq, reason, failed_at FROM update_failures"
    params: tuple[str, ...] = ()
    if step is not None:
        sql += " WHERE step = ?"
        params = (step,)
    return [dict(r) for r in conn.execute(sql + " ORDER BY step, seq", params)]
