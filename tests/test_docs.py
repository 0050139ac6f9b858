"""Every command and every setting is documented (a new one without docs fails here)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import typer

from storyline.cli.main import app

DOCS = Path(__file__).resolve().parents[1]


def all_docs() -> str:
    text = (DOCS / "README.md").read_text("utf-8")
    for page in sorted((DOCS / "docs").glob("*.md")):
        text += page.read_text("utf-8")
    return text


def command_paths() -> list[str]:
    click_app = typer.main.get_command(app)
    paths: list[str] = []

    def walk(group, prefix: str) -> None:
        for name, cmd in group.commands.items():
            path = f"{prefix} {name}".strip()
            if hasattr(cmd, "commands"):
                walk(cmd, path)
            else:
                paths.append(path)

    walk(click_app, "")
    return paths


def test_every_command_is_documented() -> None:
    docs = all_docs()
    missing = [p for p in command_paths() if f"storyline {p}" not in docs]
    assert not missing, f"commands without docs: {missing}"


def test_every_setting_is_documented() -> None:
    settings = tomllib.loads(resources.files("storyline").joinpath("settings.toml").read_text())
    page = (DOCS / "docs" / "settings.md").read_text("utf-8")
    missing = [
        f"{s}.{k}" for s, values in settings.items() for k in values if f"`{s}.{k}`" not in page
    ]
    assert not missing, f"settings without docs: {missing}"
