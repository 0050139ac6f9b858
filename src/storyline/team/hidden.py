"""Hiding an article from every view and count, and an admin putting it back.

An analyst hides (spam, a page that is not news, a duplicate the copy finder missed); only an
admin restores, so a mistaken hide costs an admin's minute and nothing else: the article, its
raw input, checkpoint, tags, notes and places in collections are all kept (see
`storyline.store.hidden` for why it leaves the live tables rather than carrying a flag). The
change and its audit row commit together; the update steps then run, so stories, copies and
counts leave out (or take back) the article before the call returns.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from storyline.errors import NotFound, WebError
from storyline.ingest import build_updater
from storyline.store import Store
from storyline.store import hidden as sql
from storyline.store.db import transaction
from storyline.team.audit import record
from storyline.team.teamwork import Actor, require
from storyline.update import Updater

REASON_MAX = 500
#: One updater per open store, kept warm: a step's first run loads its state from the store (the
#: copy index, the clusterer: seconds on a large store), later runs only take in the change. The
#: runner drops a step's memory when another process moved its mark meanwhile.
_UPDATERS: WeakKeyDictionary[Store, Updater] = WeakKeyDictionary()


def catch_up(store: Store) -> None:
    """Run the update steps so copies, stories and counts follow the hide or restore."""
    updater = _UPDATERS.get(store)
    if updater is None:
        updater = _UPDATERS[store] = build_updater(store)
    updater.run()


def _live_id(store: Store, article_id: str) -> str:
    found = store.get((article_id or "").strip()) if article_id and article_id.strip() else None
    if found is None:
        raise NotFound("article", f"no article {article_id!r} (or it is hidden already)")
    return str(found.id)


def _hidden_id(store: Store, article_id: str) -> str:
    value = (article_id or "").strip()
    rows = store.conn.execute(
        "SELECT article_id FROM hidden_articles WHERE article_id = ? OR article_id LIKE ? LIMIT 3",
        (value, value.replace("%", "").replace("_", "") + "%"),
    ).fetchall()
    ids = [r[0] for r in rows]
    if value in ids:
        return value
    if len(ids) == 1 and value:
        return str(ids[0])
    raise NotFound("article", f"no hidden article {article_id!r}; `storyline articles hidden`")


def hide(store: Store, article_id: str, reason: str, actor: Actor) -> dict[str, Any]:
    """Take the article out of every view and count; returns what is kept of it."""
    require(actor, "analyst", "hiding an article")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise WebError(f"reason of {len(reason)} characters; at most {REASON_MAX}", code="E970")
    with transaction(store.conn, "hiding an article"):
        ident = _live_id(store, article_id)
        row = sql.hide_article(store.conn, ident, actor.name, reason)
        record(store.conn, actor.who, "article.hide", ident,
               {"title": row["title"] or "", "reason": reason})  # fmt: skip
    catch_up(store)
    return row


def restore(store: Store, article_id: str, actor: Actor) -> dict[str, Any]:
    """Put a hidden article back exactly as it was (admins only)."""
    require(actor, "admin", "restoring a hidden article")
    with transaction(store.conn, "restoring an article"):
        ident = _hidden_id(store, article_id)
        row = sql.restore_article(store, ident)
        record(store.conn, actor.who, "article.restore", ident,
               {"title": row["title"] or "", "hidden_by": row["hidden_by"]})  # fmt: skip
    catch_up(store)
    return row


def hidden_articles(store: Store) -> list[dict[str, Any]]:
    """Every hidden article (admins' listing), most recently hidden first."""
    return sql.list_hidden(store.conn)
