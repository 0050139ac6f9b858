"""The `storyline` command: a thin typer layer over the library.

Each command parses options, calls one library function and renders the result (a rich table, or
JSON with ``--json``). Errors (`StorylineError`, from the library or built here for a bad option or
an unknown id) become one line ``error: E### message`` on stderr, the code printed once, with exit
code 2 for usage problems; ingest exits 1 when some inputs failed.
"""

from __future__ import annotations

import sys

import typer

from storyline.cli.output import State, err, fail
from storyline.errors import ConfigError, StorylineError

app = typer.Typer(
    name="storyline",
    help="Read, clean, date and store news articles; find them again.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
        fail(exc)


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
        outlets,
        places,
        quotes,
        serve,
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
        places,
        outlets,
        serve,
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
