"""The workbench's guards, checked without a browser: the Host check (DNS rebinding), the
security headers on every kind of response, GET never changing the store, CSRF on every POST,
`storyline serve` refusing to listen beyond loopback, and outside links limited to http(s) with
``rel="noopener noreferrer"``.

Host checks run against the TestClient and a real uvicorn (whose Host handling is what a browser
meets); the rest use the TestClient on the sample corpus or on small hostile stores built through
the real ingest.
"""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.browser import LiveServer, live_server
from tests.web.conftest import BASE_URL, cli, client_for, ensure_user, login
from typer.testing import CliRunner

from storyline import config
from storyline.cli.main import app as cli_app
from storyline.store import Store
from storyline.store.team import TEAM_TABLES
from storyline.team import Who, create_token
from storyline.testing import BOOKKEEPING_TABLES, snapshot_diff, store_snapshot
from storyline.web.app import create_app
from storyline.web.security import CSRF_COOKIE, CSRF_FIELD, HEADERS

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(2)",
    " javascript:alert(3)",
    "java\tscript:alert(4)",
    "data:text/html,<script>alert(5)</script>",
    "vbscript:msgbox(6)",
    "file:///etc/passwd",
    "//evil.example/protocol-relative",
    "ftp://files.example/report",
    'https://ok.example/a?b=<c>&d="e"',
    'http://ok.example/"onmouseover=alert(7)',
    "https://ok.example/plain",
]


def all_routes(app: FastAPI) -> Iterator[tuple[set[str], str, Any]]:
    """(methods, full path, route) of every route, through included routers."""

    def walk(routes: list[Any], prefix: str) -> Iterator[tuple[set[str], str, Any]]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif hasattr(route, "routes"):
                yield from walk(route.routes, prefix + getattr(route, "path", ""))
            elif getattr(route, "methods", None):
                yield set(route.methods), prefix + route.path, route

    return walk(list(app.routes), "")


def real_ids(db: Path) -> dict[str, str]:
    """One real value for each kind of path parameter, from the store."""
    conn = sqlite3.connect(db)
    try:
        one = lambda sql: str(conn.execute(sql).fetchone()[0])  # noqa: E731
        return {
            "articles": one("SELECT id FROM articles ORDER BY id LIMIT 1"),
            "stories": one(
                "SELECT story_id FROM story_articles GROUP BY story_id ORDER BY count(*) DESC "
                "LIMIT 1"
            ),
            "storylines": one("SELECT id FROM storylines ORDER BY id LIMIT 1"),
            "actors": one("SELECT id FROM actors WHERE merged_into IS NULL ORDER BY id LIMIT 1"),
            "outlets": one("SELECT outlet FROM articles WHERE outlet IS NOT NULL LIMIT 1"),
            "places": one("SELECT canonical FROM places WHERE canonical IS NOT NULL LIMIT 1"),
        }
    finally:
        conn.close()


def fill(path: str, ids: dict[str, str]) -> str:
    """``path`` with its ``{param}`` filled by a real value for the area it is in."""
    parts = [p for p in path.split("/") if p]
    area = parts[2] if parts[:2] == ["api", "v1"] and len(parts) > 2 else parts[0] if parts else ""
    out = []
    for part in parts:
        if part in ("{token_id}", "{note_id}"):
            out.append("1")
        elif part.startswith("{"):
            out.append(quote(ids.get(area, "x"), safe=""))
        else:
            out.append(part)
    return "/" + "/".join(out)


def assert_secured(response: httpx.Response, what: str) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (
            f"{what} ({response.status_code}): header {name} is "
            f"{response.headers.get(name)!r}, expected {value!r}"
        )


