"""Team work in a real browser (Debian's chromium via Playwright): an analyst adds a note and a
tag on an article page by typing into its forms; a viewer then sees both, with no write control
on the page. The server runs over a copy of the sample store, since the analyst writes to it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.browser import LiveServer, Watch, launch_chromium, live_server, sign_in
from tests.web.conftest import ensure_user


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def live(fresh_sample_db: Path) -> Iterator[LiveServer]:
    for role in ("analyst", "viewer"):
        ensure_user(fresh_sample_db, role)
    with live_server(fresh_sample_db) as server:
        yield server


def signed_in(chromium: Any, live: LiveServer, name: str) -> Any:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live.base, name)
    return page


def test_an_analyst_notes_and_tags_and_a_viewer_reads_without_controls(
    chromium: Any, live: LiveServer, fresh_sample_db: Path
) -> None:
    conn = sqlite3.connect(fresh_sample_db)
    article = conn.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    path = f"{live.base}/articles/{article}"

    analyst = signed_in(chromium, live, "analyst")
    watch = Watch(live.base).attach(analyst)
    analyst.goto(path, wait_until="load")
    analyst.fill(".team-note-form textarea[name=body]", "Desk: confirm the toll with UNHCR.")
    with analyst.expect_navigation(wait_until="load"):
        analyst.click(".team-note-form button[type=submit]")
    analyst.fill(".team-tag-form input[name=tag]", "needs check")
    with analyst.expect_navigation(wait_until="load"):
        analyst.click(".team-tag-form button[type=submit]")
    panel = analyst.inner_text("#team")
    assert "Desk: confirm the toll with UNHCR." in panel and "needs check" in panel
    assert "analyst" in panel  # the note's author
    assert not watch.console_errors and not watch.page_errors, watch.problems()
    analyst.context.close()

    viewer = signed_in(chromium, live, "viewer")
    viewer.goto(path, wait_until="load")
    panel = viewer.inner_text("#team")
    assert "Desk: confirm the toll with UNHCR." in panel and "needs check" in panel
    assert viewer.locator("#team form").count() == 0, "a viewer sees no write control"
    assert viewer.locator("#team textarea, #team button").count() == 0
    viewer.goto(f"{live.base}/tags", wait_until="load")
    viewer.click("main a[href^='/tags/']")  # the tag's page lists the article (boosted or not)
    viewer.wait_for_selector(f"main a[href='/articles/{article}']", timeout=15_000)
    viewer.context.close()
