"""Feeds and news sitemaps as plain items (docs/sources.md).

`parse_feed(data, source)` reads RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed 1.0/1.1, news
sitemaps (``<news:news>``: publication date, title, language, keywords) and sitemap indexes. XML is
checked first with defusedxml and refused when it declares a DTD or entities (billion laughs,
quadratic blowup, external entities), when it is larger than the cap, or when one token (a text,
an attribute, a name) or the element count is larger than its cap; only then does feedparser see
it, from memory (never a URL or file name).

Each entry becomes a `FeedItem`: the canonical URL plus what the feed says about it. What a feed
says is evidence with provenance ``feed``, never the article's own word: `FeedItem.article` puts
it under ``fields["feed"]``, a key the record mapping (extract/record.py) and the record date
(``DATE_FIELDS``) never read, so a feed's date is never taken over the page's own date.
"""

from __future__ import annotations

import calendar
import email.utils
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from storyline.article import Article
from storyline.errors import InputError
from storyline.sources.urls import canonical_url

__all__ = [
    "Feed",
    "FeedItem",
    "FeedLimits",
    "check_xml",
    "html_text",
    "parse_feed",
    "read_feed_file",
]

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_DECLARATIONS = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass
class FeedLimits:
    max_bytes: int = 5_000_000  # the whole document, after decompression
    max_token: int = 1_000_000  # one text, attribute or name
    max_elements: int = 50_000
    max_items: int = 5_000


@dataclass
class FeedItem:
    """One entry of a feed or sitemap; every value is as the feed states it."""

    url: str  # canonical (sources.urls.canonical_url)
    link: str  # as written in the feed
    feed: str  # the feed's URL or file
    kind: str  # rss | atom | json | sitemap
    title: str | None = None
    published: str | None = None  # ISO 8601 as the feed states it (evidence, provenance feed)
    published_raw: str | None = None
    updated: str | None = None
    author: str | None = None
    categories: list[str] = field(default_factory=list)
    summary: str | None = None
    language: str | None = None
    guid: str | None = None
    publication: str | None = None  # <news:publication><news:name>
    #: the full text the feed carries (RSS content:encoded, Atom content, JSON Feed
    #: content_html / content_text), as the feed gives it (HTML or text); not part of `evidence`
    content: str | None = None

    def evidence(self) -> dict[str, Any]:
        """What the feed says, JSON-able, with ``provenance: feed`` (the full text left out)."""
        data = {k: v for k, v in asdict(self).items() if v not in (None, [], "")}
        data.pop("content", None)
        data["provenance"] = "feed"
        return data

    def stored(self) -> dict[str, Any]:
        """Every field, JSON-able (what follow mode keeps in the store until the item is done)."""
        return {k: v for k, v in asdict(self).items() if v not in (None, [], "")}

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> FeedItem:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})

    def article(self, page: bytes | None = None, page_url: str | None = None) -> Article:
        """The `Article` to ingest: the fetched page as HTML when given, else the feed's own
        text as a record: its full text (`content`, tags removed) when it carries one, else the
        title and summary. The feed's statements sit in ``fields["feed"]``."""
        url = canonical_url(page_url) if page_url else self.url
        fields: dict[str, Any] = {"url": url, "feed": self.evidence()}
        if page is not None:
            return Article(source=url, raw=page, raw_format="html", fields=fields)
        fields["title"] = self.title or ""
        fields["text"] = html_text(self.content or self.summary or "")
        raw = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return Article(source=url, raw=raw, raw_format="json", fields=fields)


_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


def html_text(value: str) -> str:
    """The text of a feed's HTML (content:encoded, Atom content, content_html), one paragraph
    per block element; text without markup comes back as it is."""
    if "<" not in value:
        return value.strip()
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(value[:5_000_000], create_parent="div")
    except (etree.ParserError, ValueError):
        return value.strip()
    for element in root.iter(*_BLOCKS, "script", "style"):
        if element.tag in ("script", "style"):
            element.text = ""
        element.tail = "\n\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n\n"))
    return "\n\n".join(line for line in lines if line)


@dataclass
class Feed:
    source: str
    kind: str  # rss | atom | json | sitemap | sitemap-index
    title: str | None = None
    link: str | None = None
    language: str | None = None
    items: list[FeedItem] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # a sitemap index's children
    problems: list[str] = field(default_factory=list)


def _refuse(source: str, problem: str, *, code: str) -> InputError:
    return InputError(source, problem, code=code)


