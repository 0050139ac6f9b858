"""Decode raw bytes into text without ever crashing on a bad encoding.

The order is: a BOM, strict UTF-8, the charset an HTML page declares, then charset-normalizer's
detection, and finally UTF-8 with replacement characters. Binary files that merely carry a text
extension (a PNG named ``.html``) are refused as a `Skip`, not stored as garbage.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from storyline.article import Article
from storyline.errors import Skip
from storyline.pipeline import Stage

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset=["']?([A-Za-z0-9_.:-]{1,40})""", re.I)
_MAGIC = {
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "zip archive",
    b"\x7fELF": "executable",
    b"\x1f\x8b": "gzip data",
}
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sniff_binary(data: bytes) -> str | None:
    """Name the kind of binary content, or None when the bytes look like text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:4096]
    if not head:
        return None
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    nul = head.count(b"\x00")
    if nul > len(head) // 100:
        return "binary data (NUL bytes)"
    # Bytes 0-8 and 14-31, counted in C: what deleting them removes from the head.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > len(head) // 10:
        return "binary data (control bytes)"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Never raises on any input."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore")
        try:
            return data.decode(name), name.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding and best.encoding not in {"utf_8", "utf-8"}:
        try:
            return data.decode(best.encoding), best.encoding
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("utf-8", "replace"), "utf-8 (with replacements)"


def to_clean_unicode(text: str) -> str:
    """Stored text must be valid UTF-8 without NUL or stray control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # Lone surrogates cannot be encoded as UTF-8.
    return text.encode("utf-8", "replace").decode("utf-8")


class DecodeStage(Stage):
    """Bytes to text; JSON records arrive already decoded in ``fields``."""

    name = "decode"
    version = "1"
    reads = ("raw", "raw_format")
    adds = ("decoded", "encoding")

    def process(self, article: Article) -> None:
        if article.raw_format == "json":
            article.encoding = "json"
            article.decoded = ""
            return
        if not article.raw.strip():
            raise Skip("empty document")
        kind = sniff_binary(article.raw)
        if kind:
            raise Skip(f"not text: looks like {kind}")
        text, encoding = decode(article.raw)
        article.decoded = to_clean_unicode(text)
        article.encoding = encoding
        if "replacements" in encoding:
            article.problems.append("invalid UTF-8 bytes replaced with U+FFFD")
        if not article.decoded.strip():
            raise Skip("empty document")
