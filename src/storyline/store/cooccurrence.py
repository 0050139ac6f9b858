"""Actor co-occurrence: how many articles mention each pair of actors, kept as the store changes.

The actor page's network (who appears with whom, and how often those appear with each other)
used to be aggregated at request time over every article of the actor: a hub actor cost a pass
over thousands of articles' mentions per page view. The update step ``count_cooccurrence``
(`storyline.update.count_cooccurrence`) keeps the answer instead:

- ``cooccurrence_links``: the linked actors each article mentions, as last counted (what the
  article contributed, so a changed or deleted article takes back exactly its part);
- ``cooccurrence``: per ordered actor pair (both directions are stored, so an actor's partners
  are one index range), the number of articles that mention both.

- ``place_links``, ``place_totals``, ``country_totals``: per article and in total, the articles
  naming each resolved place and country, their place mentions, and (migration 20) the coded
  events located there (an event whose ``place`` names a resolved place of its own article, as
  `EVENT_PLACES` matches them); ``country_links`` keeps each article's events per country (one
  event at a city and at its region counts once for the country).

Everything here is a function of ``mentions.actor_id``, places and events per article, never of
the order articles came in, so a run resumed after a kill and a clean run hold the same rows,
and `rebuild_all` gives them too. Migration 11 also adds the indexes the workbench's listing
pages need.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import permutations
from typing import Any

from storyline.store.db import migration, run_script

#: The tables of this module, all written by the ``count_cooccurrence`` step alone.
TABLES = (
    "cooccurrence_links",
    "cooccurrence",
    "actor_totals",
    "place_links",
    "place_totals",
    "country_totals",
    "country_links",
)

#: An event happened at one of its article's places when the names agree: (article, event seq,
#: place's geonameid, kind and country), one row per event and place.
EVENT_PLACES = (
    "SELECT DISTINCT e.article_id, e.seq, p.geonameid, p.kind, p.country FROM events e "
    "JOIN places p ON p.article_id = e.article_id AND e.place IS NOT NULL "
    "AND (p.name = e.place COLLATE NOCASE OR p.canonical = e.place COLLATE NOCASE)"
)

__all__ = [
    "EVENT_PLACES",
    "TABLES",
    "Tally",
    "articles_with_keys",
    "co_occurring",
    "pair_counts",
    "rebuild_all",
    "refresh_articles",
]


@migration(11, "actor co-occurrence per article and per pair; indexes for the workbench pages")
def _v11(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- The linked actors one article mentions, as the co-occurrence counts last took it in.
        CREATE TABLE cooccurrence_links (
            article_id TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (article_id, actor_id)
        ) WITHOUT ROWID;
        -- Per actor: articles that mention it and its mentions (the actors list, the home page).
        CREATE TABLE actor_totals (
            actor_id TEXT PRIMARY KEY,
            articles INTEGER NOT NULL,
            mentions INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX actor_totals_top ON actor_totals(articles DESC, mentions DESC);
        -- The resolved places one article names (mentions per place), as last counted.
        CREATE TABLE place_links (
            article_id TEXT NOT NULL,
            geonameid INTEGER NOT NULL,
            kind TEXT NOT NULL,
            country TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (article_id, geonameid, kind)
        ) WITHOUT ROWID;
        -- Per place and per country: articles naming it and place mentions (the places page).
        CREATE TABLE place_totals (
            geonameid INTEGER NOT NULL,
            kind TEXT NOT NULL,
            country TEXT NOT NULL,
            articles INTEGER NOT NULL,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (geonameid, kind)
        ) WITHOUT ROWID;
        CREATE INDEX place_totals_top ON place_totals(articles DESC, mentions DESC);
        CREATE INDEX place_totals_country ON place_totals(country, articles DESC);
        CREATE TABLE country_totals (
            country TEXT PRIMARY KEY,
            articles INTEGER NOT NULL,
            mentions INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- Articles mentioning both actors; each pair stored in both directions.
        CREATE TABLE cooccurrence (
            actor_id TEXT NOT NULL,
            other_id TEXT NOT NULL,
            articles INTEGER NOT NULL,
            PRIMARY KEY (actor_id, other_id)
        ) WITHOUT ROWID;
        CREATE INDEX cooccurrence_top ON cooccurrence(actor_id, articles DESC, other_id);

        -- Covering indexes. An article row stores its text before its outlet, dates and
        -- language, so reading any of those walks the text's overflow pages: listings, joins by
        -- id and counts read these indexes instead of the rows.
        CREATE INDEX articles_listing
            ON articles(id, outlet, published, language, date_not_before);
        CREATE INDEX articles_outlet_cover
            ON articles(outlet, published, language, id);
        CREATE INDEX articles_published_cover ON articles(published, id);
        CREATE INDEX mentions_actor_article ON mentions(actor_id, article_id);
        CREATE INDEX places_geo_article ON places(geonameid, kind, article_id);
        CREATE INDEX places_country_article ON places(country, article_id);
        CREATE INDEX copy_links_b_kind ON copy_links(b, kind);
        CREATE INDEX story_articles_article ON story_articles(article_id, story_id);
        """,
    )


