"""HTML to main text and metadata, with trafilatura (the field's best open extractor)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura

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


def extract_html(html: str, url: str | None = None) -> HtmlResult:
    """Main text and metadata of a page; empty text when trafilatura finds no article body."""
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        date_extraction_params=_DATE_PARAMS,
    )
    if doc is None:
        # favor_precision can reject short pages; retry once favouring recall.
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            favor_recall=True,
            date_extraction_params=_DATE_PARAMS,
        )
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
