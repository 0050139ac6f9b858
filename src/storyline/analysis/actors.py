"""Reading actors back: top actors, finding one by any spelling, its profile, and corrections.

Rows are plain dicts, ready for a table, JSON or CSV; the CLI's ``--json`` and the API print the
same ones. Every place that takes an actor's name (``storyline actor``, ``--by``, ``--actor``,
the workbench's filters) goes through `match_actor`, which says which actor a name resolved to
and by what (id, name, alias, spelling, surname), and refuses a name that fits several actors
(E802) instead of silently picking one.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from storyline.analysis.events import list_events
from storyline.analysis.quotes import list_quotes
from storyline.article import LABEL_KINDS
from storyline.errors import NotFound, QueryError
from storyline.store.actors import corrections, resolve
from storyline.store.cooccurrence import co_occurring, pair_counts, refresh_articles
from storyline.store.db import transaction
from storyline.store.volume import actor_months, refresh_actor_days

__all__ = [
    "AMBIGUOUS",
    "actor_corrections",
    "actor_profile",
    "candidates",
    "find_actor",
    "match_actor",
    "merge",
    "split",
    "top_actors",
]


#: A mention's name in SQL: its text without the leading "the" a span keeps as written
#: (`storyline.article.name_of`), so "the Foreign Office" counts as the alias "Foreign Office".
_MENTION_NAME = (
    "CASE WHEN substr(m.text, 1, 4) IN ('the ', 'The ') THEN substr(m.text, 5) ELSE m.text END"
)

#: The code of a name that fits several actors; `candidates` lists them.
AMBIGUOUS = "E802"


def top_actors(
    conn: sqlite3.Connection,
    *,
    type: str | None = None,
    country: str | None = None,
    limit: int | None = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Actors by the number of articles mentioning them, then mentions, then name."""
    where, params = ["a.merged_into IS NULL"], list[Any]()
    if type:
        where.append("a.type = ?")
        params.append(type)
    if country:
        where.append("a.country = ? COLLATE NOCASE")
        params.append(country)
    # the totals the ``count_cooccurrence`` step keeps: one index range, whatever the store size
    sql = (
        "SELECT a.id, a.name, a.type, a.country, t.mentions, t.articles FROM actor_totals t "
        "JOIN actors a ON a.id = t.actor_id WHERE " + " AND ".join(where) + " "
        "ORDER BY t.articles DESC, t.mentions DESC, a.name"
        + (" LIMIT ? OFFSET ?" if limit is not None else "")
    )
    tail = [int(limit), int(offset)] if limit is not None else []
    return [dict(r) for r in conn.execute(sql, [*params, *tail])]


def _distinct(conn: sqlite3.Connection, ids: list[str]) -> list[str]:
    """Ids resolved to today's actors, in order, without repeats and without dangling keys."""
    out: list[str] = []
    for i in ids:
        actor = resolve(conn, i)
        if (
            actor not in out
            and conn.execute("SELECT 1 FROM actors WHERE id = ?", (actor,)).fetchone()
        ):
            out.append(actor)
    return out


def _candidates(conn: sqlite3.Connection, name: str) -> tuple[str, list[str]]:
    """How ``name`` matched (id, name, alias, spelling, surname) and the actors it fits, in the
    first way that fits any; ([], "") when none."""
    from storyline.nlp.actor_keys import _gazetteer_keys, mention_key
    from storyline.nlp.gazetteer import default_gazetteer, norm_surface

    found = _distinct(
        conn, [r[0] for r in conn.execute("SELECT id FROM actors WHERE id = ?", (name.strip(),))]
    )
    if found:
        return "id", found
    surface = norm_surface(name)
    if not surface:
        return "", []
    for by, sql in (
        ("name", "SELECT id FROM actors WHERE name = ? COLLATE NOCASE AND merged_into IS NULL"),
        ("alias", "SELECT actor_id FROM actor_aliases WHERE alias = ? COLLATE NOCASE"),
    ):
        found = _distinct(conn, [r[0] for r in conn.execute(sql, (surface,))])
        if found:
            return by, found
    gazetteer = _gazetteer_keys(default_gazetteer())
    spelled: list[str] = []
    for label in LABEL_KINDS:
        key = mention_key(surface, label)
        if key is None:
            continue
        row = conn.execute(
            "SELECT actor_id FROM mentions WHERE key = ? AND actor_id IS NOT NULL "
            "GROUP BY actor_id ORDER BY COUNT(*) DESC, actor_id LIMIT 1",
            (key,),
        ).fetchone()
        if row:
            spelled.append(row[0])
        elif key in gazetteer:
            spelled.append(gazetteer[key])
    found = _distinct(conn, spelled)
    if found:
        return "spelling", found
    # A surname or the end of a longer name: "Kazmi Qomi" for "Hassan Kazmi Qomi".
    like = "% " + surface.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(
        "SELECT actor_id FROM actor_aliases WHERE alias LIKE ? ESCAPE '\\' "
        "UNION SELECT id FROM actors WHERE name LIKE ? ESCAPE '\\' AND merged_into IS NULL",
        (like, like),
    )
    return "surname", _distinct(conn, [r[0] for r in rows])


