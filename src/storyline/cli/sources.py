"""`storyline sources`: follow feeds, sitemaps and pages, see their health, import and export
OPML. Thin wrappers over `storyline.follow` and `storyline.store.followed` (docs/sources.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from storyline.cli.output import emit_json, fail, open_store, out
from storyline.cli.users import cli_who
from storyline.errors import StorylineError
from storyline.follow import add_sources, export_opml, import_opml, parse_every
from storyline.store import followed as db
from storyline.team import audit

sources_app = typer.Typer(
    help="Feeds, sitemaps and pages to follow (see `storyline follow`).",
    no_args_is_help=True,
)


def every_text(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def when(stamp: str | None) -> str:
    """A stored time as ``YYYY-MM-DD HH:MM`` (UTC), ``-`` when none."""
    if not stamp or stamp >= db.NEVER:
        return "-"
    return stamp[:16].replace("T", " ")


def health(source: dict[str, Any]) -> str:
    if source["last_fetch"] is None:
        return "-"
    if source["last_error"]:
        return "error"
    if source["last_status"] is None:
        return "file" if source["url"].startswith("file:") else "ok"
    return str(source["last_status"])


def table(rows: list[list[str]], header: list[str]) -> list[str]:
    """Plain columns, two spaces apart, left-aligned (no wrapping: exact output in tests)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]


def source_json(source: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "id",
        "name",
        "url",
        "kind",
        "content",
        "every_s",
        "tags",
        "ignore_robots",
        "added_at",
        "last_fetch",
        "last_status",
        "last_new",
        "errors_in_row",
        "last_error",
        "next_due",
        "items",
        "queued",
        "stored",
        "failed",
    )
    return {k: source.get(k) for k in keys if k in source}


def print_sources(sources: list[dict[str, Any]]) -> None:
    if not sources:
        out.print("no sources followed (add one: storyline sources add URL)", markup=False)
        return
    header = ["id", "name", "kind", "every", "last fetch", "status", "new", "errors"]
    header += ["queued", "failed", "next due", "url"]
    rows = [
        [
            str(s["id"]),
            (s["name"] or "-")[:30],
            s["kind"],
            every_text(s["every_s"]),
            when(s["last_fetch"]),
            health(s),
            str(s["last_new"]),
            str(s["errors_in_row"]),
            str(s["queued"]),
            str(s["failed"]),
            when(s["next_due"]),
            s["url"],
        ]
        for s in sources
    ]
    for line in table(rows, header):
        out.print(line, markup=False)
    for s in sources:
        if s["last_error"]:
            out.print(f"source {s['id']}: {s['last_error']}", markup=False)


def print_source(source: dict[str, Any], items: list[dict[str, Any]]) -> None:
    lines = [
        ("id", str(source["id"])),
        ("name", source["name"] or "-"),
        ("url", source["url"]),
        ("kind", source["kind"]),
        ("content", source["content"]),
        ("every", every_text(source["every_s"])),
        ("tags", ", ".join(source["tags"]) or "-"),
        ("robots", "ignored" if source["ignore_robots"] else "obeyed"),
        ("added", when(source["added_at"])),
        ("last fetch", when(source["last_fetch"])),
        ("status", health(source)),
        ("new items", str(source["last_new"])),
        ("errors in a row", str(source["errors_in_row"])),
        ("last error", source["last_error"] or "-"),
        ("next due", when(source["next_due"])),
        ("etag", source["etag"] or "-"),
        ("last modified", source["last_modified"] or "-"),
    ]
    for label, value in lines:
        out.print(f"{label + ':':<17}{value}", markup=False)
    if not items:
        out.print("no items yet", markup=False)
        return
    out.print(f"recent items ({len(items)}):", markup=False)
    rows = [[i["state"], when(i["found_at"]), i["url"], (i["reason"] or "")[:120]] for i in items]
    for line in table(rows, ["state", "found", "url", "reason"]):
        out.print("  " + line, markup=False)


def show(ctx: typer.Context, ident: str, limit: int) -> tuple[dict[str, Any], list[Any]]:
    with open_store(ctx) as store:
        try:
            source = find(store.conn, ident)
        except StorylineError as exc:
            fail(exc)
        counts = {s["id"]: s for s in db.list_sources(store.conn, hidden=True)}[source["id"]]
        return {**source, **counts}, db.source_items(store.conn, source["id"], limit)


