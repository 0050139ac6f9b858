"""Stories and storylines in the store: the schema and the readers.

What the CLI and the web layer read (story and storyline listings and details, the consistency
check) lives here and imports no clustering code, so opening a store stays cheap. Keeping the
stories up to date after each ingest batch, and the full rebuild, are in
:mod:`storyline.update.cluster_stories`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from typing import Any

from storyline.article import ACTOR_LABELS, PLACE_LABELS, article_date
from storyline.store.articles import read_articles
from storyline.store.copies import copies_among
from storyline.store.db import migration, run_script

__all__ = [
    "check_stories",
    "copies_among",
    "list_stories",
    "list_storylines",
    "story_detail",
    "storyline_detail",
]


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


# -- reading ------------------------------------------------------------------------------------


def _resolve(conn: sqlite3.Connection, table: str, ident: str) -> str | None:
    """A story or storyline id, or a unique prefix of one (with or without st_ / sl_)."""
    prefix = "st_" if table == "stories" else "sl_"
    for candidate in (ident, prefix + ident.removeprefix(prefix)):
        if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone():
            return candidate
    like = (prefix + ident.removeprefix(prefix)).replace("%", "").replace("_", r"\_") + "%"
    rows = conn.execute(f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (like,))
    found = [r[0] for r in rows]
    return found[0] if len(found) == 1 else None


def list_stories(
    conn: sqlite3.Connection, limit: int = 20, storyline: str | None = None
) -> list[dict[str, Any]]:
    """Latest stories first (by their last article's date), with counts and storyline."""
    where, params = "", []  # type: tuple[str, list[Any]]
    if storyline:
        where, params = "WHERE s.storyline_id = ?", [storyline]
    rows = conn.execute(
        "SELECT s.id, s.title, s.first_seen, s.last_seen, s.n_articles, s.n_sources, "
        "s.storyline_id, l.title AS storyline_title FROM stories s "
        f"LEFT JOIN storylines l ON l.id = s.storyline_id {where} "
        "ORDER BY s.last_seen IS NULL, s.last_seen DESC, s.n_articles DESC, s.id LIMIT ?",
        [*params, int(limit)],
    )
    return [dict(r) for r in rows]


def story_detail(store: Any, ident: str) -> dict[str, Any] | None:
    """One story: articles by outlet and time (copies marked), actors, quotes, events, summary."""

    conn = store.conn
    story_id = _resolve(conn, "stories", ident)
    if story_id is None:
        return None
    row = dict(conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone())
    row.pop("profile", None)
    row["summary"] = json.loads(row["summary"])
    members = story_members(conn, story_id)
    ids = [r["id"] for r in members]
    articles = read_articles(conn, ids, context=True)
    copies = copies_among(conn, ids)
    scores = {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT article_id, score FROM story_articles WHERE story_id = ?", (story_id,)
        )
    }
    row["articles"] = [
        {
            "id": a.id,
            "date": article_date(a) or None,
            "dated": bool(a.published),
            "outlet": a.outlet,
            "title": a.title,
            "language": a.language,
            "url": a.canonical_url or a.url,
            "copy_of": copies.get(a.id, {}).get("of"),
            "copy_kind": copies.get(a.id, {}).get("kind"),
            "score": scores.get(a.id),
        }
        for a in sorted(articles, key=lambda a: (a.outlet or "~", article_date(a) or "9999", a.id))
    ]
    actor_articles: dict[str, set[str]] = {}
    surfaces: dict[str, Counter[str]] = {}
    actor_label: dict[str, str] = {}
    for article in articles:
        for m in article.mentions:
            if m.label not in ACTOR_LABELS | PLACE_LABELS:
                continue
            key = m.actor_id or m.text
            actor_articles.setdefault(key, set()).add(article.id)
            surfaces.setdefault(key, Counter())[m.text] += 1
            actor_label.setdefault(key, m.label)
    names = actor_names(conn, actor_articles)
    row["actors"] = [
        {
            "id": key,
            "name": names.get(key) or surfaces[key].most_common(1)[0][0],
            "label": actor_label[key],
            "articles": len(arts),
        }
        for key, arts in sorted(actor_articles.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ][:25]
    seen_quotes: set[str] = set()
    row["quotes"] = []
    row["events"] = []
    for article in sorted(
        articles, key=lambda a: (a.id in copies, article_date(a) or "9999", a.id)
    ):
        for q in article.quotes:
            norm = " ".join(q.text.lower().split())
            if norm in seen_quotes:
                continue
            seen_quotes.add(norm)
            row["quotes"].append(
                {
                    "speaker": q.speaker,
                    "speaker_actor": q.speaker_actor,
                    "text": q.text,
                    "kind": q.kind,
                    "article_id": article.id,
                    "start": q.start,
                    "end": q.end,
                }
            )
        for e in article.events:
            row["events"].append(
                {
                    "type": e.type,
                    "source": e.source,
                    "target": e.target,
                    "date": e.date,
                    "place": e.place,
                    "evidence": e.evidence,
                    "article_id": article.id,
                    "start": e.start,
                    "end": e.end,
                }
            )
    line = row.get("storyline_id")
    row["storyline_title"] = None
    if line:
        found = conn.execute("SELECT title FROM storylines WHERE id = ?", (line,)).fetchone()
        row["storyline_title"] = found[0] if found else None
    return row


def list_storylines(conn: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    """Latest storylines first, with their span, size and main actors."""
    rows = conn.execute(
        "SELECT id, title, first_seen, last_seen, n_stories, n_articles, actors FROM storylines "
        "ORDER BY last_seen IS NULL, last_seen DESC, n_articles DESC, id LIMIT ?",
        (int(limit),),
    )
    out = []
    for r in rows:
        item = dict(r)
        described = json.loads(item.pop("actors"))
        item["actors"] = [x["name"] for x in described.get("actors", [])[:5]]
        item["places"] = [x["name"] for x in described.get("places", [])[:5]]
        out.append(item)
    return out


def storyline_detail(conn: sqlite3.Connection, ident: str) -> dict[str, Any] | None:
    """One storyline: title, actors, places and terms that drive it, and its stories by date."""
    line_id = _resolve(conn, "storylines", ident)
    if line_id is None:
        return None
    row = dict(conn.execute("SELECT * FROM storylines WHERE id = ?", (line_id,)).fetchone())
    described = json.loads(row.pop("actors"))
    row.update({k: described.get(k, []) for k in ("actors", "places", "terms")})
    row["summary"] = json.loads(row["summary"])
    row.pop("seq", None)
    timeline = []
    for r in conn.execute(
        "SELECT s.id, s.title, s.first_seen, s.last_seen, s.n_articles, s.n_sources, s.summary, "
        "l.score FROM stories s LEFT JOIN storyline_stories l ON l.story_id = s.id "
        "WHERE s.storyline_id = ? ORDER BY s.first_seen IS NULL, s.first_seen, s.id",
        (line_id,),
    ):
        item = dict(r)
        summary = json.loads(item.pop("summary"))
        item["lead"] = summary[0] if summary else None
        timeline.append(item)
    row["timeline"] = timeline
    return row
