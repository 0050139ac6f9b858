"""The workbench application: pages, the JSON API under /api/v1, the package's static files, and
the layers around them all: the Host check and headers (`storyline.web.security`), then
authentication and the access rules (`storyline.web.auth`), which admit a request only to a
route its role may use.

`create_app` is what `storyline serve` runs and what the tests drive; routes live in
`storyline.web.routes`, one module per area, each a thin layer over `storyline.analysis`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline import config
from storyline.errors import NotFound, QueryError, StorylineError, WebError
from storyline.team import LoginLimiter
from storyline.web import routes
from storyline.web.admission import AdmissionMiddleware, Gate
from storyline.web.auth import RULES, AuthMiddleware
from storyline.web.deps import StoreAccess
from storyline.web.render import STATIC, environment, render
from storyline.web.routes import admin as admin_routes
from storyline.web.routes import auth as auth_routes
from storyline.web.security import SecurityMiddleware, served_hosts

API_PREFIX = "/api/v1"
#: WebError codes and their HTTP status (any other WebError is a 400).
WEB_STATUS = {
    "E902": 403,
    "E952": 403,
    "E953": 403,
    "E960": 401,
    "E961": 401,
    "E954": 429,
    "E973": 403,
}


def status_for(exc: StorylineError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, QueryError):
        return 400
    if isinstance(exc, WebError):
        return WEB_STATUS.get(exc.code, 400)
    return 500


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    """One error shape: ``{"error": {"code", "message"}}`` for the API, a page for people."""
    if _is_api(request):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    heading = {404: "Not found", 400: "Cannot do that", 401: "Sign in first", 403: "Refused",
               429: "Too many attempts"}.get(status, "Error")  # fmt: skip
    return render(
        request,
        "error.html",
        {"title": heading, "heading": heading, "message": f"{code} {message}"},
        status_code=status,
    )


def create_app(
    settings: dict[str, Any] | None = None,
    db: str | None = None,
    *,
    bound_host: str = "127.0.0.1",
) -> FastAPI:
    """The app over the store ``db`` (default: the settings' ``store.db``).

    Every route needs a rule in ``app.state.access_rules`` (a copy of `storyline.web.auth.RULES`;
    a test app may add one for a route of its own), or it is refused to everyone."""
    settings = settings or config.load(None, {})
    db = db or str(settings["store"]["db"])
    app = FastAPI(
        title="storyline API",
        version="1",
        description="Stories, storylines, actors, quotes, events, copies, places and outlets "
        "found in a storyline store. Lists are paged with opaque cursors (`next_cursor`).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.stores = StoreAccess(db, settings)
    app.state.access_rules = dict(RULES)
    app.state.login_limiter = LoginLimiter.from_settings(settings)
    gate = app.state.gate = Gate.from_settings(settings)
    environment()  # fail at start, not on the first page, if templates are missing

    @app.exception_handler(StorylineError)
    async def coded(request: Request, exc: StorylineError) -> Response:
        return error_response(request, status_for(exc), exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = "E404" if exc.status_code == 404 else f"E{exc.status_code}"
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        return error_response(request, 400, "E500", f"invalid parameter: {problems}")

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        response = environment().get_template("api_docs.html").render()
        return Response(response, media_type="text/html")

    for module in (auth_routes, admin_routes, *routes.MODULES):
        app.include_router(module.pages)
        app.include_router(module.api, prefix=API_PREFIX)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.router.add_event_handler("startup", gate.watch_signals)
    app.router.add_event_handler("shutdown", app.state.stores.close)
    hosts = served_hosts(bound_host, settings.get("web", {}).get("allowed_hosts", []))
    app.add_middleware(
        AuthMiddleware,
        web_app=app,
        stores=app.state.stores,
        deny=error_response,
        trusted_proxies=list(settings["web"]["trusted_proxies"]),
    )
    # one slot per request around authentication and the route: `storyline.web.admission`
    app.add_middleware(AdmissionMiddleware, gate=gate)
    app.add_middleware(SecurityMiddleware, hosts=hosts)  # outermost: before any other check
    return app
