"""Actors, quotes and events: the pages and their JSON, over `storyline.analysis.actors`,
`.quotes` and `.events` (the same functions as `storyline actors`, `actor`, `quotes`, `events`).

An actor page answers to any spelling (``/actors/Kazmi%20Qomi``) and redirects to the canonical
id, so links and bookmarks converge on one address. Merges and splits are POST forms checked for
the CSRF token before anything changes; a refused correction (E420, E404, E802) comes back as a
message on the page, never as a server error.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from storyline.analysis.actors import (
    AMBIGUOUS,
    actor_corrections,
    actor_profile,
    candidates,
    match_actor,
    merge,
    split,
    top_actors,
)
from storyline.analysis.events import MODES, list_events, mode_labels
from storyline.analysis.paging import Page, decode_cursor, page_of
from storyline.analysis.quotes import QUOTE_KINDS, list_quotes
from storyline.errors import QueryError, StorylineError
from storyline.nlp.event_dictionary import PLOVER_TYPES
from storyline.team.teamwork import team_of
from storyline.web import charts
from storyline.web.deps import get_conn, settings_of
from storyline.web.render import render
from storyline.web.security import check_csrf

pages = APIRouter()
api = APIRouter(tags=["actors"])

LIMIT_HELP = "Rows per page (default web.page_size, at most web.max_page_size)"
CURSOR_HELP = "The next_cursor of the previous page"
#: What each linking rule means, shown next to the aliases it produced.
RULES = {
    "gazetteer": "a known spelling in the bundled gazetteer",
    "acronym": "an acronym defined next to its long form in an article",
    "short-form": "a surname after the full name in the same article",
    "demonym": "a nationality word (Iranian → Iran)",
    "country": "a country name",
    "metonym": "a capital standing for its government (Tehran said…)",
    "name-key": "a spelling-insensitive key of the name",
    "manual-merge": "an analyst's merge",
    "manual-split": "an analyst's split",
}


def actor_href(actor_id: str) -> str:
    return "/actors/" + quote(actor_id, safe=":")


def _limit(request: Request, limit: int | None) -> int:
    web = settings_of(request).get("web", {})
    size = int(limit or web.get("page_size", 25))
    return max(1, min(size, int(web.get("max_page_size", 200))))


def _resolve(conn: sqlite3.Connection, name: str | None) -> dict[str, Any] | None:
    return match_actor(conn, name) if name else None


# -- listings -------------------------------------------------------------------------------------


def actors_page(
    conn: sqlite3.Connection, type: str | None, country: str | None, limit: int, cursor: str | None
) -> Page:
    query = {"list": "actors", "type": type, "country": country}
    offset = decode_cursor(cursor, query)
    rows = top_actors(conn, type=type, country=country, limit=limit + 1, offset=offset)
    return page_of(rows, offset, limit, query)


def quotes_page(
    conn: sqlite3.Connection, by: str | None, kind: str | None, limit: int, cursor: str | None
) -> Page:
    resolved = _resolve(conn, by)
    query = {"list": "quotes", "by": resolved["id"] if resolved else None, "kind": kind}
    offset = decode_cursor(cursor, query)
    rows = list_quotes(
        conn, actor=resolved["id"] if resolved else None, kind=kind or None, limit=limit + 1,
        offset=offset,
    )  # fmt: skip
    page = page_of(rows, offset, limit, query)
    page.extra["resolved"] = resolved
    return page


def events_page(
    conn: sqlite3.Connection,
    actor: str | None,
    types: list[str],
    since: str | None,
    until: str | None,
    limit: int,
    cursor: str | None,
) -> Page:
    wanted = [t.upper() for t in types if t]
    unknown = [t for t in wanted if t not in PLOVER_TYPES]
    if unknown:
        raise QueryError(
            f"unknown event type {unknown[0]!r}; valid types: {', '.join(PLOVER_TYPES)}",
            code="E800",
        )
    resolved = _resolve(conn, actor)
    query = {"list": "events", "actor": resolved["id"] if resolved else None, "types": wanted,
             "since": since, "until": until}  # fmt: skip
    offset = decode_cursor(cursor, query)
    rows = list_events(
        conn, actor=resolved["id"] if resolved else None, types=wanted or None,
        since=since or None, until=until or None, limit=limit + 1, offset=offset,
    )  # fmt: skip
    page = page_of(rows, offset, limit, query)
    page.extra["resolved"] = resolved
    return page


@api.get("/actors", response_model=None, summary="Top actors (= storyline actors --json)")
def api_actors(
    request: Request,
    type: str | None = Query(None, description="person, organisation, place, country, group"),
    country: str | None = Query(None, description="ISO 3166 alpha-2 code, e.g. IR"),
    limit: int | None = Query(None, ge=1, description=LIMIT_HELP),
    cursor: str | None = Query(None, description=CURSOR_HELP),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Actors by the number of articles mentioning them; ``items`` are the rows of
    ``storyline actors --json``."""
    return actors_page(conn, type, country, _limit(request, limit), cursor).as_dict()


