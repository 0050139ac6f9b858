"""`storyline serve`: the web workbench and JSON API over the same store as the CLI.

Nobody reads anything without signing in. The first run stays one command: on loopback with no
accounts yet, serve makes an ``admin`` account and prints a one-time login link (as Jupyter
prints its token URL). Listening beyond loopback needs ``--allow-remote`` and at least one
account, made beforehand with `storyline users add`.
"""

from __future__ import annotations

import json
import math
import os
import secrets
from typing import Any

import typer

from storyline.cli.output import err, fail, state
from storyline.cli.users import cli_who
from storyline.errors import StoreError, StorylineError, WebError
from storyline.store.db import check_store_file

FIRST_ADMIN = "admin"
#: How `serve --workers N` hands the loaded settings to its worker processes: a hand-off between
#: processes of one run, not a setting, so it is outside the STORYLINE_ namespace the loader owns.
SERVE_SETTINGS_ENV = "SL_SERVE_WORKER_SETTINGS"


def worker_app() -> Any:
    """The app of one `serve --workers N` process, built from the settings the parent passed."""
    from storyline.web.app import create_app

    passed = json.loads(os.environ[SERVE_SETTINGS_ENV])
    return create_app(passed["settings"], bound_host=passed["bound_host"])


def first_run_link(ctx: typer.Context, base: str) -> str | None:
    """On a store without accounts: make ``admin`` (with a random password nobody is shown)
    and return a one-time login link for it; None when accounts exist."""
    from storyline.store import Store
    from storyline.store.team import count_users
    from storyline.team import add_user
    from storyline.team.sessions import create_login_link

    settings = state(ctx).settings
    store = Store(state(ctx).db, int(settings["store"]["busy_timeout_ms"]), settings)
    try:
        if count_users(store.conn):
            return None
        who = cli_who()
        user = add_user(store.conn, FIRST_ADMIN, "admin", secrets.token_urlsafe(32), settings, who)
        minutes = float(settings["team"]["login_link_minutes"])
        secret = create_login_link(store.conn, user, minutes, who)
        return f"{base}login/link/{secret}"
    finally:
        store.close()


def has_users(ctx: typer.Context) -> bool:
    from storyline.store.db import connect
    from storyline.store.team import count_users

    conn = connect(state(ctx).db, create=False)
    try:
        return count_users(conn) > 0
    finally:
        conn.close()


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        ctx: typer.Context,
        host: str = typer.Option(None, "--host", help="Address to listen on (web.host)"),
        port: int = typer.Option(None, "--port", help="Port (web.port)"),
        allow_remote: bool = typer.Option(
            False,
            "--allow-remote",
            help="Listen beyond loopback (needs accounts: `storyline users add`). Put TLS in "
            "front of it (docs/team.md).",
        ),
        workers: int = typer.Option(
            1,
            "--workers",
            min=1,
            max=64,
            help="Server processes sharing the store (and the port); each runs up to "
            "web.max_concurrent requests. More than one uses more cores (docs/performance.md).",
        ),
    ) -> None:
        """Serve the web workbench and the JSON API (/api/v1) on this store.

        An ingest or `follow` may write to the store at the same time."""
        import uvicorn

        from storyline.web.app import create_app
        from storyline.web.security import is_loopback

        settings = state(ctx).settings
        host = host or str(settings["web"]["host"])
        port = port or int(settings["web"]["port"])
        loopback = is_loopback(host)
        if not loopback and not allow_remote:
            fail(
                WebError(
                    f"refusing to listen on {host}: beyond loopback the workbench is reachable "
                    "by others; use a loopback address, or --allow-remote once the team's "
                    "accounts exist (`storyline users add`) and TLS is in front (docs/team.md)",
                    code="E900",
                )
            )
        try:  # a read command: never make a store out of a mistyped --db
            check_store_file(state(ctx).db, create=False)
        except StoreError as exc:
            fail(exc)
        shown = f"[{host}]" if ":" in host else host
        base = f"http://{shown}:{port}/"
        try:
            if not loopback and not has_users(ctx):
                fail(
                    WebError(
                        f"refusing to listen on {host}: the store has no accounts, so nobody "
                        "could sign in; add an admin first: storyline users add NAME --role admin",
                        code="E963",
                    )
                )
            link = first_run_link(ctx, base) if loopback else None
        except StorylineError as exc:
            fail(exc)
        err.print(f"storyline workbench on {base} (Ctrl-C stops)", markup=False)
        if link:
            err.print(
                f"first run: made account {FIRST_ADMIN!r}; sign in once with this link, then set "
                f"a password at /account:\n    {link}",
                markup=False,
            )
        options: dict[str, Any] = {
            "host": host,
            "port": port,
            "log_level": "warning",
            "proxy_headers": False,
            "server_header": False,
            # after SIGTERM: running requests get this long, then the server stops anyway
            "timeout_graceful_shutdown": max(
                1, math.ceil(float(settings["web"]["shutdown_grace_s"]))
            ),
        }
        if workers > 1:  # each process builds its own app from these settings
            os.environ[SERVE_SETTINGS_ENV] = json.dumps(
                {"settings": settings, "bound_host": host}, default=str
            )
            uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, **options)
        else:
            uvicorn.run(create_app(settings, bound_host=host), **options)
