"""`storyline events`: who did what to whom, where and when, from the stored coded events."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from storyline.analysis.actors import match_actor
from storyline.analysis.events import ROW_COLUMNS, list_events, mode_labels
from storyline.cli.actors import announce
from storyline.cli.output import day_option, emit_csv, emit_json, fail, narrow, open_store, out
from storyline.errors import ConfigError, StorylineError
from storyline.nlp.event_dictionary import PLOVER_TYPES

#: Columns of the CSV export: the event, its resolved actors and modes, then its article.
CSV_COLUMNS = ROW_COLUMNS


def date_label(row: dict[str, Any]) -> str:
    """A date as analysts should read it: bounds and article-date fallbacks are marked."""
    value = row.get("date")
    if not value:
        return "undated"
    if row.get("date_bound"):
        return f"≥ {value}"
    if row.get("date_precision") == "article":
        return f"~{value}"
    return str(value)


def event_lines(rows: list[dict[str, Any]]) -> Group:
    """Events stacked for a narrow terminal: date, type and mode, who → whom, where, article;
    then the evidence, whole."""
    lines: list[Text] = []
    for r in rows:
        modes = ", ".join(mode_labels(r))
        who = " → ".join(
            x for x in (r["source_name"] or r["source"], r["target_name"] or r["target"]) if x
        )
        lines.append(
            Text.assemble(
                f"{date_label(r)}  ",
                (r["type"], "bold"),
                (f" ({modes})" if modes else "", "bold red"),
                f"  {who}" if who else "",
                f"  in {r['place']}" if r["place"] else "",
                (f"  [{r['article_id'][:10]}]", "dim"),
            )
        )
        lines.append(Text("  " + r["evidence"]))
    return Group(*lines)


def event_table(rows: list[dict[str, Any]]) -> RenderableType:
    if narrow():
        return event_lines(rows)
    table = Table(show_lines=False, pad_edge=False)
    # Fixed columns keep their width; the evidence sentence wraps into what is left.
    widths = {
        "date": 11,
        "type": 9,
        "source": 16,
        "target": 16,
        "place": 12,
        "mode": 12,
        "article": 10,
    }
    for name, width in widths.items():
        table.add_column(
            name, no_wrap=True, overflow="ellipsis", min_width=min(width, 8), max_width=width
        )
    table.add_column("evidence", overflow="fold", ratio=1, min_width=30)
    for r in rows:
        evidence = r["evidence"]
        if len(evidence) > 160:
            evidence = evidence[:157] + "..."
        table.add_row(
            date_label(r),
            r["type"],
            r["source_name"] or r["source"] or "",
            r["target_name"] or r["target"] or "",
            r["place"] or "",
            ", ".join(mode_labels(r)),
            r["article_id"][:10],
            evidence,
        )
    return table


def register(app: typer.Typer) -> None:
    @app.command("events")
    def events_cmd(
        ctx: typer.Context,
        actor: str = typer.Option(None, "--actor", help="Source or target actor (any spelling)"),
        types: list[str] = typer.Option(
            None, "--type", help="PLOVER category (AGREE, ASSAULT, ...); repeat for several"
        ),
        since: str = day_option("--since", "From this day (YYYY-MM-DD)"),
        until: str = day_option("--until", "Up to this day (YYYY-MM-DD)"),
        limit: int = typer.Option(50, "--limit", "-n", help="At most this many (0: all)", min=0),
        as_json: bool = typer.Option(False, "--json", help="JSON array on stdout"),
        as_csv: bool = typer.Option(False, "--csv", help="CSV with a header row on stdout"),
    ) -> None:
        """Coded events: who did what to whom, where and when, newest first.

        Each with its evidence and mode (negated, future, hypothetical, intent; reported when
        inside a quote)."""
        if as_json and as_csv:
            fail(ConfigError("choose one of --json and --csv", setting="--json/--csv"))
        wanted = [t.upper() for t in types or []]
        unknown = [t for t in wanted if t not in PLOVER_TYPES]
        if unknown:
            fail(
                ConfigError(
                    f"unknown event type {unknown[0]!r}; valid types: {', '.join(PLOVER_TYPES)}",
                    setting="--type",
                    code="E501",
                )
            )
        with open_store(ctx, writes=False) as store:
            try:
                match = match_actor(store.conn, actor) if actor else None
                if match:
                    announce(match)
                rows = list_events(
                    store.conn, actor=match["id"] if match else None, types=wanted or None,
                    since=since, until=until, limit=limit or None,
                )  # fmt: skip
            except StorylineError as exc:
                fail(exc)
        if as_json:
            emit_json(rows)
        elif as_csv:
            emit_csv(rows, CSV_COLUMNS)
        elif not rows:
            out.print("no events match")
        else:
            out.print(event_table(rows))
