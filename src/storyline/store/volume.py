"""Articles per day, outlet and language, and an actor's articles per day, kept as the store
changes; and the indexes that list articles and quotes newest first without sorting the store.

The front page (store summary, articles per week, the period's top actors), the article
listing's numbers (`storyline stats`) and the actor page's mentions per month used to aggregate
every article (or every mention of a hub actor) per request: at 100,000 articles the front page
took 1.3 s and the hub actor's page 1.5 s. The update step ``count_volume``
(`storyline.update.count_volume`) keeps the answers instead:

- ``volume_links``: each article's day, kind, outlet and language, as last counted. ``kind`` is
  ``dated`` (``day`` is its published day), ``bound`` (undated, ``day`` is the day of its
  effective lower bound, context bounds included, as `article_bounds` gives it) or ``none``
  (undated and unbounded, no day);
- ``volume_days``: per day, kind, outlet and language, the articles;
- ``actor_day_links``: the linked actors each article mentions, with its published day (NULL
  when undated), as last counted;
- ``actor_days``: per actor and published day, the articles mentioning it and its mentions;
- ``story_dates``: per story, the published span of its articles, the bound span of its undated
  ones (effective bounds, context included), and how many are undated and bounded: the dates
  every story and storyline listing shows, which cost a pass over each listed storyline's
  articles (every article of the store on a full page of storylines);
- ``story_outlets``: per story and outlet, its articles (the outlets a story listing shows);
- ``story_days``: per story and published day, its dated articles (the front page's trend line
  of each moving storyline, which was a pass over the storylines' articles: 11,700 of them for
  the six lines at 100,000 articles).

Each article's part is replaced whole and the groups it touched are recounted from the links
(``actor_days`` is moved by the difference between the article's old and new links instead: a hub
actor's day holds thousands), in the step's transaction, so a batch done twice after a kill, a
clean run and `rebuild_all` hold the same rows. Every row is a
function of the stored article, its linked mentions and its bound, never of the order articles
came in.

Migration 15 also adds indexes: ``articles_day_order`` (an article's day, newest first, then
id: `storyline list`, /articles) and ``articles_published_order`` (the published stamp newest
first, then id: the quotes listing walks it and stops after a page); ``mentions_actor_text_key``
(an actor's spellings and keys from the index) and ``quotes_speaker_key`` (quotes by speaker
key as stored); and ``quotes.wording``, each quote's wording key, so a story page counts the
wordings of its quotes without reading their text. Migration 19 adds ``story_days`` and
indexes for pages that read a few rows of a large table: ``copy_links_counted`` (the copy links
of the reporting, apart from partial reuse: an article page's independent sources) and
``events_source_key`` / ``events_target_key`` (events by actor key as stored: the filter by
actor, on the actor page, scanned every event because ``events_source`` folds case).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from storyline.store.copies import COUNTED_SQL
from storyline.store.db import migration, run_script
from storyline.store.quotes import wording_key

#: The tables of this module, written by the ``count_volume`` step alone (and by the actor
#: corrections, which relink mentions, through `refresh_actor_days`).
TABLES = (
    "volume_links",
    "volume_days",
    "actor_day_links",
    "actor_days",
    "story_dates",
    "story_outlets",
    "story_days",
)

__all__ = [
    "TABLES",
    "actor_months",
    "period_actors",
    "rebuild_all",
    "refresh_actor_days",
    "refresh_articles",
    "refresh_stories",
    "story_dates",
    "storyline_days",
    "volume_by_day",
]


@migration(15, "articles per day and actors per day for the workbench; listing order indexes")
def _v15(conn: sqlite3.Connection) -> None:
    # each quote's wording key (`storyline.store.quotes.wording_key`), filled in for the quotes
    # already stored; the quote writer sets it from now on
    conn.create_function("storyline_wording", 1, wording_key, deterministic=True)
    conn.execute("ALTER TABLE quotes ADD COLUMN wording INTEGER")
    conn.execute("UPDATE quotes SET wording = storyline_wording(text)")
    run_script(
        conn,
        """
        -- One article's day, kind, outlet and language, as the day totals last took it in.
        CREATE TABLE volume_links (
            article_id TEXT PRIMARY KEY,
            day TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('dated', 'bound', 'none')),
            outlet TEXT,
            language TEXT
        ) WITHOUT ROWID;
        CREATE INDEX volume_links_group ON volume_links(day, kind, outlet, language);
        -- Per day, kind, outlet and language (NULL outlet or language: not known).
        CREATE TABLE volume_days (
            day TEXT,
            kind TEXT NOT NULL,
            outlet TEXT,
            language TEXT,
            articles INTEGER NOT NULL
        );
        CREATE INDEX volume_days_key ON volume_days(day, kind, outlet, language);
        -- The linked actors one article mentions (mentions each) and its published day.
        CREATE TABLE actor_day_links (
            article_id TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            day TEXT,
            mentions INTEGER NOT NULL,
            PRIMARY KEY (article_id, actor_id)
        ) WITHOUT ROWID;
        CREATE INDEX actor_day_links_group ON actor_day_links(actor_id, day);
        -- Per actor and published day (NULL: undated articles).
        CREATE TABLE actor_days (
            actor_id TEXT NOT NULL,
            day TEXT,
            articles INTEGER NOT NULL,
            mentions INTEGER NOT NULL
        );
        CREATE INDEX actor_days_key ON actor_days(actor_id, day);
        CREATE INDEX actor_days_day ON actor_days(day, actor_id, articles, mentions);
        -- Per story: its published span, the bound span of its undated articles, how many are
        -- undated and bounded (a storyline's are its stories' taken together).
        CREATE TABLE story_dates (
            story_id TEXT PRIMARY KEY,
            first_seen TEXT,
            last_seen TEXT,
            first_bound TEXT,
            last_bound TEXT,
            n_undated INTEGER NOT NULL,
            n_bounded INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- Per story and outlet ('(unknown outlet)' when not known): its articles.
        CREATE TABLE story_outlets (
            story_id TEXT NOT NULL,
            outlet TEXT NOT NULL,
            articles INTEGER NOT NULL,
            PRIMARY KEY (story_id, outlet)
        ) WITHOUT ROWID;

        -- Newest first without a sort of the store: the listing walks these and stops.
        CREATE INDEX articles_day_order
            ON articles(substr(published, 1, 10) DESC, id, outlet, language);
        CREATE INDEX articles_published_order ON articles(published DESC, id);
        -- An actor's spellings and keys (its aliases' counts, the keys a filter by actor
        -- matches quotes and events against) read from the index, not from its mention rows.
        CREATE INDEX mentions_actor_text_key ON mentions(actor_id, text, key);
        -- Quotes by speaker key, compared as stored: ``quotes_speaker_actor`` folds case, so
        -- an ``IN`` of keys could not use it and read every quote of the store. Partial: most
        -- quotes have no linked speaker, and with them counted the planner took a key for
        -- half the table and scanned instead.
        CREATE INDEX quotes_speaker_key ON quotes(speaker_actor) WHERE speaker_actor IS NOT NULL;
        """,
    )


@migration(19, "stories' articles per day; indexes for counted copy links and events by actor key")
def _v19(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        f"""
        -- Per story and published day: its dated articles.
        CREATE TABLE story_days (
            story_id TEXT NOT NULL,
            day TEXT NOT NULL,
            articles INTEGER NOT NULL,
            PRIMARY KEY (story_id, day)
        ) WITHOUT ROWID;

        -- The copy links that make two articles one source, apart from partial reuse (most
        -- links): by ``a`` only the primary key (a, b) served, so counting an article page's
        -- sources read every partial link of the article and of what it shares text with.
        -- Partial: queries that do not name this term (``copies_among``) keep their plans.
        CREATE INDEX copy_links_counted ON copy_links(a, b) WHERE {COUNTED_SQL};
        -- Events by actor key as stored (``events_source`` and ``events_target`` fold case, so
        -- an ``IN`` of keys could not use them and a filter by actor read every event).
        CREATE INDEX events_source_key ON events(source_actor) WHERE source_actor IS NOT NULL;
        CREATE INDEX events_target_key ON events(target_actor) WHERE target_actor IS NOT NULL;
        """,
    )
    # the stories already stored, as `rebuild_all` counts them (the step keeps them from now on)
    conn.execute("INSERT INTO story_days (story_id, day, articles) " + _STORY_DAYS + _DAYS_GROUP)


#: One article's volume row now: (day, kind, outlet, language).
_VOLUME_NOW = """
SELECT CASE WHEN a.published IS NOT NULL THEN substr(a.published, 1, 10)
            ELSE substr(b.not_before, 1, 10) END,
       CASE WHEN a.published IS NOT NULL THEN 'dated'
            WHEN b.not_before IS NOT NULL THEN 'bound' ELSE 'none' END,
       a.outlet, a.language
