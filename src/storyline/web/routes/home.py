"""The front page and ``/api/v1/home``: what is in the store, the latest stories, the
storylines that moved in the store's latest days, the top actors of that period, and the
volume over time (thin over `storyline.analysis.home`)."""

from __future__ import annotations

import sqlite3
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from storyline.analysis.home import home
from storyline.web import charts
from storyline.web.deps import get_conn
from storyline.web.render import render
from storyline.web.routes.stories import volume_chart, volume_rows

pages = APIRouter()
api = APIRouter()
#: The store connection of the serving thread (a module-level default, as FastAPI wants).
CONN = Depends(get_conn)

DAYS = Query(
    7,
    ge=1,
    le=3660,
    description="The period, in days up to the newest published date in the store (not today)",
)
#: Periods offered on the page.
PERIODS = (7, 30, 90, 365)


@api.get("/home", response_model=None, summary="The front page's data")
def api_home(days: int = DAYS, conn: sqlite3.Connection = CONN) -> dict[str, Any]:
    """What the front page shows: the store in numbers, the latest stories, storylines with
    articles in the period (each with its articles per week), the period's top actors, and
    articles per week (published and lower-bounded apart)."""
    return home(conn, days)


@pages.get("/", response_class=HTMLResponse, include_in_schema=False)
def home_page(request: Request, days: int = DAYS, conn: sqlite3.Connection = CONN) -> HTMLResponse:
    data = home(conn, days)
    trends = [
        charts.sparkline(line["weeks"], x="week", y="articles") for line in data["storylines"]
    ]
    actor_rows = [
        {"actor": a["name"], "articles": a["articles"], "href": f"/actors/{a['id']}"}
        for a in data["actors"]
    ]
    return render(
        request,
        "home/index.html",
        {
            "title": "Home",
            "data": data,
            "periods": PERIODS,
            "trends": trends,
            "actors_chart": charts.bars(
                actor_rows, category="actor", value="articles", href="href"
            ),
            "actor_rows": actor_rows,
            "volume": volume_chart(data["volume"]),
            "volume_rows": volume_rows(data["volume"]),
            "api_url": f"/api/v1/home?days={days}",
        },
    )