@migration(20, "events per place and country in the place totals; events by date, quotes by kind")
def _v20(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- Coded events located at the place (per article, and in total) and in the country:
        -- the places page and map counted them with a pass over every event per request.
        ALTER TABLE place_links ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE place_totals ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE country_totals ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
        -- The events one article locates in each country, as last counted.
        CREATE TABLE country_links (
            article_id TEXT NOT NULL,
            country TEXT NOT NULL,
            events INTEGER NOT NULL,
            PRIMARY KEY (article_id, country)
        ) WITHOUT ROWID;
        -- Events newest first as the event list orders them: the list sorted every event
        -- (with the speaker lookups) to show its first page.
        CREATE INDEX events_date_order ON events(COALESCE(date, '') DESC, article_id, seq);
        -- Quotes by kind: a filter by a kind few quotes have walked every quote to fill a page.
        CREATE INDEX quotes_kind ON quotes(kind);
        """,
    )
    # the articles already stored, as `rebuild_all` counts them (the step keeps them from now on)
    _fill_events(conn)


@migration(21, "the actor pairs' index by count keeps only the pairs met in two articles or more")
def _v21(conn: sqlite3.Connection) -> None:
    # Most pairs are met in one article: indexing them by count doubled the cost of writing the
    # pair table (every new pair and every count change rewrote an index entry too) for rows
    # `co_occurring` reads only for actors in few articles, through the primary key.
    run_script(
        conn,
        """
        DROP INDEX cooccurrence_top;
        CREATE INDEX cooccurrence_top ON cooccurrence(actor_id, articles DESC, other_id)
            WHERE articles >= 2;
        """,
    )


def _fill_events(conn: sqlite3.Connection) -> None:
    """Set the event counts of ``place_links``, ``place_totals``, ``country_totals`` and fill
    ``country_links`` from every stored event (their place and country rows already there)."""
    conn.execute("DROP TABLE IF EXISTS temp.event_places")
    conn.execute("CREATE TEMP TABLE event_places AS " + EVENT_PLACES)
    conn.execute(
        "UPDATE place_links SET events = x.n FROM (SELECT article_id, geonameid, kind, "
        "COUNT(*) AS n FROM temp.event_places GROUP BY article_id, geonameid, kind) x "
        "WHERE place_links.article_id = x.article_id AND place_links.geonameid = x.geonameid "
        "AND place_links.kind = x.kind"
    )
    conn.execute(
        "UPDATE place_totals SET events = x.n FROM (SELECT geonameid, kind, SUM(events) AS n "
        "FROM place_links GROUP BY geonameid, kind) x "
        "WHERE place_totals.geonameid = x.geonameid AND place_totals.kind = x.kind"
    )
    conn.execute(
        "INSERT INTO country_links (article_id, country, events) SELECT article_id, country, "
        "COUNT(DISTINCT seq) FROM temp.event_places GROUP BY article_id, country"
    )
    conn.execute(
        "UPDATE country_totals SET events = x.n FROM (SELECT country, SUM(events) AS n "
        "FROM country_links GROUP BY country) x WHERE country_totals.country = x.country"
    )
    conn.execute("DROP TABLE temp.event_places")


def _actors_of(conn: sqlite3.Connection, article_id: str) -> dict[str, int]:
    return {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT actor_id, COUNT(*) FROM mentions WHERE article_id = ? AND actor_id IS NOT NULL "
            "GROUP BY actor_id",
            (article_id,),
        )
    }


def _places_of(
    conn: sqlite3.Connection, article_id: str
) -> tuple[dict[tuple[int, str, str], tuple[int, int]], dict[str, int]]:
    """One article's resolved places now: (geonameid, kind, country) -> (mentions, events
    located there); and its events per country."""
    places = {
        (r[0], r[1], r[2]): (r[3], 0)
        for r in conn.execute(
            "SELECT geonameid, kind, country, COUNT(*) FROM places WHERE article_id = ? "
            "GROUP BY geonameid, kind, country",
            (article_id,),
        )
    }
    located: Counter[tuple[int, str, str]] = Counter()
    countries: dict[str, set[int]] = {}
    for seq, geo, kind, code in conn.execute(
        "SELECT seq, geonameid, kind, country FROM (" + EVENT_PLACES + " WHERE e.article_id = ?)",
        (article_id,),
    ):
        located[(geo, kind, code)] += 1
        countries.setdefault(code, set()).add(seq)
    for key, n in located.items():
        places[key] = (places[key][0], n)
    return places, {code: len(seqs) for code, seqs in countries.items()}


def _add(
    conn: sqlite3.Connection,
    table: str,
    keys: Sequence[str],
    rows: list[tuple],
    values: Sequence[str] = ("articles", "mentions"),
) -> None:
    """Add (key..., value...) deltas to a totals table (values: ``articles``, ``mentions`` and
    any others); rows reaching 0 articles go."""
    names = ", ".join((*keys, *values))
    marks = ", ".join("?" * (len(keys) + len(values)))
    conn.executemany(
        f"INSERT INTO {table} ({names}) VALUES ({marks}) "
        f"ON CONFLICT ({', '.join(k for k in keys if k != 'country' or table == 'country_totals')})"
        " DO UPDATE SET " + ", ".join(f"{v} = {v} + excluded.{v}" for v in values),
        rows,
    )
    where = " AND ".join(f"{k} = ?" for k in keys)
    conn.executemany(
        f"DELETE FROM {table} WHERE {where} AND articles <= 0",
        [r[: len(keys)] for r in rows if any(v < 0 for v in r[len(keys) :])],
    )


def _refresh_places(conn: sqlite3.Connection, article_id: str) -> None:
    old = {
        (r[0], r[1], r[2]): (r[3], r[4])
        for r in conn.execute(
            "SELECT geonameid, kind, country, mentions, events FROM place_links "
            "WHERE article_id = ?",
            (article_id,),
        )
    }
    old_countries = dict(
        conn.execute(
            "SELECT country, events FROM country_links WHERE article_id = ?", (article_id,)
        ).fetchall()
    )
    new, new_countries = _places_of(conn, article_id)
    if old == new and old_countries == new_countries:
        return
    place: Counter[tuple[Any, ...]] = Counter()
    country: Counter[tuple[Any, ...]] = Counter()
    for sign, side, events in ((-1, old, old_countries), (1, new, new_countries)):
        for (geo, kind, code), (n, located) in side.items():
            place[(geo, kind, code, "articles")] += sign
            place[(geo, kind, code, "mentions")] += sign * n
            place[(geo, kind, code, "events")] += sign * located
            country[(code, "mentions")] += sign * n
        for code in {k[2] for k in side}:
            country[(code, "articles")] += sign
        for code, n in events.items():
            country[(code, "events")] += sign * n
    values = ("articles", "mentions", "events")
    places = sorted({k[:3] for k in place})
    _add(
        conn,
        "place_totals",
        ("geonameid", "kind", "country"),
        [
            (g, k, c, *(place[(g, k, c, v)] for v in values))
            for g, k, c in places
            if any(place[(g, k, c, v)] for v in values)
        ],
        values,
    )
    codes = sorted({k[0] for k in country})
    _add(
        conn,
        "country_totals",
        ("country",),
        [
            (c, *(country[(c, v)] for v in values))
            for c in codes
            if any(country[(c, v)] for v in values)
        ],
        values,
    )
    conn.execute("DELETE FROM place_links WHERE article_id = ?", (article_id,))
    conn.executemany(
        "INSERT INTO place_links (article_id, geonameid, kind, country, mentions, events) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(article_id, g, k, c, n, e) for (g, k, c), (n, e) in sorted(new.items())],
    )
    conn.execute("DELETE FROM country_links WHERE article_id = ?", (article_id,))
    conn.executemany(
        "INSERT INTO country_links (article_id, country, events) VALUES (?, ?, ?)",
        [(article_id, c, n) for c, n in sorted(new_countries.items())],
    )


class Tally:
    """The actor totals and pair counts a run of article refreshes adds up, written once
    (`write`): the pairs of one batch's articles overlap (its common actors meet in many of
    them), and one sorted pass over the pair table costs less than one per article."""

    def __init__(self) -> None:
        self.actors: Counter[tuple[str, str]] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()

    def count(self, conn: sqlite3.Connection, article_id: str) -> bool:
        """Bring one article's links (and its place counts) in line with its linked mentions,
        and tally what its counts change by; whether its actors changed. Everything it adds to
        the tally comes after its own writes, so an article that fails part-way (undone by the
        caller's savepoint) leaves no part in the tally."""
        _refresh_places(conn, article_id)
        old = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT actor_id, mentions FROM cooccurrence_links WHERE article_id = ?",
                (article_id,),
            )
        }
        new = _actors_of(conn, article_id)
        if old == new:
            return False
        conn.execute("DELETE FROM cooccurrence_links WHERE article_id = ?", (article_id,))
        conn.executemany(
            "INSERT INTO cooccurrence_links (article_id, actor_id, mentions) VALUES (?, ?, ?)",
            [(article_id, a, n) for a, n in sorted(new.items())],
        )
        actors: Counter[tuple[str, str]] = Counter()
        for sign, side in ((-1, old), (1, new)):
            for actor, n in side.items():
                actors[(actor, "articles")] += sign
                actors[(actor, "mentions")] += sign * n
        pairs: Counter[tuple[str, str]] = Counter(permutations(new, 2))
        pairs.subtract(permutations(old, 2))
        self.actors.update(actors)
        self.pairs.update(pairs)
        return True

    def write(self, conn: sqlite3.Connection) -> None:
        """Add the tally to ``actor_totals`` and ``cooccurrence`` (rows reaching 0 articles
        go) and empty it."""
        names = sorted({k[0] for k, n in self.actors.items() if n})
        _add(
            conn,
            "actor_totals",
            ("actor_id",),
            [(a, self.actors[(a, "articles")], self.actors[(a, "mentions")]) for a in names],
        )
        delta = sorted((pair, n) for pair, n in self.pairs.items() if n)
        conn.executemany(
            "INSERT INTO cooccurrence (actor_id, other_id, articles) VALUES (?, ?, ?) "
            "ON CONFLICT (actor_id, other_id) DO UPDATE SET "
            "articles = articles + excluded.articles",
            [(a, b, n) for (a, b), n in delta],
        )
        conn.executemany(
            "DELETE FROM cooccurrence WHERE actor_id = ? AND other_id = ? AND articles <= 0",
            [pair for pair, n in delta if n < 0],
        )
        self.actors.clear()
        self.pairs.clear()


