"""Follow mode over a loopback site: feeds of every kind, sitemaps, 304s, robots.txt, failing and
hostile sources, one article from two listings, the feed's date as the last resort, OPML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from newsite import Site, fetcher

from storyline import config
from storyline.follow import Follower, FollowReport, add_sources, export_opml, import_opml
from storyline.ingest import build_pipeline
from storyline.pipeline import Pipeline
from storyline.sources.opml import read_opml
from storyline.store import Store
from storyline.store import followed as db
from storyline.testing import Synthetic, generate


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline(config.load(None, {}, environ={}))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    settings = config.load(None, {"store": {"db": str(tmp_path / "f.db")}}, environ={})
    with Store(tmp_path / "f.db", settings=settings) as s:
        yield s


@pytest.fixture
def site() -> Site:
    with Site() as s:
        yield s


ARTICLES = generate(12, seed=3, reprint_rate=0.0)


def follower(store: Store, pipeline: Pipeline, **kw: Any) -> Follower:
    return Follower(store, store.settings, fetcher=fetcher(), pipeline=pipeline, batch=3, **kw)


def articles(store: Store) -> list[Any]:
    return store.conn.execute(
        "SELECT id, url, published, date_source, data FROM articles"
    ).fetchall()


def states(store: Store) -> dict[str, str]:
    rows = store.conn.execute("SELECT url, state FROM followed_items").fetchall()
    return {r["url"]: r["state"] for r in rows}


def publish(site: Site, n: int, prefix: str = "/news/") -> list[str]:
    paths = []
    for i, a in enumerate(ARTICLES[:n]):
        path = f"{prefix}{i}"
        site.article(path, a)
        paths.append(path)
    return paths


def make_due(store: Store) -> None:
    store.conn.execute("UPDATE followed SET next_due = '2000-01-01T00:00:00+00:00'")


def test_rss_atom_json_feed_and_sitemap_are_followed(store: Store, site: Site, pipeline) -> None:
    paths = publish(site, 8)
    site.rss("/rss.xml", paths[0:2])
    site.atom("/atom.xml", paths[2:4])
    site.json_feed("/feed.json", paths[4:6])
    site.sitemap("/sitemap.xml", paths[6:8])
    for path in ("/rss.xml", "/atom.xml", "/feed.json", "/sitemap.xml"):
        add_sources(store, site.url(path))
    report = follower(store, pipeline).round()
    assert report.exit_code == 0, report.summary()
    assert report.polled == 4 and report.new == 8 and report.fetched == 8
    assert len(articles(store)) == 8
    assert set(states(store).values()) == {"stored"}
    kinds = {s["url"].rsplit("/", 1)[1]: s["kind"] for s in db.list_sources(store.conn)}
    assert kinds == {
        "rss.xml": "feed",
        "atom.xml": "feed",
        "feed.json": "feed",
        "sitemap.xml": "sitemap",
    }
    assert sorted(site.page_hits()) == sorted(paths)  # each page fetched once


def test_second_round_is_one_304_per_feed(store: Store, site: Site, pipeline) -> None:
    paths = publish(site, 4)
    site.rss("/rss.xml", paths[:2])
    site.atom("/atom.xml", paths[2:])
    add_sources(store, site.url("/rss.xml"))
    add_sources(store, site.url("/atom.xml"))
    follow = follower(store, pipeline)
    follow.round()
    before = len(site.server.hits)
    make_due(store)
    report = follow.round()
    # one request each (in either order: the sources are polled by when they fell due), no pages
    assert sorted(site.server.hits[before:]) == ["/atom.xml", "/rss.xml"]
    assert report.not_modified == 2 and report.new == 0 and report.fetched == 0
    assert site.server.requests[-1]["if-none-match"]
    assert all(s["last_status"] == 304 for s in db.list_sources(store.conn))


def test_robots_txt_disallow_fails_the_item_with_its_reason(store, site, pipeline) -> None:
    paths = publish(site, 3)
    site.article("/private/0", ARTICLES[5])
    site.server.route("/robots.txt", b"User-agent: *\nDisallow: /private/\n")
    site.rss("/rss.xml", [*paths, "/private/0"])
    add_sources(store, site.url("/rss.xml"))
    report = follower(store, pipeline).round()
    assert report.exit_code == 1
    assert states(store)[site.url("/private/0")] == "failed"
    reason = store.conn.execute(
        "SELECT reason FROM followed_items WHERE state = 'failed'"
    ).fetchone()[0]
    assert "E111" in reason and "robots.txt" in reason
    assert "/private/0" not in site.page_hits() and len(articles(store)) == 3


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<rss><channel>&lol2;</channel></rss>"
)


def test_failing_and_hostile_sources_do_not_stop_the_others(store, site, pipeline) -> None:
    paths = publish(site, 2)
    site.rss("/good.xml", paths)
    site.server.route("/broken.xml", b"oops", status=500)
    site.server.route("/laughs.xml", BILLION_LAUGHS, headers={"content-type": "application/xml"})
    for path in ("/broken.xml", "/laughs.xml", "/good.xml"):
        add_sources(store, site.url(path))
    report = follower(store, pipeline).round()
    assert report.exit_code == 1 and len(articles(store)) == 2
    errors = {url.rsplit("/", 1)[1]: why for url, why in report.source_errors}
    assert errors["broken.xml"].startswith("E117") and "HTTP 500" in errors["broken.xml"]
    assert errors["laughs.xml"].startswith("E121")
    health = {s["url"].rsplit("/", 1)[1]: s for s in db.list_sources(store.conn)}
    assert health["broken.xml"]["errors_in_row"] == 1 and health["good.xml"]["errors_in_row"] == 0
    assert health["laughs.xml"]["last_error"].startswith("E121")
    # a failing source backs off: due later than its interval
    assert health["broken.xml"]["next_due"] > health["good.xml"]["next_due"]


def test_one_article_from_a_feed_and_a_sitemap_is_stored_once(store, site, pipeline) -> None:
    site.article("/news/a", ARTICLES[0])
    site.article("/amp/b", ARTICLES[1], canonical=site.url("/news/b"))
    site.article("/news/b", ARTICLES[1])
    site.rss("/rss.xml", ["/news/a", "/amp/b"])
    # the feed's link carries tracking parameters; the sitemap lists the canonical URLs
    rss = site.url("/news/a")
    site.items["/news/a?utm_source=rss&fbclid=x"] = ARTICLES[0]
    site.rss("/rss.xml", ["/news/a?utm_source=rss&fbclid=x", "/amp/b"])
    site.sitemap("/sitemap.xml", ["/news/a", "/news/b"])
    add_sources(store, site.url("/rss.xml"))
    add_sources(store, site.url("/sitemap.xml"))
    report = Follower(store, store.settings, fetcher=fetcher(), pipeline=pipeline, batch=1).round()
    assert report.exit_code == 0, report.summary()
    rows = articles(store)
    assert sorted(r["url"] for r in rows) == sorted([rss, site.url("/news/b")])
    assert set(states(store).values()) == {"stored"} and len(states(store)) == 3
    # /news/a, listed twice, is fetched once; /news/b is stored under /amp/b's canonical URL
    # before the sitemap's /news/b comes up: not fetched at all
    assert sorted(site.page_hits()) == ["/amp/b", "/news/a"]


def dated(a: Synthetic, day: str | None) -> Synthetic:
    return Synthetic(a.name, a.title, a.body, None, a.outlet, a.agency, None) if day is None else a


def test_the_feed_date_is_used_only_when_the_page_has_none(store, site, pipeline) -> None:
    from storyline.extract import dates

    if not hasattr(dates, "feed_date"):
        pytest.skip("needs the DateStage change that reads extract.date_sources.feed_date")
    undated = dated(ARTICLES[0], None)
    site.article("/news/undated", undated)
    site.article("/news/dated", ARTICLES[1])  # its page says ARTICLES[1].day
    site.rss(
        "/rss.xml",
        ["/news/undated", "/news/dated"],
        dates={
            "/news/undated": "Tue, 14 May 2024 07:30:00 +0000",
            "/news/dated": "Mon, 02 Dec 2024 10:00:00 +0000",
        },
    )
    add_sources(store, site.url("/rss.xml"))
    follower(store, pipeline).round()
    got = {r["url"].rsplit("/", 1)[1]: r for r in articles(store)}
    assert got["undated"]["date_source"] == "feed"
    assert got["undated"]["published"].startswith("2024-05-14")
    assert got["dated"]["date_source"] == "html-meta"
    assert got["dated"]["published"] == ARTICLES[1].day.isoformat()
    assert "feed says 2024-12-02" in got["dated"]["data"]


def test_feed_content_is_ingested_without_fetching_pages(store, tmp_path, pipeline) -> None:
    feed = tmp_path / "local.rss.xml"
    a = ARTICLES[2]
    body = "".join(f"<p>{p}</p>" for p in a.body.split("\n\n"))
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Local</title>'
        f"<item><title>{a.title}</title><link>https://unreachable.example/2024/05/01/a</link>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item></channel></rss>"
    )
    added = add_sources(store, str(feed), content="feed")
    assert added.sources[0]["url"].startswith("file:///") and added.sources[0]["kind"] == "feed"
    report = follower(store, pipeline).round()
    assert report.exit_code == 0 and report.fetched == 1
    text = store.conn.execute("SELECT text FROM articles").fetchone()[0]
    assert a.body.split("\n\n")[1][:60] in text
    make_due(store)
    again = follower(store, pipeline).round()  # the file is unchanged: read, not parsed again
    assert again.not_modified == 1 and again.new == 0


def test_opml_round_trip(store: Store, tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="Region"><outline text="A" type="rss" xmlUrl="https://a.example/feed?utm_source=x"/>'
        '<outline text="B" type="sitemap" xmlUrl="https://b.example/sitemap.xml"/></outline>'
        '<outline text="Local" type="rss" xmlUrl="file:///etc/passwd"/></body></opml>'
    )
    added = import_opml(store, opml, tags=["mine"])
    assert [s["url"] for s in added.sources] == [
        "https://a.example/feed",
        "https://b.example/sitemap.xml",
    ]
    assert added.notes == ["left out file:///etc/passwd: only http(s) URLs are followed"]
    data, left_out = export_opml(store)
    back = read_opml(data, "export")
    assert left_out == 0
    assert [(o.url, o.name, o.kind, o.tags) for o in back] == [
        ("https://a.example/feed", "A", "feed", ["Region", "mine"]),
        ("https://b.example/sitemap.xml", "B", "sitemap", ["Region", "mine"]),
    ]


def test_a_report_counts_failures_in_its_exit_code() -> None:
    report = FollowReport()
    assert report.exit_code == 0
    report.item_failures.append(("https://x.example/a", "E117 HTTP 404"))
    assert report.exit_code == 1
