"""The workbench's front page: what is in the store, what is new, what moved, who is in it.

"New" and "this week" are relative to the newest publication date in the store, not to the
clock: an archive ingested today about 2024 still has a "latest week" (the sample corpus too).
Lower bounds are never dates: undated articles are counted apart, and the volume chart puts a
bounded article at its bound's week under its own kind (``bound``), never among dated ones.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

from storyline.analysis.stories import fill_weeks, list_stories, weekly_volume

__all__ = ["home"]

#: Latest stories, moving storylines and top actors shown.
STORIES, STORYLINES, ACTORS = 8, 6, 12
#: Weeks of each moving storyline's trend line.
TREND_WEEKS = 12


def store_summary(conn: sqlite3.Connection) -> dict[str, Any]:
    """Articles, outlets, languages, the published range, and how many are undated or only
    bounded: the one line that says what the rest of the page is drawn from."""
    row = conn.execute(
        "SELECT COUNT(*) AS articles, COUNT(DISTINCT a.outlet) AS outlets, "
        "COUNT(DISTINCT a.language) AS languages, MIN(substr(a.published, 1, 10)) AS first, "
        "MAX(substr(a.published, 1, 10)) AS last, SUM(a.published IS NULL) AS undated, "
        "SUM(a.published IS NULL AND b.not_before IS NOT NULL) AS bounded "
        "FROM articles a JOIN article_bounds b ON b.article_id = a.id"
    ).fetchone()
    counts = dict(row)
    counts["undated"] = counts["undated"] or 0
    counts["bounded"] = counts["bounded"] or 0
    counts["stories"] = conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    counts["storylines"] = conn.execute("SELECT COUNT(*) FROM storylines").fetchone()[0]
    return counts


def moving_storylines(
    conn: sqlite3.Connection, since: str, newest: str, limit: int = STORYLINES
) -> list[dict[str, Any]]:
    """Storylines with articles published from ``since`` to ``newest``, most such articles
    first, each with its articles per week over the last `TREND_WEEKS` weeks."""
    rows = conn.execute(
        "SELECT s.storyline_id AS id, l.title, l.n_stories, l.n_articles, COUNT(*) AS recent "
        "FROM articles a JOIN story_articles sa ON sa.article_id = a.id "
        "JOIN stories s ON s.id = sa.story_id JOIN storylines l ON l.id = s.storyline_id "
        "WHERE a.published >= ? AND substr(a.published, 1, 10) <= ? "
        "GROUP BY s.storyline_id ORDER BY recent DESC, l.n_articles DESC, s.storyline_id "
        "LIMIT ?",
        (since, newest, limit),
    )
    last_week = date.fromisoformat(newest) - timedelta(days=date.fromisoformat(newest).weekday())
    start = (last_week - timedelta(weeks=TREND_WEEKS - 1)).isoformat()
    out = []
    for r in rows:
        weeks = weekly_volume(
            conn,
            "a.id IN (SELECT sa.article_id FROM story_articles sa JOIN stories s "
            "ON s.id = sa.story_id WHERE s.storyline_id = ?) AND a.published >= ?",
            [r["id"], start],
        )
        out.append({**dict(r), "weeks": fill_weeks(weeks, last_week.isoformat(), start)})
    return out


def top_actors(conn: sqlite3.Connection, since: str | None, limit: int = ACTORS) -> list[dict]:
    """Actors by articles published since ``since`` that mention them (all articles when
    None); merged actors count under the actor they were merged into."""
    where, params = ("WHERE a.published >= ?", [since]) if since else ("", [])
    rows = conn.execute(
        "SELECT COALESCE(x.merged_into, x.id) AS id, COUNT(DISTINCT m.article_id) AS articles, "
        "COUNT(*) AS mentions FROM mentions m JOIN actors x ON x.id = m.actor_id "
        f"JOIN articles a ON a.id = m.article_id {where} "
        "GROUP BY COALESCE(x.merged_into, x.id) ORDER BY articles DESC, mentions DESC, id LIMIT ?",
        [*params, limit],
    ).fetchall()
    out = []
    for r in rows:
        actor = conn.execute("SELECT name, type FROM actors WHERE id = ?", (r["id"],)).fetchone()
        out.append(
            {
                "id": r["id"],
                "name": actor["name"] if actor else r["id"],
                "type": actor["type"] if actor else None,
                "articles": r["articles"],
                "mentions": r["mentions"],
            }
        )
    return out


def home(conn: sqlite3.Connection, days: int = 7) -> dict[str, Any]:
    """Everything the front page shows, for the ``days`` up to the newest published date."""
    summary = store_summary(conn)
    newest = summary["last"]
    since = (
        (date.fromisoformat(newest) - timedelta(days=max(1, days) - 1)).isoformat()
        if newest
        else None
    )
    return {
        "store": summary,
        "window": {"days": days, "since": since, "until": newest},
        "stories": list_stories(conn, limit=STORIES).items,
        "storylines": moving_storylines(conn, since, newest) if since and newest else [],
        "actors": top_actors(conn, since),
        "volume": weekly_volume(conn, "1", []),
    }
