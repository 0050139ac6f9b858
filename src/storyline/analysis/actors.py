"""Reading actors back: top actors, finding one by any spelling, and its profile.

Rows are plain dicts, ready for a table, JSON or CSV. Quotes come from the quote stage's facts
(``Article.quotes`` with ``speaker_actor``), read from the ``quotes`` table when it exists, else
from the articles' stored data.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from storyline.article import LABEL_KINDS
from storyline.store.actors import resolve


def top_actors(
    conn: sqlite3.Connection,
    *,
    type: str | None = None,
    country: str | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Actors by the number of articles mentioning them, then mentions."""
    where, params = ["a.merged_into IS NULL"], []
    if type:
        where.append("a.type = ?")
        params.append(type)
    if country:
        where.append("a.country = ? COLLATE NOCASE")
        params.append(country)
    sql = (
        "SELECT a.id, a.name, a.type, a.country, COUNT(*) AS mentions, "
        "COUNT(DISTINCT m.article_id) AS articles FROM actors a "
        "JOIN mentions m ON m.actor_id = a.id WHERE " + " AND ".join(where) + " "
        "GROUP BY a.id ORDER BY articles DESC, mentions DESC, a.name LIMIT ?"
    )
    return [dict(r) for r in conn.execute(sql, [*params, limit])]


def find_actor(conn: sqlite3.Connection, name: str) -> str | None:
    """An actor id from an id, a name, any alias, or a spelling variant of them."""
    from storyline.nlp.actor_keys import _gazetteer_keys, mention_key
    from storyline.nlp.gazetteer import default_gazetteer, norm_surface

    row = conn.execute("SELECT id FROM actors WHERE id = ?", (name,)).fetchone()
    if row:
        return resolve(conn, row[0])
    surface = norm_surface(name)
    for sql in (
        "SELECT id FROM actors WHERE name = ? COLLATE NOCASE AND merged_into IS NULL",
        "SELECT actor_id FROM actor_aliases WHERE alias = ? COLLATE NOCASE "
        "GROUP BY actor_id ORDER BY COUNT(*) DESC",
    ):
        row = conn.execute(sql, (surface,)).fetchone()
        if row:
            return resolve(conn, row[0])
    gazetteer = _gazetteer_keys(default_gazetteer())
    for label in LABEL_KINDS:
        key = mention_key(surface, label)
        if key is None:
            continue
        row = conn.execute(
            "SELECT actor_id FROM mentions WHERE key = ? AND actor_id IS NOT NULL LIMIT 1", (key,)
        ).fetchone()
        if row:
            return resolve(conn, row[0])
        if (
            key in gazetteer
            and conn.execute("SELECT 1 FROM actors WHERE id = ?", (gazetteer[key],)).fetchone()
        ):
            return resolve(conn, gazetteer[key])
    # A surname or the end of a longer name: "Kazmi Qomi" for "Hassan Kazmi Qomi".
    row = conn.execute(
        "SELECT actor_id FROM actor_aliases WHERE alias LIKE ? ESCAPE '\\' "
        "GROUP BY actor_id ORDER BY COUNT(*) DESC LIMIT 1",
        ("% " + surface.replace("%", "\\%").replace("_", "\\_"),),
    ).fetchone()
    return resolve(conn, row[0]) if row else None


def actor_profile(conn: sqlite3.Connection, actor_id: str, limit: int = 10) -> dict[str, Any]:
    """Aliases (with the rule that linked each), roles over time, mentions per month,
    co-occurring actors and quotes of one actor."""
    actor = dict(conn.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone())
    aliases = [
        dict(r)
        for r in conn.execute(
            "SELECT al.alias, al.rule, COUNT(m.seq) AS mentions FROM actor_aliases al "
            "LEFT JOIN mentions m ON m.actor_id = al.actor_id "
            "AND replace(m.text, '’', char(39)) = al.alias COLLATE NOCASE "
            "WHERE al.actor_id = ? GROUP BY al.alias ORDER BY mentions DESC, al.alias",
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
    months = [
        dict(r)
        for r in conn.execute(
            "SELECT COALESCE(substr(a.published, 1, 7), 'undated') AS month, "
            "COUNT(*) AS mentions, COUNT(DISTINCT a.id) AS articles FROM mentions m "
            "JOIN articles a ON a.id = m.article_id WHERE m.actor_id = ? "
            "GROUP BY month ORDER BY month",
            (actor_id,),
        )
    ]
    together = [
        dict(r)
        for r in conn.execute(
            "SELECT o.actor_id AS id, x.name, x.type, COUNT(DISTINCT o.article_id) AS articles "
            "FROM mentions m JOIN mentions o ON o.article_id = m.article_id "
            "AND o.actor_id != m.actor_id JOIN actors x ON x.id = o.actor_id "
            "WHERE m.actor_id = ? GROUP BY o.actor_id ORDER BY articles DESC, x.name LIMIT ?",
            (actor_id, limit),
        )
    ]
    n = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM mentions WHERE actor_id = ?",
        (actor_id,),
    ).fetchone()
    return {
        **actor,
        "mentions": n[0],
        "articles": n[1],
        "aliases": aliases,
        "roles": roles,
        "months": months,
        "co_occurring": together,
        "quotes": actor_quotes(conn, actor_id, limit),
    }


def actor_quotes(conn: sqlite3.Connection, actor_id: str, limit: int = 10) -> list[dict[str, Any]]:
    """Quotes whose speaker was linked to this actor, newest first (empty without a quote stage)."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(quotes)")}
    if {"speaker_actor", "text", "article_id"} <= columns:
        rows = conn.execute(
            "SELECT q.article_id, q.text, a.published FROM quotes q "
            "JOIN articles a ON a.id = q.article_id WHERE q.speaker_actor = ? "
            "ORDER BY a.published DESC LIMIT ?",
            (actor_id, limit),
        )
        return [dict(r) for r in rows]
    out: list[dict[str, Any]] = []
    rows = conn.execute(
        "SELECT a.id, a.published, a.data FROM articles a WHERE a.id IN "
        "(SELECT article_id FROM mentions WHERE actor_id = ?) ORDER BY a.published DESC",
        (actor_id,),
    )
    keys = {actor_id}
    keys.update(
        r[0]
        for r in conn.execute("SELECT key FROM mentions WHERE actor_id = ?", (actor_id,))
        if r[0]
    )
    for row in rows:
        for q in json.loads(row["data"]).get("quotes") or []:
            if q.get("speaker_actor") in keys:
                out.append(
                    {"article_id": row["id"], "text": q.get("text"), "published": row["published"]}
                )
                if len(out) >= limit:
                    return out
    return out
