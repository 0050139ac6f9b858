"""Team work: notes, tags, collections and hidden articles, as pages, forms and JSON.

Thin over `storyline.team.teamwork` and `storyline.team.hidden`, which check roles and ownership
and write each change with its audit row (these routes are in `SELF_AUDITED`). Forms are POSTs
checked for the CSRF token; they answer with a redirect back to the page they came from
(``next``, local paths only). JSON writes take a JSON body; a browser session must send the CSRF
token in ``X-CSRF-Token`` (a page's token), a bearer token needs none (it is never sent by a
browser on its own).
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from storyline.errors import StorylineError
from storyline.store import Store
from storyline.team import hidden as hiding
from storyline.team import teamwork as work
from storyline.team.teamwork import Actor
from storyline.web.deps import RowId, get_conn, get_store
from storyline.web.render import render
from storyline.web.routes.auth import address_of, principal_of, safe_next
from storyline.web.security import check_csrf

pages = APIRouter()
api = APIRouter(tags=["team work"])

KIND_HELP = "article, story, storyline or actor (tags and collections: article or story)"


def actor_of(request: Request) -> Actor:
    p = principal_of(request)
    return Actor(p.name, p.role, p.via, address_of(request))


def check_api_write(request: Request) -> None:
    """A JSON write from a browser session carries the page's CSRF token in X-CSRF-Token."""
    if not principal_of(request).via.startswith("token:"):
        check_csrf(request, request.headers.get("x-csrf-token"))


#: Runs before the body is read: a write without its CSRF token is refused (E902) even when its
#: body is malformed, so the refusal never depends on the payload.
WRITE_GUARD = Depends(check_api_write)


def back(request: Request, target: str, done: str) -> Response:
    path = safe_next(target)
    sep = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{sep}team={quote(done)}#team", status_code=303)


def refused(request: Request, exc: StorylineError, target: str) -> Response:
    return render(
        request,
        "error.html",
        {"title": "Cannot do that", "heading": "Cannot do that",
         "message": f"{exc.code} {exc.message}", "back": safe_next(target)},
        status_code=403 if exc.code in ("E952", "E973") else 404 if exc.code == "E404" else 400,
    )  # fmt: skip


def _form(request: Request, csrf: str, target: str, done: str, change: Any) -> Response:
    check_csrf(request, csrf)
    try:
        change(actor_of(request))
    except StorylineError as exc:
        return refused(request, exc, target)
    return back(request, target, done)


# -- forms ----------------------------------------------------------------------------------------


