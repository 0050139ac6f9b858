"""`storyline copies`: who copied whom, what kind of copy, and who had it first."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from storyline.analysis.articles import copies_report
from storyline.cli.output import emit_json, fail, narrow, open_store, out, plural
from storyline.errors import ConfigError, NotFound, QueryError

#: What each kind of link is, in plain words.
KIND_LABELS = {
    "exact": "exact reprint",
    "edited_wire": "edited wire copy",
    "partial": "partial reuse",
}


def summary_line(report: dict[str, Any]) -> str:
    """ "1 article shares text with this one: 1 partial reuse of some paragraphs; the 2 articles
    are 2 independent sources." Partial reuse never merges sources."""
    copies, partial = report["copies_of_reporting"], report["partial_reuse"]
    total = copies + partial
    parts = []
    if copies:
        parts.append(plural(copies, "copy", "copies") + " of the reporting")
    if partial:
        parts.append(plural(partial, "partial reuse", "partial reuses") + " of some paragraphs")
    shares = "shares" if total == 1 else "share"
    shown = "" if report["links_shown"] == total else f" ({report['links_shown']} shown)"
    return (
        f"{plural(total, 'article')} {shares} text with this one{shown}: {', '.join(parts)}; "
        f"the {report['articles_counted']} articles are "
        f"{plural(report['independent_sources'], 'independent source')}"
        + (" (partial reuse does not merge sources)" if partial else "")
    )


def print_report(report: dict[str, Any]) -> None:
    art = report["article"]
    out.print(Text.assemble((art["title"] or "(no title)", "bold"), f" {art['id'][:10]}"))
    if not report["links"]:
        out.print(
            "no copy links: no other stored article shares a paragraph with this one", markup=False
        )
        return
    out.print(summary_line(report), markup=False)
    for link in report["links"]:
        other = report["articles"].get(link["other"], {})
        out.print()
        out.print(
            Text.assemble((KIND_LABELS.get(link["kind"], link["kind"]), "bold"), " — ")
            + Text(link["relation"])
        )
        out.print(
            Text(
                f"  other: {link['other'][:10]} {other.get('outlet') or ''} — "
                f"{other.get('title') or ''}"
            )
        )
        out.print(
            f"  first: {link['first'][:10] if link['first'] != 'unknown' else 'unknown'} "
            f"({link['first_reason']})",
            markup=False,
        )
        n = len(link["shared"])
        out.print(
            f"  shared: {plural(n, 'paragraph')}, {link['score']:.0%} of the longer article",
            markup=False,
        )
        if narrow():
            print_stacked(link)
        else:
            print_side_by_side(link)


def print_side_by_side(link: dict[str, Any]) -> None:
    table = Table(show_lines=True, pad_edge=False)
    table.add_column(f"{link['a'][:10]} ¶", no_wrap=True)
    table.add_column(f"{link['a'][:10]}", overflow="fold")
    table.add_column(f"{link['b'][:10]} ¶", no_wrap=True)
    table.add_column(f"{link['b'][:10]}", overflow="fold")
    table.add_column("Jaccard", no_wrap=True)
    for span in link["shared"]:
        table.add_row(
            str(span["para_a"]),
            Text(span["paragraph_a"]),
            str(span["para_b"]),
            Text(span["paragraph_b"]),
            f"{span['similarity']:.2f}",
        )
    out.print(table)


def print_stacked(link: dict[str, Any]) -> None:
    """The shared paragraphs one under the other, for narrow terminals."""
    for span in link["shared"]:
        where = f"¶{span['para_a']} of {link['a'][:10]} and ¶{span['para_b']} of {link['b'][:10]}"
        out.print(f"  {where} (Jaccard {span['similarity']:.2f}):", markup=False)
        out.print(Text("    " + span["paragraph_a"]))
        if span["paragraph_b"] != span["paragraph_a"]:
            out.print(Text("    " + span["paragraph_b"], style="dim"))


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
        """Copies of an article: who copied whom, shared paragraphs, who had it first.

        The kind of copy (exact reprint, edited wire copy, partial reuse) is shown with the share
        of text, and who had it first with the dates' evidence."""
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
                ConfigError("give an article id (see `storyline list`), or --rebuild", setting="ID")
            )
        with open_store(ctx, writes=False) as store:
            try:
                report = copies_report(store, article_id)
            except (NotFound, QueryError) as exc:
                fail(exc)
        if as_json:
            emit_json(report)
        else:
            print_report(report)
