"""`storyline bulk`: a large archive's stages on a Dask cluster (`storyline.scale.bulk`).

Thin: parse, open the store, show three progress bars (stages on the cluster, load, update
steps), print the summary. Dask is imported only when the command runs.
"""

from __future__ import annotations

from pathlib import Path

import typer

from storyline.cli.ingest import nothing_to_ingest, print_summary, read_options
from storyline.cli.output import (
    emit_json,
    end_batch,
    fail,
    open_store,
    out,
    progress_bars,
    state,
    yield_cpu,
)
from storyline.sources.files import walk


def register(app: typer.Typer) -> None:
    @app.command("bulk")
    def bulk_cmd(
        ctx: typer.Context,
        paths: list[str] = typer.Argument(..., help="Files and folders", metavar="PATH..."),
        scheduler: str = typer.Option(
            None,
            "--scheduler",
            help="Address of a running Dask scheduler (tcp://host:8786); none: a local cluster",
            metavar="ADDRESS",
        ),
        workers: int = typer.Option(
            None,
            "--workers",
            help="Local Dask worker processes (bulk.workers; 0: one per core)",
            min=0,
            metavar="N",
        ),
        shards: Path = typer.Option(
            None,
            "--shards",
            help="Folder of the Parquet shards (bulk.shards; default: <store>.shards)",
            metavar="DIR",
        ),
        include: list[str] = typer.Option(
            None, "--include", help="Only files matching this glob in folders", metavar="GLOB"
        ),
        exclude: list[str] = typer.Option(
            None, "--exclude", help="Leave out files matching this glob", metavar="GLOB"
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
    ) -> None:
        """Ingest a large archive with the stages on a Dask cluster, via Parquet shards.

        Resumable: run it again after a kill. Exit code: 0 all stored, 1 some inputs failed.
        """
        from storyline.scale.bulk import bulk

        if scheduler and workers is not None:
            fail("--workers sizes a local cluster; with --scheduler the cluster has its own", 2)
        options = read_options(ctx, include, exclude, None)
        settings = state(ctx).settings
        inputs = list(walk(paths, options))
        if not inputs:
            nothing_to_ingest(paths, as_json=as_json)
        store = open_store(ctx)
        yield_cpu(settings["ingest"]["nice"], "ingest.nice")  # a local cluster's workers inherit it
        bars = progress_bars()
        try:
            with bars:
                staged = bars.add_task("stages", total=None, current="on the cluster")
                loaded = bars.add_task("load", total=None, current="", visible=False)
                steps = bars.add_task("update steps", total=None, current="", visible=False)
                report = bulk(
                    paths,
                    store,
                    settings,
                    scheduler=scheduler,
                    workers=workers,
                    shards=shards,
                    options=options,
                    stage_progress=lambda n: bars.update(staged, advance=n),
                    progress=lambda a: bars.update(
                        loaded, advance=1, visible=True, current=Path(a.source).name[-40:]
                    ),
                    step_progress=lambda n, step: bars.update(
                        steps, advance=n, current=step, visible=True
                    ),
                )
        except BaseException as exc:  # Ctrl-C may surface as the error of what it cut short
            end_batch(
                exc,
                "bulk",
                "every batch committed before it stays in the store, every shard written on disk",
            )
            raise
        finally:
            store.close()
        if as_json:
            emit_json(report.summary())
        else:
            b = report.summary()["bulk"]
            out.print(
                f"bulk: {b['partitions']} partitions on {b['workers']} Dask workers: "
                f"{b['shards_written']} shards written, {b['shards_reused']} reused, "
                f"{b['partitions_already_stored']} already stored; shards in {b['shards']}; "
                f"peak {b['worker_peak_mb']} MB per worker at most",
                markup=False,
            )
            if b["stages_error"]:
                out.print(
                    f"bulk: the stages stopped after the load had every shard it needed: "
                    f"{b['stages_error']}",
                    markup=False,
                )
            print_summary(report.ingest, as_json=False)
        raise typer.Exit(report.exit_code)
