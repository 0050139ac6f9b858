"""HTML to main text and metadata, with trafilatura (the field's best open extractor)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import trafilatura
from trafilatura.settings import Extractor

# Dates only from the page's metadata and markup, never guessed from any date in the body:
# a wrong date is worse than none, which the date stage can then bound from the text.
_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}


@dataclass
class HtmlResult:
    text: str
    title: str | None
    author: str | None
    url: str | None
    sitename: str | None
    hostname: str | None
    date: str | None
    language: str | None


def _options(url: str | None, *, recall: bool) -> Extractor:
    """trafilatura's options for one call: the same values bare_extraction would build from the
    keyword arguments. It reads about eight settings from its ConfigParser on every call
    (~0.04 ms), so the url-less ones, which every HTML file uses, are built once."""
    if url is None:
        cached = _NO_URL_OPTIONS.get(recall)
        if cached is None:
            cached = _NO_URL_OPTIONS[recall] = _build_options(None, recall=recall)
        return cached
    return _build_options(url, recall=recall)


def _build_options(url: str | None, *, recall: bool) -> Extractor:
    # trafilatura copies the options before changing them and copies date_params before adding
    # the url, so a shared Extractor is never mutated by an extraction.
    return Extractor(
        output_format="python",
        precision=not recall,
        recall=recall,
        comments=False,
        tables=True,
        url=url,
        with_metadata=True,
        date_params=_DATE_PARAMS,
    )


_NO_URL_OPTIONS: dict[bool, Extractor] = {}


#: Zero-width joiners, stood in for by printable marks while trafilatura reads the page: it drops
#: every character that is not printable, and the non-joiner is how Persian writes the half-space
#: inside a word ("آتش‌سوزی", "می‌شود"). Without it two words fuse into one that neither a search
#: for the word nor for its parts finds. The stand-ins are punctuation no news text uses; a page
#: that does use them keeps trafilatura's behaviour.
_JOINERS = {"\u200c": "\u2e2c", "\u200d": "\u2e2d"}
_PROTECT = str.maketrans(_JOINERS)
_RESTORE = str.maketrans({v: k for k, v in _JOINERS.items()})


#: The joiners written as character references: ``&zwnj;``, ``&#8204;``, ``&#x200c;``.
_JOINER_REFS = re.compile(r"&(?:(zwnj|zwj)|#(820[45])|#x(200[cd]));", re.IGNORECASE)


def _joiner_ref(match: re.Match[str]) -> str:
    name, decimal, hexa = match.groups()
    non_joiner = (name or decimal or hexa or "").lower() in ("zwnj", "8204", "200c")
    return _JOINERS["\u200c" if non_joiner else "\u200d"]


def protect_joiners(html: str) -> tuple[str, bool]:
    """The page with its zero-width joiners (characters or references) stood in for, and
    whether anything was."""
    if any(m in html for m in _JOINERS.values()):
        return html, False
    has_refs = "&" in html and _JOINER_REFS.search(html) is not None
    if not has_refs and not any(j in html for j in _JOINERS):
        return html, False
    if has_refs:
        html = _JOINER_REFS.sub(_joiner_ref, html)
    return html.translate(_PROTECT), True


def restore_joiners(text: str) -> str:
    """The joiners back in place of their stand-ins (see `protect_joiners`)."""
    return text.translate(_RESTORE)


def extract_html(html: str, url: str | None = None) -> HtmlResult:
    """Main text and metadata of a page; empty text when trafilatura finds no article body."""
    html, protected = protect_joiners(html)
    doc = trafilatura.bare_extraction(html, options=_options(url, recall=False))
    if doc is None:
        # favor_precision can reject short pages; retry once favouring recall
        # (include_tables keeps its default, True, as before).
        doc = trafilatura.bare_extraction(html, options=_options(url, recall=True))
    if doc is None:
        return HtmlResult("", None, None, url, None, None, None, None)
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)

    def field(name: str) -> str | None:
        value = data.get(name) or None
        return restore_joiners(value) if protected and isinstance(value, str) else value

    return HtmlResult(
        text=field("text") or "",
        title=field("title"),
        author=field("author"),
        url=data.get("url") or url,
        sitename=field("sitename"),
        hostname=data.get("hostname") or None,
        date=data.get("date") or None,
        language=data.get("language") or None,
    )
