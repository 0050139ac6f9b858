"""Who copies whom, per pair of outlets: how many copy links, of which kind, in which direction,
and the first and last day text passed between them, kept as the store changes.

The outlet page used to join every copy link touching the outlet's articles to both articles per
request: the biggest outlet of a 10,000-article store cost ~300 ms. The update step
``count_outlet_copies`` (`storyline.update.count_outlet_copies`) keeps the answer instead:

- ``outlet_copy_links``: each copy link as seen from each side's outlet (``outlet``, ``other``,
  ``kind``, ``direction``, and ``day``, the day of the later article), as last counted; a link
  whose articles share one outlet is left out, as the page leaves it out;
- ``outlet_copies``: per outlet, other outlet, kind and direction, the links and the first and
  last ``day``, recomputed from ``outlet_copy_links`` for every group a batch touched.

``direction`` is the outlet's side of the link: ``original`` (its article had the text first),
``copied`` (the other had it first) or ``unordered`` (copy detection could not tell). Every row
here is a function of ``copy_links`` and the two articles' outlets and dates, never of the order
articles came in, so a resumed run, a clean run and `rebuild_all` hold the same rows.

Migration 14 also indexes each article's tone (an expression index on its JSON), which the
story page averages per outlet over every article of a story.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from storyline.store.db import migration, run_script

#: The tables of this module, written by the ``count_outlet_copies`` step alone.
TABLES = ("outlet_copy_links", "outlet_copies")

__all__ = ["TABLES", "outlet_pairs", "rebuild_all", "refresh_articles"]


@migration(14, "copy links per pair of outlets; the articles' tone indexed for story pages")
def _v14(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- One copy link seen from one side's outlet, as the summary last took it in.
        CREATE TABLE outlet_copy_links (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('a', 'b')),
            outlet TEXT NOT NULL,
            other TEXT,
            kind TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('original', 'copied', 'unordered')),
            day TEXT,
            PRIMARY KEY (a, b, side)
        ) WITHOUT ROWID;
        CREATE INDEX outlet_copy_links_b ON outlet_copy_links(b);
        CREATE INDEX outlet_copy_links_group
            ON outlet_copy_links(outlet, other, kind, direction, day);
        -- Per outlet, other outlet (NULL: articles with no known outlet), kind and direction.
        CREATE TABLE outlet_copies (
            outlet TEXT NOT NULL,
            other TEXT,
            kind TEXT NOT NULL,
            direction TEXT NOT NULL,
            pairs INTEGER NOT NULL,
            first TEXT,
            last TEXT
        );
        CREATE UNIQUE INDEX outlet_copies_key ON outlet_copies(outlet, other, kind, direction);

        -- The tone the tone stage stored in the article's JSON, by id: a story page averages it
        -- over every article per outlet from this index instead of parsing each article's JSON
        -- (the expression is read from the index; the rows, with their text, are not touched).
        CREATE INDEX articles_tone ON articles(id, json_extract(data, '$.tone'));
        """,
    )


#: One row per copy link and side whose outlet is known and differs from the other side's:
#: (a, b, side, outlet, other, kind, direction, day). ``day`` is when the text reached the
#: later article: the copy's day when the order is known, else the later of the two days.
_SIDES = """
WITH link AS (
    SELECT l.a, l.b, l.kind, l.first, x.outlet AS outlet_a, y.outlet AS outlet_b,
        substr(x.published, 1, 10) AS day_a, substr(y.published, 1, 10) AS day_b
    FROM {links} l JOIN articles x ON x.id = l.a JOIN articles y ON y.id = l.b
), dated AS (
    SELECT *, CASE WHEN first = a THEN day_b WHEN first = b THEN day_a
        ELSE max(COALESCE(day_a, day_b), COALESCE(day_b, day_a)) END AS day FROM link
)
SELECT a, b, 'a', outlet_a, outlet_b, kind, CASE WHEN first = 'unknown' THEN 'unordered'
    WHEN first = a THEN 'original' ELSE 'copied' END, day FROM dated
    WHERE outlet_a IS NOT NULL AND COALESCE(outlet_b, '') != outlet_a
UNION ALL
SELECT a, b, 'b', outlet_b, outlet_a, kind, CASE WHEN first = 'unknown' THEN 'unordered'
    WHEN first = b THEN 'original' ELSE 'copied' END, day FROM dated
    WHERE outlet_b IS NOT NULL AND COALESCE(outlet_a, '') != outlet_b
"""

