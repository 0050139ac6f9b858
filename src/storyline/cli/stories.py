"""`storyline stories`, `story`, `storylines`, `storyline`, `recluster`: what happened, since when.

Thin wrappers over :mod:`storyline.analysis.stories`: ``--json`` prints exactly what the analysis
returns (the web API's JSON too); the tables mark a lower bound as "≥ date", never as a date.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from storyline.cli.output import day_option, emit_json, fail, narrow, open_store, out, plural
from storyline.errors import StorylineError


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return ""
    return first if not last or last == first else f"{first} → {last}"


def dates_text(row: dict[str, Any]) -> str:
    """Published span, then the undated articles' earliest bound marked "≥" (never a date):
    "2024-01-30 → 2024-01-31 +2 ≥ 2024-07-22", "≥ 2021-08-01", "undated"."""
    text = _span(row.get("first_seen"), row.get("last_seen"))
    bound = f"≥ {row['first_bound']}" if row.get("first_bound") else ""
    if text and bound:
        return f"{text} +{row.get('n_bounded') or 0} {bound}"
    return text or bound or "undated"


def _article_date(a: dict[str, Any]) -> str:
    if a.get("published"):
        return str(a["published"])
    return f"≥ {a['not_before']}" if a.get("not_before") else "undated"


def _dated_table(
    rows: list[dict[str, Any]], first: str, counts: tuple[str, str], keys: tuple[str, str]
) -> RenderableType:
    """Id, dates (bounds marked), two right-aligned counts and the title: both listings. On a
    narrow terminal each row is stacked: id, dates and counts on one line, the title below."""
    if narrow():
        lines: list[Text] = []
        for r in rows:
            tally = f"{plural(r[keys[0]], counts[0])}, {plural(r[keys[1]], counts[1])}"
            lines.append(Text.assemble((r["id"], "bold"), f"  {dates_text(r)}  {tally}"))
            lines.append(Text("  " + (r["title"] or "")))
        return Group(*lines)
    table = Table(show_lines=False)
    table.add_column(first, no_wrap=True)
    table.add_column("dates", no_wrap=True)
    for name in counts:
        table.add_column(name + "s", justify="right")
    table.add_column("title")
    for r in rows:
        table.add_row(
            r["id"], dates_text(r), str(r[keys[0]]), str(r[keys[1]]), Text(r["title"] or "")
        )
    return table


def stories_table(rows: list[dict[str, Any]]) -> RenderableType:
    """Latest stories: id, dates, article and independent-source counts, title."""
    return _dated_table(rows, "story", ("article", "source"), ("n_articles", "n_sources"))


def storylines_table(rows: list[dict[str, Any]]) -> RenderableType:
    """Latest storylines: id, dates, story and article counts, title."""
    return _dated_table(rows, "storyline", ("story", "article"), ("n_stories", "n_articles"))


def _cite(item: dict[str, Any]) -> str:
    return f"[{item['article_id']} {item['start']}:{item['end']}]"


def quote_text(q: dict[str, Any]) -> Text:
    """A direct quote in quotation marks; reported speech as reported, without them."""
    speaker = q.get("speaker_name") or q.get("speaker") or "unattributed"
    if q["verbatim"]:
        return Text.assemble((f"{speaker}: ", "italic"), f"“{q['text']}” ", (_cite(q), "dim"))
    cue = q.get("cue") or "said"
    return Text.assemble(
        (f"{speaker} ", "italic"), f"({cue}, reported) {q['text']} ", (_cite(q), "dim")
    )


def event_text(e: dict[str, Any]) -> Text:
    """An event with its mode next to its type: "SUPPORT (negated) Tehran → Taliban"."""
    who = " → ".join(x for x in (e.get("source_name"), e.get("target_name")) if x)
    mode = f" ({e['mode']})" if e.get("mode") else ""
    return Text.assemble(
        (e["type"], "bold"), (mode, "bold red"), f" {who}: {e['evidence']} ", (_cite(e), "dim")
    )


def show_story(story: dict[str, Any]) -> None:
    out.print(Text(story["title"] or story["id"], style="bold"))
    out.print(
        f"{story['id']} · {dates_text(story)} · {plural(story['n_articles'], 'article')}, "
        f"{plural(story['n_sources'], 'independent source')}",
        markup=False,
    )
    if story.get("storyline_id"):
        out.print(
            f"storyline {story['storyline_id']}: {story.get('storyline_title') or ''}", markup=False
        )
    if story["summary"]:
        out.print(Text("\nSummary", style="bold"))
        for s in story["summary"]:
            out.print(Text.assemble("• ", s["text"], " ", (_cite(s), "dim")))
    table = Table(title="Articles by outlet and time")
    table.add_column("outlet")
    table.add_column("date", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("copy", overflow="fold")
    for a in story["articles"]:
        copy = f"{a['copy_kind']} of {a['copy_of']}" if a["copy_of"] else ""
        table.add_row(
            Text(a["outlet"] or "—"), _article_date(a), a["id"], Text(a["title"] or ""), copy
        )
    out.print(table)
    if story.get("articles_next_cursor"):
        out.print(
            f"{len(story['articles'])} of {plural(story['n_articles'], 'article')} listed; "
            f"next page: storyline story {story['id']} --cursor {story['articles_next_cursor']}",
            markup=False,
        )
    if story["actors"]:
        names = ", ".join(f"{x['name']} ({x['articles']})" for x in story["actors"][:15])
        out.print(Text.assemble(("Actors and places: ", "bold"), names))
    if story["quotes"]:
        out.print(Text("\nQuotes", style="bold"))
        for q in story["quotes"][:8]:
            out.print(quote_text(q))
    if story["events"]:
        out.print(Text("\nEvents", style="bold"))
        for e in story["events"][:10]:
            out.print(event_text(e))


def show_storyline(line: dict[str, Any]) -> None:
    out.print(Text(line["title"] or line["id"], style="bold"))
    out.print(
        f"{line['id']} · {dates_text(line)} · {plural(line['n_stories'], 'story')}, "
        f"{plural(line['n_articles'], 'article')}",
        markup=False,
    )
    for label, key in (("Actors", "actors"), ("Places", "places"), ("Subject", "terms")):
        if line[key]:
            out.print(
                Text.assemble((f"{label}: ", "bold"), ", ".join(x["name"] for x in line[key]))
            )
    table = Table(title="Timeline")
    for name, opts in (
        ("dates", {"no_wrap": True}),
        ("story", {"no_wrap": True}),
        ("articles", {"justify": "right"}),
        ("sources", {"justify": "right"}),
        ("title", {}),
    ):
        table.add_column(name, **opts)  # type: ignore[arg-type]
    for s in line["timeline"]:
        table.add_row(
            dates_text(s),
            s["id"],
            str(s["n_articles"]),
            str(s["n_sources"]),
            Text(s["title"] or ""),
        )
    out.print(table)
    if line["summary"]:
        out.print(Text("Summary", style="bold"))
        for s in line["summary"]:
            out.print(Text.assemble("• ", s["text"], " ", (_cite(s), "dim")))


def register(app: typer.Typer) -> None:
    from storyline.analysis.stories import list_stories, list_storylines, storyline_detail
    from storyline.analysis.story import STORY_ARTICLES, story_detail

    since_help = "Only those with a date or bound on or after this day (YYYY-MM-DD)"
    until_help = "Only those with a date or bound on or before this day (YYYY-MM-DD)"

    @app.command("stories")
    def stories_cmd(
        ctx: typer.Context,
        limit: int = typer.Option(20, "--limit", "-n", help="How many stories", min=1),
        storyline: str = typer.Option(
            None, "--storyline", help="Only this storyline's stories (id or unique prefix)"
        ),
        since: str = day_option("--since", since_help),
        until: str = day_option("--until", until_help),
        as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON"),
    ) -> None:
        """Latest stories, with article and independent-source counts."""
        with open_store(ctx, writes=False) as store:
            try:
                rows = list_stories(
                    store.conn, limit=limit, storyline=storyline, since=since, until=until
                ).items
            except StorylineError as exc:
                fail(exc)
        if as_json:
            emit_json(rows)
        elif not rows:
            out.print("no stories yet: ingest articles first (storyline ingest PATH)", markup=False)
        else:
            out.print(stories_table(rows))

    @app.command("story")
    def story_cmd(
        ctx: typer.Context,
        story_id: str = typer.Argument(..., help="Story id (st_...) or a unique prefix"),
        limit: int = typer.Option(
            STORY_ARTICLES, "--limit", "-n", help="Articles listed per page", min=1
        ),
        cursor: str = typer.Option(
            None, "--cursor", help="The articles_next_cursor of the previous page"
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the story as JSON"),
    ) -> None:
        """One story: summary, articles by outlet and time, actors, quotes, events.

        Copies are marked; bounds are shown as bounds. A large story lists its articles a page
        at a time (--limit, --cursor); the rest covers every article."""
        with open_store(ctx, writes=False) as store:
            try:
                story = story_detail(store.conn, story_id, limit=limit, cursor=cursor)
            except StorylineError as exc:
                fail(exc)
        if as_json:
            emit_json(story)
        else:
            show_story(story)

    @app.command("storylines")
    def storylines_cmd(
        ctx: typer.Context,
        limit: int = typer.Option(20, "--limit", "-n", help="How many storylines", min=1),
        since: str = day_option("--since", since_help),
        until: str = day_option("--until", until_help),
        as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON"),
    ) -> None:
        """Latest storylines: threads of stories over time, with their main actors."""
        with open_store(ctx, writes=False) as store:
            try:
                rows = list_storylines(store.conn, limit=limit, since=since, until=until).items
            except StorylineError as exc:
                fail(exc)
        if as_json:
            emit_json(rows)
        elif not rows:
            out.print(
                "no storylines yet: ingest articles first (storyline ingest PATH)", markup=False
            )
        else:
            out.print(storylines_table(rows))

    @app.command("storyline")
    def storyline_cmd(
        ctx: typer.Context,
        storyline_id: str = typer.Argument(..., help="Storyline id (sl_...) or a unique prefix"),
        as_json: bool = typer.Option(False, "--json", help="Print the storyline as JSON"),
    ) -> None:
        """One storyline: its actors, places and subject, and its stories on a timeline."""
        with open_store(ctx, writes=False) as store:
            try:
                line = storyline_detail(store.conn, storyline_id)
            except StorylineError as exc:
                fail(exc)
        if as_json:
            emit_json(line)
        else:
            show_storyline(line)

    @app.command("recluster")
    def recluster_cmd(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON"),
    ) -> None:
        """Rebuild all stories and storylines from the stored articles (order-independent)."""
        from storyline.cli.update import rebuild_step

        counts = rebuild_step(ctx, "cluster_stories")
        if as_json:
            emit_json(counts)
        else:
            out.print(
                "reclustered {articles} articles into {stories} stories and {storylines} "
                "storylines".format(**counts),
                markup=False,
            )


def show_demo_stories(store: Any, limit: int = 5) -> None:
    """What the demo prints about stories: the top storylines and the latest stories."""
    from storyline.analysis.stories import list_stories, list_storylines

    lines = [r for r in list_storylines(store.conn, limit=50).items if r["n_stories"] > 1][:limit]
    if lines:
        out.print(Text.assemble("\n", ("storylines", "bold"), " (threads of stories):"))
        out.print(storylines_table(lines))
    stories = list_stories(store.conn, limit=limit).items
    if stories:
        out.print(Text.assemble("\n", ("latest stories", "bold"), ":"))
        out.print(stories_table(stories))