# -- Host header (DNS rebinding) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8000",
        "127.0.0.1.evil.example",
        "localhost.evil.example",
        "127.0.0.2.nip.io",
        "[::1].evil.example",
        "0.0.0.0:8000",
    ],
)
def test_unknown_host_is_refused_with_e901(client: TestClient, host: str) -> None:
    for path in ("/", "/api/v1/openapi.json", "/static/app.js"):
        response = client.get(path, headers={"host": host})
        assert response.status_code == 400, (host, path, response.status_code)
        assert "E901" in response.text, response.text
        assert_secured(response, f"refusal of {host}")


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8000", "127.0.0.1", "127.0.0.1:8000", "[::1]", "[::1]:8000"]
)
def test_loopback_names_are_served(client: TestClient, host: str) -> None:
    response = client.get("/api/v1/openapi.json", headers={"host": host})
    assert response.status_code == 200, (host, response.text[:200])


def test_allowed_hosts_setting_adds_names(sample_db: Path) -> None:
    with client_for(sample_db, allowed_hosts=["workbench.lan"]) as c:
        assert c.get("/api/v1/openapi.json", headers={"host": "workbench.lan:8000"}).is_success
        refused = c.get("/api/v1/openapi.json", headers={"host": "other.lan"})
        assert refused.status_code == 400 and "E901" in refused.text


@pytest.fixture(scope="module")
def server(sample_db: Path) -> Iterator[LiveServer]:
    with live_server(sample_db) as s:
        yield s


@pytest.fixture(scope="module")
def bearer(sample_db: Path) -> dict[str, str]:
    """A viewer's API token for the live server (nothing is read without one)."""
    ensure_user(sample_db, "viewer")
    store = Store(str(sample_db), 10_000, config.load(None, {"store": {"db": str(sample_db)}}))
    try:
        token, _ = create_token(store.conn, "viewer", None, 1, "host tests", Who("test", "cli"))
    finally:
        store.close()
    return {"authorization": f"Bearer {token}"}


def raw_request(server: LiveServer, head: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(head)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_real_server_checks_the_host_header(server: LiveServer, bearer: dict[str, str]) -> None:
    url = server.base + "/api/v1/openapi.json"
    for host in ("localhost", f"127.0.0.1:{server.port}", "[::1]"):
        assert httpx.get(url, headers={"host": host, **bearer}).status_code == 200, host
    for host in ("evil.example", f"evil.example:{server.port}", "attacker.localhost.example"):
        refused = httpx.get(url, headers={"host": host, **bearer})
        assert refused.status_code == 400 and "E901" in refused.text, host
        assert_secured(refused, f"uvicorn refusal of {host}")
    # HTTP/1.0 without any Host header: nothing to check it against, so refused too
    answer = raw_request(server, b"GET /api/v1/openapi.json HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400") and b"E901" in answer, answer[:300]


# -- headers on every response --------------------------------------------------------------------


def test_every_kind_of_response_carries_the_security_headers(
    client: TestClient, sample_db: Path
) -> None:
    ids = real_ids(sample_db)
    cases = {
        "HTML page": client.get("/"),
        "JSON": client.get("/api/v1/openapi.json"),
        "static file": client.get("/static/app.js"),
        "vendored file": client.get("/static/vendor/htmx.min.js"),
        "HTML 404": client.get("/no-such-page"),
        "JSON 404": client.get("/api/v1/no-such-endpoint"),
        "story 404": client.get("/stories/no-such-story"),
        "API 400": client.get("/api/v1/stories?limit=not-a-number"),
        "page 400": client.get("/stories?limit=not-a-number"),
        "405": client.post("/api/v1/stories"),
        "HEAD": client.head("/api/v1/openapi.json"),
        "htmx fragment": client.get("/stories", headers={"HX-Request": "true"}),
        "redirect": client.get(f"/actors/{quote(ids['actors'].lower())}", follow_redirects=False),
        "CSRF refusal": client.post(f"/actors/{quote(ids['actors'])}/merge", data={}),
    }
    for what, response in cases.items():
        assert_secured(response, what)
    assert (
        cases["static file"]
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )
    assert cases["JSON"].headers["content-type"].startswith("application/json")


def test_a_server_error_carries_the_security_headers(sample_db: Path) -> None:
    """An unexpected exception must not produce the one response without the CSP."""
    app = create_app(client_for(sample_db).app.state.settings, str(sample_db))

    def boom() -> None:
        raise RuntimeError("unexpected")

    app.add_api_route("/boom-for-test", boom)
    app.state.access_rules[("GET", "/boom-for-test")] = "viewer"
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as c:
        assert login(c, "analyst").status_code == 303
        response = c.get("/boom-for-test")
    assert response.status_code == 500
    assert_secured(response, "500")
    assert "unexpected" not in response.text, "the exception text leaked into the response"


def test_untrusted_input_is_escaped_in_error_pages(client: TestClient) -> None:
    payload = "<img src=x onerror=alert(1)>"
    for path in ("/stories/", "/actors/", "/outlets/", "/articles/", "/storylines/"):
        page = client.get(path + quote(payload, safe=""))
        assert page.status_code == 404, (path, page.status_code)
        assert payload not in page.text, f"{path}: the id is echoed unescaped"
    api = client.get(f"/api/v1/search?q={quote(payload)}")
    assert api.headers["content-type"].startswith("application/json")


# -- GET never changes the store; POST needs the CSRF token ---------------------------------------


def bookkeeping_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in sorted(names & BOOKKEEPING_TABLES)
        }
    finally:
        conn.close()


