"""Readers for files, folders, gzip files and standard input.

A reader turns paths into `Article` records carrying only raw input (``source``, ``raw``,
``raw_format``, ``record``, ``fields``). A file that cannot be read becomes an article marked
failed with the file name and the problem, so one bad file is counted and reported while the rest
of the batch goes on. Sizes are checked before anything is read whole into memory.
"""

from __future__ import annotations

import fnmatch
import gzip
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

from storyline.article import Article
from storyline.errors import TooLarge

FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass
class ReadOptions:
    max_bytes: int = 10_000_000
    include: Sequence[str] = field(default_factory=lambda: ["*"])
    exclude: Sequence[str] = field(default_factory=list)


def failed(source: str, problem: str) -> Article:
    """An article that stands for an input that could not be read."""
    article = Article(source=source)
    article.failed = problem
    return article


def format_of(name: str) -> str | None:
    """Input format from a file name, looking through a ``.gz`` suffix."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return FORMATS.get(os.path.splitext(lower)[1])


def sniff_format(data: bytes) -> str:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<div")):
        return "html"
    if head.startswith(b"{"):
        return "jsonl" if data.count(b"\n{") else "json"
    if head.startswith(b"["):
        return "json"
    return "txt"


def read_capped(stream: BinaryIO, max_bytes: int, source: str) -> bytes:
    """Read at most ``max_bytes``, so a decompression bomb never sits whole in memory.

    Raises `TooLarge` (naming ``source`` and the ``ingest.max_bytes`` setting) beyond the cap;
    `read_stream` records it as the failure of that one input.
    """
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(source, max_bytes)
    return data


def walk(paths: Iterable[str], options: ReadOptions) -> Iterator[tuple[str, Path | None]]:
    """Expand folders (recursively, sorted, with include/exclude globs) into files."""
    for given in paths:
        if given == "-":
            yield "-", None
            continue
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    full = Path(root) / name
                    rel = full.relative_to(path).as_posix()
                    if _matches(rel, name, options.exclude):
                        continue
                    if options.include and not _matches(rel, name, options.include):
                        continue
                    yield str(full), full
        else:
            yield given, path


def _matches(rel: str, name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def read_paths(paths: Iterable[str], options: ReadOptions | None = None) -> Iterator[Article]:
    """Every article in the given files and folders ("-" is standard input), in a stable order."""
    options = options or ReadOptions()
    for shown, path in walk(paths, options):
        if path is None:
            yield from read_stream(sys.stdin.buffer, "<stdin>", None, options)
            continue
        yield from read_file(shown, path, options)


def read_file(shown: str, path: Path, options: ReadOptions) -> Iterator[Article]:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        yield failed(shown, "no such file")
        return
    except OSError as exc:
        yield failed(shown, f"cannot read: {exc.strerror or exc}")
        return
    if not path.is_file():
        yield failed(shown, "not a regular file")
        return
    gz = path.name.lower().endswith(".gz")
    if not gz and size > options.max_bytes:
        yield failed(
            shown,
            f"{size:,} bytes is larger than the {options.max_bytes:,}-byte "
            "limit (ingest.max_bytes); refused before reading",
        )
        return
    fmt = format_of(path.name)
    try:
        with gzip.open(path, "rb") if gz else path.open("rb") as stream:
            yield from read_stream(cast(BinaryIO, stream), shown, fmt, options)
    except (OSError, EOFError, zlib.error) as exc:
        yield failed(shown, f"cannot read: {exc}")


def read_stream(
    stream: BinaryIO, source: str, fmt: str | None, options: ReadOptions
) -> Iterator[Article]:
    if fmt == "jsonl":
        yield from read_jsonl(stream, source, options)
        return
    try:
        data = read_capped(stream, options.max_bytes, source)
    except TooLarge as exc:
        yield failed(source, exc.problem)
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield failed(source, f"cannot read: {exc}")
        return
    fmt = fmt or sniff_format(data)
    if fmt == "jsonl":
        yield from read_jsonl(_BytesLines(data), source, options)
    elif fmt == "json":
        yield from read_json(data, source)
    else:
        yield Article(source=source, raw=data, raw_format=fmt)


class _BytesLines:
    """Iterate over lines of an in-memory buffer like a binary file."""

    def __init__(self, data: bytes) -> None:
        self._lines = data.splitlines(keepends=True)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._lines)

    def readline(self, limit: int = -1) -> bytes:
        return self._lines.pop(0) if self._lines else b""


def read_jsonl(
    stream: BinaryIO | _BytesLines, source: str, options: ReadOptions
) -> Iterator[Article]:
    """One article per line; a malformed line fails alone, naming its line number."""
    index = 0
    while True:
        try:
            line = stream.readline(options.max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            yield failed(f"{source}:{index + 1}", f"cannot read: {exc}")
            return
        if not line:
            return
        index += 1
        where = f"{source}:{index}"
        if len(line) > options.max_bytes:
            yield failed(where, f"line longer than the {options.max_bytes:,}-byte limit; refused")
            # skip the rest of this over-long line without holding it in memory
            while line and not line.endswith(b"\n"):
                line = stream.readline(options.max_bytes + 1)
            continue
        if not line.strip():
            continue
        yield record_article(line, where, source, index - 1)


def read_json(data: bytes, source: str) -> Iterator[Article]:
    try:
        value = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield failed(source, f"not valid JSON: {exc}")
        return
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        where = f"{source}[{i}]" if isinstance(value, list) else source
        if not isinstance(item, dict):
            yield failed(where, f"expected a JSON object, found {type(item).__name__}")
            continue
        raw = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")
        yield Article(
            source=source,
            raw=raw,
            raw_format="json",
            fields=item,
            record=i if isinstance(value, list) else None,
        )


def record_article(line: bytes, where: str, source: str, record: int) -> Article:
    try:
        item = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return failed(where, f"not valid JSON: {exc}")
    if not isinstance(item, dict):
        return failed(where, f"expected a JSON object, found {type(item).__name__}")
    return Article(
        source=source, raw=line.rstrip(b"\r\n"), raw_format="json", fields=item, record=record
    )


def source_key(article: Article) -> str:
    """Where an article came from, stable across runs and working directories."""
    src = article.source
    if src != "<stdin>" and "://" not in src:
        base = src.rsplit(":", 1)[0] if article.failed and src.rsplit(":", 1)[-1].isdigit() else src
        try:
            src = str(Path(base).resolve()) + src[len(base) :]
        except OSError:
            pass
    return src if article.record is None else f"{src}#{article.record}"
