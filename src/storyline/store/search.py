"""Full-text search: SQLite FTS5 with BM25 ranking, snippets, phrases, boolean queries, filters.

Queries use FTS5 syntax ("exact phrase", AND, OR, NOT, prefix*, parentheses). Words FTS5 cannot
take bare (hyphenated names such as Kazemi-Qomi, apostrophes as in Da'ish) are quoted for the
user, so analysts can type names as they read them.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from storyline.errors import QueryError

_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_BARE = re.compile(r"^[\w]+\*?$", re.UNICODE)

#: BM25 column weights: a match in the title counts five times a match in the text.
TITLE_WEIGHT = 5.0
TEXT_WEIGHT = 1.0


@dataclass
class Hit:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    date_not_before: str | None
    language: str | None
    snippet: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def to_fts_query(query: str) -> str:
    """Quote the words FTS5 cannot parse bare, leaving operators and phrases alone."""
    parts: list[str] = []
    for token in _TOKEN.findall(query):
        if token.startswith('"') or token in ("(", ")") or token in _OPERATORS:
            parts.append(token)
        elif _BARE.match(token):
            parts.append(token)
        else:
            cleaned = token.replace('"', "")
            star = cleaned.endswith("*")
            inner = cleaned.rstrip("*")
            parts.append(f'"{inner}"' + ("*" if star else ""))
    return " ".join(parts)


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 10,
    offset: int = 0,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    agency: str | None = None,
    language: str | None = None,
) -> list[Hit]:
    """Best matches first. Dates filter on the publication date, or the lower bound if undated.

    Two steps, because SQLite materialises every selected column of every match before the sort:
    first the matches are ranked on the FTS index alone (rowid and BM25 score; outlet, language
    and agency filters are rowid sets read from their indexes, and the articles table is joined
    only for a date filter), then titles, dates and snippets are read for the ``limit`` winners
    only. A word matching most of the store then costs a pass over its index entries and a score
    for each, not a read of every matching article and a snippet for each.
    """
    if not query.strip():
        raise QueryError('empty query: give words, a "phrase", or a boolean query')
    fts_query = to_fts_query(query)
    where = ["articles_fts MATCH ?"]
    params: list[Any] = [fts_query]
    # Outlet, language and agency are answered from their indexes as a set of rowids, checked
    # before the score is computed; only the date needs the article row (no index covers it).
    # The unary + keeps SQLite from driving the FTS table by that set, one lookup per rowid.
    member = "+articles_fts.rowid IN ({})"
    if outlet:
        where.append(member.format("SELECT rowid FROM articles WHERE outlet = ? COLLATE NOCASE"))
        params.append(outlet)
    if language:
        where.append(member.format("SELECT rowid FROM articles WHERE language = ?"))
        params.append(language)
    if agency:
        where.append(
            member.format(
                "SELECT a.rowid FROM article_agencies g JOIN articles a ON a.id = g.article_id "
                "WHERE g.agency = ? COLLATE NOCASE"
            )
        )
        params.append(agency)
    # an undated article by its bound as readers see it (its text's, or its context's if later)
    day = "COALESCE(substr(a.published, 1, 10), b.not_before)"
    if since:
        where.append(f"{day} >= ?")
        params.append(since)
    if until:
        where.append(f"{day} <= ?")
        params.append(until)
    join = (
        "JOIN articles a ON a.rowid = articles_fts.rowid "
        "JOIN article_bounds b ON b.article_id = a.id "
        if since or until
        else ""
    )
    rank_sql = (
        f"SELECT articles_fts.rowid AS rid, bm25(articles_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}) "
        f"AS score FROM articles_fts {join}WHERE {' AND '.join(where)} "
        "ORDER BY score LIMIT ? OFFSET ?"
    )
    params.extend([limit, offset])
    try:
        ranked = conn.execute(rank_sql, params).fetchall()
        if not ranked:
            return []
        rowids = [r["rid"] for r in ranked]
        marks = ",".join("?" * len(rowids))
        rows = {
            r["rowid"]: r
            for r in conn.execute(
                "SELECT a.rowid, a.id, a.title, a.outlet, a.published, "
                "b.not_before AS date_not_before, a.language FROM articles a "
                f"JOIN article_bounds b ON b.article_id = a.id WHERE a.rowid IN ({marks})",
                rowids,
            )
        }
        snippets = dict(
            conn.execute(
                "SELECT rowid, snippet(articles_fts, 1, '[', ']', ' … ', 16) FROM articles_fts "
                f"WHERE articles_fts MATCH ? AND rowid IN ({marks})",
                [fts_query, *rowids],
            ).fetchall()
        )
    except sqlite3.OperationalError as exc:
        raise QueryError(
            f"cannot search for {query!r}: {exc}. Check quotes and operators "
            "(AND, OR, NOT must be upper case)."
        ) from exc
    hits = []
    for r in ranked:
        a = rows[r["rid"]]
        hits.append(
            Hit(
                a["id"],
                a["title"],
                a["outlet"],
                a["published"],
                a["date_not_before"],
                a["language"],
                snippets[r["rid"]],
                round(-float(r["score"]), 3),
            )
        )
    return hits