_COLUMNS = "a, b, side, outlet, other, kind, direction, day"
Group = tuple[str, str | None, str, str]


def _links_of(conn: sqlite3.Connection, article_id: str) -> set[tuple[Any, ...]]:
    """What the summary holds for one article's links now."""
    return {
        tuple(r)
        for r in conn.execute(
            f"SELECT {_COLUMNS} FROM outlet_copy_links WHERE a = ?1 "
            f"UNION ALL SELECT {_COLUMNS} FROM outlet_copy_links WHERE b = ?1",
            (article_id,),
        )
    }


def _links_now(conn: sqlite3.Connection, article_id: str) -> set[tuple[Any, ...]]:
    """What one article's copy links and the two sides' outlets and dates say now."""
    # one branch per side, each an index range (an OR over both sides reads every link)
    mine = (
        "(SELECT a, b, kind, first FROM copy_links WHERE a = ?1 "
        "UNION ALL SELECT a, b, kind, first FROM copy_links WHERE b = ?1)"
    )
    return {tuple(r) for r in conn.execute(_SIDES.format(links=mine), (article_id,))}


def _regroup(conn: sqlite3.Connection, groups: Iterable[Group]) -> None:
    """Recompute the summary rows of ``groups`` from ``outlet_copy_links`` (a group left with no
    link goes)."""
    for outlet, other, kind, direction in sorted(groups, key=repr):
        key = (outlet, other, kind, direction)
        conn.execute(
            "DELETE FROM outlet_copies WHERE outlet = ? AND other IS ? AND kind = ? "
            "AND direction = ?",
            key,
        )
        conn.execute(
            "INSERT INTO outlet_copies (outlet, other, kind, direction, pairs, first, last) "
            "SELECT ?1, ?2, ?3, ?4, COUNT(*), MIN(day), MAX(day) FROM outlet_copy_links "
            "WHERE outlet = ?1 AND other IS ?2 AND kind = ?3 AND direction = ?4 GROUP BY outlet",
            key,
        )


def refresh_articles(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Bring the summary in line with these articles' copy links, outlets and dates (an article
    no longer stored takes its links back); returns how many articles changed. Runs in the
    caller's transaction."""
    changed = 0
    touched: set[Group] = set()
    for article_id in sorted(set(article_ids)):
        old, new = _links_of(conn, article_id), _links_now(conn, article_id)
        if old == new:
            continue
        changed += 1
        for row in old - new:
            conn.execute(
                "DELETE FROM outlet_copy_links WHERE a = ? AND b = ? AND side = ?", row[:3]
            )
        conn.executemany(
            f"INSERT OR REPLACE INTO outlet_copy_links ({_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            sorted(new - old, key=repr),
        )
        touched.update((r[3], r[4], r[5], r[6]) for r in old ^ new)
    _regroup(conn, touched)
    return changed


def rebuild_all(conn: sqlite3.Connection) -> dict[str, int]:
    """Recompute both tables from every copy link (repair, `Updater.rebuild`); returns the rows
    written."""
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.execute(f"INSERT INTO outlet_copy_links ({_COLUMNS}) " + _SIDES.format(links="copy_links"))
    conn.execute(
        "INSERT INTO outlet_copies (outlet, other, kind, direction, pairs, first, last) "
        "SELECT outlet, other, kind, direction, COUNT(*), MIN(day), MAX(day) "
        "FROM outlet_copy_links GROUP BY outlet, other, kind, direction"
    )
    return {
        table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]) for table in TABLES
    }


def outlet_pairs(conn: sqlite3.Connection, outlet: str) -> list[dict[str, Any]]:
    """The outlet's copy relations, one row per other outlet, kind and direction: ``other``,
    ``kind``, ``direction``, ``pairs`` (links), ``first`` and ``last`` (days); most links
    first. One index range, whatever the outlet's size."""
    rows = conn.execute(
        "SELECT other, kind, direction, pairs, first, last FROM outlet_copies WHERE outlet = ? "
        "ORDER BY pairs DESC, other, kind, direction",
        (outlet,),
    )
    return [dict(r) for r in rows]
