"""Actors across the whole store: one canonical actor per real-world entity, explainable merges.

`storyline.nlp.actors.ActorStage` gives each mention a deterministic key inside its article. This
module is the store-wide half, run inside the batch write transaction (`write_article_actors`, a
``CHILD_WRITER``):

- ``mentions`` keeps every mention with the key the stage gave (``key``) and the actor it resolves
  to now (``actor_id``);
- ``actor_keys`` redirects keys to actors: an acronym defined in one article ("Tehreek-e-Taliban
  Pakistan (TTP)") redirects the bare acronym's key everywhere, before and after; an analyst's
  merge redirects a whole actor;
- ``actor_aliases`` lists each surface form of an actor with the rule that attached it;
- ``actor_roles`` holds the titles written next to a name, with the article's date, plus the
  gazetteer's dated roles;
- ``actor_corrections`` is the analysts' log (merge, split), replayed by every write, so
  corrections survive reprocessing and rebuilding.

Split semantics: ``split ACTOR ALIAS`` moves every mention of ACTOR written as ALIAS (compared
after apostrophe and space normalisation, case-insensitive) to a new actor ``split:<alias>``, now
and in every later write. A merge redirects one actor into another; merging into an actor that was
itself merged follows the chain.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from storyline.article import Article
from storyline.errors import StoreError
from storyline.store.db import migration, now, run_script

KIND_TYPES = {
    "person": "person",
    "org": "organisation",
    "place": "place",
    "group": "group",
    "split": "split",
}


@migration(2, "actors: canonical actors, aliases, keys, mentions, roles, corrections")
def _v2(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE actors (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            country TEXT,
            source TEXT NOT NULL,
            merged_into TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX actors_type ON actors(type);
        CREATE INDEX actors_country ON actors(country);

        CREATE TABLE actor_keys (
            key TEXT PRIMARY KEY,
            actor_id TEXT NOT NULL,
            rule TEXT NOT NULL,
            evidence TEXT,
            created_at TEXT NOT NULL
        );

        CREATE TABLE actor_aliases (
            actor_id TEXT NOT NULL,
            alias TEXT NOT NULL COLLATE NOCASE,
            rule TEXT NOT NULL,
            article_id TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (actor_id, alias)
        );
        CREATE INDEX actor_aliases_alias ON actor_aliases(alias COLLATE NOCASE);

        CREATE TABLE mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            label TEXT NOT NULL,
            sentence INTEGER NOT NULL,
            key TEXT,
            actor_id TEXT,
            rule TEXT NOT NULL,
            link TEXT NOT NULL,
            role TEXT,
            PRIMARY KEY (article_id, seq)
        );
        CREATE INDEX mentions_actor ON mentions(actor_id);
        CREATE INDEX mentions_key ON mentions(key);

        CREATE TABLE actor_roles (
            actor_id TEXT NOT NULL,
            role TEXT NOT NULL,
            article_id TEXT REFERENCES articles(id) ON DELETE CASCADE,
            date TEXT,
            date_to TEXT,
            start INTEGER,
            source TEXT NOT NULL
        );
        CREATE INDEX actor_roles_actor ON actor_roles(actor_id);
        CREATE INDEX actor_roles_article ON actor_roles(article_id);

        CREATE TABLE actor_corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
            actor_id TEXT NOT NULL,
            other TEXT NOT NULL,
            note TEXT,
            created_at TEXT NOT NULL
        );
        """,
    )


# -- resolving keys ----------------------------------------------------------------------------
def resolve(conn: sqlite3.Connection, key: str) -> str:
    """Follow key redirects and merges to the actor that stands for ``key`` now."""
    seen = set()
    current = key
    while current not in seen:
        seen.add(current)
        row = conn.execute("SELECT actor_id FROM actor_keys WHERE key = ?", (current,)).fetchone()
        if row and row[0] != current:
            current = row[0]
            continue
        row = conn.execute("SELECT merged_into FROM actors WHERE id = ?", (current,)).fetchone()
        if row and row[0]:
            current = row[0]
            continue
        break
    return current


