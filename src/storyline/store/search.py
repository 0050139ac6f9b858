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

from storyline.errors import StorylineError

_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_BARE = re.compile(r"^[\w]+\*?$", re.UNICODE)

#: BM25 column weights: a match in the title counts five times a match in the text.
TITLE_WEIGHT = 5.0
TEXT_WEIGHT = 1.0


class QueryError(StorylineError):
    code = "E600"


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
    """Best matches first. Dates filter on the publication date, or the lower bound if undated."""
    if not query.strip():
        raise QueryError("empty query: give words, a \"phrase\", or a boolean query")
    where = ["articles_fts MATCH ?"]
    params: list[Any] = [to_fts_query(query)]
    day = "COALESCE(substr(a.published, 1, 10), a.date_not_before)"
    if since:
        where.append(f"{day} >= ?")
        params.append(since)
    if until:
        where.append(f"{day} <= ?")
        params.append(until)
    if outlet:
        where.append("a.outlet = ? COLLATE NOCASE")
        params.append(outlet)
    if language:
        where.append("a.language = ?")
        params.append(language)
    if agency:
        where.append(
            "EXISTS (SELECT 1 FROM article_agencies g WHERE g.article_id = a.id "
            "AND g.agency = ? COLLATE NOCASE)"
        )
        params.append(agency)
    sql = (
        "SELECT a.id, a.title, a.outlet, a.published, a.date_not_before, a.language, "
        "snippet(articles_fts, 1, '[', ']', ' … ', 16) AS snip, "
        f"bm25(articles_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS score "
        "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
        f"WHERE {' AND '.join(where)} ORDER BY score LIMIT ? OFFSET ?"
    )
    params.extend([limit, offset])
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"cannot search for {query!r}: {exc}. Check quotes and operators "
                         "(AND, OR, NOT must be upper case).") from exc
    return [
        Hit(r["id"], r["title"], r["outlet"], r["published"], r["date_not_before"],
            r["language"], r["snip"], round(-float(r["score"]), 3))
        for r in rows
    ]
