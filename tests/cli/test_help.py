"""Every command's summary (the first paragraph of its help) is one line: `storyline --help`
prints it as written, so a summary broken over two source lines shows a ragged break."""

from __future__ import annotations

from typing import Any

import typer.main

from storyline.cli.main import app


def _commands(command: Any, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for name, sub in getattr(command, "commands", {}).items():
        found.append((prefix + name, sub.help or ""))
        found.extend(_commands(sub, f"{prefix}{name} "))
    return found


def test_every_command_has_a_one_line_summary() -> None:
    commands = _commands(typer.main.get_command(app))
    assert len(commands) > 30
    for name, text in commands:
        summary = text.split("\n\n")[0].strip()
        assert summary, f"`storyline {name}` has no help"
        assert "\n" not in summary, f"`storyline {name}`: summary spans lines: {summary!r}"
