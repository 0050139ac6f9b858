"""Stories and storylines: the listings, one story, one storyline; pages and /api/v1.

Thin over `storyline.analysis.stories` (the CLI's ``stories|story|storylines|storyline --json``
print the same JSON the API returns); this module only pages, builds the charts' specs from the
analysis rows, and renders.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from storyline.analysis.stories import list_stories, list_storylines, storyline_detail
from storyline.analysis.story import STORY_ARTICLES, story_detail
from storyline.errors import QueryError
from storyline.team.teamwork import team_of
from storyline.web import charts
from storyline.web.deps import get_conn, settings_of
from storyline.web.render import render

pages = APIRouter()
api = APIRouter()
#: The store connection of the serving thread (a module-level default, as FastAPI wants).
CONN = Depends(get_conn)

LIMIT = Query(None, ge=1, description="Rows per page (default: the web.page_size setting)")
CURSOR = Query(None, description="The next_cursor of the previous page (opaque)")
SINCE = Query(None, description="Only those with a date or bound on or after YYYY-MM-DD")
UNTIL = Query(None, description="Only those with a date or bound on or before YYYY-MM-DD")
STORYLINE = Query(None, description="Only this storyline's stories (id or unique prefix)")


def page_size(request: Request, limit: int | None) -> int:
    """The asked page size, the setting's default, and a coded refusal above the maximum."""
    web = settings_of(request)["web"]
    if limit is None:
        return int(web["page_size"])
    if limit > int(web["max_page_size"]):
        raise QueryError(f"limit {limit} is above web.max_page_size ({web['max_page_size']})")
    return limit


def article_href(article_id: str, start: int | None = None, end: int | None = None) -> str:
    """An article page, with the sentence ``start``-``end`` highlighted and scrolled to."""
    if start is None or end is None:
        return f"/articles/{article_id}"
    return f"/articles/{article_id}?hl={int(start)}-{int(end)}#hl"


# -- charts -------------------------------------------------------------------------------------


