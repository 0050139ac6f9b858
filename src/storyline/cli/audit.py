"""`storyline audit`: read the append-only audit log (newest first)."""

from __future__ import annotations

import typer

from storyline.cli.output import emit_json, open_store, out
from storyline.team import audit_rows


def register(app: typer.Typer) -> None:
    @app.command("audit")
    def audit_cmd(
        ctx: typer.Context,
        user: str = typer.Option(None, "--user", help="Only what this user (or cli:LOGIN) did"),
        action: str = typer.Option(None, "--action", help="Action prefix: login, user., token."),
        since: str = typer.Option(None, "--since", help="From this ISO date or time on"),
        limit: int = typer.Option(50, "--limit", help="Rows, newest first"),
        as_json: bool = typer.Option(False, "--json", help="JSON instead of lines"),
    ) -> None:
        """Who did what, when, to what and from where: sign-ins, account and token changes."""
        conn = open_store(ctx, writes=False).conn
        rows = audit_rows(conn, actor=user, action=action, since=since, limit=limit)
        if as_json:
            emit_json(rows)
            return
        for r in rows:
            detail = " ".join(f"{k}={v}" for k, v in r["detail"].items())
            line = (
                f"{r['at'][:19].replace('T', ' ')}  {r['actor']} ({r['via']}, "
                f"{r['address'] or '-'})  {r['action']} {r['target'] or ''}"
            ).rstrip()
            if detail:
                line += f"  {detail}"
            if r["outcome"] != "ok":
                line += f"  [{r['outcome']}]"
            out.print(line, markup=False)
