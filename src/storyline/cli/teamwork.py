"""`storyline notes`, `tags`, `collections` and `articles hide|restore|hidden`: the team's work
at the server's terminal, thin over `storyline.team.teamwork` and `storyline.team.hidden`.

Writes act as a named account (``--as USER``, with that account's role), so the audit log says
who, as it does for the same change made in the browser; the terminal's login goes into the
row's ``via`` (``cli:<login>``). An article is named by its id or a unique prefix, an actor by any
spelling (as `storyline actor` takes it), a story or storyline by its id.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from typing import Any

import typer

from storyline.analysis.actors import match_actor
from storyline.cli.output import emit_json, fail, open_store, out
from storyline.errors import NotFound, StorylineError, WebError
from storyline.store import Store
from storyline.team import hidden as hiding
from storyline.team import teamwork as work
from storyline.team.accounts import get_user
from storyline.team.teamwork import Actor

notes_app = typer.Typer(help="Notes on articles, stories, storylines and actors.",
                        no_args_is_help=True)  # fmt: skip
tags_app = typer.Typer(help="Tags on articles and stories.", no_args_is_help=True)
collections_app = typer.Typer(help="Named collections of articles and stories.",
                              no_args_is_help=True)  # fmt: skip
articles_app = typer.Typer(help="Hide an article from every view, restore it (admins).",
                           no_args_is_help=True)  # fmt: skip

AS_HELP = "Act as this account (its role applies; the audit log names it)"
KIND_HELP = "article, story, storyline or actor"
TARGET_HELP = "Article id (or unique prefix), story or storyline id, actor (any spelling)"


def register(app: typer.Typer) -> None:
    app.add_typer(notes_app, name="notes")
    app.add_typer(tags_app, name="tags")
    app.add_typer(collections_app, name="collections")
    app.add_typer(articles_app, name="articles")


def acting(store: Store, name: str) -> Actor:
    """The account ``name`` as an acting user: refused when unknown or disabled."""
    user = get_user(store.conn, name)
    if user["disabled"]:
        raise WebError(f"account {user['name']!r} is disabled", code="E952")
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = f"uid{os.getuid()}"
    return Actor(str(user["name"]), str(user["role"]), f"cli:{login}", "local")


def resolve(store: Store, kind: str, target: str) -> str:
    """The id ``target`` stands for: an article by prefix, an actor by any spelling."""
    kind = (kind or "").strip().lower()
    if kind == "article":
        found = store.get(target)
        if found is None:
            raise NotFound("article", f"no article {target!r}; `storyline list` shows them")
        return str(found.id)
    if kind == "actor":
        return str(match_actor(store.conn, target)["id"])
    return target


def run(ctx: typer.Context, change: Callable[[Store], Any], *, writes: bool = True) -> Any:
    store = open_store(ctx, writes=writes)
    try:
        return change(store)
    except StorylineError as exc:
        fail(exc)
    finally:
        store.close()


def _line(text: str) -> None:
    out.print(text, markup=False)


def _stamp(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "-"


# -- notes ----------------------------------------------------------------------------------------


@notes_app.command("add")
def notes_add(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KIND_HELP),
    target: str = typer.Argument(..., help=TARGET_HELP),
    body: str = typer.Argument(..., help="The note's text"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a line"),
) -> None:
    """Write a note for the team on one thing."""
    note = run(ctx, lambda s: work.add_note(s.conn, kind, resolve(s, kind, target), body,
                                            acting(s, user)))  # fmt: skip
    if as_json:
        emit_json(note)
        return
    _line(f"note {note['id']} on {note['kind']} {note['target']} by {note['author']}")


@notes_app.command("edit")
def notes_edit(
    ctx: typer.Context,
    note_id: int = typer.Argument(..., help="The note's number (`storyline notes list`)"),
    body: str = typer.Argument(..., help="The new text"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Rewrite a note (its author or an admin)."""
    note = run(ctx, lambda s: work.edit_note(s.conn, note_id, body, acting(s, user)))
    _line(f"note {note['id']} edited")