def find(conn: Any, ident: str) -> dict[str, Any]:
    """A source by id, name or URL (as typed: it is canonicalised first)."""
    from storyline.sources.urls import canonical_url

    try:
        return db.get_source(conn, ident)
    except StorylineError:
        return db.get_source(conn, canonical_url(ident))


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")

    @sources_app.command("add")
    def add_cmd(
        ctx: typer.Context,
        targets: list[str] = typer.Argument(
            ..., help="http(s) URLs, OPML files, local feed or sitemap files, or folders of them"
        ),
        name: str | None = typer.Option(None, "--name", help="A name to show (one target)"),
        every: str = typer.Option("15m", "--every", help="Poll interval: 90s, 15m, 2h, 1d"),
        tags: list[str] = typer.Option(None, "--tag", help="A tag (repeat for several)"),
        kind: str = typer.Option("auto", "--kind", help="auto, feed, sitemap or page"),
        content: str = typer.Option(
            "page", "--content", help="page: fetch each item's page; feed: the feed's own text"
        ),
        ignore_robots: bool = typer.Option(
            False, "--ignore-robots", help="Do not obey this source's robots.txt"
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the sources as JSON"),
    ) -> None:
        """Follow feeds, sitemaps or pages (URLs stored canonical; local files read from disk)."""
        if name and len(targets) > 1:
            fail("--name names one source; give one target with it")
        added: list[dict[str, Any]] = []
        with open_store(ctx) as store:
            try:
                seconds = parse_every(every)
                for target in targets:
                    result = add_sources(
                        store,
                        target,
                        kind=kind,
                        every_s=seconds,
                        name=name,
                        tags=tags or [],
                        ignore_robots=ignore_robots,
                        content=content,
                    )
                    added += result.sources
                    for source in result.sources:
                        audit.record(store.conn, cli_who(), "source.add", source["url"])
                    for note in result.notes:
                        out.print(note, markup=False)
            except StorylineError as exc:
                fail(exc)
        if as_json:
            emit_json([source_json(s) for s in added])
            return
        for s in added:
            label = f" ({s['name']})" if s["name"] else ""
            out.print(f"following {s['id']}: {s['url']}{label}", markup=False)

    @sources_app.command("list")
    def list_cmd(
        ctx: typer.Context,
        tag: str | None = typer.Option(None, "--tag", help="Only sources with this tag"),
        as_json: bool = typer.Option(False, "--json", help="Print as JSON"),
    ) -> None:
        """Every followed source and its health, soonest due first.

        Last fetch, HTTP status, new items, errors in a row, queued and failed items, next due;
        the last error of each failing source."""
        with open_store(ctx) as store:
            sources = db.list_sources(store.conn, tag=tag)
        if as_json:
            emit_json([source_json(s) for s in sources])
            return
        print_sources(sources)

    @sources_app.command("show")
    def show_cmd(
        ctx: typer.Context,
        ident: str = typer.Argument(..., help="Id, name or URL"),
        limit: int = typer.Option(20, "--limit", help="Recent items to show"),
        as_json: bool = typer.Option(False, "--json", help="Print as JSON"),
    ) -> None:
        """One source: its settings, health and recent items with their states."""
        source, items = show(ctx, ident, limit)
        if as_json:
            emit_json({**source_json(source), "recent_items": items})
            return
        print_source(source, items)

    @sources_app.command("remove")
    def remove_cmd(
        ctx: typer.Context, idents: list[str] = typer.Argument(..., help="Ids, names or URLs")
    ) -> None:
        """Stop following sources (their stored articles stay)."""
        with open_store(ctx) as store:
            for ident in idents:
                try:
                    source = db.remove_source(store.conn, find(store.conn, ident)["id"])
                except StorylineError as exc:
                    fail(exc)
                audit.record(store.conn, cli_who(), "source.remove", source["url"])
                out.print(f"removed {source['id']}: {source['url']}", markup=False)

    @sources_app.command("import")
    def import_cmd(
        ctx: typer.Context,
        path: str = typer.Argument(..., help="An OPML file"),
        every: str = typer.Option("15m", "--every", help="Poll interval: 90s, 15m, 2h, 1d"),
        tags: list[str] = typer.Option(None, "--tag", help="A tag for every imported source"),
    ) -> None:
        """Follow every feed an OPML file lists (its folders become tags; http(s) URLs only)."""
        with open_store(ctx) as store:
            try:
                result = import_opml(store, path, every_s=parse_every(every), tags=tags or [])
            except (StorylineError, OSError) as exc:
                fail(exc if isinstance(exc, StorylineError) else f"{path}: {exc}")
            for source in result.sources:
                audit.record(store.conn, cli_who(), "source.add", source["url"], {"opml": path})
        for note in result.notes:
            out.print(note, markup=False)
        out.print(f"following {len(result.sources)} source(s) from {path}", markup=False)

    @sources_app.command("export")
    def export_cmd(
        ctx: typer.Context,
        output: str | None = typer.Option(None, "-o", "--output", help="File (default stdout)"),
    ) -> None:
        """Write the followed feeds and sitemaps as OPML (local files and pages left out)."""
        with open_store(ctx) as store:
            data, left_out = export_opml(store)
        if output:
            Path(output).write_bytes(data)
            out.print(f"wrote {output} ({left_out} source(s) left out)", markup=False)
        else:
            import sys

            sys.stdout.write(data.decode("utf-8"))
