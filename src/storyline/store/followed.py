"""Followed sources (feeds, sitemaps, pages) and the items found in them: the state that lets
follow mode resume after a kill or a reboot without refetching or losing an item.

- ``followed``: one row per source, keyed by its canonical URL, with its schedule, its validators
  for conditional GET (ETag, Last-Modified) and its health (last fetch, HTTP status, new items,
  errors in a row, the last error, next due).
- ``followed_items``: every item URL a source listed, once per source, with what its feed said
  (title, published time as evidence, author, categories) and its state: ``queued`` until the page
  was fetched and ingested, then ``stored`` or ``failed`` with the reason. A poll records its new
  items and the source's new health in one transaction, so a kill either keeps both or neither.

The store only reads and writes these tables; polling and fetching live in `storyline.sources`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from storyline.errors import NotFound, StoreError
from storyline.store.db import migration, now, run_script, transaction

KINDS = ("feed", "sitemap", "page")


@migration(10, "followed sources and their items: what follow mode polls and has taken in")
def _v10(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE followed (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,           -- canonical URL
            kind TEXT NOT NULL,                 -- feed | sitemap | page
            name TEXT,
            every_s INTEGER NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',    -- JSON list
            ignore_robots INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            last_fetch TEXT,
            last_status INTEGER,
            last_new INTEGER NOT NULL DEFAULT 0,
            errors_in_row INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_due TEXT NOT NULL
        );
        CREATE INDEX followed_due ON followed(next_due);
        CREATE TABLE followed_items (
            source_id INTEGER NOT NULL REFERENCES followed(id) ON DELETE CASCADE,
            url TEXT NOT NULL,                  -- canonical item URL
            found_at TEXT NOT NULL,
            feed_data TEXT NOT NULL DEFAULT '{}',
            state TEXT NOT NULL DEFAULT 'queued', -- queued | stored | failed
            reason TEXT,
            done_at TEXT,
            PRIMARY KEY (source_id, url)
        );
        CREATE INDEX followed_items_queued ON followed_items(found_at) WHERE state = 'queued';
        CREATE INDEX followed_items_url ON followed_items(url);
        """,
    )


