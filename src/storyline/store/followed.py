"""Followed sources (feeds, sitemaps, pages, local feed files) and the items found in them: the
state that lets follow mode resume after a kill or a reboot without refetching or losing an item.

- ``followed``: one row per source, keyed by its canonical URL (a local file's ``file:`` URL),
  with its schedule, its kind (``auto`` until the first poll finds out), where its articles' text
  comes from (``content``: ``page`` or ``feed``), its validators for conditional GET (ETag,
  Last-Modified) and its health (last fetch, HTTP status, new items, errors in a row, the last
  error, next due).
- ``followed_items``: every item URL a source listed, once per source, in the order found
  (``seq``), with what its feed said and its state: ``queued`` until its article is written, then
  ``stored``, ``skipped`` or ``failed`` with the reason. ``key`` is the article's source key (the
  page's canonical URL), recorded before the article is written: an item whose key is in the
  ingest checkpoint (``sources``) is done, whatever happened between the two commits.

A poll records its new items and the source's health in one transaction, so a kill keeps both or
neither. The store only reads and writes these tables; polling and fetching live in
`storyline.follow` and `storyline.sources`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from storyline.errors import NotFound, StoreError
from storyline.store.db import migration, now, run_script, transaction

KINDS = ("auto", "feed", "sitemap", "page")
CONTENTS = ("page", "feed")
#: The source `storyline fetch` records its URLs under: never due, not in OPML exports.
FETCH_SOURCE = "storyline:fetch"
NEVER = "9999-12-31T00:00:00+00:00"


@migration(10, "followed sources and their items: what follow mode polls and has taken in")
def _v10(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE followed (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,           -- canonical URL, or file: URL of a local feed
            kind TEXT NOT NULL,                 -- auto | feed | sitemap | page
            name TEXT,
            every_s INTEGER NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',    -- JSON list
            ignore_robots INTEGER NOT NULL DEFAULT 0,
            content TEXT NOT NULL DEFAULT 'page', -- page | feed: where the article text comes from
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
            seq INTEGER PRIMARY KEY,            -- the order found, which is the order taken in
            source_id INTEGER NOT NULL REFERENCES followed(id) ON DELETE CASCADE,
            url TEXT NOT NULL,                  -- canonical item URL
            found_at TEXT NOT NULL,
            feed_data TEXT NOT NULL DEFAULT '{}',
            state TEXT NOT NULL DEFAULT 'queued', -- queued | stored | skipped | failed
            reason TEXT,
            key TEXT,                           -- the article's source key, once fetched
            tries INTEGER NOT NULL DEFAULT 0,   -- fetches that failed for a passing reason
            done_at TEXT,
            UNIQUE (source_id, url)
        );
        CREATE INDEX followed_items_queued ON followed_items(seq) WHERE state = 'queued';
        CREATE INDEX followed_items_url ON followed_items(url);
        CREATE INDEX followed_items_key ON followed_items(key) WHERE key IS NOT NULL;
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
    kind: str = "auto",
    every_s: int = 900,
    name: str | None = None,
    tags: Sequence[str] = (),
    ignore_robots: bool = False,
    content: str = "page",
    at: datetime | None = None,
) -> dict[str, Any]:
    """Follow ``url`` (canonical); adding a followed URL again updates its name, kind, schedule,
    tags and options and keeps its state and items."""
    if kind not in KINDS:
        raise StoreError(f"unknown source kind {kind!r}; one of {', '.join(KINDS)}")
    if content not in CONTENTS:
        raise StoreError(f"unknown source content {content!r}; one of {', '.join(CONTENTS)}")
    stamp = _stamp(at) if at else now()
    due = NEVER if url == FETCH_SOURCE else stamp
    with transaction(conn, what=f"adding source {url}") as c:
        c.execute(
            "INSERT INTO followed (url, kind, name, every_s, tags, ignore_robots, content, "
            "added_at, next_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE "
            "SET kind = CASE WHEN excluded.kind = 'auto' THEN followed.kind ELSE excluded.kind "
            "END, name = COALESCE(excluded.name, followed.name), every_s = excluded.every_s, "
            "tags = excluded.tags, ignore_robots = excluded.ignore_robots, "
            "content = excluded.content",
            (
                url,
                kind,
                name,
                every_s,
                json.dumps(sorted(set(tags))),
                int(ignore_robots),
                content,
                stamp,
                due,
            ),
        )
    return get_source(conn, url)


def get_source(conn: sqlite3.Connection, ident: str | int) -> dict[str, Any]:
    """A source by id, canonical URL or name."""
    text = str(ident)
    row = conn.execute(
        "SELECT * FROM followed WHERE CAST(id AS TEXT) = ? OR url = ? OR name = ? "
        "ORDER BY (CAST(id AS TEXT) = ?) DESC, id LIMIT 1",
        (text, text, text, text),
    ).fetchone()
    if row is None:
        raise NotFound(text, f"no followed source {text!r} (see `storyline sources list`)")
    return _row(row)


def list_sources(
    conn: sqlite3.Connection, *, tag: str | None = None, hidden: bool = False
) -> list[dict[str, Any]]:
    """Every followed source with its health and item counts, by id. ``hidden``: include the
    source `storyline fetch` records its URLs under."""
    rows = conn.execute(
        "SELECT f.*, "
        "(SELECT COUNT(*) FROM followed_items i WHERE i.source_id = f.id) AS items, "
        "(SELECT COUNT(*) FROM followed_items i WHERE i.source_id = f.id "
        " AND i.state = 'queued') AS queued, "
        "(SELECT COUNT(*) FROM followed_items i WHERE i.source_id = f.id "
        " AND i.state = 'stored') AS stored, "
        "(SELECT COUNT(*) FROM followed_items i WHERE i.source_id = f.id "
        " AND i.state = 'failed') AS failed "
        "FROM followed f ORDER BY f.id"
    ).fetchall()
    out = [_row(r) for r in rows]
    return [
        s for s in out if (tag is None or tag in s["tags"]) and (hidden or s["url"] != FETCH_SOURCE)
    ]


def remove_source(conn: sqlite3.Connection, ident: str | int) -> dict[str, Any]:
    """Stop following a source; its items go, the articles already stored stay."""
    source = get_source(conn, ident)
    with transaction(conn, what=f"removing source {source['url']}") as c:
        c.execute("DELETE FROM followed WHERE id = ?", (source["id"],))
    return source


def due_sources(conn: sqlite3.Connection, at: datetime | None = None) -> list[dict[str, Any]]:
    """Sources due at ``at`` (now), soonest due first."""
    at = at or datetime.now(UTC)
    rows = conn.execute(
        "SELECT * FROM followed WHERE next_due <= ? ORDER BY next_due, id", (_stamp(at),)
    ).fetchall()
    return [_row(r) for r in rows]


def next_due(conn: sqlite3.Connection) -> datetime | None:
    """When the next source is due (None: nothing followed)."""
    row = conn.execute("SELECT MIN(next_due) FROM followed WHERE next_due < ?", (NEVER,))
    value = row.fetchone()[0]
    return datetime.fromisoformat(value) if value else None


def record_poll(
    conn: sqlite3.Connection,
    source_id: int,
    *,
    status: int | None,
    items: Iterable[Mapping[str, Any]] = (),
    etag: str | None = None,
    last_modified: str | None = None,
    error: str | None = None,
    kind: str | None = None,
    name: str | None = None,
    at: datetime | None = None,
    max_backoff_s: int = 6 * 3600,
) -> int:
    """Record one poll of a source: its new items (queued, in the order given) and its health,
    and the kind found on a first poll, in one transaction. A failing source backs off (its
    interval doubled per error in a row, capped) so one dead feed does not take the loop's
    time. Returns how many items were new."""
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
        wait = min(wait, max(max_backoff_s, source["every_s"]))
        due = NEVER if source["url"] == FETCH_SOURCE else _stamp(at + timedelta(seconds=wait))
        c.execute(
            "UPDATE followed SET last_fetch = ?, last_status = ?, last_new = ?, "
            "errors_in_row = ?, last_error = ?, next_due = ?, kind = COALESCE(?, kind), "
            "name = COALESCE(name, ?), etag = COALESCE(?, etag), "
            "last_modified = COALESCE(?, last_modified) WHERE id = ?",
            (
                _stamp(at),
                status,
                new,
                errors,
                error,
                due,
                kind,
                (name or "").strip()[:200] or None,
                etag,
                last_modified,
                source_id,
            ),
        )
    return new


def queued_items(
    conn: sqlite3.Connection, limit: int = 100, *, urls: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Items waiting to be fetched and ingested, in the order found (one per URL: an item listed
    by two sources is fetched once, with the first source's options and feed data). ``urls``:
    only these."""
    where = ""
    params: list[Any] = []
    if urls is not None:
        where = f" AND i.url IN ({', '.join('?' * len(urls))})"
        params = list(urls)
    rows = conn.execute(
        "SELECT i.seq, i.source_id, i.url, i.feed_data, i.tries, f.name AS source_name, "
        "f.url AS source_url, f.ignore_robots, f.content FROM followed_items i "
        "JOIN followed f ON f.id = i.source_id WHERE i.state = 'queued'" + where + " AND i.seq = "
        "(SELECT MIN(j.seq) FROM followed_items j WHERE j.url = i.url AND j.state = 'queued') "
        "ORDER BY i.seq LIMIT ?",
        (*params, limit),
    ).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["feed"] = json.loads(d.pop("feed_data"))
        d["ignore_robots"] = bool(d["ignore_robots"])
        out.append(d)
    return out


