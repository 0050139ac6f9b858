"""`storyline quotes`: who said what, from the stored attributed quotes."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from storyline.cli.output import emit_csv, emit_json, fail, open_store, out
from storyline.errors import ConfigError
from storyline.store.quotes import QUOTE_COLUMNS, query_quotes

#: Columns of the CSV export: the quote, then the article it came from.
CSV_COLUMNS = (*QUOTE_COLUMNS, "title", "outlet", "published")


def quote_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(show_lines=False, pad_edge=False)
    for name, width in (("date", 10), ("speaker", 22), ("cue", 10), ("kind", 8), ("article", 10)):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
    table.add_column("quote", ratio=1, min_width=30)
    for r in rows:
        text = r["text"] if len(r["text"]) <= 200 else r["text"][:197] + "..."
        table.add_row(
            (r["published"] or "undated")[:10],
            r["speaker"] or "?",
            r["cue"] or "",
            r["kind"],
            r["article_id"][:10],
            text,
        )
    return table


def register(app: typer.Typer) -> None:
    @app.command("quotes")
    def quotes_cmd(
        ctx: typer.Context,
        by: str = typer.Option(None, "--by", help="Speaker: canonical actor, name or surname"),
        limit: int = typer.Option(50, "--limit", "-n", help="At most this many (0: all)"),
        as_json: bool = typer.Option(False, "--json", help="JSON array on stdout"),
        as_csv: bool = typer.Option(False, "--csv", help="CSV with a header row on stdout"),
    ) -> None:
        """Attributed quotes (direct, indirect, mixed) with their speakers, newest first."""
        if as_json and as_csv:
            fail(ConfigError("choose one of --json and --csv", setting="--json/--csv"))
        with open_store(ctx) as store:
            rows = query_quotes(store.conn, by=by, limit=limit or None)
        if as_json:
            emit_json(rows)
        elif as_csv:
            emit_csv(rows, CSV_COLUMNS)
        elif not rows:
            out.print(f"no quotes by {by!r}" if by else "no quotes stored", markup=False)
        else:
            out.print(quote_table(rows))
