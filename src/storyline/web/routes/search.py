"""Search: the page and ``GET /api/v1/search``, over `storyline.analysis.search.search_articles`
(the function `storyline search --json` prints).

The page keeps its whole state in the URL (query, filters, cursor), so a search is bookmarked and
shared by its address; a facet is a link that adds one filter, an active filter is a link that
removes it. Snippets are built from escaped pieces around the hits and then passed through
`clean_html`: the stored text never reaches the page as markup.
"""

from __future__ import annotations

import calendar
import sqlite3
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from storyline.analysis.search import FILTERS, search_articles
from storyline.errors import NotFound, QueryError
from storyline.web import charts
from storyline.web.deps import get_conn, settings_of
from storyline.web.render import clean_html, render

pages = APIRouter()
api = APIRouter(tags=["search"])

Q_HELP = 'Words, "a phrase", AND / OR / NOT, prefix*; may be empty with actor, place or story'
HELP = {
    "since": "From this day (YYYY-MM-DD); an undated article counts by its lower bound",
    "until": "Up to this day (YYYY-MM-DD)",
    "outlet": "Only this outlet (any case)",
    "agency": "Only articles crediting this news agency",
    "language": "Only this language code (en, fa, ...)",
    "actor": "Articles mentioning this actor under any spelling: a name, alias or actor id",
    "place": "Articles naming this place: a name, a GeoNames id or a two-letter country code",
    "story": "Articles of this story: its id or a unique prefix",
}
#: The facets the page shows, in order, with their headings and the filter each one sets.
FACETS = (
    ("outlet", "Outlet"),
    ("agency", "Agency"),
    ("language", "Language"),
    ("actor", "Actor"),
    ("place", "Place"),
    ("story", "Story"),
)


def snippet_html(snippet: str, highlights: list[list[int]]) -> Markup:
    """The snippet with its hits in <mark>: every piece of text escaped, then the whole reduced
    to the allowed inline tags by nh3 (defence in depth: the pieces are escaped already)."""
    out: list[str] = []
    pos = 0
    for start, end in highlights:
        if start < pos or end > len(snippet):
            continue
        out.append(str(escape(snippet[pos:start])))
        out.append(f"<mark>{escape(snippet[start:end])}</mark>")
        pos = end
    out.append(str(escape(snippet[pos:])))
    return clean_html("".join(out))


def _page_limit(settings: dict[str, Any], limit: int | None) -> int:
    web = settings["web"]
    return min(int(limit or web["page_size"]), int(web["max_page_size"]))


