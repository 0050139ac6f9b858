"""The team's work on the store: tags, named collections, notes, and hidden articles.

- ``tags``: a short label on an article or a story, once per (thing, tag), with who added it.
- ``collections`` and ``collection_items``: a named, described set of articles and stories with
  an owner; each item says who added it and when.
- ``notes``: a comment on an article, story, storyline or actor, with its author and the times
  it was written and last edited.
- ``hidden_articles``: an article taken out of the live tables (`storyline.store.hidden`), with
  everything needed to put it back exactly as it was.

Targets are kept by id without a foreign key on purpose: a hidden article leaves the live tables
but keeps its tags, notes and places in collections, which come back with it; readers join the
live tables, so a hidden article's tags and items are counted nowhere. Authors and owners are
user names (what the audit log names), not user ids.

The rules (who may edit what, valid names) live in `storyline.team.teamwork`; this is the SQL.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from storyline.store.db import migration, now, run_script

#: What a tag may be on, and what a note may be on.
TAG_KINDS = ("article", "story")
NOTE_KINDS = ("article", "story", "storyline", "actor")

#: Tables of the team's work (for tests that compare article content only).
TEAMWORK_TABLES = frozenset({"tags", "collections", "collection_items", "notes", "hidden_articles"})


@migration(13, "team work: tags, collections, notes, hidden articles")
def _teamwork(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE tags (
            kind TEXT NOT NULL CHECK (kind IN ('article', 'story')),
            target TEXT NOT NULL,
            tag TEXT NOT NULL COLLATE NOCASE,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (kind, target, tag)
        );
        CREATE INDEX tags_tag ON tags(tag, kind);

        CREATE TABLE collections (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            description TEXT NOT NULL DEFAULT '',
            owner TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE collection_items (
            collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('article', 'story')),
            target TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (collection_id, kind, target)
        );
        CREATE INDEX collection_items_target ON collection_items(kind, target);

        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('article', 'story', 'storyline', 'actor')),
            target TEXT NOT NULL,
            author TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            edited_at TEXT
        );
        CREATE INDEX notes_target ON notes(kind, target, id);

        -- An article an admin or analyst hid: its row and raw input as they were, and the
        -- ingest checkpoint keys that produced it (kept as 'skipped: hidden' meanwhile).
        CREATE TABLE hidden_articles (
            article_id TEXT PRIMARY KEY,
            title TEXT,
            outlet TEXT,
            published TEXT,
            row TEXT NOT NULL,
            raw_source TEXT,
            raw_record INTEGER,
            raw_format TEXT,
            raw_fields TEXT,
            raw BLOB,
            sources TEXT NOT NULL DEFAULT '[]',
            hidden_by TEXT NOT NULL,
            hidden_at TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT ''
        );
        """,
    )


#: Joins that keep only live targets (a hidden article is in none of these tables).
LIVE = {
    "article": "EXISTS (SELECT 1 FROM articles a WHERE a.id = {t})",
    "story": "EXISTS (SELECT 1 FROM stories s WHERE s.id = {t})",
    "storyline": "EXISTS (SELECT 1 FROM storylines l WHERE l.id = {t})",
    "actor": "EXISTS (SELECT 1 FROM actors x WHERE x.id = {t})",
}


def live_clause(kind_col: str, target_col: str) -> str:
    """SQL true when the row's target (of kind ``kind_col``) is in the live tables."""
    parts = [
        f"({kind_col} = '{kind}' AND {cond.format(t=target_col)})" for kind, cond in LIVE.items()
    ]
    return "(" + " OR ".join(parts) + ")"


def target_exists(conn: sqlite3.Connection, kind: str, target: str) -> bool:
    sql = "SELECT " + LIVE[kind].format(t="?")
    return bool(conn.execute(sql, (target,)).fetchone()[0])


# -- tags -----------------------------------------------------------------------------------------


def insert_tag(conn: sqlite3.Connection, kind: str, target: str, tag: str, by: str) -> bool:
    cur = conn.execute(
        "INSERT OR IGNORE INTO tags (kind, target, tag, added_by, added_at) VALUES (?,?,?,?,?)",
        (kind, target, tag, by, now()),
    )
    return cur.rowcount > 0


