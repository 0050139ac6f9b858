"""The audit log: who did what, when, to what, from where, and how it ended. Rows are only ever
appended (the store's triggers refuse UPDATE and DELETE); account and token changes write their
row in the same transaction as the change, so neither exists without the other."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storyline.store import team as sql


@dataclass(frozen=True)
class Who:
    """Who acts: a user name (or ``cli:<login>`` at the terminal), how they came in
    (``session``, ``token:<id>``, ``cli``, ``anonymous``) and from which address."""

    name: str
    via: str
    address: str | None = None


def record(
    conn: sqlite3.Connection,
    who: Who,
    action: str,
    target: str | None = None,
    detail: Mapping[str, Any] | None = None,
    outcome: str = "ok",
) -> None:
    """Append one row (inside the caller's transaction when one is open)."""
    sql.append_audit(
        conn,
        actor=who.name,
        via=who.via,
        action=action,
        target=target,
        detail=detail,
        address=who.address,
        outcome=outcome,
    )


def audit_rows(
    conn: sqlite3.Connection,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Rows newest first; ``action`` is a prefix ("user." finds every account change)."""
    return sql.read_audit(conn, actor=actor, action=action, since=since, limit=limit)