@api.get(
    "/actors/corrections",
    response_model=None,
    summary="Analysts' merges and splits (= storyline actors corrections --json)",
)
def api_corrections(conn: sqlite3.Connection = Depends(get_conn)) -> dict[str, Any]:
    """The whole correction log in replay order (one page)."""
    return Page(actor_corrections(conn)).as_dict()


@api.get("/actors/{name}", response_model=None, summary="One actor (= storyline actor NAME --json)")
def api_actor(
    name: str,
    limit: int = Query(10, ge=1, le=200, description="Co-occurring actors, quotes and events"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """The actor ``name`` stands for (id, name, alias or any spelling; E802 when ambiguous):
    aliases, roles, mentions per month, co-occurring actors, quotes, events, corrections."""
    return actor_profile(conn, match_actor(conn, name)["id"], limit)


@api.get("/quotes", response_model=None, summary="Attributed quotes (= storyline quotes --json)")
def api_quotes(
    request: Request,
    by: str | None = Query(None, description="Speaker: actor id, name, alias or any spelling"),
    kind: str | None = Query(None, description="direct, indirect or mixed"),
    limit: int | None = Query(None, ge=1, description=LIMIT_HELP),
    cursor: str | None = Query(None, description=CURSOR_HELP),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Quotes newest first; ``resolved`` says which actor ``by`` stood for."""
    return quotes_page(conn, by, kind, _limit(request, limit), cursor).as_dict()


@api.get("/events", response_model=None, summary="Coded events (= storyline events --json)")
def api_events(
    request: Request,
    actor: str | None = Query(None, description="Source or target: id, name, alias, spelling"),
    type: list[str] = Query([], description="PLOVER category; repeat for several"),
    since: str | None = Query(None, description="YYYY-MM-DD"),
    until: str | None = Query(None, description="YYYY-MM-DD"),
    limit: int | None = Query(None, ge=1, description=LIMIT_HELP),
    cursor: str | None = Query(None, description=CURSOR_HELP),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Events newest first with their modes (``mode``, ``reported_by``); ``resolved`` says which
    actor ``actor`` stood for."""
    page = events_page(conn, actor, type, since, until, _limit(request, limit), cursor)
    return page.as_dict()


# -- pages ----------------------------------------------------------------------------------------


def _api_url(path: str, request: Request) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if v]
    return f"/api/v1{path}" + ("?" + urlencode(params) if params else "")


@pages.get("/actors", include_in_schema=False)
def actors_list(
    request: Request,
    type: str | None = None,
    country: str | None = None,
    name: str | None = None,
    limit: int | None = Query(None, ge=1),
    cursor: str | None = None,
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    if name and name.strip():  # the "open an actor by any spelling" box
        return RedirectResponse(actor_href(name.strip()), status_code=302)
    page = actors_page(conn, type or None, country or None, _limit(request, limit), cursor)
    rows = [{**r, "href": actor_href(r["id"])} for r in page.items[:20]]
    spec = charts.bars(rows, category="name", value="articles", href="href")
    types = [r[0] for r in conn.execute("SELECT DISTINCT type FROM actors ORDER BY type")]
    return render(
        request,
        "actors/list.html",
        {"title": "Actors", "api_url": _api_url("/actors", request), "page": page,
         "spec": spec, "chart_rows": rows, "types": types, "type": type or "",
         "country": country or ""},
    )  # fmt: skip


@pages.get("/actors/corrections", include_in_schema=False)
def corrections_page(request: Request, conn: sqlite3.Connection = Depends(get_conn)) -> Response:
    return render(
        request,
        "actors/corrections.html",
        {"title": "Actor corrections", "api_url": "/api/v1/actors/corrections",
         "rows": actor_corrections(conn)},
    )  # fmt: skip


def _profile_context(conn: sqlite3.Connection, actor_id: str) -> dict[str, Any]:
    p = actor_profile(conn, actor_id, 15)
    months = [
        {"period": f"{m['month']}-01", "month": m["month"], "articles": m["articles"],
         "mentions": m["mentions"]}
        for m in p["months"] if m["month"] != "undated"
    ]  # fmt: skip
    nodes = [{"name": p["name"], "group": p["type"], "size": p["articles"],
              "href": actor_href(p["id"])}]  # fmt: skip
    index = {p["id"]: 0}
    for c in p["co_occurring"]:
        index[c["id"]] = len(nodes)
        nodes.append(
            {"name": c["name"], "group": c["type"], "size": c["articles"],
             "href": actor_href(c["id"])}
        )  # fmt: skip
    links = [{"source": 0, "target": index[c["id"]], "value": c["articles"]}
             for c in p["co_occurring"]]  # fmt: skip
    links += [
        {"source": index[k["a"]], "target": index[k["b"]], "value": k["articles"]}
        for k in p["co_links"]
        if k["a"] in index and k["b"] in index
    ]
    names = {p["id"]: p["name"], **{c["id"]: c["name"] for c in p["co_occurring"]}}
    pairs = [{"with": c["name"], "articles": c["articles"], "between": p["name"]}
             for c in p["co_occurring"]]  # fmt: skip
    pairs += [{"with": names[k["a"]], "between": names[k["b"]], "articles": k["articles"]}
              for k in p["co_links"]]  # fmt: skip
    return {
        "title": p["name"],
        "api_url": f"/api/v1{actor_href(p['id'])}",
        "p": p,
        "rules": RULES,
        "modes": MODES,
        "mode_labels": mode_labels,
        "actor_href": actor_href,
        "volume_spec": charts.volume(months, unit="yearmonth", height=140),
        "months": months,
        "network_spec": charts.network(nodes, links, height=340),
        "pairs": pairs,
        "team": team_of(conn, "actor", p["id"]),
    }


@pages.get("/actors/{name}", include_in_schema=False)
def actor_page(
    request: Request,
    name: str,
    corrected: str | None = None,
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    try:
        found = match_actor(conn, name)
    except QueryError as exc:
        if exc.code != AMBIGUOUS:
            raise
        return render(
            request,
            "actors/ambiguous.html",
            {"title": f"Which {name}?", "name": name, "candidates": candidates(conn, name),
             "actor_href": actor_href},
        )  # fmt: skip
    if found["id"] != name:  # a spelling, alias or merged id: go to the canonical address
        return RedirectResponse(actor_href(found["id"]), status_code=302)
    ctx = _profile_context(conn, name)
    ctx["corrected"] = corrected
    ctx["problem"] = None
    return render(request, "actors/actor.html", ctx)


def _refused(
    request: Request, conn: sqlite3.Connection, actor_id: str, exc: StorylineError
) -> Response:
    ctx = _profile_context(conn, actor_id)
    ctx["corrected"] = None
    ctx["problem"] = str(exc)
    return render(request, "actors/actor.html", ctx, status_code=400)


@pages.post("/actors/{name}/merge", include_in_schema=False)
def merge_form(
    request: Request,
    name: str,
    other: str = Form("", description="Actor merged into this one (any spelling)"),
    note: str = Form(""),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    check_csrf(request, csrf_token)
    keep = match_actor(conn, name)["id"]
    try:
        if not other.strip():
            raise QueryError("name the actor to merge into this one", code="E800")
        done = merge(conn, keep, other.strip(), note.strip() or None)
    except StorylineError as exc:
        return _refused(request, conn, keep, exc)
    return RedirectResponse(actor_href(done["kept"]) + "?corrected=merge", status_code=303)


@pages.post("/actors/{name}/split", include_in_schema=False)
def split_form(
    request: Request,
    name: str,
    alias: str = Form(""),
    note: str = Form(""),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    check_csrf(request, csrf_token)
    actor_id = match_actor(conn, name)["id"]
    try:
        if not alias.strip():
            raise QueryError("choose the alias to split off", code="E800")
        split(conn, actor_id, alias.strip(), note.strip() or None)
    except StorylineError as exc:
        return _refused(request, conn, actor_id, exc)
    return RedirectResponse(actor_href(actor_id) + "?corrected=split", status_code=303)


@pages.get("/quotes", include_in_schema=False)
def quotes_list(
    request: Request,
    by: str | None = None,
    kind: str | None = None,
    limit: int | None = Query(None, ge=1),
    cursor: str | None = None,
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    page = quotes_page(conn, by or None, kind or None, _limit(request, limit), cursor)
    return render(
        request,
        "actors/quotes.html",
        {"title": "Quotes", "api_url": _api_url("/quotes", request), "page": page,
         "by": by or "", "kind": kind or "", "kinds": QUOTE_KINDS, "actor_href": actor_href},
    )  # fmt: skip


@pages.get("/events", include_in_schema=False)
def events_list(
    request: Request,
    actor: str | None = None,
    type: list[str] = Query([]),
    since: str | None = None,
    until: str | None = None,
    limit: int | None = Query(None, ge=1),
    cursor: str | None = None,
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    page = events_page(
        conn, actor or None, [t for t in type if t], since or None, until or None,
        _limit(request, limit), cursor,
    )  # fmt: skip
    return render(
        request,
        "actors/events.html",
        {"title": "Events", "api_url": _api_url("/events", request), "page": page,
         "actor": actor or "", "types": PLOVER_TYPES, "chosen": [t.upper() for t in type],
         "since": since or "", "until": until or "", "modes": MODES,
         "mode_labels": mode_labels, "actor_href": actor_href},
    )  # fmt: skip
