"""Years for year-less dates of undated articles, from the dated articles around them.

An undated reprint often says "announced ... on September 7" and never the year. Alone, the date
stage cannot use that (`storyline.extract.dates.yearless_mentions` keeps such mentions in
``extras["yearless_dates"]``). Once the article is stored, its *context* can: a dated copy of the
same text, a dated article of the same story, or failing those a dated article of the same
storyline. `resolve_yearless_bounds` takes the median publication date D of the closest context
that has any, gives each year-less mention the year (D.year - 1, D.year or D.year + 1) that puts
it nearest to D, and raises the article's ``date_not_before`` to the latest resolved mention when
that is later than the bound its text gave on its own. It never sets a publication date.

It is the update step ``dates_from_context``, after ``find_copies`` and ``cluster_stories``. The
bound it infers goes to ``context_bounds`` (`storyline.store.bounds`), never into the article's own
row, so what other steps read of an article never depends on when this one ran. It re-evaluates an
article whenever its context may have changed: the article itself changed, its copy links
changed, its story or its storyline changed, or the article its bound was anchored on changed.
The bound is therefore a function of the stored articles, copy links, stories and storylines.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from storyline.store.db import now
from storyline.update.step import StepRun, UpdateStep

__all__ = ["DatesFromContext", "context_dates", "resolve_year"]

#: Context levels, closest first: a copy shares the text, a story the happening, a storyline
#: only the thread (weeks to years), so it is used only when the closer levels have no date.
LEVELS = ("copy", "story", "storyline")


def resolve_year(month: int, day: int, anchor: date) -> date | None:
    """The date with this month and day nearest to ``anchor``, within a year either side.

    "September 7" near 2021-08-27 is 2021-09-07 (11 days later), not 2020-09-07; "December 30"
    near 2022-01-03 is 2021-12-30. February 29 takes the nearest leap year in range, or None.
    """
    best: date | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - anchor).days) < abs((best - anchor).days):
            best = candidate
    return best


def _chunks(ids: Sequence[str], size: int = 400) -> Iterable[tuple[str, list[str]]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), size):
        chunk = ordered[i : i + size]
        yield ",".join("?" * len(chunk)), chunk


def _dated(conn: sqlite3.Connection, ids: Iterable[str]) -> list[tuple[str, str]]:
    """(day, id) of the articles among ``ids`` that have a day-precise publication date."""
    found: list[tuple[str, str]] = []
    for marks, chunk in _chunks(list(ids)):  # a long storyline holds more ids than SQLite binds
        found.extend(
            (r["day"], r["id"])
            for r in conn.execute(
                f"SELECT id, substr(published, 1, 10) AS day FROM articles WHERE id IN ({marks}) "
                "AND published IS NOT NULL AND length(published) >= 10",
                chunk,
            )
        )
    return sorted(found)


def _copy_ids(conn: sqlite3.Connection, article_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT b AS other FROM copy_links WHERE a = ? UNION SELECT a FROM copy_links WHERE b = ?",
        (article_id, article_id),
    ).fetchall()
    return [r[0] for r in rows]


def _story_ids(conn: sqlite3.Connection, article_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT o.article_id FROM story_articles s JOIN story_articles o "
        "ON o.story_id = s.story_id WHERE s.article_id = ? AND o.article_id != ?",
        (article_id, article_id),
    ).fetchall()
    return [r[0] for r in rows]


def _storyline_ids(conn: sqlite3.Connection, article_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT o.article_id FROM story_articles s "
        "JOIN storyline_stories l ON l.story_id = s.story_id "
        "JOIN storyline_stories m ON m.storyline_id = l.storyline_id "
        "JOIN story_articles o ON o.story_id = m.story_id "
        "WHERE s.article_id = ? AND o.article_id != ?",
        (article_id, article_id),
    ).fetchall()
    return [r[0] for r in rows]


def context_dates(conn: sqlite3.Connection, article_id: str) -> tuple[str, list[tuple[str, str]]]:
    """The closest context level with dated articles and their sorted (day, id), or ("", [])."""
    for level, finder in zip(LEVELS, (_copy_ids, _story_ids, _storyline_ids), strict=True):
        dated = _dated(conn, finder(conn, article_id))
        if dated:
            return level, dated
    return "", []


#: Undated articles with a year-less date (matches the partial index ``articles_yearless``).
_YEARLESS = "a.published IS NULL AND json_extract(a.data, '$.extras.yearless_dates') IS NOT NULL"


def _targets(run: StepRun) -> list[str]:
    """Undated articles with year-less dates whose context this batch may have changed."""
    conn = run.conn
    near: set[str] = set(run.keys("article")) | set(run.keys("copies"))
    for marks, chunk in _chunks(list(near)):
        near.update(
            r[0]
            for r in conn.execute(
                f"SELECT b FROM copy_links WHERE a IN ({marks}) UNION "
                f"SELECT a FROM copy_links WHERE b IN ({marks}) UNION "
                f"SELECT article_id FROM context_bounds WHERE anchor_id IN ({marks})",
                chunk * 3,
            )
        )
    found: set[str] = set()
    for marks, chunk in _chunks(list(near)):
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT a.id FROM articles a WHERE a.id IN ({marks}) AND {_YEARLESS}", chunk
            )
        )
    # Driven from the partial index of year-less undated articles, each asked whether it is
    # in a touched story or storyline: joined from the stories' side, the planner read every
    # undated article's data to test it (1.1 s a query at 75,000 stored, where one storyline
    # held 21,901 stories). Now a batch costs one pass over that index (index entries only)
    # per 400 touched ids: cheap while such articles are a small share of the store, and no
    # worse than the members' side when most are.
    for marks, chunk in _chunks(run.keys("story")):
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT a.id FROM articles a INDEXED BY articles_yearless WHERE {_YEARLESS} "
                "AND EXISTS (SELECT 1 FROM story_articles s WHERE s.article_id = a.id "
                f"AND s.story_id IN ({marks}))",
                chunk,
            )
        )
    for marks, chunk in _chunks(run.keys("storyline")):
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT a.id FROM articles a INDEXED BY articles_yearless WHERE {_YEARLESS} "
                "AND EXISTS (SELECT 1 FROM story_articles s JOIN storyline_stories l "
                "ON l.story_id = s.story_id WHERE s.article_id = a.id "
                f"AND l.storyline_id IN ({marks}))",
                chunk,
            )
        )
    return sorted(found)


def _new_bound(
    data: dict[str, Any], text_bound: str | None, level: str, dated: list[tuple[str, str]]
) -> tuple[str, str, str, str] | None:
    """(bound, evidence, provenance, anchor id) when the context raises the text's bound."""
    day, anchor_id = dated[(len(dated) - 1) // 2]  # lower median: an actual article's date
    anchor = date.fromisoformat(day)
    best: tuple[date, str] | None = None
    for item in data.get("extras", {}).get("yearless_dates") or []:
        try:
            resolved = resolve_year(int(item["month"]), int(item["day"]), anchor)
        except (KeyError, TypeError, ValueError):
            continue
        if resolved is not None and (best is None or resolved > best[0]):
            best = (resolved, str(item.get("evidence", "")))
    if best is None:
        return None
    if text_bound and text_bound >= best[0].isoformat():
        return None
    how = f"text-bound, year from {level} context: {anchor_id} ({day})"
    return best[0].isoformat(), best[1], how, anchor_id


def bound_from_context(conn: sqlite3.Connection, article_id: str) -> tuple[str, ...] | None:
    """The context bound of one stored article as (bound, evidence, how, level, anchor id), or
    None when its context gives nothing later than its own text."""
    row = conn.execute(
        f"SELECT a.date_not_before, a.data FROM articles a WHERE a.id = ? AND {_YEARLESS}",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    level, dated = context_dates(conn, article_id)
    if not dated:
        return None
    found = _new_bound(json.loads(row["data"]), row["date_not_before"], level, dated)
    if found is None:
        return None
    value, evidence, how, anchor_id = found
    return value, evidence, how, level, anchor_id


class DatesFromContext(UpdateStep):
    """Lower bounds for undated articles from the dated articles around them."""

    name = "dates_from_context"
    version = "1"
    follows = ("article", "copies", "story", "storyline")
    #: ``bounds``: an article whose context bound was set, changed or dropped (the day an
    #: undated article is counted at moves with it: ``count_volume``)
    emits = ("bounds",)
    reads = ("articles", "copy_links", "story_articles", "storyline_stories")
    writes = ("context_bounds",)

    def apply(self, run: StepRun) -> None:
        moved: list[str] = []
        for article_id in _targets(run):
            with run.each(article_id):
                if _write_bound(run.conn, article_id):
                    moved.append(article_id)
        run.emit("bounds", [i for i in moved if i not in run.failed])

    def rebuild(self, run: StepRun) -> dict[str, int]:
        before = _bounds(run.conn)
        run.conn.execute("DELETE FROM context_bounds")
        ids = [r[0] for r in run.conn.execute(f"SELECT a.id FROM articles a WHERE {_YEARLESS}")]
        for article_id in ids:
            _write_bound(run.conn, article_id)
        after = _bounds(run.conn)
        moved = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        run.emit("bounds", sorted(moved))
        return {"bounds": len(after)}


def _bounds(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT article_id, not_before FROM context_bounds").fetchall())


def _write_bound(conn: sqlite3.Connection, article_id: str) -> bool:
    """Store the article's context bound; True when the stored row was set, changed or
    dropped."""
    found = bound_from_context(conn, article_id)
    if found is None:
        gone = conn.execute("DELETE FROM context_bounds WHERE article_id = ?", (article_id,))
        return gone.rowcount > 0
    value, evidence, how, level, anchor_id = found
    old = conn.execute(
        "SELECT not_before, evidence, how, level, anchor_id FROM context_bounds "
        "WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    if old is not None and tuple(old) == found:
        return False  # unchanged: keep its time stamp
    conn.execute(
        "INSERT OR REPLACE INTO context_bounds (article_id, not_before, evidence, how, level, "
        "anchor_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (article_id, value, evidence, how, level, anchor_id, now()),
    )
    return True
