"""API tokens for scripts: ``slt_<id>_<secret>``, sent as ``Authorization: Bearer``. The store
keeps the SHA-256 digest of the secret, compared in constant time; a token carries a role no
higher than its user's (and never acts above the user's current role), an expiry, and its last
use (time and address, written at most once a minute per token)."""

from __future__ import annotations

import hmac
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

from storyline.errors import NotFound, StoreError, WebError
from storyline.store import team as sql
from storyline.store.db import now, transaction
from storyline.team.accounts import get_user
from storyline.team.audit import Who, record
from storyline.team.roles import ROLES, at_least, check_role
from storyline.team.sessions import Principal, digest, later, new_secret

PREFIX = "slt_"
#: How stale a token's recorded last use may get before a request writes it again.
TOUCH_EVERY = timedelta(minutes=1)
#: How long a request waits for the write lock to record its token's use before it leaves that
#: to a later request (the only write a reading request makes).
TOUCH_WAIT_MS = 100


def create_token(
    conn: sqlite3.Connection,
    user: str,
    role: str | None,
    days: float,
    label: str,
    who: Who,
) -> tuple[str, dict[str, Any]]:
    """A new token for ``user`` (role defaults to theirs); returns the token, shown once, and
    its row."""
    owner = get_user(conn, user)
    role = check_role(role) if role else owner["role"]
    if not at_least(owner["role"], role):
        raise WebError(
            f"a token for {owner['name']!r} ({owner['role']}) cannot have role {role}",
            code="E958",
        )
    if not 0 < days <= 3660:
        raise WebError(f"token expiry of {days} days: give 1 to 3660", code="E959")
    secret = new_secret()
    with transaction(conn, "creating a token"):
        token_id = sql.insert_token(
            conn, int(owner["id"]), label or "", role, digest(secret), later(days=days)
        )
        record(conn, who, "token.create", owner["name"],
               {"token": token_id, "role": role, "days": days, "label": label})  # fmt: skip
    row = sql.get_token(conn, token_id)
    assert row is not None
    return f"{PREFIX}{token_id}_{secret}", row


def tokens(conn: sqlite3.Connection, user: str | None = None) -> list[dict[str, Any]]:
    if user is not None:
        get_user(conn, user)
    return sql.list_tokens(conn, user)


def revoke_token(conn: sqlite3.Connection, token_id: int, who: Who) -> dict[str, Any]:
    with transaction(conn, "revoking a token"):
        row = sql.get_token(conn, token_id)
        if row is None:
            raise NotFound("token", f"no token {token_id}; `storyline users token list`")
        if sql.revoke_token_row(conn, token_id):
            record(conn, who, "token.revoke", row["user"], {"token": token_id})
    found = sql.get_token(conn, token_id)
    assert found is not None
    return found


def parse(token: str) -> tuple[int, str] | None:
    if not token.startswith(PREFIX):
        return None
    ident, _, secret = token[len(PREFIX) :].partition("_")
    if not ident.isdigit() or len(ident) > 12 or not secret:
        return None
    return int(ident), secret


def token_principal(
    conn: sqlite3.Connection, token: str, address: str | None
) -> tuple[Principal | None, str]:
    """The principal a bearer token acts as, or None and why not; records its use."""
    parsed = parse(token.strip())
    if parsed is None:
        return None, "malformed token"
    token_id, secret = parsed
    row = sql.token_with_user(conn, token_id)
    expected = row["secret_hash"] if row else digest("no such token")
    if not hmac.compare_digest(digest(secret), expected) or row is None:
        return None, "unknown token"
    if row["revoked_at"]:
        return None, "token revoked"
    if row["expires_at"] <= now():
        return None, "token expired"
    if row["disabled"]:
        return None, "account disabled"
    role = min(row["token_role"], row["user_role"], key=ROLES.index)
    _touch(conn, token_id, address)
    return Principal(int(row["user_id"]), row["name"], role, f"token:{token_id}"), ""


def _touch(conn: sqlite3.Connection, token_id: int, address: str | None) -> None:
    row = conn.execute(
        "SELECT last_used_at, last_used_from FROM api_tokens WHERE id = ?", (token_id,)
    ).fetchone()
    stale = (datetime.now(UTC) - TOUCH_EVERY).isoformat(timespec="seconds")
    if row["last_used_at"] and row["last_used_at"] > stale and row["last_used_from"] == address:
        return
    # each PRAGMA answers a row: read it, or the statement stays open and the BEGIN after it
    # fails ("another row available")
    busy = int(conn.execute("PRAGMA busy_timeout").fetchall()[0][0])
    conn.execute(f"PRAGMA busy_timeout = {TOUCH_WAIT_MS}").fetchall()
    try:
        with transaction(conn, "recording a token's use"):
            sql.touch_token(conn, token_id, address)
    except StoreError:
        # an ingest holds the write lock (at 100,000 articles its update steps hold it for
        # seconds): the last use is a convenience, a read must not wait for it or fail over
        # it; a later request records it
        pass
    finally:
        conn.execute(f"PRAGMA busy_timeout = {busy}").fetchall()
