"""`storyline actors` (top actors, merge, split, relink) and `storyline actor NAME` (a profile)."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from storyline.analysis.actors import (
    actor_corrections,
    actor_profile,
    match_actor,
    merge,
    split,
    top_actors,
)
from storyline.cli.output import emit_csv, emit_json, err, fail, open_store, out
from storyline.cli.users import cli_who
from storyline.errors import StorylineError
from storyline.team import audit


def actors_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(box=None, pad_edge=False)
    for name, justify in (
        ("id", "left"),
        ("name", "left"),
        ("type", "left"),
        ("country", "left"),
        ("articles", "right"),
        ("mentions", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=name in ("id", "name"))  # type: ignore[arg-type]
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            r["type"],
            r["country"] or "",
            str(r["articles"]),
            str(r["mentions"]),
        )
    return table


def show_profile(p: dict[str, Any]) -> None:
    where = f", {p['country']}" if p["country"] else ""
    out.print(
        f"[bold]{p['name']}[/] ({p['type']}{where}) id {p['id']}: {p['mentions']} "
        f"mentions in {p['articles']} articles"
    )
    sections: list[tuple[str, list[str], list[dict[str, Any]]]] = [
        ("aliases", ["alias", "rule", "mentions"], p["aliases"]),
        ("roles", ["role", "source", "first", "last", "articles"], p["roles"]),
        ("mentions per month", ["month", "articles", "mentions"], p["months"]),
        ("co-occurring actors", ["name", "type", "articles"], p["co_occurring"]),
    ]
    for title, columns, rows in sections:
        if not rows:
            continue
        table = Table(title=title, title_justify="left", box=None, pad_edge=False)
        for c in columns:
            table.add_column(c)
        for r in rows:
            table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
        out.print(table)
    if p["quotes"]:
        out.print("[bold]quotes[/]")
        for q in p["quotes"]:
            out.print(f"  {q['published'] or 'undated'}  {quote_text(q)}", markup=False)
    if p["events"]:
        out.print("[bold]events[/]")
        for e in p["events"]:
            modes = ", ".join(event_modes(e))
            out.print(
                f"  {e['date'] or 'undated'}  {e['type']}  {e['source_name'] or e['source'] or '?'}"
                f" → {e['target_name'] or e['target'] or '?'}"
                + (f"  [{modes}]" if modes else "")
                + f": {e['evidence']}",
                markup=False,
            )


def quote_text(q: dict[str, Any]) -> str:
    """Only a direct quote is shown in quotation marks; the rest is reported speech."""
    return f"“{q['text']}”" if q["kind"] == "direct" else f"(reported) {q['text']}"


def event_modes(e: dict[str, Any]) -> list[str]:
    from storyline.analysis.events import mode_labels

    return mode_labels(e)


def announce(match: dict[str, Any]) -> None:
    """Say on stderr which actor a name resolved to (stdout stays the data, JSON included)."""
    how = "" if match["by"] == "id" else f", by {match['by']} {match['query']!r}"
    err.print(f"actor: {match['name']} ({match['id']}{how})", markup=False)


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Top actors; merge and split them (corrections survive reprocessing).",
        invoke_without_command=True,
        no_args_is_help=False,
    )

    @group.callback()
    def actors_cmd(
        ctx: typer.Context,
        type_: str = typer.Option(None, "--type", help="person, organisation, place, country"),
        country: str = typer.Option(None, "--country", help="ISO code, e.g. IR"),
        limit: int = typer.Option(20, "--limit", "-n", help="At most this many", min=1),
        as_json: bool = typer.Option(False, "--json", help="JSON array on stdout"),
        as_csv: bool = typer.Option(False, "--csv", help="CSV with a header row on stdout"),
    ) -> None:
        """Actors by the number of articles that mention them."""
        if ctx.invoked_subcommand is not None:
            return
        with open_store(ctx, writes=False) as store:
            rows = top_actors(store.conn, type=type_, country=country, limit=limit)
        if as_json:
            emit_json(rows)
        elif as_csv:
            emit_csv(rows)
        elif not rows:
            out.print("no actors yet (ingest articles first)")
        else:
            out.print(actors_table(rows))

    @group.command("merge")
    def merge_cmd(
        ctx: typer.Context,
        keep: str = typer.Argument(..., help="Actor to keep (id, name or alias)"),
        other: str = typer.Argument(..., help="Actor merged into it"),
        note: str = typer.Option(None, "--note", help="Why: kept in the corrections log"),
    ) -> None:
        """Merge OTHER into KEEP, now and in every later write."""
        with open_store(ctx) as store:
            try:
                done = merge(store.conn, keep, other, note)
            except StorylineError as exc:
                fail(exc)
            audit.record(store.conn, cli_who(), "actor.merge", done["kept"], {**done, "note": note})
        out.print(f"merged {done['merged']} into {done['kept']}", markup=False)

    @group.command("split")
    def split_cmd(
        ctx: typer.Context,
        actor: str = typer.Argument(..., help="Actor (id, name or alias)"),
        alias: str = typer.Argument(..., help="Surface form whose mentions become their own actor"),
        note: str = typer.Option(None, "--note", help="Why: kept in the corrections log"),
    ) -> None:
        """Move the mentions of ACTOR written as ALIAS to a new actor, now and later."""
        with open_store(ctx) as store:
            try:
                done = split(store.conn, actor, alias, note)
            except StorylineError as exc:
                fail(exc)
            audit.record(
                store.conn, cli_who(), "actor.split", done["actor"], {**done, "alias": alias}
            )
        out.print(f"split {alias!r} from {done['actor']} into {done['new']}", markup=False)

    @group.command("corrections")
    def corrections_cmd(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json", help="JSON array on stdout"),
    ) -> None:
        """The log of merges and splits, in the order they are replayed."""
        with open_store(ctx, writes=False) as store:
            rows = actor_corrections(store.conn)
        if as_json:
            emit_json(rows)
            return
        for r in rows:
            out.print(
                f"{r['id']:>4} {r['created_at']} {r['action']:<5} {r['actor_id']} "
                f"{r['other']}" + (f"  ({r['note']})" if r["note"] else ""),
                markup=False,
            )

    @group.command("relink")
    def relink_cmd(ctx: typer.Context) -> None:
        """Recompute every mention's actor from its key and replay the corrections."""
        from storyline.cli.update import rebuild_step

        n = rebuild_step(ctx, "link_actors")["mentions"]
        out.print(f"relinked {n} mentions")

    app.add_typer(group, name="actors")

    @app.command("actor")
    def actor_cmd(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="Actor id, name, alias or a spelling of it"),
        limit: int = typer.Option(
            10, "--limit", "-n", help="Co-occurring actors and quotes to show", min=1
        ),
        as_json: bool = typer.Option(False, "--json", help="The profile as JSON on stdout"),
        as_csv: bool = typer.Option(False, "--csv", help="Mentions per month as CSV"),
    ) -> None:
        """An actor by any spelling: aliases, roles, mentions, co-occurring actors, quotes.

        Each alias comes with the rule that linked it; roles are shown over time and mentions
        per month."""
        with open_store(ctx, writes=False) as store:
            try:
                profile = actor_profile(store.conn, match_actor(store.conn, name)["id"], limit)
            except StorylineError as exc:
                fail(exc)
        if as_json:
            emit_json(profile)
        elif as_csv:
            emit_csv(profile["months"])
        else:
            show_profile(profile)
