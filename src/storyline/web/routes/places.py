"""Places: a world map of where the articles and events are, over `storyline.analysis.places`
(the same functions as `storyline places`). Countries are shaded on the bundled world outline
(no tile server: analysts are often offline); other places are circles at their coordinates;
each links to the search filtered to that place."""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from storyline.analysis.paging import Page, decode_cursor, page_of
from storyline.analysis.places import country_counts, list_places
from storyline.web import charts
from storyline.web.deps import get_conn, settings_of
from storyline.web.render import render

pages = APIRouter()
api = APIRouter(tags=["places"])


def _limit(request: Request, limit: int | None) -> int:
    web = settings_of(request).get("web", {})
    size = int(limit or web.get("page_size", 25))
    return max(1, min(size, int(web.get("max_page_size", 200))))


def search_href(place: str) -> str:
    return "/search?" + urlencode({"place": place})


def places_page(
    conn: sqlite3.Connection, country: str | None, kind: str | None, limit: int, cursor: str | None
) -> Page:
    query = {"list": "places", "country": (country or "").upper() or None, "kind": kind}
    offset = decode_cursor(cursor, query)
    rows = list_places(conn, country=country, kind=kind, limit=limit + 1, offset=offset)
    return page_of(rows, offset, limit, query)


@api.get("/places", response_model=None, summary="Places (= storyline places --json)")
def api_places(
    request: Request,
    country: str | None = Query(None, description="ISO 3166 alpha-2 code, e.g. IR"),
    kind: str | None = Query(None, description="country, region, city..."),
    limit: int | None = Query(None, ge=1, description="Rows per page"),
    cursor: str | None = Query(None, description="The next_cursor of the previous page"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Resolved places, most articles first, with coordinates and article, mention and event
    counts; ``items`` are the rows of ``storyline places --json``."""
    return places_page(conn, country, kind, _limit(request, limit), cursor).as_dict()


@api.get(
    "/places/countries",
    response_model=None,
    summary="Articles and events per country (= storyline places --countries --json)",
)
def api_countries(conn: sqlite3.Connection = Depends(get_conn)) -> dict[str, Any]:
    """Per country: articles, place mentions and events located there, with the ISO numeric id
    the world map is keyed by (one page)."""
    return Page(country_counts(conn)).as_dict()


@pages.get("/places", include_in_schema=False)
def places_view(
    request: Request,
    country: str | None = None,
    kind: str | None = None,
    limit: int | None = Query(None, ge=1),
    cursor: str | None = None,
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    page = places_page(conn, country or None, kind or None, _limit(request, limit), cursor)
    countries = [{**c, "href": search_href(c["name"])} for c in country_counts(conn)]
    shaded = [c for c in countries if c["id"]]
    points = [
        {**p, "href": search_href(p["name"])}
        for p in list_places(conn, limit=200)
        if p["kind"] != "country"
    ]
    spec = charts.world_map(shaded, points, value="articles", href="href")
    params = [(k, v) for k, v in request.query_params.multi_items() if v]
    return render(
        request,
        "places/list.html",
        {"title": "Places", "page": page, "countries": countries, "points": points,
         "spec": spec, "search_href": search_href, "country": country or "", "kind": kind or "",
         "api_url": "/api/v1/places" + ("?" + urlencode(params) if params else "")},
    )  # fmt: skip