def test_no_get_route_changes_the_store(fresh_sample_db: Path) -> None:
    """As an admin, who may open every page (sign-ins and tokens write their own tables, which
    the snapshot leaves out: the articles and what was found in them must not change)."""
    before = store_snapshot(fresh_sample_db, exclude=TEAM_TABLES)
    kept = bookkeeping_counts(fresh_sample_db)
    ids = real_ids(fresh_sample_db)
    client = client_for(fresh_sample_db, role="admin")
    app = client.app
    gets = sorted({path for methods, path, _ in all_routes(app) if "GET" in methods})
    assert len(gets) >= 20, f"only {len(gets)} GET routes: {gets}"
    statuses: dict[str, int] = {}
    with client as c:
        for path in gets:
            url = fill(path, ids)
            statuses[url] = c.get(url).status_code
            c.get(url, headers={"HX-Request": "true"})
            c.get(url + "?limit=2&q=border&since=2021-01-01")
    broken = {u: s for u, s in statuses.items() if s >= 500}
    assert not broken, f"GET routes failing with a server error: {broken}"
    assert snapshot_diff(before, store_snapshot(fresh_sample_db, exclude=TEAM_TABLES)) == {}
    assert bookkeeping_counts(fresh_sample_db) == kept


def post_routes(app: FastAPI) -> list[tuple[str, str, Any]]:
    """(path, method, route) of every state-changing route, each sent with its own method."""
    return sorted(
        (
            (path, method, route)
            for methods, path, route in all_routes(app)
            for method in methods & {"POST", "PUT", "PATCH", "DELETE"}
        ),
        key=lambda r: (r[0], r[1]),
    )


def form_fields(route: Any) -> dict[str, str]:
    """Plausible values for every form field a route reads, so only the token is missing."""
    names = [p.alias for p in route.dependant.body_params if p.alias != CSRF_FIELD]
    return {name: "Pakistan" for name in names}


def test_every_state_changing_route_refuses_a_request_without_the_csrf_token(
    fresh_sample_db: Path,
) -> None:
    """As an admin, whom the access rules let through to every one of them."""
    client = client_for(fresh_sample_db, role="admin")
    before = store_snapshot(fresh_sample_db, exclude=TEAM_TABLES)
    ids = real_ids(fresh_sample_db)
    app = client.app
    routes = post_routes(app)
    assert routes, "no POST route: the actor merge and split forms are expected"
    assert {"/login", "/logout", "/account/password", "/actors/{name}/merge"} <= {
        p for p, _, _ in routes
    }
    with client as c:
        for path, method, route in routes:
            url = fill(path, ids)
            fields = form_fields(route)
            no_token = c.request(method, url, data=fields)
            wrong = c.request(
                method, url, data={**fields, CSRF_FIELD: "x" * 43}, cookies={CSRF_COOKIE: "y" * 43}
            )
            token = "t" * 43
            other_origin = c.request(
                method,
                url,
                data={**fields, CSRF_FIELD: token},
                cookies={CSRF_COOKIE: token},
                headers={"origin": "http://evil.example"},
            )
            for what, response in (
                ("no token", no_token),
                ("wrong token", wrong),
                ("other origin", other_origin),
            ):
                assert response.status_code == 403, (path, what, response.status_code)
                assert "E902" in response.text, (path, what, response.text[:300])
    assert snapshot_diff(before, store_snapshot(fresh_sample_db, exclude=TEAM_TABLES)) == {}


