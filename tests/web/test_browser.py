"""The workbench in a real browser (Debian's chromium via Playwright) on the sample corpus.

Every page found by crawling from the fixed list loads with no console error, no uncaught
exception, no failed request to our server and no request anywhere else (the workbench must work
offline); every chart it declares draws SVG marks; the analyst's path search → story → article →
actor → storyline works by clicking; and the API docs render Swagger UI from our own files.
``STORYLINE_SCREENSHOTS=1`` also writes the README's screenshots to docs/images/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.browser import (
    FIXED_PAGES,
    LiveServer,
    Watch,
    chart_report,
    crawl,
    launch_chromium,
    live_server,
    sign_in,
    wait_for_charts,
)
from tests.web.conftest import ensure_user

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
#: Pages of each kind the crawl opens (every fixed page is always opened).
PER_SHAPE = 3


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def live(sample_db: Path) -> Iterator[LiveServer]:
    """The app over the sample corpus, served by uvicorn on loopback."""
    ensure_user(sample_db, "analyst")
    with live_server(sample_db) as server:
        yield server


@pytest.fixture
def page(chromium: Any, live: LiveServer) -> Iterator[Any]:
    """A page of a new browser context, signed in as the analyst through the login form."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, live.base, "analyst")
        yield page
    finally:
        context.close()


def settle(page: Any) -> str | None:
    """Wait for what a page does after load (charts, Swagger UI); a problem as text, or None."""
    try:
        if page.url.endswith("/api/v1/docs"):
            page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
        else:
            wait_for_charts(page)
        page.wait_for_load_state("networkidle", timeout=10_000)
    except Exception as exc:  # Playwright's TimeoutError: report it with the page, not abort
        return f"did not settle: {str(exc).splitlines()[0]}"
    return None


def test_every_page_loads_without_errors_and_draws_its_charts(page: Any, live: LiveServer) -> None:
    watch = Watch(live.base).attach(page)
    problems: dict[str, list[str]] = {}
    charts: dict[str, list[dict[str, Any]]] = {}

    def visit(path: str, response: Any) -> None:
        found: list[str] = []
        if response is None or response.status != 200:
            found.append(f"status {response.status if response else 'none'}")
        if (late := settle(page)) is not None:
            found.append(late)
        charts[path] = chart_report(page)
        for c in charts[path]:
            if not c["ready"] or c["marks"] == 0:
                found.append(f"chart {c['label']!r} not drawn ({c['marks']} marks): {c['text']}")
        found += watch.problems()
        watch.clear()
        if found:
            problems[path] = found

    visited = crawl(page, live.base, FIXED_PAGES, per_shape=PER_SHAPE, visit=visit)
    drawn = sum(1 for cs in charts.values() for c in cs if c["ready"] and c["marks"])
    print(
        f"\nbrowser: {len(visited)} pages rendered, {drawn} charts drawn, "
        f"{len(problems)} pages with problems"
    )
    report = "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in problems.items())
    assert not problems, f"{len(problems)} of {len(visited)} pages have problems:\n{report}"
    kinds = {p.split("?")[0].split("/")[1] for p in visited}
    for area in ("stories", "articles", "actors", "storylines"):
        assert area in kinds, f"no /{area} page reached by the crawl: {sorted(visited)}"
    assert charts["/"], "the home page declares no chart (volume over time is expected)"
    assert drawn >= 3, f"only {drawn} charts drew marks across {len(visited)} pages"


def test_error_pages_render_without_script_errors(page: Any, live: LiveServer) -> None:
    watch = Watch(live.base).attach(page)
    for path in ("/no-such-page", "/stories/no-such-story", "/actors/no-such-actor"):
        response = page.goto(live.base + path)
        assert response is not None and response.status == 404, path
        assert "E40" in page.inner_text("main"), f"{path}: no error code shown"
        page.wait_for_load_state("networkidle")
        assert not watch.console_errors and not watch.page_errors, (path, watch.problems())
        assert not watch.foreign_requests, (path, watch.foreign_requests)
        watch.clear()


def click_to(page: Any, prefix: str, within: str = "main") -> str:
    """Click the first visible link in ``within`` whose href starts with ``prefix`` and wait
    until the browser shows that page (htmx-boosted or not). Returns the new path."""
    link = page.locator(f'{within} a[href^="{prefix}"]:visible').first
    if link.count() == 0:
        kinds = sorted(
            set(
                page.eval_on_selector_all(
                    f"{within} a[href^='/']",
                    "els => els.map(e => '/' + e.getAttribute('href').split('/')[1])",
                )
            )
        )
        raise AssertionError(f"{page.url}: no link to {prefix}… (links go to {kinds})")
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(re.escape(href.split("?")[0]) + r"(\?|#|$)"), timeout=15_000)
    page.wait_for_load_state("networkidle")
    return str(href)


