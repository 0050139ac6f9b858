"""Cursor pagination shared by the CLI, the pages and the API.

A cursor is opaque to clients: today it carries the offset of the next page and a fingerprint of
the query it belongs to, so a cursor pasted into another query is refused (E801) instead of
silently paging something else. Clients pass back what they were given, never build one.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import QueryError


def _fingerprint(query: dict[str, Any]) -> str:
    blob = json.dumps(query, sort_keys=True, default=str).encode()
    return hashlib.blake2b(blob, digest_size=6).hexdigest()


def encode_cursor(offset: int, query: dict[str, Any]) -> str:
    raw = json.dumps({"o": offset, "q": _fingerprint(query)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, query: dict[str, Any]) -> int:
    """The offset a cursor stands for; 0 for no cursor."""
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        offset = int(data["o"])
        same = data["q"] == _fingerprint(query)
    except (ValueError, KeyError, TypeError) as exc:
        raise QueryError(
            f"cursor {cursor[:40]!r} is damaged; start again without it", code="E801"
        ) from exc
    if offset < 0 or not same:
        raise QueryError(
            f"cursor {cursor[:40]!r} belongs to another query; start again without it", code="E801"
        )
    return offset


@dataclass
class Page:
    """One page of a listing: the rows (exactly what the CLI's --json prints) and the cursor of
    the next page, None on the last."""

    items: list[Any]
    next_cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "next_cursor": self.next_cursor, **self.extra}


def page_of(rows: list[Any], offset: int, limit: int, query: dict[str, Any]) -> Page:
    """Cut a page from ``rows`` fetched with ``limit + 1`` (the extra row says a next page
    exists without a COUNT)."""
    more = len(rows) > limit
    return Page(rows[:limit], encode_cursor(offset + limit, query) if more else None)
