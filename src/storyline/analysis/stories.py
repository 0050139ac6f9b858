"""Stories and storylines as an analyst reads them: listings, one story, one storyline.

The rows here are what ``storyline stories|story|storylines|storyline --json`` print and what
``/api/v1/stories…`` and ``/api/v1/storylines…`` return, so the terminal and the workbench never
disagree. Two rules shape them:

* A lower bound is never a date. The stored ``stories.first_seen``/``last_seen`` mix publication
  dates with the bounds of undated articles (the clusterer needs one time axis); readers get them
  apart: ``first_seen``/``last_seen`` from published articles only, ``first_bound``/
  ``last_bound`` from the bounds of undated ones (the effective bound, context included), and
  ``n_undated``/``n_bounded``. Listings are still sorted by the value of whichever is latest, as
  the issue asks ("sorted by its value").
* What was said is shown as it was said: events keep their ``mode`` (negated, future,
  hypothetical, intent) and quotes their ``kind`` (only ``direct`` quotes are verbatim).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from storyline.analysis.filters import check_day
from storyline.analysis.paging import Page, decode_cursor, page_of
from storyline.errors import NotFound
from storyline.store.actors import resolve
from storyline.store.volume import story_dates, story_outlets

__all__ = [
    "date_fields",
    "list_stories",
    "list_storylines",
    "storyline_detail",
    "weekly_volume",
]

#: Actors and places listed on a story; quotes, events and places are all kept.
STORY_ACTORS = 25

# -- dates ---------------------------------------------------------------------------------------

NO_DATES = {
    "first_seen": None,
    "last_seen": None,
    "first_bound": None,
    "last_bound": None,
    "n_undated": 0,
    "n_bounded": 0,
}


def date_fields(conn: sqlite3.Connection, ids: Sequence[str], level: str) -> dict[str, dict]:
    """Dates of stories (``level="story"``) or storylines, published and bounds apart, as the
    ``count_volume`` step keeps them per story (`storyline.store.volume.story_dates`): a full
    page of storylines no longer reads every article of the store."""
    return story_dates(conn, list(ids), level) if ids else {}


def _until_key(until: str) -> str:
    """``until`` as an inclusive upper key for ``YYYY-MM-DD`` strings ("2024-03" → "2024-03-99")."""
    return until + "-99-99"[: 10 - len(until)] if len(until) < 10 else until


#: Exact first/last keys (date or bound, by value) of the groups holding a context bound; every
#: other group's stored first_seen/last_seen already are exactly that. CROSS JOIN: from the
#: context bounds (an undated few) outwards; the planner walked every story's articles.
_KEYS_CTE = """
WITH ctx AS (
    SELECT DISTINCT {group} AS id FROM context_bounds c
    CROSS JOIN story_articles sa ON sa.article_id = c.article_id {join}
), exact AS (
    SELECT {group} AS id,
           MIN(COALESCE(substr(a.published, 1, 10), substr(b.not_before, 1, 10))) AS first_key,
           MAX(COALESCE(substr(a.published, 1, 10), substr(b.not_before, 1, 10))) AS last_key
    FROM story_articles sa {join}
    JOIN articles a ON a.id = sa.article_id JOIN article_bounds b ON b.article_id = a.id
    WHERE {group} IN (SELECT id FROM ctx) GROUP BY {group}
)
"""


def _keys_cte(level: str) -> str:
    if level == "story":
        return _KEYS_CTE.format(group="sa.story_id", join="")
    return _KEYS_CTE.format(group="s.storyline_id", join="JOIN stories s ON s.id = sa.story_id")


def _filters(since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if since:
        where.append("last_key >= ?")
        params.append(since)
    if until:
        where.append("first_key <= ?")
        params.append(_until_key(until))
    return where, params


# -- listings ------------------------------------------------------------------------------------


def list_stories(
    conn: sqlite3.Connection,
    *,
    limit: int = 20,
    storyline: str | None = None,
    since: str | None = None,
    until: str | None = None,
    cursor: str | None = None,
) -> Page:
    """Latest stories first (by their latest date or bound), with counts, dates, outlets.

    ``since``/``until`` keep stories whose span (dates and bounds, by value) reaches into the
    range; ``storyline`` takes an id or a unique prefix.
    """
    since, until = (
        check_day("--since", since, partial=True),
        check_day("--until", until, partial=True),
    )
    line_id = resolve_or_fail(conn, "storylines", storyline) if storyline else None
    query = {"list": "stories", "storyline": line_id, "since": since, "until": until}
    offset = decode_cursor(cursor, query)
    where, params = _filters(since, until)
    if line_id:
        where.append("storyline_id = ?")
        params.append(line_id)
    sql = (
        _keys_cte("story")
        + "SELECT * FROM (SELECT s.id, s.title, s.n_articles, s.n_sources, s.storyline_id, "
        "l.title AS storyline_title, COALESCE(e.first_key, s.first_seen) AS first_key, "
        "COALESCE(e.last_key, s.last_seen) AS last_key FROM stories s "
        "LEFT JOIN exact e ON e.id = s.id LEFT JOIN storylines l ON l.id = s.storyline_id) "
        + ("WHERE " + " AND ".join(where) + " " if where else "")
        + "ORDER BY last_key IS NULL, last_key DESC, n_articles DESC, id LIMIT ? OFFSET ?"
    )
    rows = [dict(r) for r in conn.execute(sql, [*params, int(limit) + 1, offset])]
    page = page_of(rows, offset, int(limit), query)
    ids = [r["id"] for r in page.items]
    dates = date_fields(conn, ids, "story")
    outlets = _story_outlets(conn, ids)
    page.items = [
        {
            "id": r["id"],
            "title": r["title"],
            **dates.get(r["id"], NO_DATES),
            "n_articles": r["n_articles"],
            "n_sources": r["n_sources"],
            "outlets": outlets.get(r["id"], []),
            "storyline_id": r["storyline_id"],
            "storyline_title": r["storyline_title"],
        }
        for r in page.items
    ]
    return page


def _story_outlets(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    """Each story's outlets, most articles first, as the ``count_volume`` step keeps them."""
    return story_outlets(conn, list(ids)) if ids else {}


