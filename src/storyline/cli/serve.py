"""`storyline serve`: the web workbench and JSON API over the same store as the CLI."""

from __future__ import annotations

import typer

from storyline.cli.output import err, fail, state
from storyline.errors import StoreError, WebError
from storyline.store.db import check_store_file


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_cmd(
        ctx: typer.Context,
        host: str = typer.Option(None, "--host", help="Address to listen on (web.host)"),
        port: int = typer.Option(None, "--port", help="Port (web.port)"),
        allow_remote: bool = typer.Option(
            False,
            "--allow-remote",
            help="Listen beyond loopback. There are no accounts yet: anyone who can reach the "
            "port can read the store and correct actors.",
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
        if not is_loopback(host) and not allow_remote:
            fail(
                WebError(
                    f"refusing to listen on {host}: the workbench has no accounts yet, so anyone "
                    "who can reach it could read the store and change actors; use a loopback "
                    "address, or --allow-remote if this network is trusted",
                    code="E900",
                )
            )
        try:  # a read command: never make a store out of a mistyped --db
            check_store_file(state(ctx).db, create=False)
        except StoreError as exc:
            fail(exc)
        shown = f"[{host}]" if ":" in host else host
        err.print(f"storyline workbench on http://{shown}:{port}/ (Ctrl-C stops)", markup=False)
        uvicorn.run(
            create_app(settings, bound_host=host),
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=False,
            server_header=False,
        )
