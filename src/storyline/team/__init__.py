"""A team on one server: accounts with roles, browser sessions, API tokens, the login limit and
the append-only audit log.

The web layer (`storyline.web.auth`) and the CLI (`storyline users`, `storyline audit`) are thin
over these functions; the SQL lives in `storyline.store.team`. Every change to an account or a
token is written to the audit log in the same transaction as the change itself, whoever makes it.
"""

from storyline.team.accounts import (
    add_user,
    authenticate,
    change_password,
    set_disabled,
    set_role,
    users,
)
from storyline.team.audit import Who, audit_rows, record
from storyline.team.limits import LoginLimiter
from storyline.team.roles import ROLES, at_least, check_role
from storyline.team.sessions import Principal, end_session, session_principal, start_session
from storyline.team.tokens import create_token, revoke_token, token_principal, tokens

__all__ = [
    "ROLES",
    "LoginLimiter",
    "Principal",
    "Who",
    "add_user",
    "at_least",
    "audit_rows",
    "authenticate",
    "change_password",
    "check_role",
    "create_token",
    "end_session",
    "record",
    "revoke_token",
    "session_principal",
    "set_disabled",
    "set_role",
    "start_session",
    "token_principal",
    "tokens",
    "users",
]
