"""Searching articles: BM25 text search and browsing by actor, place or story, with facets.

One function, `search_articles`, answers `storyline search --json`, ``GET /api/v1/search`` and the
search page, so the three cannot drift apart. What an analyst types for an actor (any spelling,
alias or id), a place (a name, a GeoNames id or a country code) or a story (an id or a unique
prefix) is resolved here, and the answer says what it resolved to: a filter that silently matched
something else would be worse than no filter.

Copies are folded under their original (exact reprints and edited wire copy, as copy detection
found them), so ten reprints of one wire story are one result with ten copies, not a page of the
same text; pages are cut from these results with an opaque cursor.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from storyline.analysis.actors import match_actor
from storyline.analysis.filters import check_day
from storyline.analysis.paging import decode_cursor, encode_cursor
from storyline.errors import NotFound, QueryError
from storyline.store.copies import copies_among
from storyline.store.search import (
    HIT_END,
    HIT_START,
    MatchFilters,
    facet_counts,
    hit_rows,
    match_all,
    to_fts_query,
)

#: The filters, in the order the CLI options, the API parameters and the page's URL name them.
FILTERS = ("since", "until", "outlet", "agency", "language", "actor", "place", "story")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def resolve_actor(conn: sqlite3.Connection, given: str) -> dict[str, Any]:
    """The linked actor ``given`` names (any spelling, alias or id; `match_actor` refuses an
    ambiguous name with E802), with the ids whose mentions count as its mentions (itself and the
    actors merged into it)."""
    found = match_actor(conn, given)
    actor_id = found["id"]
    merged = conn.execute("SELECT id FROM actors WHERE merged_into = ?", (actor_id,)).fetchall()
    return {
        "given": given,
        "id": actor_id,
        "name": found["name"],
        "type": found["type"],
        "by": found["by"],
        "ids": [actor_id, *sorted(r[0] for r in merged)],
    }


def resolve_place(conn: sqlite3.Connection, given: str) -> dict[str, Any]:
    """A place by GeoNames id, by name (as resolved or as written), or a two-letter country code
    (every place in that country). Two different places of one name are refused, with their ids."""
    text = given.strip()
    if text.isdigit():
        rows = conn.execute(
            "SELECT DISTINCT geonameid, canonical, kind, country FROM places WHERE geonameid = ?",
            (int(text),),
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT DISTINCT geonameid, canonical, kind, country FROM places "
            "WHERE canonical = ? COLLATE NOCASE OR name = ? COLLATE NOCASE ORDER BY geonameid",
            (text, text),
        ).fetchall()
        exact = [r for r in rows if r["canonical"].casefold() == text.casefold()]
        rows = exact or rows
    if len(rows) == 1:
        r = rows[0]
        return {
            "given": given,
            "geonameid": r["geonameid"],
            "name": r["canonical"],
            "kind": r["kind"],
            "country": r["country"],
        }
    if len(rows) > 1:
        choices = ", ".join(
            f"{r['canonical']} ({r['kind']}, {r['country']}, id {r['geonameid']})" for r in rows[:6]
        )
        raise QueryError(f"place {given!r} is ambiguous: {choices}; give the id", code="E802")
    if _COUNTRY.match(text):
        code = text.upper()
        if conn.execute("SELECT 1 FROM places WHERE country = ? LIMIT 1", (code,)).fetchone():
            return {"given": given, "geonameid": None, "name": code, "kind": "country code",
                    "country": code}  # fmt: skip
    raise NotFound(given, f"no place {given!r} in any article (see /places)")


def resolve_story(conn: sqlite3.Connection, given: str) -> dict[str, Any]:
    """A story by id or unique id prefix (with or without ``st_``)."""
    text = given.strip()
    bare = text.removeprefix("st_")
    like = ("st_" + bare).replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
    rows = conn.execute(
        "SELECT id, title FROM stories WHERE id = ? OR id = ? OR id LIKE ? ESCAPE '\\' "
        "ORDER BY id != ?, id != ? LIMIT 3",
        (text, "st_" + bare, like, text, "st_" + bare),
    ).fetchall()
    exact = [r for r in rows if r["id"] in (text, "st_" + bare)]
    if exact or len(rows) == 1:
        r = (exact or rows)[0]
        return {"given": given, "id": r["id"], "title": r["title"]}
    if rows:
        raise QueryError(
            f"story {given!r} is ambiguous: {', '.join(r['id'] for r in rows)}…; give more of it",
            code="E802",
        )
    raise NotFound(given, f"no story {given!r} (see /stories or `storyline stories`)")


def _highlights(marked: str) -> tuple[str, list[list[int]]]:
    """Plain snippet text and the [start, end] of each hit in it."""
    plain: list[str] = []
    spans: list[list[int]] = []
    pos = 0
    start = -1
    for ch in marked:
        if ch == HIT_START:
            start = pos
        elif ch == HIT_END:
            if 0 <= start < pos:
                spans.append([start, pos])
            start = -1
        else:
            plain.append(ch)
            pos += 1
    return "".join(plain), spans


def _item(row: dict[str, Any], score: float | None) -> dict[str, Any]:
    snippet, highlights = _highlights(row["snippet"])
    return {
        "id": row["id"],
        "title": row["title"],
        "outlet": row["outlet"],
        "published": row["published"],
        "date_not_before": row["date_not_before"],
        "language": row["language"],
        "score": score,
        "snippet": snippet,
        "highlights": highlights,
        "story_id": row["story_id"],
        "story_title": row["story_title"],
    }


def search_articles(
    conn: sqlite3.Connection,
    query: str = "",
    *,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    agency: str | None = None,
    language: str | None = None,
    actor: str | None = None,
    place: str | None = None,
    story: str | None = None,
    limit: int = 10,
    cursor: str | None = None,
    facets: bool = False,
) -> dict[str, Any]:
    """One page of results (originals with their copies folded under them), how many articles
    match in all, what each actor/place/story filter resolved to, and, with ``facets``, counts
    over every match (not just this page).

    ``query`` may be empty when an actor, place or story is given: then the page browses that
    facet, newest first. Raises `QueryError` for a bad query, date, cursor or ambiguous name and
    `NotFound` for a name that matches nothing.
    """
    query = (query or "").strip()
    if limit < 1:
        raise QueryError(f"limit must be at least 1, not {limit}", code="E803")
    if not query and not (actor or place or story):
        raise QueryError(
            'empty query: give words, a "phrase" or a boolean query, '
            "or an actor, place or story to browse"
        )
    given = {
        "since": check_day("since", since),
        "until": check_day("until", until),
        "outlet": outlet or None,
        "agency": agency or None,
        "language": language or None,
        "actor": actor or None,
        "place": place or None,
        "story": story or None,
    }
    filters = MatchFilters(
        since=given["since"],
        until=given["until"],
        outlet=given["outlet"],
        agency=given["agency"],
        language=given["language"],
    )
    resolved: dict[str, Any] = {}
    if actor:
        found = resolve_actor(conn, actor)
        filters.actor_ids = found.pop("ids")
        resolved["actor"] = found
    if place:
        resolved["place"] = found = resolve_place(conn, place)
        if found["geonameid"] is None:
            filters.country = found["country"]
        else:
            filters.geonameids = [found["geonameid"]]
    if story:
        resolved["story"] = found = resolve_story(conn, story)
        filters.story_id = found["id"]
    fts_query = to_fts_query(query) if query else None
    if query and not fts_query:
        raise QueryError(f"cannot search for {query!r}: no words in it")

    matches = match_all(conn, fts_query, filters)
    offset = decode_cursor(cursor, {"q": query, **given})
    groups = _fold_copies(conn, matches)
    page = groups[offset : offset + limit]
    scores = {m[1]: m[2] for m in matches}
    rowid_of = {m[1]: m[0] for m in matches}
    rows = hit_rows(conn, [rowid_of[i] for g in page for i in g["ids"]], fts_query)
    by_id = {r["id"]: r for r in rows.values()}
    items = []
    for group in page:
        original, *copies = group["ids"]
        item = _item(by_id[original], scores[original])
        item["copies"] = [{**_item(by_id[c], scores[c]), "kind": group["kinds"][c]} for c in copies]
        items.append(item)
    more = offset + limit < len(groups)
    answer: dict[str, Any] = {
        "query": query,
        "filters": {k: v for k, v in given.items() if v is not None},
        "resolved": resolved,
        "total": len(matches),
        "results": len(groups),
        "items": items,
        "next_cursor": encode_cursor(offset + limit, {"q": query, **given}) if more else None,
    }
    if facets:
        answer["facets"] = facet_counts(conn, [m[0] for m in matches])
    return answer


def _fold_copies(
    conn: sqlite3.Connection, matches: list[tuple[int, str, float | None]]
) -> list[dict[str, Any]]:
    """Matches grouped under their original, in the order of each group's best-ranked member.

    Only copies of another match fold (an original that does not match stays out of view: the
    copy is then a result of its own); a copy of a copy folds under the first original.
    """
    ids = [m[1] for m in matches]
    copy_of = copies_among(conn, ids)

    def root(article_id: str) -> str:
        seen = {article_id}
        while article_id in copy_of and copy_of[article_id]["of"] not in seen:
            article_id = copy_of[article_id]["of"]
            seen.add(article_id)
        return article_id

    groups: dict[str, dict[str, Any]] = {}
    for article_id in ids:
        top = root(article_id)
        group = groups.setdefault(top, {"ids": [top], "kinds": {}})
        if article_id != top:
            group["ids"].append(article_id)
            group["kinds"][article_id] = copy_of[article_id]["kind"]
    return list(groups.values())
