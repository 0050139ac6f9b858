"""Lower bounds of undated articles taken from their context: the table and how readers see it.

An undated article's own text can give a lower bound ("not before 2023-03-03"); the update step
``dates_from_context`` (`storyline.update.dates_from_context`) may raise it from the dated articles
around it (a year for "September 7" from a dated copy, story or storyline). That inferred bound is
kept here, apart from the ``articles`` row, which holds only what the article itself says: steps
that read articles (copies, stories) then never depend on what another step inferred, and the
result does not depend on the order articles arrived in.

Readers that show an article see the *effective* bound: the context bound when it is later than
the text's, with its provenance (``row_to_article`` merges it; SQL readers join ``article_bounds``).
"""

from __future__ import annotations

import json
import sqlite3

from storyline.store.db import migration, run_script

__all__ = ["CONTEXT_COLUMNS", "CONTEXT_JOIN"]


@migration(8, "lower bounds from context, apart from what the article itself says")
def _v8(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE context_bounds (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            not_before TEXT NOT NULL,
            evidence TEXT NOT NULL,
            how TEXT NOT NULL,          -- 'text-bound, year from copy context: <id> (<day>)'
            level TEXT NOT NULL,        -- copy, story or storyline
            anchor_id TEXT NOT NULL,    -- the dated article whose year was used
            updated_at TEXT NOT NULL
        );
        CREATE INDEX context_bounds_anchor ON context_bounds(anchor_id);

        -- Undated articles with a year-less date ("on September 7"): the ones context can help.
        CREATE INDEX articles_yearless ON articles(id) WHERE published IS NULL
            AND json_extract(data, '$.extras.yearless_dates') IS NOT NULL;

        -- The bound a reader shows: the later of the article's own and its context's.
        CREATE VIEW article_bounds AS
        SELECT a.id AS article_id,
               CASE WHEN c.not_before IS NOT NULL
                         AND (a.date_not_before IS NULL OR c.not_before > a.date_not_before)
                    THEN c.not_before ELSE a.date_not_before END AS not_before,
               CASE WHEN c.not_before IS NOT NULL
                         AND (a.date_not_before IS NULL OR c.not_before > a.date_not_before)
                    THEN c.evidence ELSE a.date_bound_evidence END AS evidence,
               c.how AS context_how
        FROM articles a LEFT JOIN context_bounds c ON c.article_id = a.id;
        """,
    )
    # Stores from before this table kept a raised bound in the article row, with the text's own
    # in extras.text_bound: put the text's back (the step recomputes the context's).
    rows = conn.execute(
        "SELECT id, data FROM articles WHERE json_extract(data, '$.extras.text_bound') IS NOT NULL"
    ).fetchall()
    for row in rows:
        data = json.loads(row["data"])
        text = data["extras"].pop("text_bound")
        for mapping, key, value in (
            (data.setdefault("provenance", {}), "date_not_before", text.get("provenance")),
            (data["extras"], "date_bound_precision", text.get("precision")),
        ):
            if value is None:
                mapping.pop(key, None)
            else:
                mapping[key] = value
        conn.execute(
            "UPDATE articles SET date_not_before = ?, date_bound_evidence = ?, data = ? "
            "WHERE id = ?",
            (text.get("value"), text.get("evidence"), json.dumps(data, ensure_ascii=False), row[0]),
        )


#: Columns a reader adds to ``SELECT a.* FROM articles a`` (with `CONTEXT_JOIN`) so that
#: `storyline.store.articles.row_to_article` gives the effective bound with its provenance.
CONTEXT_COLUMNS = (
    "cb.not_before AS context_not_before, cb.evidence AS context_evidence, cb.how AS context_how"
)
CONTEXT_JOIN = "LEFT JOIN context_bounds cb ON cb.article_id = a.id"
