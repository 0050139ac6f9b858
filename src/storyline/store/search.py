"""Full-text search: SQLite FTS5 with BM25 ranking, snippets, phrases, boolean queries, filters.

Queries use FTS5 syntax ("exact phrase", AND, OR, NOT, prefix*, parentheses). Words FTS5 cannot
take bare (hyphenated names such as Kazemi-Qomi, apostrophes as in Da'ish) are quoted for the
user, so analysts can type names as they read them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from storyline.errors import QueryError
from storyline.store import search_snippets, search_topk

_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_BARE = re.compile(r"^[\w]+\*?$", re.UNICODE)

#: BM25 column weights: a match in the title counts five times a match in the text.
TITLE_WEIGHT = 5.0
TEXT_WEIGHT = 1.0
#: Rank from the kept search index when it can answer (`storyline.store.search_topk`); the
#: benchmark switches it off to measure FTS5 alone.
USE_KEPT_INDEX = True


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
    """Quote the words FTS5 cannot parse bare, leaving operators and phrases alone.

    An odd number of double quotes is refused rather than guessed at: dropping the stray quote
    would silently search for something else than the analyst typed.
    """
    if query.count('"') % 2:
        raise QueryError(
            f"cannot search for {query!r}: a double quote is not closed; "
            'write a phrase as "two words"',
            code="E800",
        )
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
        "ORDER BY score, articles_fts.rowid LIMIT ? OFFSET ?"
    )
    params.extend([limit, offset])
    try:
        kept = None
        if USE_KEPT_INDEX and len(where) == 1:
            # no filter: the kept index ranks exactly, without scoring every match
            kept = search_topk.top(conn, fts_query, offset + limit, (TITLE_WEIGHT, TEXT_WEIGHT))
        ranked: list[Any]
        if kept is not None:
            ranked = [{"rid": rid, "score": score} for rid, score in kept[offset:]]
        else:
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
        if USE_KEPT_INDEX:
            snippets = search_snippets.snippets(conn, fts_query, rowids, "[", "]")
        else:
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


# -- matching sets, for facets and browsing ------------------------------------------------------

#: Snippet markers that cannot occur in cleaned text, so a literal "[" is never taken for a hit.
HIT_START = "\x02"
HIT_END = "\x03"
#: How an article's day is read for date filters: its date, else its bound as readers see it.
DAY = "COALESCE(substr(a.published, 1, 10), b.not_before)"


@dataclass
class MatchFilters:
    """Filters on the set of matching articles; actors, places and story are already resolved
    to ids (`storyline.analysis.search` resolves what an analyst typed)."""

    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    agency: str | None = None
    language: str | None = None
    actor_ids: Sequence[str] = ()
    geonameids: Sequence[int] = ()
    country: str | None = None
    story_id: str | None = None

    def sql(self) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        # outlet and language as sets read from their indexes: the columns come after the text
        # in an article row, so testing them on the row would read the text
        if self.outlet:
            where.append("a.rowid IN (SELECT rowid FROM articles WHERE outlet = ? COLLATE NOCASE)")
            params.append(self.outlet)
        if self.language:
            where.append("a.rowid IN (SELECT rowid FROM articles WHERE language = ?)")
            params.append(self.language)
        if self.agency:
            where.append(
                "a.id IN (SELECT article_id FROM article_agencies WHERE agency = ? COLLATE NOCASE)"
            )
            params.append(self.agency)
        if self.since:
            where.append(f"{DAY} >= ?")
            params.append(self.since)
        if self.until:
            where.append(f"{DAY} <= ?")
            params.append(self.until)
        if self.actor_ids:
            where.append(
                "a.id IN (SELECT article_id FROM mentions "
                "WHERE actor_id IN (SELECT value FROM json_each(?)))"
            )
            params.append(json.dumps(list(self.actor_ids)))
        if self.geonameids:
            where.append(
                "a.id IN (SELECT article_id FROM places "
                "WHERE geonameid IN (SELECT value FROM json_each(?)))"
            )
            params.append(json.dumps([int(g) for g in self.geonameids]))
        if self.country:
            where.append("a.id IN (SELECT article_id FROM places WHERE country = ?)")
            params.append(self.country)
        if self.story_id:
            where.append("a.id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
            params.append(self.story_id)
        return where, params


def match_all(
    conn: sqlite3.Connection,
    fts_query: str | None,
    filters: MatchFilters,
    *,
    limit: int | None = None,
    ids: Sequence[str] | None = None,
) -> list[tuple[int, str, float | None]]:
    """Matching articles as (rowid, id, score), best first: by BM25 for a text query, newest
    first (undated by their bound, then the undatable) when only filters are given.

    ``limit`` keeps the best ``limit`` (the search page asks for a bounded window, never the
    whole set); ``ids`` restricts the answer to those articles (is this copy a match too?),
    answered from the articles' primary key, one FTS lookup each, whatever the query matches.
    Only rowids, ids and scores are read (no text).
    """
    where, params = filters.sql()
    if fts_query and not where and USE_KEPT_INDEX and (limit is not None or ids is not None):
        kept = _match_kept(conn, fts_query, limit=limit, ids=ids)
        if kept is not None:
            return kept
    # the bound is read only when a date filter or the date order needs it (it reads the row's
    # columns after the text)
    dated = bool(filters.since or filters.until or not fts_query)
    join = "JOIN article_bounds b ON b.article_id = a.id" if dated else ""
    if ids is not None:
        if not ids:
            return []
        where = ["a.id IN (SELECT value FROM json_each(?))", *where]
        params = [json.dumps(list(ids)), *params]
    tail = f" LIMIT {int(limit)}" if limit is not None else ""
    if fts_query:
        # with ``ids`` the articles drive (CROSS JOIN keeps that order): a rowid lookup in the
        # FTS index per article instead of a pass over every match
        source = (
            f"articles a CROSS JOIN articles_fts ON articles_fts.rowid = a.rowid {join}"
            if ids is not None
            else f"articles_fts JOIN articles a ON a.rowid = articles_fts.rowid {join}"
        )
        sql = (
            f"SELECT a.rowid, a.id, bm25(articles_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS score "
            f"FROM {source} WHERE {' AND '.join(['articles_fts MATCH ?', *where])} "
            f"ORDER BY score, a.id{tail}"
        )
        params = [fts_query, *params]
    else:
        sql = (
            f"SELECT a.rowid, a.id, NULL AS score FROM articles a {join} "
            + (f"WHERE {' AND '.join(where)} " if where else "")
            + f"ORDER BY {DAY} IS NULL, {DAY} DESC, a.id{tail}"
        )
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(
            f"cannot search for {fts_query!r}: {exc}. Check quotes and operators "
            "(AND, OR, NOT must be upper case)."
        ) from exc
    return [(r[0], r[1], None if r[2] is None else round(-float(r[2]), 3)) for r in rows]


def _match_kept(
    conn: sqlite3.Connection,
    fts_query: str,
    *,
    limit: int | None,
    ids: Sequence[str] | None,
) -> list[tuple[int, str, float | None]] | None:
    """`match_all` without filters, from the kept search index: the same rows, scores and order
    (score, then id); None when FTS5 must answer."""
    found = search_topk.rank(conn, fts_query, (TITLE_WEIGHT, TEXT_WEIGHT))
    if found is None:
        return None
    if ids is not None:
        if not ids:
            return []
        pairs = conn.execute(
            "SELECT rowid, id FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        ).fetchall()
        rowids = np.array(sorted(int(r[0]) for r in pairs), dtype=np.int64)
        scores = found.of(rowids)
        id_of = {int(r[0]): str(r[1]) for r in pairs}
        rows = [(r, id_of[r], score) for r, score in scores.items()]
    else:
        picked = found.best(limit if limit is not None else len(found.rowids))
        rowids = found.rowids[picked]
        id_of = {
            int(r[0]): str(r[1])
            for r in conn.execute(
                "SELECT rowid, id FROM articles WHERE rowid IN (SELECT value FROM json_each(?))",
                (json.dumps(rowids.tolist()),),
            )
        }
        bm25 = (-1.0 * found.scores[picked]).tolist()
        rows = [(r, id_of[r], b) for r, b in zip(rowids.tolist(), bm25, strict=True)]
    rows.sort(key=lambda r: (r[2], r[1]))
    if limit is not None:
        rows = rows[:limit]
    return [(r, i, round(-float(b), 3)) for r, i, b in rows]


def count_matches(conn: sqlite3.Connection, fts_query: str | None, filters: MatchFilters) -> int:
    """How many articles match: exact, and cheap (FTS5 counts its doclists, or the kept index
    answers without filters; filters join the article rows without reading text or computing
    scores)."""
    where, params = filters.sql()
    if fts_query and not where and USE_KEPT_INDEX:
        found = search_topk.rank(conn, fts_query, (TITLE_WEIGHT, TEXT_WEIGHT))
        if found is not None:
            return len(found.rowids)
    if fts_query:
        if not where:
            sql = "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?"
        else:
            dated = bool(filters.since or filters.until)
            sql = (
                "SELECT COUNT(*) FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                + ("JOIN article_bounds b ON b.article_id = a.id " if dated else "")
                + f"WHERE {' AND '.join(['articles_fts MATCH ?', *where])}"
            )
        params = [fts_query, *params]
    else:
        sql = "SELECT COUNT(*) FROM articles a JOIN article_bounds b ON b.article_id = a.id " + (
            f"WHERE {' AND '.join(where)}" if where else ""
        )
    try:
        return int(conn.execute(sql, params).fetchone()[0])
    except sqlite3.OperationalError as exc:
        raise QueryError(
            f"cannot search for {fts_query!r}: {exc}. Check quotes and operators "
            "(AND, OR, NOT must be upper case)."
        ) from exc


def hit_rows(
    conn: sqlite3.Connection, rowids: Sequence[int], fts_query: str | None
) -> dict[int, dict[str, Any]]:
    """Listing fields, story and a snippet for a page's articles, by rowid. With a text query
    the snippet marks the hits with `HIT_START` / `HIT_END`; without one it is the lead."""
    if not rowids:
        return {}
    ids = json.dumps(list(rowids))
    rows = {
        r["rowid"]: dict(r)
        for r in conn.execute(
            "SELECT a.rowid, a.id, a.title, a.outlet, a.published, "
            "b.not_before AS date_not_before, a.language, s.story_id, t.title AS story_title, "
            "substr(a.text, 1, 240) AS lead FROM articles a "
            "JOIN article_bounds b ON b.article_id = a.id "
            "LEFT JOIN story_articles s ON s.article_id = a.id "
            "LEFT JOIN stories t ON t.id = s.story_id "
            "WHERE a.rowid IN (SELECT value FROM json_each(?))",
            (ids,),
        )
    }
    snippets: dict[int, str] = {}
    if fts_query and USE_KEPT_INDEX:
        snippets = search_snippets.snippets(conn, fts_query, list(rowids), HIT_START, HIT_END)
    elif fts_query:
        snippets = dict(
            conn.execute(
                f"SELECT rowid, snippet(articles_fts, 1, '{HIT_START}', '{HIT_END}', ' … ', 16) "
                "FROM articles_fts WHERE articles_fts MATCH ? "
                "AND rowid IN (SELECT value FROM json_each(?))",
                (fts_query, ids),
            ).fetchall()
        )
    for rowid, row in rows.items():
        lead = row.pop("lead") or ""
        row["snippet"] = snippets.get(rowid) or (lead if len(lead) < 240 else lead[:239] + "…")
    return rows


#: How many values each facet lists (the largest).
FACET_SIZE = 12
#: How many of the best-ranked matches the facets count over: a word that matches most of the
#: store would otherwise cost a pass over every match's mentions, places and stories. The answer
#: says when the counts cover fewer matches than there are (``facets_sample``).
FACET_SAMPLE = 500


def facet_counts(
    conn: sqlite3.Connection, article_ids: Sequence[str], size: int = FACET_SIZE
) -> dict[str, list[dict[str, Any]]]:
    """Counts of matching articles by month, outlet, agency, language, linked actor, place and
    story, over the matches in ``article_ids`` (the caller bounds them: `FACET_SAMPLE`). Each value
    counts an article once."""
    ids = json.dumps(list(article_ids))
    # by id, not rowid: the covering index articles_listing answers outlet, dates and language
    # without reading the article rows (their text comes first)
    matched = "a.id IN (SELECT value FROM json_each(?))"

    def rows(sql: str, limit: int | None = size) -> list[dict[str, Any]]:
        tail = f" LIMIT {int(limit)}" if limit else ""
        return [dict(r) for r in conn.execute(sql + tail, (ids,))]

    return {
        "months": rows(
            f"SELECT COALESCE(substr({DAY}, 1, 7), 'undated') AS value, "
            "SUM(a.published IS NOT NULL) AS dated, SUM(a.published IS NULL) AS bounded, "
            "COUNT(*) AS articles FROM articles a "
            f"JOIN article_bounds b ON b.article_id = a.id WHERE {matched} "
            "GROUP BY value ORDER BY value = 'undated', value",
            None,
        ),
        "outlet": rows(
            "SELECT a.outlet AS value, COALESCE(a.outlet, '(unknown)') AS label, "
            f"COUNT(*) AS articles FROM articles a WHERE {matched} "
            "GROUP BY a.outlet COLLATE NOCASE ORDER BY articles DESC, label"
        ),
        "agency": rows(
            "SELECT g.agency AS value, g.agency AS label, COUNT(*) AS articles "
            f"FROM article_agencies g JOIN articles a ON a.id = g.article_id WHERE {matched} "
            "GROUP BY g.agency COLLATE NOCASE ORDER BY articles DESC, label"
        ),
        "language": rows(
            "SELECT a.language AS value, COALESCE(a.language, 'und') AS label, "
            f"COUNT(*) AS articles FROM articles a WHERE {matched} "
            "GROUP BY a.language ORDER BY articles DESC, label"
        ),
        "actor": rows(
            "SELECT m.actor_id AS value, x.name AS label, x.type AS type, "
            "COUNT(DISTINCT m.article_id) AS articles FROM mentions m "
            "JOIN articles a ON a.id = m.article_id JOIN actors x ON x.id = m.actor_id "
            f"WHERE {matched} GROUP BY m.actor_id ORDER BY articles DESC, label"
        ),
        "place": rows(
            "SELECT p.geonameid AS value, p.canonical AS label, p.country AS country, "
            "COUNT(DISTINCT p.article_id) AS articles FROM places p "
            f"JOIN articles a ON a.id = p.article_id WHERE {matched} "
            "GROUP BY p.geonameid ORDER BY articles DESC, label"
        ),
        "story": rows(
            "SELECT s.story_id AS value, t.title AS label, COUNT(*) AS articles "
            "FROM story_articles s JOIN articles a ON a.id = s.article_id "
            f"JOIN stories t ON t.id = s.story_id WHERE {matched} "
            "GROUP BY s.story_id ORDER BY articles DESC, label"
        ),
    }
