"""Sessions and sign-in against the real app: a fresh session id at every login (no fixation),
the cookie's flags, logout and a password change ending sessions, the login limit per account and
per address, forwarded headers believed only from a trusted proxy, the first-run login link, and
no password or token hash (nor the token itself) in any response or log line.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import BASE_URL, PASSWORD, csrf_of, ensure_user, login
from typer.testing import CliRunner

from storyline import config
from storyline.cli.main import app as cli_app
from storyline.store import Store
from storyline.team import Who, create_token
from storyline.web.app import create_app
from storyline.web.auth import SESSION_COOKIE
from storyline.web.security import CSRF_COOKIE


def settings_for(db: Path, **overrides: Any) -> dict[str, Any]:
    settings = config.load(None, {"store": {"db": str(db)}, **overrides})
    settings["store"]["db"] = str(db)
    return settings


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    Store(str(path), 10_000, settings_for(path)).close()
    for name in ("viewer", "analyst", "admin"):
        ensure_user(path, name)
    return path


def app_for(db: Path, **overrides: Any) -> Any:
    return create_app(settings_for(db, **overrides), str(db))


def set_cookies(response: Any) -> dict[str, str]:
    """Set-Cookie headers by cookie name."""
    return {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}


def test_login_sets_a_fresh_httponly_lax_session_and_a_new_csrf_token(db: Path) -> None:
    with TestClient(app_for(db), base_url=BASE_URL) as c:
        c.get("/login")
        csrf_before = c.cookies[CSRF_COOKIE]
        done = login(c, "viewer")
        assert done.status_code == 303 and done.headers["location"] == "/"
        cookies = set_cookies(done)
        session = cookies[SESSION_COOKIE]
        assert "HttpOnly" in session and "SameSite=lax" in session and "Path=/" in session
        assert "Max-Age=43200" in session  # team.session_hours = 12
        assert "Secure" not in session  # plain http on loopback: a Secure cookie would be lost
        assert "HttpOnly" in cookies[CSRF_COOKIE] and "SameSite=strict" in cookies[CSRF_COOKIE]
        assert c.cookies[CSRF_COOKIE] != csrf_before, "the CSRF token survived the login"
        assert c.get("/api/v1/me").json() == {"name": "viewer", "role": "viewer", "via": "session"}


def test_a_session_held_before_login_is_never_promoted(db: Path) -> None:
    """Session fixation: whatever id the browser held (one planted by someone else included)
    ends at login, and the login gets an id of its own."""
    with TestClient(app_for(db), base_url=BASE_URL) as c:
        login(c, "viewer")
        planted = c.cookies[SESSION_COOKIE]
        assert login(c, "analyst").status_code == 303
        fresh = c.cookies[SESSION_COOKIE]
        assert fresh != planted
        assert c.get("/api/v1/me").json()["name"] == "analyst"
    with TestClient(app_for(db), base_url=BASE_URL) as attacker:
        replay = attacker.get("/api/v1/me", cookies={SESSION_COOKIE: planted})
        assert replay.status_code == 401 and "session ended" in replay.text
        unknown = attacker.get("/api/v1/me", cookies={SESSION_COOKIE: "made-up-" + "x" * 30})
        assert unknown.status_code == 401


def test_cookies_are_secure_behind_a_trusted_tls_proxy_only(db: Path) -> None:
    proxied = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7"}
    trusted = app_for(db, web={"trusted_proxies": ["127.0.0.1"]})
    with TestClient(trusted, base_url=BASE_URL, client=("127.0.0.1", 5000)) as c:
        token = csrf_of(c.get("/login").text)
        done = c.post("/login", data={"name": "viewer", "password": PASSWORD,
                                      "csrf_token": token}, headers=proxied,
                      follow_redirects=False)  # fmt: skip
        assert done.status_code == 303
        assert "Secure" in set_cookies(done)[SESSION_COOKIE]
    with TestClient(app_for(db), base_url=BASE_URL, client=("127.0.0.1", 5000)) as c:
        token = csrf_of(c.get("/login").text)
        done = c.post("/login", data={"name": "viewer", "password": PASSWORD,
                                      "csrf_token": token}, headers=proxied,
                      follow_redirects=False)  # fmt: skip
        assert "Secure" not in set_cookies(done)[SESSION_COOKIE], "an untrusted peer was believed"
    conn = sqlite3.connect(db)
    addresses = [r[0] for r in conn.execute("SELECT address FROM audit_log WHERE action='login'")]
    conn.close()
    assert addresses == ["203.0.113.7", "127.0.0.1"]


def test_logout_ends_the_session_on_the_server(db: Path) -> None:
    with TestClient(app_for(db), base_url=BASE_URL) as c:
        login(c, "analyst")
        stolen = c.cookies[SESSION_COOKIE]
        page = c.get("/account")
        assert page.status_code == 200 and 'id="logout"' in page.text
        out = c.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == "/login"
    with TestClient(app_for(db), base_url=BASE_URL) as other:
        replay = other.get("/api/v1/me", cookies={SESSION_COOKIE: stolen})
        assert replay.status_code == 401 and "session ended" in replay.text


def test_a_password_change_ends_every_session_of_the_account(db: Path) -> None:
    app = app_for(db)
    with TestClient(app, base_url=BASE_URL) as laptop, TestClient(app, base_url=BASE_URL) as phone:
        login(laptop, "analyst")
        login(phone, "analyst")
        old = laptop.cookies[SESSION_COOKIE]
        form = csrf_of(laptop.get("/account").text)
        wrong = laptop.post(
            "/account/password",
            data={"current_password": "not it", "new_password": "n" * 20, "csrf_token": form},
        )
        assert wrong.status_code == 400 and "E964" in wrong.text
        done = laptop.post(
            "/account/password",
            data={"current_password": PASSWORD, "new_password": "a brand new passphrase",
                  "csrf_token": form},
            follow_redirects=False,
        )  # fmt: skip
        assert done.status_code == 303 and done.headers["location"] == "/account?changed=1"
        assert laptop.cookies[SESSION_COOKIE] != old
        assert laptop.get("/api/v1/me").status_code == 200, "this browser got a new session"
        assert phone.get("/api/v1/me").status_code == 401, "the other session survived"
    with TestClient(app, base_url=BASE_URL) as c:
        assert login(c, "analyst").status_code == 401
        assert login(c, "analyst", "a brand new passphrase").status_code == 303


def test_login_limit_per_account_then_per_address(db: Path) -> None:
    app = app_for(db)
    with TestClient(app, base_url=BASE_URL) as c:
        for _ in range(5):  # team.login_max_failures
            assert login(c, "viewer", "guess guess guess").status_code == 401
        limited = login(c, "viewer")  # the right password, too late
        assert limited.status_code == 429 and "E954" in limited.text
        assert int(limited.headers["retry-after"]) > 0
        assert login(c, "analyst").status_code == 303, "another account is not locked"
        for i in range(14):  # 5 + 14 + 1 = 20 failures from this address
            login(c, f"nobody{i}", "guess guess guess")
        assert login(c, "nobody-else", "guess guess guess").status_code == 401
        assert login(c, "admin").status_code == 429, "the address limit did not hold"
    conn = sqlite3.connect(db)
    actions = [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    conn.close()
    assert actions.count("login.failed") == 20 and actions.count("login.limited") == 2


def test_next_after_login_stays_on_this_site(db: Path) -> None:
    with TestClient(app_for(db), base_url=BASE_URL) as c:
        gate = c.get("/stories?limit=2", follow_redirects=False)
        assert gate.status_code == 303 and gate.headers["location"] == (
            "/login?next=%2Fstories%3Flimit%3D2"
        )
        for target, lands in [("/stories?limit=2", "/stories?limit=2"),
                              ("//evil.example/x", "/"), ("https://evil.example/", "/"),
                              ("/\\evil.example", "/")]:  # fmt: skip
            c.cookies.clear()
            token = csrf_of(c.get("/login").text)
            done = c.post("/login", data={"name": "viewer", "password": PASSWORD,
                                          "csrf_token": token, "next": target},
                          follow_redirects=False)  # fmt: skip
            assert done.headers["location"] == lands, target


def test_no_secret_or_hash_reaches_a_response_or_a_log(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = Store(str(db), 10_000, settings_for(db))
    try:
        token, _ = create_token(store.conn, "admin", None, 1, "script", Who("test", "cli"))
    finally:
        store.close()
    conn = sqlite3.connect(db)
    secrets = [r[0] for r in conn.execute("SELECT password_hash FROM users")]
    secrets += [r[0] for r in conn.execute("SELECT secret_hash FROM api_tokens")]
    conn.close()
    # The secret is everything after the id's underscore: it may hold underscores itself, so
    # splitting at the last one could give a single character that any page contains.
    secret = token.removeprefix("slt_").partition("_")[2]
    assert len(secret) >= 20, token
    secrets += [token, secret, PASSWORD]
    bodies: list[str] = []
    with TestClient(app_for(db), base_url=BASE_URL) as c:
        bodies.append(login(c, "admin").text)
        bodies.append(login(c, "admin", "wrong wrong wrong").text)
        for path in ("/admin/users", "/admin/audit", "/account", "/api/v1/audit", "/api/v1/me"):
            response = c.get(path)
            assert response.status_code == 200, path
            bodies.append(response.text)
            bodies.append(str(response.headers))
        bodies.append(c.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).text)
    result = CliRunner().invoke(cli_app, ["--db", str(db), "audit", "--json"])
    bodies.append(result.output)
    for args in (["users", "list", "--json"], ["users", "token", "list", "--json"]):
        bodies.append(CliRunner().invoke(cli_app, ["--db", str(db), *args]).output)
    bodies.append(caplog.text)
    everything = "\n".join(bodies)
    assert "$argon2id$" not in everything
    leaked = [s[:12] + "…" for s in secrets if s in everything]
    assert not leaked, f"secrets in responses or logs: {leaked}"


def test_first_run_serve_makes_an_admin_and_a_one_time_link(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    empty = tmp_path / "first.db"
    Store(str(empty), 10_000, settings_for(empty)).close()
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    refused = CliRunner().invoke(
        cli_app, ["--db", str(empty), "serve", "--host", "0.0.0.0", "--allow-remote"]
    )
    assert refused.exit_code == 2 and "E963" in refused.output, refused.output
    result = CliRunner().invoke(cli_app, ["--db", str(empty), "serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    found = re.search(r"http://127\.0\.0\.1:8123(/login/link/\S+)", result.output)
    assert found, result.output
    again = CliRunner().invoke(cli_app, ["--db", str(empty), "serve", "--port", "8123"])
    assert "/login/link/" not in again.output, "a second link for an existing admin"
    with TestClient(app_for(empty), base_url=BASE_URL) as c:
        page = c.get(found.group(1))
        assert page.status_code == 200 and 'id="use-link"' in page.text
        done = c.post(found.group(1), data={"csrf_token": csrf_of(page.text)},
                      follow_redirects=False)  # fmt: skip
        assert done.status_code == 303 and done.headers["location"] == "/account"
        assert c.get("/api/v1/me").json()["role"] == "admin"
        account = c.get("/account").text
        assert "current_password" not in account  # signed in by link: no password known yet
        set_password = c.post("/account/password", data={
            "new_password": "the admin's own passphrase", "csrf_token": csrf_of(account)},
            follow_redirects=False)  # fmt: skip
        assert set_password.status_code == 303
    with TestClient(app_for(empty), base_url=BASE_URL) as c:
        page = c.get(found.group(1))
        assert page.status_code == 400 and "E962" in page.text, "the link worked twice"
        used = c.post(found.group(1), data={"csrf_token": csrf_of(c.get("/login").text)})
        assert used.status_code == 400 and "E962" in used.text
        assert login(c, "admin", "the admin's own passphrase").status_code == 303


def test_writes_are_audited_with_who_what_and_where(db: Path, fresh_sample_db: Path) -> None:
    ensure_user(fresh_sample_db, "analyst")
    ensure_user(fresh_sample_db, "viewer")
    conn = sqlite3.connect(fresh_sample_db)
    before = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
    conn.close()  # the shared store may hold rows of other tests' requests already
    with TestClient(app_for(fresh_sample_db), base_url=BASE_URL) as c:
        login(c, "viewer")
        token = csrf_of(c.get("/actors/country-ir").text)
        refused = c.post("/actors/country-ir/merge", data={"other": "Tehran", "csrf_token": token})
        assert refused.status_code == 403 and "E952" in refused.text
        c.cookies.clear()
        login(c, "analyst")
        token = csrf_of(c.get("/actors/country-ir").text)
        done = c.post("/actors/country-ir/merge", follow_redirects=False,
                      data={"other": "Tehran", "note": "metonym", "csrf_token": token})  # fmt: skip
        assert done.status_code == 303
    result = CliRunner().invoke(cli_app, ["--db", str(fresh_sample_db), "audit", "--json",
                                          "--action", "actor."])  # fmt: skip
    import json

    rows = [r for r in json.loads(result.output) if r["id"] > before]
    assert [(r["actor"], r["via"], r["action"], r["target"], r["detail"], r["outcome"])
            for r in rows] == [
        ("analyst", "session", "actor.merge", "/actors/country-ir/merge",
         {"note": "metonym", "other": "Tehran"}, "ok"),
    ]  # fmt: skip
    assert rows[0]["address"] == "testclient"


def test_a_token_read_while_an_ingest_holds_the_write_lock_is_answered(db: Path) -> None:
    """Recording a token's last use is the one write a reading request makes; while another
    process holds the write lock (an ingest's update steps) the read is answered anyway and the
    use is recorded by a later request (the 100k load run saw "database is locked" here)."""
    with Store(str(db), 10_000, settings_for(db)) as store:
        token, _ = create_token(store.conn, "viewer", None, 1, "script", Who("test", "cli"))
    headers = {"authorization": f"Bearer {token}"}
    writer = sqlite3.connect(db, isolation_level=None)
    used = "SELECT last_used_at FROM api_tokens"
    with TestClient(app_for(db), base_url=BASE_URL) as c:
        writer.execute("BEGIN IMMEDIATE")  # what an ingest's batch holds
        try:
            answer = c.get("/api/v1/me", headers=headers)
            assert answer.status_code == 200 and answer.json()["name"] == "viewer"
            assert writer.execute(used).fetchone()[0] is None  # not recorded meanwhile
        finally:
            writer.execute("ROLLBACK")
        assert c.get("/api/v1/me", headers=headers).status_code == 200
        assert writer.execute(used).fetchone()[0] is not None  # the next request recorded it
    writer.close()
