"""What keeps a workbench that renders text from the whole internet safe to open.

- Every response carries a strict Content-Security-Policy (scripts only from our origin, no inline
  script, no eval: charts use Vega's expression interpreter), nosniff, frame-ancestors 'none' and
  a Referrer-Policy, so a payload that slipped past escaping still cannot run or leak.
- The Host header must name a host we serve: a loopback server is reachable from any page the
  analyst opens, and DNS rebinding would otherwise let such a page read the API (E901).
- State changes only on POST with a CSRF token (double submit: a SameSite=Strict cookie and a form
  field that must match) and, when the browser sends one, a same-origin Origin header (E902).
  Login, logout and every account form check it too (login CSRF included).
- Who may do what is `storyline.web.auth`'s: this module knows nothing of accounts.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, Iterable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.errors import WebError

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
CSRF_COOKIE = "storyline_csrf"
CSRF_FIELD = "csrf_token"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    """True for names and addresses that never leave this machine."""
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def served_hosts(bound: str, extra: Iterable[str]) -> set[str]:
    """Host names (without port) the server answers to."""
    hosts = {h.lower() for h in (*LOOPBACK_NAMES, *extra)}
    if bound not in ("0.0.0.0", "::", ""):
        hosts.add(bound.lower())
        hosts.add(f"[{bound.lower()}]" if ":" in bound else bound.lower())
    return hosts


def host_of(header: str) -> str:
    """The host part of a Host header, without the port ("[::1]:8000" → "[::1]"); "" for a
    header that is not a host with an optional numeric port ("[::1].evil.example")."""
    header = header.strip().lower()
    if header.startswith("["):
        address, _, rest = header.partition("]")
        if rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return ""
        return address + "]"
    host, colon, port = header.rpartition(":") if header.count(":") == 1 else (header, "", "")
    if colon and not port.isdigit():
        return ""
    return host


class SecurityMiddleware:
    """Pure ASGI (no body buffering): refuse unknown hosts, then add the headers to every
    response, streamed ones and errors included."""

    def __init__(self, app: ASGIApp, hosts: set[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = host_of(headers.get(b"host", b"").decode("latin-1"))
        if host not in self.hosts:
            error = WebError(
                f"Host {host!r} is not served here; add it to web.allowed_hosts if it is yours",
                code="E901",
            )
            response: Response = PlainTextResponse(f"error: {error}", status_code=400)
            await self._secured(response)(scope, receive, send)
            return

        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                raw = list(message.get("headers", []))
                present = {k.lower() for k, _ in raw}
                for name, value in HEADERS.items():
                    if name.encode() not in present:
                        raw.append((name.encode(), value.encode()))
                message["headers"] = raw
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception:
            # Starlette's last-resort handler sits outside this middleware: answer the 500
            # here, with the headers, then let the error reach the server's log.
            if started:
                raise
            failure = PlainTextResponse(
                "error: E500 internal error (see the server log)", status_code=500
            )
            await self._secured(failure)(scope, receive, send)
            raise

    @staticmethod
    def _secured(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers[name] = value
        return response


def csrf_token(request: Request) -> str:
    """The CSRF token for this browser: its cookie's value, or a new one that the response
    middleware will set (`remember_csrf`)."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) != 43:
        token = getattr(request.state, "csrf_new", None) or secrets.token_urlsafe(32)
        request.state.csrf_new = token
    return token


def remember_csrf(request: Request, response: Response) -> None:
    new = getattr(request.state, "csrf_new", None)
    if new:
        response.set_cookie(
            CSRF_COOKIE, new, httponly=True, samesite="strict", path="/",
            secure=request.url.scheme == "https",
        )  # fmt: skip


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a state-changing request that did not come from our own form (E902)."""
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    if not submitted or not cookie or not hmac.compare_digest(cookie, submitted):
        raise WebError("form has no valid CSRF token; reload the page and try again", code="E902")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin.lower() != expected.lower():
            raise WebError(f"form posted from another origin ({origin}); refused", code="E902")


CsrfHook = Callable[[Request], Awaitable[None]]
