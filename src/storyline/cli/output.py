"""What every command group shares: the consoles, the per-invocation settings, one-line errors,
JSON and CSV output, and opening the store. Group modules import this, never `cli.main`, which
imports them all to register their commands.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storyline import config
from storyline.errors import StoreError, StorylineError
from storyline.store import Store

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


def fail(problem: StorylineError | str, code: int = 2) -> NoReturn:
    """Print ``error: E### message`` on one line of stderr and exit with ``code``.

    Pass the coded error itself: its ``str`` prints the code once, before the message, so a
    command never formats a code of its own. A plain string (``str(exc)`` of a library error, as
    older commands pass) is printed as given.
    """
    err.print(f"error: {problem}", markup=False)
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
        fail(exc)


def progress_bars(*, shown: bool = True) -> Progress:
    """Transient progress bars on stderr, shown only on a terminal; each task carries a
    ``current`` field (the file or step being worked on)."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[current]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal or not shown,
    )
