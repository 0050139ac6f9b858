"""`storyline places`: where the articles and events are (resolved places, or countries)."""

from __future__ import annotations

import typer
from rich.table import Table

from storyline.analysis.places import country_counts, list_places
from storyline.cli.output import emit_csv, emit_json, fail, open_store, out
from storyline.errors import ConfigError


def register(app: typer.Typer) -> None:
    @app.command("places")
    def places_cmd(
        ctx: typer.Context,
        country: str = typer.Option(None, "--country", help="ISO alpha-2 code, e.g. IR"),
        kind: str = typer.Option(None, "--kind", help="country, region, city..."),
        by_country: bool = typer.Option(
            False, "--countries", help="Articles, mentions and events per country instead"
        ),
        limit: int = typer.Option(25, "--limit", "-n", help="At most this many (0: all)", min=0),
        as_json: bool = typer.Option(False, "--json", help="JSON array on stdout"),
        as_csv: bool = typer.Option(False, "--csv", help="CSV with a header row on stdout"),
    ) -> None:
        """Resolved places, most articles first, with coordinates and event counts."""
        if as_json and as_csv:
            fail(ConfigError("choose one of --json and --csv", setting="--json/--csv"))
        with open_store(ctx, writes=False) as store:
            if by_country:
                rows = country_counts(store.conn)
            else:
                rows = list_places(store.conn, country=country, kind=kind, limit=limit or None)
        if as_json:
            emit_json(rows)
            return
        if as_csv:
            emit_csv(rows)
            return
        if not rows:
            out.print("no places stored")
            return
        columns = (
            ["name", "country", "articles", "mentions", "events"]
            if by_country
            else ["name", "kind", "country", "articles", "mentions", "events"]
        )
        table = Table(box=None, pad_edge=False)
        for c in columns:
            table.add_column(
                c, justify="right" if c in ("articles", "mentions", "events") else "left"
            )
        for r in rows:
            table.add_row(*(str(r[c]) for c in columns))
        out.print(table)
