"""How many requests the server works on at once, in what order the others wait, and how it
stops.

`storyline serve` is one Python process: pages and API answers are built by plain ``def`` routes
in a thread pool (anyio's, 40 threads), and the Python part of that work holds the GIL (py-spy
under 50 clients: a thread held the GIL in 95% of the samples where any thread was on a CPU).
A request costs the server about 80 ms of CPU at 10,000 articles, so a process answers about a
dozen a second however many threads it has. Without a bound, 50 clients meant 40 requests
sharing that at once, each advancing at a 40th of the speed: the slowest pages of the first load
test took over a minute, their clients gave up at 60 s, and the server went on working for them,
so it had a backlog of abandoned work when asked to stop.

`Gate` (the `AdmissionMiddleware` layer) runs at most ``web.max_concurrent`` requests at once
(authentication, route and response all inside the slot); the others wait in arrival order
(first come, first served), at most ``web.max_queue`` of them and at most
``web.queue_timeout_s`` seconds each. A request that cannot be queued, or waits too long, is
answered at once with **503** and ``Retry-After`` (E965) instead of a minute's silence; a
request whose client disconnects while it waits is dropped without being worked on. Static
files pass without a slot.

On SIGTERM (`drain`), waiting requests are answered 503 at once and new ones refused, while the
running ones get ``web.shutdown_grace_s`` seconds to finish (`storyline.cli.serve` hands that to
uvicorn as its graceful-shutdown timeout), so the server stops in seconds under any load.
"""

from __future__ import annotations

import asyncio
import json
import math
import signal
import threading
import time
from collections import deque
from types import FrameType
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.errors import ConfigError

BUSY_CODE = "E965"


def check_positive(given: Any, key: str, least: float) -> float:
    """``web.<key>`` (``given``) as a number of at least ``least``, or a ConfigError naming it."""
    try:
        value = float(given)
    except (TypeError, ValueError):
        value = float("nan")
    if not value >= least:
        raise ConfigError(
            f"web.{key} = {given!r}: give a number of at least {least:g}", setting=f"web.{key}"
        )
    return value


