"""Who may do what: one declared table of rules, enforced in one place.

`RULES` maps every route (method and path template, as FastAPI declares it) to the least role
allowed it, or `PUBLIC`. `AuthMiddleware` finds the route a request is for, authenticates it
(``Authorization: Bearer`` API token, else the session cookie), and lets it through only when the
rule allows; a route with no rule is refused to everyone (default deny, E953), and
tests/web/test_auth_matrix.py fails for it. Route modules need no decorator: a new route gets its
rule here.

Every state-changing request that gets through is written to the audit log after it has run
(who, from where, which route, the form fields other than secrets, and the status), except the
few routes that audit themselves (`SELF_AUDITED`: login, logout, account changes).

Forwarded headers (X-Forwarded-For, X-Forwarded-Proto) are believed only from the addresses in
``web.trusted_proxies``; the scheme they give decides the cookies' Secure flag and the
same-origin check of `storyline.web.security.check_csrf`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.errors import ConfigError
from storyline.team import audit, session_principal, token_principal
from storyline.team.roles import at_least
from storyline.team.sessions import Principal
from storyline.web.deps import StoreAccess

PUBLIC = "public"
VIEWER, ANALYST, ADMIN = "viewer", "analyst", "admin"
SESSION_COOKIE = "storyline_session"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: (method, path template) -> the least role allowed it. Every route must be here.
RULES: dict[tuple[str, str], str] = {
    # signing in and out, the assets the login page needs
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("GET", "/login/link/{secret}"): PUBLIC,
    ("POST", "/login/link/{secret}"): PUBLIC,
    ("GET", "/static"): PUBLIC,
    ("POST", "/logout"): VIEWER,
    ("GET", "/account"): VIEWER,
    ("POST", "/account/password"): VIEWER,
    ("GET", "/api/v1/me"): VIEWER,
    # administration
    ("GET", "/admin/users"): ADMIN,
    ("POST", "/admin/users/{name}/role"): ADMIN,
    ("POST", "/admin/users/{name}/disable"): ADMIN,
    ("POST", "/admin/users/{name}/enable"): ADMIN,
    ("POST", "/admin/tokens/{token_id}/revoke"): ADMIN,
    ("GET", "/admin/audit"): ADMIN,
    ("GET", "/api/v1/audit"): ADMIN,
    # corrections
    ("POST", "/actors/{name}/merge"): ANALYST,
    ("POST", "/actors/{name}/split"): ANALYST,
    # team work: notes, tags, collections (analysts write; a note's author or an admin edits
    # it, a collection's owner or an admin deletes it: `storyline.team.teamwork`); hiding
    ("POST", "/notes"): ANALYST,
    ("POST", "/notes/{note_id}/edit"): ANALYST,
    ("POST", "/notes/{note_id}/delete"): ANALYST,
    ("POST", "/tags"): ANALYST,
    ("POST", "/tags/remove"): ANALYST,
    ("POST", "/collections"): ANALYST,
    ("POST", "/collections/items"): ANALYST,
    ("POST", "/collections/items/remove"): ANALYST,
    ("POST", "/collections/{name}/delete"): ANALYST,
    ("POST", "/articles/{article_id}/hide"): ANALYST,
    ("POST", "/api/v1/annotations/{kind}/{target}/tags"): ANALYST,
    ("DELETE", "/api/v1/annotations/{kind}/{target}/tags/{tag}"): ANALYST,
    ("POST", "/api/v1/notes"): ANALYST,
    ("PATCH", "/api/v1/notes/{note_id}"): ANALYST,
    ("DELETE", "/api/v1/notes/{note_id}"): ANALYST,
    ("POST", "/api/v1/collections"): ANALYST,
    ("DELETE", "/api/v1/collections/{name}"): ANALYST,
    ("POST", "/api/v1/collections/{name}/items"): ANALYST,
    ("DELETE", "/api/v1/collections/{name}/items/{kind}/{target}"): ANALYST,
    ("POST", "/api/v1/articles/{article_id}/hide"): ANALYST,
    ("GET", "/admin/hidden"): ADMIN,
    ("POST", "/admin/hidden/{article_id}/restore"): ADMIN,
    ("GET", "/api/v1/admin/hidden"): ADMIN,
    ("POST", "/api/v1/admin/hidden/{article_id}/restore"): ADMIN,
    ("GET", "/tags"): VIEWER,
    ("GET", "/tags/{tag}"): VIEWER,
    ("GET", "/collections"): VIEWER,
    ("GET", "/collections/{name}"): VIEWER,
    ("GET", "/api/v1/tags"): VIEWER,
    ("GET", "/api/v1/tags/{tag}"): VIEWER,
    ("GET", "/api/v1/annotations/{kind}/{target}"): VIEWER,
    ("GET", "/api/v1/notes"): VIEWER,
    ("GET", "/api/v1/collections"): VIEWER,
    ("GET", "/api/v1/collections/{name}"): VIEWER,
    # reading
    ("GET", "/api/v1/openapi.json"): VIEWER,
    ("GET", "/api/v1/docs"): VIEWER,
    ("GET", "/"): VIEWER,
    ("GET", "/api/v1/home"): VIEWER,
    ("GET", "/search"): VIEWER,
    ("GET", "/api/v1/search"): VIEWER,
    ("GET", "/articles"): VIEWER,
    ("GET", "/articles/{article_id}"): VIEWER,
    ("GET", "/api/v1/articles"): VIEWER,
    ("GET", "/api/v1/articles/{article_id}"): VIEWER,
    ("GET", "/api/v1/articles/{article_id}/copies"): VIEWER,
    ("GET", "/api/v1/stats"): VIEWER,
    ("GET", "/stories"): VIEWER,
    ("GET", "/stories/{story_id}"): VIEWER,
    ("GET", "/storylines"): VIEWER,
    ("GET", "/storylines/{storyline_id}"): VIEWER,
    ("GET", "/api/v1/stories"): VIEWER,
    ("GET", "/api/v1/stories/{story_id}"): VIEWER,
    ("GET", "/api/v1/storylines"): VIEWER,
    ("GET", "/api/v1/storylines/{storyline_id}"): VIEWER,
    ("GET", "/actors"): VIEWER,
    ("GET", "/actors/corrections"): VIEWER,
    ("GET", "/actors/{name}"): VIEWER,
    ("GET", "/quotes"): VIEWER,
    ("GET", "/events"): VIEWER,
    ("GET", "/api/v1/actors"): VIEWER,
    ("GET", "/api/v1/actors/corrections"): VIEWER,
    ("GET", "/api/v1/actors/{name}"): VIEWER,
    ("GET", "/api/v1/quotes"): VIEWER,
    ("GET", "/api/v1/events"): VIEWER,
    ("GET", "/places"): VIEWER,
    ("GET", "/api/v1/places"): VIEWER,
    ("GET", "/api/v1/places/countries"): VIEWER,
    ("GET", "/outlets"): VIEWER,
    ("GET", "/outlets/{name}"): VIEWER,
    ("GET", "/api/v1/outlets"): VIEWER,
    ("GET", "/api/v1/outlets/{name}"): VIEWER,
}
#: Path prefixes of the team-work routes (their writes audit themselves).
TEAMWORK_PATHS = (
    "/notes", "/tags", "/collections", "/articles/", "/admin/hidden/", "/api/v1/annotations/",
    "/api/v1/notes", "/api/v1/collections", "/api/v1/articles/", "/api/v1/admin/hidden/",
)  # fmt: skip
#: Routes that write their own audit rows (with what only they know: failed logins, the user).
SELF_AUDITED = frozenset(
    {
        "/login",
        "/login/link/{secret}",
        "/logout",
        "/account/password",
        "/admin/users/{name}/role",
        "/admin/users/{name}/disable",
        "/admin/users/{name}/enable",
        "/admin/tokens/{token_id}/revoke",
    }
    # team work: `storyline.team.teamwork` and `.hidden` audit each change in its transaction
    | {t for (m, t) in RULES if m in WRITES and t.startswith(TEAMWORK_PATHS)}
)
#: Audit names for the routes the middleware audits ("POST /path" for any other).
ACTIONS = {"/actors/{name}/merge": "actor.merge", "/actors/{name}/split": "actor.split"}
#: Form fields never written to the audit log.
SECRET_FIELDS = frozenset({"csrf_token", "password", "current_password", "new_password"})


@dataclass(frozen=True)
class RouteEntry:
    methods: frozenset[str]
    template: str
    pattern: re.Pattern[str]


def walk_routes(app: Any) -> Iterator[tuple[frozenset[str], str]]:
    """(methods, path template) of every route of ``app`` in matching order, through included
    routers; a mount (static files) is ("GET", its path)."""

    def walk(routes: list[Any], prefix: str) -> Iterator[tuple[frozenset[str], str]]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif isinstance(route, Mount):
                yield frozenset({"GET", "HEAD"}), prefix + route.path
            elif hasattr(route, "routes"):
                yield from walk(route.routes, prefix + getattr(route, "path", ""))
            elif getattr(route, "methods", None):
                yield frozenset(route.methods), prefix + route.path

    yield from walk(list(app.router.routes), "")


def route_entries(app: Any) -> list[RouteEntry]:
    entries = []
    for methods, template in walk_routes(app):
        if template == "/static":
            pattern = re.compile(r"^/static/.*$")
        else:
            pattern = compile_path(template)[0]
        entries.append(RouteEntry(methods, template, pattern))
    return entries


def rule_for(rules: dict[tuple[str, str], str], method: str, template: str) -> str | None:
    return rules.get(("GET" if method == "HEAD" else method, template))


# -- forwarded headers ----------------------------------------------------------------------------


def _in(address: str, networks: list[Any]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def trusted_networks(values: list[str]) -> list[Any]:
    """The proxies' addresses or networks ("10.0.0.0/8"); a name is refused (E500)."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ConfigError(
                f"web.trusted_proxies: {value!r} is not an IP address or network ({exc})",
                setting="web.trusted_proxies",
            ) from exc
    return networks


