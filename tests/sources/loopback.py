"""A programmable HTTP server on 127.0.0.1 for the fetcher's tests: no traffic leaves the machine.

    with Loopback() as server:
        server.route("/feed.xml", b"<rss/>", headers={"content-type": "application/rss+xml"})
        server.handler("/slow", lambda h: ...)    # write the raw response yourself
        fetcher.fetch(server.url("/feed.xml"))
        server.hits                                 # every request path, in order

Handlers that stream (endless, trickling) stop when the client goes away or after ``limit`` s, so
the server always shuts down.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[BaseHTTPRequestHandler], None]


class Loopback:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.hits: list[str] = []
        self.requests: list[dict[str, str]] = []  # each request's headers (lower-case names)
        self.lock = threading.Lock()
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with owner.lock:
                    owner.hits.append(self.path)
                    owner.requests.append({k.lower(): v for k, v in self.headers.items()})
                route = owner.routes.get(self.path) or owner.routes.get(self.path.split("?")[0])
                if route is None:
                    route = Route(b"not found", 404)
                if isinstance(route, Route):
                    self.send_response(route.status)
                    headers = {"content-length": str(len(route.body)), **route.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    try:
                        self.wfile.write(route.body)
                    except OSError:
                        pass
                else:
                    try:
                        route(self)
                    except OSError:
                        pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.host = host
        self.server = ThreadingHTTPServer((host, 0), _Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Loopback:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(
        self, path: str, body: bytes = b"", status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        self.routes[path] = Route(body, status, headers or {})

    def handler(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler


def stream(
    chunk: bytes, every: float, limit: float = 5.0, headers: dict[str, str] | None = None
) -> Handler:
    """A handler that sends ``chunk`` every ``every`` seconds until the client leaves (or
    ``limit`` seconds pass): endless when ``every`` is 0, trickling otherwise."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        for name, value in (headers or {"content-type": "text/html"}).items():
            h.send_header(name, value)
        h.send_header("connection", "close")
        h.end_headers()
        end = time.monotonic() + limit
        while time.monotonic() < end:
            h.wfile.write(chunk)
            h.wfile.flush()
            if every:
                time.sleep(every)

    return handle
