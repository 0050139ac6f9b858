from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.article import Article
from storyline.errors import Skip
from storyline.extract.encoding import DecodeStage, decode, sniff_binary, to_clean_unicode

TEXT = "Iran’s envoy met the “caretaker” minister in Islamabad on Monday."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("cp1252") * 3, None),
    ],
)
def test_decodes_common_encodings(data: bytes, encoding: str | None) -> None:
    text, found = decode(data)
    assert TEXT in text
    if encoding:
        assert found == encoding


def test_html_declared_charset_is_used() -> None:
    html = '<html><head><meta charset="windows-1256"></head><body>' + "خبر" + "</body></html>"
    text, found = decode(html.encode("cp1256"))
    assert "خبر" in text and found == "windows-1256"


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    art = Article("x.txt", raw=b"Kabul talks \xff\xfe\xfa resumed on Monday. " * 3)
    DecodeStage().process(art)
    assert "Kabul talks" in art.decoded
    art.decoded.encode("utf-8")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not text: looks like PNG image"),
        (bytes(500) + b"abc", "not text: looks like binary data (NUL bytes)"),
        (b"   \n\t", "empty document"),
        (b"", "empty document"),
    ],
)
def test_binary_and_empty_inputs_are_skipped_with_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(Skip) as info:
        DecodeStage().process(Article("x.txt", raw=raw))
    assert info.value.reason == reason


def test_clean_unicode_removes_nul_and_controls() -> None:
    assert to_clean_unicode("a\x00b\x07c\r\nd\ud800") == "abc\nd?"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_stored_text_is_valid_utf8_without_nul(data: bytes) -> None:
    art = Article("x.txt", raw=data)
    try:
        DecodeStage().process(art)
    except Skip:
        return
    assert "\x00" not in art.decoded
    art.decoded.encode("utf-8")
    assert sniff_binary(data) is None
