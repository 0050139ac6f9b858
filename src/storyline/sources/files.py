"""Readers for files, folders, gzip files and standard input.

A reader turns paths into `Article` records carrying only raw input (``source``, ``raw``,
``raw_format``, ``record``, ``fields``). A file that cannot be read becomes an article marked
failed with the file name and the problem, so one bad file is counted and reported while the rest
of the batch goes on. Sizes are checked before anything is read whole into memory.

Nothing a file holds stops the batch (issue 15): JSON nested deeper than `MAX_JSON_DEPTH`, lone
surrogate escapes (``"\\ud800"``, replaced by U+FFFD with a note), file names that are not
valid UTF-8 (``source`` holds them escaped, see `escape_name`), symlink loops and any other
reader error become a failed article naming the input. A container file (JSON Lines, a JSON
array, a WARC file) yields at most ``ingest.max_records`` records; the rest is refused with its
count.
"""

from __future__ import annotations

import csv
import errno
import fnmatch
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

from storyline.article import Article
from storyline.config import shipped
from storyline.errors import InputError, TooLarge, stopped_by_user

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
    ".warc": "warc",
    ".csv": "csv",
    ".tsv": "tsv",
}
#: JSON nested deeper than this is refused (a record of an article needs a few levels; the
#: parser itself would raise RecursionError near 1,000).
MAX_JSON_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile("[\\\\\ud800-\udfff]")
_UNESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


@dataclass
class ReadOptions:
    max_bytes: int = 10_000_000
    include: Sequence[str] = field(default_factory=lambda: ["*"])
    exclude: Sequence[str] = field(default_factory=list)
    #: records read at most from one JSON Lines file, JSON array or WARC file
    max_records: int = field(default_factory=shipped("ingest", "max_records"))
    #: files never read as articles: the store being written, its WAL, index and journal, and
    #: the copy index saved beside it (`store_files`). Reading one would store garbage, and
    #: closing our handle on the store would drop the SQLite locks this process holds on it.
    avoid: Sequence[str] = ()


def store_files(db: str | Path) -> list[str]:
    """The store file, the files SQLite keeps beside it, and the copy index saved beside it."""
    return [f"{db}{suffix}" for suffix in ("", "-wal", "-shm", "-journal", ".copy-index.npz")]


def escape_name(name: str) -> str:
    """A file name as valid Unicode, reversibly (`unescape_name`): a name that is not valid
    UTF-8 reaches us with its bad bytes as lone surrogates (``os.fsdecode``), which neither the
    store nor a terminal can write. Each such byte becomes ``\\xNN``, any other lone surrogate
    ``\\uNNNN``, and a backslash is doubled, but only in a name that holds a surrogate or a
    backslash; every other name is unchanged."""
    if not _ESCAPE.search(name):
        return name
    return _ESCAPE.sub(_escape_one, name)


