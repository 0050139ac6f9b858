"""`storyline list`, `show`, `search`, `stats` and `export`: finding articles again."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from storyline.analysis.articles import article_detail, article_facts, find_article, list_articles
from storyline.analysis.search import search_articles
from storyline.article import Article
from storyline.cli.output import (
    day_option,
    emit_json,
    err,
    fail,
    narrow,
    open_store,
    out,
    plural,
    state,
)
from storyline.errors import ConfigError, NotFound, QueryError
from storyline.store import Store
from storyline.store.export import FORMATS, export
from storyline.store.stats import stats


def date_label(published: str | None, not_before: str | None) -> str:
    """The date as analysts should read it: a bound is never shown as a date."""
    if published:
        return published[:10]
    if not_before:
        return f"≥ {not_before}"
    return "undated"


def list_rows(
    store: Store, limit: int, outlet: str | None, language: str | None
) -> list[dict[str, Any]]:
    """The first page of `storyline list` (kept for the demo)."""
    return list_articles(store.conn, limit=limit, outlet=outlet, language=language).items


def article_lines(rows: list[dict[str, Any]], *, snippet: bool = False) -> Group:
    """Articles stacked for a narrow terminal: id, date, outlet and language; the title; the
    snippet with its hits marked."""
    lines: list[Text] = []
    for r in rows:
        facts = "  ".join(
            x
            for x in (
                date_label(r["published"], r["date_not_before"]),
                r["outlet"] or "",
                r["language"] or "",
            )
            if x
        )
        lines.append(Text.assemble((r["id"][:10], "bold"), f"  {facts}"))
        lines.append(Text("  " + (r["title"] or "(no title)")))
        if snippet:
            lines.append(Text("  ") + snippet_text(r["snippet"], r.get("highlights") or []))
    return Group(*lines)


def article_table(rows: list[dict[str, Any]], *, snippet: bool = False) -> RenderableType:
    if narrow() and snippet:
        return article_lines(rows, snippet=snippet)
    table = Table(show_lines=False, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("outlet")
    table.add_column("lang")
    table.add_column("title")
    if snippet:
        table.add_column("snippet")
    for r in rows:
        cells = [
            r["id"][:10],
            date_label(r["published"], r["date_not_before"]),
            r["outlet"] or "",
            r["language"] or "",
            r["title"] or "",
        ]
        texts = [Text(c) for c in cells]  # article text is never markup
        if snippet:
            texts.append(snippet_text(r["snippet"], r.get("highlights") or []))
        table.add_row(*texts)
    return table


def snippet_text(snippet: str, highlights: list[list[int]]) -> Text:
    """A snippet with its hits in bold reverse, as plain text with no markup read from it."""
    text = Text(snippet)
    for start, end in highlights:
        text.stylize("bold reverse", start, end)
    return text


def hit_rows(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Search results as table rows: each original, then its copies marked "copy of"."""
    rows = []
    for item in answer["items"]:
        rows.append(item)
        for copy in item["copies"]:
            kind = {"exact": "exact reprint", "edited_wire": "edited wire copy"}.get(
                copy["kind"], f"{copy['kind']} copy"
            )
            rows.append(copy | {"title": f"↳ {kind}: {copy['title'] or ''}"})
    return rows


def show_article(a: Article) -> None:
    out.print(Text(a.title or "(no title)", style="bold"))
    if a.provenance.get("title") == "lead":
        out.print(Text("(title derived from the lead: the text has no headline)", style="dim"))
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_column("how it was found", style="dim")
    for fact in article_facts(a):
        if fact["field"] != "title":  # printed above the table
            table.add_row(fact["field"], Text(str(fact["value"])), Text(fact["how"] or ""))
    out.print(table)
    if a.problems:
        out.print(Text.assemble(("problems: ", "yellow"), "; ".join(a.problems)))
    out.print()
    out.print(a.text, markup=False)
    if a.removed:
        out.print()
        out.print(f"[bold]removed ({len(a.removed)})[/]")
        for r in a.removed:
            text = r.text if len(r.text) <= 100 else r.text[:97] + "..."
            line = f"line {r.line}" if r.line else ""
            out.print(Text.assemble((f"  {r.reason:<18} {line:<9} ", "dim"), text))


def show_demo(store: Store) -> None:
    """What the demo prints after ingesting: numbers, latest articles, a search."""
    s = stats(store.conn)
    out.print(
        f"[bold]{plural(s['articles'], 'article')}[/] from {plural(len(s['outlets']), 'outlet')} "
        f"in {plural(len(s['languages']), 'language')}; {s['undated']} undated "
        f"({s['bounded']} with a lower bound)."
    )
    out.print(article_table(list_rows(store, 8, None, None)))
    query = "refugees"
    answer = search_articles(store.conn, query, limit=3)
    out.print(Text.assemble("\n", ("search", "bold"), f" {query!r}:"))
    out.print(article_table(hit_rows(answer), snippet=True))
    from storyline.cli.stories import show_demo_stories

    show_demo_stories(store)
    out.print(
        "\nNext: storyline list | storyline show ID | storyline search 'QUERY' | storyline stats"
    )


