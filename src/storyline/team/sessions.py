"""Browser sessions and one-time login links. The browser holds a 256-bit random id; the store
holds its SHA-256 digest, so a copy of the store opens no session. A session ends when it
expires (``team.session_hours`` after login), at logout, and when its account is disabled or
its password changes."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from storyline.store import team as sql
from storyline.store.db import now, transaction
from storyline.team.audit import Who, record


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: the user, the role it is allowed (a token's role may be below
    its user's) and how it came in."""

    user_id: int
    name: str
    role: str
    via: str  # "session" or "token:<id>"
    how: str = ""  # how the session began: "password", "link", "password change"

    def who(self, address: str | None) -> Who:
        return Who(self.name, self.via, address)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def later(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat(timespec="seconds")


def start_session(
    conn: sqlite3.Connection,
    user: dict[str, Any],
    settings: dict[str, Any],
    address: str | None,
    how: str = "password",
) -> str:
    """A new session for ``user`` (a fresh id every login: no fixation); returns the id the
    browser keeps."""
    secret = new_secret()
    hours = float(settings["team"]["session_hours"])
    with transaction(conn, "starting a session"):
        sql.insert_session(conn, digest(secret), int(user["id"]), later(hours=hours), address, how)
        record(conn, Who(user["name"], "session", address), "login", user["name"], {"how": how})
    return secret


def session_principal(conn: sqlite3.Connection, secret: str) -> tuple[Principal | None, str]:
    """The principal of a live session, or None and why not (unknown, revoked, expired,
    disabled)."""
    row = sql.session_user(conn, digest(secret)) if secret else None
    if row is None:
        return None, "unknown session"
    if row["revoked_at"]:
        return None, "session ended"
    if row["expires_at"] <= now():
        return None, "session expired"
    if row["disabled"]:
        return None, "account disabled"
    return Principal(int(row["user_id"]), row["name"], row["role"], "session", row["how"]), ""


def end_session(conn: sqlite3.Connection, secret: str, who: Who) -> bool:
    with transaction(conn, "ending a session"):
        ended = sql.revoke_sessions(conn, id_hash=digest(secret)) > 0
        if ended:
            record(conn, who, "logout", who.name)
    return ended


def create_login_link(conn: sqlite3.Connection, user: dict[str, Any], minutes: float,
                      who: Who) -> str:  # fmt: skip
    """A one-time secret that signs ``user`` in once within ``minutes`` (first run)."""
    secret = new_secret()
    with transaction(conn, "making a login link"):
        sql.insert_login_link(conn, digest(secret), int(user["id"]), later(minutes=minutes))
        record(conn, who, "login-link.create", user["name"], {"minutes": minutes})
    return secret


def login_link_usable(conn: sqlite3.Connection, secret: str) -> bool:
    return bool(secret) and sql.login_link_usable(conn, digest(secret), now())


def use_login_link(conn: sqlite3.Connection, secret: str) -> dict[str, Any] | None:
    """The enabled user the link was for, marking it used; None when it is unknown, used,
    expired, or its user is disabled."""
    with transaction(conn, "using a login link"):
        user_id = sql.take_login_link(conn, digest(secret), now()) if secret else None
    if user_id is None:
        return None
    row = conn.execute(f"SELECT {sql.USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
    user = sql.user_row(row.fetchone())
    return user if user and not user["disabled"] else None
