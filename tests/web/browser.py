"""The real-browser harness: the real app under uvicorn on loopback, Debian's chromium driven by
Playwright, and a watch on every page for what a person would see go wrong (console errors,
uncaught exceptions, failed requests, requests that leave our origin).

Why a real server and a real browser: the TestClient never runs our JavaScript, never applies
the Content-Security-Policy and never fetches a page's assets, so it cannot see a chart that
fails to draw, a script the CSP blocks, or a page that calls out to a CDN. Playwright's own browser
download does not work here (or for air-gapped users), so the tests use Debian's chromium; when it
is missing they skip, except on CI (``CI=true``), which installs it and must run them.

Test modules build their fixtures from `launch_chromium` and `live_server`, and sign each
browser context in through the real login form (`sign_in`): nothing is readable without it.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import uvicorn

from storyline import config
from storyline.web.app import create_app

#: The test users' password (tests/web/conftest.py makes them with it).
TEST_PASSWORD = "a test password for the workbench"

CHROMIUM = os.environ.get("STORYLINE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Every page of the workbench, whether or not a link to it exists yet: crawls start here.
FIXED_PAGES = [
    "/",
    "/search",
    "/search?q=border",
    "/articles",
    "/stories",
    "/storylines",
    "/actors",
    "/quotes",
    "/events",
    "/places",
    "/outlets",
    "/api/v1/docs",
]
#: Chart marks Vega draws in SVG (a chart with none of these drew nothing).
MARKS = "path, rect, line, circle, ellipse, polygon, polyline"
#: Reports what would make an element script: on* and htmx's hx-on attributes, script URLs in
#: any attribute that takes one, script elements that are not ours, and elements that load or
#: frame other documents. Runs in the page; returns a list of findings (empty when clean).
DOM_AUDIT = r"""
() => {
  const found = [];
  const scriptUrl = (v) => {
    const invisible = /[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
    const s = (v || "").replace(invisible, "").toLowerCase();
    return ["javascript:", "vbscript:", "data:text/html", "data:image/svg", "data:application"]
      .some((scheme) => s.startsWith(scheme));
  };
  const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc",
                    "background", "poster", "codebase", "cite", "lowsrc", "dynsrc"];
  const describe = (el) => el.outerHTML.slice(0, 160);
  const all = document.querySelectorAll("*");
  for (const el of all) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) found.push("event handler " + name + ": " + describe(el));
      else if (name.startsWith("hx-on") || name.startsWith("data-hx-on"))
        found.push("htmx handler " + name + ": " + describe(el));
      else if (/^(data-)?hx-(vals|headers|vars)$/.test(name) && /^\s*(js|javascript):/i.test(
               a.value))
        found.push("htmx script value " + name + ": " + describe(el));
      else if (/^(data-)?hx-(get|post|put|patch|delete)$/.test(name) && !a.value.startsWith("/"))
        found.push("htmx request off site " + name + ": " + describe(el));
      else if (urlAttrs.includes(name) && scriptUrl(a.value))
        found.push("script URL in " + name + ": " + describe(el));
      else if (name === "style" && /expression\s*\(|javascript:/i.test(a.value))
        found.push("script in style: " + describe(el));
    }
    const tag = el.tagName.toLowerCase();
    if (tag === "script") {
      const src = el.getAttribute("src") || "";
      if (!src.startsWith("/static/")) found.push("foreign script element: " + describe(el));
    }
    if (["iframe", "frame", "object", "embed", "base", "applet"].includes(tag))
      found.push("embedding element " + tag + ": " + describe(el));
    if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh")
      found.push("meta refresh: " + describe(el));
  }
  return found;
}
"""
#: Defines the execution counters before any page script runs: payloads call window.__xss(n) or
#: alert/confirm/prompt/print, each of which reports to Python through a Playwright binding (so
#: a count survives the navigation a payload might start).
XSS_INIT = """
(() => {
  const hit = (how) => (...args) => {
    try { window.__xssHit(how + ":" + String(args[0]).slice(0, 40) + " @ " + location.href); }
    catch (e) {}
  };
  window.__xss = hit("__xss");
  window.alert = hit("alert");
  window.confirm = hit("confirm");
  window.prompt = hit("prompt");
  window.print = hit("print");
})();
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The real app (`create_app`) under uvicorn in a background thread on 127.0.0.1."""

    def __init__(self, db: Path, **web: Any) -> None:
        overrides: dict[str, Any] = {"store": {"db": str(db)}}
        if web:
            overrides["web"] = web
        settings = config.load(None, overrides)
        settings["store"]["db"] = str(db)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, str(db)),
                host="127.0.0.1",
                port=self.port,
                log_level="warning",
                access_log=False,
                server_header=False,
                proxy_headers=False,
            )
        )
        self.thread = threading.Thread(target=self.server.run, name="live-uvicorn", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.base}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@contextmanager
def live_server(db: Path, **web: Any) -> Iterator[LiveServer]:
    server = LiveServer(db, **web).start()
    try:
        yield server
    finally:
        server.stop()


def sign_in(page: Any, base: str, name: str, password: str = TEST_PASSWORD) -> None:
    """Sign the page's browser context in by typing into the login form, as a person does."""
    page.goto(base + "/login", wait_until="load")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    with page.expect_navigation(wait_until="load"):
        page.click(".login-form button[type=submit]")
    if urlsplit(page.url).path == "/login":
        raise AssertionError(f"signing in as {name} failed: {page.inner_text('main')[:200]}")