FROM articles a JOIN article_bounds b ON b.article_id = a.id
"""

VolumeGroup = tuple[Any, ...]


def _regroup_volume(conn: sqlite3.Connection, groups: Iterable[VolumeGroup]) -> None:
    for key in sorted(set(groups), key=repr):
        conn.execute(
            "DELETE FROM volume_days WHERE day IS ? AND kind = ? AND outlet IS ? AND language IS ?",
            key,
        )
        conn.execute(
            "INSERT INTO volume_days (day, kind, outlet, language, articles) "
            "SELECT ?1, ?2, ?3, ?4, COUNT(*) FROM volume_links WHERE day IS ?1 AND kind = ?2 "
            "AND outlet IS ?3 AND language IS ?4 HAVING COUNT(*) > 0",
            key,
        )


def _shift_actors(
    conn: sqlite3.Connection, old: set[tuple[Any, ...]], new: set[tuple[Any, ...]]
) -> None:
    """Move ``actor_days`` by one article's links leaving (``old - new``) and arriving (``new -
    old``), each an (actor, day, mentions) row: a delta, not a recount, because a hub actor's
    day (its undated articles above all) holds thousands of links, and recounting them for
    every article that names it grew with the store (a third of the step at 55,000 stored).
    The links and the totals change in one transaction, so the totals stay their links' sums."""
    delta: dict[tuple[Any, Any], list[int]] = {}
    for rows, sign in ((old - new, -1), (new - old, 1)):
        for actor_id, day, mentions in rows:
            d = delta.setdefault((actor_id, day), [0, 0])
            d[0] += sign
            d[1] += sign * mentions
    for (actor_id, day), (articles, mentions) in sorted(delta.items(), key=repr):
        if articles == 0 and mentions == 0:
            continue
        updated = conn.execute(
            "UPDATE actor_days SET articles = articles + ?, mentions = mentions + ? "
            "WHERE actor_id = ? AND day IS ?",
            (articles, mentions, actor_id, day),
        ).rowcount
        if not updated and articles > 0:
            conn.execute(
                "INSERT INTO actor_days (actor_id, day, articles, mentions) VALUES (?, ?, ?, ?)",
                (actor_id, day, articles, mentions),
            )
        elif articles < 0:
            conn.execute(
                "DELETE FROM actor_days WHERE actor_id = ? AND day IS ? AND articles <= 0",
                (actor_id, day),
            )


