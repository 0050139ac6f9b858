"""Update step ``link_actors``: one canonical actor per real-world entity, across the whole store.

The actor stage (`storyline.nlp.actor_keys`) gives each mention a deterministic key inside its
article, and the batch writer stores the mentions with those keys. This step does what needs more
than one article:

- an acronym defined in one article ("Tehreek-e-Taliban Pakistan (TTP)") stands for its long form
  in every article, before and after (``actor_keys``, rule ``acronym``); when articles define one
  acronym differently, the long form defined by the most articles wins (then the smaller key);
- each mention's ``actor_id`` is its key followed through ``actor_keys`` redirects and the
  analysts' corrections (merge, split), replayed on every link so they survive reprocessing;
- ``actors`` rows (gazetteer facts when known), ``actor_aliases`` (each written form with the rule
  that linked it and the first article, by id, that wrote it), ``actor_roles`` (titles written
  next to a name, with the article's date).

Everything it writes is a function of the stored mentions and the corrections log, never of the
order articles came in: an alias's display form is the first of its spellings in a fixed order
(mixed case before capitals, then alphabetical), a text actor's name is its longest alias not in
capitals, and an actor left without mentions is dropped. ``actor_links`` (what each article gave
each actor) lets the step undo an article's part when it changes or is deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from storyline.errors import NotFound, StoreError
from storyline.names import fold
from storyline.store.actors import resolve
from storyline.store.db import now
from storyline.update.step import StepRun, UpdateStep

__all__ = ["LinkActors", "merge_actors", "split_alias", "split_id"]

KIND_TYPES = {
    "person": "person",
    "org": "organisation",
    "place": "place",
    "group": "group",
    "split": "split",
}


def _alias_display(text: str) -> str:
    from storyline.nlp.gazetteer import norm_surface

    return norm_surface(text)


def _alias_key(text: str) -> str:
    return _alias_display(text).lower()


def split_id(alias: str) -> str:
    return "split:" + fold(alias, "words").replace(" ", "-")


def _form_order(form: str) -> tuple[bool, str]:
    """Which spelling of one alias is shown: mixed case before all capitals, then alphabetical."""
    return (form.isupper() and any(c.isalpha() for c in form), form)


def _name_order(form: str) -> tuple[bool, int, str]:
    """Which alias names a text actor: not in capitals, then the longest, then alphabetical."""
    return (form.isupper() and any(c.isalpha() for c in form), -len(form), form)


def _splits(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    rows = conn.execute(
        "SELECT actor_id, other FROM actor_corrections WHERE action = 'split' ORDER BY id"
    )
    return {(r[0], _alias_key(r[1])): split_id(r[1]) for r in rows}


def _actor_of(conn: sqlite3.Connection, key: str, text: str, splits: Mapping[Any, str]) -> str:
    actor = resolve(conn, key)
    return splits.get((actor, _alias_key(text)), actor)


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
        (actor_id, _alias_display(surface), KIND_TYPES.get(kind, label.lower()), stamp),
    )


# -- acronyms ------------------------------------------------------------------------------------


def _define_acronyms(conn: sqlite3.Connection, article_ids: Sequence[str]) -> set[str]:
    """Record the acronyms these articles define; returns the acronym keys to decide again."""
    from storyline.nlp.actor_keys import mention_key

    affected: set[str] = set()
    for article_id in article_ids:
        affected.update(
            r[0]
            for r in conn.execute(
                "SELECT key FROM acronym_defs WHERE article_id = ?", (article_id,)
            ).fetchall()
        )
        conn.execute("DELETE FROM acronym_defs WHERE article_id = ?", (article_id,))
        rows = conn.execute(
            "SELECT text, key FROM mentions WHERE article_id = ? AND link = 'acronym' "
            "AND key IS NOT NULL",
            (article_id,),
        ).fetchall()
        for text, target in rows:
            key = mention_key(text, "ORG")
            if key and key != target:
                conn.execute(
                    "INSERT OR IGNORE INTO acronym_defs (article_id, key, target) VALUES (?, ?, ?)",
                    (article_id, key, target),
                )
                affected.add(key)
    return affected


def _decide_acronyms(conn: sqlite3.Connection, keys: Iterable[str]) -> set[str]:
    """Point each acronym key at the long form most articles define (ties: the smaller key);
    returns the keys whose redirect changed. An analyst's redirect is never overridden."""
    changed: set[str] = set()
    for key in sorted(set(keys)):
        current = conn.execute(
            "SELECT actor_id, rule FROM actor_keys WHERE key = ?", (key,)
        ).fetchone()
        if current is not None and current["rule"].startswith("manual"):
            continue
        best = conn.execute(
            "SELECT target, COUNT(*) AS n, MIN(article_id) AS first FROM acronym_defs "
            "WHERE key = ? GROUP BY target ORDER BY n DESC, target LIMIT 1",
            (key,),
        ).fetchone()
        if best is None:
            if current is not None:
                conn.execute("DELETE FROM actor_keys WHERE key = ?", (key,))
                changed.add(key)
            continue
        evidence = f"defined in article {best['first']}"
        if current is not None and current["actor_id"] == best["target"]:
            conn.execute("UPDATE actor_keys SET evidence = ? WHERE key = ?", (evidence, key))
            continue
        conn.execute(
            "INSERT INTO actor_keys (key, actor_id, rule, evidence, created_at) "
            "VALUES (?, ?, 'acronym', ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "actor_id = excluded.actor_id, rule = excluded.rule, evidence = excluded.evidence",
            (key, best["target"], evidence, now()),
        )
        changed.add(key)
    return changed


