"""The documented mapping from JSON / JSON Lines fields to `Article` fields.

Feeds, scrapers and vendor exports name the same thing differently; the first field present in
each list below wins. Unknown fields are kept on ``article.fields`` and exported unchanged.
"""

from __future__ import annotations

from typing import Any

from storyline.extract.date_sources import DATE_FIELDS

#: Article field -> accepted input field names, in order of preference.
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "maintext", "article", "description"),
    "html": ("html", "raw_html", "content_html"),
    "url": ("url", "link", "canonical_url", "source_url"),
    # Crawl-time fields (timestamp, date_download) are left out on purpose: see DATE_FIELDS.
    "date": DATE_FIELDS,
    "outlet": ("outlet", "source", "site", "sitename", "publisher", "media", "domain"),
    "language": ("language", "lang", "language_code"),
    "author": ("author", "byline", "authors", "creator"),
}


#: Input fields that name an outlet in news datasets but hold where a record came from in
#: others (storyline's own exports write the original file path or URL as ``source``): a value
#: that looks like a path or URL is no outlet name.
LOCATION_ALIASES = frozenset({"source", "domain"})


def pick(fields: dict[str, Any], name: str) -> Any:
    """The first non-empty input value for an Article field, or None."""
    for key in FIELD_MAP[name]:
        value = fields.get(key)
        if name == "outlet" and key in LOCATION_ALIASES and _looks_like_location(value):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if isinstance(value, dict):
            value = value.get("name") or value.get("title")
        if value not in (None, ""):
            return value
    return None


def _looks_like_location(value: Any) -> bool:
    return isinstance(value, str) and ("/" in value or "\\" in value)
