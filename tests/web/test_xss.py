"""The XSS battery in a real browser: ~230 payloads (tests/web/xss_payloads.py) go through the
real ingest into titles, bylines, outlet names, bodies, quotes, speakers, actor names and URLs;
every page that shows them is rendered in chromium, along with searches and URL parameters that
carry payloads.

The main pass runs with the Content-Security-Policy bypassed, so escaping alone must hold: no
payload runs (an init script counts calls to ``window.__xss``, alert, confirm, prompt and print),
no element carries an ``on*``/``hx-on`` attribute or a script URL, no payload text sits in an
attribute that acts on it, and no payload makes the browser send a request (a live ``<img
src=x>`` would fetch ``/…/x``; a live ``hx-post`` would POST). A second pass with the CSP enforced
checks that the browser reports no CSP violation, and every HTML response carries the CSP
(``script-src 'self'``, ``frame-ancestors 'none'``) and ``nosniff``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from tests.web.browser import (
    DOM_AUDIT,
    FIXED_PAGES,
    XSS_INIT,
    LiveServer,
    Watch,
    crawl,
    launch_chromium,
    live_server,
    sign_in,
    wait_for_charts,
)
from tests.web.conftest import cli, ensure_user
from tests.web.xss_payloads import PAYLOADS, SPLITS, query_urls, search_queries, write_battery

#: Pages of each kind the crawl follows links to, on top of every article and every start page.
PER_SHAPE = 12  # pages per URL shape found by crawling; every article and search page is opened
LISTINGS = [
    "/articles",
    "/stories",
    "/storylines",
    "/actors",
    "/quotes",
    "/events",
    "/places",
    "/outlets",
    "/search",
]
#: Attributes that may legitimately hold payload text as inert data: hovers, form values, chart
#: data our own script reads as JSON, accessible labels.
INERT_ATTRIBUTES = {
    "title",
    "value",
    "aria-label",
    "data-vl-spec",
    "data-vg-spec",
    "data-copy",
    "alt",
    "placeholder",
    "datetime",
    "data-id",
    "data-title",
    "content",
}
PAYLOAD_IN_ATTRIBUTES = r"""
(inert) => {
  const found = [];
  const marker = /__xss|alert\(|confirm\(|prompt\(|print\(|javascript:|onerror|onload/i;
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (tag === "script" && marker.test(el.textContent))
      found.push("script element with payload: " + el.outerHTML.slice(0, 160));
    for (const a of el.attributes) {
      if (inert.includes(a.name.toLowerCase())) continue;
      // a link to our own page, or an outside http(s) link (its query may quote a payload)
      if (a.name === "href" && /^(\/(?!\/)|https?:\/\/)/i.test(a.value)) continue;
      if (marker.test(a.value) || marker.test(a.name))
        found.push("payload in attribute " + a.name + ": " + el.outerHTML.slice(0, 160));
    }
  }
  return found;
}
"""
CSP_NEEDS = ("script-src 'self'", "frame-ancestors 'none'")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def battery_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xss-battery")
    write_battery(folder / "corpus")
    db = folder / "battery.db"
    cli(db, "ingest", str(folder / "corpus"))
    return db


@pytest.fixture(scope="module")
def battery_server(battery_db: Path) -> Iterator[LiveServer]:
    ensure_user(battery_db, "analyst")
    with live_server(battery_db) as server:
        yield server


def reach(db: Path) -> dict[str, int]:
    """How many stored values of each kind carry payload markup after the real ingest."""
    markup = (
        "({col} LIKE '%<%' OR {col} LIKE '%javascript:%' OR {col} LIKE '%{{{{%' "
        "OR {col} LIKE '%\"%')"
    )
    checks = {
        "titles": ("articles", "title"),
        "bylines": ("articles", "byline"),
        "outlets": ("articles", "outlet"),
        "urls": ("articles", "url"),
        "bodies": ("articles", "text"),
        "quotes": ("quotes", "text"),
        "speakers": ("quotes", "speaker"),
        "actors": ("actors", "name"),
    }
    conn = sqlite3.connect(db)
    try:
        return {
            what: conn.execute(
                f"SELECT count(*) FROM {table} WHERE {markup.format(col=col)}"
            ).fetchone()[0]
            for what, (table, col) in checks.items()
        }
    finally:
        conn.close()


def article_ids(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    finally:
        conn.close()


def security_headers_problem(response: Any) -> str | None:
    headers = response.all_headers()
    csp = headers.get("content-security-policy", "")
    missing = [need for need in CSP_NEEDS if need not in csp]
    if headers.get("x-content-type-options") != "nosniff":
        missing.append("X-Content-Type-Options: nosniff")
    return f"{response.url}: missing {missing}" if missing else None


class Battery:
    """One browser context and the findings of every page it rendered."""

    def __init__(self, browser: Any, base: str, *, bypass_csp: bool) -> None:
        self.base = base
        self.hits: list[str] = []
        self.context = browser.new_context(bypass_csp=bypass_csp)
        self.context.expose_binding("__xssHit", lambda _source, what: self.hits.append(what))
        self.context.add_init_script(XSS_INIT)
        self.page = self.context.new_page()
        sign_in(self.page, base, "analyst")  # before the watch: its POST is ours, not a payload's
        self.watch = Watch(base).attach(self.page)
        self.other_methods: list[str] = []
        self.page.on(
            "request",
            lambda r: (
                self.other_methods.append(f"{r.method} {r.url}")
                if r.method not in ("GET", "HEAD")
                else None
            ),
        )
        self.findings: dict[str, list[str]] = {}
        self.statuses: dict[str, int] = {}
        self.responses = 0

    def visit(self, path: str, response: Any) -> None:
        found: list[str] = []
        status = response.status if response is not None else 0
        self.statuses[path] = status
        if status >= 500 or status == 0:
            found.append(f"status {status}")
        try:
            # "load" (images, scripts, frames done) and the charts drawn: a payload runs while
            # the page parses or on a load or error event, all before this. Waiting for network
            # idle instead would add half a second of silence to each of some 700 pages.
            self.page.wait_for_load_state("load", timeout=5_000)
            wait_for_charts(self.page, 10_000)
        except Exception as exc:  # a page that never settles is reported, not fatal
            found.append(f"did not settle: {str(exc).splitlines()[0]}")
        found += self.page.evaluate(DOM_AUDIT)
        if not path.startswith("/api/"):
            found += self.page.evaluate(PAYLOAD_IN_ATTRIBUTES, sorted(INERT_ATTRIBUTES))
        for r in self.watch.html_responses:
            self.responses += 1
            if (problem := security_headers_problem(r)) is not None:
                found.append(problem)
        found += [f"request caused by the page: {f}" for f in self.watch.failed_requests]
        found += [f"request to another origin: {f}" for f in self.watch.foreign_requests]
        found += [f"page error: {e}" for e in self.watch.page_errors]
        found += [f"non-GET request: {m}" for m in self.other_methods]
        found += [f"console: {e}" for e in self.watch.console_errors]
        self.watch.clear()
        self.other_methods.clear()
        if found:
            self.findings[path] = found

    def close(self) -> None:
        self.context.close()


def start_pages(db: Path) -> list[str]:
    pages = [*FIXED_PAGES, *(f"/articles/{i}" for i in article_ids(db))]
    pages += [f"/search?q={quote(q)}" for q in search_queries()]
    pages += query_urls(LISTINGS)
    return pages


def test_xss_battery_runs_nothing_in_chromium(
    chromium: Any, battery_db: Path, battery_server: LiveServer
) -> None:
    stored = reach(battery_db)
    for what in ("titles", "bylines", "outlets", "urls", "bodies", "quotes", "speakers"):
        assert stored[what] > 0, f"no payload reached the stored {what}: {stored}"

    battery = Battery(chromium, battery_server.base, bypass_csp=True)
    try:
        visited = crawl(
            battery.page,
            battery_server.base,
            start_pages(battery_db),
            per_shape=PER_SHAPE,
            visit=battery.visit,
        )
    finally:
        battery.close()
    not_found = sorted(p for p, s in battery.statuses.items() if s == 404)
    print(
        f"\nxss battery: {len(PAYLOADS) + len(SPLITS)} payloads ({len(SPLITS)} split across "
        f"two fields), reach {stored}, {len(visited)} pages rendered (CSP bypassed), "
        f"{battery.responses} HTML responses checked, {len(battery.hits)} executions, "
        f"{len(battery.findings)} pages with findings, {len(not_found)} pages 404"
    )
    assert not battery.hits, f"{len(battery.hits)} payloads ran:\n" + "\n".join(battery.hits)
    report = "\n".join(f"{p}:\n  " + "\n  ".join(v[:8]) for p, v in battery.findings.items())
    assert not battery.findings, f"{len(battery.findings)} pages with findings:\n{report}"
    assert len(visited) >= len(article_ids(battery_db)), "not every article page was rendered"


def test_csp_reports_no_violation_on_hostile_pages(
    chromium: Any, battery_db: Path, battery_server: LiveServer
) -> None:
    """With the CSP enforced the browser must have nothing to block: a violation would mean
    markup from the store reached the page as something active."""
    battery = Battery(chromium, battery_server.base, bypass_csp=False)
    pages = [
        *FIXED_PAGES,
        *(f"/articles/{i}" for i in article_ids(battery_db)[::10]),
        *(f"/search?q={quote(q)}" for q in search_queries()[:8]),
    ]
    try:
        for path in pages:
            battery.visit(path, battery.page.goto(battery_server.base + path))
    finally:
        battery.close()
    print(f"\ncsp pass: {len(pages)} pages, {len(battery.hits)} executions")
    assert not battery.hits, battery.hits
    violations = {
        p: [f for f in v if "Content Security Policy" in f or "Refused" in f]
        for p, v in battery.findings.items()
    }
    violations = {p: v for p, v in violations.items() if v}
    assert not violations, violations
    assert not battery.findings, battery.findings