def apply_forwarded(scope: Scope, networks: list[Any]) -> str | None:
    """The client's address; when the peer is a trusted proxy, the one it forwarded for (the
    rightmost untrusted X-Forwarded-For entry) and its scheme (X-Forwarded-Proto)."""
    peer = (scope.get("client") or (None, 0))[0]
    if not peer or not networks or not _in(peer, networks):
        return str(peer) if peer else None
    headers = {
        k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []
    }
    chain = [a.strip() for a in headers.get("x-forwarded-for", "").split(",") if a.strip()]
    client = peer
    for address in reversed(chain):
        client = address
        if not _in(address, networks):
            break
    proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    if proto in ("http", "https"):
        scope["scheme"] = proto
    scope["client"] = (client, 0)
    return str(client)


# -- the middleware -------------------------------------------------------------------------------

Deny = Callable[[Request, int, str, str], Response]


class AuthMiddleware:
    """Authenticate, authorise by `RULES`, and audit writes; everything else passes through."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        web_app: Any,
        stores: StoreAccess,
        deny: Deny,
        trusted_proxies: list[str],
    ) -> None:
        self.app = app
        self.web_app = web_app
        self.stores = stores
        self.deny = deny
        self.networks = trusted_networks(trusted_proxies)
        self._entries: list[RouteEntry] = []
        self._entries_key: tuple[int, ...] = ()

    @property
    def rules(self) -> dict[tuple[str, str], str]:
        rules: dict[tuple[str, str], str] = self.web_app.state.access_rules
        return rules

    def match(self, method: str, path: str) -> str | None:
        """The template of the route that will answer, or None (404 or 405 follow)."""
        key = tuple(id(r) for r in self.web_app.router.routes)
        if key != self._entries_key:
            self._entries = route_entries(self.web_app)
            self._entries_key = key
        wanted = "GET" if method == "HEAD" else method
        for entry in self._entries:
            if (wanted in entry.methods or method in entry.methods) and entry.pattern.match(path):
                return entry.template
        return None

    def authenticate(self, scope: Scope, address: str | None) -> tuple[Principal | None, str]:
        headers = dict(scope.get("headers") or [])
        bearer = headers.get(b"authorization", b"").decode("latin-1")
        if bearer:
            scheme, _, token = bearer.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return None, "Authorization header is not 'Bearer <token>'"
            with self.stores.lease() as store:
                return token_principal(store.conn, token.strip(), address)
        secret = Request(scope).cookies.get(SESSION_COOKIE)
        if secret:
            with self.stores.lease() as store:
                return session_principal(store.conn, secret)
        return None, "not signed in"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        address = apply_forwarded(scope, self.networks)
        method = scope["method"]
        template = self.match(method, scope["path"])
        state = scope.setdefault("state", {})
        state["address"] = address
        state["principal"] = None
        if template is None:  # no such route: the router answers 404 or 405
            await self.app(scope, receive, send)
            return
        rule = rule_for(self.rules, method, template)
        if rule is None:
            message = f"no access rule for {method} {template}; refused to everyone"
            await self.deny(Request(scope), 403, "E953", message)(scope, receive, send)
            return
        principal, why = await anyio.to_thread.run_sync(self.authenticate, scope, address)
        state["principal"] = principal
        if rule != PUBLIC and principal is None:
            await self._unauthenticated(scope, why)(scope, receive, send)
            return
        if rule != PUBLIC and principal is not None and not at_least(principal.role, rule):
            message = (
                f"{method} {template} needs the {rule} role; this request has {principal.role}"
            )
            await self.deny(Request(scope), 403, "E952", message)(scope, receive, send)
            return
        if method in WRITES and principal is not None and template not in SELF_AUDITED:
            await self._audited(scope, receive, send, principal, template, address)
            return
        await self.app(scope, receive, send)

    def _unauthenticated(self, scope: Scope, why: str) -> Response:
        request = Request(scope)
        path = scope["path"]
        if path.startswith("/api/"):
            response = self.deny(request, 401, "E960", f"{why}: send Authorization: Bearer <token>")
            response.headers["www-authenticate"] = 'Bearer realm="storyline"'
            return response
        if scope["method"] in ("GET", "HEAD"):
            target = path + ("?" + scope["query_string"].decode("latin-1") if scope.get(
                "query_string") else "")  # fmt: skip
            return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
        return self.deny(request, 401, "E960", f"{why}: sign in first (/login)")

    async def _audited(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        principal: Principal,
        template: str,
        address: str | None,
    ) -> None:
        body = bytearray()
        status = [0]

        async def receive_copy() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(body) < 16384:
                body.extend(message.get("body", b"")[: 16384 - len(body)])
            return message

        async def send_copy(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive_copy, send_copy)
        finally:
            headers = dict(scope.get("headers") or [])
            form = b"x-www-form-urlencoded" in headers.get(b"content-type", b"")
            fields = (
                {k: v[:200] for k, v in parse_qsl(body.decode("utf-8", "replace"))
                 if k not in SECRET_FIELDS}
                if form else {}
            )  # fmt: skip
            code = status[0] or 500
            outcome = "ok" if code < 400 else f"refused {code}"
            action = ACTIONS.get(template, f"{scope['method']} {template}")
            who = principal.who(address)

            def write() -> None:
                with self.stores.lease() as store:
                    audit.record(store.conn, who, action, scope["path"], fields, outcome)

            await anyio.to_thread.run_sync(write)
