"""Feeds and sitemaps: the sample files, hostile XML, and feeds fetched from a loopback server."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest
from loopback import Loopback

from storyline.errors import InputError
from storyline.sources.feeds import FeedLimits, parse_feed, read_feed_file
from storyline.sources.fetch import Fetcher, FetchOptions
from storyline.sources.urls import canonical_url, page_canonical, same_site

FEEDS = Path(__file__).resolve().parents[2] / "src/storyline/data/sample/feeds"

# -- URLs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, canonical",
    [
        ("HTTPS://News.Example:443/a?b=2&a=1#top", "https://news.example/a?a=1&b=2"),
        ("http://news.example:80/x", "http://news.example/x"),
        ("http://news.example:8080/x", "http://news.example:8080/x"),
        (
            "https://news.example/s?utm_source=rss&utm_medium=feed&id=7&fbclid=F&gclid=G"
            "&dclid=D&msclkid=M&mc_cid=C&mc_eid=E&igshid=I&yclid=Y&_ga=1&ref_src=twsrc",
            "https://news.example/s?id=7",
        ),
        ("https://news.example", "https://news.example/"),
        ("https://news.example//a//b", "https://news.example/a/b"),
        ("mailto:desk@news.example", "mailto:desk@news.example"),
    ],
)
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_rel_canonical_is_honoured_only_on_the_same_site() -> None:
    page = b'<html><head><link rel="canonical" href="/story/1?utm_medium=x"></head></html>'
    assert page_canonical(page, "https://www.news.example/s?id=1") == (
        "https://www.news.example/story/1"
    )
    elsewhere = b'<html><head><link rel="canonical" href="https://other.example/x"></head></html>'
    assert page_canonical(elsewhere, "https://news.example/s") == "https://news.example/s"
    assert page_canonical(b"", "https://news.example/s") == "https://news.example/s"
    assert same_site("https://m.news.example/a", "https://www.news.example/b")
    assert not same_site("https://news.example/", "https://example/")


def test_an_xhtml_pages_canonical_link_is_read_from_text_and_bytes() -> None:
    """An XHTML page opens with an XML declaration that names its encoding; lxml refuses such a
    page as decoded text, so its canonical link was lost when a caller passed ``str``."""
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Zürich</title>'
        '<link rel="canonical" href="/2008/03/zuerich-bruecke.html" /></head>'
        "<body><p>Die Brücke ist gesperrt.</p></body></html>"
    )
    want = "https://news.example/2008/03/zuerich-bruecke.html"
    assert page_canonical(page, "https://news.example/a?id=7") == want
    assert page_canonical(page.encode("utf-8"), "https://news.example/a?id=7") == want


# -- the sample feeds --------------------------------------------------------------------------


def test_the_sample_rss_feed() -> None:
    feed = read_feed_file(str(FEEDS / "kabul-ledger.rss.xml"))
    assert feed.kind == "rss" and len(feed.items) == 3 and not feed.problems
    first = feed.items[0]
    assert first.url == "https://kabul-ledger.example/2024/05/14/helmand-water-talks-open/"
    assert first.published == "2024-05-14T07:30:00+04:30"
    assert first.author == "Sample Desk" and first.categories == ["Water", "Iran"]
    assert "fbclid" not in feed.items[2].url


def test_the_sample_atom_and_json_feeds() -> None:
    atom = read_feed_file(str(FEEDS / "zagros-observer.atom.xml"))
    assert atom.kind == "atom" and [i.categories for i in atom.items] == [["Border"], ["Water"]]
    assert atom.items[1].url.endswith("/kamal-khan-gates-open/")
    assert atom.items[0].published == "2024-02-13T09:45:00+03:30"
    json_feed = read_feed_file(str(FEEDS / "frontier-monitor.jsonfeed"))
    assert json_feed.kind == "json" and len(json_feed.items) == 2
    assert json_feed.items[0].author == "Monitor Reporter"
    assert "utm_campaign" not in json_feed.items[0].url


def test_the_sample_news_sitemap_and_index() -> None:
    sitemap = read_feed_file(str(FEEDS / "caspian-wire-review.news-sitemap.xml"))
    first = sitemap.items[0]
    assert sitemap.kind == "sitemap" and len(sitemap.items) == 2
    assert first.title == "Border market opens at Mand-Pishin"
    assert first.published == "2024-09-26T09:30:00+03:30" and first.language == "en"
    assert first.publication == "Caspian Wire Review"
    assert first.categories == ["Iran", "Pakistan", "border", "trade"]
    assert sitemap.items[1].published == "2024-10-03"
    index = read_feed_file(str(FEEDS / "sitemap-index.xml"))
    assert index.kind == "sitemap-index" and len(index.sitemaps) == 2


def test_the_same_article_from_a_feed_and_a_sitemap_has_one_url() -> None:
    """The WARC page, the RSS item and the Atom item of one story share an id."""
    rss = read_feed_file(str(FEEDS / "kabul-ledger.rss.xml")).items[0].url
    atom = read_feed_file(str(FEEDS / "zagros-observer.atom.xml")).items[1].url
    sitemap = read_feed_file(str(FEEDS / "caspian-wire-review.news-sitemap.xml")).items[0].url
    assert rss == canonical_url("https://KABUL-LEDGER.example/2024/05/14/helmand-water-talks-open/")
    assert atom == canonical_url(
        "https://www.zagrosobserver.example/2024/10/02/kamal-khan-gates-open/?utm_source=x"
    )
    assert sitemap.endswith("border-market-opens-at-mand-pishin-45010")


def test_an_item_becomes_an_article_whose_feed_date_is_only_evidence() -> None:
    item = read_feed_file(str(FEEDS / "kabul-ledger.rss.xml")).items[0]
    page = item.article(b"<html><body><p>text</p></body></html>")
    assert page.raw_format == "html" and page.source == item.url
    assert page.fields["feed"]["provenance"] == "feed"
    assert page.fields["feed"]["published"] == "2024-05-14T07:30:00+04:30"
    # nothing a record mapping reads as a publication date sits at the top level
    assert set(page.fields) == {"url", "feed"}
    summary = item.article()
    assert summary.raw_format == "json" and summary.fields["title"] == item.title
    assert "published" not in summary.fields and json.loads(summary.raw)["feed"]["title"]


# -- hostile and malformed XML ---------------------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol9;</title></channel></rss>"""
QUADRATIC = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "'
    + b"x" * 50_000
    + b'">]><rss><channel><title>'
    + b"&a;" * 50_000
    + b"</title></channel></rss>"
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b"<rss><channel><title>&e;</title></channel></rss>"
)
EXTERNAL_DTD = (
    b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
    b"<rss><channel><title>x</title></channel></rss>"
)
HUGE_TOKEN = b"<rss><channel><title>" + b"A" * 2_000_000 + b"</title></channel></rss>"
HUGE_ATTR = (
    b'<feed xmlns="http://www.w3.org/2005/Atom"><link href="' + b"h" * 2_000_000 + b'"/></feed>'
)
MANY = b"<rss><channel>" + b"<x/>" * 300_000 + b"</channel></rss>"


