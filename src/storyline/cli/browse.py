"""`storyline list`, `show`, `search`, `stats` and `export`: finding articles again."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from storyline.article import Article
from storyline.cli.output import emit_json, fail, open_store, out, state
from storyline.errors import ConfigError, NotFound, QueryError
from storyline.store import Store
from storyline.store.export import FORMATS, export
from storyline.store.search import search
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
    where, params = [], []
    if outlet:
        where.append("outlet = ? COLLATE NOCASE")
        params.append(outlet)
    if language:
        where.append("language = ?")
        params.append(language)
    sql = (
        "SELECT id, title, outlet, published, b.not_before AS date_not_before, language "
        "FROM articles a JOIN article_bounds b ON b.article_id = a.id "
        + (f"WHERE {' AND '.join(where)} " if where else "")
        + "ORDER BY COALESCE(substr(published,1,10), b.not_before, '') DESC, id LIMIT ?"
    )
    return [dict(r) for r in store.conn.execute(sql, [*params, limit])]


def article_table(rows: list[dict[str, Any]], *, snippet: bool = False) -> Table:
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
        if snippet:
            cells.append(r["snippet"])
        table.add_row(*(Text(c) for c in cells))  # article text is never markup
    return table


def show_article(a: Article) -> None:
    out.print(Text(a.title or "(no title)", style="bold"))
    prov = a.provenance
    facts = [
        ("id", a.id, None),
        ("outlet", a.outlet, prov.get("outlet")),
        ("url", a.url, prov.get("url")),
        ("published", a.published and f"{a.published} ({a.date_precision})", a.date_source),
        (
            "not before",
            a.date_not_before,
            a.date_bound_evidence and f"bound from: {a.date_bound_evidence}",
        ),
        ("byline", a.byline, prov.get("byline")),
        ("agencies", ", ".join(a.agencies), prov.get("agencies")),
        ("dateline", a.dateline, prov.get("dateline")),
        ("language", a.language and f"{a.language} ({a.language_score})", prov.get("language")),
        ("source", a.source + (f" #{a.record}" if a.record is not None else ""), None),
    ]
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_column("how it was found", style="dim")
    for name, value, how in facts:
        if value:
            table.add_row(name, Text(str(value)), Text(how or ""))
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
        f"[bold]{s['articles']} articles[/] from {len(s['outlets'])} outlets in "
        f"{len(s['languages'])} languages; {s['undated']} undated "
        f"({s['bounded']} with a lower bound)."
    )
    out.print(article_table(list_rows(store, 8, None, None)))
    query = "refugees"
    hits = search(store.conn, query, limit=3)
    out.print(Text.assemble("\n", ("search", "bold"), f" {query!r}:"))
    out.print(article_table([h.as_dict() | {"snippet": h.snippet} for h in hits], snippet=True))
    from storyline.cli.stories import show_demo_stories

    show_demo_stories(store)
    out.print(
        "\nNext: storyline list | storyline show ID | storyline search 'QUERY' | storyline stats"
    )


def register(app: typer.Typer) -> None:
    @app.command("list")
    def list_cmd(
        ctx: typer.Context,
        limit: int = typer.Option(20, "--limit", "-n"),
        outlet: str = typer.Option(None, "--outlet"),
        language: str = typer.Option(None, "--language"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Latest articles first (undated ones by their lower bound)."""
        with open_store(ctx) as store:
            rows = list_rows(store, limit, outlet, language)
        if as_json:
            emit_json(rows)
        else:
            out.print(article_table(rows))

    @app.command("show")
    def show_cmd(
        ctx: typer.Context,
        article_id: str = typer.Argument(..., help="Article id or a unique prefix"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """An article: metadata with provenance, clean text, and what was removed and why."""
        with open_store(ctx) as store:
            article = store.get(article_id)
        if article is None:
            fail(NotFound(article_id, f"no article with id {article_id!r} (see `storyline list`)"))
        if as_json:
            emit_json(article.as_dict())
        else:
            show_article(article)

    @app.command("search")
    def search_cmd(
        ctx: typer.Context,
        query: str = typer.Argument(..., help='Words, "a phrase", AND / OR / NOT, prefix*'),
        limit: int = typer.Option(None, "--limit", "-n", help="Hits to show (search.limit)"),
        since: str = typer.Option(None, "--since", help="YYYY-MM-DD"),
        until: str = typer.Option(None, "--until", help="YYYY-MM-DD"),
        outlet: str = typer.Option(None, "--outlet"),
        agency: str = typer.Option(None, "--agency"),
        language: str = typer.Option(None, "--language"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Full-text search (BM25) with snippets and filters."""
        limit = limit or int(state(ctx).settings["search"]["limit"])
        with open_store(ctx) as store:
            try:
                hits = search(
                    store.conn,
                    query,
                    limit=limit,
                    since=since,
                    until=until,
                    outlet=outlet,
                    agency=agency,
                    language=language,
                )
            except QueryError as exc:
                fail(exc)
        if as_json:
            emit_json([h.as_dict() for h in hits])
        elif not hits:
            out.print(f"no articles match {query!r}", markup=False)
        else:
            out.print(
                article_table([h.as_dict() | {"snippet": h.snippet} for h in hits], snippet=True)
            )

    @app.command("stats")
    def stats_cmd(ctx: typer.Context, as_json: bool = typer.Option(False, "--json")) -> None:
        """What the store holds: articles by outlet, language, month, agency; failures."""
        with open_store(ctx) as store:
            s = stats(store.conn)
        if as_json:
            emit_json(s)
            return
        out.print(
            f"[bold]{s['articles']}[/] articles, {s['undated']} undated "
            f"({s['bounded']} with a lower bound), {s['failed_inputs']} failed inputs, "
            f"{s['skipped_inputs']} skipped; schema v{s['schema_version']}"
        )
        for title, key in (
            ("outlets", "outlets"),
            ("languages", "languages"),
            ("agencies", "agencies"),
            ("months", "months"),
        ):
            table = Table(title=title, title_justify="left", box=None, pad_edge=False)
            table.add_column(title[:-1])
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
        with open_store(ctx) as store:
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