def queue_urls(conn: sqlite3.Connection, source_id: int, urls: Sequence[str]) -> None:
    """Queue page URLs under a source (`storyline fetch`): new ones are added, failed ones are
    queued again, the others are left as they are (a stored page is not fetched again)."""
    stamp = now()
    with transaction(conn, what="queueing pages to fetch") as c:
        for url in urls:
            c.execute(
                "INSERT INTO followed_items (source_id, url, found_at) VALUES (?, ?, ?) "
                "ON CONFLICT(source_id, url) DO UPDATE SET state = 'queued', tries = 0, "
                "key = NULL, done_at = NULL WHERE followed_items.state = 'failed'",
                (source_id, url, stamp),
            )


def set_item_keys(conn: sqlite3.Connection, keys: Iterable[tuple[str, str]]) -> None:
    """Record (item url, article source key) before the articles are written: once the key is
    in the ingest checkpoint, `reconcile_items` marks the item done."""
    with transaction(conn, what="recording followed items' article keys") as c:
        c.executemany(
            "UPDATE followed_items SET key = ? WHERE url = ? AND state = 'queued'",
            [(key, url) for url, key in keys],
        )


def reconcile_items(conn: sqlite3.Connection) -> int:
    """Mark done every queued item whose article key (or URL) is in the ingest checkpoint, with
    the checkpoint's outcome: stored, skipped or failed and its reason. Returns how many."""
    stamp = now()
    with transaction(conn, what="marking followed items done") as c:
        cur = c.execute(
            "UPDATE followed_items SET state = s.status, reason = s.reason, done_at = ?, "
            "key = s.key FROM sources s WHERE followed_items.state = 'queued' "
            "AND s.key = COALESCE(followed_items.key, followed_items.url)",
            (stamp,),
        )
    return cur.rowcount