def chromium_or_skip() -> str:
    """The chromium binary; skips (or fails on CI, which must run these tests) when missing."""
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    reason = (
        f"chromium not found at {CHROMIUM}: the browser tests drive Debian's chromium "
        "(apt-get install chromium; .ci/run installs it)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """A headless chromium (skips, or fails on CI, when it is not installed). Test modules wrap
    it in their own fixture: shared fixtures would need this module as a pytest plugin, and
    pytest refuses to load as a plugin a module the tests also import."""
    binary = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """What went wrong on a page, gathered from the browser's events while it loaded."""

    base: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    html_responses: list[Any] = field(default_factory=list)
    # Which document of the page (counted by main-frame navigations) started each request: a
    # fetch the page had in flight when the test moved on is aborted by the browser, and that
    # abort belongs to the document left behind, not to the next page the watch reports on.
    _document: int = 0
    _started_in: dict[Any, int] = field(default_factory=dict)

    def attach(self, page: Any) -> Watch:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.page_errors.append(f"{page.url}: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("request", self._request)
        page.on("response", self._response)
        return self

    def _console(self, msg: Any) -> None:
        # "Failed to load resource" repeats a failed request, which is recorded (or, for the
        # page the test navigated to, checked by the test) on its own.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.console_errors.append(f"{msg.location.get('url', '')}: {msg.text}")

    def _failed(self, request: Any) -> None:
        failure = request.failure or "failed"
        # A navigation the test itself cut short (the next goto) is not the page's fault, nor is
        # a fetch of a document the test has since navigated away from. An abort while its own
        # document is still the page's is recorded like any other failure.
        if "ERR_ABORTED" in failure and (
            request.is_navigation_request()
            or self._started_in.get(request, self._document) < self._document
        ):
            return
        if self.same_origin(request.url):
            self.failed_requests.append(f"{request.method} {request.url}: {failure}")

    def _request(self, request: Any) -> None:
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self._document += 1  # the page is leaving its document for a new one
        else:
            self._started_in[request] = self._document
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not self.same_origin(url):
            self.foreign_requests.append(f"{request.method} {url}")

    def _response(self, response: Any) -> None:
        if not self.same_origin(response.url):
            return
        # The page the test navigated to is the test's to check (an error page is expected at
        # times); what the page itself requests afterwards is the page's doing.
        if response.status >= 400 and not response.request.is_navigation_request():
            self.failed_requests.append(f"{response.status} {response.url}")
        if "text/html" in (response.headers.get("content-type") or ""):
            self.html_responses.append(response)

    def same_origin(self, url: str) -> bool:
        return url == self.base or url.startswith(self.base + "/")

    def problems(self) -> list[str]:
        return [
            *(f"console error: {e}" for e in self.console_errors),
            *(f"page error: {e}" for e in self.page_errors),
            *(f"failed request: {e}" for e in self.failed_requests),
            *(f"request to another origin: {e}" for e in self.foreign_requests),
        ]

    def clear(self) -> None:
        for bucket in (
            self.console_errors,
            self.page_errors,
            self.failed_requests,
            self.foreign_requests,
            self.html_responses,
        ):
            bucket.clear()


def wait_for_charts(page: Any, timeout_ms: int = 20_000) -> None:
    """Until every declared chart has drawn (``chart-ready``) or said why it could not."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-vl-spec], [data-vg-spec]')].every(
             el => el.classList.contains('chart-ready') || /chart (failed|could not)/.test(
               el.textContent))""",
        timeout=timeout_ms,
    )


def chart_report(page: Any) -> list[dict[str, Any]]:
    """Per declared chart: drawn or not, its SVG mark count, and its text when it failed."""
    result: list[dict[str, Any]] = page.evaluate(
        """(marks) => [...document.querySelectorAll('[data-vl-spec], [data-vg-spec]')].map(el => ({
             ready: el.classList.contains('chart-ready'),
             marks: el.querySelectorAll('svg ' + marks.split(', ').join(', svg ')).length,
             text: el.classList.contains('chart-ready') ? '' : el.textContent.slice(0, 200),
             label: el.getAttribute('aria-label') || ''}))""",
        MARKS,
    )
    return result


def page_links(page: Any, base: str) -> list[str]:
    """Same-origin links on the page (path and query, no fragment), in document order."""
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    out: list[str] = []
    for href in hrefs:
        absolute = urljoin(page.url, href)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != base:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        out.append(path)
    return out


def shape(path: str) -> str:
    """The kind of page a link leads to: "/stories/*" for every story, "/search?q&outlet" for
    every search with those parameters. Crawls sample a few of each kind."""
    parts = urlsplit(path)
    segments = [s for s in parts.path.split("/") if s]
    kept = segments[:1] + ["*" for _ in segments[1:]]
    if segments[:2] == ["api", "v1"]:
        kept = segments[:3] + ["*" for _ in segments[3:]]
    keys = sorted({kv.split("=", 1)[0] for kv in parts.query.split("&") if kv})
    return "/" + "/".join(kept) + ("?" + "&".join(keys) if keys else "")


def crawlable(path: str) -> bool:
    """Pages a person reads: not the JSON API (except its docs page), not static files."""
    p = urlsplit(path).path
    if p.startswith("/static/"):
        return False
    if p.startswith("/api/"):
        return p == "/api/v1/docs"
    return True


def crawl(
    page: Any,
    base: str,
    start: Iterable[str],
    *,
    per_shape: int,
    visit: Any,
    per_area: int | None = None,
    limit: int = 2000,
) -> list[str]:
    """Breadth-first over same-origin links from ``start``, at most ``per_shape`` pages of each
    `shape` and ``per_area`` (default 8 × per_shape) of each area ("/search", "/stories") found
    by following links (every start page is opened: facet links combine into many shapes);
    calls ``visit(path, response)`` after each page loads. Returns the visited paths."""
    queue = list(dict.fromkeys(start))
    seen = set(queue)
    always = set(queue)
    area_cap = per_area if per_area is not None else 8 * per_shape
    counts: dict[str, int] = {}
    visited: list[str] = []
    while queue and len(visited) < limit:
        path = queue.pop(0)
        kind = shape(path)
        area = "area:" + "/".join(kind.split("?")[0].split("/")[:2])
        full = counts.get(kind, 0) >= per_shape or counts.get(area, 0) >= area_cap
        if full and path not in always:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        counts[area] = counts.get(area, 0) + 1
        response = page.goto(base + path, wait_until="load")
        visit(path, response)
        visited.append(path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if urlsplit(path).path == "/api/v1/docs":
            continue
        for link in page_links(page, base):
            if link not in seen and crawlable(link):
                seen.add(link)
                queue.append(link)
    return visited
