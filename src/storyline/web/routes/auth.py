"""Signing in and out, one's own account, and the first-run login link.

Each login makes a new session id (a session cookie planted before login is never promoted) and a
new CSRF token; the session cookie is HttpOnly, SameSite=Lax, and Secure whenever the request came
over https (directly or from a trusted proxy). Failed logins count toward `storyline.team.limits`
and are audited with the name that was typed; the message never says whether the name exists.
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from storyline.errors import StorylineError, WebError
from storyline.team import (
    Principal,
    Who,
    authenticate,
    change_password,
    end_session,
    record,
    start_session,
    tokens,
)
from storyline.team.accounts import get_user
from storyline.team.limits import LoginLimiter, recorded_retry_after
from storyline.team.sessions import login_link_usable, use_login_link
from storyline.web.auth import SESSION_COOKIE
from storyline.web.deps import get_conn, settings_of
from storyline.web.render import render
from storyline.web.security import CSRF_COOKIE, check_csrf

pages = APIRouter()
api = APIRouter(tags=["account"])


def principal_of(request: Request) -> Principal:
    """The signed-in principal (the middleware let only signed-in requests reach the route)."""
    principal: Principal | None = request.scope.get("state", {}).get("principal")
    if principal is None:
        raise WebError("not signed in", code="E960")
    return principal


def address_of(request: Request) -> str | None:
    address: str | None = request.scope.get("state", {}).get("address")
    return address


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else (another site, a scheme) goes home."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return "/"
    if any(ord(c) < 0x20 for c in target):
        return "/"
    return target


def signed_in(request: Request, secret: str, target: str) -> Response:
    """Redirect with the new session cookie and a new CSRF token."""
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    hours = float(settings_of(request)["team"]["session_hours"])
    response.set_cookie(
        SESSION_COOKIE, secret, max_age=int(hours * 3600), path="/", httponly=True,
        samesite="lax", secure=secure,
    )  # fmt: skip
    response.set_cookie(
        CSRF_COOKIE, secrets.token_urlsafe(32), path="/", httponly=True, samesite="strict",
        secure=secure,
    )  # fmt: skip
    return response


def _limiter(request: Request) -> LoginLimiter:
    limiter: LoginLimiter = request.app.state.login_limiter
    return limiter


def _login_page(
    request: Request, next_: str, problem: str | None, name: str = "", status: int = 200
) -> Response:
    return render(
        request,
        "auth/login.html",
        {"title": "Sign in", "next": safe_next(next_), "problem": problem, "name": name},
        status_code=status,
    )


@pages.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    return _login_page(request, next, None)


@pages.post("/login", include_in_schema=False)
def login(
    request: Request,
    name: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    check_csrf(request, csrf_token)
    address = address_of(request)
    limiter = _limiter(request)
    typed = name.strip()[:64]
    # this process's memory, and the audit log that every `serve --workers` process writes
    wait = max(
        limiter.retry_after(typed, address), recorded_retry_after(conn, limiter, typed, address)
    )
    if wait > 0:
        record(conn, Who(typed or "?", "anonymous", address), "login.limited", typed)
        response = _login_page(
            request, next,
            f"E954 too many failed logins; try again in {int(wait // 60) + 1} minutes", typed,
            status=429,
        )  # fmt: skip
        response.headers["retry-after"] = str(int(wait) + 1)
        return response
    user = authenticate(conn, typed, password, settings_of(request))
    if user is None:
        limiter.failed(typed, address)
        record(conn, Who(typed or "?", "anonymous", address), "login.failed", typed,
               outcome="refused")  # fmt: skip
        return _login_page(request, next, "E961 wrong name or password", typed, status=401)
    limiter.succeeded(typed)
    old = request.cookies.get(SESSION_COOKIE)
    if old:  # whatever this browser held before is ended, never carried over
        end_session(conn, old, Who(user["name"], "session", address))
    secret = start_session(conn, user, settings_of(request), address)
    return signed_in(request, secret, safe_next(next))


@pages.get("/login/link/{secret}", include_in_schema=False)
def link_page(
    request: Request, secret: str, conn: sqlite3.Connection = Depends(get_conn)
) -> Response:
    usable = login_link_usable(conn, secret)
    return render(
        request,
        "auth/link.html",
        {"title": "Sign in", "usable": usable, "secret": secret},
        status_code=200 if usable else 400,
    )


@pages.post("/login/link/{secret}", include_in_schema=False)
def use_link(
    request: Request,
    secret: str,
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    check_csrf(request, csrf_token)
    user = use_login_link(conn, secret)
    if user is None:
        raise WebError("this login link is unknown, used or expired", code="E962")
    return signed_in(request, start_session(conn, user, settings_of(request), address_of(request),
                                            how="link"), "/account")  # fmt: skip


@pages.post("/logout", include_in_schema=False)
def logout(
    request: Request,
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    check_csrf(request, csrf_token)
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        end_session(conn, secret, principal_of(request).who(address_of(request)))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _account_context(request: Request, conn: sqlite3.Connection) -> dict[str, Any]:
    me = principal_of(request)
    return {
        "title": "Account",
        "me": me,
        "tokens": tokens(conn, me.name),
        "changed": request.query_params.get("changed") == "1",
        "problem": None,
    }


@pages.get("/account", include_in_schema=False)
def account_page(request: Request, conn: sqlite3.Connection = Depends(get_conn)) -> Response:
    return render(request, "auth/account.html", _account_context(request, conn))


@pages.post("/account/password", include_in_schema=False)
def account_password(
    request: Request,
    current_password: str = Form(""),
    new_password: str = Form(""),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    """A new password ends every session of the account, this one included; this browser gets
    a fresh one."""
    check_csrf(request, csrf_token)
    me = principal_of(request)
    settings = settings_of(request)
    who = me.who(address_of(request))
    user: dict[str, Any] | None
    try:
        if me.how == "link":  # signed in by a one-time link: there is no password to know yet
            user = get_user(conn, me.name)
        elif _limiter(request).retry_after(me.name, address_of(request)) > 0:
            raise WebError("too many wrong passwords; try again later", code="E954")
        else:
            user = authenticate(conn, me.name, current_password, settings)
        if user is None:
            _limiter(request).failed(me.name, address_of(request))
            raise WebError("the current password is wrong", code="E964")
        change_password(conn, me.name, new_password, settings, who)
    except StorylineError as exc:
        record(conn, who, "user.password", me.name, {"error": exc.code}, outcome="refused")
        ctx = _account_context(request, conn)
        ctx["problem"] = str(exc)
        return render(request, "auth/account.html", ctx, status_code=400)
    secret = start_session(conn, user, settings, address_of(request), how="password change")
    return signed_in(request, secret, "/account?changed=1")


@api.get("/me", response_model=None, summary="Who this request acts as", include_in_schema=False)
def api_me(request: Request) -> dict[str, Any]:
    """The signed-in user's name, the role this request has (a token's role may be below its
    user's) and how it authenticated (``session`` or ``token:<id>``)."""
    me = principal_of(request)
    return {"name": me.name, "role": me.role, "via": me.via}
