"""Tags, collections and notes: what analysts add to the store for the whole team.

Every function takes the acting user (`Actor`: name, role and how they came in) and writes the
change and its audit row in one transaction, so the web forms, the JSON API and the CLI
(``--as USER``) are audited alike and neither exists without the other. Writing needs the analyst
role; a note is edited or deleted only by its author or an admin (E973, the "another user's
resource" cell of the access matrix). Targets must be live: a hidden article takes no new tags,
items or notes, and its old ones are counted nowhere until it is restored.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from storyline.errors import NotFound, WebError
from storyline.store import teamwork as sql
from storyline.store.db import transaction
from storyline.team.audit import Who, record
from storyline.team.roles import at_least

TAG = re.compile(r"^\w[\w .:/+#-]{0,39}$")
COLLECTION = re.compile(r"^\w[\w .:/+#()&'-]{0,79}$")
NOTE_MAX = 10_000
DESCRIPTION_MAX = 2_000


@dataclass(frozen=True)
class Actor:
    """Who acts, with the role they act with (a token's role may be below its user's)."""

    name: str
    role: str
    via: str
    address: str | None = None

    @property
    def who(self) -> Who:
        return Who(self.name, self.via, self.address)


def require(actor: Actor, role: str, what: str) -> None:
    """Refuse (E952) an actor below ``role``."""
    if not at_least(actor.role, role):
        raise WebError(f"{what} needs the {role} role; {actor.name} has {actor.role}", code="E952")


def check_kind(kind: str, kinds: tuple[str, ...]) -> str:
    name = (kind or "").strip().lower()
    if name not in kinds:
        raise WebError(f"cannot tag or note a {kind!r}; give one of: {', '.join(kinds)}",
                       code="E974")  # fmt: skip
    return name


def check_target(conn: sqlite3.Connection, kind: str, target: str) -> str:
    """``target`` when a live ``kind`` has that id, else NotFound (E404)."""
    target = (target or "").strip()
    if not target or not sql.target_exists(conn, kind, target):
        raise NotFound(kind, f"no {kind} {target!r} (hidden articles take no tags or notes)")
    return target


def check_tag(tag: str) -> str:
    value = " ".join((tag or "").split())
    if not TAG.match(value):
        raise WebError(
            f"invalid tag {tag!r}: 1 to 40 letters, digits, spaces and . : / + # - _, starting "
            "with a letter or digit",
            code="E971",
        )
    return value


# -- tags -----------------------------------------------------------------------------------------


def add_tag(conn: sqlite3.Connection, kind: str, target: str, tag: str,
            actor: Actor) -> dict[str, Any]:  # fmt: skip
    """Tag a live article or story (a tag already there is left as it is)."""
    require(actor, "analyst", "tagging")
    kind = check_kind(kind, sql.TAG_KINDS)
    tag = check_tag(tag)
    with transaction(conn, "adding a tag"):
        target = check_target(conn, kind, target)
        if sql.insert_tag(conn, kind, target, tag, actor.name):
            record(conn, actor.who, "tag.add", f"{kind}:{target}", {"tag": tag})
    return {"kind": kind, "target": target, "tags": sql.tags_of(conn, kind, target)}


def remove_tag(conn: sqlite3.Connection, kind: str, target: str, tag: str,
               actor: Actor) -> dict[str, Any]:  # fmt: skip
    require(actor, "analyst", "removing a tag")
    kind = check_kind(kind, sql.TAG_KINDS)
    tag = check_tag(tag)
    with transaction(conn, "removing a tag"):
        target = check_target(conn, kind, target)
        if not sql.delete_tag(conn, kind, target, tag):
            raise NotFound("tag", f"{kind} {target} has no tag {tag!r}")
        record(conn, actor.who, "tag.remove", f"{kind}:{target}", {"tag": tag})
    return {"kind": kind, "target": target, "tags": sql.tags_of(conn, kind, target)}


def tags_of(conn: sqlite3.Connection, kind: str, target: str) -> list[dict[str, Any]]:
    return sql.tags_of(conn, check_kind(kind, sql.TAG_KINDS), target)


def tag_list(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every tag in use on live articles and stories, with counts."""
    return sql.tag_counts(conn)