@pytest.mark.parametrize(
    "data, code",
    [
        (LAUGHS, "E121"),
        (QUADRATIC, "E121"),
        (EXTERNAL, "E121"),
        (EXTERNAL_DTD, "E121"),
        (b"<!doctype rss><rss/>", "E121"),
        (HUGE_TOKEN, "E122"),
        (HUGE_ATTR, "E122"),
        (MANY, "E122"),
        (b"<rss><channel><title>unclosed", "E120"),
        (b"<html><body>not a feed</body></html>", "E120"),
        (b'{"version": "1", "items": []}', "E120"),
        (b"{not json", "E120"),
        (gzip.compress(b"<rss>" + b" " * 20_000_000 + b"</rss>"), "E122"),
    ],
    ids=[
        "billion-laughs",
        "quadratic",
        "external-entity",
        "external-dtd",
        "doctype",
        "huge-text",
        "huge-attribute",
        "too-many-elements",
        "malformed",
        "html",
        "json-not-a-feed",
        "bad-json",
        "gzip-bomb",
    ],
)
def test_hostile_and_malformed_feeds_are_refused_quickly(data: bytes, code: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        parse_feed(data, "https://feeds.example/hostile.xml", FeedLimits(max_bytes=10_000_000))
    assert caught.value.code == code
    assert "https://feeds.example/hostile.xml" in str(caught.value)
    # a blow-up guard, not a speed goal (benchmarks/hostile.py measures speed): an expansion or
    # a quadratic parse takes minutes; 10 s leaves room for CI workers sharing two cores
    assert time.monotonic() - started < 10


def test_a_feed_over_the_size_cap_is_refused() -> None:
    with pytest.raises(InputError, match="feed limit"):
        parse_feed(b"<rss>" + b" " * 2000 + b"</rss>", "f.xml", FeedLimits(max_bytes=1000))


def test_html_entities_without_a_dtd_are_refused_as_malformed() -> None:
    data = (
        b'<rss version="2.0"><channel><title>A&nbsp;B</title><item><title>x</title>'
        b"<link>https://news.example/a</link></item></channel></rss>"
    )
    with pytest.raises(InputError) as caught:
        parse_feed(data, "f.xml")
    assert caught.value.code == "E120"  # not well-formed: refused with a reason, no crash


# -- fetched from a loopback server -------------------------------------------------------------


def test_feeds_and_sitemaps_fetched_and_parsed_with_a_bad_one_among_them() -> None:
    options = FetchOptions(
        allow_networks=["127.0.0.0/8"], host_delay=0, retries=0, proxy="none", robots=False
    )
    fetcher = Fetcher(options)
    with Loopback() as server:
        for name in ("kabul-ledger.rss.xml", "caspian-wire-review.news-sitemap.xml"):
            server.route(f"/{name}", (FEEDS / name).read_bytes())
        server.route("/laughs.xml", LAUGHS)
        server.route(
            "/gz.xml",
            gzip.compress((FEEDS / "zagros-observer.atom.xml").read_bytes()),
            headers={"content-encoding": "gzip"},
        )
        results = {}
        for name in (
            "kabul-ledger.rss.xml",
            "laughs.xml",
            "caspian-wire-review.news-sitemap.xml",
            "gz.xml",
        ):
            fetched = fetcher.fetch(server.url(f"/{name}"))
            assert fetched.ok
            try:
                results[name] = len(parse_feed(fetched.body, fetched.final_url).items)
            except InputError as exc:
                results[name] = exc.code
    assert results == {
        "kabul-ledger.rss.xml": 3,
        "laughs.xml": "E121",
        "caspian-wire-review.news-sitemap.xml": 2,
        "gz.xml": 2,
    }
