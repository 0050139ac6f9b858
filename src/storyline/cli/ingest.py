"""`storyline ingest`, `reprocess` and `demo`: getting articles into the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer

from storyline.article import Article
from storyline.cli.output import (
    emit_json,
    end_batch,
    open_store,
    out,
    progress_bars,
    state,
    yield_cpu,
)
from storyline.ingest import (
    IngestReport,
    build_updater,
    ingest_paths,
    reprocess,
    stages_for,
)
from storyline.sources.files import ReadOptions, store_files, walk
from storyline.sources.sample import GOLD_FILES, sample_corpus


@contextmanager
def progress_bar(
    total: int | None, label: str
) -> Iterator[tuple[Callable[[Article], None], Callable[[int, str], None]]]:
    """Rich progress bars on stderr, shown only on a terminal: one for the inputs read, one for
    the changes the update steps took in (a step new to a filled store backfills here)."""
    progress = progress_bars()
    with progress:
        task = progress.add_task(label, total=total, current="")
        steps = progress.add_task("update steps", total=None, current="", visible=False)
        seen: set[str] = set()

        def advance(article: Article) -> None:
            src = article.source
            if src not in seen:
                seen.add(src)
                progress.update(task, advance=1, current=Path(src).name[-40:])

        def step_advance(changes: int, step: str) -> None:
            progress.update(steps, advance=changes, current=step, visible=True)

        yield advance, step_advance


def print_summary(report: IngestReport, *, as_json: bool) -> None:
    summary = report.summary()
    if as_json:
        emit_json(summary)
        return
    out.print(
        "read {read}, stored {stored}, updated {updated}, unchanged {unchanged}, "
        "skipped {skipped}, failed {failed}".format(**summary),
        markup=False,
    )
    if "workers" in summary:
        w = summary["workers"]
        out.print(
            f"stages run by {w['processes']} worker processes "
            f"(peak {w['peak_mb']} MB each at most)",
            markup=False,
        )
    if summary["skipped_reasons"]:
        reasons = ", ".join(f"{r} ({n})" for r, n in sorted(summary["skipped_reasons"].items()))
        out.print(f"skipped: {reasons}", markup=False)
    if summary["failures"]:
        out.print("failed:", markup=False)
        for item in summary["failures"]:
            out.print(f"  {item['source']}: {item['reason']}", markup=False)
    for step, items in summary["update_failures"].items():
        out.print(
            f"update step {step}: {len(items)} failed (see `storyline status`):", markup=False
        )
        for item in items[:10]:
            out.print(f"  {item['key']}: {item['reason']}", markup=False)


def nothing_to_ingest(paths: list[str], *, as_json: bool) -> NoReturn:
    """Say that the given folders hold no file to read (exit 0: nothing failed)."""
    if as_json:
        print_summary(IngestReport(), as_json=True)
    else:
        shown = ", ".join(paths)
        out.print(
            f"nothing to ingest: no files to read in {shown} (see --include, --exclude and "
            "ingest.exclude)",
            markup=False,
        )
    raise typer.Exit(0)


def read_options(
    ctx: typer.Context, include: list[str] | None, exclude: list[str] | None, max_bytes: int | None
) -> ReadOptions:
    settings = state(ctx).settings["ingest"]
    return ReadOptions(
        max_bytes=int(max_bytes or settings["max_bytes"]),
        include=include or settings["include"],
        exclude=(exclude or []) + list(settings["exclude"]),
        max_records=int(settings["max_records"]),
        avoid=store_files(state(ctx).db),
    )


WORKERS = typer.Option(
    None,
    "--workers",
    help="Processes running the stages (ingest.workers; 0: one per 100 articles, up to the cores)",
    min=0,
    metavar="N",
)
#: Container files hold many articles: about one per this many bytes (for choosing workers).
BYTES_PER_RECORD = 5_000
CONTAINERS = ("jsonl", "json", "csv", "tsv", "warc")


def estimated_articles(inputs: list[tuple[str, Path | None]]) -> int:
    """About how many articles the inputs hold: one per file, one per `BYTES_PER_RECORD` bytes
    of a container file (JSON Lines, JSON, CSV, WARC, gzip); standard input counts as one."""
    from storyline.sources.files import format_of

    total = 0
    for _, path in inputs:
        if path is None or not path.is_file():
            total += 1
            continue
        if format_of(path.name) in CONTAINERS or path.name.lower().endswith(".gz"):
            total += max(1, path.stat().st_size // BYTES_PER_RECORD)
        else:
            total += 1
    return total


def choose_workers(given: int | None, settings: dict, articles: int) -> int:
    """``--workers``, else ``ingest.workers``; 0 means one per 100 articles up to the cores."""
    from storyline.pool import auto_workers

    workers = int(settings["ingest"].get("workers", 0)) if given is None else given
    return workers if workers > 0 else auto_workers(articles)


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_cmd(
        ctx: typer.Context,
        paths: list[str] = typer.Argument(
            ..., help="Files, folders, or - for standard input", metavar="PATH..."
        ),
        include: list[str] = typer.Option(
            None,
            "--include",
            help="Only files matching this glob in folders; repeat for several",
            metavar="GLOB",
        ),
        exclude: list[str] = typer.Option(
            None,
            "--exclude",
            help="Leave out files matching this glob; repeat for several",
            metavar="GLOB",
        ),
        max_bytes: int = typer.Option(
            None,
            "--max-bytes",
            help="Refuse larger documents (ingest.max_bytes)",
            min=1,
            metavar="BYTES",
        ),
        force: bool = typer.Option(False, "--force", help="Re-run stages on unchanged inputs"),
        strict: bool = typer.Option(False, "--strict", help="Stop at the first failed stage"),
        workers: int = WORKERS,
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
    ) -> None:
        """Read articles from files, folders or stdin; clean, date and store them.

        Exit code: 0 all stored (or nothing to ingest), 1 some inputs failed, 2 usage error.
        """
        options = read_options(ctx, include, exclude, max_bytes)
        settings = state(ctx).settings
        inputs = list(walk(paths, options))
        if not inputs:
            nothing_to_ingest(paths, as_json=as_json)
        missing = [shown for shown, path in inputs if path is not None and not path.exists()]
        if len(missing) == len(inputs):  # no store is made or opened for paths that are typos
            report = IngestReport(read=len(inputs))
            report.result.failed.extend((shown, "no such file") for shown in missing)
            print_summary(report, as_json=as_json)
            raise typer.Exit(report.exit_code)
        store = open_store(ctx)
        yield_cpu(settings["ingest"]["nice"], "ingest.nice")
        total = len(inputs)
        try:
            with progress_bar(total, "ingest") as (advance, step_advance):
                report = ingest_paths(
                    paths,
                    store,
                    settings,
                    options=options,
                    strict=strict,
                    force=force,
                    progress=advance,
                    step_progress=step_advance,
                    workers=choose_workers(workers, settings, estimated_articles(inputs)),
                )
        except BaseException as exc:  # Ctrl-C may surface as the error of what it cut short
            end_batch(exc, "ingest")
            raise
        finally:
            store.close()
        print_summary(report, as_json=as_json)
        raise typer.Exit(report.exit_code)

    @app.command("reprocess")
    def reprocess_cmd(
        ctx: typer.Context,
        workers: int = WORKERS,
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
    ) -> None:
        """Re-run the stages on every stored raw input (no original files needed)."""
        settings = state(ctx).settings
        store = open_store(ctx)
        yield_cpu(settings["ingest"]["nice"], "ingest.nice")
        try:
            count = store.count()
            with (
                stages_for(settings, choose_workers(workers, settings, count)) as pipeline,
                progress_bar(count, "reprocess") as (advance, step_advance),
            ):
                report = reprocess(
                    store,
                    pipeline,
                    updater=build_updater(store, settings),
                    progress=advance,
                    step_progress=step_advance,
                    batch_size=int(settings["store"]["batch_size"]),
                )
        except BaseException as exc:  # Ctrl-C may surface as the error of what it cut short
            end_batch(exc, "reprocess")
            raise
        finally:
            store.close()
        print_summary(report, as_json=as_json)
        raise typer.Exit(report.exit_code)

    @app.command("demo")
    def demo_cmd(ctx: typer.Context) -> None:
        """Ingest the bundled sample corpus into the store and show what was found."""
        from storyline.cli.browse import show_demo

        corpus = sample_corpus()
        settings = state(ctx).settings
        # The manifest, labels and README beside the articles are gold data, not articles.
        options = read_options(ctx, None, list(GOLD_FILES), None)
        out.print(
            f"[bold]storyline demo[/] — sample corpus: {corpus} (sample data, fictional "
            f"outlets); store: {state(ctx).db}"
        )
        store = open_store(ctx)
        try:
            total = sum(1 for _ in walk([str(corpus)], options))
            with progress_bar(total, "ingest") as (advance, step_advance):
                report = ingest_paths(
                    [str(corpus)],
                    store,
                    settings,
                    options=options,
                    progress=advance,
                    step_progress=step_advance,
                )
            print_summary(report, as_json=False)
            out.print()
            show_demo(store)
        finally:
            store.close()
        db = state(ctx).db
        web = settings["web"]
        db_option = "" if db == "storyline.db" else f" --db {db}"
        out.print(
            f"\nOpen the web workbench: storyline{db_option} serve, then browse "
            f"http://{web['host']}:{web['port']}/ (JSON API at /api/v1, docs at /api/v1/docs)",
            markup=False,
        )
