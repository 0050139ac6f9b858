"""The workbench's front page: what is in the store, what is new, what moved, who is in it.

"New" and "this week" are relative to the newest publication date in the store, not to the
clock: an archive ingested today about 2024 still has a "latest week" (the sample corpus too).
Lower bounds are never dates: undated articles are counted apart, and the volume chart puts a
bounded article at its bound's week under its own kind (``bound``), never among dated ones.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, timedelta
from typing import Any

from storyline.analysis.stories import fill_weeks, list_stories
from storyline.store.volume import period_actors, storyline_days

__all__ = ["home"]

#: Latest stories, moving storylines and top actors shown.
STORIES, STORYLINES, ACTORS = 8, 6, 12
#: Weeks of each moving storyline's trend line.
TREND_WEEKS = 12


def store_summary(conn: sqlite3.Connection) -> dict[str, Any]:
    """Articles, outlets, languages, the published range, and how many are undated or only
    bounded: the one line that says what the rest of the page is drawn from. Read from the
    day totals the ``count_volume`` step keeps (a few thousand rows at any store size)."""
    row = conn.execute(
        "SELECT COALESCE(SUM(articles), 0) AS articles, COUNT(DISTINCT outlet) AS outlets, "
        "COUNT(DISTINCT language) AS languages, "
        "MIN(CASE WHEN kind = 'dated' THEN day END) AS first, "
        "MAX(CASE WHEN kind = 'dated' THEN day END) AS last, "
        "COALESCE(SUM(CASE WHEN kind != 'dated' THEN articles END), 0) AS undated, "
        "COALESCE(SUM(CASE WHEN kind = 'bound' THEN articles END), 0) AS bounded "
        "FROM volume_days"
    ).fetchone()
    counts = dict(row)
    counts["stories"] = conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    counts["storylines"] = conn.execute("SELECT COUNT(*) FROM storylines").fetchone()[0]
    return counts


def store_weeks(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Articles per ISO week (Monday) over the whole store, as `weekly_volume` gives them
    (published ones ``dated``, undated ones at their bound's week as ``bound``), from the day
    totals the ``count_volume`` step keeps instead of a pass over every article."""
    weeks: Counter[tuple[str, str]] = Counter()
    for day, kind, n in conn.execute(
        "SELECT day, kind, SUM(articles) FROM volume_days WHERE kind != 'none' GROUP BY day, kind"
    ):
        try:
            monday = date.fromisoformat(day)
        except (TypeError, ValueError):
            continue  # not a day (SQLite's date() gives NULL too): left out, as before
        monday -= timedelta(days=monday.weekday())
        weeks[(monday.isoformat(), kind)] += n
    return [
        {"week": week, "kind": kind, "articles": n} for (week, kind), n in sorted(weeks.items())
    ]


def moving_storylines(
    conn: sqlite3.Connection, since: str, newest: str, limit: int = STORYLINES
) -> list[dict[str, Any]]:
    """Storylines with articles published from ``since`` to ``newest``, most such articles
    first, each with its articles per week over the last `TREND_WEEKS` weeks."""
    rows = conn.execute(
        "SELECT s.storyline_id AS id, l.title, l.n_stories, l.n_articles, COUNT(*) AS recent "
        # CROSS JOIN: from the period's articles (an index range) outwards; left to itself the
        # planner walked every story's articles, a pass over the store
        "FROM articles a CROSS JOIN story_articles sa ON sa.article_id = a.id "
        "JOIN stories s ON s.id = sa.story_id JOIN storylines l ON l.id = s.storyline_id "
        "WHERE a.published >= ? AND substr(a.published, 1, 10) <= ? "
        "GROUP BY s.storyline_id ORDER BY recent DESC, l.n_articles DESC, s.storyline_id "
        "LIMIT ?",
        (since, newest, limit),
    )
    last_week = date.fromisoformat(newest) - timedelta(days=date.fromisoformat(newest).weekday())
    start = (last_week - timedelta(weeks=TREND_WEEKS - 1)).isoformat()
    lines = [dict(r) for r in rows]
    # every trend from the stories' dated articles per day that ``count_volume`` keeps (a pass
    # over these storylines' articles cost ~30 ms at 100,000), folded into weeks here
    weeks: dict[str, Counter[str]] = {line["id"]: Counter() for line in lines}
    if lines:
        for line_id, day, n in storyline_days(conn, [line["id"] for line in lines], start):
            try:
                monday = date.fromisoformat(day)
            except (TypeError, ValueError):
                continue
            weeks[line_id][(monday - timedelta(days=monday.weekday())).isoformat()] += n
    out = []
    for line in lines:
        counted = [
            {"week": week, "kind": "dated", "articles": n}
            for week, n in sorted(weeks[line["id"]].items())
        ]
        out.append({**line, "weeks": fill_weeks(counted, last_week.isoformat(), start)})
    return out


def top_actors(conn: sqlite3.Connection, since: str | None, limit: int = ACTORS) -> list[dict]:
    """Actors by articles published since ``since`` that mention them (all articles when
    None); merged actors count under the actor they were merged into. Read from the actors'
    day totals the ``count_volume`` step keeps (actors × days of the period)."""
    totals: dict[str, list[int]] = {}
    for r in period_actors(conn, since):
        row = conn.execute("SELECT merged_into FROM actors WHERE id = ?", (r["id"],)).fetchone()
        if row is None:
            continue  # a key with no actor row: not an actor to list
        actor_id = row[0] or r["id"]
        kept = totals.setdefault(actor_id, [0, 0])
        kept[0] += r["articles"]
        kept[1] += r["mentions"]
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[:limit]
    out = []
    for actor_id, (articles, mentions) in ranked:
        actor = conn.execute("SELECT name, type FROM actors WHERE id = ?", (actor_id,)).fetchone()
        out.append(
            {
                "id": actor_id,
                "name": actor["name"] if actor else actor_id,
                "type": actor["type"] if actor else None,
                "articles": articles,
                "mentions": mentions,
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
        "volume": store_weeks(conn),
    }
