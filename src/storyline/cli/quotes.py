"""`storyline quotes`: who said what, from the stored attributed quotes."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from storyline.analysis.actors import match_actor
from storyline.analysis.quotes import QUOTE_KINDS, list_quotes
from storyline.cli.actors import announce, quote_text
from storyline.cli.output import emit_csv, emit_json, fail, open_store, out
from storyline.errors import ConfigError, StorylineError
from storyline.store.quotes import QUOTE_COLUMNS

#: Columns of the CSV export: the quote, its speaker's actor, then the article it came from.
CSV_COLUMNS = (*QUOTE_COLUMNS, "speaker_id", "speaker_name", "title", "outlet", "published",
               "not_before")  # fmt: skip


def date_of(row: dict[str, Any]) -> str:
    """The article's date, its lower bound marked as one, or "undated"."""
    if row.get("published"):
        return str(row["published"])[:10]
    if row.get("not_before"):
        return f"≥ {str(row['not_before'])[:10]}"
    return "undated"


def quote_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    table = Table(show_lines=False, pad_edge=False, title=title, title_justify="left")
    for name, width in (("date", 12), ("speaker", 22), ("cue", 10), ("kind", 8), ("article", 10)):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
    table.add_column("quote", ratio=1, min_width=30)
    for r in rows:
        text = quote_text(r)
        table.add_row(
            date_of(r),
            r["speaker_name"] or r["speaker"] or "?",
            r["cue"] or "",
            r["kind"],
            r["article_id"][:10],
            text if len(text) <= 200 else text[:197] + "...",
        )
    return table


def register(app: typer.Typer) -> None:
    @app.command("quotes")
    def quotes_cmd(
        ctx: typer.Context,
        by: str = typer.Option(
            None, "--by", help="Speaker: actor id, name, alias or any spelling of them"
        ),
        kind: str = typer.Option(None, "--kind", help=f"One of {', '.join(QUOTE_KINDS)}"),
        limit: int = typer.Option(50, "--limit", "-n", help="At most this many (0: all)", min=0),
        as_json: bool = typer.Option(False, "--json", help="JSON array on stdout"),
        as_csv: bool = typer.Option(False, "--csv", help="CSV with a header row on stdout"),
    ) -> None:
        """Attributed quotes (direct, indirect, mixed) with their speakers, newest first.

        Only direct quotes are printed in quotation marks."""
        if as_json and as_csv:
            fail(ConfigError("choose one of --json and --csv", setting="--json/--csv"))
        with open_store(ctx, writes=False) as store:
            try:
                match = match_actor(store.conn, by) if by else None
                if match:
                    announce(match)
                rows = list_quotes(
                    store.conn, actor=match["id"] if match else None, kind=kind,
                    limit=limit or None,
                )  # fmt: skip
            except StorylineError as exc:
                fail(exc)
        if as_json:
            emit_json(rows)
        elif as_csv:
            emit_csv(rows, CSV_COLUMNS)
        elif not rows:
            who = f" by {match['name']} ({match['id']})" if match else ""
            out.print(f"no quotes{who} stored", markup=False)
        else:
            out.print(quote_table(rows))
