"""What the store holds, in numbers: by outlet, language, month and agency, plus failures."""

from __future__ import annotations

import sqlite3
from typing import Any

from storyline.store.db import schema_version


def _counts(conn: sqlite3.Connection, sql: str, limit: int = 15) -> dict[str, int]:
    return {str(k): int(n) for k, n in conn.execute(sql + f" LIMIT {int(limit)}")}


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    one = lambda sql: int(conn.execute(sql).fetchone()[0])  # noqa: E731
    return {
        "articles": one("SELECT COUNT(*) FROM articles"),
        "undated": one("SELECT COUNT(*) FROM articles WHERE published IS NULL"),
        "bounded": one(
            "SELECT COUNT(*) FROM articles a JOIN article_bounds b ON b.article_id = a.id "
            "WHERE a.published IS NULL AND b.not_before IS NOT NULL"
        ),
        "failed_inputs": one("SELECT COUNT(*) FROM sources WHERE status = 'failed'"),
        "skipped_inputs": one("SELECT COUNT(*) FROM sources WHERE status = 'skipped'"),
        "schema_version": schema_version(conn),
        "outlets": _counts(
            conn,
            "SELECT COALESCE(outlet, '(unknown)') o, COUNT(*) n "
            "FROM articles GROUP BY o ORDER BY n DESC, o",
        ),
        "languages": _counts(
            conn,
            "SELECT COALESCE(language, 'und') l, COUNT(*) n "
            "FROM articles GROUP BY l ORDER BY n DESC, l",
        ),
        "agencies": _counts(
            conn,
            "SELECT agency, COUNT(*) n FROM article_agencies "
            "GROUP BY agency ORDER BY n DESC, agency",
        ),
        "months": _counts(
            conn,
            "SELECT COALESCE(substr(published, 1, 7), 'undated') m, "
            "COUNT(*) n FROM articles GROUP BY m ORDER BY m DESC",
            24,
        ),
    }