def refresh_articles(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Bring the counts in line with these articles' linked mentions and places (an article no
    longer stored takes its part back); returns how many articles changed. Runs in the
    caller's transaction."""
    tally = Tally()
    changed = sum(tally.count(conn, a) for a in sorted(set(article_ids)))
    tally.write(conn)
    return changed


def rebuild_all(conn: sqlite3.Connection) -> dict[str, int]:
    """Recompute every table here from the stored mentions, places and events (repair,
    `Updater.rebuild`); returns the rows written."""
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.execute(
        "INSERT INTO cooccurrence_links (article_id, actor_id, mentions) SELECT article_id, "
        "actor_id, COUNT(*) FROM mentions WHERE actor_id IS NOT NULL GROUP BY article_id, actor_id"
    )
    conn.execute(
        "INSERT INTO cooccurrence (actor_id, other_id, articles) SELECT x.actor_id, y.actor_id, "
        "COUNT(*) FROM cooccurrence_links x JOIN cooccurrence_links y "
        "ON y.article_id = x.article_id AND y.actor_id != x.actor_id "
        "GROUP BY x.actor_id, y.actor_id"
    )
    conn.execute(
        "INSERT INTO actor_totals (actor_id, articles, mentions) SELECT actor_id, COUNT(*), "
        "SUM(mentions) FROM cooccurrence_links GROUP BY actor_id"
    )
    conn.execute(
        "INSERT INTO place_links (article_id, geonameid, kind, country, mentions) SELECT "
        "article_id, geonameid, kind, country, COUNT(*) FROM places "
        "GROUP BY article_id, geonameid, kind, country"
    )
    conn.execute(
        "INSERT INTO place_totals (geonameid, kind, country, articles, mentions) SELECT "
        "geonameid, kind, country, COUNT(*), SUM(mentions) FROM place_links "
        "GROUP BY geonameid, kind, country"
    )
    conn.execute(
        "INSERT INTO country_totals (country, articles, mentions) SELECT country, "
        "COUNT(DISTINCT article_id), SUM(mentions) FROM place_links GROUP BY country"
    )
    _fill_events(conn)
    return {
        table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]) for table in TABLES
    }


