"""Password hashing with argon2id (argon2-cffi). The default cost is OWASP's minimum for argon2id
(19 MiB, 2 passes, 1 lane: about 70 ms here); ``team.argon2_memory_kib`` and
``team.argon2_time_cost`` raise it. A hash made with other parameters still verifies, and is
re-made with the current ones at the next login."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from storyline.errors import WebError


@lru_cache(maxsize=4)
def _hasher(memory_kib: int, time_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def hasher(settings: dict[str, Any]) -> PasswordHasher:
    team = settings["team"]
    return _hasher(int(team["argon2_memory_kib"]), int(team["argon2_time_cost"]))


def check_password(password: str, settings: dict[str, Any]) -> None:
    """Refuse a password too short to resist guessing (E951)."""
    least = int(settings["team"]["password_min_length"])
    if len(password) < least:
        raise WebError(
            f"password too short: {len(password)} characters, at least {least} "
            "(team.password_min_length)",
            code="E951",
        )


def hash_password(password: str, settings: dict[str, Any]) -> str:
    return hasher(settings).hash(password)


def verify(stored: str, password: str, settings: dict[str, Any]) -> bool:
    """Whether ``password`` matches ``stored``; an empty or damaged hash never matches."""
    try:
        return bool(hasher(settings).verify(stored, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=4)
def _dummy(memory_kib: int, time_cost: int) -> str:
    return _hasher(memory_kib, time_cost).hash("no such user: spend the same time")


def spend_time(settings: dict[str, Any]) -> None:
    """Verify against a throw-away hash, so an unknown name takes as long as a wrong
    password (no user enumeration by timing)."""
    team = settings["team"]
    verify(_dummy(int(team["argon2_memory_kib"]), int(team["argon2_time_cost"])), "x", settings)


def needs_rehash(stored: str, settings: dict[str, Any]) -> bool:
    try:
        return bool(hasher(settings).check_needs_rehash(stored))
    except InvalidHashError:
        return True
