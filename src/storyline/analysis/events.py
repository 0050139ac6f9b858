"""Coded events (who did what to whom) with their actors resolved and their modes spelled out.

Like quotes, events store the keys their stage gave the source and target; each is read through
the store's linking (a linked mention with that key in the same article, else the key followed
through redirects and merges), so ``--actor Raisi``, ``--actor 'Ebrahim Raisi'`` and
``--actor ebrahim-raisi`` find the same events.

What an analyst must not misread is the *mode*: "Tehran never recognized the Taliban" is a
SUPPORT event that did not happen. Every row keeps the coder's ``mode`` (negated, future,
hypothetical, intent; empty when asserted) and adds ``reported_by``, the speaker when the
event's trigger sits inside an attributed quote (someone said it happened, the article did not
see it), so each view can say so next to the event.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from storyline.store.actors import actor_names, keys_of, mention_keys, resolve
from storyline.store.events import EVENT_COLUMNS

__all__ = ["MODES", "ROW_COLUMNS", "list_events", "mode_labels"]

#: The coder's modes, with the words a page or table shows for each.
MODES = {
    "negated": "negated (did not happen)",
    "future": "future (announced)",
    "hypothetical": "hypothetical (could, would)",
    "intent": "intent (ready to, wants to)",
}
ROW_COLUMNS = (
    *EVENT_COLUMNS, "source_id", "source_name", "target_id", "target_name", "reported_by",
    "title", "outlet",
)  # fmt: skip


def _side(side: str) -> str:
    """SQL for the actor of an event's source or target as linked in its article."""
    same = (
        f"SELECT m.actor_id FROM mentions m WHERE m.article_id = e.article_id "
        f"AND m.key = e.{side}_actor AND m.actor_id IS NOT NULL"
    )
    return (
        f"CASE WHEN e.{side}_actor IS NULL THEN NULL ELSE COALESCE("
        f"({same} AND m.text = e.{side} COLLATE NOCASE AND m.sentence = e.sentence LIMIT 1), "
        f"({same} AND m.text = e.{side} COLLATE NOCASE ORDER BY m.seq LIMIT 1), "
        f"({same} ORDER BY m.seq LIMIT 1), e.{side}_actor) END"
    )


#: Below this many events of the asked types, a page of them is sorted off ``events_type``
#: rather than walked to in date order.
RARE_TYPES = 2000


def _fewer_than(conn: sqlite3.Connection, n: int, types: list[str]) -> bool:
    """Whether fewer than ``n`` events have one of ``types`` (at most ``n`` index entries read)."""
    marks = ",".join("?" * len(types))
    found = conn.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM events INDEXED BY events_type "
        f"WHERE type IN ({marks}) LIMIT ?)",
        [*types, n],
    ).fetchone()[0]
    return bool(found < n)


def mode_labels(row: dict[str, Any]) -> list[str]:
    """The modes of an event row as short words: ["negated", "reported"]; [] when asserted."""
    out = [row["mode"]] if row.get("mode") else []
    if row.get("reported_by") is not None:
        out.append("reported")
    return out