def articles_with_keys(conn: sqlite3.Connection, article_ids: Sequence[str]) -> set[str]:
    """Articles whose mentions an acronym defined in ``article_ids`` may have relinked (the
    actor step follows a redirect into every article that writes the acronym)."""
    keys: set[str] = set()
    for article_id in article_ids:
        keys.update(
            r[0]
            for r in conn.execute(
                "SELECT key FROM acronym_defs WHERE article_id = ?", (article_id,)
            )
        )
    if not keys:
        return set()
    keys |= {
        r[0]
        for key in sorted(keys)
        for r in conn.execute("SELECT key FROM actor_keys WHERE actor_id = ?", (key,))
    }
    out: set[str] = set()
    for key in sorted(keys):
        out.update(
            r[0] for r in conn.execute("SELECT article_id FROM mentions WHERE key = ?", (key,))
        )
    return out


def co_occurring(conn: sqlite3.Connection, actor_id: str, limit: int) -> list[dict[str, Any]]:
    """The actors mentioned in most articles together with ``actor_id``: id, name, type and
    articles, most first (then by name). The pairs met in two articles or more come from one
    range of the partial index ``cooccurrence_top``, whatever the actor's article count; pairs
    met once (most of them, and not indexed by count: migration 21) are read only when those
    do not fill ``limit``, which an actor in many articles never needs."""
    select = (
        "SELECT c.other_id AS id, x.name, x.type, c.articles FROM cooccurrence c "
        "JOIN actors x ON x.id = c.other_id WHERE c.actor_id = ? "
    )
    rows = [
        dict(r)
        for r in conn.execute(
            select + "AND c.articles >= 2 ORDER BY c.articles DESC, x.name LIMIT ?",
            (actor_id, int(limit)),
        )
    ]
    if len(rows) < limit:
        rows += [
            dict(r)
            for r in conn.execute(
                select + "AND c.articles = 1 ORDER BY x.name LIMIT ?",
                (actor_id, int(limit) - len(rows)),
            )
        ]
    return rows


def pair_counts(conn: sqlite3.Connection, actor_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Articles (anywhere in the store) that mention each pair of ``actor_ids`` together."""
    if len(actor_ids) < 2:
        return []
    marks = ",".join("?" * len(actor_ids))
    rows = conn.execute(
        f"SELECT actor_id AS a, other_id AS b, articles FROM cooccurrence "
        f"WHERE actor_id IN ({marks}) AND other_id IN ({marks}) AND actor_id < other_id "
        "ORDER BY articles DESC, a, b",
        [*actor_ids, *actor_ids],
    )
    return [dict(r) for r in rows]
