from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import InputError, TooLarge
from storyline.sources.files import (
    ReadOptions,
    read_capped,
    read_paths,
    read_stream,
    source_key,
)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_folder_is_read_recursively_in_order_with_globs(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", b"second")
    write(tmp_path / "a.txt", b"first")
    write(tmp_path / "sub" / "c.html", b"<html><body><p>x</p></body></html>")
    write(tmp_path / "sub" / "notes.pdf", b"%PDF-1.4")
    write(tmp_path / ".hidden.txt", b"hidden")
    opts = ReadOptions(include=["*.txt", "*.html"], exclude=[".*"])
    arts = list(read_paths([str(tmp_path)], opts))
    assert [Path(a.source).name for a in arts] == ["a.txt", "b.txt", "c.html"]
    assert [a.raw_format for a in arts] == ["txt", "txt", "html"]
    excluded = list(read_paths([str(tmp_path)], ReadOptions(include=["*.txt"], exclude=["b.*"])))
    assert [Path(a.source).name for a in excluded] == [".hidden.txt", "a.txt"]


def test_jsonl_malformed_line_fails_alone_and_names_its_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "One", "text": "Body one."}),
        "{not json",
        json.dumps(["a list"]),
        "",
        json.dumps({"title": "Two", "text": "Body two."}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines).encode())
    arts = list(read_paths([str(path)]))
    assert [a.fields.get("title") for a in arts if a.ok] == ["One", "Two"]
    assert [a.record for a in arts if a.ok] == [0, 4]
    bad = [a for a in arts if a.failed]
    assert [a.source for a in bad] == [f"{path}:2", f"{path}:3"]
    assert bad[0].failed.startswith("not valid JSON")
    assert bad[1].failed == "expected a JSON object, found list"


def test_json_array_and_object(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps([{"text": "x"}, {"text": "y"}]).encode())
    assert [a.record for a in read_paths([str(path)])] == [0, 1]
    path = write(tmp_path / "o.json", json.dumps({"text": "x"}).encode())
    (one,) = read_paths([str(path)])
    assert one.record is None and one.fields == {"text": "x"}


def test_gzip_is_read_through_and_bombs_are_capped(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt.gz", gzip.compress(b"hello world"))
    (art,) = read_paths([str(path)])
    assert art.raw == b"hello world" and art.raw_format == "txt"
    bomb = write(tmp_path / "bomb.txt.gz", gzip.compress(b"A" * 5_000_000))
    assert bomb.stat().st_size < 50_000
    (refused,) = read_paths([str(bomb)], ReadOptions(max_bytes=1_000_000))
    assert refused.failed == "larger than the 1,000,000-byte limit (ingest.max_bytes); refused"
    broken = write(tmp_path / "broken.txt.gz", gzip.compress(bytes(range(256)) * 40)[:-100])
    (bad,) = read_paths([str(broken)])
    assert bad.failed and bad.failed.startswith("cannot read")


def test_read_capped_raises_too_large_naming_the_source() -> None:
    assert read_capped(io.BytesIO(b"x" * 10), 10, "feed.txt") == b"x" * 10
    with pytest.raises(TooLarge) as info:
        read_capped(io.BytesIO(b"x" * 11), 10, "feed.txt")
    assert isinstance(info.value, InputError)
    assert info.value.source == "feed.txt" and info.value.limit == 10
    assert str(info.value) == (
        "E101 feed.txt: larger than the 10-byte limit (ingest.max_bytes); refused"
    )


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", b"x" * 2000)
    (art,) = read_paths([str(path)], ReadOptions(max_bytes=1000))
    assert art.failed == (
        "2,000 bytes is larger than the 1,000-byte limit (ingest.max_bytes); refused before reading"
    )
    assert art.raw == b""


def test_missing_file_and_folder_given_as_file(tmp_path: Path) -> None:
    (missing,) = read_paths([str(tmp_path / "nope.txt")])
    assert missing.failed == "no such file"


def test_stdin_format_is_sniffed(tmp_path: Path) -> None:
    import io

    (html,) = read_stream(
        io.BytesIO(b"<!DOCTYPE html><html></html>"), "<stdin>", None, ReadOptions()
    )
    assert html.raw_format == "html"
    arts = list(
        read_stream(io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n'), "<stdin>", None, ReadOptions())
    )
    assert [a.fields["text"] for a in arts] == ["a", "b"]


def test_source_key_is_absolute_and_names_the_record(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path / "f.jsonl", b'{"text": "a"}\n')
    monkeypatch.chdir(tmp_path)
    (art,) = read_paths(["f.jsonl"])
    assert source_key(art) == f"{path.resolve()}#0"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4000), st.sampled_from(["x.txt", "x.html", "x.json", "x.jsonl", "x.md"]))
def test_readers_never_crash_on_arbitrary_bytes(data: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        for art in read_paths([str(path)]):
            assert art.ok or art.failed
