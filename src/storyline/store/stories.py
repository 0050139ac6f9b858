"""Stories and storylines in the store: the schema and the readers.

The small readers the update steps share (a story's members, actor names) and the consistency
check live here and import no clustering code, so opening a store stays cheap; what analysts
read (listings, a story's or storyline's detail) is shaped in `storyline.analysis.stories`.
Keeping the stories up to date after each ingest batch, and the full rebuild, are in
:mod:`storyline.update.cluster_stories`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from storyline.store.copies import copies_among
from storyline.store.db import migration, run_script

__all__ = ["actor_names", "check_stories", "copies_among", "story_members"]


@migration(6, "stories and storylines: assignments, titles, summaries, clusterer state")
def _v6(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        -- One real-world happening. Dates are the articles' publication dates (a lower bound
        -- for undated ones); n_sources counts articles joined by copy links once.
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            first_seen TEXT,
            last_seen TEXT,
            n_articles INTEGER NOT NULL DEFAULT 0,
            n_sources INTEGER NOT NULL DEFAULT 0,
            summary TEXT NOT NULL DEFAULT '[]',   -- [{text, article_id, start, end, score}]
            profile TEXT NOT NULL DEFAULT '{}',   -- actor, place and term counts (storylines)
            storyline_id TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX stories_last_seen ON stories(last_seen);
        CREATE INDEX stories_storyline ON stories(storyline_id);

        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            joined_at TEXT NOT NULL,
            score REAL  -- the article's closeness to its story's centroid, at the last refresh
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);

        -- A thread of stories over time.
        CREATE TABLE storylines (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            first_seen TEXT,
            last_seen TEXT,
            n_stories INTEGER NOT NULL DEFAULT 0,
            n_articles INTEGER NOT NULL DEFAULT 0,
            actors TEXT NOT NULL DEFAULT '{}',    -- {actors: [...], places: [...], terms: [...]}
            summary TEXT NOT NULL DEFAULT '[]',   -- lead sentences of its main stories
            seq INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX storylines_last_seen ON storylines(last_seen);

        CREATE TABLE storyline_stories (
            story_id TEXT PRIMARY KEY,
            storyline_id TEXT NOT NULL,
            joined_at TEXT NOT NULL,
            score REAL
        );
        CREATE INDEX storyline_stories_line ON storyline_stories(storyline_id);

        -- The story clusterer's state, so a restart resumes incrementally: the global part ...
        CREATE TABLE cluster_state (
            name TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            generation INTEGER NOT NULL,
            n_articles INTEGER NOT NULL,
            state BLOB NOT NULL,
            updated_at TEXT NOT NULL
        );
        -- ... and one row per story (written only when the story changed).
        CREATE TABLE cluster_state_stories (
            story_id TEXT PRIMARY KEY,
            state BLOB NOT NULL
        );
        """,
    )


@migration(18, "the clusterer's per-story state keeps its newest day, to retire old stories")
def _v18(conn: sqlite3.Connection) -> None:
    # Stories whose newest article is older than the clusterer's window (``[stories]
    # active_days``) are not loaded into memory; this column finds them without unpacking the
    # state. NULL (rows of older stores, undated stories) means "load it".
    run_script(
        conn,
        """
        ALTER TABLE cluster_state_stories ADD COLUMN last_day INTEGER;
        CREATE INDEX cluster_state_stories_last_day ON cluster_state_stories(last_day);
        """,
    )


def story_members(conn: sqlite3.Connection, story_id: str) -> list[sqlite3.Row]:
    """A story's articles (id, date, the text's own bound) in time order, undated last."""
    return conn.execute(
        "SELECT a.id, a.published, a.date_not_before FROM story_articles s "
        "JOIN articles a ON a.id = s.article_id WHERE s.story_id = ? "
        "ORDER BY COALESCE(substr(a.published, 1, 10), a.date_not_before, '9999'), a.id",
        (story_id,),
    ).fetchall()


def actor_names(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, str]:
    """The display names of the actors among ``keys`` that have an actor row."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    return {
        r[0]: r[1] for r in conn.execute(f"SELECT id, name FROM actors WHERE id IN ({marks})", keys)
    }


# -- checking -----------------------------------------------------------------------------------


def check_stories(conn: sqlite3.Connection) -> list[str]:
    """What is inconsistent in the story tables (empty when all is well), for tests and repair.

    Every stored article is in exactly one story, every story has an article, a storyline and
    its clusterer state, its counts match its members, and each storyline's counts match its
    stories. ``recluster`` repairs anything this reports.
    """
    queries = {
        "articles in no story": "SELECT a.id FROM articles a LEFT JOIN story_articles s "
        "ON s.article_id = a.id WHERE s.article_id IS NULL",
        "assignments to a missing story": "SELECT s.article_id FROM story_articles s "
        "LEFT JOIN stories t ON t.id = s.story_id WHERE t.id IS NULL",
        "stories whose n_articles is not their member count": "SELECT t.id FROM stories t "
        "LEFT JOIN (SELECT story_id, COUNT(*) AS n FROM story_articles GROUP BY story_id) m "
        "ON m.story_id = t.id WHERE COALESCE(m.n, 0) != t.n_articles OR t.n_articles < 1",
        "stories in no storyline": "SELECT t.id FROM stories t LEFT JOIN storyline_stories l "
        "ON l.story_id = t.id LEFT JOIN storylines s ON s.id = l.storyline_id "
        "WHERE s.id IS NULL OR t.storyline_id IS NOT l.storyline_id",
        "storyline memberships of a missing story": "SELECT l.story_id FROM storyline_stories "
        "l LEFT JOIN stories t ON t.id = l.story_id WHERE t.id IS NULL",
        "storylines whose counts do not match their stories": "SELECT s.id FROM storylines s "
        "LEFT JOIN (SELECT storyline_id, COUNT(*) AS n, SUM(n_articles) AS a FROM stories "
        "GROUP BY storyline_id) t ON t.storyline_id = s.id "
        "WHERE COALESCE(t.n, 0) != s.n_stories OR COALESCE(t.a, 0) != s.n_articles "
        "OR s.n_stories < 1",
        "stories without clusterer state": "SELECT t.id FROM stories t LEFT JOIN "
        "cluster_state_stories c ON c.story_id = t.id WHERE c.story_id IS NULL",
        "clusterer state of a missing story": "SELECT c.story_id FROM cluster_state_stories c "
        "LEFT JOIN stories t ON t.id = c.story_id WHERE t.id IS NULL",
    }
    problems = []
    for what, sql in queries.items():
        found = [r[0] for r in conn.execute(sql + " LIMIT 6")]
        if found:
            problems.append(f"{what}: {', '.join(found[:5])}{' ...' if len(found) > 5 else ''}")
    return problems
