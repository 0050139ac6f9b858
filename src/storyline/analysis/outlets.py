"""Outlets: who publishes how much, in which languages, carrying which agencies, and who copies
whom.

Copy direction comes from the copy links (`storyline.store.copies`): a link whose ``first`` is
known says which article had the text first, so the other outlet copied it; a link whose order
could not be told is reported as shared text with no direction, and partial reuse (a shared
background paragraph) is kept apart from copying, as it does not make two reports one source.
The per-outlet-pair counts are kept by the ``count_outlet_copies`` update step
(`storyline.store.outlet_copies`), so a page reads them instead of every link of the outlet.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from storyline.errors import NotFound
from storyline.store.outlet_copies import outlet_pairs

__all__ = ["list_outlets", "outlet_profile"]


def list_outlets(
    conn: sqlite3.Connection, *, limit: int | None = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Outlets by article count: first and last dated article, undated articles, languages.
    Articles with no known outlet are left out (they have no page to open). Read from the day
    totals the ``count_volume`` step keeps (`storyline.store.volume`), not from every article."""
    sql = (
        "SELECT outlet, SUM(articles) AS articles, "
        "MIN(CASE WHEN kind = 'dated' THEN day END) AS first, "
        "MAX(CASE WHEN kind = 'dated' THEN day END) AS last, "
        "SUM(CASE WHEN kind != 'dated' THEN articles ELSE 0 END) AS undated, "
        "group_concat(DISTINCT language) AS languages FROM volume_days "
        "WHERE outlet IS NOT NULL AND outlet != '' GROUP BY outlet "
        "ORDER BY articles DESC, outlet" + (" LIMIT ? OFFSET ?" if limit is not None else "")
    )
    params = [int(limit), int(offset)] if limit is not None else []
    rows = []
    for r in conn.execute(sql, params):
        row = dict(r)
        row["languages"] = sorted((row["languages"] or "").split(",")) if row["languages"] else []
        rows.append(row)
    return rows


def outlet_profile(conn: sqlite3.Connection, outlet: str) -> dict[str, Any]:
    """One outlet: article counts, articles per week, languages, the agencies it carries, and
    copy relations with other outlets: ``copies`` (outlets whose text it published later),
    ``copied_by`` (outlets that published its text later), ``shares_text`` (same text, order not
    known) and ``partial`` (paragraphs in common, not the same report), each with its links
    (``pairs``) and the ``first`` and ``last`` day text passed (the later article's day). Outlet
    names match case-insensitively."""
    row = conn.execute(
        "SELECT outlet, COUNT(*) AS articles, MIN(substr(published, 1, 10)) AS first, "
        "MAX(substr(published, 1, 10)) AS last, SUM(published IS NULL) AS undated "
        "FROM articles WHERE outlet = ? COLLATE NOCASE GROUP BY outlet ORDER BY COUNT(*) DESC",
        (outlet,),
    ).fetchone()
    if row is None:
        raise NotFound(outlet, f"no outlet {outlet!r} (see `storyline outlets` or /outlets)")
    name = row["outlet"]
    weeks = [
        dict(r)
        for r in conn.execute(
            "SELECT date(substr(published, 1, 10), 'weekday 0', '-6 days') AS week, "
            "COUNT(*) AS articles FROM articles WHERE outlet = ? AND published IS NOT NULL "
            "GROUP BY week ORDER BY week",
            (name,),
        )
    ]
    languages = [
        dict(r)
        for r in conn.execute(
            "SELECT COALESCE(language, 'unknown') AS language, COUNT(*) AS articles "
            # +language: group on the outlet's covering index, not by walking the language index
            "FROM articles WHERE outlet = ? GROUP BY +language ORDER BY articles DESC, language",
            (name,),
        )
    ]
    agencies = [
        dict(r)
        for r in conn.execute(
            "SELECT g.agency, COUNT(*) AS articles FROM article_agencies g "
            "JOIN articles a ON a.id = g.article_id WHERE a.outlet = ? "
            "GROUP BY g.agency ORDER BY articles DESC, g.agency",
            (name,),
        )
    ]
    links = outlet_pairs(conn, name)

    def pick(direction: str, partial: bool) -> list[dict[str, Any]]:
        return [
            {
                "outlet": r["other"],
                "kind": r["kind"],
                "pairs": r["pairs"],
                "first": r["first"],
                "last": r["last"],
            }
            for r in links
            if (r["kind"] == "partial") == partial and (partial or r["direction"] == direction)
        ]

    return {
        "outlet": name,
        "articles": row["articles"],
        "first": row["first"],
        "last": row["last"],
        "undated": row["undated"],
        "weeks": weeks,
        "languages": languages,
        "agencies": agencies,
        "copies": pick("copied", False),
        "copied_by": pick("original", False),
        "shares_text": pick("unordered", False),
        "partial": pick("", True),
    }
