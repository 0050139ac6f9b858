"""Outlets: how much each publishes, in which languages, which agencies it carries, and who
copies whom, over `storyline.analysis.outlets` (the same functions as `storyline outlets` and
`storyline outlet NAME`)."""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from storyline.analysis.outlets import list_outlets, outlet_profile
from storyline.analysis.paging import Page, decode_cursor, page_of
from storyline.web import charts
from storyline.web.deps import get_conn, settings_of
from storyline.web.render import render

pages = APIRouter()
api = APIRouter(tags=["outlets"])


def outlet_href(name: str) -> str:
    return "/outlets/" + quote(name, safe="")


def search_href(name: str) -> str:
    return "/search?" + urlencode({"outlet": name})


def _limit(request: Request, limit: int | None) -> int:
    web = settings_of(request).get("web", {})
    size = int(limit or web.get("page_size", 25))
    return max(1, min(size, int(web.get("max_page_size", 200))))


def outlets_page(conn: sqlite3.Connection, limit: int, cursor: str | None) -> Page:
    query = {"list": "outlets"}
    offset = decode_cursor(cursor, query)
    return page_of(list_outlets(conn, limit=limit + 1, offset=offset), offset, limit, query)


@api.get("/outlets", response_model=None, summary="Outlets (= storyline outlets --json)")
def api_outlets(
    request: Request,
    limit: int | None = Query(None, ge=1, description="Rows per page"),
    cursor: str | None = Query(None, description="The next_cursor of the previous page"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Outlets by article count with their first and last dates and languages."""
    return outlets_page(conn, _limit(request, limit), cursor).as_dict()


@api.get(
    "/outlets/{name}", response_model=None, summary="One outlet (= storyline outlet NAME --json)"
)
def api_outlet(name: str, conn: sqlite3.Connection = Depends(get_conn)) -> dict[str, Any]:
    """Articles per week, languages, agencies, and copy relations with other outlets."""
    return outlet_profile(conn, name)


@pages.get("/outlets", include_in_schema=False)
def outlets_view(
    request: Request,
    limit: int | None = Query(None, ge=1),
    cursor: str | None = None,
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    page = outlets_page(conn, _limit(request, limit), cursor)
    rows = [{**r, "href": outlet_href(r["outlet"])} for r in page.items]
    spec = charts.bars(rows, category="outlet", value="articles", href="href")
    params = [(k, v) for k, v in request.query_params.multi_items() if v]
    return render(
        request,
        "outlets/list.html",
        {"title": "Outlets", "page": page, "rows": rows, "spec": spec,
         "api_url": "/api/v1/outlets" + ("?" + urlencode(params) if params else "")},
    )  # fmt: skip


@pages.get("/outlets/{name}", include_in_schema=False)
def outlet_view(
    request: Request, name: str, conn: sqlite3.Connection = Depends(get_conn)
) -> Response:
    p = outlet_profile(conn, name)
    weeks = [{"period": w["week"], "articles": w["articles"]} for w in p["weeks"]]
    return render(
        request,
        "outlets/outlet.html",
        {"title": p["outlet"], "p": p, "api_url": "/api/v1" + outlet_href(p["outlet"]),
         "volume_spec": charts.volume(weeks, height=140), "weeks": p["weeks"],
         "outlet_href": outlet_href, "search_href": search_href},
    )  # fmt: skip
