"""The login limit: after ``team.login_max_failures`` failed logins for one account, or
``team.login_max_failures_per_address`` from one address, within ``team.login_window_minutes``,
further attempts (right password or not) are refused until the oldest failure leaves the
window. Kept in memory: one server process holds the only web login path, and a restart that
clears it costs an attacker a restart they cannot cause."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any


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
