"""`storyline users`: the team's accounts and API tokens, managed at the server's terminal.

Thin over `storyline.team`; every change is audited as ``cli:<login>`` from ``local``. A password
is never taken on the command line (it would land in the shell's history): it is generated and
shown once, or read from standard input with ``--password-stdin``.
"""

from __future__ import annotations

import getpass
import os
import secrets
import sys
from typing import Any

import typer

from storyline.cli.output import emit_json, fail, open_store, out, state
from storyline.errors import StorylineError
from storyline.team import (
    Who,
    add_user,
    change_password,
    create_token,
    revoke_token,
    set_disabled,
    set_role,
    tokens,
    users,
)

users_app = typer.Typer(help="Team accounts, roles and API tokens.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts (Authorization: Bearer).",
                        no_args_is_help=True)  # fmt: skip
users_app.add_typer(token_app, name="token")


def cli_who() -> Who:
    """The person at the terminal, as the audit log names them."""
    try:
        login = getpass.getuser()
    except (OSError, KeyError):
        login = f"uid{os.getuid()}"
    return Who(f"cli:{login}", "cli", "local")


def read_password(from_stdin: bool) -> tuple[str, bool]:
    """(password, generated): one line of standard input, or a new random one."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return secrets.token_urlsafe(15), True


def table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        out.print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip(),
                  markup=False)  # fmt: skip


def day(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else "-"


STDIN_HELP = "Read the password from the first line of standard input instead of generating one"


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


@users_app.command("add")
def add_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Login name"),
    role: str = typer.Option("viewer", "--role", help="viewer, analyst or admin"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Add an account; prints its generated password once."""
    store = open_store(ctx)
    password, generated = read_password(password_stdin)
    try:
        user = add_user(store.conn, name, role, password, state(ctx).settings, cli_who())
    except StorylineError as exc:
        fail(exc)
    out.print(f"added {user['name']} ({user['role']})", markup=False)
    if generated:
        out.print(f"password: {password}  (shown once; change it at /account)", markup=False)


@users_app.command("list")
def list_cmd(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table"),
) -> None:
    """List accounts with their roles and state."""
    rows = users(open_store(ctx, writes=False).conn)
    if as_json:
        emit_json(rows)
        return
    table(
        [[u["name"], u["role"], "disabled" if u["disabled"] else "enabled", day(u["created_at"])]
         for u in rows],
        ["name", "role", "state", "created"],
    )  # fmt: skip


def _change(ctx: typer.Context, done: str, change: Any) -> None:
    store = open_store(ctx)
    try:
        change(store.conn)
    except StorylineError as exc:
        fail(exc)
    out.print(done, markup=False)


@users_app.command("set-role")
def set_role_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Login name"),
    role: str = typer.Argument(..., help="viewer, analyst or admin"),
) -> None:
    """Change an account's role (its tokens never act above it)."""
    _change(ctx, f"{name} is now {role.lower()}",
            lambda conn: set_role(conn, name, role, cli_who()))  # fmt: skip


@users_app.command("disable")
def disable_cmd(ctx: typer.Context, name: str = typer.Argument(..., help="Login name")) -> None:
    """Disable an account: its sessions end and its tokens stop working."""
    _change(ctx, f"{name} disabled", lambda conn: set_disabled(conn, name, True, cli_who()))


@users_app.command("enable")
def enable_cmd(ctx: typer.Context, name: str = typer.Argument(..., help="Login name")) -> None:
    """Enable a disabled account again."""
    _change(ctx, f"{name} enabled", lambda conn: set_disabled(conn, name, False, cli_who()))


@users_app.command("reset-password")
def reset_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Login name"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Set a new password (generated unless --password-stdin); ends the account's sessions."""
    store = open_store(ctx)
    password, generated = read_password(password_stdin)
    try:
        ended = change_password(store.conn, name, password, state(ctx).settings, cli_who())
    except StorylineError as exc:
        fail(exc)
    out.print(f"password of {name} changed; {ended} session(s) ended", markup=False)
    if generated:
        out.print(f"password: {password}  (shown once)", markup=False)


@token_app.command("create")
def token_create_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The user the token acts for"),
    role: str = typer.Option(None, "--role", help="At most the user's role (default: theirs)"),
    days: float = typer.Option(None, "--days", help="Days until it expires (team.token_days)"),
    label: str = typer.Option("", "--label", help="What the token is for"),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of text"),
) -> None:
    """Create an API token; prints it once (only its hash is stored)."""
    settings = state(ctx).settings
    store = open_store(ctx)
    try:
        secret, row = create_token(
            store.conn, name, role, float(days or settings["team"]["token_days"]), label,
            cli_who(),
        )  # fmt: skip
    except StorylineError as exc:
        fail(exc)
    if as_json:
        emit_json({**row, "token": secret})
        return
    out.print(f"token {row['id']} for {row['user']} ({row['role']}), expires "
              f"{day(row['expires_at'])}", markup=False)  # fmt: skip
    out.print(secret, markup=False)


@token_app.command("list")
def token_list_cmd(
    ctx: typer.Context,
    name: str = typer.Argument(None, help="Only this user's tokens"),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table"),
) -> None:
    """List API tokens (never their secrets) with their last use."""
    try:
        rows = tokens(open_store(ctx, writes=False).conn, name)
    except StorylineError as exc:
        fail(exc)
    if as_json:
        emit_json(rows)
        return
    table(
        [[str(t["id"]), t["user"], t["role"], t["label"], day(t["expires_at"]),
          day(t["last_used_at"]), "revoked" if t["revoked_at"] else "live"] for t in rows],
        ["id", "user", "role", "label", "expires", "last used", "state"],
    )  # fmt: skip


@token_app.command("revoke")
def token_revoke_cmd(
    ctx: typer.Context, token_id: int = typer.Argument(..., help="Token id (token list)")
) -> None:
    """Revoke an API token at once."""
    _change(ctx, f"token {token_id} revoked",
            lambda conn: revoke_token(conn, token_id, cli_who()))  # fmt: skip
