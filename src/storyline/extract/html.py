"""HTML to main text and metadata, with trafilatura (the field's best open extractor)."""

from __future__ import annotations

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


def extract_html(html: str, url: str | None = None) -> HtmlResult:
    """Main text and metadata of a page; empty text when trafilatura finds no article body."""
    doc = trafilatura.bare_extraction(html, options=_options(url, recall=False))
    if doc is None:
        # favor_precision can reject short pages; retry once favouring recall
        # (include_tables keeps its default, True, as before).
        doc = trafilatura.bare_extraction(html, options=_options(url, recall=True))
    if doc is None:
        return HtmlResult("", None, None, url, None, None, None, None)
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return HtmlResult(
        text=data.get("text") or "",
        title=data.get("title") or None,
        author=data.get("author") or None,
        url=data.get("url") or url,
        sitename=data.get("sitename") or None,
        hostname=data.get("hostname") or None,
        date=data.get("date") or None,
        language=data.get("language") or None,
    )