@pages.post("/notes", include_in_schema=False)
def note_add_form(
    request: Request,
    kind: str = Form(""),
    target: str = Form(""),
    body: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _form(
        request,
        csrf_token,
        next,
        "note added",
        lambda who: work.add_note(conn, kind, target, body, who),
    )


@pages.post("/notes/{note_id}/edit", include_in_schema=False)
def note_edit_form(
    request: Request,
    note_id: RowId,
    body: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _form(
        request,
        csrf_token,
        next,
        "note edited",
        lambda who: work.edit_note(conn, note_id, body, who),
    )


@pages.post("/notes/{note_id}/delete", include_in_schema=False)
def note_delete_form(
    request: Request,
    note_id: RowId,
    next: str = Form("/"),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _form(
        request, csrf_token, next, "note deleted", lambda who: work.delete_note(conn, note_id, who)
    )


@pages.post("/tags", include_in_schema=False)
def tag_add_form(
    request: Request,
    kind: str = Form(""),
    target: str = Form(""),
    tag: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _form(
        request,
        csrf_token,
        next,
        "tag added",
        lambda who: work.add_tag(conn, kind, target, tag, who),
    )


@pages.post("/tags/remove", include_in_schema=False)
def tag_remove_form(
    request: Request,
    kind: str = Form(""),
    target: str = Form(""),
    tag: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _form(
        request,
        csrf_token,
        next,
        "tag removed",
        lambda who: work.remove_tag(conn, kind, target, tag, who),
    )


@pages.post("/collections", include_in_schema=False)
def collection_create_form(
    request: Request,
    name: str = Form(""),
    description: str = Form(""),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    check_csrf(request, csrf_token)
    try:
        made = work.create_collection(conn, name, description, actor_of(request))
    except StorylineError as exc:
        return refused(request, exc, "/collections")
    return RedirectResponse("/collections/" + quote(made["name"], safe=""), status_code=303)


@pages.post("/collections/items", include_in_schema=False)
def collection_add_form(
    request: Request,
    collection: str = Form(""),
    kind: str = Form(""),
    target: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _form(
        request,
        csrf_token,
        next,
        "added to the collection",
        lambda who: work.add_to_collection(conn, collection, kind, target, who),
    )


@pages.post("/collections/items/remove", include_in_schema=False)
def collection_remove_form(
    request: Request,
    collection: str = Form(""),
    kind: str = Form(""),
    target: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _form(
        request,
        csrf_token,
        next,
        "removed from the collection",
        lambda who: work.remove_from_collection(conn, collection, kind, target, who),
    )


@pages.post("/collections/{name}/delete", include_in_schema=False)
def collection_delete_form(
    request: Request,
    name: str,
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _form(
        request,
        csrf_token,
        "/collections",
        "collection deleted",
        lambda who: work.delete_collection(conn, name, who),
    )


@pages.post("/articles/{article_id}/hide", include_in_schema=False)
def hide_form(
    request: Request,
    article_id: str,
    reason: str = Form(""),
    csrf_token: str = Form(""),
    store: Store = Depends(get_store),
) -> Response:
    return _form(
        request,
        csrf_token,
        "/articles",
        "article hidden",
        lambda who: hiding.hide(store, article_id, reason, who),
    )


@pages.post("/admin/hidden/{article_id}/restore", include_in_schema=False)
def restore_form(
    request: Request,
    article_id: str,
    csrf_token: str = Form(""),
    store: Store = Depends(get_store),
) -> Response:
    check_csrf(request, csrf_token)
    try:
        row = hiding.restore(store, article_id, actor_of(request))
    except StorylineError as exc:
        return refused(request, exc, "/admin/hidden")
    return RedirectResponse("/articles/" + quote(row["article_id"]), status_code=303)


# -- pages ----------------------------------------------------------------------------------------


@pages.get("/tags", include_in_schema=False)
def tags_page(request: Request, conn: sqlite3.Connection = Depends(get_conn)) -> Response:
    return render(
        request,
        "team/tags.html",
        {"title": "Tags", "tags": work.tag_list(conn), "api_url": "/api/v1/tags"},
    )


@pages.get("/tags/{tag}", include_in_schema=False)
def tag_page(request: Request, tag: str, conn: sqlite3.Connection = Depends(get_conn)) -> Response:
    rows = work.tagged(conn, tag)
    return render(
        request,
        "team/tag.html",
        {"title": f"Tag {tag}", "tag": tag, "rows": rows,
         "api_url": "/api/v1/tags/" + quote(tag, safe="")},
    )  # fmt: skip


@pages.get("/collections", include_in_schema=False)
def collections_page(request: Request, conn: sqlite3.Connection = Depends(get_conn)) -> Response:
    return render(
        request,
        "team/collections.html",
        {"title": "Collections", "rows": work.collections(conn), "api_url": "/api/v1/collections"},
    )


@pages.get("/collections/{name}", include_in_schema=False)
def collection_page(
    request: Request, name: str, conn: sqlite3.Connection = Depends(get_conn)
) -> Response:
    found = work.collection(conn, name)
    return render(
        request,
        "team/collection.html",
        {"title": found["name"], "c": found,
         "api_url": "/api/v1/collections/" + quote(found["name"], safe="")},
    )  # fmt: skip


@pages.get("/admin/hidden", include_in_schema=False)
def hidden_page(request: Request, store: Store = Depends(get_store)) -> Response:
    return render(
        request,
        "team/hidden.html",
        {"title": "Hidden articles", "rows": hiding.hidden_articles(store),
         "api_url": "/api/v1/admin/hidden"},
    )  # fmt: skip


# -- JSON -----------------------------------------------------------------------------------------


@api.get("/tags", response_model=None, summary="Tags in use (= storyline tags list --json)")
def api_tags(conn: sqlite3.Connection = Depends(get_conn)) -> dict[str, Any]:
    """Every tag on a live article or story, with how many articles and stories carry it."""
    return {"items": work.tag_list(conn)}


@api.get("/tags/{tag}", response_model=None, summary="What carries a tag")
def api_tag(tag: str, conn: sqlite3.Connection = Depends(get_conn)) -> dict[str, Any]:
    """The live articles and stories tagged ``tag`` (= storyline tags show TAG --json)."""
    return {"tag": tag, "items": work.tagged(conn, tag)}


@api.get("/annotations/{kind}/{target}", response_model=None,
         summary="Notes, tags and collections of one thing")  # fmt: skip
def api_annotations(
    kind: str, target: str, conn: sqlite3.Connection = Depends(get_conn)
) -> dict[str, Any]:
    """What the team added to an article, story, storyline or actor (by id)."""
    work.check_kind(kind, work.sql.NOTE_KINDS)
    return work.team_of(conn, kind, target)


@api.post(
    "/annotations/{kind}/{target}/tags",
    response_model=None,
    dependencies=[WRITE_GUARD],
    summary="Tag a thing",
)
def api_tag_add(
    request: Request,
    kind: str,
    target: str,
    tag: str = Body(..., embed=True, description="The tag (1 to 40 characters)"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Tag a live article or story (analysts); returns its tags."""
    return work.add_tag(conn, kind, target, tag, actor_of(request))


@api.delete(
    "/annotations/{kind}/{target}/tags/{tag}", response_model=None,
    dependencies=[WRITE_GUARD],
            summary="Remove a tag")  # fmt: skip
def api_tag_remove(
    request: Request, kind: str, target: str, tag: str, conn: sqlite3.Connection = Depends(get_conn)
) -> dict[str, Any]:
    """Remove a tag from an article or story (analysts); returns its tags."""
    return work.remove_tag(conn, kind, target, tag, actor_of(request))


@api.get("/notes", response_model=None, summary="Notes, newest first (= storyline notes list)")
def api_notes(
    author: str | None = Query(None, description="Only this user's notes"),
    limit: int = Query(100, ge=1, le=1000, description="At most this many"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Notes on live articles, stories, storylines and actors, newest first."""
    return {"items": work.notes(conn, author, limit)}


@api.post("/notes", response_model=None, dependencies=[WRITE_GUARD], summary="Write a note")
def api_note_add(
    request: Request,
    kind: str = Body(..., description=KIND_HELP),
    target: str = Body(..., description="The thing's id"),
    body: str = Body(..., description="The note's text"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """A note on a live article, story, storyline or actor (analysts)."""
    return work.add_note(conn, kind, target, body, actor_of(request))


@api.patch(
    "/notes/{note_id}", response_model=None, dependencies=[WRITE_GUARD], summary="Edit a note"
)
def api_note_edit(
    request: Request,
    note_id: RowId,
    body: str = Body(..., embed=True, description="The note's new text"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Edit a note (its author or an admin)."""
    return work.edit_note(conn, note_id, body, actor_of(request))


@api.delete(
    "/notes/{note_id}", response_model=None, dependencies=[WRITE_GUARD], summary="Delete a note"
)
def api_note_delete(
    request: Request, note_id: RowId, conn: sqlite3.Connection = Depends(get_conn)
) -> dict[str, Any]:
    """Delete a note (its author or an admin); returns it as it was."""
    return work.delete_note(conn, note_id, actor_of(request))


@api.get("/collections", response_model=None, summary="Collections (= storyline collections list)")
def api_collections(conn: sqlite3.Connection = Depends(get_conn)) -> dict[str, Any]:
    """Every collection with its counts of live articles and stories."""
    return {"items": work.collections(conn)}


@api.get("/collections/{name}", response_model=None, summary="One collection and its items")
def api_collection(name: str, conn: sqlite3.Connection = Depends(get_conn)) -> dict[str, Any]:
    """A collection and its live items in the order they were added."""
    return work.collection(conn, name)


@api.post(
    "/collections", response_model=None, dependencies=[WRITE_GUARD], summary="Make a collection"
)
def api_collection_create(
    request: Request,
    name: str = Body(..., description="A name not in use"),
    description: str = Body("", description="What it is for"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Make a collection owned by the caller (analysts)."""
    return work.create_collection(conn, name, description, actor_of(request))


@api.delete(
    "/collections/{name}",
    response_model=None,
    dependencies=[WRITE_GUARD],
    summary="Delete a collection",
)
def api_collection_delete(
    request: Request, name: str, conn: sqlite3.Connection = Depends(get_conn)
) -> dict[str, Any]:
    """Delete a collection (its owner or an admin); its articles and stories stay."""
    return work.delete_collection(conn, name, actor_of(request))


@api.post(
    "/collections/{name}/items",
    response_model=None,
    dependencies=[WRITE_GUARD],
    summary="Add to a collection",
)
def api_collection_add(
    request: Request,
    name: str,
    kind: str = Body(..., description="article or story"),
    target: str = Body(..., description="Its id"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Add a live article or story to a collection (analysts); returns the collection."""
    return work.add_to_collection(conn, name, kind, target, actor_of(request))


@api.delete(
    "/collections/{name}/items/{kind}/{target}", response_model=None,
    dependencies=[WRITE_GUARD],
            summary="Remove from a collection")  # fmt: skip
def api_collection_remove(
    request: Request,
    name: str,
    kind: str,
    target: str,
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Take an article or story out of a collection (analysts); returns the collection."""
    return work.remove_from_collection(conn, name, kind, target, actor_of(request))


@api.post(
    "/articles/{article_id}/hide",
    response_model=None,
    dependencies=[WRITE_GUARD],
    summary="Hide an article",
)
def api_hide(
    request: Request,
    article_id: str,
    reason: str = Body("", embed=True, description="Why (kept with it, shown to admins)"),
    store: Store = Depends(get_store),
) -> dict[str, Any]:
    """Take an article out of every view and count (analysts); an admin can restore it."""
    return hiding.hide(store, article_id, reason, actor_of(request))


@api.get(
    "/admin/hidden",
    response_model=None,
    summary="Hidden articles (admins)",
    include_in_schema=False,  # admins' API, like /api/v1/audit: docs/api.md
)
def api_hidden(store: Store = Depends(get_store)) -> dict[str, Any]:
    """Every hidden article, most recently hidden first (= storyline articles hidden --json)."""
    return {"items": hiding.hidden_articles(store)}


@api.post(
    "/admin/hidden/{article_id}/restore",
    response_model=None,
    dependencies=[WRITE_GUARD],
    summary="Restore a hidden article (admins)",
    include_in_schema=False,  # admins' API, like /api/v1/audit: docs/api.md
)
def api_restore(
    request: Request, article_id: str, store: Store = Depends(get_store)
) -> dict[str, Any]:
    """Put a hidden article back exactly as it was."""
    return hiding.restore(store, article_id, actor_of(request))
