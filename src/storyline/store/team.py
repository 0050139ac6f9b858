"""The team's tables: accounts, browser sessions, API tokens, one-time login links, and the
audit log that SQLite itself keeps append-only.

Secrets never reach the store in the clear: passwords as argon2id hashes, session ids, API
token secrets and login links as SHA-256 digests of 256-bit random values (a digest suffices for
a value nobody chose; argon2 is for what people choose). The audit table refuses UPDATE and
DELETE with triggers, so neither a bug nor a stray ``sqlite3`` session rewrites history short of
dropping the triggers, which is itself a schema change anyone can see.

The logic (roles, hashing, limits) lives in `storyline.team`; this module is the SQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from storyline.store.db import migration, now, run_script, transaction

#: Tables holding accounts and their traces (for tests that compare article content only).
TEAM_TABLES = frozenset({"users", "sessions", "api_tokens", "login_links", "audit_log"})


@migration(12, "team: users, sessions, API tokens, one-time login links, append-only audit log")
def _team(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT,
            address TEXT,
            how TEXT NOT NULL DEFAULT 'password'
        );
        CREATE INDEX sessions_user ON sessions(user_id);
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            label TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
            secret_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT,
            last_used_at TEXT,
            last_used_from TEXT
        );
        CREATE INDEX api_tokens_user ON api_tokens(user_id);
        CREATE TABLE login_links (
            id_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            via TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT,
            detail TEXT,
            address TEXT,
            outcome TEXT NOT NULL DEFAULT 'ok'
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """,
    )


# -- users ----------------------------------------------------------------------------------------

USER_COLUMNS = "id, name, role, disabled, created_at, password_changed_at"


def user_row(row: sqlite3.Row | None) -> dict[str, Any] | None:
    return dict(row) if row is not None else None


def find_user(conn: sqlite3.Connection, name: str) -> dict[str, Any] | None:
    """The user called ``name`` (any case), without the password hash."""
    row = conn.execute(f"SELECT {USER_COLUMNS} FROM users WHERE name = ?", (name,)).fetchone()
    return user_row(row)


def password_hash_of(conn: sqlite3.Connection, user_id: int) -> str:
    row = conn.execute("SELECT password_hash FROM users WHERE id = ?", (user_id,)).fetchone()
    return str(row[0]) if row else ""


def list_users(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(f"SELECT {USER_COLUMNS} FROM users ORDER BY name")]


def count_users(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])


def insert_user(conn: sqlite3.Connection, name: str, role: str, password_hash: str) -> int:
    at = now()
    cur = conn.execute(
        "INSERT INTO users (name, role, password_hash, created_at, password_changed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (name, role, password_hash, at, at),
    )
    return int(cur.lastrowid or 0)


def update_user(conn: sqlite3.Connection, user_id: int, **fields: Any) -> None:
    allowed = {"role", "disabled", "password_hash", "password_changed_at"}
    names = sorted(set(fields) & allowed)
    sets = ", ".join(f"{n} = ?" for n in names)
    conn.execute(f"UPDATE users SET {sets} WHERE id = ?", (*(fields[n] for n in names), user_id))


# -- sessions -------------------------------------------------------------------------------------


def insert_session(
    conn: sqlite3.Connection,
    id_hash: str,
    user_id: int,
    expires_at: str,
    address: str | None,
    how: str = "password",
) -> None:
    conn.execute(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, address, how) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (id_hash, user_id, now(), expires_at, address, how),
    )


def session_user(conn: sqlite3.Connection, id_hash: str) -> dict[str, Any] | None:
    """The session with its user's name, role and state, or None."""
    row = conn.execute(
        "SELECT s.id_hash, s.expires_at, s.revoked_at, s.how, u.id AS user_id, u.name, u.role, "
        "u.disabled FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?",
        (id_hash,),
    ).fetchone()
    return dict(row) if row else None


def revoke_sessions(conn: sqlite3.Connection, *, user_id: int | None = None,
                    id_hash: str | None = None) -> int:  # fmt: skip
    if id_hash is not None:
        cur = conn.execute(
            "UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL",
            (now(), id_hash),
        )
    else:
        cur = conn.execute(
            "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
            (now(), user_id),
        )
    return cur.rowcount


# -- API tokens -----------------------------------------------------------------------------------

TOKEN_COLUMNS = (
    "t.id, u.name AS user, t.label, t.role, t.created_at, t.expires_at, t.revoked_at, "
    "t.last_used_at, t.last_used_from"
)


def insert_token(conn: sqlite3.Connection, user_id: int, label: str, role: str,
                 secret_hash: str, expires_at: str) -> int:  # fmt: skip
    cur = conn.execute(
        "INSERT INTO api_tokens (user_id, label, role, secret_hash, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (user_id, label, role, secret_hash, now(), expires_at),
    )
    return int(cur.lastrowid or 0)