def tagged(conn: sqlite3.Connection, tag: str) -> list[dict[str, Any]]:
    """The live articles and stories carrying ``tag``."""
    return sql.tagged(conn, check_tag(tag))


# -- collections ----------------------------------------------------------------------------------


def get_collection(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    found = sql.find_collection(conn, (name or "").strip())
    if found is None:
        raise NotFound("collection", f"no collection {name!r}; `storyline collections list`")
    return found


def create_collection(conn: sqlite3.Connection, name: str, description: str,
                      actor: Actor) -> dict[str, Any]:  # fmt: skip
    require(actor, "analyst", "making a collection")
    name = " ".join((name or "").split())
    if not COLLECTION.match(name):
        raise WebError(
            f"invalid collection name {name!r}: 1 to 80 letters, digits, spaces and punctuation, "
            "starting with a letter or digit",
            code="E972",
        )
    description = (description or "").strip()[:DESCRIPTION_MAX]
    with transaction(conn, "making a collection"):
        if sql.find_collection(conn, name) is not None:
            raise WebError(f"a collection named {name!r} exists already", code="E972")
        sql.insert_collection(conn, name, description, actor.name)
        record(conn, actor.who, "collection.create", name, {"description": description})
    return collection(conn, name)


def _owned(found: dict[str, Any], actor: Actor, what: str) -> None:
    if found["owner"].lower() != actor.name.lower() and actor.role != "admin":
        raise WebError(
            f"{what}: collection {found['name']!r} belongs to {found['owner']}; only its owner "
            "or an admin may do that",
            code="E973",
        )


def describe_collection(conn: sqlite3.Connection, name: str, description: str,
                        actor: Actor) -> dict[str, Any]:  # fmt: skip
    require(actor, "analyst", "describing a collection")
    description = (description or "").strip()[:DESCRIPTION_MAX]
    with transaction(conn, "describing a collection"):
        found = get_collection(conn, name)
        _owned(found, actor, "describing")
        sql.update_collection(conn, int(found["id"]), description)
        record(conn, actor.who, "collection.describe", found["name"],
               {"description": description})  # fmt: skip
    return collection(conn, found["name"])


def delete_collection(conn: sqlite3.Connection, name: str, actor: Actor) -> dict[str, Any]:
    """Delete a collection (its owner or an admin); the articles and stories stay."""
    require(actor, "analyst", "deleting a collection")
    with transaction(conn, "deleting a collection"):
        found = get_collection(conn, name)
        _owned(found, actor, "deleting")
        items = len(sql.items_of(conn, int(found["id"])))
        sql.delete_collection(conn, int(found["id"]))
        record(conn, actor.who, "collection.delete", found["name"], {"items": items})
    return found


def add_to_collection(conn: sqlite3.Connection, name: str, kind: str, target: str,
                      actor: Actor) -> dict[str, Any]:  # fmt: skip
    """Add a live article or story to a collection (any analyst: collections are shared)."""
    require(actor, "analyst", "adding to a collection")
    kind = check_kind(kind, sql.TAG_KINDS)
    with transaction(conn, "adding to a collection"):
        found = get_collection(conn, name)
        target = check_target(conn, kind, target)
        if sql.insert_item(conn, int(found["id"]), kind, target, actor.name):
            record(conn, actor.who, "collection.add", found["name"],
                   {"kind": kind, "target": target})  # fmt: skip
    return collection(conn, found["name"])


def remove_from_collection(conn: sqlite3.Connection, name: str, kind: str, target: str,
                           actor: Actor) -> dict[str, Any]:  # fmt: skip
    require(actor, "analyst", "removing from a collection")
    kind = check_kind(kind, sql.TAG_KINDS)
    with transaction(conn, "removing from a collection"):
        found = get_collection(conn, name)
        if not sql.delete_item(conn, int(found["id"]), kind, (target or "").strip()):
            raise NotFound("item", f"collection {found['name']!r} holds no {kind} {target!r}")
        record(conn, actor.who, "collection.remove", found["name"],
               {"kind": kind, "target": target})  # fmt: skip
    return collection(conn, found["name"])


def collections(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every collection with its counts of live articles and stories."""
    return sql.list_collections(conn)


def collection(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    """One collection and its live items, in the order they were added."""
    found = get_collection(conn, name)
    return {**found, "items": sql.items_of(conn, int(found["id"]))}


def collections_holding(conn: sqlite3.Connection, kind: str, target: str) -> list[str]:
    return sql.collections_holding(conn, kind, target)


# -- notes ----------------------------------------------------------------------------------------


def check_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise WebError("a note needs some text", code="E970")
    if len(text) > NOTE_MAX:
        raise WebError(f"note of {len(text)} characters; at most {NOTE_MAX}", code="E970")
    return text


def add_note(conn: sqlite3.Connection, kind: str, target: str, body: str,
             actor: Actor) -> dict[str, Any]:  # fmt: skip
    """A note on a live article, story, storyline or actor (by id), by ``actor``."""
    require(actor, "analyst", "writing a note")
    kind = check_kind(kind, sql.NOTE_KINDS)
    body = check_body(body)
    with transaction(conn, "writing a note"):
        target = check_target(conn, kind, target)
        note_id = sql.insert_note(conn, kind, target, actor.name, body)
        record(conn, actor.who, "note.add", f"{kind}:{target}", {"note": note_id})
    return get_note(conn, note_id)


def get_note(conn: sqlite3.Connection, note_id: int) -> dict[str, Any]:
    found = sql.get_note(conn, note_id)
    if found is None:
        raise NotFound("note", f"no note {note_id}; `storyline notes list`")
    return found


def _own_note(found: dict[str, Any], actor: Actor, what: str) -> None:
    if found["author"].lower() != actor.name.lower() and actor.role != "admin":
        raise WebError(
            f"{what} note {found['id']}: it is {found['author']}'s; only its author or an admin "
            "may change it",
            code="E973",
        )


def edit_note(conn: sqlite3.Connection, note_id: int, body: str, actor: Actor) -> dict[str, Any]:
    require(actor, "analyst", "editing a note")
    body = check_body(body)
    with transaction(conn, "editing a note"):
        found = get_note(conn, note_id)
        _own_note(found, actor, "editing")
        sql.update_note(conn, note_id, body)
        record(conn, actor.who, "note.edit", f"{found['kind']}:{found['target']}",
               {"note": note_id, "author": found["author"]})  # fmt: skip
    return get_note(conn, note_id)


def delete_note(conn: sqlite3.Connection, note_id: int, actor: Actor) -> dict[str, Any]:
    require(actor, "analyst", "deleting a note")
    with transaction(conn, "deleting a note"):
        found = get_note(conn, note_id)
        _own_note(found, actor, "deleting")
        sql.delete_note(conn, note_id)
        record(conn, actor.who, "note.delete", f"{found['kind']}:{found['target']}",
               {"note": note_id, "author": found["author"]})  # fmt: skip
    return found


def notes_of(conn: sqlite3.Connection, kind: str, target: str) -> list[dict[str, Any]]:
    """The notes on one thing, oldest first."""
    return sql.notes_of(conn, check_kind(kind, sql.NOTE_KINDS), target)


def notes(conn: sqlite3.Connection, author: str | None = None,
          limit: int = 100) -> list[dict[str, Any]]:  # fmt: skip
    """Notes on live things, newest first."""
    return sql.list_notes(conn, author=author, limit=limit)


def team_of(conn: sqlite3.Connection, kind: str, target: str) -> dict[str, Any]:
    """What the team added to one thing: its notes, and (articles, stories) its tags and the
    collections holding it; what a page shows and the API returns."""
    out: dict[str, Any] = {"kind": kind, "target": target, "notes": notes_of(conn, kind, target)}
    if kind in sql.TAG_KINDS:
        out["tags"] = sql.tags_of(conn, kind, target)
        out["collections"] = sql.collections_holding(conn, kind, target)
    return out