def _refresh_volume(conn: sqlite3.Connection, article_id: str) -> bool:
    old = conn.execute(
        "SELECT day, kind, outlet, language FROM volume_links WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    new = conn.execute(_VOLUME_NOW + "WHERE a.id = ?", (article_id,)).fetchone()
    old_t, new_t = (tuple(old) if old else None), (tuple(new) if new else None)
    if old_t == new_t:
        return False
    conn.execute("DELETE FROM volume_links WHERE article_id = ?", (article_id,))
    if new_t is not None:
        conn.execute(
            "INSERT INTO volume_links (article_id, day, kind, outlet, language) "
            "VALUES (?, ?, ?, ?, ?)",
            (article_id, *new_t),
        )
    _regroup_volume(conn, [t for t in (old_t, new_t) if t is not None])
    return True


def refresh_actor_days(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Bring ``actor_days`` in line with these articles' linked mentions and published day (an
    article no longer stored takes its part back); returns how many changed. Runs in the
    caller's transaction (the update step, or an analyst's merge or split)."""
    changed = 0
    for article_id in sorted(set(article_ids)):
        old = {
            (r[0], r[1], r[2])
            for r in conn.execute(
                "SELECT actor_id, day, mentions FROM actor_day_links WHERE article_id = ?",
                (article_id,),
            )
        }
        new = {
            (r[0], r[1], r[2])
            for r in conn.execute(
                "SELECT m.actor_id, substr(a.published, 1, 10), COUNT(*) FROM mentions m "
                "JOIN articles a ON a.id = m.article_id WHERE m.article_id = ? "
                "AND m.actor_id IS NOT NULL GROUP BY m.actor_id",
                (article_id,),
            )
        }
        if old == new:
            continue
        changed += 1
        conn.execute("DELETE FROM actor_day_links WHERE article_id = ?", (article_id,))
        conn.executemany(
            "INSERT INTO actor_day_links (article_id, actor_id, day, mentions) VALUES (?, ?, ?, ?)",
            [(article_id, *row) for row in sorted(new, key=repr)],
        )
        _shift_actors(conn, old, new)
    return changed


#: Per group of ``story_articles sa JOIN articles a JOIN article_bounds b``: the published span,
#: the bound span of the undated, and how many are undated / bounded.
DATE_COLUMNS = (
    "MIN(substr(a.published, 1, 10)) AS first_seen, "
    "MAX(substr(a.published, 1, 10)) AS last_seen, "
    "MIN(CASE WHEN a.published IS NULL THEN substr(b.not_before, 1, 10) END) AS first_bound, "
    "MAX(CASE WHEN a.published IS NULL THEN substr(b.not_before, 1, 10) END) AS last_bound, "
    "SUM(a.published IS NULL) AS n_undated, "
    "SUM(a.published IS NULL AND b.not_before IS NOT NULL) AS n_bounded"
)
_STORY_DATES = (
    "SELECT sa.story_id, " + DATE_COLUMNS + " FROM story_articles sa "
    "JOIN articles a ON a.id = sa.article_id JOIN article_bounds b ON b.article_id = a.id "
)


_STORY_OUTLETS = (
    "SELECT sa.story_id, COALESCE(a.outlet, '(unknown outlet)') AS o, COUNT(*) "
    "FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
)


_STORY_DAYS = (
    "SELECT sa.story_id, substr(a.published, 1, 10) AS day, COUNT(*) FROM story_articles sa "
    "JOIN articles a ON a.id = sa.article_id WHERE a.published IS NOT NULL "
)
_DAYS_GROUP = "GROUP BY sa.story_id, day"


def story_outlets(conn: sqlite3.Connection, ids: list[str]) -> dict[str, list[str]]:
    """Each story's outlets, most articles first (then by name), as ``story_outlets`` keeps
    them."""
    out: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for story_id, outlet in conn.execute(
            f"SELECT story_id, outlet FROM story_outlets WHERE story_id IN ({marks}) "
            "ORDER BY story_id, articles DESC, outlet",
            chunk,
        ):
            out.setdefault(story_id, []).append(outlet)
    return out


def refresh_stories(conn: sqlite3.Connection, story_ids: Iterable[str]) -> int:
    """Recompute these stories' dates from their articles now (a story with none left goes);
    returns how many were written. Runs in the caller's transaction."""
    written = 0
    for story_id in sorted(set(story_ids)):
        conn.execute("DELETE FROM story_dates WHERE story_id = ?", (story_id,))
        conn.execute("DELETE FROM story_outlets WHERE story_id = ?", (story_id,))
        conn.execute("DELETE FROM story_days WHERE story_id = ?", (story_id,))
        conn.execute(
            "INSERT INTO story_days (story_id, day, articles) "
            + _STORY_DAYS
            + "AND sa.story_id = ? "
            + _DAYS_GROUP,
            (story_id,),
        )
        conn.execute(
            "INSERT INTO story_outlets (story_id, outlet, articles) "
            + _STORY_OUTLETS
            + "WHERE sa.story_id = ? GROUP BY sa.story_id, o",
            (story_id,),
        )
        cur = conn.execute(
            "INSERT INTO story_dates (story_id, first_seen, last_seen, first_bound, last_bound, "
            "n_undated, n_bounded) " + _STORY_DATES + "WHERE sa.story_id = ? GROUP BY sa.story_id",
            (story_id,),
        )
        written += cur.rowcount
    return written