def list_storylines(
    conn: sqlite3.Connection,
    *,
    limit: int = 20,
    since: str | None = None,
    until: str | None = None,
    cursor: str | None = None,
) -> Page:
    """Latest storylines first (by latest date or bound), with span, size and main actors."""
    since, until = (
        check_day("--since", since, partial=True),
        check_day("--until", until, partial=True),
    )
    query = {"list": "storylines", "since": since, "until": until}
    offset = decode_cursor(cursor, query)
    where, params = _filters(since, until)
    sql = (
        _keys_cte("storyline")
        + "SELECT * FROM (SELECT l.id, l.title, l.n_stories, l.n_articles, l.actors, "
        "COALESCE(e.first_key, l.first_seen) AS first_key, "
        "COALESCE(e.last_key, l.last_seen) AS last_key FROM storylines l "
        "LEFT JOIN exact e ON e.id = l.id) "
        + ("WHERE " + " AND ".join(where) + " " if where else "")
        + "ORDER BY last_key IS NULL, last_key DESC, n_articles DESC, id LIMIT ? OFFSET ?"
    )
    rows = [dict(r) for r in conn.execute(sql, [*params, int(limit) + 1, offset])]
    page = page_of(rows, offset, int(limit), query)
    dates = date_fields(conn, [r["id"] for r in page.items], "storyline")
    items = []
    for r in page.items:
        described = json.loads(r["actors"])
        items.append(
            {
                "id": r["id"],
                "title": r["title"],
                **dates.get(r["id"], NO_DATES),
                "n_stories": r["n_stories"],
                "n_articles": r["n_articles"],
                "actors": [x["name"] for x in described.get("actors", [])[:5]],
                "places": [x["name"] for x in described.get("places", [])[:5]],
            }
        )
    page.items = items
    return page


# -- one story ----------------------------------------------------------------------------------


def resolve_id(conn: sqlite3.Connection, table: str, ident: str) -> str | None:
    """A story or storyline id, or a unique prefix of one (with or without st_ / sl_)."""
    prefix = "st_" if table == "stories" else "sl_"
    for candidate in (ident, prefix + ident.removeprefix(prefix)):
        if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone():
            return candidate
    like = (prefix + ident.removeprefix(prefix)).replace("%", "").replace("_", r"\_") + "%"
    rows = conn.execute(f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (like,))
    found = [r[0] for r in rows]
    return found[0] if len(found) == 1 else None


def resolve_or_fail(conn: sqlite3.Connection, table: str, ident: str) -> str:
    found = resolve_id(conn, table, ident)
    if found is None:
        what, listing = ("story", "stories") if table == "stories" else ("storyline", "storylines")
        raise NotFound(ident, f"no {what} with id {ident!r} (see `storyline {listing}`)")
    return found


