"""What every command group shares: the consoles, the per-invocation settings, one-line errors,
JSON and CSV output, and opening the store. Group modules import this, never `cli.main`, which
imports them all to register their commands.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from storyline import config
from storyline.errors import (
    ConfigError,
    QueryError,
    StoreError,
    StorylineError,
    stopped_by_user,
)
from storyline.store import Store
from storyline.store.db import connect

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


class State:
    """Settings resolved once per invocation (default < file < environment < command line)."""

    def __init__(self, db: str | None, config_file: str | None) -> None:
        self.settings = config.load(config_file, {"store": {"db": db}})

    @property
    def db(self) -> str:
        return str(self.settings["store"]["db"])

    def open_store(self, *, writes: bool = True) -> Store:
        """The store; a writing command creates it when missing, a read command (``writes``
        False) opens it read-only and refuses a missing path (`storyline.store.db.connect`)."""
        busy = int(self.settings["store"]["busy_timeout_ms"])
        if writes:
            return Store(self.db, busy, self.settings)
        # Store() opens for writing; a read command attaches a read-only connection instead.
        store = Store.__new__(Store)
        store.path = Path(self.db)
        store.conn = connect(self.db, busy, create=False, read_only=True)
        store.settings = self.settings
        return store


#: Below this many columns, wide tables are printed as stacked records instead.
NARROW = 100


def narrow() -> bool:
    """Whether the terminal (or $COLUMNS) is too narrow for side-by-side tables."""
    return out.width < NARROW


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``1 story``, ``3 stories``, ``2 agencies``."""
    if n == 1:
        return f"{n} {word}"
    if many is None:
        many = (
            word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
        )
    return f"{n} {many}"


def date_option(param: typer.CallbackParam, value: str | None) -> str | None:
    """Typer callback for ``--since``/``--until``: a real day as YYYY-MM-DD, else a usage error
    (one line, E803, exit 2) naming the option."""
    if value is None:
        return None
    try:
        date.fromisoformat(value)
        ok = len(value) == 10
    except ValueError:
        ok = False
    if not ok:
        flag = (param.opts or [str(param.name)])[0]
        fail(
            QueryError(
                f"{flag}: {value!r} is not a day; write YYYY-MM-DD, e.g. 2021-08-27", code="E803"
            )
        )
    return value


def day_option(flag: str, help: str) -> Any:
    """A ``--since``/``--until`` option: metavar DATE, checked by `date_option`."""
    return typer.Option(None, flag, help=help, metavar="DATE", callback=date_option)


def fail(problem: StorylineError | str, code: int = 2) -> NoReturn:
    """Print ``error: E### message`` on one line of stderr and exit with ``code``.

    Pass the coded error itself: its ``str`` prints the code once, before the message, so a
    command never formats a code of its own. A plain string (``str(exc)`` of a library error, as
    older commands pass) is printed as given.
    """
    err.print(f"error: {problem}", markup=False)
    raise typer.Exit(code)


#: The exit status of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130


def interrupted(
    command: str, kept: str = "every batch committed before it stays in the store"
) -> NoReturn:
    """Ctrl-C during a resumable batch command: say what stays and how to go on, instead of
    ending in silence (or a traceback) and leaving the analyst to guess."""
    err.print(
        f"interrupted: {kept}; run the same `storyline {command}` again to go on from there",
        markup=False,
    )
    raise typer.Exit(INTERRUPTED)


def end_batch(
    exc: BaseException,
    command: str,
    kept: str = "every batch committed before it stays in the store",
) -> None:
    """Ends a resumable batch command that raised: Ctrl-C (however it surfaced) says what stays
    and how to go on, a coded error is one line. Returns for anything else, which the caller
    re-raises as it came."""
    if not isinstance(exc, (SystemExit, typer.Exit)) and stopped_by_user(exc):
        interrupted(command, kept)
    if isinstance(exc, StorylineError):
        fail(str(exc), 1)


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


def open_store(ctx: typer.Context, *, writes: bool = True) -> Store:
    """The store for a command: ``writes=False`` for read commands, which never create one
    (a mistyped --db is an error naming the path, E401) and never write (a read-only file
    serves them)."""
    try:
        return state(ctx).open_store(writes=writes)
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


def yield_cpu(wanted: Any, setting: str) -> None:
    """Set this process's CPU niceness to ``wanted`` (the value of ``setting``; its stage workers
    inherit it), so batch work on a machine that also serves people takes the CPU when they do
    not need it; on an idle machine it runs as fast. Never raises the priority of a process
    already nicer."""
    if not isinstance(wanted, int) or not 0 <= wanted <= 19:
        fail(ConfigError(f"{setting} = {wanted!r}: give 0 (unchanged) to 19 (nicest)"))
    if wanted and hasattr(os, "nice"):
        current = os.nice(0)
        if current < wanted:
            os.nice(wanted - current)
