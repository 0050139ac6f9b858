"""Hiding an article, and putting it back: the SQL (callers hold the transaction).

Why the article leaves the live tables instead of carrying a ``hidden`` flag: every view and
count (search totals and facets, story sizes and independent sources, copies, actor mentions,
quotes, events, places, outlets, the API) reads the live tables, and most of them read summaries
the update steps keep (co-occurrence totals, story rows, copy links). A flag would have to be
tested in each of those queries and summaries, and one forgotten would leak the article. Taking
it out instead goes through the store's own delete (the FTS trigger, every child table's
``ON DELETE CASCADE``) and logs an ``article`` change, so the update steps drop what they
derived from it exactly as they do when a changed input replaces an article. Nothing is lost:
the whole ``articles`` row (with its facts in ``data``), its rowid, its raw input and the
checkpoint keys that produced it are kept in ``hidden_articles``.

Restoring writes the kept row back through the batch writer's own ``_upsert`` (so the agencies,
removed text, raw input and every registered child writer's rows come back as ingest wrote them),
then the row's columns as they were, under its old rowid when free, and logs the change so the
steps put it back in its copies, stories and counts. Why not re-run the stages on the raw input
(as `storyline reprocess` does): the kept record is what was stored, so a restore gives back
exactly the tables before hiding, needs no language model in the web server, and takes
milliseconds; bringing stages up to date is `reprocess`'s job, for every article alike. What
the steps find again is what they would find for the article ingested now: a partial-reuse copy
link resting on one paragraph that has since become widely repeated is not made again
(docs/team.md has the figures).

While hidden, the checkpoint rows say ``skipped`` with reason `hidden_reason`, so re-ingesting
the same file reports it unchanged, and the batch writer refuses any input that yields a hidden
id (``--force``, another copy of the file, the same URL fetched again or changed: ids come from
the canonical URL when there is one) as skipped with the same reason.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from typing import Any

from storyline.errors import NotFound
from storyline.store.articles import HIDDEN_REASON, Store, row_to_article
from storyline.store.changes import log_changes, next_batch
from storyline.store.db import now

__all__ = ["hidden_reason", "hide_article", "list_hidden", "restore_article"]


def hidden_reason(article_id: str) -> str:
    return HIDDEN_REASON.format(id=article_id)


def hide_article(conn: sqlite3.Connection, article_id: str, by: str, reason: str) -> dict[str, Any]:
    """Move the article out of the live tables (inside the caller's transaction); returns the
    hidden row's summary. NotFound (E404) when no live article has that id."""
    row = conn.execute("SELECT rowid AS _rowid, * FROM articles WHERE id = ?", (article_id,))
    found = row.fetchone()
    if found is None:
        raise NotFound("article", f"no live article {article_id!r} to hide")
    kept = dict(found)
    raw = conn.execute(
        "SELECT source, record, format, fields, raw FROM raw_inputs WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    keys = [r[0] for r in conn.execute(
        "SELECT key FROM sources WHERE article_id = ? ORDER BY key", (article_id,))]  # fmt: skip
    conn.execute(
        "INSERT INTO hidden_articles (article_id, title, outlet, published, row, raw_source, "
        "raw_record, raw_format, raw_fields, raw, sources, hidden_by, hidden_at, reason) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            article_id,
            kept["title"],
            kept["outlet"],
            kept["published"],
            json.dumps(kept, ensure_ascii=False),
            raw["source"] if raw else None,
            raw["record"] if raw else None,
            raw["format"] if raw else None,
            raw["fields"] if raw else None,
            raw["raw"] if raw else None,
            json.dumps(keys),
            by,
            now(),
            reason,
        ),
    )
    conn.execute(
        "UPDATE sources SET status = 'skipped', reason = ?, article_id = NULL WHERE article_id = ?",
        (hidden_reason(article_id), article_id),
    )
    conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    log_changes(conn, "article", [article_id], next_batch(conn))
    return _summary(conn, article_id)


def restore_article(store: Store, article_id: str) -> dict[str, Any]:
    """Put a hidden article back as it was (inside the caller's transaction on ``store.conn``);
    returns the summary it had while hidden. NotFound (E404) when it is not hidden."""
    conn = store.conn
    summary = _summary(conn, article_id)
    hidden = conn.execute(
        "SELECT * FROM hidden_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    kept: dict[str, Any] = json.loads(hidden["row"])
    rowid = kept.pop("_rowid")
    article = row_to_article(kept)  # type: ignore[arg-type]  # a dict reads like a Row here
    if hidden["raw"] is not None:
        article.raw = zlib.decompress(hidden["raw"])
        article.raw_format = hidden["raw_format"]
        article.source = hidden["raw_source"]
        article.record = hidden["raw_record"]
        article.fields = json.loads(hidden["raw_fields"])
    columns = list(kept)
    taken = conn.execute("SELECT 1 FROM articles WHERE rowid = ?", (rowid,)).fetchone()
    if taken is None:  # the same rowid: storage order (and the FTS rowid) as before hiding
        conn.execute(
            f"INSERT INTO articles (rowid, {', '.join(columns)}) "
            f"VALUES (?, {', '.join('?' * len(columns))})",
            (rowid, *(kept[c] for c in columns)),
        )
    store._upsert(conn, article, kept["ingested_at"], kept["updated_at"])
    conn.execute(
        f"UPDATE articles SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
        (*(kept[c] for c in columns), article_id),
    )
    conn.execute(
        "UPDATE sources SET status = 'stored', reason = NULL, article_id = ? "
        "WHERE status = 'skipped' AND reason = ?",
        (article_id, hidden_reason(article_id)),
    )
    conn.execute("DELETE FROM hidden_articles WHERE article_id = ?", (article_id,))
    log_changes(conn, "article", [article_id], next_batch(conn))
    return summary


def _summary(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    row = conn.execute(
        f"SELECT {SUMMARY} FROM hidden_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    if row is None:
        raise NotFound("article", f"article {article_id!r} is not hidden")
    out = dict(row)
    out["sources"] = json.loads(out["sources"])
    return out


SUMMARY = "article_id, title, outlet, published, sources, hidden_by, hidden_at, reason"


def list_hidden(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every hidden article, most recently hidden first."""
    rows = conn.execute(
        f"SELECT {SUMMARY} FROM hidden_articles ORDER BY hidden_at DESC, article_id"
    ).fetchall()
    return [{**dict(r), "sources": json.loads(r["sources"])} for r in rows]


def is_hidden(conn: sqlite3.Connection, article_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM hidden_articles WHERE article_id = ?", (article_id,))
    return row.fetchone() is not None