def delete_tag(conn: sqlite3.Connection, kind: str, target: str, tag: str) -> bool:
    cur = conn.execute(
        "DELETE FROM tags WHERE kind = ? AND target = ? AND tag = ?", (kind, target, tag)
    )
    return cur.rowcount > 0


def tags_of(conn: sqlite3.Connection, kind: str, target: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT tag, added_by, added_at FROM tags WHERE kind = ? AND target = ? ORDER BY tag",
        (kind, target),
    )
    return [dict(r) for r in rows]


def tag_counts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every tag on a live article or story, with how many of each it is on."""
    rows = conn.execute(
        "SELECT tag, SUM(kind = 'article') AS articles, SUM(kind = 'story') AS stories "
        f"FROM tags WHERE {live_clause('kind', 'target')} GROUP BY tag ORDER BY tag"
    )
    return [dict(r) for r in rows]


def tagged(conn: sqlite3.Connection, tag: str) -> list[dict[str, Any]]:
    """The live articles and stories carrying ``tag``, with a title for each."""
    rows = conn.execute(
        "SELECT t.kind, t.target, t.added_by, t.added_at, "
        "COALESCE(a.title, s.title, '') AS title FROM tags t "
        "LEFT JOIN articles a ON t.kind = 'article' AND a.id = t.target "
        "LEFT JOIN stories s ON t.kind = 'story' AND s.id = t.target "
        f"WHERE t.tag = ? AND {live_clause('t.kind', 't.target')} ORDER BY t.kind, t.added_at",
        (tag,),
    )
    return [dict(r) for r in rows]


# -- collections ----------------------------------------------------------------------------------

COLLECTION_COLUMNS = "c.id, c.name, c.description, c.owner, c.created_at"


def insert_collection(conn: sqlite3.Connection, name: str, description: str, owner: str) -> int:
    cur = conn.execute(
        "INSERT INTO collections (name, description, owner, created_at) VALUES (?, ?, ?, ?)",
        (name, description, owner, now()),
    )
    return int(cur.lastrowid or 0)


def find_collection(conn: sqlite3.Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {COLLECTION_COLUMNS} FROM collections c WHERE c.name = ?", (name,)
    ).fetchone()
    return dict(row) if row else None


def update_collection(conn: sqlite3.Connection, collection_id: int, description: str) -> None:
    conn.execute(
        "UPDATE collections SET description = ? WHERE id = ?", (description, collection_id)
    )


def delete_collection(conn: sqlite3.Connection, collection_id: int) -> None:
    conn.execute("DELETE FROM collections WHERE id = ?", (collection_id,))


def list_collections(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every collection with how many live articles and stories it holds."""
    rows = conn.execute(
        f"SELECT {COLLECTION_COLUMNS}, "
        "COALESCE(SUM(i.kind = 'article'), 0) AS articles, "
        "COALESCE(SUM(i.kind = 'story'), 0) AS stories FROM collections c "
        f"LEFT JOIN collection_items i ON i.collection_id = c.id "
        f"AND {live_clause('i.kind', 'i.target')} GROUP BY c.id ORDER BY c.name"
    )
    return [dict(r) for r in rows]


def insert_item(conn: sqlite3.Connection, collection_id: int, kind: str, target: str,
                by: str) -> bool:  # fmt: skip
    cur = conn.execute(
        "INSERT OR IGNORE INTO collection_items (collection_id, kind, target, added_by, "
        "added_at) VALUES (?, ?, ?, ?, ?)",
        (collection_id, kind, target, by, now()),
    )
    return cur.rowcount > 0


def delete_item(conn: sqlite3.Connection, collection_id: int, kind: str, target: str) -> bool:
    cur = conn.execute(
        "DELETE FROM collection_items WHERE collection_id = ? AND kind = ? AND target = ?",
        (collection_id, kind, target),
    )
    return cur.rowcount > 0


