"""`storyline.team` and its commands: accounts, roles, tokens and the audit log, through the real
CLI on a real store, and the store's own refusal to rewrite the audit log."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from storyline import config
from storyline.cli.main import app as cli_app
from storyline.errors import NotFound, WebError
from storyline.store import Store
from storyline.store.db import transaction
from storyline.team import (
    LoginLimiter,
    Who,
    add_user,
    authenticate,
    create_token,
    revoke_token,
    set_disabled,
    token_principal,
)

runner = CliRunner()
WHO = Who("test", "cli", "local")


def run(db: Path, *args: str, code: int = 0, stdin: str | None = None) -> str:
    result = runner.invoke(cli_app, ["--db", str(db), *args], input=stdin)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def settings(tmp_path: Path) -> dict[str, Any]:
    return config.load(None, {"store": {"db": str(tmp_path / "t.db")}})


@pytest.fixture
def store(tmp_path: Path, settings: dict[str, Any]) -> Any:
    s = Store(str(tmp_path / "t.db"), 10_000, settings)
    yield s
    s.close()


def test_a_team_of_three_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    out = run(db, "users", "add", "alice", "--role", "admin")
    assert out.startswith("added alice (admin)\npassword: ")
    password = out.split("password: ")[1].split()[0]
    assert len(password) >= 20
    assert run(db, "users", "add", "bob", "--role", "analyst", "--password-stdin",
               stdin="bob's long passphrase\n") == "added bob (analyst)\n"  # fmt: skip
    run(db, "users", "add", "carol")
    listed = json.loads(run(db, "users", "list", "--json"))
    assert [(u["name"], u["role"], u["disabled"]) for u in listed] == [
        ("alice", "admin", False), ("bob", "analyst", False), ("carol", "viewer", False),
    ]  # fmt: skip
    assert "password_hash" not in listed[0]
    table = run(db, "users", "list").splitlines()
    assert table[0].split() == ["name", "role", "state", "created"]
    assert table[2].split()[:3] == ["bob", "analyst", "enabled"]
    created = run(db, "users", "token", "create", "bob", "--role", "viewer", "--days", "30",
                  "--label", "nightly export").splitlines()  # fmt: skip
    assert created[0].startswith("token 1 for bob (viewer), expires ")
    assert created[1].startswith("slt_1_") and len(created[1]) > 40
    tokens = json.loads(run(db, "users", "token", "list", "--json"))
    assert [(t["id"], t["user"], t["role"], t["label"], t["revoked_at"]) for t in tokens] == [
        (1, "bob", "viewer", "nightly export", None)
    ]
    assert run(db, "users", "token", "revoke", "1") == "token 1 revoked\n"
    assert run(db, "users", "set-role", "carol", "analyst") == "carol is now analyst\n"
    assert run(db, "users", "disable", "carol") == "carol disabled\n"
    reset = run(db, "users", "reset-password", "bob", "--password-stdin",
                stdin="another long passphrase\n")  # fmt: skip
    assert reset == "password of bob changed; 0 session(s) ended\n"
    lines = run(db, "audit").splitlines()
    assert [line.split("  ")[2] for line in lines] == [
        "user.password bob", "user.disable carol", "user.set-role carol", "token.revoke bob",
        "token.create bob", "user.add carol", "user.add bob", "user.add alice",
    ]  # fmt: skip
    assert "(cli, local)" in lines[0] and lines[2].endswith("from=viewer to=analyst")
    only = json.loads(run(db, "audit", "--json", "--action", "token."))
    assert [r["action"] for r in only] == ["token.revoke", "token.create"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("users", "add", "dora", "--role", "boss"), "E950"),
        (("users", "add", "bad name!"), "E955"),
        (("users", "add", "alice"), "E956"),
        (("users", "set-role", "alice", "viewer"), "E957"),
        (("users", "disable", "alice"), "E957"),
        (("users", "token", "create", "bob", "--role", "admin"), "E958"),
        (("users", "token", "create", "bob", "--days", "5000", "--role", "viewer"), "E959"),
        (("users", "set-role", "nobody", "viewer"), "E404"),
        (("users", "token", "revoke", "99"), "E404"),
    ],
)
def test_refusals_are_coded_one_line_errors(
    tmp_path: Path, args: tuple[str, ...], code: str
) -> None:
    db = tmp_path / "team.db"
    run(db, "users", "add", "alice", "--role", "admin")
    run(db, "users", "add", "bob", "--role", "analyst")
    out = run(db, *args, code=2)
    assert out.startswith(f"error: {code} ") and out.count("\n") == 1, out


def test_short_passwords_are_refused(tmp_path: Path) -> None:
    out = run(tmp_path / "t.db", "users", "add", "eve", "--password-stdin", stdin="short\n",
              code=2)  # fmt: skip
    assert out.startswith("error: E951 password too short: 5 characters, at least 12")


def test_the_audit_log_refuses_update_and_delete(store: Any, settings: dict[str, Any]) -> None:
    add_user(store.conn, "alice", "admin", "a long enough passphrase", settings, WHO)
    for sql in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), transaction(store.conn):
            store.conn.execute(sql)
    raw = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM audit_log")
    raw.close()
    assert store.conn.execute("SELECT actor FROM audit_log").fetchall()[0][0] == "test"


def test_passwords_are_argon2id_and_checked(store: Any, settings: dict[str, Any]) -> None:
    add_user(store.conn, "alice", "analyst", "a long enough passphrase", settings, WHO)
    stored = store.conn.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert authenticate(store.conn, "alice", "a long enough passphrase", settings)
    assert authenticate(store.conn, "ALICE", "a long enough passphrase", settings)
    assert authenticate(store.conn, "alice", "a long enough passphrasf", settings) is None
    assert authenticate(store.conn, "nobody", "a long enough passphrase", settings) is None
    set_disabled(store.conn, "alice", True, WHO)
    assert authenticate(store.conn, "alice", "a long enough passphrase", settings) is None


def test_tokens_are_hashed_capped_expiring_and_revocable(
    store: Any, settings: dict[str, Any]
) -> None:
    add_user(store.conn, "bob", "analyst", "a long enough passphrase", settings, WHO)
    token, row = create_token(store.conn, "bob", None, 1, "script", WHO)
    assert row["role"] == "analyst"
    stored = store.conn.execute("SELECT secret_hash FROM api_tokens").fetchone()[0]
    secret = token.removeprefix("slt_").partition("_")[2]  # the secret may hold underscores
    assert len(secret) >= 40 and secret not in stored and len(stored) == 64
    principal, _ = token_principal(store.conn, token, "10.0.0.5")
    assert principal is not None and (principal.name, principal.role) == ("bob", "analyst")
    used = store.conn.execute("SELECT last_used_at, last_used_from FROM api_tokens").fetchone()
    assert used[0] and used[1] == "10.0.0.5"
    assert token_principal(store.conn, token[:-1] + ("A" if token[-1] != "A" else "B"), None)[
        1] == "unknown token"  # fmt: skip
    assert token_principal(store.conn, "slt_99_nothing", None)[1] == "unknown token"
    assert token_principal(store.conn, "not a token", None)[1] == "malformed token"
    from storyline.team import set_role

    add_user(store.conn, "root", "admin", "a long enough passphrase", settings, WHO)
    set_role(store.conn, "bob", "viewer", WHO)  # a token never acts above its user's role
    principal, _ = token_principal(store.conn, token, None)
    assert principal is not None and principal.role == "viewer"
    revoke_token(store.conn, int(row["id"]), WHO)
    assert token_principal(store.conn, token, None) == (None, "token revoked")
    with pytest.raises(NotFound):
        revoke_token(store.conn, 42, WHO)
    with pytest.raises(WebError, match="E958"):
        create_token(store.conn, "bob", "analyst", 1, "", WHO)


def test_the_login_limiter_forgets_old_failures() -> None:
    now = [1000.0]
    limiter = LoginLimiter(per_account=3, per_address=5, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        limiter.failed("Alice", "10.0.0.1")
    assert limiter.retry_after("alice", "10.0.0.2") == 60
    assert limiter.retry_after("bob", "10.0.0.1") == 0
    now[0] += 30
    assert limiter.retry_after("alice", "10.0.0.2") == 30
    now[0] += 31
    assert limiter.retry_after("alice", "10.0.0.2") == 0
    for i in range(5):
        limiter.failed(f"user{i}", "10.0.0.9")
    assert limiter.retry_after("anyone", "10.0.0.9") > 0
    limiter.succeeded("user0")
    assert limiter.retry_after("anyone", "10.0.0.9") > 0, "a success cleared the address"