def _articles_with_keys(conn: sqlite3.Connection, keys: Iterable[str]) -> set[str]:
    """Articles with a mention whose key is, or redirects through, one of ``keys``."""
    wanted = set(keys)
    if not wanted:
        return set()
    wanted |= {
        r[0]
        for key in list(wanted)
        for r in conn.execute("SELECT key FROM actor_keys WHERE actor_id = ?", (key,))
    }
    out: set[str] = set()
    for key in wanted:
        out.update(
            r[0] for r in conn.execute("SELECT article_id FROM mentions WHERE key = ?", (key,))
        )
    return out


# -- linking articles ----------------------------------------------------------------------------


def link_articles(conn: sqlite3.Connection, article_ids: Iterable[str]) -> set[str]:
    """Resolve every mention of these articles and bring the actor tables in line; returns the
    actors touched. Articles no longer stored give back what they contributed."""
    splits = _splits(conn)
    touched: set[str] = set()
    removed_pairs: set[tuple[str, str]] = set()
    added: dict[tuple[str, str], tuple[str, str, str]] = {}
    for article_id in sorted(set(article_ids)):
        old = {
            (r["actor_id"], r["alias_key"]): (r["form"], r["rule"])
            for r in conn.execute(
                "SELECT actor_id, alias_key, form, rule FROM actor_links WHERE article_id = ?",
                (article_id,),
            )
        }
        new = _link_one(conn, article_id, splits)
        conn.execute("DELETE FROM actor_links WHERE article_id = ?", (article_id,))
        conn.executemany(
            "INSERT INTO actor_links (article_id, actor_id, alias_key, form, rule) "
            "VALUES (?, ?, ?, ?, ?)",
            [(article_id, a, k, f, r) for (a, k), (f, r) in sorted(new.items())],
        )
        for pair in old.keys() | new.keys():
            touched.add(pair[0])
            if pair in old and old[pair] != new.get(pair):
                removed_pairs.add(pair)  # its part is gone or changed: count again
            elif pair not in old:
                form, rule = new[pair]
                prev = added.get(pair)
                cand = (form, rule, article_id)
                if prev is None:
                    added[pair] = cand
                else:
                    added[pair] = (
                        min(prev[0], form, key=_form_order),
                        min(prev[1], rule),
                        min(prev[2], article_id),
                    )
    for pair in sorted(removed_pairs):
        _recount_alias(conn, *pair)
    for pair, (form, rule, article_id) in sorted(added.items()):
        if pair not in removed_pairs:
            _add_alias(conn, pair[0], form, rule, article_id)
    _refresh_actors(conn, touched)
    return touched


