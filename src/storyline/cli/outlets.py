"""`storyline outlets` and `storyline outlet NAME`: volume, languages, agencies, who copies whom."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from storyline.analysis.outlets import list_outlets, outlet_profile
from storyline.cli.output import emit_csv, emit_json, fail, open_store, out
from storyline.errors import ConfigError, StorylineError


def _relations(title: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    out.print(f"[bold]{title}[/]")
    for r in rows:
        pairs = f"{r['pairs']} article pair" + ("" if r["pairs"] == 1 else "s")
        outlet = r["outlet"] or "(no known outlet)"
        span = f", {_span(r.get('first'), r.get('last'))}" if r.get("first") else ""
        out.print(f"  {outlet}: {r['kind'].replace('_', ' ')}, {pairs}{span}", markup=False)


def _span(first: str | None, last: str | None) -> str:
    """The days text passed between two outlets: one day, or the first and the last."""
    return str(first) if first == last or not last else f"{first} to {last}"


def register(app: typer.Typer) -> None:
    @app.command("outlets")
    def outlets_cmd(
        ctx: typer.Context,
        limit: int = typer.Option(50, "--limit", "-n", help="At most this many (0: all)", min=0),
        as_json: bool = typer.Option(False, "--json", help="JSON array on stdout"),
        as_csv: bool = typer.Option(False, "--csv", help="CSV with a header row on stdout"),
    ) -> None:
        """Outlets by article count, with their first and last dates and languages."""
        if as_json and as_csv:
            fail(ConfigError("choose one of --json and --csv", setting="--json/--csv"))
        with open_store(ctx, writes=False) as store:
            rows = list_outlets(store.conn, limit=limit or None)
        if as_json:
            emit_json(rows)
        elif as_csv:
            emit_csv([{**r, "languages": " ".join(r["languages"])} for r in rows])
        elif not rows:
            out.print("no outlets yet (ingest articles first)")
        else:
            table = Table(box=None, pad_edge=False)
            for c in ("outlet", "articles", "undated", "first", "last", "languages"):
                table.add_column(c, justify="right" if c in ("articles", "undated") else "left")
            for r in rows:
                table.add_row(
                    r["outlet"], str(r["articles"]), str(r["undated"]), r["first"] or "",
                    r["last"] or "", ", ".join(r["languages"]),
                )  # fmt: skip
            out.print(table)

    @app.command("outlet")
    def outlet_cmd(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="Outlet name (any case)"),
        as_json: bool = typer.Option(False, "--json", help="The profile as JSON on stdout"),
    ) -> None:
        """One outlet: articles per week, languages, agencies, and who copies whom."""
        with open_store(ctx, writes=False) as store:
            try:
                p = outlet_profile(store.conn, name)
            except StorylineError as exc:
                fail(exc)
        if as_json:
            emit_json(p)
            return
        span = f", {p['first']} → {p['last']}" if p["first"] else ""
        undated = f"; {p['undated']} undated" if p["undated"] else ""
        plural = "" if p["articles"] == 1 else "s"
        out.print(f"[bold]{p['outlet']}[/]: {p['articles']} article{plural}{span}{undated}")
        out.print(
            "languages: " + ", ".join(f"{x['language']} ({x['articles']})" for x in p["languages"]),
            markup=False,
        )
        if p["agencies"]:
            out.print(
                "agencies: " + ", ".join(f"{a['agency']} ({a['articles']})" for a in p["agencies"]),
                markup=False,
            )
        _relations("copies (had the text first)", p["copies"])
        _relations("copied by (published its text later)", p["copied_by"])
        _relations("same text, order unknown", p["shares_text"])
        _relations("partial reuse (not the same report)", p["partial"])
