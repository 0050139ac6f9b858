"""`storyline copies`: who copied whom, what kind of copy, and who had it first."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from storyline.analysis.articles import copies_report
from storyline.cli.output import emit_json, fail, open_store, out
from storyline.errors import ConfigError, NotFound, QueryError


def print_report(report: dict[str, Any]) -> None:
    art = report["article"]
    out.print(f"[bold]{art['title'] or '(no title)'}[/] {art['id'][:10]}", highlight=False)
    if not report["links"]:
        out.print(
            "no copy links: no other stored article shares a paragraph with this one", markup=False
        )
        return
    out.print(
        f"{len(report['links'])} copy link(s); {report['articles_counted']} articles "
        f"count as {report['independent_sources']} independent source(s)",
        markup=False,
    )
    for link in report["links"]:
        other = report["articles"].get(link["other"], {})
        out.print()
        out.print(f"[bold]{link['kind']}[/] — {link['relation']}", highlight=False)
        out.print(
            f"  other: {link['other'][:10]} {other.get('outlet') or ''} — "
            f"{other.get('title') or ''}",
            markup=False,
        )
        out.print(
            f"  first: {link['first'][:10] if link['first'] != 'unknown' else 'unknown'} "
            f"({link['first_reason']})",
            markup=False,
        )
        out.print(f"  share of paragraphs: {link['score']:.2f}", markup=False)
        table = Table(show_lines=True, pad_edge=False)
        table.add_column(f"{link['a'][:10]} ¶", no_wrap=True)
        table.add_column(f"{link['a'][:10]}", overflow="fold")
        table.add_column(f"{link['b'][:10]} ¶", no_wrap=True)
        table.add_column(f"{link['b'][:10]}", overflow="fold")
        table.add_column("Jaccard", no_wrap=True)
        for span in link["shared"]:
            table.add_row(
                str(span["para_a"]),
                span["paragraph_a"],
                str(span["para_b"]),
                span["paragraph_b"],
                f"{span['similarity']:.2f}",
            )
        out.print(table)


def register(app: typer.Typer) -> None:
    @app.command("copies")
    def copies_cmd(
        ctx: typer.Context,
        article_id: str = typer.Argument(None, help="Article id or unique id prefix"),
        as_json: bool = typer.Option(False, "--json", help="Print the links as JSON"),
        rebuild: bool = typer.Option(
            False, "--rebuild", help="Recompute every copy link from the stored articles"
        ),
    ) -> None:
        """Copies of an article: who copied whom, the kind of copy, the shared paragraphs
        side by side, and who had it first (by date, with the evidence)."""
        store = open_store(ctx)
        try:
            if rebuild:
                from storyline.cli.update import rebuild_step

                count = rebuild_step(ctx, "find_copies")["links"]
                if as_json:
                    emit_json({"links": count})
                else:
                    out.print(f"rebuilt copy links: {count}", markup=False)
                if not article_id:
                    return
            if not article_id:
                fail(
                    ConfigError(
                        "give an article id (see `storyline list`), or --rebuild", setting="ID"
                    )
                )
            try:
                report = copies_report(store, article_id)
            except (NotFound, QueryError) as exc:
                fail(exc)
            if as_json:
                emit_json(report)
            else:
                print_report(report)
        finally:
            store.close()
