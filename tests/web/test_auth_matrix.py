"""The authorisation matrix: every route and method of the real app × every kind of caller, the
expected answer generated from the one declared table (`storyline.web.auth.RULES`).

Callers: anonymous; a viewer, an analyst and an admin signed in through the login form; an
admin's token limited to viewer; an expired session; an expired, a revoked token; a disabled
user's session and token. A route the table does not name fails here (default deny), and so does
a rule naming a route that no longer exists.

The matrix runs on an empty store: it checks who gets past the door, not what a page shows (the
other web tests do that), so a page that answers 404 for a made-up id has let the caller in.
State-changing requests are sent without their CSRF token: one let through is refused by the route
itself (E902) and changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import BASE_URL, PASSWORD, ensure_user, login

from storyline import config
from storyline.store import Store
from storyline.team import Who, create_token, revoke_token, set_disabled
from storyline.team.roles import at_least
from storyline.web.app import create_app
from storyline.web.auth import PUBLIC, RULES, SESSION_COOKIE, rule_for, walk_routes

PAST = "2000-01-01T00:00:00+00:00"
ADMIN = Who("test", "cli")


@dataclass
class Caller:
    name: str
    role: str | None  # the role it may act with; None: not authenticated
    cookies: dict[str, str]
    headers: dict[str, str]


def settings_for(db: Path) -> dict[str, Any]:
    settings = config.load(None, {"store": {"db": str(db)}})
    settings["store"]["db"] = str(db)
    return settings


def session_of(app: Any, name: str) -> str:
    with TestClient(app, base_url=BASE_URL) as c:
        assert login(c, name).status_code == 303
        return str(c.cookies[SESSION_COOKIE])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, list[Caller]]]:
    db = tmp_path_factory.mktemp("matrix") / "empty.db"
    settings = settings_for(db)
    Store(str(db), 10_000, settings).close()
    for name in ("viewer", "analyst", "admin"):
        ensure_user(db, name)
    ensure_user(db, "gone", "analyst")
    ensure_user(db, "late", "analyst")
    app = create_app(settings, str(db))
    conn = sqlite3.connect(db)
    store = Store(str(db), 10_000, settings)
    try:
        capped, _ = create_token(store.conn, "admin", "viewer", 1, "capped", ADMIN)
        expired, _ = create_token(store.conn, "analyst", None, 1, "expired", ADMIN)
        revoked, row = create_token(store.conn, "analyst", None, 1, "revoked", ADMIN)
        revoke_token(store.conn, int(row["id"]), ADMIN)
        disabled_token, _ = create_token(store.conn, "gone", None, 1, "disabled", ADMIN)
        sessions = {name: session_of(app, name) for name in ("viewer", "analyst", "admin", "gone",
                                                             "late")}  # fmt: skip
        set_disabled(store.conn, "gone", True, ADMIN)
        with conn:
            conn.execute("UPDATE api_tokens SET expires_at = ? WHERE label = 'expired'", (PAST,))
            conn.execute(
                "UPDATE sessions SET expires_at = ? WHERE user_id = "
                "(SELECT id FROM users WHERE name = 'late')",
                (PAST,),
            )
    finally:
        store.close()
        conn.close()
    bearer = lambda t: {"authorization": f"Bearer {t}"}  # noqa: E731
    callers = [
        Caller("anonymous", None, {}, {}),
        Caller("viewer", "viewer", {SESSION_COOKIE: sessions["viewer"]}, {}),
        Caller("analyst", "analyst", {SESSION_COOKIE: sessions["analyst"]}, {}),
        Caller("admin", "admin", {SESSION_COOKIE: sessions["admin"]}, {}),
        Caller("admin's viewer token", "viewer", {}, bearer(capped)),
        Caller("expired session", None, {SESSION_COOKIE: sessions["late"]}, {}),
        Caller("expired token", None, {}, bearer(expired)),
        Caller("revoked token", None, {}, bearer(revoked)),
        Caller("disabled user's session", None, {SESSION_COOKIE: sessions["gone"]}, {}),
        Caller("disabled user's token", None, {}, bearer(disabled_token)),
    ]
    yield app, callers


def declared_routes(app: Any) -> list[tuple[str, str]]:
    return sorted(
        {(m, t) for methods, t in walk_routes(app) for m in methods if m != "HEAD"},
        key=lambda mt: (mt[1], mt[0]),
    )


def concrete(template: str) -> str:
    """The template with each ``{param}`` filled (a number fits both ids and names)."""
    parts = ["1" if p.startswith("{") else p for p in template.split("/")]
    path = "/".join(parts)
    return "/static/app.css" if template == "/static" else path


def expected(rule: str, caller: Caller, method: str, template: str) -> str:
    if rule == PUBLIC or (caller.role is not None and at_least(caller.role, rule)):
        return "in"
    if caller.role is None:
        if template.startswith("/api/"):
            return "401"
        return "login" if method == "GET" else "401"
    return "403"


def outcome(response: Any) -> str:
    if response.status_code == 401:
        assert "E960" in response.text, response.text[:300]
        return "401"
    if response.status_code == 303 and response.headers["location"].startswith("/login?next="):
        return "login"
    if response.status_code == 403 and "E952" in response.text:
        return "403"
    assert "E953" not in response.text, response.text[:300]
    assert response.status_code < 500, response.text[:300]
    return "in"


def test_every_route_has_exactly_one_declared_rule(world: tuple[Any, list[Caller]]) -> None:
    app, _ = world
    routes = declared_routes(app)
    missing = [f"{m} {t}" for m, t in routes if rule_for(RULES, m, t) is None]
    assert not missing, f"routes without an access rule (add them to web/auth.py RULES): {missing}"
    stale = sorted(set(RULES) - set(routes))
    assert not stale, f"rules for routes that do not exist: {stale}"
    assert len(routes) >= 50


def test_authorisation_matrix(world: tuple[Any, list[Caller]]) -> None:
    app, callers = world
    wrong: list[str] = []
    cells = 0
    with TestClient(app, base_url=BASE_URL) as c:
        for method, template in declared_routes(app):
            rule = rule_for(RULES, method, template)
            assert rule is not None
            for caller in callers:
                c.cookies.clear()
                response = c.request(
                    method,
                    concrete(template),
                    headers=caller.headers,
                    cookies=caller.cookies,
                    follow_redirects=False,
                )
                got, want = outcome(response), expected(rule, caller, method, template)
                cells += 1
                if got != want:
                    wrong.append(f"{method} {template} as {caller.name}: {got}, expected {want} "
                                 f"({response.status_code} {response.text[:120]!r})")  # fmt: skip
    assert not wrong, "\n".join(wrong)
    assert cells == len(declared_routes(app)) * len(callers)


def test_a_route_without_a_rule_is_refused_to_everyone(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    settings = settings_for(db)
    Store(str(db), 10_000, settings).close()
    ensure_user(db, "admin")
    app = create_app(settings, str(db))
    app.add_api_route("/new-for-test", lambda: {"ok": True})
    with TestClient(app, base_url=BASE_URL) as c:
        assert login(c, "admin", PASSWORD).status_code == 303
        refused = c.get("/new-for-test")
        assert refused.status_code == 403 and "E953" in refused.text
        assert "GET /new-for-test" in refused.text
        missing = [t for m, t in declared_routes(app) if rule_for(RULES, m, t) is None]
        assert missing == ["/new-for-test"], "the coverage check would not have caught it"
        app.state.access_rules[("GET", "/new-for-test")] = "admin"
        assert c.get("/new-for-test").json() == {"ok": True}


def test_the_table_says_what_the_issue_promises() -> None:
    """Independent of the matrix (which trusts the table): reading needs a viewer, corrections
    an analyst, accounts and the audit log an admin, and only signing in is open to all."""
    assert {t for (m, t), role in RULES.items() if role == PUBLIC} == {
        "/login", "/login/link/{secret}", "/static",
    }  # fmt: skip
    assert RULES[("POST", "/actors/{name}/merge")] == RULES[("POST", "/actors/{name}/split")]
    assert RULES[("POST", "/actors/{name}/merge")] == "analyst"
    admin_only = {t for (m, t), role in RULES.items() if role == "admin"}
    admin_paths = ("/admin/", "/api/v1/audit", "/api/v1/admin/")
    assert {t for (m, t) in RULES if t.startswith(admin_paths)} == admin_only
    assert all(role == "viewer" for (m, t), role in RULES.items()
               if m == "GET" and t.startswith("/api/v1/")
               and not t.startswith(admin_paths[1:]))  # fmt: skip


def test_team_work_needs_an_analyst_and_restoring_an_admin() -> None:
    """Issue 14 item 4: notes, tags, collections and hiding are analysts' writes; only an admin
    restores a hidden article or lists them; reading what the team added is a viewer's."""
    team = ("/notes", "/tags", "/collections", "/api/v1/notes", "/api/v1/annotations",
            "/api/v1/collections")  # fmt: skip
    writes = {(m, t): r for (m, t), r in RULES.items() if m != "GET" and t.startswith(team)}
    assert len(writes) >= 15 and set(writes.values()) == {"analyst"}
    reads = {(m, t): r for (m, t), r in RULES.items() if m == "GET" and t.startswith(team)}
    assert len(reads) >= 8 and set(reads.values()) == {"viewer"}
    assert RULES[("POST", "/articles/{article_id}/hide")] == "analyst"
    assert RULES[("POST", "/api/v1/articles/{article_id}/hide")] == "analyst"
    assert {r for (m, t), r in RULES.items() if "/hidden" in t} == {"admin"}
