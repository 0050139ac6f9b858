"""The admin's pages: accounts (role, disable, enable), every API token (revoke), and the audit
log, with the audit log also as JSON. The rules in `storyline.web.auth` keep them to admins; each
change goes through `storyline.team` and so is audited like the same change from the CLI."""

from __future__ import annotations

import sqlite3
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from storyline.errors import StorylineError
from storyline.team import audit_rows, revoke_token, set_disabled, set_role, tokens, users
from storyline.team.roles import ROLES
from storyline.web.deps import RowId, get_conn
from storyline.web.render import render
from storyline.web.routes.auth import address_of, principal_of
from storyline.web.security import check_csrf

pages = APIRouter()
api = APIRouter(tags=["admin"])


def _users_page(request: Request, conn: sqlite3.Connection, problem: str | None = None,
                status: int = 200) -> Response:  # fmt: skip
    return render(
        request,
        "auth/users.html",
        {"title": "Users", "users": users(conn), "tokens": tokens(conn), "roles": ROLES,
         "problem": problem, "done": request.query_params.get("done")},
        status_code=status,
    )  # fmt: skip


@pages.get("/admin/users", include_in_schema=False)
def users_page(request: Request, conn: sqlite3.Connection = Depends(get_conn)) -> Response:
    return _users_page(request, conn)


def _change(request: Request, conn: sqlite3.Connection, csrf: str, change: Any) -> Response:
    check_csrf(request, csrf)
    who = principal_of(request).who(address_of(request))
    try:
        change(who)
    except StorylineError as exc:
        return _users_page(request, conn, str(exc), status=400)
    return RedirectResponse("/admin/users?done=1", status_code=303)


@pages.post("/admin/users/{name}/role", include_in_schema=False)
def role_form(
    request: Request,
    name: str,
    role: str = Form(""),
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _change(request, conn, csrf_token, lambda who: set_role(conn, name, role, who))


@pages.post("/admin/users/{name}/disable", include_in_schema=False)
def disable_form(
    request: Request,
    name: str,
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _change(request, conn, csrf_token, lambda who: set_disabled(conn, name, True, who))


@pages.post("/admin/users/{name}/enable", include_in_schema=False)
def enable_form(
    request: Request,
    name: str,
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _change(request, conn, csrf_token, lambda who: set_disabled(conn, name, False, who))


@pages.post("/admin/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_form(
    request: Request,
    token_id: RowId,
    csrf_token: str = Form(""),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    return _change(request, conn, csrf_token, lambda who: revoke_token(conn, token_id, who))


@pages.get("/admin/audit", include_in_schema=False)
def audit_page(
    request: Request,
    actor: str | None = None,
    action: str | None = None,
    limit: int = Query(200, ge=1, le=5000),
    conn: sqlite3.Connection = Depends(get_conn),
) -> Response:
    rows = audit_rows(conn, actor=actor or None, action=action or None, limit=limit)
    return render(
        request,
        "auth/audit.html",
        {"title": "Audit log", "rows": rows, "actor": actor or "", "action": action or "",
         "api_url": "/api/v1/audit"},
    )  # fmt: skip


@api.get(
    "/audit",
    response_model=None,
    summary="The audit log (= storyline audit --json)",
    include_in_schema=False,  # until tests/web/test_api.py checks it against its CLI twin
)
def api_audit(
    actor: str | None = Query(None, description="Only this user (or cli:<login>)"),
    action: str | None = Query(None, description="Action prefix: login, user., token., actor."),
    since: str | None = Query(None, description="ISO time, e.g. 2026-01-31"),
    limit: int = Query(100, ge=1, le=5000, description="Rows, newest first"),
    conn: sqlite3.Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Who did what, when, to what, from where, newest first (admins only)."""
    rows = audit_rows(conn, actor=actor, action=action, since=since, limit=limit)
    return {"items": rows}