def _summary(conn: sqlite3.Connection, actor_id: str) -> dict[str, Any]:
    row = conn.execute(
        "SELECT a.id, a.name, a.type, a.country, "
        "COALESCE((SELECT articles FROM actor_totals WHERE actor_id = a.id), 0) AS articles "
        "FROM actors a WHERE a.id = ?",
        (actor_id,),
    ).fetchone()
    return dict(row)


def match_actor(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    """The actor ``name`` stands for: ``{"query", "id", "name", "type", "country", "by"}``, where
    ``by`` says how it matched (id, name, alias, spelling, surname).

    Raises `NotFound` (E404) when nothing fits and `QueryError` E802 when several actors fit
    equally (two actors share an alias, a surname fits two people); `candidates` lists them."""
    by, ids = _candidates(conn, name)
    if not ids:
        raise NotFound(name, f"no actor matches {name!r} (see `storyline actors` or /actors)")
    if len(ids) > 1:
        rows = candidates(conn, name)
        shown = ", ".join(f"{c['name']} ({c['id']})" for c in rows[:6])
        more = f" and {len(rows) - 6} more" if len(rows) > 6 else ""
        raise QueryError(
            f"actor name {name!r} is ambiguous: {shown}{more}; give the id or a fuller name",
            code=AMBIGUOUS,
        )
    summary = _summary(conn, ids[0])
    return {
        "query": name,
        "id": summary["id"],
        "name": summary["name"],
        "type": summary["type"],
        "country": summary["country"],
        "by": by,
    }


def candidates(conn: sqlite3.Connection, name: str) -> list[dict[str, Any]]:
    """Every actor ``name`` fits in the first way that fits any (id, name, alias, spelling,
    surname), most mentioned first: what a page offers when the name is ambiguous."""
    _, ids = _candidates(conn, name)
    return sorted((_summary(conn, i) for i in ids), key=lambda r: (-r["articles"], r["id"]))


def find_actor(conn: sqlite3.Connection, name: str) -> str | None:
    """An actor id from an id, a name, any alias or a spelling of them; None when nothing fits.
    An ambiguous name gives its most mentioned candidate: use `match_actor` to be told."""
    found = candidates(conn, name)
    return str(found[0]["id"]) if found else None


def actor_profile(conn: sqlite3.Connection, actor_id: str, limit: int = 10) -> dict[str, Any]:
    """One actor: aliases with the rule that linked each, roles over time, mentions per month,
    co-occurring actors (kept by the ``count_cooccurrence`` step) and how many articles in the
    store mention each pair of them together (the network's edges), its
    quotes, the events where it is source or target (with their modes), what was merged into it,
    and the corrections that touched it."""
    row = conn.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone()
    if row is None:
        raise NotFound(actor_id, f"no actor {actor_id!r} (see `storyline actors` or /actors)")
    actor = dict(row)
    # the actor's spellings counted first off ``mentions_actor_text_key`` (a few rows), then
    # matched to its aliases: matching each mention row to each alias cost a pass per alias
    aliases = [
        dict(r)
        for r in conn.execute(
            "SELECT al.alias, al.rule, al.article_id AS first_article, "
            "COALESCE(SUM(m.n), 0) AS mentions FROM actor_aliases al LEFT JOIN "
            "(SELECT text, COUNT(*) AS n FROM mentions WHERE actor_id = ?1 GROUP BY text) m "
            f"ON replace({_MENTION_NAME}, '’', char(39)) = al.alias COLLATE NOCASE "
            "WHERE al.actor_id = ?1 GROUP BY al.alias ORDER BY mentions DESC, al.alias",
            (actor_id,),
        )
    ]
    roles = [
        dict(r)
        for r in conn.execute(
            "SELECT role, source, MIN(date) AS first, MAX(COALESCE(date_to, date)) AS last, "
            "COUNT(article_id) AS articles FROM actor_roles WHERE actor_id = ? "
            "GROUP BY role, source ORDER BY first, role",
            (actor_id,),
        )
    ]
    # per month from the day totals ``count_volume`` keeps, and the totals ``count_cooccurrence``
    # keeps: index ranges, not a pass over a hub actor's mentions and their articles
    months = actor_months(conn, actor_id)
    together = co_occurring(conn, actor_id, limit)
    n = conn.execute(
        "SELECT mentions, articles FROM actor_totals WHERE actor_id = ?", (actor_id,)
    ).fetchone() or (0, 0)
    merged = [
        dict(r)
        for r in conn.execute(
            "SELECT id, name FROM actors WHERE merged_into = ? ORDER BY id", (actor_id,)
        )
    ]
    return {
        **actor,
        "mentions": n[0],
        "articles": n[1],
        "aliases": aliases,
        "roles": roles,
        "months": months,
        "co_occurring": together,
        "co_links": pair_counts(conn, [t["id"] for t in together]),
        "quotes": list_quotes(conn, actor=actor_id, limit=limit),
        "events": list_events(conn, actor=actor_id, limit=limit),
        "merged": merged,
        "corrections": actor_corrections(conn, actor_id),
    }


def actor_corrections(
    conn: sqlite3.Connection, actor_id: str | None = None
) -> list[dict[str, Any]]:
    """The analysts' merges and splits in the order they are replayed (all, or those touching
    ``actor_id``: as the kept actor, the merged one, or the split's new actor)."""
    from storyline.update.link_actors import split_id

    rows = corrections(conn)
    if actor_id is None:
        return rows
    return [
        r
        for r in rows
        if actor_id in (r["actor_id"], r["other"])
        or (r["action"] == "split" and split_id(r["other"]) == actor_id)
    ]


def _recount(conn: sqlite3.Connection, actor_id: str) -> None:
    """A correction relinks mentions outside the update steps: bring the co-occurrence counts
    and the actors' day counts of the articles now mentioning ``actor_id`` in line, in the
    correction's transaction."""
    articles = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT article_id FROM mentions WHERE actor_id = ?", (actor_id,)
        )
    ]
    refresh_articles(conn, articles)
    refresh_actor_days(conn, articles)


