"""The three roles, each allowed what the one below is allowed and more: a viewer reads, an
analyst also corrects actors (and later notes, tags and collections), an admin also manages users,
sources and settings."""

from __future__ import annotations

from storyline.errors import WebError

ROLES = ("viewer", "analyst", "admin")
_RANK = {name: i for i, name in enumerate(ROLES)}


def check_role(role: str) -> str:
    """``role`` lower-cased if it is one of `ROLES`, else E950 naming the valid ones."""
    name = (role or "").strip().lower()
    if name not in _RANK:
        raise WebError(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}", code="E950")
    return name


def rank(role: str) -> int:
    return _RANK[role]


def at_least(role: str, required: str) -> bool:
    """Whether ``role`` is allowed what ``required`` is."""
    return _RANK.get(role, -1) >= _RANK[required]