@api.get(
    "/search",
    response_model=None,
    summary="Search articles (BM25) with filters, copies folded under originals, and facets",
    description="The same answer as `storyline search --json`: `items` (originals, each with "
    "its `copies`), `next_cursor`, `total` (matching articles, exact), `results` (after "
    "folding; an upper bound when `results_exact` is false: copies are folded over a window of "
    "the best-ranked matches), `resolved` (what an actor, place or story filter named), and with "
    "`facets=true` counts over the best-ranked matches, `facets_sample` saying how many of "
    "`total` they cover (`complete` when all).",
)
def search_api(
    request: Request,
    q: str = Query("", description=Q_HELP),
    since: str | None = Query(None, description=HELP["since"]),
    until: str | None = Query(None, description=HELP["until"]),
    outlet: str | None = Query(None, description=HELP["outlet"]),
    agency: str | None = Query(None, description=HELP["agency"]),
    language: str | None = Query(None, description=HELP["language"]),
    actor: str | None = Query(None, description=HELP["actor"]),
    place: str | None = Query(None, description=HELP["place"]),
    story: str | None = Query(None, description=HELP["story"]),
    limit: int | None = Query(None, ge=1, description="Results per page (default search.limit)"),
    cursor: str | None = Query(None, description="The next_cursor of the previous page"),
    facets: bool = Query(
        False, description="Add counts by month, outlet, ... over the best-ranked matches"
    ),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    settings = settings_of(request)
    return search_articles(
        conn,
        q,
        since=since,
        until=until,
        outlet=outlet,
        agency=agency,
        language=language,
        actor=actor,
        place=place,
        story=story,
        limit=min(int(limit or settings["search"]["limit"]), int(settings["web"]["max_page_size"])),
        cursor=cursor,
        facets=facets,
    )


@pages.get("/search", include_in_schema=False)
def search_page(
    request: Request,
    q: str = "",
    limit: int | None = None,
    cursor: str | None = None,
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    given = {name: request.query_params.get(name) or None for name in FILTERS}
    title = f"Search: {q}" if q else "Search"
    ctx: dict[str, Any] = {
        "title": title,
        "q": q,
        "given": given,
        "answer": None,
        "problem": None,
        "api_url": None,
        "snippet_html": snippet_html,
        "filter_help": HELP,
    }
    if not q.strip() and not (given["actor"] or given["place"] or given["story"]):
        return render(request, "search/search.html", ctx)
    try:
        answer = search_articles(
            conn,
            q,
            **given,
            limit=_page_limit(settings_of(request), limit),
            cursor=cursor,
            facets=True,
        )
    except (QueryError, NotFound) as exc:
        ctx["problem"] = f"{exc.code} {exc.message}"
        status = 404 if isinstance(exc, NotFound) else 400
        return render(request, "search/search.html", ctx, status_code=status)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "limit"]
    ctx.update(
        answer=answer,
        api_url="/api/v1/search?" + urlencode([*params, ("facets", "true")]),
        groups=group_by_story(answer["items"]),
        facets=facet_links(request, answer),
        months=month_chart(request, answer["facets"]["months"]),
        active=active_filters(request, answer),
    )
    return render(request, "search/search.html", ctx)


def group_by_story(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page's results grouped by story, each group where its best result ranks."""
    groups: dict[str, dict[str, Any]] = {}
    for item in items:
        key = item["story_id"] or f"article:{item['id']}"
        group = groups.setdefault(
            key, {"story_id": item["story_id"], "title": item["story_title"], "items": []}
        )
        group["items"].append(item)
    return list(groups.values())


def _with(request: Request, **changes: str | None) -> str:
    """This search's URL with some parameters set (None removes one), from the first page."""
    params = [
        (k, v) for k, v in request.query_params.multi_items() if k not in changes and k != "cursor"
    ]
    params.extend((k, v) for k, v in changes.items() if v is not None)
    return "/search?" + urlencode(params)


def facet_links(request: Request, answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Each facet's values with their counts and the link that adds (or removes) it."""
    out = []
    for name, heading in FACETS:
        current = request.query_params.get(name)
        resolved = answer["resolved"].get(name) or {}
        values = []
        for row in answer["facets"][name]:
            value = row["value"]
            label = row["label"] if row["label"] is not None else str(value)
            active = value is not None and (
                str(value) == current
                or str(value) in (str(resolved.get("id")), str(resolved.get("geonameid")))
            )
            href = None
            if value is not None:
                href = _with(request, **{name: None if active else str(value)})
            values.append({"label": label, "articles": row["articles"], "href": href,
                           "active": active, "value": value})  # fmt: skip
        out.append({"name": name, "heading": heading, "values": values})
    return out


def _month_bounds(month: str) -> tuple[str, str]:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{month}-01", f"{month}-{calendar.monthrange(year, mon)[1]:02d}"


def month_chart(request: Request, months: list[dict[str, Any]]) -> dict[str, Any]:
    """The date histogram: a stacked bar per month (dated articles, and undated ones counted by
    their lower bound, shown as such), each bar a link that narrows the search to its month."""
    data: list[dict[str, Any]] = []
    table: list[dict[str, Any]] = []
    for row in months:
        if row["value"] == "undated":
            table.append({"month": "undated", "dated": 0, "lower bound": 0,
                          "articles": row["articles"]})  # fmt: skip
            continue
        first, last = _month_bounds(row["value"])
        href = _with(request, since=first, until=last)
        for kind, n in (("dated", row["dated"]), ("lower bound", row["bounded"])):
            if n:
                data.append({"period": first, "articles": n, "kind": kind, "href": href})
        table.append({"month": row["value"], "dated": row["dated"],
                      "lower bound": row["bounded"], "articles": row["articles"]})  # fmt: skip
    spec = charts.volume(data, unit="yearmonth", color="kind", href="href", height=120)
    return {
        "spec": spec,
        "rows": table,
        "columns": ["month", "dated", "lower bound", "articles"],
        "show": bool(data),
    }


def active_filters(request: Request, answer: dict[str, Any]) -> list[dict[str, str]]:
    """The filters in force, each with what it resolved to and a link that removes it."""
    out = []
    for name, value in answer["filters"].items():
        found = answer["resolved"].get(name) or {}
        shown = found.get("name") or found.get("title") or value
        href = None
        if name == "actor" and found.get("id"):
            href = "/actors/" + quote(found["id"], safe=":")
        elif name == "story" and found.get("id"):
            href = "/stories/" + quote(found["id"])
        out.append({"name": name, "value": value, "shown": str(shown), "href": href,
                    "remove": _with(request, **{name: None})})  # fmt: skip
    return out
