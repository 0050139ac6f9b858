"""Coded events in the store: the ``events`` table, its child-row writer, and queries.

Events also live in each article's ``data`` JSON (as every fact does); the table exists so that
"every ASSAULT by the Taliban" or "everything Iran did in August" is an indexed query rather than
a scan of all articles. The writer runs inside the batch transaction of `Store.write_batch`, so
an article and its events are committed together; re-writing an article replaces its events.
"""

from __future__ import annotations

import sqlite3

from storyline.article import Article
from storyline.store.articles import CHILD_WRITERS
from storyline.store.db import migration, run_script

__all__ = ["EVENT_COLUMNS", "write_events"]

#: Columns of the events table, in their stored order.
EVENT_COLUMNS = (
    "article_id",
    "seq",
    "type",
    "source",
    "source_actor",
    "target",
    "target_actor",
    "place",
    "date",
    "date_precision",
    "date_bound",
    "mode",
    "trigger",
    "sentence",
    "evidence",
    "start",
    "end",
    "rule",
)


@migration(4, "coded events: who did what to whom, where and when")
def _v4(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- One row per coded event; start/end are the evidence sentence's span in articles.text.
        CREATE TABLE events (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            source TEXT,
            source_actor TEXT,
            target TEXT,
            target_actor TEXT,
            place TEXT,
            date TEXT,
            date_precision TEXT,
            date_bound INTEGER NOT NULL DEFAULT 0,
            mode TEXT NOT NULL DEFAULT '',
            trigger TEXT NOT NULL DEFAULT '',
            sentence INTEGER NOT NULL,
            evidence TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            rule TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (article_id, seq)
        );
        CREATE INDEX events_type ON events(type, date);
        CREATE INDEX events_source ON events(source_actor COLLATE NOCASE);
        CREATE INDEX events_target ON events(target_actor COLLATE NOCASE);
        CREATE INDEX events_date ON events(date);
        """,
    )


def write_events(conn: sqlite3.Connection, article: Article) -> None:
    """Replace an article's event rows (called inside the batch write transaction)."""
    conn.execute("DELETE FROM events WHERE article_id = ?", (article.id,))
    conn.executemany(
        'INSERT INTO events (article_id, seq, type, source, source_actor, target, target_actor, '
        'place, date, date_precision, date_bound, mode, trigger, sentence, evidence, start, "end", '
        "rule) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                article.id, seq, e.type, e.source, e.source_actor, e.target, e.target_actor,
                e.place, e.date, e.date_precision, int(e.date_bound), e.mode, e.trigger,
                e.sentence, e.evidence, e.start, e.end, e.rule,
            )
            for seq, e in enumerate(article.events)
        ],
    )  # fmt: skip


if write_events not in CHILD_WRITERS:
    CHILD_WRITERS.append(write_events)
