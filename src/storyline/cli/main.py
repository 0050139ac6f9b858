"""The `storyline` command: a thin typer layer over the library.

Each command parses options, calls one library function and renders the result (a rich table, or
JSON with ``--json``). Errors (`StorylineError`, from the library or built here for a bad option or
an unknown id) become one line ``error: E### message`` on stderr, the code printed once, with exit
code 2 for usage problems; ingest exits 1 when some inputs failed.
"""

from __future__ import annotations

import sys

import typer
from typer._click.core import Context as _Context  # typer vendors click
from typer.core import TyperArgument, TyperGroup, TyperOption

from storyline.cli.output import INTERRUPTED, State, err, fail
from storyline.errors import ConfigError, StorylineError, stopped_by_user

#: The global options, accepted before or after the command.
GLOBAL_OPTIONS = ("--db", "--config")


def hoist_global_options(args: list[str]) -> list[str]:
    """Move ``--db FILE`` and ``--config FILE`` typed after the command in front of it
    (``storyline ingest x --db s.db`` is the first thing people type); what follows ``--`` is
    left alone. The last one typed wins, as before the command."""
    at = 0
    while at < len(args) and args[at].startswith("-") and args[at] != "--":
        at += 2 if args[at] in GLOBAL_OPTIONS else 1
    if at >= len(args):
        return args
    head, command, rest = args[:at], args[at], args[at + 1 :]
    moved: list[str] = []
    kept: list[str] = []
    i = 0
    while i < len(rest):
        token = rest[i]
        if token == "--":
            kept.extend(rest[i:])
            break
        if token in GLOBAL_OPTIONS and i + 1 < len(rest):
            moved.extend(rest[i : i + 2])
            i += 2
            continue
        if token.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in token:
            moved.append(token)
        else:
            kept.append(token)
        i += 1
    return [*head, *moved, command, *kept]


_TYPE_WORDS = {
    "list[str]": "TEXT",
    "str": "TEXT",
    "int": "INTEGER",
    "int range": "INTEGER",
    "float": "NUMBER",
}
_typer_display_type = TyperOption.display_type


def readable_type(param: TyperOption | TyperArgument, ctx: typer.Context) -> str | None:
    """The value column of ``--help``: nothing for a flag, the metavar when one is given
    (DATE, FILE), else the value's type in words (TEXT, INTEGER) instead of ``<str>``."""
    if getattr(param, "is_flag", False):
        return None
    if param.metavar:
        return param.metavar
    label = _typer_display_type(param, ctx).strip("<>")  # type: ignore[arg-type]
    return _TYPE_WORDS.get(label, label.upper())


# typer's rich help shows ``<bool>`` for every flag and ignores metavars; show readable ones.
for _cls in (TyperOption, TyperArgument):
    _cls.display_type_rich = readable_type  # type: ignore[method-assign,assignment]


class StorylineGroup(TyperGroup):
    """The top-level group: global options may also follow the command."""

    def parse_args(self, ctx: _Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(list(args)))


app = typer.Typer(
    name="storyline",
    cls=StorylineGroup,
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
        audit,
        bench,
        browse,
        bulk,
        copies,
        evaluate,
        events,
        follow,
        ingest,
        outlets,
        places,
        quotes,
        serve,
        sources,
        stories,
        teamwork,
        update,
        users,
    )

    for module in (
        ingest,
        bulk,
        sources,
        follow,
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
        users,
        teamwork,
        audit,
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
    except Exception as exc:
        # Ctrl-C that surfaced as the error of what it cut short (a library's import, say), in a
        # command without its own resume message: end as an interrupt would, without a traceback.
        if not stopped_by_user(exc):
            raise
        err.print("interrupted", markup=False)
        sys.exit(INTERRUPTED)