def token_with_user(conn: sqlite3.Connection, token_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT t.id, t.secret_hash, t.role AS token_role, t.expires_at, t.revoked_at, "
        "u.id AS user_id, u.name, u.role AS user_role, u.disabled "
        "FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?",
        (token_id,),
    ).fetchone()
    return dict(row) if row else None


def list_tokens(conn: sqlite3.Connection, user: str | None = None) -> list[dict[str, Any]]:
    sql = f"SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id"
    args: tuple[Any, ...] = ()
    if user is not None:
        sql += " WHERE u.name = ?"
        args = (user,)
    return [dict(r) for r in conn.execute(sql + " ORDER BY t.id", args)]


def get_token(conn: sqlite3.Connection, token_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?",
        (token_id,),
    ).fetchone()
    return dict(row) if row else None


def revoke_token_row(conn: sqlite3.Connection, token_id: int) -> int:
    cur = conn.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        (now(), token_id),
    )
    return cur.rowcount


def touch_token(conn: sqlite3.Connection, token_id: int, address: str | None) -> None:
    conn.execute(
        "UPDATE api_tokens SET last_used_at = ?, last_used_from = ? WHERE id = ?",
        (now(), address, token_id),
    )


# -- one-time login links -------------------------------------------------------------------------


def insert_login_link(conn: sqlite3.Connection, id_hash: str, user_id: int,
                      expires_at: str) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO login_links (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (id_hash, user_id, now(), expires_at),
    )


def take_login_link(conn: sqlite3.Connection, id_hash: str, at: str) -> int | None:
    """Mark the link used and return its user id, or None when it is unknown, used or expired
    (one statement: two tabs cannot both use it)."""
    cur = conn.execute(
        "UPDATE login_links SET used_at = ? WHERE id_hash = ? AND used_at IS NULL "
        "AND expires_at > ? RETURNING user_id",
        (at, id_hash, at),
    )
    row = cur.fetchone()
    return int(row[0]) if row else None


def login_link_usable(conn: sqlite3.Connection, id_hash: str, at: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM login_links WHERE id_hash = ? AND used_at IS NULL AND expires_at > ?",
        (id_hash, at),
    ).fetchone()
    return row is not None


# -- audit log ------------------------------------------------------------------------------------


def append_audit(
    conn: sqlite3.Connection,
    *,
    actor: str,
    via: str,
    action: str,
    target: str | None = None,
    detail: Mapping[str, Any] | None = None,
    address: str | None = None,
    outcome: str = "ok",
) -> None:
    """One audit row, inside the caller's transaction when there is one, else in its own."""
    args = (
        now(),
        actor,
        via,
        action,
        target,
        json.dumps(dict(detail), ensure_ascii=False, sort_keys=True) if detail else None,
        address,
        outcome,
    )
    sql = (
        "INSERT INTO audit_log (at, actor, via, action, target, detail, address, outcome) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    if conn.in_transaction:
        conn.execute(sql, args)
    else:
        with transaction(conn, "writing the audit log"):
            conn.execute(sql, args)


def read_audit(
    conn: sqlite3.Connection,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Audit rows newest first; ``action`` matches a prefix ("login" finds "login.failed")."""
    where, args = [], []
    if actor:
        where.append("actor = ?")
        args.append(actor)
    if action:
        where.append("action LIKE ? ESCAPE '\\'")
        args.append(action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if since:
        where.append("at >= ?")
        args.append(since)
    sql = "SELECT id, at, actor, via, action, target, detail, address, outcome FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
    out = []
    for r in rows:
        row = dict(r)
        row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
        out.append(row)
    return out


def failed_logins_since(
    conn: sqlite3.Connection, since: str, account: str, address: str | None
) -> tuple[list[str], list[str]]:
    """The times (oldest first) of the failed logins recorded since ``since``: for ``account``
    (by name, case-insensitively, after its last successful login) and from ``address``. Read
    from the audit log, which every server process writes: the login limit holds across
    ``serve --workers`` processes and restarts."""
    last_ok = conn.execute(
        "SELECT max(id) FROM audit_log WHERE action = 'login' AND at >= ? "
        "AND lower(actor) = lower(?)",
        (since, account),
    ).fetchone()[0]
    by_account = [
        str(r[0])
        for r in conn.execute(
            "SELECT at FROM audit_log WHERE action = 'login.failed' AND at >= ? "
            "AND lower(actor) = lower(?) AND id > ? ORDER BY id",
            (since, account, last_ok or 0),
        )
    ]
    by_address = [
        str(r[0])
        for r in conn.execute(
            "SELECT at FROM audit_log WHERE action = 'login.failed' AND at >= ? "
            "AND address IS ? ORDER BY id",
            (since, address),
        )
    ]
    return by_account, by_address