def _decompressed(data: bytes, source: str, limits: FeedLimits) -> bytes:
    if not data.startswith(b"\x1f\x8b"):
        return data
    z = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = z.decompress(data, limits.max_bytes + 1)
    except zlib.error as exc:
        raise _refuse(source, f"cannot decompress: {exc}", code="E120") from None
    if len(out) > limits.max_bytes or z.unconsumed_tail:
        raise _refuse(
            source,
            f"decompresses past the {limits.max_bytes:,}-byte feed limit; refused",
            code="E122",
        )
    return out


def check_xml(data: bytes, source: str, limits: FeedLimits | None = None) -> Element:
    """The parsed tree of a feed or sitemap, refusing DTDs, entities, external references,
    oversized documents and oversized tokens (InputError E121, E122; E120 when malformed)."""
    limits = limits or FeedLimits()
    if len(data) > limits.max_bytes:
        raise _refuse(
            source, f"over the {limits.max_bytes:,}-byte feed limit; refused", code="E122"
        )
    if _DECLARATIONS.search(data):
        raise _refuse(
            source,
            "declares a DTD or entities (refused: entity expansion, external files)",
            code="E121",
        )
    root: Element | None = None
    count = 0
    try:
        events = SafeET.iterparse(
            io.BytesIO(data),
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for event, element in events:
            if event == "start":
                root = element if root is None else root
                count += 1
                if count > limits.max_elements:
                    raise _refuse(
                        source, f"more than {limits.max_elements:,} elements; refused", code="E122"
                    )
                continue
            tokens = [element.tag, element.text or "", element.tail or ""]
            tokens += [*element.attrib.keys(), *element.attrib.values()]
            if any(len(t) > limits.max_token for t in tokens if isinstance(t, str)):
                raise _refuse(
                    source,
                    f"a token longer than {limits.max_token:,} characters; refused",
                    code="E122",
                )
    except defusedxml.DefusedXmlException as exc:
        raise _refuse(source, f"hostile XML refused ({type(exc).__name__})", code="E121") from None
    except ParseError as exc:
        raise _refuse(source, f"not well-formed XML: {exc}", code="E120") from None
    if root is None:
        raise _refuse(source, "empty document", code="E120")
    return root


def parse_feed(data: bytes, source: str, limits: FeedLimits | None = None) -> Feed:
    """Parse a feed or sitemap body fetched from (or read at) ``source``."""
    limits = limits or FeedLimits()
    data = _decompressed(data, source, limits)
    if len(data) > limits.max_bytes:
        raise _refuse(
            source, f"over the {limits.max_bytes:,}-byte feed limit; refused", code="E122"
        )
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return _json_feed(data, source, limits)
    root = check_xml(data, source, limits)
    tag = _local(root.tag)
    if tag == "urlset":
        return _sitemap(root, source, limits)
    if tag == "sitemapindex":
        feed = Feed(source, "sitemap-index")
        feed.sitemaps = [
            loc.strip()
            for loc in (_text(s, f"{{{SITEMAP_NS}}}loc") for s in root)
            if loc and loc.strip()
        ][: limits.max_items]
        return feed
    if tag not in ("rss", "RDF", "feed", "channel"):
        raise _refuse(source, f"not a feed or sitemap (root element <{tag}>)", code="E120")
    return _feedparser(data, source, limits)


# -- RSS and Atom ---------------------------------------------------------------------------------


def _feedparser(data: bytes, source: str, limits: FeedLimits) -> Feed:
    import feedparser  # here: 60 ms to import, only feeds need it

    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    kind = "atom" if str(parsed.get("version", "")).startswith("atom") else "rss"
    meta = parsed.get("feed", {})
    feed = Feed(
        source,
        kind,
        title=meta.get("title"),
        link=meta.get("link"),
        language=meta.get("language"),
    )
    if parsed.get("bozo"):
        feed.problems.append(f"feed not well-formed: {parsed.get('bozo_exception')}")
    base = meta.get("link") or source
    for entry in parsed.get("entries", [])[: limits.max_items]:
        link = entry.get("link") or _guid_link(entry.get("id"))
        if not link:
            feed.problems.append(f"entry without a link: {entry.get('title', '')[:80]!r}")
            continue
        published_raw = entry.get("published") or entry.get("updated")
        struct = entry.get("published_parsed") or entry.get("updated_parsed")
        feed.items.append(
            FeedItem(
                url=canonical_url(link, base=base),
                link=link,
                feed=source,
                kind=kind,
                title=entry.get("title"),
                published=_iso(published_raw) or _iso_struct(struct),
                published_raw=published_raw,
                updated=_iso_struct(entry.get("updated_parsed")),
                author=entry.get("author"),
                categories=[t.get("term") for t in entry.get("tags", []) if t.get("term")],
                summary=entry.get("summary"),
                language=entry.get("language") or feed.language,
                guid=entry.get("id"),
                content=_entry_content(entry),
            )
        )
    return feed


def _entry_content(entry: Any) -> str | None:
    """RSS content:encoded or Atom <content> (feedparser puts both in ``content``)."""
    for part in entry.get("content") or []:
        value = part.get("value") if isinstance(part, dict) else None
        if isinstance(value, str) and value.strip():
            return value
    return None


def _guid_link(guid: str | None) -> str | None:
    return guid if guid and guid.startswith(("http://", "https://")) else None


def _iso_struct(value: Any) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None
    return moment.isoformat(timespec="seconds")


def _iso(value: Any) -> str | None:
    """ISO 8601 from an ISO or RFC 2822 value as feeds write them (a bare date stays a date)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()[:100]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return moment.isoformat(timespec="seconds")


# -- JSON Feed ------------------------------------------------------------------------------------


def _json_feed(data: bytes, source: str, limits: FeedLimits) -> Feed:
    try:
        value = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise _refuse(source, f"not valid JSON: {exc}", code="E120") from None
    if not isinstance(value, dict) or "jsonfeed.org" not in str(value.get("version", "")):
        raise _refuse(source, "JSON but not a JSON Feed (no jsonfeed.org version)", code="E120")
    feed = Feed(
        source,
        "json",
        title=_str(value.get("title")),
        link=_str(value.get("home_page_url")),
        language=_str(value.get("language")),
    )
    base = feed.link or source
    items = value.get("items")
    for item in items[: limits.max_items] if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        link = _str(item.get("url")) or _guid_link(_str(item.get("id")))
        if not link:
            feed.problems.append(f"item without a url: {_str(item.get('id'))!r}")
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        names = [_str(a.get("name")) for a in authors if isinstance(a, dict)]
        feed.items.append(
            FeedItem(
                url=canonical_url(link, base=base),
                link=link,
                feed=source,
                kind="json",
                title=_str(item.get("title")),
                published=_iso(item.get("date_published")),
                published_raw=_str(item.get("date_published")),
                updated=_iso(item.get("date_modified")),
                author=", ".join(n for n in names if n) or None,
                categories=[str(t) for t in item.get("tags", []) if isinstance(t, str)],
                summary=_str(item.get("summary")) or _str(item.get("content_text")),
                language=_str(item.get("language")) or feed.language,
                guid=_str(item.get("id")),
                content=_str(item.get("content_html")) or _str(item.get("content_text")),
            )
        )
    return feed


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# -- sitemaps -------------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _text(element: Element, path: str) -> str | None:
    found = element.find(path)
    return found.text.strip() if found is not None and found.text else None


def _sitemap(root: Element, source: str, limits: FeedLimits) -> Feed:
    feed = Feed(source, "sitemap")
    for entry in _urls(root, limits):
        loc = _text(entry, f"{{{SITEMAP_NS}}}loc")
        if not loc:
            continue
        news = entry.find(f"{{{NEWS_NS}}}news")
        item = FeedItem(url=canonical_url(loc), link=loc, feed=source, kind="sitemap")
        lastmod = _text(entry, f"{{{SITEMAP_NS}}}lastmod")
        item.updated = _iso(lastmod)
        if news is not None:
            raw = _text(news, f"{{{NEWS_NS}}}publication_date")
            item.published, item.published_raw = _iso(raw), raw
            item.title = _text(news, f"{{{NEWS_NS}}}title")
            item.language = _text(news, f"{{{NEWS_NS}}}publication/{{{NEWS_NS}}}language")
            item.publication = _text(news, f"{{{NEWS_NS}}}publication/{{{NEWS_NS}}}name")
            keywords = _text(news, f"{{{NEWS_NS}}}keywords") or ""
            item.categories = [k.strip() for k in keywords.split(",") if k.strip()]
        feed.items.append(item)
    return feed


def _urls(root: Element, limits: FeedLimits) -> Iterator[Element]:
    for i, entry in enumerate(root.iter(f"{{{SITEMAP_NS}}}url")):
        if i >= limits.max_items:
            return
        yield entry


def read_feed_file(path: str, limits: FeedLimits | None = None) -> Feed:
    """A feed or sitemap saved as a file (gzip is decompressed with the same cap)."""
    limits = limits or FeedLimits()
    try:
        with open(path, "rb") as stream:
            data = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        raise _refuse(path, f"cannot read: {exc.strerror or exc}", code="E120") from None
    if len(data) > limits.max_bytes:
        raise _refuse(path, f"over the {limits.max_bytes:,}-byte feed limit; refused", code="E122")
    return parse_feed(data, path, limits)