def _splits(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    rows = conn.execute(
        "SELECT actor_id, other FROM actor_corrections WHERE action = 'split' ORDER BY id"
    )
    return {(r[0], _alias(r[1])): split_id(r[1]) for r in rows}


def split_id(alias: str) -> str:
    from storyline.nlp.actors import fold

    return "split:" + fold(alias).replace(" ", "-")


def _alias(text: str) -> str:
    from storyline.nlp.gazetteer import norm_surface

    return norm_surface(text).lower()


def ensure_actor(conn: sqlite3.Connection, actor_id: str, surface: str, label: str) -> None:
    """Create the actor row on first sight: gazetteer facts when known, else from the text."""
    if conn.execute("SELECT 1 FROM actors WHERE id = ?", (actor_id,)).fetchone():
        return
    from storyline.nlp.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    stamp = now()
    entry = gaz.entries.get(actor_id)
    if entry is None and actor_id.startswith("country-"):
        entry = gaz.by_country.get(actor_id[8:].upper())
    if entry is not None:
        conn.execute(
            "INSERT INTO actors (id, name, type, country, source, created_at) "
            "VALUES (?, ?, ?, ?, 'gazetteer', ?)",
            (actor_id, entry.name, entry.type, entry.country, stamp),
        )
        conn.executemany(
            "INSERT INTO actor_roles (actor_id, role, date, date_to, source) "
            "VALUES (?, ?, ?, ?, 'gazetteer')",
            [(actor_id, r["role"], r.get("from"), r.get("to")) for r in entry.roles],
        )
        return
    if actor_id.startswith("country-"):
        import pycountry

        code = actor_id[8:].upper()
        country = pycountry.countries.get(alpha_2=code)
        name = getattr(country, "common_name", None) or getattr(country, "name", code)
        conn.execute(
            "INSERT INTO actors (id, name, type, country, source, created_at) "
            "VALUES (?, ?, 'country', ?, 'pycountry', ?)",
            (actor_id, name, code, stamp),
        )
        return
    kind = actor_id.split(":", 1)[0]
    conn.execute(
        "INSERT INTO actors (id, name, type, country, source, created_at) "
        "VALUES (?, ?, ?, NULL, 'text', ?)",
        (actor_id, surface, KIND_TYPES.get(kind, label.lower()), stamp),
    )


# -- the child writer --------------------------------------------------------------------------
def write_article_actors(conn: sqlite3.Connection, article: Article) -> None:
    """Replace one article's mentions and roles, resolving keys against the whole store."""
    conn.execute("DELETE FROM mentions WHERE article_id = ?", (article.id,))
    conn.execute("DELETE FROM actor_roles WHERE article_id = ?", (article.id,))
    if not article.mentions:
        return
    splits = _splits(conn)
    date = article.published or article.date_not_before
    stamp = now()
    rows = []
    for seq, m in enumerate(article.mentions):
        actor = None
        if m.actor_id:
            if m.link == "acronym":
                _acronym_redirect(conn, m.text, m.actor_id, article.id)
            actor = resolve(conn, m.actor_id)
            alias = _alias(m.text)
            if (actor, alias) in splits:
                actor = splits[(actor, alias)]
            ensure_actor(conn, actor, m.text, m.label)
            _better_name(conn, actor, m.text, m.label)
            conn.execute(
                "INSERT OR IGNORE INTO actor_aliases (actor_id, alias, rule, article_id, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (actor, _alias_display(m.text), m.link or "name-key", article.id, stamp),
            )
            if m.role:
                conn.execute(
                    "INSERT INTO actor_roles (actor_id, role, article_id, date, start, source) "
                    "VALUES (?, ?, ?, ?, ?, 'text')",
                    (actor, m.role, article.id, date, m.start),
                )
        rows.append(
            (
                article.id,
                seq,
                m.start,
                m.end,
                m.text,
                m.label,
                m.sentence,
                m.actor_id,
                actor,
                m.rule,
                m.link,
                m.role,
            )
        )
    conn.executemany(
        'INSERT INTO mentions (article_id, seq, start, "end", text, label, sentence, key, '
        "actor_id, rule, link, role) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def _alias_display(text: str) -> str:
    from storyline.nlp.gazetteer import norm_surface

    return norm_surface(text)


def _better_name(conn: sqlite3.Connection, actor: str, surface: str, label: str) -> None:
    """Actors found in text are named by their longest person name / first form seen."""
    if label == "PERSON":
        conn.execute(
            "UPDATE actors SET name = ? WHERE id = ? AND source = 'text' AND length(name) < ?",
            (_alias_display(surface), actor, len(_alias_display(surface))),
        )


def _acronym_redirect(conn: sqlite3.Connection, surface: str, target: str, article_id: str) -> None:
    """An acronym defined in an article stands for its long form in every article."""
    from storyline.nlp.actors import mention_key

    key = mention_key(surface, "ORG")
    if not key or key == target:
        return
    row = conn.execute("SELECT actor_id, rule FROM actor_keys WHERE key = ?", (key,)).fetchone()
    if row and (row["rule"].startswith("manual") or row["actor_id"] == target):
        return
    conn.execute(
        "INSERT INTO actor_keys (key, actor_id, rule, evidence, created_at) VALUES (?,?,?,?,?) "
        "ON CONFLICT(key) DO UPDATE SET actor_id=excluded.actor_id, rule=excluded.rule, "
        "evidence=excluded.evidence",
        (key, target, "acronym", f"defined in article {article_id}", now()),
    )
    _move(conn, key, resolve(conn, target))


def _move(conn: sqlite3.Connection, source: str, target: str) -> None:
    """Re-point everything of actor ``source`` to ``target`` and mark it merged."""
    if source == target:
        return
    conn.execute("UPDATE mentions SET actor_id = ? WHERE actor_id = ?", (target, source))
    conn.execute("UPDATE actor_roles SET actor_id = ? WHERE actor_id = ?", (target, source))
    conn.execute(
        "UPDATE OR IGNORE actor_aliases SET actor_id = ? WHERE actor_id = ?", (target, source)
    )
    conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (source,))
    conn.execute("UPDATE actors SET merged_into = ? WHERE id = ?", (target, source))
    conn.execute("UPDATE actors SET merged_into = ? WHERE merged_into = ?", (target, source))


# -- corrections -------------------------------------------------------------------------------
def merge_actors(conn: sqlite3.Connection, keep: str, other: str, note: str | None = None) -> str:
    """Merge actor ``other`` into ``keep`` (both ids), logged; returns the surviving id."""
    a, b = resolve(conn, keep), resolve(conn, other)
    for given, found in ((keep, a), (other, b)):
        if not conn.execute("SELECT 1 FROM actors WHERE id = ?", (found,)).fetchone():
            raise StoreError(f"no actor {given!r} (see `storyline actors`)")
    if a == b:
        raise StoreError(f"{keep!r} and {other!r} are already one actor ({a})")
    conn.execute(
        "INSERT INTO actor_corrections (action, actor_id, other, note, created_at) "
        "VALUES ('merge', ?, ?, ?, ?)",
        (a, b, note, now()),
    )
    _apply_merge(conn, a, b)
    return a


def _apply_merge(conn: sqlite3.Connection, keep: str, other: str) -> None:
    conn.execute(
        "INSERT INTO actor_keys (key, actor_id, rule, evidence, created_at) "
        "VALUES (?, ?, 'manual-merge', 'actors merge', ?) ON CONFLICT(key) DO UPDATE SET "
        "actor_id=excluded.actor_id, rule=excluded.rule, evidence=excluded.evidence",
        (other, keep, now()),
    )
    _move(conn, other, keep)


def split_alias(conn: sqlite3.Connection, actor: str, alias: str, note: str | None = None) -> str:
    """Give the mentions of ``actor`` written as ``alias`` their own actor; returns its id."""
    actor_id = resolve(conn, actor)
    wanted = _alias(alias)
    n = conn.execute("SELECT COUNT(*) FROM mentions WHERE actor_id = ?", (actor_id,)).fetchone()[0]
    if not n:
        raise StoreError(f"no actor {actor!r} with mentions (see `storyline actors`)")
    conn.execute(
        "INSERT INTO actor_corrections (action, actor_id, other, note, created_at) "
        "VALUES ('split', ?, ?, ?, ?)",
        (actor_id, alias, note, now()),
    )
    return _apply_split(conn, actor_id, alias, wanted)


def _apply_split(conn: sqlite3.Connection, actor_id: str, alias: str, wanted: str) -> str:
    new_id = split_id(alias)
    moved = [
        (r["article_id"], r["seq"], r["text"], r["label"])
        for r in conn.execute(
            "SELECT article_id, seq, text, label FROM mentions WHERE actor_id = ?", (actor_id,)
        )
        if _alias(r["text"]) == wanted
    ]
    if not moved:
        raise StoreError(f"actor {actor_id!r} has no mention written {alias!r}")
    ensure_actor(conn, new_id, _alias_display(alias), moved[0][3])
    conn.execute("UPDATE actors SET merged_into = NULL WHERE id = ?", (new_id,))
    conn.executemany(
        "UPDATE mentions SET actor_id = ? WHERE article_id = ? AND seq = ?",
        [(new_id, a, s) for a, s, _, _ in moved],
    )
    conn.execute(
        "DELETE FROM actor_aliases WHERE actor_id = ? AND alias = ? COLLATE NOCASE",
        (actor_id, _alias_display(alias)),
    )
    conn.execute(
        "INSERT OR IGNORE INTO actor_aliases (actor_id, alias, rule, created_at) "
        "VALUES (?, ?, 'manual-split', ?)",
        (new_id, _alias_display(alias), now()),
    )
    return new_id


def relink_all(conn: sqlite3.Connection) -> int:
    """Recompute every mention's actor from its key, then replay the corrections log.

    For repairs: after this, the store says exactly what the keys and the analysts' corrections
    say, whatever order the articles were written in. Returns the number of mentions.
    """
    log = conn.execute(
        "SELECT action, actor_id, other FROM actor_corrections ORDER BY id"
    ).fetchall()
    conn.execute("DELETE FROM actor_keys WHERE rule LIKE 'manual%'")
    conn.execute("UPDATE actors SET merged_into = NULL")
    for (key,) in conn.execute("SELECT DISTINCT key FROM mentions WHERE key IS NOT NULL"):
        conn.execute("UPDATE mentions SET actor_id = ? WHERE key = ?", (resolve(conn, key), key))
    for (key,) in conn.execute("SELECT key FROM actor_keys").fetchall():
        _move(conn, key, resolve(conn, key))
    conn.execute("DELETE FROM actor_aliases")
    stamp = now()
    for r in conn.execute(
        "SELECT actor_id, text, link, article_id FROM mentions WHERE actor_id IS NOT NULL "
        "ORDER BY article_id, seq"
    ).fetchall():
        conn.execute(
            "INSERT OR IGNORE INTO actor_aliases (actor_id, alias, rule, article_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                r["actor_id"],
                _alias_display(r["text"]),
                r["link"] or "name-key",
                r["article_id"],
                stamp,
            ),
        )
    conn.execute(
        "UPDATE actor_roles SET actor_id = (SELECT m.actor_id FROM mentions m WHERE "
        "m.article_id = actor_roles.article_id AND m.start = actor_roles.start) "
        "WHERE source = 'text'"
    )
    for c in log:
        if c["action"] == "merge":
            a, b = resolve(conn, c["actor_id"]), resolve(conn, c["other"])
            if a != b:
                _apply_merge(conn, a, b)
        else:
            try:
                _apply_split(conn, resolve(conn, c["actor_id"]), c["other"], _alias(c["other"]))
            except StoreError:
                pass  # nothing is written that way any more
    return int(conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0])


def corrections(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute("SELECT * FROM actor_corrections ORDER BY id")]


def _register() -> None:
    from storyline.store.articles import CHILD_WRITERS

    if write_article_actors not in CHILD_WRITERS:
        CHILD_WRITERS.append(write_article_actors)


_register()


def mention_rows(conn: sqlite3.Connection, article_ids: Iterable[str]) -> list[sqlite3.Row]:
    ids = list(article_ids)
    marks = ",".join("?" * len(ids))
    return conn.execute(
        f"SELECT * FROM mentions WHERE article_id IN ({marks}) ORDER BY article_id, seq", ids
    ).fetchall()