def _reported(conn: sqlite3.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Set ``reported_by`` where the trigger lies inside a quote's content."""
    ids = sorted({r["article_id"] for r in rows})
    quotes: dict[str, list[tuple[int, int, str]]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for q in conn.execute(
            f'SELECT article_id, start, "end", speaker FROM quotes '
            f"WHERE article_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            quotes.setdefault(q[0], []).append((q[1], q[2], q[3] or "someone"))
    for r in rows:
        r["reported_by"] = None
        found = r["evidence"].find(r["trigger"]) if r["trigger"] else -1
        at = r["start"] + max(found, 0)
        for q_start, q_end, speaker in quotes.get(r["article_id"], ()):
            if q_start <= at < q_end:
                r["reported_by"] = speaker
                break


def list_events(
    conn: sqlite3.Connection,
    *,
    actor: str | None = None,
    types: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    article: str | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Events, newest first, each with its source and target actors (ids and names), its modes
    and its article's title and outlet.

    ``actor`` is a canonical actor id (resolve a name with `analysis.actors.match_actor`), matched
    as source or target; ``types`` are PLOVER categories; ``since``/``until`` compare ISO date
    prefixes; ``article`` is an article id."""
    where: list[str] = []
    params: list[Any] = []
    outer = ""
    outer_params: list[Any] = []
    if actor:
        targets = keys_of(conn, actor)
        candidates = sorted(targets | mention_keys(conn, actor))
        marks = ",".join("?" * len(candidates))
        where.append(f"(e.source_actor IN ({marks}) OR e.target_actor IN ({marks}))")
        params += candidates + candidates
        tmarks = ",".join("?" * len(targets))
        outer = f"WHERE (source_key IN ({tmarks}) OR target_key IN ({tmarks})) "
        outer_params = sorted(targets) * 2
    if types:
        where.append(f"e.type IN ({','.join('?' * len(types))})")
        params += [t.upper() for t in types]
    if since:
        where.append("e.date >= ?")
        params.append(since)
    if until:
        where.append("substr(e.date, 1, ?) <= ?")
        params += [len(until), until]
    if article:
        where.append("e.article_id = ?")
        params.append(article)
    if not actor and limit is not None:
        # the page's events picked first, before the speaker lookups (three subqueries a side)
        # and the article join: ordering every event with them cost ~75 ms at 10,000 articles
        # and grew with the store. The walk goes down ``events_date_order`` (migration 20) and
        # stops after the page, unless the filter is an article (its own few events) or types
        # that few events have (sorted off ``events_type``: the walk would read every event)
        filters = "".join(f"AND {w} " for w in where)
        source = "events e INDEXED BY events_date_order"
        if article:
            source = "events e"
        elif types and _fewer_than(conn, RARE_TYPES, [t.upper() for t in types]):
            source = "events e INDEXED BY events_type"
        pick = (
            f"SELECT e.rowid FROM {source} WHERE 1 {filters}"
            "ORDER BY COALESCE(e.date, '') DESC, e.article_id, e.seq LIMIT ? OFFSET ?"
        )
        params = [*params, int(limit), int(offset)]
        offset = 0
        where = [f"e.rowid IN ({pick})"]
    inner = (
        "SELECT " + ", ".join(f'e."{c}"' for c in EVENT_COLUMNS) + ", "
        + _side("source") + " AS source_key, " + _side("target") + " AS target_key, "
        "a.title, a.outlet FROM events e JOIN articles a ON a.id = e.article_id "
        + (f"WHERE {' AND '.join(where)} " if where else "")
    )  # fmt: skip
    sql = f"SELECT * FROM ({inner}) {outer}ORDER BY COALESCE(date, '') DESC, article_id, seq" + (
        " LIMIT ? OFFSET ?" if limit is not None else ""
    )
    tail = [int(limit), int(offset)] if limit is not None else []
    rows = [dict(r) for r in conn.execute(sql, [*params, *outer_params, *tail])]
    cache: dict[str, str] = {}
    for r in rows:
        r["date_bound"] = bool(r["date_bound"])
        for side in ("source", "target"):
            key = r.pop(f"{side}_key")
            if key is not None and key not in cache:
                cache[key] = resolve(conn, key)
            r[f"{side}_id"] = cache.get(key) if key is not None else None
    names = actor_names(conn, (r[f"{s}_id"] for r in rows for s in ("source", "target")))
    for r in rows:
        for side in ("source", "target"):
            r[f"{side}_name"] = names.get(r[f"{side}_id"] or "")
            if r[f"{side}_name"] is None:
                r[f"{side}_id"] = None
    _reported(conn, rows)
    return [{c: r[c] for c in ROW_COLUMNS} for r in rows]