def fail_items(
    conn: sqlite3.Connection, failures: Iterable[tuple[str, str, bool]], *, max_tries: int = 3
) -> None:
    """Record fetches that failed: (url, reason, passing). A passing failure (a timeout, a 5xx)
    leaves the item queued for a later round until it failed ``max_tries`` times."""
    stamp = now()
    with transaction(conn, what="marking followed items failed") as c:
        for url, reason, passing in failures:
            c.execute(
                "UPDATE followed_items SET tries = tries + 1, reason = ?, "
                "state = CASE WHEN ? AND tries + 1 < ? THEN 'queued' ELSE 'failed' END, "
                "done_at = CASE WHEN ? AND tries + 1 < ? THEN NULL ELSE ? END "
                "WHERE url = ? AND state = 'queued'",
                (reason, passing, max_tries, passing, max_tries, stamp, url),
            )


def retry_failed(conn: sqlite3.Connection, source_id: int | None = None) -> int:
    """Queue failed items again (of one source, or all). Returns how many."""
    with transaction(conn, what="queueing failed items again") as c:
        cur = c.execute(
            "UPDATE followed_items SET state = 'queued', tries = 0, done_at = NULL, key = NULL "
            "WHERE state = 'failed' AND (? IS NULL OR source_id = ?)",
            (source_id, source_id),
        )
    return cur.rowcount


def item_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many items are in each state, over all sources."""
    rows = conn.execute("SELECT state, COUNT(*) FROM followed_items GROUP BY state").fetchall()
    return {r[0]: r[1] for r in rows}


def source_items(conn: sqlite3.Connection, source_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """A source's most recent items (last found first) with their states."""
    rows = conn.execute(
        "SELECT url, found_at, state, reason, key, tries, done_at, feed_data "
        "FROM followed_items WHERE source_id = ? ORDER BY seq DESC LIMIT ?",
        (source_id, limit),
    ).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["feed"] = json.loads(d.pop("feed_data"))
        out.append(d)
    return out
