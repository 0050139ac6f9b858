"""Reading labelled files for the evaluators, with errors that name the file and the line.

Two kinds of error, both coded (`storyline.errors`):

- `InputError` (E100): the file cannot be read (missing, not UTF-8) or a line cannot be parsed
  (not JSON); its ``source`` is the file and its ``problem`` starts with the line number;
- `EvaluationError` (E700): the file reads, but the labelled data is malformed (a required field
  missing, a duplicate id, a token absent from its text); the message starts with ``file:line``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from storyline.errors import EvaluationError, InputError

__all__ = ["find_gold", "malformed", "read_jsonl", "read_text", "require"]


def read_text(path: str | Path) -> str:
    """The whole file as text; `InputError` when it cannot be read."""
    try:
        return Path(path).read_text("utf-8")
    except FileNotFoundError as exc:
        raise InputError(str(path), "no such labelled file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read labelled file: {exc}") from exc


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSON Lines file.

    Lines end at ``\n`` only (``\r\n`` read as one): a JSON string may hold U+2028 or U+0085
    unescaped (``json.dumps(..., ensure_ascii=False)`` writes them so), which ``str.splitlines``
    would split, and the numbers match ingest's records (`storyline.sources.files.read_jsonl`).
    """
    for number, line in enumerate(read_text(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise malformed(path, number, "each line must be a JSON object")
        yield number, row


def malformed(path: str | Path, line: int | None, problem: str) -> EvaluationError:
    """An `EvaluationError` for labelled data that read but is wrong, at ``path:line``."""
    where = f"{path}:{line}" if line is not None else str(path)
    return EvaluationError(f"{where}: {problem}")


def require(
    row: Mapping[str, Any], keys: Iterable[str], path: str | Path, line: int, hint: str = ""
) -> None:
    """Raise `EvaluationError` naming ``path:line`` when any of ``keys`` is missing or null."""
    missing = [k for k in keys if row.get(k) is None]
    if missing:
        raise malformed(path, line, f"missing {', '.join(missing)}" + (f"; {hint}" if hint else ""))


def find_gold(folder: Path, names: Iterable[str], layout: str, skip: Iterable[str] = ()) -> Path:
    """A folder's gold map when none is named: the first of ``names`` there, else its only
    ``.json`` file (but ``skip``); an `EvaluationError` saying the expected ``layout`` if none."""
    for name in names:
        if (folder / name).is_file():
            return folder / name
    left_out = set(skip)
    found = sorted(p for p in folder.glob("*.json") if p.name not in left_out)
    if len(found) == 1:
        return found[0]
    raise malformed(folder, None, f"no gold map: name one with --gold ({layout})")
