"""Years for year-less dates of undated articles, from the dated articles around them.

An undated reprint often says "announced ... on September 7" and never the year. Alone, the date
stage cannot use that (`storyline.extract.dates.yearless_mentions` keeps such mentions in
``extras["yearless_dates"]``). Once the article is stored, its *context* can: a dated copy of the
same text, a dated article of the same story, or failing those a dated article of the same
storyline. `resolve_yearless_bounds` takes the median publication date D of the closest context
that has any, gives each year-less mention the year (D.year - 1, D.year or D.year + 1) that puts
it nearest to D, and raises the article's ``date_not_before`` to the latest resolved mention when
that is later than the bound its text gave on its own. It never sets a publication date.

It runs as an ingest after-write hook, after copies and stories, in one ``BEGIN IMMEDIATE``
transaction, and is idempotent: the text-only bound is kept in ``extras["text_bound"]`` the first
time it is raised, so running again computes the same value and writes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from storyline.article import Article
from storyline.store.db import now, transaction

__all__ = ["context_dates", "resolve_year", "resolve_yearless_bounds"]

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


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def _dated(conn: sqlite3.Connection, ids: Iterable[str]) -> list[tuple[str, str]]:
    """(day, id) of the articles among ``ids`` that have a day-precise publication date."""
    ids = sorted(set(ids))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT id, substr(published, 1, 10) AS day FROM articles WHERE id IN ({marks}) "
        "AND published IS NOT NULL AND length(published) >= 10",
        ids,
    ).fetchall()
    return sorted((r["day"], r["id"]) for r in rows)


def _copy_ids(conn: sqlite3.Connection, article_id: str) -> list[str]:
    if not _has_table(conn, "copy_links"):
        return []
    rows = conn.execute(
        "SELECT b AS other FROM copy_links WHERE a = ? UNION SELECT a FROM copy_links WHERE b = ?",
        (article_id, article_id),
    ).fetchall()
    return [r[0] for r in rows]


def _story_ids(conn: sqlite3.Connection, article_id: str) -> list[str]:
    if not _has_table(conn, "story_articles"):
        return []
    rows = conn.execute(
        "SELECT o.article_id FROM story_articles s JOIN story_articles o "
        "ON o.story_id = s.story_id WHERE s.article_id = ? AND o.article_id != ?",
        (article_id, article_id),
    ).fetchall()
    return [r[0] for r in rows]


def _storyline_ids(conn: sqlite3.Connection, article_id: str) -> list[str]:
    if not (_has_table(conn, "story_articles") and _has_table(conn, "storyline_stories")):
        return []
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


def _targets(conn: sqlite3.Connection, batch: Sequence[Article]) -> list[str]:
    """Undated stored articles with year-less mentions that this batch may give context to:
    those in the batch, and those linked to it by a copy link or a shared story."""
    ids = {a.id for a in batch if a.id}
    near = set(ids)
    for article_id in ids:
        near.update(_copy_ids(conn, article_id))
        near.update(_story_ids(conn, article_id))
    if not near:
        return []
    found: list[str] = []
    ordered = sorted(near)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT id FROM articles WHERE id IN ({marks}) AND published IS NULL "
            "AND json_extract(data, '$.extras.yearless_dates') IS NOT NULL",
            chunk,
        ).fetchall()
        found += [r[0] for r in rows]
    return sorted(found)


def _new_bound(
    data: dict[str, Any], text_bound: dict[str, Any], level: str, dated: list[tuple[str, str]]
) -> tuple[str, str, str] | None:
    """(bound, evidence, provenance) when the context raises the text bound, else None."""
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
    current = text_bound.get("value")
    if current and current >= best[0].isoformat():
        return None
    how = f"text-bound, year from {level} context: {anchor_id} ({day})"
    return best[0].isoformat(), best[1], how


def resolve_yearless_bounds(store: Any, articles: Sequence[Article]) -> dict[str, str]:
    """Raise the lower bounds of undated articles whose year-less dates the context resolves.

    An ingest ``after_write`` hook (after `update_copies` and `update_stories`, whose tables it
    reads). Returns {article id: new date_not_before} for the bounds it changed; the in-memory
    articles of the batch are updated too, so later hooks see the same values as the store.
    """
    changed: dict[str, str] = {}
    by_id = {a.id: a for a in articles if a.id}
    with transaction(store.conn) as conn:
        for article_id in _targets(conn, list(by_id.values())):
            row = conn.execute(
                "SELECT date_not_before, date_bound_evidence, data FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            data = json.loads(row["data"])
            extras = data.setdefault("extras", {})
            provenance = data.setdefault("provenance", {})
            text_bound = extras.get("text_bound")
            if text_bound is None:  # the bound as the text alone gave it
                text_bound = {
                    "value": row["date_not_before"],
                    "evidence": row["date_bound_evidence"],
                    "provenance": provenance.get("date_not_before"),
                    "precision": extras.get("date_bound_precision"),
                }
            level, dated = context_dates(conn, article_id)
            found = _new_bound(data, text_bound, level, dated) if dated else None
            if found is None:
                value, evidence = text_bound["value"], text_bound["evidence"]
                how, precision = text_bound["provenance"], text_bound["precision"]
            else:
                value, evidence, how = found
                precision = "day"
            if value == row["date_not_before"] and how == provenance.get("date_not_before"):
                continue  # idempotent: nothing to write
            if found is None:
                extras.pop("text_bound", None)
            else:
                extras["text_bound"] = text_bound
            _set(provenance, "date_not_before", how)
            _set(extras, "date_bound_precision", precision)
            conn.execute(
                "UPDATE articles SET date_not_before = ?, date_bound_evidence = ?, data = ?, "
                "updated_at = ? WHERE id = ?",
                (value, evidence, json.dumps(data, ensure_ascii=False), now(), article_id),
            )
            changed[article_id] = value
            article = by_id.get(article_id)
            if article is not None:
                article.date_not_before, article.date_bound_evidence = value, evidence
                article.extras = extras
                article.provenance = provenance
    return changed


def _set(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value
