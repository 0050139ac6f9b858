"""`storyline bench NAME [ARGS]`: run a benchmark script from the checkout's benchmarks/ folder.

Benchmarks print figures (throughput, memory, quality) and assert nothing; they live beside the
source tree rather than in the installed package, so this command finds them from a checkout.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer

from storyline.cli.output import fail, out
from storyline.errors import ConfigError, InputError


def benchmarks_dir() -> Path | None:
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        folder = base / "benchmarks"
        if folder.is_dir():
            return folder
    return None


def register(app: typer.Typer) -> None:
    @app.command(
        "bench",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )
    def bench_cmd(
        ctx: typer.Context,
        name: str = typer.Argument(None, help="Benchmark to run (omit to list them)"),
    ) -> None:
        """Run a benchmark from benchmarks/ (extra arguments are passed on)."""
        folder = benchmarks_dir()
        if folder is None:
            fail(InputError("benchmarks/", "no such folder here: run from a storyline checkout"))
        scripts = sorted(p.stem for p in folder.glob("*.py") if not p.name.startswith("_"))
        if not name:
            out.print("benchmarks: " + ", ".join(scripts), markup=False)
            return
        if name not in scripts:
            fail(
                ConfigError(
                    f"unknown benchmark {name!r}; choose one of {', '.join(scripts)}",
                    setting="NAME",
                    code="E501",
                )
            )
        code = subprocess.call([sys.executable, str(folder / f"{name}.py"), *ctx.args])
        raise typer.Exit(code)
