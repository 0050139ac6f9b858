"""Articles: the listing, one article with its facts at their spans, its copies, and the store's
numbers; pages and JSON over `storyline.analysis.articles` (what `storyline list`, `show`,
`copies` and `stats` print with ``--json``).

The article page is where every number in the workbench ends: sentences carry ``s-{start}`` ids
and ``?hl=START-END`` marks and anchors any span (the story summaries cite sentences that way);
quotes, events and mentions carry ``q{n}``, ``e{n}``, ``m{n}`` ids. Marks are cut at sentence
boundaries so a quote running over two sentences never hides a sentence's anchor.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from storyline.analysis.articles import article_detail, copies_report, list_articles
from storyline.store import Store
from storyline.store.stats import stats
from storyline.team.teamwork import team_of
from storyline.web.deps import get_conn, get_store, settings_of
from storyline.web.render import render

pages = APIRouter()
api = APIRouter(tags=["articles"])

ID_HELP = "An article id or a unique prefix of one (as `storyline show` takes)"
_SPAN = re.compile(r"^(\d{1,9})-(\d{1,9})$")


def _limit(request: Request, limit: int | None) -> int:
    web = settings_of(request)["web"]
    return min(int(limit or web["page_size"]), int(web["max_page_size"]))


# -- JSON --------------------------------------------------------------------------------------


@api.get(
    "/articles",
    response_model=None,
    summary="Latest articles first (undated ones by their lower bound); = `storyline list --json`",
)
def articles_api(
    request: Request,
    outlet: str | None = Query(None, description="Only this outlet (any case)"),
    language: str | None = Query(None, description="Only this language code (en, fa, ...)"),
    limit: int | None = Query(None, ge=1, description="Rows per page (default web.page_size)"),
    cursor: str | None = Query(None, description="The next_cursor of the previous page"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    page = list_articles(
        conn, limit=_limit(request, limit), outlet=outlet, language=language, cursor=cursor
    )
    return page.as_dict()


@api.get(
    "/articles/{article_id}",
    response_model=None,
    summary="One article: fields with provenance, text, facts, actors' names, story, copies; "
    "= `storyline show ID --json`",
)
def article_api(article_id: str, store: Store = Depends(get_store)) -> dict[str, Any]:
    return article_detail(store, article_id)


@api.get(
    "/articles/{article_id}/copies",
    response_model=None,
    summary="An article's copy links with the shared paragraphs and who had it first; "
    "= `storyline copies ID --json`",
)
def copies_api(article_id: str, store: Store = Depends(get_store)) -> dict[str, Any]:
    return copies_report(store, article_id)


@api.get(
    "/stats",
    response_model=None,
    summary="What the store holds: articles by outlet, language, month, agency; failed and "
    "skipped inputs; = `storyline stats --json`",
)
def stats_api(conn: sqlite3.Connection = Depends(get_conn)) -> dict[str, Any]:
    return stats(conn)


# -- pages -------------------------------------------------------------------------------------


@pages.get("/articles", include_in_schema=False)
def articles_page(
    request: Request,
    outlet: str | None = None,
    language: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    page = list_articles(
        conn,
        limit=_limit(request, limit),
        outlet=outlet or None,
        language=language or None,
        cursor=cursor,
    )
    return render(
        request,
        "articles/list.html",
        {
            "title": "Articles",
            "page": page,
            "outlet": outlet or "",
            "language": language or "",
            "numbers": stats(conn),
            "api_url": "/api/v1/articles" + (f"?{request.url.query}" if request.url.query else ""),
        },
    )


@pages.get("/articles/{article_id}", include_in_schema=False)
def article_page(
    request: Request,
    article_id: str,
    hl: str | None = None,
    store: Store = Depends(get_store),
) -> Response:
    detail = article_detail(store, article_id)
    wanted = highlight_span(hl, len(detail["text"]))
    return render(
        request,
        "articles/article.html",
        {
            "title": detail["title"] or "(no title)",
            "a": detail,
            "marks": text_marks(detail, wanted),
            "highlighted": wanted,
            "quotes": quote_rows(detail),
            "events": event_rows(detail),
            "api_url": "/api/v1/articles/" + quote(detail["id"]),
            "actor_href": actor_href,
            "team": team_of(store.conn, "article", detail["id"]),
        },
    )


def actor_href(actor_id: str) -> str:
    return "/actors/" + quote(actor_id, safe=":")


def highlight_span(hl: str | None, length: int) -> tuple[int, int] | None:
    """``START-END`` from ``?hl=`` when it is a span inside the text; anything else is ignored
    (a stale link still opens the article)."""
    match = _SPAN.match(hl or "")
    if not match:
        return None
    start, end = int(match[1]), int(match[2])
    return (start, end) if 0 <= start < end <= length else None


def _name(detail: dict[str, Any], actor_id: str | None) -> str | None:
    if not actor_id:
        return None
    found = detail["actor_names"].get(actor_id)
    return str(found["name"]) if found else actor_id


def text_marks(
    detail: dict[str, Any], highlighted: tuple[int, int] | None = None
) -> list[dict[str, Any]]:
    """The marks `spans` wraps into the text: sentences (outermost, ``s-{start}``), the asked-for
    span, events, quotes and actor mentions, each with its hover title. Every mark but a
    sentence is cut at sentence boundaries (its id on its first piece), so none crosses one."""
    sentences = [(s["start"], s["end"]) for s in detail["sentences"]]
    marks: list[dict[str, Any]] = [
        {"start": s, "end": e, "cls": "sent", "id": f"s-{s}"} for s, e in sentences
    ]
    inner: list[dict[str, Any]] = []
    if highlighted:
        inner.append({"start": highlighted[0], "end": highlighted[1], "cls": "hl", "tag": "mark",
                      "id": "hl", "title": "the cited passage"})  # fmt: skip
    for seq, e in enumerate(detail["events"]):
        mode = f" ({e['mode']})" if e.get("mode") else ""
        who = " → ".join(
            x for x in (_name(detail, e.get("source_actor")) or e.get("source"),
                        _name(detail, e.get("target_actor")) or e.get("target")) if x
        )  # fmt: skip
        inner.append({"start": e["start"], "end": e["end"], "cls": "event", "id": f"e{seq}",
                      "title": f"event {e['type']}{mode}{': ' + who if who else ''}"})  # fmt: skip
    for seq, q in enumerate(detail["quotes"]):
        speaker = _name(detail, q.get("speaker_actor")) or q.get("speaker") or "unknown speaker"
        written = q.get("speaker")
        as_written = f" (written “{written}”)" if written and written != speaker else ""
        inner.append({"start": q["start"], "end": q["end"], "cls": f"quote {q['kind']}",
                      "id": f"q{seq}",
                      "title": f"{q['kind']} quote · speaker: {speaker}{as_written}"})  # fmt: skip
    for seq, m in enumerate(detail["mentions"]):
        actor_id = m.get("actor_id")
        title = f"{_name(detail, actor_id)} ({m['label']})" if actor_id else f"{m['label']}"
        mark = {"start": m["start"], "end": m["end"], "cls": "actor" if actor_id else "entity",
                "id": f"m{seq}", "title": title}  # fmt: skip
        if actor_id:
            mark["href"] = actor_href(actor_id)
        inner.append(mark)
    for mark in inner:
        marks.extend(_cut(mark, sentences))
    return marks


def _cut(mark: dict[str, Any], sentences: Iterable[tuple[int, int]]) -> list[dict[str, Any]]:
    """``mark`` split into its pieces inside each sentence (the whole mark when no sentence
    boundary falls inside it); only the first piece keeps the id."""
    start, end = int(mark["start"]), int(mark["end"])
    pieces = []
    for s, e in sentences:
        lo, hi = max(start, s), min(end, e)
        if lo < hi and (lo, hi) != (start, end):
            pieces.append({**mark, "start": lo, "end": hi})
    if not pieces:
        return [mark]
    for piece in pieces[1:]:
        piece.pop("id", None)
    return pieces


def quote_rows(detail: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**q, "seq": seq, "speaker_name": _name(detail, q.get("speaker_actor"))}
        for seq, q in enumerate(detail["quotes"])
    ]


def event_rows(detail: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **e,
            "seq": seq,
            "source_name": _name(detail, e.get("source_actor")),
            "target_name": _name(detail, e.get("target_actor")),
        }
        for seq, e in enumerate(detail["events"])
    ]