def _link_one(
    conn: sqlite3.Connection, article_id: str, splits: Mapping[Any, str]
) -> dict[tuple[str, str], tuple[str, str]]:
    """Resolve one article's mentions; returns (actor, alias key) -> (best form, rule)."""
    conn.execute("DELETE FROM actor_roles WHERE article_id = ?", (article_id,))
    article = conn.execute(
        "SELECT COALESCE(published, date_not_before) AS day FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    if article is None:
        return {}
    rows = conn.execute(
        "SELECT seq, text, label, key, link, role, start FROM mentions WHERE article_id = ? "
        "ORDER BY seq",
        (article_id,),
    ).fetchall()
    out: dict[tuple[str, str], tuple[str, str]] = {}
    updates: list[tuple[str | None, str, int]] = []
    for m in rows:
        if not m["key"]:
            updates.append((None, article_id, m["seq"]))
            continue
        actor = _actor_of(conn, m["key"], m["text"], splits)
        ensure_actor(conn, actor, m["text"], m["label"])
        updates.append((actor, article_id, m["seq"]))
        form = _alias_display(m["text"])
        rule = "manual-split" if actor.startswith("split:") else (m["link"] or "name-key")
        pair = (actor, form.lower())
        prev = out.get(pair)
        out[pair] = (
            (form, rule)
            if prev is None
            else (min(prev[0], form, key=_form_order), min(prev[1], rule))
        )
        if m["role"]:
            conn.execute(
                "INSERT INTO actor_roles (actor_id, role, article_id, date, start, source) "
                "VALUES (?, ?, ?, ?, ?, 'text')",
                (actor, m["role"], article_id, article["day"], m["start"]),
            )
    conn.executemany("UPDATE mentions SET actor_id = ? WHERE article_id = ? AND seq = ?", updates)
    return out


def _add_alias(conn: sqlite3.Connection, actor: str, form: str, rule: str, article_id: str) -> None:
    """Merge one new (actor, alias) contribution into its row; order-independent (minima)."""
    row = conn.execute(
        "SELECT alias, rule, article_id FROM actor_aliases WHERE actor_id = ? "
        "AND alias = ? COLLATE NOCASE",
        (actor, form),
    ).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO actor_aliases (actor_id, alias, rule, article_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (actor, form, rule, article_id, now()),
        )
        return
    best = (
        min(row["alias"], form, key=_form_order),
        min(row["rule"], rule),
        min(row["article_id"] or article_id, article_id),
    )
    if best != (row["alias"], row["rule"], row["article_id"]):
        conn.execute(
            "UPDATE actor_aliases SET alias = ?, rule = ?, article_id = ? WHERE actor_id = ? "
            "AND alias = ? COLLATE NOCASE",
            (*best, actor, form),
        )


def _recount_alias(conn: sqlite3.Connection, actor: str, alias_key: str) -> None:
    """Recompute one (actor, alias) row from every article's part (after one part went)."""
    rows = conn.execute(
        "SELECT form, rule, article_id FROM actor_links WHERE actor_id = ? AND alias_key = ?",
        (actor, alias_key),
    ).fetchall()
    conn.execute(
        "DELETE FROM actor_aliases WHERE actor_id = ? AND lower(alias) = ?", (actor, alias_key)
    )
    if rows:
        form = min((r["form"] for r in rows), key=_form_order)
        rule = min(r["rule"] for r in rows)
        first = min(r["article_id"] for r in rows)
        conn.execute(
            "INSERT INTO actor_aliases (actor_id, alias, rule, article_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (actor, form, rule, first, now()),
        )


def _refresh_actors(conn: sqlite3.Connection, actors: Iterable[str]) -> None:
    """Name text actors by their best alias; drop actors no mention points at any more."""
    corrected: set[str] = set()
    for action, actor_id, other in conn.execute(
        "SELECT action, actor_id, other FROM actor_corrections"
    ):
        corrected |= {actor_id, split_id(other) if action == "split" else other}
    for actor in sorted(set(actors)):
        has = conn.execute("SELECT 1 FROM actor_links WHERE actor_id = ? LIMIT 1", (actor,))
        if has.fetchone() is None:
            if actor not in corrected:
                conn.execute("DELETE FROM actor_roles WHERE actor_id = ?", (actor,))
                conn.execute("DELETE FROM actor_aliases WHERE actor_id = ?", (actor,))
                conn.execute("DELETE FROM actors WHERE id = ? AND merged_into IS NULL", (actor,))
            continue
        row = conn.execute("SELECT source, name FROM actors WHERE id = ?", (actor,)).fetchone()
        if row is None or row["source"] != "text":
            continue
        forms = [r[0] for r in conn.execute(
            "SELECT alias FROM actor_aliases WHERE actor_id = ?", (actor,)
        )]  # fmt: skip
        if forms:
            best = min(forms, key=_name_order)
            if best != row["name"]:
                conn.execute("UPDATE actors SET name = ? WHERE id = ?", (best, actor))


class LinkActors(UpdateStep):
    """Mentions resolved to canonical actors, with aliases, roles and acronym redirects."""

    name = "link_actors"
    version = "1"
    follows = ("article",)
    reads = ("articles", "mentions", "actor_corrections")
    writes = (
        "mentions.actor_id",
        "actors",
        "actor_keys",
        "actor_aliases",
        "actor_roles",
        "actor_links",
        "acronym_defs",
    )

    def apply(self, run: StepRun) -> None:
        ids = run.keys("article")
        conn = run.conn
        redirected = _decide_acronyms(conn, _define_acronyms(conn, ids))
        for article_id in sorted(set(ids) | _articles_with_keys(conn, redirected)):
            with run.each(article_id):
                link_articles(conn, [article_id])

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Every mention linked again from its key, then the corrections log replayed."""
        return {"mentions": relink_all(run.conn)}


def relink_all(conn: sqlite3.Connection) -> int:
    """Recompute every mention's actor from its key and the corrections; returns mentions."""
    for table in ("actor_links", "acronym_defs", "actor_aliases"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM actor_keys WHERE rule = 'acronym'")
    conn.execute("DELETE FROM actor_roles WHERE source = 'text'")
    conn.execute("UPDATE mentions SET actor_id = NULL")
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    _decide_acronyms(conn, _define_acronyms(conn, ids))
    stale = {r[0] for r in conn.execute("SELECT id FROM actors")}
    touched = link_articles(conn, ids)
    _refresh_actors(conn, stale - touched)
    return int(conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0])


# -- corrections (analysts' merges and splits) ---------------------------------------------------


def merge_actors(conn: sqlite3.Connection, keep: str, other: str, note: str | None = None) -> str:
    """Merge actor ``other`` into ``keep`` (both ids), logged; returns the surviving id.

    Runs inside the caller's transaction; every mention of ``other`` now resolves to ``keep``,
    and reprocessing or relinking replays the merge.
    """
    a, b = resolve(conn, keep), resolve(conn, other)
    for given, found in ((keep, a), (other, b)):
        if not conn.execute("SELECT 1 FROM actors WHERE id = ?", (found,)).fetchone():
            raise NotFound(given, f"no actor {given!r} (see `storyline actors`)")
    if a == b:
        raise StoreError(f"{keep!r} and {other!r} are already one actor ({a})", code="E420")
    conn.execute(
        "INSERT INTO actor_corrections (action, actor_id, other, note, created_at) "
        "VALUES ('merge', ?, ?, ?, ?)",
        (a, b, note, now()),
    )
    articles = {
        r[0] for r in conn.execute("SELECT article_id FROM mentions WHERE actor_id = ?", (b,))
    }
    conn.execute(
        "INSERT INTO actor_keys (key, actor_id, rule, evidence, created_at) "
        "VALUES (?, ?, 'manual-merge', 'actors merge', ?) ON CONFLICT(key) DO UPDATE SET "
        "actor_id=excluded.actor_id, rule=excluded.rule, evidence=excluded.evidence",
        (b, a, now()),
    )
    conn.execute("UPDATE actors SET merged_into = ? WHERE id = ?", (a, b))
    conn.execute("UPDATE actors SET merged_into = ? WHERE merged_into = ?", (a, b))
    link_articles(conn, articles)
    return a


def split_alias(conn: sqlite3.Connection, actor: str, alias: str, note: str | None = None) -> str:
    """Give the mentions of ``actor`` written as ``alias`` their own actor; returns its id."""
    actor_id = resolve(conn, actor)
    wanted = _alias_key(alias)
    rows = conn.execute(
        "SELECT article_id, text FROM mentions WHERE actor_id = ?", (actor_id,)
    ).fetchall()
    if not rows:
        raise NotFound(actor, f"no actor {actor!r} with mentions (see `storyline actors`)")
    articles = {r["article_id"] for r in rows if _alias_key(r["text"]) == wanted}
    if not articles:
        raise NotFound(alias, f"actor {actor_id!r} has no mention written {alias!r}")
    conn.execute(
        "INSERT INTO actor_corrections (action, actor_id, other, note, created_at) "
        "VALUES ('split', ?, ?, ?, ?)",
        (actor_id, alias, note, now()),
    )
    link_articles(conn, articles)
    return split_id(alias)