# -- serve refuses to listen beyond loopback ------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org"])
def test_serve_refuses_non_loopback_hosts(
    sample_db: Path, host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k))
    result = CliRunner().invoke(cli_app, ["--db", str(sample_db), "serve", "--host", host])
    assert result.exit_code != 0, result.output
    assert "E900" in result.output and "--allow-remote" in result.output, result.output
    assert not started, "uvicorn was started despite the refusal"


def test_serve_listens_beyond_loopback_only_when_told(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k))
    ensure_user(sample_db, "admin")  # beyond loopback needs accounts (tests/web/test_auth_*)
    args = ["--db", str(sample_db), "serve", "--host", "0.0.0.0", "--allow-remote"]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    assert started and started[0]["host"] == "0.0.0.0"
    started.clear()
    result = CliRunner().invoke(cli_app, ["--db", str(sample_db), "serve", "--port", "8123"])
    assert result.exit_code == 0 and started[0]["host"] == "127.0.0.1", result.output


# -- links out of the workbench -------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs))


def outside_link_problems(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    problems = []
    for a in parser.links:
        href = (a.get("href") or "").strip()
        if (
            not href
            or href.startswith(("#", "?"))
            or (href.startswith("/") and not href.startswith("//"))
        ):
            continue
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"outside link with scheme {parts.scheme!r}: {href!r}")
        rel = set((a.get("rel") or "").split())
        if not {"noopener", "noreferrer"} <= rel:
            problems.append(f"outside link without rel=noopener noreferrer: {href!r} rel={rel}")
    return problems


@pytest.fixture(scope="module")
def hostile_urls_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-urls")
    places = ["Kabul", "Quetta", "Herat", "Peshawar", "Chaman", "Torkham"]
    with (folder / "urls.jsonl").open("w", encoding="utf-8") as fh:
        for i, url in enumerate(HOSTILE_URLS):
            place = places[i % len(places)]
            text = (
                f"{place.upper()} -- Officials met in {place} on Monday to discuss trade item {i}, "
                f"and Zabihullah Mujahid said the crossing would reopen within {i + 2} days.\n\n"
                f"Traders in {place} said queues had grown for a week, case number {i * 7}."
            )
            record = {
                "title": f"Talks in {place} on trade, number {i}",
                "url": url,
                "outlet": "Link Test Wire",
                "date": f"2024-03-{i + 1:02d}",
                "text": text,
            }
            fh.write(json.dumps(record) + "\n")
    db = folder / "urls.db"
    cli(db, "ingest", str(folder))
    return db


def test_article_links_go_only_to_http_with_noopener(
    hostile_urls_db: Path, sample_db: Path
) -> None:
    checked = 0
    for db in (hostile_urls_db, sample_db):
        conn = sqlite3.connect(db)
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        conn.close()
        with client_for(db) as c:
            for article_id in ids:
                page = c.get(f"/articles/{article_id}")
                assert page.status_code == 200, (article_id, page.status_code)
                assert outside_link_problems(page.text) == [], article_id
                checked += 1
    assert checked >= len(HOSTILE_URLS)
    conn = sqlite3.connect(hostile_urls_db)
    stored = [r[0] for r in conn.execute("SELECT url FROM articles")]
    conn.close()
    assert any(u and u.lower().lstrip().startswith("javascript") for u in stored), (
        "the hostile URLs did not reach the store; the test would prove nothing"
    )
