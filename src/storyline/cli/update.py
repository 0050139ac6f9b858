"""`storyline status` and `storyline update`: where the update steps stand, and catching them up.

Thin wrappers over `storyline.update.Updater`; the ingest commands run the same steps after every
batch, so `update` is needed only after a kill, after a step's version changed, or to backfill a
step new to a filled store.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from storyline.cli.output import emit_json, fail, open_store, out, progress_bars, state
from storyline.errors import StorylineError
from storyline.ingest import build_updater
from storyline.update import Updater, UpdateReport


def run_steps(updater: Updater) -> UpdateReport:
    """Run every pending step with a progress bar (on a terminal) over their total lag."""
    total = sum(updater.lag().values())
    progress = progress_bars(shown=total > 0)
    with progress:
        task = progress.add_task("update", total=total, current="")
        report = updater.run(lambda n, name: progress.update(task, advance=n, current=name))
    updater.checkpoint()
    return report


def rebuild_step(ctx: typer.Context, name: str) -> dict[str, int]:
    """Rebuild one step's tables from the store, then let the steps after it catch up."""
    with open_store(ctx) as store:
        updater = build_updater(store, state(ctx).settings)
        try:
            run_steps(updater)  # the steps before it must be current
            counts = updater.rebuild(name)
            run_steps(updater)
        except StorylineError as exc:
            fail(str(exc), 1)
    return counts


def status_rows(updater: Updater) -> list[dict[str, Any]]:
    return [s.as_dict() for s in updater.status()]


def register(app: typer.Typer) -> None:
    @app.command("status")
    def status_cmd(
        ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print as JSON")
    ) -> None:
        """Each update step's position in the change feed, how far it lags, and its failures."""
        with open_store(ctx, writes=False) as store:
            updater = build_updater(store, state(ctx).settings)
            rows = status_rows(updater)
            articles = store.count()
        if as_json:
            emit_json({"articles": articles, "steps": rows})
            return
        table = Table(box=None, pad_edge=False)
        for column in ("step", "version", "position", "lag", "failures"):
            table.add_column(column, justify="right" if column in ("position", "lag") else "left")
        for r in rows:
            table.add_row(
                r["name"], r["version"], str(r["position"]), str(r["lag"]), str(r["failures"])
            )
        out.print(f"{articles} articles; update steps:", markup=False)
        out.print(table)
        behind = [r["name"] for r in rows if r["lag"]]
        if behind:
            out.print(
                f"{len(behind)} step(s) behind: run `storyline update` to catch up", markup=False
            )

    @app.command("update")
    def update_cmd(
        ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print as JSON")
    ) -> None:
        """Bring every update step up to date (after a kill, or for a step new to the store).

        Exit code: 0 done, 1 some changes failed in a step (see `storyline status`).
        """
        with open_store(ctx) as store:
            updater = build_updater(store, state(ctx).settings)
            try:
                report = run_steps(updater)
            except StorylineError as exc:
                fail(str(exc), 1)
        failed = {step: len(items) for step, items in report.failed.items()}
        if as_json:
            emit_json({"changes": report.changes, "batches": report.batches, "failed": failed})
        else:
            done = ", ".join(f"{k} {v}" for k, v in report.changes.items()) or "nothing to do"
            out.print(f"updated: {done}", markup=False)
            for step, n in failed.items():
                out.print(f"  {step}: {n} change(s) failed (see `storyline status`)", markup=False)
        raise typer.Exit(1 if failed else 0)