def _escape_one(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "\\":
        return "\\\\"
    code = ord(char)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def unescape_name(name: str) -> str:
    """The name `escape_name` was given (``os.fsencode`` of it gives the bytes on disk)."""
    if "\\" not in name:
        return name
    return _UNESCAPE.sub(_unescape_one, name)


def _unescape_one(match: re.Match[str]) -> str:
    code = match.group(1)
    if code == "\\":
        return "\\"
    return chr(0xDC00 + int(code[1:], 16)) if code[0] == "x" else chr(int(code[1:], 16))


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (valid UTF-8 again)."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def failed(source: str, problem: str) -> Article:
    """An article that stands for an input that could not be read."""
    article = Article(source=source)
    article.failed = problem
    return article


def format_of(name: str) -> str | None:
    """Input format from a file name, looking through a ``.gz`` suffix (``.warc.gz`` is warc)."""
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
    if data.startswith(b"WARC/"):
        return "warc"
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
        path = (
            Path(unescape_name(given))
            if "\\" in given and not Path(given).exists()
            else Path(given)
        )
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
                    yield escape_name(str(full)), full
        else:
            yield escape_name(given), path


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
    """The articles of one file; whatever goes wrong becomes a failed article naming it."""
    try:
        yield from _read_file(shown, path, options)
    except Exception as exc:  # a reader bug or an input we did not foresee: this file only
        if stopped_by_user(exc):
            raise KeyboardInterrupt from exc
        yield failed(shown, f"cannot read: {type(exc).__name__}: {exc}")


def _read_file(shown: str, path: Path, options: ReadOptions) -> Iterator[Article]:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        yield failed(shown, "no such file" if not path.is_symlink() else "broken symlink")
        return
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            yield failed(shown, "symlink loop; skipped")
            return
        yield failed(shown, f"cannot read: {exc.strerror or exc}")
        return
    if not path.is_file():
        yield failed(shown, "not a regular file")
        return
    if _is_avoided(path, options.avoid):
        yield failed(shown, "is the store being written (--db) or one of its files; never read")
        return
    gz = path.name.lower().endswith(".gz")
    fmt = format_of(path.name)
    if fmt == "warc":  # WARC.gz members are read by warcio, record by record, each capped
        with path.open("rb") as raw:
            yield from _capped_records(
                read_warc_records(cast(BinaryIO, raw), shown, options), shown, options, "records"
            )
        return
    if not gz and size > options.max_bytes:
        yield failed(
            shown,
            f"{size:,} bytes is larger than the {options.max_bytes:,}-byte "
            "limit (ingest.max_bytes); refused before reading",
        )
        return
    try:
        with gzip.open(path, "rb") if gz else path.open("rb") as stream:
            yield from read_stream(cast(BinaryIO, stream), shown, fmt, options)
    except (OSError, EOFError, zlib.error) as exc:
        yield failed(shown, f"cannot read: {exc}")


def _is_avoided(path: Path, avoid: Sequence[str]) -> bool:
    """By file identity (stat, never open), so another name or a link for the store counts."""
    for other in avoid:
        try:
            if os.path.samefile(path, other):
                return True
        except OSError:
            continue  # not there (yet)
    return False


def read_warc_records(stream: BinaryIO, shown: str, options: ReadOptions) -> Iterator[Article]:
    """HTML responses of a WARC or WARC.gz stream (`storyline.sources.warc`)."""
    from storyline.sources.warc import read_warc_stream

    yield from read_warc_stream(stream, shown, options.max_bytes)


def _capped_records(
    records: Iterator[Article], source: str, options: ReadOptions, what: str
) -> Iterator[Article]:
    """At most ``options.max_records`` articles of one container; then one failed article
    saying the rest was refused (the rest of a WARC file is not read, so not counted)."""
    for count, article in enumerate(records):
        if count >= options.max_records:
            yield failed(
                source,
                f"{what} after the first {options.max_records:,} were not read "
                "(ingest.max_records); refused",
            )
            return
        yield article


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
        yield from read_json(data, source, options)
    elif fmt == "warc":
        records = read_warc_records(io.BytesIO(data), source, options)
        yield from _capped_records(records, source, options, "records")
    elif fmt in ("csv", "tsv"):
        yield from read_csv(data, source, options, delimiter="\t" if fmt == "tsv" else ",")
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
    """One article per line; a malformed line fails alone, naming its line number. After
    ``options.max_records`` records the rest is refused, its lines counted (reading at most
    ``options.max_bytes`` more)."""
    index = records = 0
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
        if records >= options.max_records:
            yield failed(source, _refused_lines(line, stream, index, options))
            return
        records += 1
        yield record_article(line, where, source, index - 1)


def _refused_lines(
    line: bytes, stream: BinaryIO | _BytesLines, index: int, opts: ReadOptions
) -> str:
    """The summary's line for the records of a JSON Lines file beyond ``max_records``."""
    count, read, complete = 1, 0, True
    try:
        while True:
            chunk = stream.readline(1 << 20)
            if not chunk:
                break
            read += len(chunk)
            if chunk.strip():
                count += 1
            if read > opts.max_bytes:
                complete = False
                break
    except (OSError, EOFError, zlib.error):
        complete = False
    counted = f"{count:,}" if complete else f"at least {count:,}"
    return (
        f"{counted} records from line {index:,} on refused: over the {opts.max_records:,}-record "
        "limit of one file (ingest.max_records)"
    )


def parse_json(data: bytes | str, source: str) -> tuple[Any, list[str]]:
    """A JSON value made safe to store: lone surrogates replaced (with a note), nesting deeper
    than `MAX_JSON_DEPTH` refused. Raises `InputError` naming ``source`` with the reason."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise InputError(
            source, f"not valid JSON: nested too deep (more than {MAX_JSON_DEPTH} levels); refused"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(source, f"not valid JSON: {exc}") from None
    replaced = False
    depth = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:  # iterative: deep values must not recurse here either
        item, level = stack.pop()
        depth = max(depth, level)
        if depth > MAX_JSON_DEPTH:
            raise InputError(
                source, f"not valid JSON: nested more than {MAX_JSON_DEPTH} levels; refused"
            )
        if isinstance(item, dict):
            for key in [k for k in item if _SURROGATE.search(k)]:
                item[without_surrogates(key)] = item.pop(key)
                replaced = True
            for key, child in item.items():
                if isinstance(child, str):
                    if _SURROGATE.search(child):
                        item[key] = without_surrogates(child)
                        replaced = True
                elif isinstance(child, dict | list):
                    stack.append((child, level + 1))
        elif isinstance(item, list):
            for i, child in enumerate(item):
                if isinstance(child, str):
                    if _SURROGATE.search(child):
                        item[i] = without_surrogates(child)
                        replaced = True
                elif isinstance(child, dict | list):
                    stack.append((child, level + 1))
    if isinstance(value, str):
        value, replaced = without_surrogates(value), bool(_SURROGATE.search(value))
    notes = ["lone surrogate escapes in the JSON replaced by U+FFFD"] if replaced else []
    return value, notes


def read_json(data: bytes, source: str, options: ReadOptions | None = None) -> Iterator[Article]:
    options = options or ReadOptions()
    try:
        value, notes = parse_json(data, source)
    except InputError as exc:
        yield failed(source, exc.problem)
        return
    items = value if isinstance(value, list) else [value]
    for i, item in enumerate(items):
        if i >= options.max_records:
            yield failed(
                source,
                f"{len(items) - i:,} records from item {i:,} on refused: over the "
                f"{options.max_records:,}-record limit of one file (ingest.max_records)",
            )
            return
        where = f"{source}[{i}]" if isinstance(value, list) else source
        if not isinstance(item, dict):
            yield failed(where, f"expected a JSON object, found {type(item).__name__}")
            continue
        raw = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")
        article = Article(
            source=source,
            raw=raw,
            raw_format="json",
            fields=item,
            record=i if isinstance(value, list) else None,
        )
        article.problems.extend(notes)
        yield article


def read_csv(
    data: bytes, source: str, options: ReadOptions | None = None, delimiter: str = ","
) -> Iterator[Article]:
    """One article per row of a CSV (or TSV) file with a header row. The header names the
    fields, mapped like JSON fields (`storyline.extract.record.FIELD_MAP`), so storyline's own CSV
    export reads back as the articles it holds. Each row becomes a JSON record, so it is stored,
    reprocessed and exported like a JSON Lines record; a row that is not well-formed fails alone,
    naming its line."""
    options = options or ReadOptions()
    text, note = _csv_text(data)
    # the module's default cap (128 KiB per field) is below an article's size; the file as a
    # whole is already under ``max_bytes``
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield failed(source, f"not a CSV file: {exc}")
        return
    names = [h.strip() for h in header or []]
    if not any(names):
        yield failed(source, "CSV file without a header row naming its columns; refused")
        return
    if len(set(names)) < len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        yield failed(source, f"CSV header names a column twice: {', '.join(twice)}; refused")
        return
    record = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            yield failed(f"{source}:{line}", f"not a well-formed CSV row: {exc}")
            return  # the reader cannot resynchronise after a broken quote
        if row is None:
            return
        if not any(cell.strip() for cell in row):
            continue
        if record >= options.max_records:
            yield failed(
                source,
                f"rows from line {line:,} on refused: over the {options.max_records:,}-record "
                "limit of one file (ingest.max_records)",
            )
            return
        if len(row) > len(names):
            yield failed(
                f"{source}:{line}", f"{len(row)} cells for {len(names)} columns in the header"
            )
            record += 1
            continue
        item = {n: v for n, v in zip(names, row, strict=False) if v != ""}
        raw = json.dumps(item, ensure_ascii=False, sort_keys=True).encode("utf-8")
        article = Article(source=source, raw=raw, raw_format="json", fields=item, record=record)
        if note:
            article.problems.append(note)
        record += 1
        yield article


def _csv_text(data: bytes) -> tuple[str, str | None]:
    """The text of a CSV file: UTF-8 (with or without BOM), else the encoding charset-normalizer
    finds, else UTF-8 with replacement characters (noted)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None:
        try:
            return data.decode(best.encoding), None
        except (UnicodeDecodeError, LookupError):
            pass
    note = "CSV file is not valid UTF-8: undecodable bytes replaced"
    return data.decode("utf-8", "replace"), note


def record_article(line: bytes, where: str, source: str, record: int) -> Article:
    try:
        item, notes = parse_json(line, where)
    except InputError as exc:
        return failed(where, exc.problem)
    if not isinstance(item, dict):
        return failed(where, f"expected a JSON object, found {type(item).__name__}")
    article = Article(
        source=source, raw=line.rstrip(b"\r\n"), raw_format="json", fields=item, record=record
    )
    article.problems.extend(notes)
    return article


def source_key(article: Article) -> str:
    """Where an article came from, stable across runs and working directories (an escaped file
    name stays escaped: `escape_name`)."""
    src = article.source
    if src != "<stdin>" and "://" not in src:
        base = src.rsplit(":", 1)[0] if article.failed and src.rsplit(":", 1)[-1].isdigit() else src
        path = unescape_name(base)
        try:
            resolved = str(Path(path).resolve())
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
            resolved = os.path.abspath(path)
        src = escape_name(resolved) + src[len(base) :]
    src = escape_name(src) if _SURROGATE.search(src) else src
    return src if article.record is None else f"{src}#{article.record}"
