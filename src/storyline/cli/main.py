"""The `storyline` command: a thin typer layer over the library.

Each command parses options, calls one library function and renders the result (a rich table, or
JSON with ``--json``). Library errors (`StorylineError`) become one-line messages on stderr with
exit code 2 for usage problems; ingest exits 1 when some inputs failed.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console

from storyline import config
from storyline.errors import ConfigError, StoreError, StorylineError
from storyline.store import Store

app = typer.Typer(
    name="storyline",
    help="Read, clean, date and store news articles; find them again.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


class State:
    """Settings resolved once per invocation (default < file < environment < command line)."""

    def __init__(self, db: str | None, config_file: str | None) -> None:
        self.settings = config.load(config_file, {"store": {"db": db}})

    @property
    def db(self) -> str:
        return str(self.settings["store"]["db"])

    def open_store(self) -> Store:
        return Store(self.db, int(self.settings["store"]["busy_timeout_ms"]), self.settings)


@app.callback()
def main(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None, "--db", help="SQLite store file (default ./storyline.db, or $STORYLINE_DB)"
    ),
    config_file: str | None = typer.Option(
        None, "--config", help="Settings file (default ./storyline.toml if present)"
    ),
) -> None:
    """storyline: a self-hosted news intelligence workbench."""
    try:
        ctx.obj = State(db, config_file)
    except ConfigError as exc:
        fail(str(exc))


def fail(message: str, code: int = 2) -> None:
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_csv(rows: list[dict[str, Any]], columns: Sequence[str] | None = None) -> None:
    """CSV with a header on stdout; ``columns`` fixes the header (and keeps it when no rows)."""
    fields = list(columns) if columns is not None else list(rows[0]) if rows else []
    if not fields:
        return
    writer = csv.DictWriter(
        sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)


def state(ctx: typer.Context) -> State:
    obj = ctx.obj
    assert isinstance(obj, State)
    return obj


def open_store(ctx: typer.Context) -> Store:
    try:
        return state(ctx).open_store()
    except StoreError as exc:
        fail(str(exc))
        raise  # unreachable; keeps type checkers happy


def register() -> None:
    """Attach the command groups (one module per group); add new groups to this list."""
    from storyline.cli import (
        actors,
        bench,
        browse,
        copies,
        evaluate,
        events,
        ingest,
        quotes,
        stories,
        update,
    )

    for module in (
        ingest,
        update,
        browse,
        copies,
        events,
        evaluate,
        quotes,
        actors,
        stories,
        bench,
    ):
        module.register(app)


register()


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except StorylineError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