def actor_refs(conn: sqlite3.Connection, keys: Iterable[str | None]) -> dict[str, dict[str, str]]:
    """For actor keys or ids: the actor that stands for each now (merges followed) and its name.
    Keys with no actor row are left out (shown as written, not linked)."""
    out: dict[str, dict[str, str]] = {}
    for key in dict.fromkeys(k for k in keys if k):
        actor_id = resolve(conn, key)
        row = conn.execute("SELECT name FROM actors WHERE id = ?", (actor_id,)).fetchone()
        if row:
            out[key] = {"id": actor_id, "name": row[0]}
    return out


def weekly_volume(
    conn: sqlite3.Connection, where: str, params: Sequence[Any]
) -> list[dict[str, Any]]:
    """Articles per ISO week (Monday) for the articles ``where`` selects (SQL over ``a``, ``b``):
    published ones as ``dated``, undated ones at their bound's week as ``bound`` (never mixed)."""
    rows = conn.execute(
        "SELECT date(COALESCE(substr(a.published, 1, 10), substr(b.not_before, 1, 10)), "
        "'-6 days', 'weekday 1') AS week, "
        "CASE WHEN a.published IS NULL THEN 'bound' ELSE 'dated' END AS kind, COUNT(*) AS articles "
        "FROM articles a JOIN article_bounds b ON b.article_id = a.id "
        f"WHERE ({where}) AND COALESCE(a.published, b.not_before) IS NOT NULL "
        "GROUP BY week, kind ORDER BY week, kind",
        list(params),
    )
    return [dict(r) for r in rows if r["week"]]


def fill_weeks(
    rows: Sequence[dict[str, Any]], last: str | None = None, first: str | None = None
) -> list[dict[str, Any]]:
    """Dated weekly counts with empty weeks as 0, from ``first`` (else the first week with
    articles) to ``last``: a trend line must not jump over quiet weeks. Weeks are Mondays."""
    counts = {r["week"]: r["articles"] for r in rows if r["kind"] == "dated"}
    if not counts:
        return []
    day = date.fromisoformat(first or min(counts))
    end = date.fromisoformat(last or max(counts))
    out = []
    while day <= end:
        out.append({"week": day.isoformat(), "articles": counts.get(day.isoformat(), 0)})
        day += timedelta(days=7)
    return out


def storyline_detail(conn: sqlite3.Connection, ident: str) -> dict[str, Any]:
    """One storyline: the actors, places and terms that drive it, its stories on a timeline
    (dates and bounds apart), its summary and its articles per week.

    Raises `NotFound` for an unknown id or an ambiguous prefix.
    """
    line_id = resolve_or_fail(conn, "storylines", ident)
    row = dict(
        conn.execute(
            "SELECT id, title, n_stories, n_articles, actors, summary FROM storylines WHERE id = ?",
            (line_id,),
        ).fetchone()
    )
    described = json.loads(row.pop("actors"))
    linked = actor_refs(conn, (x.get("key") for x in described.get("actors", [])))
    stories = [
        dict(r)
        for r in conn.execute(
            "SELECT s.id, s.title, s.n_articles, s.n_sources, s.summary, l.score "
            "FROM stories s LEFT JOIN storyline_stories l ON l.story_id = s.id "
            "WHERE s.storyline_id = ?",
            (line_id,),
        )
    ]
    dates = date_fields(conn, [s["id"] for s in stories], "story")
    timeline = []
    for s in stories:
        summary = json.loads(s.pop("summary"))
        timeline.append(
            {
                "id": s["id"],
                "title": s["title"],
                **dates.get(s["id"], NO_DATES),
                "n_articles": s["n_articles"],
                "n_sources": s["n_sources"],
                "score": s["score"],
                "lead": summary[0] if summary else None,
            }
        )
    timeline.sort(key=lambda s: (s["first_seen"] or s["first_bound"] or "9999", s["id"]))
    return {
        "id": row["id"],
        "title": row["title"],
        **date_fields(conn, [line_id], "storyline").get(line_id, NO_DATES),
        "n_stories": row["n_stories"],
        "n_articles": row["n_articles"],
        "actors": [
            {
                "key": x.get("key"),
                "actor_id": linked[x["key"]]["id"] if x.get("key") in linked else None,
                "name": x["name"],
                "weight": x.get("weight"),
            }
            for x in described.get("actors", [])
        ],
        "places": described.get("places", []),
        "terms": described.get("terms", []),
        "summary": json.loads(row["summary"]),
        "timeline": timeline,
        "weeks": weekly_volume(
            conn,
            "a.id IN (SELECT sa.article_id FROM story_articles sa JOIN stories s "
            "ON s.id = sa.story_id WHERE s.storyline_id = ?)",
            [line_id],
        ),
    }