def test_search_story_article_actor_storyline_by_clicking(page: Any, live: LiveServer) -> None:
    watch = Watch(live.base).attach(page)
    page.goto(live.base + "/")
    page.fill('header form[role="search"] input[name="q"]', "border")
    page.click('header form[role="search"] button[type="submit"]')
    page.wait_for_url(re.compile(r"/search\?q=border"), timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert "border" in page.inner_text("main").lower()

    story = click_to(page, "/stories/")
    story_title = page.inner_text("main h1")
    assert story_title.strip(), f"{story}: the story page has no heading"
    article = click_to(page, "/articles/")
    assert page.locator("main h1").count() == 1, f"{article}: no article heading"
    actor = click_to(page, "/actors/")
    assert page.locator("main h1").count() == 1, f"{actor}: no actor heading"
    # On to a storyline: directly, through one of the actor's stories, or through an article
    # that mentions the actor and its story (the route taken is printed).
    route = ["actor"]
    if page.locator('main a[href^="/storylines/"]').count() == 0:
        if page.locator('main a[href^="/stories/"]').count() == 0:
            click_to(page, "/articles/")
            route.append("article")
        click_to(page, "/stories/")
        route.append("story")
    storyline = click_to(page, "/storylines/")
    print(f"\nflow: search → story → article → {' → '.join(route)} → storyline {storyline}")
    assert page.locator("main h1").count() == 1, f"{storyline}: no storyline heading"
    wait_for_charts(page)
    assert not watch.problems(), watch.problems()


def test_api_docs_render_swagger_ui_from_local_files(page: Any, live: LiveServer) -> None:
    watch = Watch(live.base).attach(page)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    response = page.goto(live.base + "/api/v1/docs")
    assert response is not None and response.status == 200
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    page.wait_for_load_state("networkidle")
    operations = page.locator(".swagger-ui .opblock").count()
    assert operations >= 5, f"Swagger UI shows only {operations} operations"
    assert "/api/v1/" in page.inner_text(".swagger-ui")
    assert any(u.endswith("/static/vendor/swagger-ui-bundle.js") for u in requested)
    assert any(u.endswith("/api/v1/openapi.json") for u in requested)
    assert not watch.problems(), watch.problems()


@pytest.mark.skipif(
    os.environ.get("STORYLINE_SCREENSHOTS") != "1",
    reason="set STORYLINE_SCREENSHOTS=1 to write docs/images/web-*.png",
)
def test_screenshots_for_the_readme(page: Any, live: LiveServer) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    shots = {"web-home.png": "/"}
    for name, listing, prefix in (
        ("web-story.png", "/stories", "/stories/"),
        ("web-actor.png", "/actors", "/actors/"),
    ):
        page.goto(live.base + listing)
        links = page.locator(f'main a[href^="{prefix}"]:not([href$="/corrections"])')
        href = links.first.get_attribute("href")
        assert href, f"no link to a {prefix} page on {listing}"
        shots[name] = href
    for name, path in shots.items():
        page.goto(live.base + path)
        wait_for_charts(page)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(IMAGES / name), full_page=True)
        assert (IMAGES / name).stat().st_size > 10_000, f"{name} looks empty"


def test_sign_in_and_out_in_the_browser(chromium: Any, live: LiveServer, sample_db: Path) -> None:
    """Anonymous → the login page; a wrong password is said; the right one lands on the page
    asked for; roles see different controls; signing out ends it."""
    ensure_user(sample_db, "admin")
    context = chromium.new_context()
    try:
        page = context.new_page()
        watch = Watch(live.base).attach(page)
        page.goto(live.base + "/stories", wait_until="load")
        assert page.url.startswith(live.base + "/login?next=")
        page.fill("input[name=name]", "admin")
        page.fill("input[name=password]", "not the password")
        with page.expect_navigation():
            page.click(".login-form button[type=submit]")
        assert "E961 wrong name or password" in page.inner_text("main")
        page.fill("input[name=password]", "a test password for the workbench")
        with page.expect_navigation():
            page.click(".login-form button[type=submit]")
        assert page.url == live.base + "/stories"
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["storyline_session"]["httpOnly"] and cookies["storyline_session"][
            "sameSite"] == "Lax"  # fmt: skip
        header = page.inner_text("header")
        assert "admin" in header and "Users" in header and "Audit" in header
        page.goto(live.base + "/admin/audit", wait_until="load")
        assert "login" in page.inner_text("main")
        with page.expect_navigation():
            page.click("#logout")
        assert page.url == live.base + "/login"
        page.goto(live.base + "/", wait_until="load")
        assert page.url.startswith(live.base + "/login?next=")
        assert watch.problems() == [], watch.problems()
        sign_in(page, live.base, "analyst")
        header = page.inner_text("header")
        assert "analyst" in header and "Audit" not in header and "Users" not in header
    finally:
        context.close()


def test_the_watch_charges_an_abort_to_the_document_that_made_the_request(
    page: Any, live: LiveServer
) -> None:
    """A fetch still in flight when the test moves on is aborted by the browser; that abort is
    the left page's, not the next one's (the XSS battery once charged a page with Swagger UI's
    ``openapi.json`` fetch from the page before). An abort inside the page's own document is
    still a failure."""
    watch = Watch(live.base).attach(page)
    page.goto(live.base + "/", wait_until="load")
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)  # never answered: the fetch stays in flight until aborted

    page.route("**/api/v1/stats", hold)
    with page.expect_event("request", lambda r: r.url.endswith("/api/v1/stats")):
        page.evaluate("() => { fetch('/api/v1/stats').catch(() => {}); }")
    with page.expect_event("requestfailed", lambda r: r.url.endswith("/api/v1/stats")) as left:
        page.goto(live.base + "/storylines", wait_until="load")
    assert "ERR_ABORTED" in (left.value.failure or ""), left.value.failure
    assert watch.failed_requests == [], watch.failed_requests

    with page.expect_event("requestfailed", lambda r: r.url.endswith("/api/v1/stats")):
        page.evaluate(
            """() => { const c = new AbortController();
                       fetch('/api/v1/stats', {signal: c.signal}).catch(() => {});
                       setTimeout(() => c.abort(), 50); }"""
        )
    assert [f for f in watch.failed_requests if "/api/v1/stats" in f], watch.failed_requests
    page.unroute("**/api/v1/stats")