def stories_of(conn: sqlite3.Connection, article_ids: Iterable[str]) -> set[str]:
    """The stories these articles are in now."""
    out: set[str] = set()
    for article_id in sorted(set(article_ids)):
        row = conn.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        if row:
            out.add(row[0])
    return out


def story_dates(conn: sqlite3.Connection, ids: list[str], level: str) -> dict[str, dict]:
    """Dates of stories (``level="story"``) or storylines (their stories' taken together), as
    ``story_dates`` keeps them: one row per story, read by key."""
    out: dict[str, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        if level == "story":
            sql = (
                "SELECT story_id AS id, first_seen, last_seen, first_bound, last_bound, "
                f"n_undated, n_bounded FROM story_dates WHERE story_id IN ({marks})"
            )
        else:
            sql = (
                "SELECT s.storyline_id AS id, MIN(d.first_seen) AS first_seen, "
                "MAX(d.last_seen) AS last_seen, MIN(d.first_bound) AS first_bound, "
                "MAX(d.last_bound) AS last_bound, SUM(d.n_undated) AS n_undated, "
                "SUM(d.n_bounded) AS n_bounded FROM stories s "
                "JOIN story_dates d ON d.story_id = s.id "
                f"WHERE s.storyline_id IN ({marks}) GROUP BY s.storyline_id"
            )
        for row in conn.execute(sql, chunk):
            item = dict(row)
            out[item.pop("id")] = item
    return out


def refresh_articles(conn: sqlite3.Connection, article_ids: Iterable[str]) -> int:
    """Bring every table here in line with these articles (stored, changed or gone); returns
    how many articles changed. Runs in the caller's transaction."""
    changed = 0
    for article_id in sorted(set(article_ids)):
        moved = _refresh_volume(conn, article_id)
        moved = refresh_actor_days(conn, [article_id]) > 0 or moved
        changed += moved
    return changed


def rebuild_all(conn: sqlite3.Connection) -> dict[str, int]:
    """Recompute every table here from the stored articles, bounds and mentions (repair,
    `Updater.rebuild`, a replicated benchmark store); returns the rows written."""
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.execute(
        "INSERT INTO volume_links (article_id, day, kind, outlet, language) "
        + _VOLUME_NOW.replace("SELECT ", "SELECT a.id, ", 1)
    )
    conn.execute(
        "INSERT INTO volume_days (day, kind, outlet, language, articles) "
        "SELECT day, kind, outlet, language, COUNT(*) FROM volume_links "
        "GROUP BY day, kind, outlet, language"
    )
    conn.execute(
        "INSERT INTO actor_day_links (article_id, actor_id, day, mentions) "
        "SELECT m.article_id, m.actor_id, substr(a.published, 1, 10), COUNT(*) FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.actor_id IS NOT NULL "
        "GROUP BY m.article_id, m.actor_id"
    )
    conn.execute(
        "INSERT INTO actor_days (actor_id, day, articles, mentions) "
        "SELECT actor_id, day, COUNT(*), SUM(mentions) FROM actor_day_links "
        "GROUP BY actor_id, day"
    )
    conn.execute(
        "INSERT INTO story_dates (story_id, first_seen, last_seen, first_bound, last_bound, "
        "n_undated, n_bounded) " + _STORY_DATES + "GROUP BY sa.story_id"
    )
    conn.execute(
        "INSERT INTO story_outlets (story_id, outlet, articles) "
        + _STORY_OUTLETS
        + "GROUP BY sa.story_id, o"
    )
    conn.execute("INSERT INTO story_days (story_id, day, articles) " + _STORY_DAYS + _DAYS_GROUP)
    return {
        table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]) for table in TABLES
    }


