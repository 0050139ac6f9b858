"""The login limit: after ``team.login_max_failures`` failed logins for one account, or
``team.login_max_failures_per_address`` from one address, within ``team.login_window_minutes``,
further attempts (right password or not) are refused until the oldest failure leaves the
window.

Two records are kept and the stricter wins: `LoginLimiter`, in the server process's memory, and
`recorded_retry_after`, which counts the ``login.failed`` rows of the audit log. The audit log
is in the store, so the limit holds when ``storyline serve --workers N`` spreads logins over N
processes (each with its own memory) and across a restart."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from storyline.store.team import failed_logins_since


class LoginLimiter:
    def __init__(
        self,
        per_account: int,
        per_address: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> LoginLimiter:
        team = settings["team"]
        return cls(
            int(team["login_max_failures"]),
            int(team["login_max_failures_per_address"]),
            float(team["login_window_minutes"]) * 60,
        )

    def _keys(self, account: str, address: str | None) -> list[tuple[str, int]]:
        return [
            (f"account:{account.strip().lower()}", self.per_account),
            (f"address:{address or '?'}", self.per_address),
        ]

    def retry_after(self, account: str, address: str | None) -> float:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key, limit in self._keys(account, address):
                times = self._failures.get(key)
                if not times:
                    continue
                while times and times[0] <= now - self.window_s:
                    times.popleft()
                if len(times) >= limit:
                    wait = max(wait, times[0] + self.window_s - now)
        return wait

    def failed(self, account: str, address: str | None) -> None:
        now = self.clock()
        with self._lock:
            for key, _ in self._keys(account, address):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, account: str) -> None:
        """A right password clears the account's failures (not the address's)."""
        with self._lock:
            self._failures.pop(f"account:{account.strip().lower()}", None)


def recorded_retry_after(
    conn: sqlite3.Connection, limiter: LoginLimiter, account: str, address: str | None
) -> float:
    """Seconds until another attempt is allowed by the failures the audit log holds (0: now),
    with ``limiter``'s limits and window."""
    moment = datetime.now(UTC)
    since = (moment - timedelta(seconds=limiter.window_s)).isoformat(timespec="seconds")
    by_account, by_address = failed_logins_since(conn, since, account.strip() or "?", address)
    wait = 0.0
    for times, limit in ((by_account, limiter.per_account), (by_address, limiter.per_address)):
        if len(times) >= limit:
            oldest = datetime.fromisoformat(times[0])
            wait = max(wait, (oldest - moment).total_seconds() + limiter.window_s)
    return max(0.0, wait)