class Gate:
    """Bounded concurrency with a first-come-first-served queue, shared by the app's
    `AdmissionMiddleware` and its startup hook (`watch_signals`); see the module docstring.
    Lives on one event loop (the server's)."""

    def __init__(
        self,
        *,
        limit: int,
        queue: int,
        wait_s: float,
        api_prefix: str = "/api/",
        bypass: tuple[str, ...] = ("/static/",),
    ) -> None:
        self.limit = max(1, limit)
        self.queue = max(0, queue)
        self.wait_s = wait_s
        self.api_prefix = api_prefix
        self.bypass = bypass
        self.running = 0
        self.draining = False
        self._waiters: deque[asyncio.Future[None]] = deque()
        #: seconds a request holds its slot, smoothed: the Retry-After estimate
        self._service_s = 0.05
        #: how many requests were answered 503, and why (for tests and the log)
        self.shed: dict[str, int] = {"queue full": 0, "waited too long": 0, "stopping": 0}

    @property
    def waiting(self) -> int:
        return sum(1 for w in self._waiters if not w.done())

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Gate:
        web = settings["web"]
        return cls(
            limit=int(check_positive(web["max_concurrent"], "max_concurrent", 1)),
            queue=int(check_positive(web["max_queue"], "max_queue", 0)),
            wait_s=check_positive(web["queue_timeout_s"], "queue_timeout_s", 0),
        )

    async def handle(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        """Run ``app`` for this request when a slot is free, or answer 503."""
        if scope["type"] != "http" or scope["path"].startswith(self.bypass):
            await app(scope, receive, send)
            return
        if self.draining:
            await self._busy(scope, send, "stopping")
            return
        replay: list[Message] = []
        if self.running >= self.limit or self._waiters:
            if self.waiting >= self.queue:
                await self._busy(scope, send, "queue full")
                return
            outcome = await self._wait(receive, replay)
            if outcome == "disconnected":
                return
            if outcome is not None:
                await self._busy(scope, send, outcome)
                return
        else:
            self.running += 1
        started = time.monotonic()
        try:
            await app(scope, _replaying(replay, receive), send)
        finally:
            took = time.monotonic() - started
            self._service_s += 0.1 * (took - self._service_s)
            self._release()

    async def _wait(self, receive: Receive, replay: list[Message]) -> str | None:
        """Wait for a slot; None once granted (``running`` already counts it), else why not:
        "disconnected", "waited too long" or "stopping". Messages read meanwhile (to notice a
        disconnect) go to ``replay`` for the app."""
        loop = asyncio.get_running_loop()
        granted: asyncio.Future[None] = loop.create_future()
        self._waiters.append(granted)
        deadline = loop.time() + self.wait_s
        listener: asyncio.Future[Message] | None = None
        outcome: str | None = "waited too long"  # also what a cancellation leaves
        try:
            while True:
                if granted.done():
                    outcome = "stopping" if granted.exception() else None
                    break
                left = deadline - loop.time()
                if left <= 0:
                    break
                if listener is None:
                    listener = asyncio.ensure_future(receive())
                either: set[asyncio.Future[Any]] = {granted, listener}
                await asyncio.wait(either, timeout=left, return_when=asyncio.FIRST_COMPLETED)
                if listener.done() and not granted.done():
                    message = listener.result()
                    listener = None
                    if message["type"] == "http.disconnect":
                        outcome = "disconnected"
                        break
                    replay.append(message)
        finally:
            if listener is not None:
                if listener.done() and not listener.cancelled() and outcome is None:
                    replay.append(listener.result())
                else:
                    listener.cancel()
            if granted.done() and not granted.cancelled() and granted.exception() is None:
                if outcome is not None:  # a slot came, but nobody will use it
                    self._release()
            else:
                granted.cancel()
                if granted in self._waiters:
                    self._waiters.remove(granted)
        return outcome

    def _release(self) -> None:
        """Hand the slot to the longest-waiting request, or free it."""
        while self._waiters:
            nxt = self._waiters.popleft()
            if not nxt.done():
                nxt.set_result(None)  # the slot passes on: ``running`` stays
                return
        self.running -= 1

    def drain(self) -> None:
        """Stop admitting: every waiting request is answered 503 now, new ones too."""
        self.draining = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(_Stopping())

    def watch_signals(self) -> None:
        """Drain on SIGTERM or SIGINT, before uvicorn's own handler starts its shutdown.

        Called at the app's startup, when uvicorn has installed its handlers (with
        ``signal.signal``, on the main thread); a server run elsewhere (tests) is left alone."""
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(sig)
            if not callable(previous):
                continue

            def handler(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
                loop.call_soon_threadsafe(self.drain)
                previous(signum, frame)

            signal.signal(sig, handler)

    def retry_after(self) -> int:
        """Seconds until a slot is likely free for one more request: the queue ahead of it
        times how long a request holds a slot, over the slots."""
        return max(1, math.ceil((self.waiting + 1) * self._service_s / self.limit))

    async def _busy(self, scope: Scope, send: Send, why: str) -> None:
        self.shed[why] = self.shed.get(why, 0) + 1
        if why == "stopping":
            message = "the server is stopping; try again when it is back"
        else:
            message = (
                f"the server is busy ({self.running} requests running, {self.waiting} waiting"
                + (f", this one waited {self.wait_s:g} s" if why == "waited too long" else "")
                + "); try again shortly"
            )
        retry = 5 if why == "stopping" else self.retry_after()
        if scope["path"].startswith(self.api_prefix):
            body = json.dumps({"error": {"code": BUSY_CODE, "message": message}}).encode()
            media = b"application/json"
        else:
            body = (
                "<!doctype html><meta charset=utf-8><title>Busy</title>"
                f"<h1>Busy</h1><p>{BUSY_CODE} {message}</p>"
            ).encode()
            media = b"text/html; charset=utf-8"
        headers = [
            (b"content-type", media),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(retry).encode()),
            (b"cache-control", b"no-store"),
        ]
        if why == "stopping":
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _Stopping(Exception):
    """Set on a waiting request's future by `Gate.drain`."""


def _replaying(replay: list[Message], receive: Receive) -> Receive:
    """``receive`` that first gives back the messages read while the request waited."""
    pending = list(replay)

    async def wrapped() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return wrapped


class AdmissionMiddleware:
    """The ASGI layer of a `Gate`."""

    def __init__(self, app: ASGIApp, *, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.gate.handle(self.app, scope, receive, send)
