"""Accounts: add, list, change role, disable, reset a password, and check a login. Each change is
audited in its own transaction; disabling an account or changing its password ends every one of
its sessions at once, and the last enabled admin can be neither demoted nor disabled."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from storyline.errors import NotFound, WebError
from storyline.store import team as sql
from storyline.store.db import now, transaction
from storyline.team import passwords
from storyline.team.audit import Who, record
from storyline.team.roles import check_role

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


def get_user(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    user = sql.find_user(conn, name)
    if user is None:
        raise NotFound("user", f"no user {name!r}; `storyline users list` shows them")
    return user


def users(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every account (never its password hash)."""
    return [{**u, "disabled": bool(u["disabled"])} for u in sql.list_users(conn)]


def add_user(
    conn: sqlite3.Connection,
    name: str,
    role: str,
    password: str,
    settings: dict[str, Any],
    who: Who,
) -> dict[str, Any]:
    if not NAME.match(name or ""):
        raise WebError(
            f"invalid user name {name!r}: letters, digits and . _ @ - (at most 64), starting "
            "with a letter or digit",
            code="E955",
        )
    role = check_role(role)
    passwords.check_password(password, settings)
    hashed = passwords.hash_password(password, settings)
    with transaction(conn, "adding a user"):
        if sql.find_user(conn, name) is not None:
            raise WebError(f"user {name!r} exists already", code="E956")
        sql.insert_user(conn, name, role, hashed)
        record(conn, who, "user.add", name, {"role": role})
    return get_user(conn, name)


def _enabled_admins(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0")
    return int(row.fetchone()[0])


def _keep_an_admin(conn: sqlite3.Connection, user: dict[str, Any], what: str) -> None:
    if user["role"] == "admin" and not user["disabled"] and _enabled_admins(conn) <= 1:
        raise WebError(
            f"cannot {what} {user['name']!r}: the only enabled admin; make another admin first",
            code="E957",
        )


def set_role(conn: sqlite3.Connection, name: str, role: str, who: Who) -> dict[str, Any]:
    role = check_role(role)
    with transaction(conn, "changing a role"):
        user = get_user(conn, name)
        if role != "admin":
            _keep_an_admin(conn, user, "demote")
        sql.update_user(conn, user["id"], role=role)
        record(conn, who, "user.set-role", user["name"], {"from": user["role"], "to": role})
    return get_user(conn, name)


def set_disabled(conn: sqlite3.Connection, name: str, disabled: bool, who: Who) -> dict[str, Any]:
    """Disable (ending every session; its tokens stop working too) or re-enable an account."""
    with transaction(conn, "disabling a user" if disabled else "enabling a user"):
        user = get_user(conn, name)
        if disabled:
            _keep_an_admin(conn, user, "disable")
        sql.update_user(conn, user["id"], disabled=int(disabled))
        ended = sql.revoke_sessions(conn, user_id=user["id"]) if disabled else 0
        action = "user.disable" if disabled else "user.enable"
        record(conn, who, action, user["name"], {"sessions_ended": ended} if disabled else None)
    return get_user(conn, name)


def change_password(
    conn: sqlite3.Connection,
    name: str,
    password: str,
    settings: dict[str, Any],
    who: Who,
) -> int:
    """Set a new password and end every session of the account; returns how many ended."""
    passwords.check_password(password, settings)
    hashed = passwords.hash_password(password, settings)
    with transaction(conn, "changing a password"):
        user = get_user(conn, name)
        sql.update_user(conn, user["id"], password_hash=hashed, password_changed_at=now())
        ended = sql.revoke_sessions(conn, user_id=user["id"])
        record(conn, who, "user.password", user["name"], {"sessions_ended": ended})
    return ended


def authenticate(
    conn: sqlite3.Connection, name: str, password: str, settings: dict[str, Any]
) -> dict[str, Any] | None:
    """The enabled user whose name and password these are, else None. An unknown name costs
    the same hashing time as a wrong password; the reason is not told apart to the caller."""
    user = sql.find_user(conn, name) if NAME.match(name or "") else None
    if user is None:
        passwords.spend_time(settings)
        return None
    stored = sql.password_hash_of(conn, user["id"])
    if not passwords.verify(stored, password, settings) or user["disabled"]:
        return None
    if passwords.needs_rehash(stored, settings):
        with transaction(conn, "re-hashing a password"):
            sql.update_user(
                conn, user["id"], password_hash=passwords.hash_password(password, settings)
            )
    return user