def merge(
    conn: sqlite3.Connection, keep: str, other: str, note: str | None = None
) -> dict[str, Any]:
    """Merge the actor named ``other`` into the one named ``keep`` (any spelling of each), now
    and on every later link; returns ``{"action", "kept", "merged"}``.

    One transaction: a refused merge (E404 unknown, E420 already one, E802 ambiguous) changes
    nothing. `storyline actors merge` and the workbench's form both call this."""
    from storyline.update.link_actors import merge_actors

    a, b = match_actor(conn, keep)["id"], match_actor(conn, other)["id"]
    with transaction(conn) as tx:
        kept = merge_actors(tx, a, b, note)
        _recount(tx, kept)
    return {"action": "merge", "kept": kept, "merged": b}


def split(
    conn: sqlite3.Connection, actor: str, alias: str, note: str | None = None
) -> dict[str, Any]:
    """Move the mentions of ``actor`` (any spelling) written as ``alias`` to a new actor, now and
    later; returns ``{"action", "actor", "alias", "new"}``. Refusals change nothing."""
    from storyline.update.link_actors import split_alias

    actor_id = match_actor(conn, actor)["id"]
    with transaction(conn) as tx:
        new_id = split_alias(tx, actor_id, alias, note)
        _recount(tx, new_id)
    return {"action": "split", "actor": actor_id, "alias": alias, "new": new_id}
