"""What the store holds, in numbers: by outlet, language, month and agency, plus failures."""

from __future__ import annotations

import sqlite3
from typing import Any

from storyline.store.db import schema_version


def _counts(conn: sqlite3.Connection, sql: str, limit: int = 15) -> dict[str, int]:
    return {str(k): int(n) for k, n in conn.execute(sql + f" LIMIT {int(limit)}")}


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """The store in numbers. The per-outlet, per-language and per-month counts, the undated and
    the bounded are read from the day totals the ``count_volume`` step keeps
    (`storyline.store.volume`), a few thousand rows at any store size; a pass over every
    article cost ~300 ms per call at 100,000 articles (the article listing shows them)."""
    one = lambda sql: int(conn.execute(sql).fetchone()[0] or 0)  # noqa: E731
    return {
        "articles": one("SELECT COUNT(*) FROM articles"),
        "undated": one("SELECT SUM(articles) FROM volume_days WHERE kind != 'dated'"),
        "bounded": one("SELECT SUM(articles) FROM volume_days WHERE kind = 'bound'"),
        "failed_inputs": one("SELECT COUNT(*) FROM sources WHERE status = 'failed'"),
        "skipped_inputs": one("SELECT COUNT(*) FROM sources WHERE status = 'skipped'"),
        "schema_version": schema_version(conn),
        "outlets": _counts(
            conn,
            "SELECT COALESCE(outlet, '(unknown)') o, SUM(articles) n "
            "FROM volume_days GROUP BY o ORDER BY n DESC, o",
        ),
        "languages": _counts(
            conn,
            "SELECT COALESCE(language, 'und') l, SUM(articles) n "
            "FROM volume_days GROUP BY l ORDER BY n DESC, l",
        ),
        "agencies": _counts(
            conn,
            "SELECT agency, COUNT(*) n FROM article_agencies "
            "GROUP BY agency ORDER BY n DESC, agency",
        ),
        "months": _counts(
            conn,
            "SELECT CASE WHEN kind = 'dated' THEN substr(day, 1, 7) ELSE 'undated' END m, "
            "SUM(articles) n FROM volume_days GROUP BY m ORDER BY m DESC",
            24,
        ),
    }