def articles_strip(story: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Articles per day by outlet on a time axis, over every article of the story (its
    ``timeline``, not the listed page); a bound is plotted at its value, marked as a bound.
    Each point opens the story's articles of that outlet and day in the search."""
    rows = []
    for t in story["timeline"]:
        outlet = t["outlet"]
        filters = {"story": story["id"], "since": t["date"], "until": t["date"]}
        if outlet != "(unknown outlet)":
            filters["outlet"] = outlet
        rows.append(
            {
                "date": t["date"],
                "outlet": outlet,
                "kind": t["kind"] + (", ≥ bound" if t["bound"] else ""),
                "articles": t["articles"],
                "title": f"{t['articles']} article{'' if t['articles'] == 1 else 's'}",
                "href": "/search?" + urlencode(filters),
            }
        )
    return charts.strip(rows, x="date", y="outlet", color="kind", href="href"), rows


def copy_network(story: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Who copied whom: outlets as nodes (sized by their articles in the story), copy links
    counted per pair of outlets, from the original's outlet to the copy's (partial reuse of a
    paragraph drawn thinner); the table lists the story's first copy links one by one."""
    index = {o["outlet"]: n for n, o in enumerate(story["outlets"])}
    nodes = [
        {
            "name": f"{o['outlet']} ({len(o['articles'])})",
            "group": o["outlet"],
            "size": len(o["articles"]),
            "href": f"/outlets/{quote(o['outlet'], safe='')}"
            if o["outlet"] != "(unknown outlet)"
            else "/search?" + urlencode({"story": story["id"]}),
        }
        for o in story["outlets"]
    ]
    links = [
        {
            "source": index[link["original"]],
            "target": index[link["copy"]],
            "value": link["links"] if link["kind"] == "partial" else 3 * link["links"],
        }
        for link in story["outlet_copies"]
        if link["original"] in index and link["copy"] in index
    ]
    table = [
        {
            "original": link["original"],
            "copy": link["copy"],
            "kind": link["kind"],
            "who was first": link["first_reason"]
            if link["first_known"]
            else "unknown: " + link["first_reason"],
        }
        for link in story["copies"]
    ]
    return charts.network(nodes, links, directed=True, height=300), table


def places_map(story: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Countries shaded by articles naming a place in them; circles at the places."""
    countries: dict[str, dict[str, Any]] = {}
    for p in story["places"]:
        if not p["country_id"]:
            continue
        row = countries.setdefault(
            p["country_id"], {"id": p["country_id"], "name": p["country"], "articles": 0}
        )
        row["articles"] = max(row["articles"], p["articles"])
    points = [
        {"name": p["name"], "latitude": p["lat"], "longitude": p["lon"], "articles": p["articles"]}
        for p in story["places"]
        if p["kind"] != "country"
    ]
    return charts.world_map(list(countries.values()), points, value="articles"), points


def story_timeline(line: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A storyline's stories as spans; a story known only by bounds is drawn at its bounds and
    labelled "≥"; one with neither is listed, not drawn."""
    rows = []
    for s in line["timeline"]:
        start = s["first_seen"] or s["first_bound"]
        if not start:
            continue
        end = s["last_seen"] or s["last_bound"] or start
        bound = "" if s["first_seen"] else " (≥ bound)"
        rows.append(
            {
                "story": f"{(s['title'] or s['id'])[:80]}{bound}",
                "first_seen": start,
                "last_seen": end,
                "articles": s["n_articles"],
                "href": f"/stories/{s['id']}",
            }
        )
    spec = charts.timeline(
        rows, start="first_seen", end="last_seen", label="story", size="articles", href="href"
    )
    return spec, rows


def volume_rows(weeks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Weekly counts labelled for people: bounded articles stay a kind of their own."""
    return [{**w, "kind": "published" if w["kind"] == "dated" else "≥ lower bound"} for w in weeks]


def volume_chart(weeks: list[dict[str, Any]]) -> dict[str, Any]:
    """Articles per week, published and bounded stacked apart."""
    return charts.volume(
        volume_rows(weeks), x="week", y="articles", unit="yearmonthdate", color="kind"
    )


# -- API ----------------------------------------------------------------------------------------


@api.get("/stories", response_model=None, summary="Latest stories, paged")
def api_stories(
    request: Request,
    limit: int | None = LIMIT,
    cursor: str | None = CURSOR,
    storyline: str | None = STORYLINE,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    conn: sqlite3.Connection = CONN,
) -> dict[str, Any]:
    """Stories, latest first, as `storyline stories --json` prints them: published dates
    (`first_seen`/`last_seen`) and the undated articles' lower bounds (`first_bound`/
    `last_bound`) in separate fields."""
    page = list_stories(
        conn,
        limit=page_size(request, limit),
        storyline=storyline,
        since=since,
        until=until,
        cursor=cursor,
    )
    return page.as_dict()


def story_page_size(request: Request, limit: int | None) -> int:
    """A story's articles per page: `STORY_ARTICLES` unless asked (as the CLI's ``story``)."""
    return STORY_ARTICLES if limit is None else page_size(request, limit)


@api.get("/stories/{story_id}", response_model=None, summary="One story")
def api_story(
    request: Request,
    story_id: str,
    limit: int | None = Query(
        None, ge=1, description=f"Articles listed per page (default {STORY_ARTICLES})"
    ),
    cursor: str | None = CURSOR,
    conn: sqlite3.Connection = CONN,
) -> JSONResponse:
    """One story as `storyline story ID --json` prints it: summary with cited spans, one page
    of its articles (``articles_next_cursor`` for the next), copy links, per-outlet comparison,
    actors, quotes (kind), events (mode), places; all but the article list cover every
    article."""
    story = story_detail(conn, story_id, limit=story_page_size(request, limit), cursor=cursor)
    # plain JSON types already: the same bytes without FastAPI's `jsonable_encoder` walk over
    # every value (~18 ms of the answer for a 350-article story)
    return JSONResponse(story)


@api.get("/storylines", response_model=None, summary="Latest storylines, paged")
def api_storylines(
    request: Request,
    limit: int | None = LIMIT,
    cursor: str | None = CURSOR,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    conn: sqlite3.Connection = CONN,
) -> dict[str, Any]:
    """Storylines, latest first, as `storyline storylines --json` prints them."""
    page = list_storylines(
        conn, limit=page_size(request, limit), since=since, until=until, cursor=cursor
    )
    return page.as_dict()


@api.get("/storylines/{storyline_id}", response_model=None, summary="One storyline")
def api_storyline(storyline_id: str, conn: sqlite3.Connection = CONN) -> dict[str, Any]:
    """One storyline as `storyline storyline ID --json` prints it: actors, places, terms, its
    stories on a timeline, summary and articles per week."""
    return storyline_detail(conn, storyline_id)


# -- pages --------------------------------------------------------------------------------------


@pages.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_page(
    request: Request,
    limit: int | None = LIMIT,
    cursor: str | None = CURSOR,
    storyline: str | None = STORYLINE,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    conn: sqlite3.Connection = CONN,
) -> HTMLResponse:
    page = list_stories(
        conn,
        limit=page_size(request, limit),
        storyline=storyline or None,
        since=since or None,
        until=until or None,
        cursor=cursor,
    )
    return render(
        request,
        "stories/list.html",
        {
            "title": "Stories",
            "page": page,
            "filters": {"storyline": storyline or "", "since": since or "", "until": until or ""},
            "api_url": "/api/v1/stories" + str(request.url.query and "?" + request.url.query),
        },
    )


@pages.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(
    request: Request,
    story_id: str,
    limit: int | None = LIMIT,
    cursor: str | None = CURSOR,
    conn: sqlite3.Connection = CONN,
) -> HTMLResponse:
    size = story_page_size(request, limit)
    story = story_detail(conn, story_id, limit=size, cursor=cursor)
    strip, strip_rows = articles_strip(story)
    network, network_rows = copy_network(story)
    world, world_rows = places_map(story)
    return render(
        request,
        "stories/story.html",
        {
            "title": story["title"] or story["id"],
            "story": story,
            "article_href": article_href,
            "strip": strip,
            "strip_rows": strip_rows,
            "network": network,
            "network_rows": network_rows,
            "world": world,
            "world_rows": world_rows,
            "api_url": f"/api/v1/stories/{story['id']}"
            + str(request.url.query and "?" + request.url.query),
            "next_url": f"/stories/{story['id']}?"
            + urlencode(
                {"cursor": story["articles_next_cursor"]}
                | ({"limit": str(limit)} if limit is not None else {})
            )
            if story["articles_next_cursor"]
            else None,
            "team": team_of(conn, "story", story["id"]),
        },
    )


@pages.get("/storylines", response_class=HTMLResponse, include_in_schema=False)
def storylines_page(
    request: Request,
    limit: int | None = LIMIT,
    cursor: str | None = CURSOR,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    conn: sqlite3.Connection = CONN,
) -> HTMLResponse:
    page = list_storylines(
        conn,
        limit=page_size(request, limit),
        since=since or None,
        until=until or None,
        cursor=cursor,
    )
    return render(
        request,
        "stories/storylines.html",
        {
            "title": "Storylines",
            "page": page,
            "filters": {"since": since or "", "until": until or ""},
            "api_url": "/api/v1/storylines" + str(request.url.query and "?" + request.url.query),
        },
    )


@pages.get("/storylines/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
def storyline_page(
    request: Request, storyline_id: str, conn: sqlite3.Connection = CONN
) -> HTMLResponse:
    line = storyline_detail(conn, storyline_id)
    timeline, timeline_rows = story_timeline(line)
    return render(
        request,
        "stories/storyline.html",
        {
            "title": line["title"] or line["id"],
            "line": line,
            "article_href": article_href,
            "timeline": timeline,
            "timeline_rows": timeline_rows,
            "volume": volume_chart(line["weeks"]),
            "volume_rows": volume_rows(line["weeks"]),
            "api_url": f"/api/v1/storylines/{line['id']}",
            "team": team_of(conn, "storyline", line["id"]),
        },
    )
