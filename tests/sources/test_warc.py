"""Web archives: HTML responses read in order, crawl dates kept apart, bad records stop the file."""

from __future__ import annotations

import gzip
import io
import time
from pathlib import Path

import pytest

from storyline.sources.warc import read_warc, write_warc

SAMPLE = Path(__file__).resolve().parents[2] / "src/storyline/data/sample/feeds/archive-pages.warc"


def pages(n: int) -> list[tuple[str, bytes, str]]:
    return [
        (
            f"https://news.example/2024/10/0{i + 1}/story-{i}/",
            f"<html><body><p>Story {i} body.</p></body></html>".encode(),
            f"2024-10-0{i + 1}T12:00:00Z",
        )
        for i in range(n)
    ]


def archive(tmp_path: Path, n: int = 3, *, compressed: bool = True) -> Path:
    path = tmp_path / ("a.warc.gz" if compressed else "a.warc")
    write_warc(path, pages(n), gzip=compressed)
    return path


def test_the_sample_archive() -> None:
    articles = list(read_warc(SAMPLE))
    assert [a.ok for a in articles] == [True, True, True]
    first = articles[0]
    assert first.source == "https://kabul-ledger.example/2024/05/14/helmand-water-talks-open/"
    assert first.raw_format == "html" and b"Helmand" in first.raw
    assert first.fields["warc"]["date"] == "2024-05-15T02:11:09Z"
    assert first.fields["warc"]["provenance"] == "crawl"
    assert first.published is None and "published" not in first.fields


@pytest.mark.parametrize("compressed", [True, False])
def test_records_are_read_in_order(tmp_path: Path, compressed: bool) -> None:
    articles = list(read_warc(archive(tmp_path, compressed=compressed)))
    assert [a.source for a in articles] == [p[0] for p in pages(3)]
    assert [a.fields["warc"]["date"] for a in articles] == [p[2] for p in pages(3)]
    assert all(a.fields["url"] == a.source for a in articles)


def test_non_html_and_non_response_records_are_left_out(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record("x.warc.gz", {"software": "test"}))
    http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/a.png",
            "response",
            payload=io.BytesIO(b"PNG"),
            length=3,
            http_headers=http,
        )
    )
    write_warc(buffer, pages(1))
    path = tmp_path / "mixed.warc.gz"
    path.write_bytes(buffer.getvalue())
    articles = list(read_warc(path))
    assert [a.source for a in articles] == [pages(1)[0][0]]


@pytest.mark.parametrize("compressed", [True, False])
def test_a_truncated_record_stops_the_file_and_keeps_the_records_before(
    tmp_path: Path, compressed: bool
) -> None:
    path = archive(tmp_path, compressed=compressed)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 60])
    articles = list(read_warc(path))
    assert [a.ok for a in articles] == [True, True, False]
    assert str(path) in articles[-1].source and "truncated" in (articles[-1].failed or "")


def test_a_decompression_bomb_stops_the_file_and_keeps_the_records_before(
    tmp_path: Path,
) -> None:
    buffer = io.BytesIO()
    write_warc(buffer, pages(2))
    bomb = b"<html><body>" + b"\0" * 60_000_000 + b"</body></html>"
    write_warc(buffer, [("https://news.example/bomb/", bomb, "2024-10-05T00:00:00Z")])
    write_warc(buffer, pages(1))
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 1_000_000
    started = time.monotonic()
    articles = list(read_warc(path, max_record_bytes=1_000_000))
    assert time.monotonic() - started < 2
    assert [a.ok for a in articles] == [True, True, False]
    assert "limit" in (articles[-1].failed or "") and "record 2" in articles[-1].source


def test_an_http_gzip_bomb_inside_a_record_is_capped(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    write_warc(buffer, pages(1))
    payload = gzip.compress(b"\0" * 50_000_000)
    http = StatusAndHeaders(
        "200 OK",
        [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        protocol="HTTP/1.1",
    )
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/gz/",
            "response",
            payload=io.BytesIO(payload),
            length=len(payload),
            http_headers=http,
        )
    )
    path = tmp_path / "httpbomb.warc.gz"
    path.write_bytes(buffer.getvalue())
    started = time.monotonic()
    articles = list(read_warc(path, max_record_bytes=1_000_000))
    assert time.monotonic() - started < 2
    assert [a.ok for a in articles] == [True, False]


def test_garbage_and_missing_files_fail_with_their_name(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"this is not a web archive at all\n" * 10)
    [article] = list(read_warc(junk))
    assert article.failed and str(junk) in article.source
    [missing] = list(read_warc(tmp_path / "nope.warc"))
    assert missing.failed and "cannot read" in missing.failed
