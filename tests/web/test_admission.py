"""The admission gate (`storyline.web.admission`): at most ``limit`` requests run at once, the
others wait first come first served, a full queue or a long wait is answered 503 with
Retry-After at once, a request whose client left while it waited is never run, and draining (on
SIGTERM) answers every waiting request 503 while the running ones finish.

Driven at the ASGI level with an app whose requests finish only when the test says so, so each
test knows exactly what is running and what waits; no timing is asserted.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from storyline.errors import ConfigError
from storyline.web.admission import BUSY_CODE, Gate


class Held:
    """An ASGI app whose request for path ``/n`` answers 200 only once ``release(n)``."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}

    def release(self, path: str) -> None:
        self.gates.setdefault(path, asyncio.Event()).set()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope["path"]
        self.started.append(path)
        message = await receive()
        assert message["type"] == "http.request"  # the body reaches the app, even after a wait
        await self.gates.setdefault(path, asyncio.Event()).wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": message.get("body", b"")})


class Client:
    """One request's ASGI side: its receive (the body, then a disconnect when told) and what
    the server sent back."""

    def __init__(self, path: str, body: bytes = b"") -> None:
        self.scope = {"type": "http", "method": "GET", "path": path, "headers": []}
        self.body = body
        self.sent_body = False
        self.left = asyncio.Event()
        self.messages: list[dict[str, Any]] = []

    async def receive(self) -> dict[str, Any]:
        if not self.sent_body:
            self.sent_body = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        await self.left.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int | None:
        starts = [m for m in self.messages if m["type"] == "http.response.start"]
        return int(starts[0]["status"]) if starts else None

    def header(self, name: bytes) -> bytes | None:
        for m in self.messages:
            if m["type"] == "http.response.start":
                return dict(m["headers"]).get(name)
        return None

    def content(self) -> bytes:
        return b"".join(
            m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"
        )


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def go(gate: Gate, app: Held, client: Client) -> asyncio.Task[None]:
    return asyncio.ensure_future(gate.handle(app, client.scope, client.receive, client.send))


def test_at_most_limit_run_and_the_rest_are_served_in_arrival_order() -> None:
    async def main() -> None:
        gate, app = Gate(limit=2, queue=10, wait_s=60), Held()
        clients = [Client(f"/{i}", body=f"body {i}".encode()) for i in range(6)]
        tasks = []
        for c in clients:
            tasks.append(go(gate, app, c))
            await settle()
        assert app.started == ["/0", "/1"]
        assert (gate.running, gate.waiting) == (2, 4)
        app.release("/1")
        await settle()
        assert app.started == ["/0", "/1", "/2"]
        for i in (0, 2, 3, 4, 5):
            app.release(f"/{i}")
            await settle()
        await asyncio.gather(*tasks)
        assert app.started == [f"/{i}" for i in range(6)]  # first come, first served
        assert [c.status for c in clients] == [200] * 6
        # a request that waited still got its body
        assert [c.content() for c in clients] == [f"body {i}".encode() for i in range(6)]
        assert (gate.running, gate.waiting) == (0, 0)

    asyncio.run(main())


def test_a_full_queue_is_answered_503_with_retry_after_at_once() -> None:
    async def main() -> None:
        gate, app = Gate(limit=1, queue=1, wait_s=60), Held()
        first, second, third = Client("/a"), Client("/b"), Client("/api/v1/search")
        tasks = [go(gate, app, first), go(gate, app, second)]
        await settle()
        await gate.handle(app, third.scope, third.receive, third.send)  # returns at once
        assert third.status == 503
        assert int(third.header(b"retry-after") or 0) >= 1
        error = json.loads(third.content())["error"]
        assert error["code"] == BUSY_CODE and "busy" in error["message"]
        assert app.started == ["/a"]
        app.release("/a")
        app.release("/b")
        await asyncio.gather(*tasks)
        assert (first.status, second.status) == (200, 200)
        assert gate.shed["queue full"] == 1

    asyncio.run(main())


def test_a_request_that_waits_too_long_is_answered_503_and_never_runs() -> None:
    async def main() -> None:
        gate, app = Gate(limit=1, queue=5, wait_s=0.05), Held()
        running, late = Client("/a"), Client("/b")
        task = go(gate, app, running)
        await settle()
        await gate.handle(app, late.scope, late.receive, late.send)
        assert late.status == 503 and b"waited" in late.content()
        assert late.header(b"retry-after")
        assert b"text/html" in (late.header(b"content-type") or b"")  # a page, not JSON
        app.release("/a")
        await task
        assert app.started == ["/a"]
        assert (gate.running, gate.waiting) == (0, 0)  # the slot came back

    asyncio.run(main())


def test_a_client_that_left_while_waiting_is_never_worked_on() -> None:
    async def main() -> None:
        gate, app = Gate(limit=1, queue=5, wait_s=60), Held()
        running, gone, next_one = Client("/a"), Client("/gone"), Client("/c")
        tasks = [go(gate, app, running), go(gate, app, gone), go(gate, app, next_one)]
        await settle()
        gone.left.set()  # the client timed out and closed its connection
        await settle()
        assert tasks[1].done() and gone.status is None  # nobody to answer
        app.release("/a")
        app.release("/c")
        await asyncio.gather(*tasks)
        assert app.started == ["/a", "/c"]
        assert next_one.status == 200

    asyncio.run(main())


def test_draining_answers_the_waiting_503_and_lets_the_running_finish() -> None:
    async def main() -> None:
        gate, app = Gate(limit=1, queue=5, wait_s=60), Held()
        running, waiting, later = Client("/a"), Client("/b"), Client("/c")
        tasks = [go(gate, app, running), go(gate, app, waiting)]
        await settle()
        gate.drain()  # what SIGTERM does
        await settle()
        assert waiting.status == 503 and b"stopping" in waiting.content()
        assert waiting.header(b"connection") == b"close"
        await gate.handle(app, later.scope, later.receive, later.send)
        assert later.status == 503
        app.release("/a")
        await asyncio.gather(*tasks)
        assert running.status == 200
        assert app.started == ["/a"]

    asyncio.run(main())


def test_static_files_and_lifespan_pass_without_a_slot() -> None:
    async def main() -> None:
        gate, app = Gate(limit=1, queue=0, wait_s=60), Held()
        busy, static = Client("/a"), Client("/static/app.css")
        task = go(gate, app, busy)
        await settle()
        static_task = go(gate, app, static)
        await settle()
        assert app.started == ["/a", "/static/app.css"]
        app.release("/a")
        app.release("/static/app.css")
        await asyncio.gather(task, static_task)
        assert static.status == 200

    asyncio.run(main())


def test_the_settings_are_checked() -> None:
    web = {"max_concurrent": 3, "max_queue": 0, "queue_timeout_s": 2.5}
    gate = Gate.from_settings({"web": web})
    assert (gate.limit, gate.queue, gate.wait_s) == (3, 0, 2.5)
    for key, bad in [("max_concurrent", 0), ("max_queue", -1), ("queue_timeout_s", "soon")]:
        with pytest.raises(ConfigError, match=f"web.{key}"):
            Gate.from_settings({"web": {**web, key: bad}})
