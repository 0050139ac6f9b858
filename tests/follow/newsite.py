"""A news site on a loopback server for follow-mode tests and benchmarks: article pages and the
feeds that list them (RSS, Atom, JSON Feed, news sitemap), each feed answering conditional GETs
(ETag and Last-Modified) with 304 when unchanged.

    with Site() as site:
        site.article("/news/a1", synthetic)            # a page
        site.rss("/rss.xml", ["/news/a1", ...])          # a feed listing pages
        site.server.hits                                 # every request path, in order
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from xml.sax.saxutils import escape

from loopback import Loopback

from storyline.sources.fetch import Fetcher, FetchOptions
from storyline.testing import Synthetic, render_html

LAST_MODIFIED = format_datetime(datetime(2024, 6, 1, tzinfo=UTC), usegmt=True)


def fetcher(**overrides: object) -> Fetcher:
    """The fetcher as tests use it: loopback allow-listed, no delays, no retries."""
    options = FetchOptions(
        allow_networks=["127.0.0.0/8"], host_delay=0, retries=0, backoff=0, proxy="none"
    )
    for key, value in overrides.items():
        setattr(options, key, value)
    return Fetcher(options, sleep=lambda s: None)


def settings_toml(batch: int = 3) -> str:
    return (
        '[fetch]\nallow_networks = ["127.0.0.0/8"]\nhost_delay = 0.0\nretries = 0\n'
        f'backoff = 0.0\nproxy = "none"\n\n[store]\nbatch_size = {batch}\n'
    )


class Site:
    def __init__(self) -> None:
        self.server = Loopback()
        self.items: dict[str, Synthetic] = {}

    def __enter__(self) -> Site:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    def url(self, path: str) -> str:
        return self.server.url(path)

    def article(self, path: str, a: Synthetic, *, canonical: str | None = None) -> None:
        html = render_html(a)
        if canonical:
            html = html.replace("</head>", f'<link rel="canonical" href="{canonical}"></head>')
        self.items[path] = a
        self.server.route(path, html.encode(), headers={"content-type": "text/html"})

    def feed(self, path: str, body: bytes, content_type: str) -> None:
        etag = f'"{abs(hash(body))}"'
        server = self.server

        def handle(h: BaseHTTPRequestHandler) -> None:
            if h.headers.get("if-none-match") == etag:
                h.send_response(304)
                h.send_header("etag", etag)
                h.send_header("content-length", "0")
                h.end_headers()
                return
            h.send_response(200)
            for name, value in (
                ("content-type", content_type),
                ("etag", etag),
                ("last-modified", LAST_MODIFIED),
                ("content-length", str(len(body))),
            ):
                h.send_header(name, value)
            h.end_headers()
            h.wfile.write(body)

        server.handler(path, handle)

    def _entry(self, path: str) -> tuple[str, Synthetic]:
        return self.url(path), self.items[path]

    def rss(self, path: str, pages: list[str], dates: dict[str, str] | None = None) -> None:
        entries = ""
        for page in pages:
            link, a = self._entry(page)
            when = (dates or {}).get(page)
            pub = f"<pubDate>{when}</pubDate>" if when else ""
            entries += (
                f"<item><title>{escape(a.title)}</title><link>{escape(link)}</link>{pub}"
                f"<category>News</category><description>{escape(a.body[:80])}</description></item>"
            )
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback RSS</title>'
            f"<link>{self.url('/')}</link>{entries}</channel></rss>"
        )
        self.feed(path, body.encode(), "application/rss+xml")

    def atom(self, path: str, pages: list[str]) -> None:
        entries = ""
        for page in pages:
            link, a = self._entry(page)
            entries += (
                f'<entry><title>{escape(a.title)}</title><link href="{escape(link)}"/>'
                f"<id>{escape(link)}</id><updated>2024-06-01T00:00:00Z</updated></entry>"
            )
        body = (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Loopback Atom</title><id>{self.url('/atom')}</id>"
            f"<updated>2024-06-01T00:00:00Z</updated>{entries}</feed>"
        )
        self.feed(path, body.encode(), "application/atom+xml")

    def json_feed(self, path: str, pages: list[str]) -> None:
        items = []
        for page in pages:
            link, a = self._entry(page)
            items.append({"id": link, "url": link, "title": a.title})
        body = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Loopback JSON",
            "items": items,
        }
        self.feed(path, json.dumps(body).encode(), "application/feed+json")

    def sitemap(self, path: str, pages: list[str]) -> None:
        urls = ""
        for page in pages:
            link, a = self._entry(page)
            urls += (
                f"<url><loc>{escape(link)}</loc><news:news><news:publication><news:name>Loopback"
                "</news:name><news:language>en</news:language></news:publication>"
                f"<news:title>{escape(a.title)}</news:title></news:news></url>"
            )
        body = (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
        )
        self.feed(path, body.encode(), "application/xml")

    def page_hits(self) -> list[str]:
        return [h for h in self.server.hits if h.split("?")[0] in self.items]