def _stamp(when: datetime) -> str:
    """The store's time format (`storyline.store.db.now`), so times compare as text."""
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _row(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["tags"] = json.loads(d["tags"])
    d["ignore_robots"] = bool(d["ignore_robots"])
    return d


def add_source(
    conn: sqlite3.Connection,
    url: str,
    *,
    kind: str,
    every_s: int,
    name: str | None = None,
    tags: Sequence[str] = (),
    ignore_robots: bool = False,
) -> dict[str, Any]:
    """Follow ``url`` (canonical); adding a followed URL again updates its name, schedule and
    tags and keeps its state and items."""
    if kind not in KINDS:
        raise StoreError(f"unknown source kind {kind!r}; one of {', '.join(KINDS)}")
    stamp = now()
    with transaction(conn, what=f"adding source {url}") as c:
        c.execute(
            "INSERT INTO followed (url, kind, name, every_s, tags, ignore_robots, added_at, "
            "next_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "kind = excluded.kind, name = COALESCE(excluded.name, followed.name), "
            "every_s = excluded.every_s, tags = excluded.tags, "
            "ignore_robots = excluded.ignore_robots",
            (
                url,
                kind,
                name,
                every_s,
                json.dumps(sorted(set(tags))),
                int(ignore_robots),
                stamp,
                stamp,
            ),
        )
    return get_source(conn, url)


def get_source(conn: sqlite3.Connection, ident: str | int) -> dict[str, Any]:
    """A source by id, canonical URL or name."""
    text = str(ident)
    row = conn.execute(
        "SELECT * FROM followed WHERE CAST(id AS TEXT) = ? OR url = ? OR name = ? "
        "ORDER BY id LIMIT 1",
        (text, text, text),
    ).fetchone()
    if row is None:
        raise NotFound(text, f"no followed source {text!r} (see `storyline sources list`)")
    return _row(row)


def list_sources(conn: sqlite3.Connection, *, tag: str | None = None) -> list[dict[str, Any]]:
    """Every followed source with its health and item counts, soonest due first."""
    rows = conn.execute(
        "SELECT f.*, "
        "(SELECT COUNT(*) FROM followed_items i WHERE i.source_id = f.id) AS items, "
        "(SELECT COUNT(*) FROM followed_items i WHERE i.source_id = f.id "
        " AND i.state = 'queued') AS queued, "
        "(SELECT COUNT(*) FROM followed_items i WHERE i.source_id = f.id "
        " AND i.state = 'failed') AS failed "
        "FROM followed f ORDER BY f.next_due, f.id"
    ).fetchall()
    out = [_row(r) for r in rows]
    return [s for s in out if tag is None or tag in s["tags"]]


def remove_source(conn: sqlite3.Connection, ident: str | int) -> dict[str, Any]:
    """Stop following a source; its items go, the articles already stored stay."""
    source = get_source(conn, ident)
    with transaction(conn, what=f"removing source {source['url']}") as c:
        c.execute("DELETE FROM followed WHERE id = ?", (source["id"],))
    return source


def due_sources(conn: sqlite3.Connection, at: datetime | None = None) -> list[dict[str, Any]]:
    at = at or datetime.now(UTC)
    rows = conn.execute(
        "SELECT * FROM followed WHERE next_due <= ? ORDER BY next_due, id", (_stamp(at),)
    ).fetchall()
    return [_row(r) for r in rows]


def record_poll(
    conn: sqlite3.Connection,
    source_id: int,
    *,
    status: int | None,
    items: Iterable[Mapping[str, Any]] = (),
    etag: str | None = None,
    last_modified: str | None = None,
    error: str | None = None,
    at: datetime | None = None,
    max_backoff_s: int = 6 * 3600,
) -> int:
    """Record one poll of a source: its new items (queued) and its health, in one transaction.
    A failing source backs off (its interval doubled per error in a row, capped) so one dead feed
    does not take the loop's time. Returns how many items were new."""
    at = at or datetime.now(UTC)
    source = get_source(conn, source_id)
    new = 0
    with transaction(conn, what=f"recording a poll of {source['url']}") as c:
        for item in items:
            cur = c.execute(
                "INSERT OR IGNORE INTO followed_items (source_id, url, found_at, feed_data) "
                "VALUES (?, ?, ?, ?)",
                (
                    source_id,
                    item["url"],
                    _stamp(at),
                    json.dumps(dict(item.get("feed") or {}), ensure_ascii=False, sort_keys=True),
                ),
            )
            new += cur.rowcount
        errors = source["errors_in_row"] + 1 if error else 0
        wait = source["every_s"] * (2 ** min(errors, 10) if errors else 1)
        c.execute(
            "UPDATE followed SET last_fetch = ?, last_status = ?, last_new = ?, "
            "errors_in_row = ?, last_error = ?, next_due = ?, "
            "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified) WHERE id = ?",
            (
                _stamp(at),
                status,
                new,
                errors,
                error,
                _stamp(at + timedelta(seconds=min(wait, max(max_backoff_s, source["every_s"])))),
                etag,
                last_modified,
                source_id,
            ),
        )
    return new


def queued_items(conn: sqlite3.Connection, limit: int = 100) -> list[dict[str, Any]]:
    """Items waiting to be fetched and ingested, oldest first (one per URL: an item listed by
    two feeds is fetched once)."""
    rows = conn.execute(
        "SELECT i.source_id, i.url, i.feed_data, f.name AS source_name, f.url AS source_url, "
        "f.ignore_robots FROM followed_items i JOIN followed f ON f.id = i.source_id "
        "WHERE i.state = 'queued' GROUP BY i.url ORDER BY MIN(i.found_at), i.url LIMIT ?",
        (limit,),
    ).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["feed"] = json.loads(d.pop("feed_data"))
        d["ignore_robots"] = bool(d["ignore_robots"])
        out.append(d)
    return out


def finish_items(conn: sqlite3.Connection, results: Iterable[tuple[str, str, str | None]]) -> None:
    """Mark items (url, 'stored' | 'failed', reason) done for every source that listed them."""
    stamp = now()
    with transaction(conn, what="marking followed items done") as c:
        c.executemany(
            "UPDATE followed_items SET state = ?, reason = ?, done_at = ? "
            "WHERE url = ? AND state = 'queued'",
            [(state, reason, stamp, url) for url, state, reason in results],
        )


def source_items(conn: sqlite3.Connection, source_id: int, limit: int = 20) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT url, found_at, state, reason, done_at, feed_data FROM followed_items "
        "WHERE source_id = ? ORDER BY found_at DESC, url LIMIT ?",
        (source_id, limit),
    ).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["feed"] = json.loads(d.pop("feed_data"))
        out.append(d)
    return out