@notes_app.command("delete")
def notes_delete(
    ctx: typer.Context,
    note_id: int = typer.Argument(..., help="The note's number (`storyline notes list`)"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Delete a note (its author or an admin)."""
    note = run(ctx, lambda s: work.delete_note(s.conn, note_id, acting(s, user)))
    _line(f"note {note['id']} deleted")


@notes_app.command("list")
def notes_list(
    ctx: typer.Context,
    kind: str = typer.Argument(None, help=f"Only the notes on one thing: {KIND_HELP}"),
    target: str = typer.Argument(None, help=TARGET_HELP),
    author: str = typer.Option(None, "--author", help="Only this user's notes"),
    limit: int = typer.Option(100, "--limit", help="At most this many, newest first"),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of lines"),
) -> None:
    """Notes, newest first; or the notes on one thing, oldest first."""

    def read(s: Store) -> list[dict[str, Any]]:
        if kind and target:
            return work.notes_of(s.conn, kind, resolve(s, kind, target))
        if kind or target:
            raise WebError("give both KIND and TARGET, or neither", code="E974")
        return work.notes(s.conn, author, limit)

    rows = run(ctx, read, writes=False)
    if as_json:
        emit_json(rows)
        return
    for n in rows:
        edited = f" (edited {_stamp(n['edited_at'])})" if n["edited_at"] else ""
        _line(f"#{n['id']}  {_stamp(n['created_at'])}  {n['author']}  {n['kind']} "
              f"{n['target']}{edited}")  # fmt: skip
        _line(f"    {n['body']}")


@notes_app.command("show")
def notes_show(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=KIND_HELP),
    target: str = typer.Argument(..., help=TARGET_HELP),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of lines"),
) -> None:
    """Everything the team added to one thing: its notes, tags and collections.

    Tags and collections hold articles and stories only. The same answer as
    GET /api/v1/annotations/KIND/ID."""
    found = run(ctx, lambda s: work.team_of(s.conn, kind, resolve(s, kind, target)),
                writes=False)  # fmt: skip
    if as_json:
        emit_json(found)
        return
    _line(f"{found['kind']} {found['target']}")
    if "tags" in found:
        _line("tags: " + (", ".join(t["tag"] for t in found["tags"]) or "none"))
        _line("collections: " + (", ".join(found["collections"]) or "none"))
    for n in found["notes"]:
        _line(f"#{n['id']}  {_stamp(n['created_at'])}  {n['author']}: {n['body']}")


# -- tags -----------------------------------------------------------------------------------------


@tags_app.command("add")
def tags_add(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="article or story"),
    target: str = typer.Argument(..., help="Article id (or unique prefix) or story id"),
    tag: str = typer.Argument(..., help="The tag"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Tag an article or a story."""
    done = run(ctx, lambda s: work.add_tag(s.conn, kind, resolve(s, kind, target), tag,
                                           acting(s, user)))  # fmt: skip
    _line(f"{done['kind']} {done['target']}: {', '.join(t['tag'] for t in done['tags'])}")


@tags_app.command("remove")
def tags_remove(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="article or story"),
    target: str = typer.Argument(..., help="Article id (or unique prefix) or story id"),
    tag: str = typer.Argument(..., help="The tag"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Take a tag off an article or a story."""
    done = run(ctx, lambda s: work.remove_tag(s.conn, kind, resolve(s, kind, target), tag,
                                              acting(s, user)))  # fmt: skip
    left = ", ".join(t["tag"] for t in done["tags"]) or "no tags"
    _line(f"{done['kind']} {done['target']}: {left}")


@tags_app.command("list")
def tags_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table"),
) -> None:
    """Every tag in use, with how many articles and stories carry it."""
    rows = run(ctx, lambda s: work.tag_list(s.conn), writes=False)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        _line(f"{r['tag']}  {r['articles']} articles, {r['stories']} stories")


@tags_app.command("show")
def tags_show(
    ctx: typer.Context,
    tag: str = typer.Argument(..., help="The tag"),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of lines"),
) -> None:
    """The articles and stories carrying a tag."""
    rows = run(ctx, lambda s: work.tagged(s.conn, tag), writes=False)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        _line(f"{r['kind']}  {r['target']}  {r['title']}  (by {r['added_by']})")


# -- collections ----------------------------------------------------------------------------------


@collections_app.command("create")
def collections_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A name not in use"),
    description: str = typer.Option("", "--description", help="What it is for"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Make a collection (owned by --as)."""
    made = run(ctx, lambda s: work.create_collection(s.conn, name, description, acting(s, user)))
    _line(f"collection {made['name']!r} made, owned by {made['owner']}")


@collections_app.command("add")
def collections_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The collection"),
    kind: str = typer.Argument(..., help="article or story"),
    target: str = typer.Argument(..., help="Article id (or unique prefix) or story id"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Add an article or a story to a collection."""

    def add(s: Store) -> dict[str, Any]:
        return work.add_to_collection(s.conn, name, kind, resolve(s, kind, target), acting(s, user))

    done = run(ctx, add)
    _line(f"{done['name']}: {len(done['items'])} items")


@collections_app.command("remove")
def collections_remove(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The collection"),
    kind: str = typer.Argument(..., help="article or story"),
    target: str = typer.Argument(..., help="Article or story id"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Take an article or a story out of a collection."""
    done = run(ctx, lambda s: work.remove_from_collection(s.conn, name, kind, target,
                                                          acting(s, user)))  # fmt: skip
    _line(f"{done['name']}: {len(done['items'])} items")


@collections_app.command("delete")
def collections_delete(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The collection"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Delete a collection (its owner or an admin); its articles and stories stay."""
    done = run(ctx, lambda s: work.delete_collection(s.conn, name, acting(s, user)))
    _line(f"collection {done['name']!r} deleted")


@collections_app.command("list")
def collections_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="JSON instead of lines"),
) -> None:
    """Every collection with its owner and counts."""
    rows = run(ctx, lambda s: work.collections(s.conn), writes=False)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        _line(f"{r['name']}  ({r['owner']}; {r['articles']} articles, {r['stories']} stories)"
              + (f"  {r['description']}" if r["description"] else ""))  # fmt: skip


@collections_app.command("show")
def collections_show(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The collection"),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of lines"),
) -> None:
    """A collection's articles and stories, in the order they were added."""
    found = run(ctx, lambda s: work.collection(s.conn, name), writes=False)
    if as_json:
        emit_json(found)
        return
    about = f": {found['description']}" if found["description"] else ""
    _line(f"{found['name']} (owner {found['owner']}){about}")
    for i in found["items"]:
        _line(f"{i['kind']}  {i['target']}  {i['title']}  (added by {i['added_by']})")


# -- hiding ---------------------------------------------------------------------------------------


@articles_app.command("hide")
def articles_hide(
    ctx: typer.Context,
    article_id: str = typer.Argument(..., help="Article id or unique prefix"),
    reason: str = typer.Option("", "--reason", help="Why (shown to admins with it)"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Take an article out of every view and count (analysts); an admin can restore it."""
    row = run(ctx, lambda s: hiding.hide(s, article_id, reason, acting(s, user)))
    _line(f"hidden {row['article_id']} {row['title'] or ''}".rstrip())


@articles_app.command("restore")
def articles_restore(
    ctx: typer.Context,
    article_id: str = typer.Argument(..., help="Hidden article id or unique prefix"),
    user: str = typer.Option(..., "--as", help=AS_HELP),
) -> None:
    """Put a hidden article back exactly as it was (admins)."""
    row = run(ctx, lambda s: hiding.restore(s, article_id, acting(s, user)))
    _line(f"restored {row['article_id']} {row['title'] or ''}".rstrip())


@articles_app.command("hidden")
def articles_hidden(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="JSON instead of lines"),
) -> None:
    """The hidden articles, most recently hidden first."""
    rows = run(ctx, hiding.hidden_articles, writes=False)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        _line(f"{r['article_id']}  {_stamp(r['hidden_at'])}  by {r['hidden_by']}  "
              f"{r['title'] or ''}" + (f"  ({r['reason']})" if r["reason"] else ""))  # fmt: skip