def items_of(conn: sqlite3.Connection, collection_id: int) -> list[dict[str, Any]]:
    """A collection's live items in the order they were added, with a title for each."""
    rows = conn.execute(
        "SELECT i.kind, i.target, i.added_by, i.added_at, "
        "COALESCE(a.title, s.title, '') AS title, COALESCE(a.outlet, '') AS outlet, "
        "COALESCE(a.published, s.last_seen) AS date FROM collection_items i "
        "LEFT JOIN articles a ON i.kind = 'article' AND a.id = i.target "
        "LEFT JOIN stories s ON i.kind = 'story' AND s.id = i.target "
        f"WHERE i.collection_id = ? AND {live_clause('i.kind', 'i.target')} "
        "ORDER BY i.added_at, i.kind, i.target",
        (collection_id,),
    )
    return [dict(r) for r in rows]


def collections_holding(conn: sqlite3.Connection, kind: str, target: str) -> list[str]:
    rows = conn.execute(
        "SELECT c.name FROM collection_items i JOIN collections c ON c.id = i.collection_id "
        "WHERE i.kind = ? AND i.target = ? ORDER BY c.name",
        (kind, target),
    )
    return [str(r[0]) for r in rows]


# -- notes ----------------------------------------------------------------------------------------

NOTE_COLUMNS = "id, kind, target, author, body, created_at, edited_at"


def insert_note(conn: sqlite3.Connection, kind: str, target: str, author: str, body: str) -> int:
    cur = conn.execute(
        "INSERT INTO notes (kind, target, author, body, created_at) VALUES (?, ?, ?, ?, ?)",
        (kind, target, author, body, now()),
    )
    return int(cur.lastrowid or 0)


def get_note(conn: sqlite3.Connection, note_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {NOTE_COLUMNS} FROM notes WHERE id = ?", (note_id,)).fetchone()
    return dict(row) if row else None


def update_note(conn: sqlite3.Connection, note_id: int, body: str) -> None:
    conn.execute("UPDATE notes SET body = ?, edited_at = ? WHERE id = ?", (body, now(), note_id))


def delete_note(conn: sqlite3.Connection, note_id: int) -> None:
    conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))


def notes_of(conn: sqlite3.Connection, kind: str, target: str) -> list[dict[str, Any]]:
    """The notes on one thing, oldest first. An actor's include those written on the actors
    merged into it: a merge says they were one actor all along, and `actors merge` keeps the
    absorbed id (``merged_into``), so the notes need no rewrite and a later split leaves them
    where they were written."""
    if kind == "actor":
        # through the team's actor notes (few), not the actors (many, no index on merged_into)
        columns = ", ".join(f"n.{c.strip()}" for c in NOTE_COLUMNS.split(","))
        rows = conn.execute(
            f"SELECT {columns} FROM notes n LEFT JOIN actors x ON x.id = n.target "
            "WHERE n.kind = 'actor' AND (n.target = ? OR x.merged_into = ?) ORDER BY n.id",
            (target, target),
        )
    else:
        rows = conn.execute(
            f"SELECT {NOTE_COLUMNS} FROM notes WHERE kind = ? AND target = ? ORDER BY id",
            (kind, target),
        )
    return [dict(r) for r in rows]


def list_notes(
    conn: sqlite3.Connection, *, author: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Notes on live targets, newest first (``author``: only theirs)."""
    where = [live_clause("kind", "target")]
    args: list[Any] = []
    if author:
        where.append("author = ? COLLATE NOCASE")
        args.append(author)
    rows = conn.execute(
        f"SELECT {NOTE_COLUMNS} FROM notes WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
        (*args, limit),
    )
    return [dict(r) for r in rows]


def move_team_work(conn: sqlite3.Connection, kind: str, old: str, new: str) -> int:
    """Move the notes, tags and collection places of ``old`` to ``new`` (a story whose id
    reclustering retired, to the story that took its articles), inside the caller's
    transaction; a tag or collection place ``new`` already has is kept once. Returns the rows
    moved."""
    moved = conn.execute(
        "UPDATE notes SET target = ? WHERE kind = ? AND target = ?", (new, kind, old)
    ).rowcount
    for table in ("tags", "collection_items"):
        moved += conn.execute(
            f"UPDATE OR IGNORE {table} SET target = ? WHERE kind = ? AND target = ?",
            (new, kind, old),
        ).rowcount
        conn.execute(f"DELETE FROM {table} WHERE kind = ? AND target = ?", (kind, old))
    return moved
