"""The library never depends on its command line: only ``storyline/cli/`` and ``__main__.py``
import `storyline.cli`.

The CLI is a thin layer over the library (`storyline.ingest` composes a full ingest, the evaluators
measure through it); a library module importing the CLI would pull typer and rich into every
caller and let the two drift apart again. The check reads the source with `ast`, so it covers
imports inside functions and modules whose optional dependencies are not installed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import storyline

SRC = Path(storyline.__file__).resolve().parent
ALLOWED = {SRC / "__main__.py"}
CLI = "storyline.cli"


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_cli(name: str) -> bool:
    return name == CLI or name.startswith(CLI + ".")


def cli_imports(path: Path, source: str | None = None) -> Iterator[str]:
    """``file:line imports name`` for every import of `storyline.cli` in one file (``source``:
    its text, read from ``path`` when None)."""
    text = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(text, filename=str(path))
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, source] if source else base)
            names = [source] + [f"{source}.{alias.name}" for alias in node.names]
        elif (  # importlib.import_module("storyline.cli...") / __import__("storyline.cli...")
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (
                    isinstance(node.func, ast.Name)
                    and node.func.id in {"import_module", "__import__"}
                )
            )
        ):
            names = [node.args[0].value]
        for name in names:
            if _is_cli(name):
                line = getattr(node, "lineno", 0)
                yield f"{path.relative_to(SRC.parent.parent)}:{line} imports {name}"
                break


def library_files() -> list[Path]:
    return [
        path
        for path in sorted(SRC.rglob("*.py"))
        if path not in ALLOWED and (SRC / "cli") not in path.parents
    ]


def test_the_library_never_imports_the_cli() -> None:
    offending = [hit for path in library_files() for hit in cli_imports(path)]
    assert not offending, (
        "only storyline/cli/ and __main__.py may import storyline.cli; move what is needed into "
        "the library (e.g. storyline.ingest, storyline.sources.sample) instead:\n"
        + "\n".join(offending)
    )


def test_the_scan_sees_every_form_of_import() -> None:
    """The checker itself: absolute, dotted, relative and dynamic imports are all caught."""
    source = (
        "import storyline.cli.main\n"
        "from storyline.cli.ingest import progress_bar\n"
        "from storyline import cli\n"
        "from ..cli import main\n"
        "import importlib\n"
        "importlib.import_module('storyline.cli.evaluate')\n"
        "from storyline.ingest import ingest_paths\n"
        "from storyline import client_side\n"
        "from . import clustering\n"
    )
    # parsed as if it were src/storyline/evaluate/probe.py (never written)
    hits = list(cli_imports(SRC / "evaluate" / "probe.py", source))
    assert [int(h.split(":")[1].split()[0]) for h in hits] == [1, 2, 3, 4, 6], hits
