"""Searching articles: BM25 text search and browsing by actor, place or story, with facets.

One function, `search_articles`, answers `storyline search --json`, ``GET /api/v1/search`` and the
search page, so the three cannot drift apart. What an analyst types for an actor (any spelling,
alias or id), a place (a name, a GeoNames id or a country code) or a story (an id or a unique
prefix) is resolved here, and the answer says what it resolved to: a filter that silently matched
something else would be worse than no filter.

Copies are folded under their original (exact reprints and edited wire copy, as copy detection
found them), so ten reprints of one wire story are one result with ten copies, not a page of the
same text; pages are cut from these results with an opaque cursor.

The work per request is bounded, whatever the query matches: matches are ranked and cut in SQL
(a window of the best ones, `FOLD_WINDOW` or four times the page's reach, grown only when copies
folded it below the page), copies are folded for that window by following each article's own
copy links (an original or copy outside the window is checked by id, one FTS lookup each), and
facets count over the best `FACET_SAMPLE` matches. ``total`` stays exact (FTS5 counts cheaply);
the answer says when ``results`` (after folding) is an estimate and what the facets counted.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from storyline.analysis.actors import match_actor
from storyline.analysis.filters import check_day
from storyline.analysis.paging import decode_cursor, encode_cursor
from storyline.errors import NotFound, QueryError
from storyline.store.copies import copy_parents
from storyline.store.search import (
    FACET_SAMPLE,
    HIT_END,
    HIT_START,
    MatchFilters,
    count_matches,
    facet_counts,
    hit_rows,
    match_all,
    to_fts_query,
)

#: The fewest best-ranked matches folded for one page (more when the page is deep).
FOLD_WINDOW = 200
#: How far copy chains are followed (a copy of a copy of ...): copy detection's chains are short.
CHAIN_DEPTH = 8

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

    total = count_matches(conn, fts_query, filters)
    offset = decode_cursor(cursor, {"q": query, **given})
    need = offset + limit + 1  # the page's groups, and one more to know a next page exists
    folder = _Folder(conn, fts_query, filters)
    window = max(FOLD_WINDOW, 4 * need)
    # the facets count over the best FACET_SAMPLE: one ranked pass serves both (ranking every
    # match is the cost; the order is total, so the first ``window`` are the window's rows)
    reach = FACET_SAMPLE if facets else 0
    while True:
        fetched = match_all(conn, fts_query, filters, limit=max(window, reach))
        top = fetched[:window]
        complete = len(top) < window or len(top) >= total
        groups = folder.groups(top)
        if len(groups) >= need or complete:
            break
        window *= 4
    page = groups[offset : offset + limit]
    members = folder.members(page)
    ranked = match_all(conn, fts_query, filters, ids=[i for ids in members for i in ids])
    scores = {m[1]: m[2] for m in ranked}
    rank = {m[1]: n for n, m in enumerate(ranked)}
    rowid_of = {m[1]: m[0] for m in ranked}
    rows = hit_rows(conn, [m[0] for m in ranked], fts_query)
    by_id = {r["id"]: r for r in rows.values()}
    items = []
    for root, ids in zip(page, members, strict=True):
        copies = sorted((i for i in ids if i != root and i in rowid_of), key=rank.__getitem__)
        item = _item(by_id[root], scores[root])
        item["copies"] = [{**_item(by_id[c], scores[c]), "kind": folder.kind[c]} for c in copies]
        items.append(item)
    if complete:
        results, exact = len(groups), True
    else:
        # every match past the window counted as a result of its own: an upper bound
        seen = len(folder.parent)
        results, exact = len(groups) + max(0, total - seen), False
    answer: dict[str, Any] = {
        "query": query,
        "filters": {k: v for k, v in given.items() if v is not None},
        "resolved": resolved,
        "total": total,
        "results": results,
        "results_exact": exact,
        "items": items,
        "next_cursor": (
            encode_cursor(offset + limit, {"q": query, **given})
            if len(groups) > offset + limit
            else None
        ),
    }
    if facets:
        sample = top if len(top) <= FACET_SAMPLE and complete else fetched[:FACET_SAMPLE]
        answer["facets"] = facet_counts(conn, [m[1] for m in sample])
        answer["facets_sample"] = {
            "counted": len(sample),
            "total": total,
            "complete": len(sample) >= total,
        }
    return answer


class _Folder:
    """Folds ranked matches under their originals, reading only the copy links of the articles
    it is shown (and of their originals and copies), never those of every match.

    An article's original is the smallest-id article it copies (exact reprint or edited wire
    copy, as `copy_parents` reads the links) that also matches; its group is the end of that
    chain. Groups come in the order of their best-ranked member.
    """

    def __init__(
        self, conn: sqlite3.Connection, fts_query: str | None, filters: MatchFilters
    ) -> None:
        self.conn = conn
        self.fts_query = fts_query
        self.filters = filters
        #: article -> its original among the matches (None: it is an original); matches only
        self.parent: dict[str, str | None] = {}
        #: copy -> how it copies its original (exact, edited)
        self.kind: dict[str, str] = {}
        #: articles checked against the query: id -> matches or not
        self.matches: dict[str, bool] = {}

    def _check(self, ids: set[str]) -> None:
        unknown = sorted(i for i in ids if i not in self.matches)
        if not unknown:
            return
        hit = {m[1] for m in match_all(self.conn, self.fts_query, self.filters, ids=unknown)}
        for i in unknown:
            self.matches[i] = i in hit

    def _parents(self, ids: list[str]) -> None:
        """Give each of ``ids`` (matches) its original among the matches, up the chains."""
        todo = [i for i in ids if i not in self.parent]
        for i in todo:
            self.matches[i] = True
        for _ in range(CHAIN_DEPTH):
            if not todo:
                break
            links = copy_parents(self.conn, todo)
            self._check({o for found in links.values() for o, _ in found})
            up: list[str] = []
            for i in todo:
                found = [(o, k) for o, k in links.get(i, []) if self.matches.get(o)]
                if found:
                    original, kind = min(found)
                    self.parent[i], self.kind[i] = original, kind
                    if original not in self.parent:
                        up.append(original)
                else:
                    self.parent[i] = None
            todo = sorted(set(up))
        for i in todo:
            self.parent.setdefault(i, None)  # a chain deeper than CHAIN_DEPTH ends here

    def root(self, article_id: str) -> str:
        seen = {article_id}
        while (up := self.parent.get(article_id)) is not None and up not in seen:
            article_id = up
            seen.add(up)
        return article_id

    def groups(self, ranked: list[tuple[int, str, float | None]]) -> list[str]:
        """The groups' originals, in the order of each group's best-ranked member."""
        self._parents([m[1] for m in ranked])
        return list(dict.fromkeys(self.root(m[1]) for m in ranked))

    def members(self, roots: list[str]) -> list[list[str]]:
        """Every matching article of each group (ranked or not), the original first."""
        wanted = set(roots)
        found: dict[str, set[str]] = {r: {r} for r in roots}
        for article_id in list(self.parent):
            top = self.root(article_id)
            if top in wanted:
                found[top].add(article_id)
        frontier = sorted(set().union(*found.values())) if found else []
        for _ in range(CHAIN_DEPTH):
            if not frontier:
                break
            below = copy_parents(self.conn, frontier, reverse=True)
            fresh = {c for kids in below.values() for c, _ in kids if c not in self.parent}
            self._check(fresh)
            fresh = {c for c in fresh if self.matches[c]}
            self._parents(sorted(fresh))
            frontier = []
            for c in sorted(fresh):
                top = self.root(c)
                if top in wanted:
                    found[top].add(c)
                    frontier.append(c)
        return [[r, *sorted(found[r] - {r})] for r in roots]
