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
    escape_name,
    read_capped,
    read_paths,
    read_stream,
    source_key,
    unescape_name,
    walk,
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


NAMES = ["x.txt", "x.html", "x.json", "x.jsonl", "x.md", "x.csv", "x.tsv"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4000), st.sampled_from(NAMES))
def test_readers_never_crash_on_arbitrary_bytes(data: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        for art in read_paths([str(path)]):
            assert art.ok or art.failed


# -- issue 15: nothing a file holds stops the batch -------------------------------------------
def test_deep_json_is_a_failed_input_not_a_crash(tmp_path: Path) -> None:
    deep = b"[" * 10_000 + b"]" * 10_000
    write(tmp_path / "a.json", deep)
    write(tmp_path / "b.jsonl", b'{"text": "ok"}\n{"text": ' + deep + b'}\n{"text": "also ok"}\n')
    write(tmp_path / "c.json", json.dumps({"text": {"x": [[[[[[["fine"]]]]]]]}}).encode())
    arts = list(read_paths([str(tmp_path)]))
    assert [(Path(a.source).name, a.failed) for a in arts if a.failed] == [
        ("a.json", "not valid JSON: nested too deep (more than 64 levels); refused"),
        ("b.jsonl:2", "not valid JSON: nested too deep (more than 64 levels); refused"),
    ]
    assert [a.fields["text"] for a in arts if a.ok][:2] == ["ok", "also ok"]
    nested = json.dumps({"text": "x", "y": json.loads("[" * 100 + "]" * 100)}).encode()
    (refused,) = read_paths([str(write(tmp_path / "d.json", nested))])
    assert refused.failed == "not valid JSON: nested more than 64 levels; refused"


def test_lone_surrogate_escapes_are_replaced_with_a_note(tmp_path: Path) -> None:
    write(tmp_path / "a.json", b'{"title": "A\\ud800", "text": "t", "\\udfff": ["\\udc80"]}')
    write(tmp_path / "b.jsonl", b'{"text": "t", "unmapped": {"deep": "\\ud800x"}}\n')
    arts = list(read_paths([str(tmp_path)]))
    assert [a.ok for a in arts] == [True, True]
    assert arts[0].fields == {"title": "A\ufffd", "text": "t", "\ufffd": ["\ufffd"]}
    assert arts[1].fields["unmapped"] == {"deep": "\ufffdx"}
    for art in arts:
        art.raw.decode("utf-8")
        json.dumps(art.fields, ensure_ascii=False).encode("utf-8")  # the store's encoding
        assert art.problems == ["lone surrogate escapes in the JSON replaced by U+FFFD"]


def test_file_names_that_are_not_utf8_are_kept_escaped(tmp_path: Path) -> None:
    import os

    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9 \\ news.txt"), "wb") as fh:
        fh.write(b"Officials met in Quetta.")
    (art,) = read_paths([str(tmp_path)])
    assert art.ok and art.raw == b"Officials met in Quetta."
    assert Path(art.source).name == "caf\\xe9 \\\\ news.txt"
    key = source_key(art)
    key.encode("utf-8")
    assert os.fsencode(unescape_name(key)) == os.path.join(
        os.fsencode(tmp_path.resolve()), b"caf\xe9 \\ news.txt"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_escape_name_round_trips_and_is_valid_unicode(name: str) -> None:
    escaped = escape_name(name)
    escaped.encode("utf-8")
    assert unescape_name(escaped) == name
    if "\\" not in name and not any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        assert escaped == name


def test_symlink_loops_are_skipped_with_a_reason(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    write(tmp_path / "c.txt", b"fine")
    arts = list(read_paths([str(tmp_path)]))
    assert [(Path(a.source).name, a.failed) for a in arts] == [
        ("a.txt", "symlink loop; skipped"),
        ("b.txt", "symlink loop; skipped"),
        ("c.txt", None),
        ("gone.txt", "broken symlink"),
    ]
    assert source_key(arts[0]) == str(tmp_path.resolve() / "a.txt")


def test_records_per_file_are_capped_and_the_rest_counted(tmp_path: Path) -> None:
    lines = b"".join(json.dumps({"text": f"record {i}"}).encode() + b"\n" for i in range(10))
    write(tmp_path / "a.jsonl.gz", gzip.compress(lines))
    write(tmp_path / "b.json", json.dumps([{"text": str(i)} for i in range(5)]).encode())
    write(tmp_path / "c.txt", b"the file after them is read")
    arts = list(read_paths([str(tmp_path)], ReadOptions(max_records=3)))
    assert [a.record for a in arts if a.ok] == [0, 1, 2, 0, 1, 2, None]
    assert [(Path(a.source).name, a.failed) for a in arts if a.failed] == [
        (
            "a.jsonl.gz",
            "7 records from line 4 on refused: over the 3-record limit of one file "
            "(ingest.max_records)",
        ),
        (
            "b.json",
            "2 records from item 3 on refused: over the 3-record limit of one file "
            "(ingest.max_records)",
        ),
    ]
    huge = write(tmp_path / "d.jsonl.gz", gzip.compress(b'{"text": "x"}\n' * 5000))
    (*_, refused) = read_paths([str(huge)], ReadOptions(max_records=1, max_bytes=1000))
    assert refused.failed.startswith("at least 73 records from line 2 on refused")


def test_web_archives_are_read_record_by_record(tmp_path: Path, sample_dir: Path) -> None:
    warc = sample_dir / "feeds" / "archive-pages.warc"
    arts = list(read_paths([str(warc)]))
    assert len(arts) == 3 and all(a.ok and a.raw_format == "html" for a in arts)
    assert all(a.source.startswith("https://") for a in arts)
    (*kept, refused) = read_paths([str(warc)], ReadOptions(max_records=2))
    assert [a.source for a in kept] == [a.source for a in arts[:2]]
    assert refused.failed == (
        "records after the first 2 were not read (ingest.max_records); refused"
    )
    from storyline.sources.warc import write_warc

    assert callable(write_warc)


def test_the_sample_corpus_ingest_leaves_the_sample_feeds_out(sample_dir: Path) -> None:
    from storyline import config
    from storyline.sources.sample import GOLD_FILES

    settings = config.load(environ={})["ingest"]
    options = ReadOptions(include=settings["include"], exclude=[*settings["exclude"], *GOLD_FILES])
    sources = [a.source for a in read_paths([str(sample_dir)], options)]
    assert sources and not [s for s in sources if "/feeds/" in s or "://" in s]


def test_files_beside_articles_are_left_out_of_folders_unless_named(tmp_path: Path) -> None:
    """Issue 9: a README, a licence, a changelog or a labels folder is no article."""
    from storyline import config

    for name in ("a.txt", "README.md", "LICENSE.txt", "COPYING", "CHANGELOG.md", "labels/g.jsonl"):
        write(tmp_path / name, b"Border talks resume.\n\nOfficials met on Monday.\n")
    options = ReadOptions(exclude=config.load(None, {}, environ={})["ingest"]["exclude"])
    assert [Path(s).name for s, _ in walk([str(tmp_path)], options)] == ["a.txt"]
    named = [Path(s).name for s, _ in walk([str(tmp_path / "README.md")], options)]
    assert named == ["README.md"]
