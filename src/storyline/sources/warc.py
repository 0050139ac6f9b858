"""Web archives: HTML responses from WARC and WARC.gz files (CC-NEWS as it comes), streamed.

`read_warc(path)` yields one `Article` per HTML response record, like the file readers do:
``source`` is the record's target URI, ``raw`` the HTTP payload (transfer and content encodings
removed), ``raw_format`` html. The WARC-Date says when a crawler saved the page, not when the
outlet published it: it goes to ``fields["warc"]["date"]`` with ``provenance: crawl`` (with the
record id, the file and the record's offset), never to a publication date field.

Memory is bounded: records are read one at a time, each payload at most ``max_record_bytes``. A
record over the cap stops the file (skipping it would mean decompressing all of it: a
decompression bomb), as does a truncated or corrupt record; either way the reader yields one failed
article naming the file, the record and the problem, after every record before it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from storyline.article import Article
from storyline.errors import stopped_by_user

__all__ = ["HTML_TYPES", "read_warc", "read_warc_stream", "read_warcs", "write_warc"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _failed(source: str, problem: str) -> Article:
    article = Article(source=source)
    article.failed = problem
    return article


def read_warcs(paths: Iterable[str], max_record_bytes: int = 10_000_000) -> Iterator[Article]:
    for path in paths:
        yield from read_warc(path, max_record_bytes)


def read_warc(path: str | Path, max_record_bytes: int = 10_000_000) -> Iterator[Article]:
    """Every HTML response of a WARC or WARC.gz file, in file order (module docstring)."""
    shown = str(path)
    try:
        stream = open(path, "rb")
    except OSError as exc:
        yield _failed(shown, f"cannot read: {exc.strerror or exc}")
        return
    try:
        yield from read_warc_stream(stream, shown, max_record_bytes)
    finally:
        stream.close()


def read_warc_stream(stream: BinaryIO, shown: str, max_record_bytes: int) -> Iterator[Article]:
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream)
    index, end = -1, 0
    try:
        for record in records:
            index += 1
            where = f"{shown} (record {index})"
            broken = record.length is None or not record.rec_type
            if broken or (record.rec_type == "response" and not record.http_headers):
                yield _failed(where, "truncated record; the rest of the file is not read")
                return
            article = _article(record, where, max_record_bytes)
            if article is not None and article.failed:
                yield article
                return
            offset = records.get_record_offset()  # reads the record to its end
            end = offset + records.get_record_length()
            if getattr(record.raw_stream, "limit", 0):  # block bytes declared but never there
                yield _failed(where, "truncated record; the rest of the file is not read")
                return
            if article is not None:
                article.fields["warc"]["offset"] = offset
                yield article
    except Exception as exc:  # warcio raises many kinds on corrupt input; the file stops here
        if stopped_by_user(exc):
            raise KeyboardInterrupt from exc
        where = f"{shown} (record {index + 1})"
        yield _failed(where, f"unreadable WARC record ({exc}); the rest of the file is not read")
        return
    size = _size(stream)
    if size is not None and size > end + 4:  # 4: the CRLF CRLF after an uncompressed record
        yield _failed(
            f"{shown} (record {index + 1})",
            f"{size - end:,} bytes at the end are no complete record (truncated); not read",
        )


def _size(stream: BinaryIO) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        getbuffer = getattr(stream, "getbuffer", None)
        return len(getbuffer()) if getbuffer else None


def _article(record: Any, where: str, max_record_bytes: int) -> Article | None:
    """The article of an HTML response record, a failed article when it is over the cap, or
    None for any other record."""
    if record.rec_type != "response":
        return None
    ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0]
    status = record.http_headers.get_statuscode() or ""
    if ctype.strip().lower() not in HTML_TYPES or not status.startswith("2"):
        return None
    if record.length > max_record_bytes * 4:  # the block, before content decoding
        return _failed(
            where,
            f"record of {record.length:,} bytes is over the {max_record_bytes:,}-byte limit "
            "(warc.max_record_bytes); the rest of the file is not read",
        )
    payload = record.content_stream().read(max_record_bytes + 1)
    if len(payload) > max_record_bytes:
        return _failed(
            where,
            f"payload over the {max_record_bytes:,}-byte limit (warc.max_record_bytes): "
            "a decompression bomb or an oversized page; the rest of the file is not read",
        )
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    return Article(
        source=uri or where,
        raw=payload,
        raw_format="html",
        fields={"url": uri, "warc": _evidence(record, where.split(" (")[0], 0)},
    )


def _evidence(record: Any, shown: str, offset: int) -> dict[str, Any]:
    headers = record.rec_headers
    return {
        "date": headers.get_header("WARC-Date"),
        "record_id": headers.get_header("WARC-Record-ID"),
        "file": shown,
        "offset": offset,
        "provenance": "crawl",
    }


def _record_id(url: str, date: str) -> str:
    import uuid

    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, date + ' ' + url)}>"


def write_warc(
    target: BinaryIO | str | Path, pages: Iterable[tuple[str, bytes, str]], *, gzip: bool = True
) -> None:
    """Write ``(url, html, warc_date)`` pages as HTTP response records (tests, sample data)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    own = not hasattr(target, "write")
    out: BinaryIO = open(target, "wb") if own else target  # type: ignore[arg-type, assignment]
    try:
        writer = WARCWriter(out, gzip=gzip)
        for url, html, date in pages:
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(html)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(html),
                length=len(html),  # a known length: warcio digests in place, no temporary file
                http_headers=http,
                warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _record_id(url, date)},
            )
            writer.write_record(record)
    finally:
        if own:
            out.close()