def register(app: typer.Typer) -> None:
    @app.command("list")
    def list_cmd(
        ctx: typer.Context,
        limit: int = typer.Option(20, "--limit", "-n", help="Articles per page", min=1),
        outlet: str = typer.Option(None, "--outlet", help="Only this outlet (any case)"),
        language: str = typer.Option(None, "--language", help="Only this language code (en)"),
        cursor: str = typer.Option(
            None, "--cursor", help="The next page: the cursor the previous page printed"
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the page's rows as JSON"),
    ) -> None:
        """Latest articles first (undated ones by their lower bound)."""
        with open_store(ctx, writes=False) as store:
            try:
                page = list_articles(
                    store.conn, limit=limit, outlet=outlet, language=language, cursor=cursor
                )
            except QueryError as exc:
                fail(exc)
        if as_json:
            emit_json(page.items)
            return
        out.print(article_table(page.items))
        if page.next_cursor:
            err.print(f"next page: --cursor {page.next_cursor}", markup=False)

    @app.command("show")
    def show_cmd(
        ctx: typer.Context,
        article_id: str = typer.Argument(..., help="Article id or a unique prefix"),
        as_json: bool = typer.Option(
            False, "--json", help="Print the article, its actors' names, story and copies as JSON"
        ),
    ) -> None:
        """An article: metadata with provenance, clean text, and what was removed and why."""
        with open_store(ctx, writes=False) as store:
            try:
                if as_json:
                    emit_json(article_detail(store, article_id))
                else:
                    show_article(find_article(store, article_id))
            except (NotFound, QueryError) as exc:
                fail(exc)

    @app.command("search")
    def search_cmd(
        ctx: typer.Context,
        query: str = typer.Argument(
            "", help='Words, "a phrase", AND / OR / NOT, prefix*; empty to browse a filter'
        ),
        limit: int = typer.Option(
            None, "--limit", "-n", help="Results per page (default: search.limit)", min=1
        ),
        since: str = day_option("--since", "From this day (YYYY-MM-DD)"),
        until: str = day_option("--until", "Up to this day (YYYY-MM-DD)"),
        outlet: str = typer.Option(None, "--outlet", help="Only this outlet"),
        agency: str = typer.Option(None, "--agency", help="Only articles crediting this agency"),
        language: str = typer.Option(None, "--language", help="Only this language code"),
        actor: str = typer.Option(
            None, "--actor", help="Articles mentioning this actor (any spelling, alias or id)"
        ),
        place: str = typer.Option(
            None, "--place", help="Articles naming this place (name, GeoNames id, country code)"
        ),
        story: str = typer.Option(None, "--story", help="Articles of this story (id or prefix)"),
        cursor: str = typer.Option(
            None, "--cursor", help="The next page: the cursor the previous page printed"
        ),
        facets: bool = typer.Option(
            False, "--facets", help="Add counts by month, outlet, actor, place... to the JSON"
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the results as JSON"),
    ) -> None:
        """Full-text search (BM25) with snippets and filters; copies fold under originals."""
        limit = limit or int(state(ctx).settings["search"]["limit"])
        with open_store(ctx, writes=False) as store:
            try:
                answer = search_articles(
                    store.conn,
                    query,
                    limit=limit,
                    since=since,
                    until=until,
                    outlet=outlet,
                    agency=agency,
                    language=language,
                    actor=actor,
                    place=place,
                    story=story,
                    cursor=cursor,
                    facets=facets,
                )
            except (NotFound, QueryError) as exc:
                fail(exc)
        if as_json:
            emit_json(answer)
            return
        for what, found in answer["resolved"].items():
            name = found.get("name") or found.get("title") or found.get("id")
            if found.get("given") != name:
                out.print(f"{what} {found['given']!r} is {name}", markup=False)
        if not answer["items"]:
            out.print(f"no articles match {query!r}", markup=False)
            return
        out.print(article_table(hit_rows(answer), snippet=True))
        if answer["next_cursor"]:
            err.print(f"next page: --cursor {answer['next_cursor']}", markup=False)

    @app.command("stats")
    def stats_cmd(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON"),
    ) -> None:
        """What the store holds: articles by outlet, language, month, agency; failures."""
        with open_store(ctx, writes=False) as store:
            s = stats(store.conn)
        if as_json:
            emit_json(s)
            return
        out.print(
            f"{plural(s['articles'], 'article')}, {s['undated']} undated "
            f"({s['bounded']} with a lower bound), {plural(s['failed_inputs'], 'failed input')}, "
            f"{s['skipped_inputs']} skipped; schema v{s['schema_version']}",
            markup=False,
        )
        for title, key, column in (
            ("outlets", "outlets", "outlet"),
            ("languages", "languages", "language"),
            ("agencies", "agencies", "agency"),
            ("months", "months", "month"),
        ):
            table = Table(title=title, title_justify="left", box=None, pad_edge=False)
            table.add_column(column)
            table.add_column("articles", justify="right")
            for name, n in s[key].items():
                table.add_row(str(name), str(n))
            out.print(table)

    @app.command("export")
    def export_cmd(
        ctx: typer.Context,
        fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl | csv | parquet"),
        output: Path = typer.Option(None, "--output", "-o", help="File (required for parquet)"),
    ) -> None:
        """Export every article (JSON Lines carries all fields and facts)."""
        if fmt not in FORMATS:
            fail(
                ConfigError(
                    f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}",
                    setting="--format",
                    code="E501",
                )
            )
        if fmt == "parquet" and output is None:
            fail(ConfigError("parquet needs --output FILE", setting="--output"))
        with open_store(ctx, writes=False) as store:
            articles = store.iter_articles()
            if fmt == "parquet":
                n = export(articles, fmt, output)
            elif output is None:
                n = export(articles, fmt, sys.stdout)
            else:
                with output.open("w", encoding="utf-8", newline="") as fh:
                    n = export(articles, fmt, fh)
        if output is not None:
            out.print(f"exported {n} articles to {output}", markup=False)
