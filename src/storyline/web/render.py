"""Templates: Jinja2 with autoescaping on every template, and the few filters that turn stored
values into safe markup (a bound shown as a bound, links limited to http/https, highlighted
spans built from escaped pieces, charts as data attributes that our own script reads).

Article text, titles, names and URLs come from the whole internet: nothing reaches a page except
through autoescaping, `spans`, or `clean_html` (nh3 with an allow-list of inline tags).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit

import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from storyline.web.security import CSRF_FIELD, csrf_token, remember_csrf

TEMPLATES = resources.files("storyline.web") / "templates"
STATIC = resources.files("storyline.web") / "static"
#: Inline tags a sanitised fragment may keep (search snippets' highlights, emphasis).
ALLOWED_TAGS = {"mark", "em", "strong", "b", "i"}


def date_label(published: str | None, not_before: str | None = None) -> Markup:
    """A date, a lower bound marked as one ("≥ 2021-08-01"), or "undated": never a bound as a
    date."""
    if published:
        return Markup('<time datetime="{0}">{0}</time>').format(str(published)[:10])
    if not_before:
        return Markup(
            '<span class="bound" title="not published before this date (a lower bound)">'
            '≥ <time datetime="{0}">{0}</time></span>'
        ).format(str(not_before)[:10])
    return Markup('<span class="undated">undated</span>')


def span_label(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first if not last or last == first else f"{first} → {last}"


def safe_href(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no javascript:, data:, file:)."""
    if not url:
        return None
    text = str(url).strip()
    if any(ord(c) < 0x20 for c in text):
        return None
    parts = urlsplit(text)
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def external_link(url: str | None, label: str | None = None) -> Markup:
    """An outside link that cannot script, open a window handle back to us, or leak a referrer."""
    href = safe_href(url)
    text = label if label is not None else (url or "")
    if href is None:
        return Markup("<span>{0}</span>").format(text)
    return Markup(
        '<a href="{0}" rel="noopener noreferrer nofollow" target="_blank">{1}</a>'
    ).format(href, text)


def clean_html(fragment: str) -> Markup:
    """Untrusted HTML reduced to a few inline tags with no attributes (nh3, a Rust sanitiser)."""
    return Markup(nh3.clean(fragment, tags=ALLOWED_TAGS, attributes={}, url_schemes=set()))


def spans(text: str, marks: Iterable[Mapping[str, Any]]) -> Markup:
    """``text`` with each mark's ``start``–``end`` wrapped in an element; overlapping marks are
    nested where they fit and dropped where they would cross. Each mark gives ``tag`` (default
    "span"), ``cls`` and ``title`` (the hover) and optionally ``href`` (a link inside our site)
    and ``id``; every piece is escaped."""
    ordered = sorted(
        (m for m in marks if 0 <= int(m["start"]) < int(m["end"]) <= len(text)),
        key=lambda m: (int(m["start"]), -int(m["end"])),
    )
    out: list[str] = []
    pos = 0
    stack: list[tuple[int, str]] = []  # (end, closing tag)
    for m in ordered:
        start, end = int(m["start"]), int(m["end"])
        while stack and stack[-1][0] <= start:
            close_end, closing = stack.pop()
            out.append(str(escape(text[pos:close_end])))
            out.append(closing)
            pos = close_end
        if start < pos or (stack and end > stack[-1][0]):
            continue  # would cross an open mark
        out.append(str(escape(text[pos:start])))
        pos = start
        href = m.get("href")
        tag = "a" if href else str(m.get("tag") or "span")
        attrs = Markup(' class="{0}"').format(m.get("cls") or "")
        if m.get("title"):
            attrs += Markup(' title="{0}"').format(m["title"])
        if m.get("id"):
            attrs += Markup(' id="{0}"').format(m["id"])
        if href:
            attrs += Markup(' href="{0}"').format(href if str(href).startswith("/") else "#")
        out.append(f"<{tag}{attrs}>")
        stack.append((end, f"</{tag}>"))
    while stack:
        close_end, closing = stack.pop()
        out.append(str(escape(text[pos:close_end])))
        out.append(closing)
        pos = close_end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def to_json(value: Any) -> str:
    """JSON for a data attribute (autoescaping makes it safe inside the quotes)."""
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def query_string(request: Request, **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one): how pages keep
    their state in the URL while a facet or a page link changes one thing."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            params.extend((key, str(v)) for v in value)
        else:
            params.append((key, str(value)))
    return "?" + urlencode(params) if params else "?"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date_label=date_label,
        span_label=span_label,
        safe_href=safe_href,
        external_link=external_link,
        clean_html=clean_html,
        to_json=to_json,
        number=lambda n: f"{n:,}" if isinstance(n, int) else n,
    )
    env.globals.update(CSRF_FIELD=CSRF_FIELD, query_string=query_string, spans=spans)
    return env


def render(
    request: Request, template: str, context: Mapping[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A full page, or only its ``content`` block when htmx asks for a fragment
    (``HX-Request`` without ``HX-Boosted``).

    Rendering one block skips the template's top level, so page templates import their macros
    (``{% from ... import ... %}``) and define their own macros inside ``{% block content %}``;
    tests/web/test_security.py renders every page as a fragment.
    """
    ctx = {"request": request, "csrf_token": csrf_token(request), **context}
    ctx.setdefault("api_url", None)
    ctx.setdefault("title", None)
    tpl = environment().get_template(template)
    fragment = request.headers.get("hx-request") == "true" and not request.headers.get("hx-boosted")
    if fragment and "content" in tpl.blocks:
        body = "".join(tpl.blocks["content"](tpl.new_context(ctx)))
    else:
        body = tpl.render(ctx)
    response = HTMLResponse(body, status_code=status_code)
    response.headers["vary"] = "HX-Request"
    remember_csrf(request, response)
    return response