# -- readers --------------------------------------------------------------------------------------


def volume_by_day(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every (day, kind, outlet, language) group with its articles: a few thousand rows however
    many articles the store holds (days × outlets × languages)."""
    rows = conn.execute("SELECT day, kind, outlet, language, articles FROM volume_days")
    return [dict(r) for r in rows]


def period_actors(conn: sqlite3.Connection, since: str | None) -> list[dict[str, Any]]:
    """Per actor (as linked, merges not yet followed): articles published on or after ``since``
    (every article, undated included, when None) that mention it, and its mentions there."""
    where, params = ("WHERE day >= ?", [since]) if since else ("", [])
    rows = conn.execute(
        "SELECT actor_id AS id, SUM(articles) AS articles, SUM(mentions) AS mentions "
        f"FROM actor_days {where} GROUP BY actor_id",
        params,
    )
    return [dict(r) for r in rows]


def actor_months(conn: sqlite3.Connection, actor_id: str) -> list[dict[str, Any]]:
    """The actor's mentions and the articles mentioning it per published month ('undated' for
    undated articles), oldest first: one index range of ``actor_days``."""
    rows = conn.execute(
        "SELECT COALESCE(substr(day, 1, 7), 'undated') AS month, SUM(mentions) AS mentions, "
        "SUM(articles) AS articles FROM actor_days WHERE actor_id = ? GROUP BY month "
        "ORDER BY month",
        (actor_id,),
    )
    return [dict(r) for r in rows]


def storyline_days(
    conn: sqlite3.Connection, storyline_ids: list[str], since: str
) -> list[tuple[str, str, int]]:
    """(storyline, published day, dated articles) for these storylines' stories from ``since``
    (an ISO date) on, as ``story_days`` keeps them: a few rows per story, not its articles."""
    if not storyline_ids:
        return []
    marks = ",".join("?" * len(storyline_ids))
    rows = conn.execute(
        "SELECT s.storyline_id, d.day, SUM(d.articles) FROM stories s "
        "JOIN story_days d ON d.story_id = s.id "
        f"WHERE s.storyline_id IN ({marks}) AND d.day >= ? GROUP BY s.storyline_id, d.day",
        [*storyline_ids, since],
    )
    return [(r[0], r[1], int(r[2])) for r in rows]
