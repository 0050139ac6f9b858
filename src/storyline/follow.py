"""Follow mode: poll followed sources, fetch their new items, ingest them (docs/sources.md).

One round (`Follower.round`):

1. every due source is polled (concurrently, the fetcher's per-host limits apply): a conditional
   GET with the stored ETag and Last-Modified (a 304 costs one request), or a local feed file read
   from disk; the body is parsed as a feed or sitemap (the kind found on a first poll is stored);
   its items and the source's health are recorded in one transaction per source, in the order the
   sources were due (`storyline.store.followed.record_poll`);
2. queued items are taken in batches: fetched (or, for a source added with ``content="feed"``,
   read from the feed's own text), their article keys recorded, then ingested through
   `storyline.ingest.ingest_articles`, the same stages and update steps as files; after each
   batch's commit the items are marked with their outcome from the ingest checkpoint.

State is all in the store, so a kill at any moment resumes: an item whose key reached the
checkpoint is done (never fetched again); any other stays queued and is fetched again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from storyline.article import Article
from storyline.errors import InputError
from storyline.ingest import (
    Batches,
    IngestReport,
    LazyPipeline,
    build_pipeline,
    build_updater,
    ingest_articles,
)
from storyline.sources.feeds import Feed, FeedItem, FeedLimits, parse_feed
from storyline.sources.urls import canonical_url, page_canonical
from storyline.store import Store
from storyline.store import followed as db
from storyline.update import Updater

if TYPE_CHECKING:  # the fetcher (httpcore, trio) loads only when something is fetched
    from storyline.sources.fetch import Fetcher, FetchResult

__all__ = [
    "FollowReport",
    "Follower",
    "Poll",
    "Status",
    "file_key",
    "file_path",
    "parse_every",
]

#: Fetch errors worth another try in a later round: name lookup, connection, timeout, HTTP error
#: (only 429 and 5xx: the fetcher does not retry other 4xx, so neither does this).
PASSING_CODES = frozenset({"E112", "E113", "E115"})
MAX_SITEMAPS = 50  # child sitemaps read from one sitemap index per poll
HTML_TYPES = ("text/html", "application/xhtml+xml", "")


def parse_every(text: str | int) -> int:
    """Seconds in an interval written ``90``, ``90s``, ``15m``, ``2h`` or ``1d`` (at least 60)."""
    value = str(text).strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        seconds = int(value[:-1]) * units[value[-1]] if value[-1] in units else int(value)
    except (ValueError, IndexError):
        raise InputError(str(text), "not an interval; write 90s, 15m, 2h or 1d") from None
    if seconds < 60:
        raise InputError(str(text), "polling more often than once a minute is refused")
    return seconds


def file_key(path: str | Path) -> str:
    """The key of a local feed file: its absolute ``file:`` URL (read from disk, never fetched)."""
    return Path(path).resolve().as_uri()


def file_path(key: str) -> Path:
    return Path(url2pathname(urlsplit(key).path))


@dataclass
class Poll:
    """What polling one source found (built in a worker thread; recorded by the caller)."""

    source: Mapping[str, Any]
    status: int | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    kind: str | None = None
    not_modified: bool = False
    page: FetchResult | None = None  # a page source's first fetch, reused for its item
    title: str | None = None  # the feed's title: the source's name when it has none


@dataclass
class Status:
    """Live counts for the status line (this run so far)."""

    due: int = 0
    polled: int = 0
    not_modified: int = 0
    new: int = 0
    fetched: int = 0
    stored: int = 0
    failed: int = 0
    queued: int = 0
    current: str = ""


@dataclass
class FollowReport:
    """What one or more rounds did."""

    rounds: int = 0
    polled: int = 0
    not_modified: int = 0
    new: int = 0
    fetched: int = 0
    source_errors: list[tuple[str, str]] = field(default_factory=list)
    item_failures: list[tuple[str, str]] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)

    @property
    def exit_code(self) -> int:
        """0 all went well, 1 a source or an item failed."""
        return 1 if self.source_errors or self.item_failures or self.ingest.result.failed else 0

    def summary(self) -> dict[str, Any]:
        r = self.ingest.result
        workers = self.ingest.summary().get("workers")
        return {
            **({"workers": workers} if workers else {}),
            "rounds": self.rounds,
            "polled": self.polled,
            "not_modified": self.not_modified,
            "new_items": self.new,
            "fetched": self.fetched,
            "stored": len(r.stored),
            "updated": len(r.updated),
            "unchanged": len(r.unchanged),
            "skipped": len(r.skipped),
            "failed": len(self.item_failures) + len(r.failed),
            "source_errors": [{"source": s, "reason": why} for s, why in self.source_errors],
            "failures": [{"url": u, "reason": why} for u, why in [*self.item_failures, *r.failed]],
        }


class Follower:
    """Polls a store's followed sources and ingests their items (module docstring).

    ``fetchers`` threads poll and fetch at once (the fetcher's per-host limits still apply);
    ``pipeline`` runs the stages: in this process by default, or a `storyline.pool.ProcessPipeline`
    (`storyline.ingest.stages_for` with workers above one) to run them in worker processes.

    ``stop`` is checked between polls and between batches: set it (Ctrl-C) and the batch in hand
    is finished and committed before `run` returns.
    """

    def __init__(
        self,
        store: Store,
        settings: Mapping[str, Any] | None = None,
        *,
        fetcher: Fetcher | None = None,
        pipeline: Batches | None = None,
        updater: Updater | None = None,
        fetchers: int = 8,
        batch: int = 16,
        max_tries: int = 3,
        status: Callable[[Status], None] | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        merged = dict(settings if settings is not None else store.settings or {})
        self.store = store
        if fetcher is None:
            from storyline.sources.fetch import Fetcher, FetchOptions

            fetcher = Fetcher(FetchOptions.from_settings(merged))
        self.fetcher = fetcher
        self.pipeline = pipeline or LazyPipeline(lambda: build_pipeline(merged))
        self.updater = updater if updater is not None else build_updater(store, merged)
        self.fetchers = max(1, fetchers)
        self.batch = max(1, batch)
        self.max_tries = max_tries
        self.on_status = status
        self.stop = stop or threading.Event()
        self.status = Status()
        self.limits = FeedLimits()
        self._pages: dict[str, FetchResult] = {}

    # -- rounds ---------------------------------------------------------------------------------

    def round(
        self, max_items: int | None = None, report: FollowReport | None = None
    ) -> FollowReport:
        """Poll every due source, then take in queued items (at most ``max_items``)."""
        report = report or FollowReport()
        report.rounds += 1
        db.reconcile_items(self.store.conn)  # a kill between a commit and its marks
        self.poll_due(report)
        self.take_in(report, max_items=max_items)
        return report

    def run(
        self, *, once: bool = False, max_items: int | None = None, idle: float = 60.0
    ) -> FollowReport:
        """Rounds until ``stop`` is set (or one round with ``once``); between rounds, waits for
        the next due source (at most ``idle`` seconds, to notice sources added meanwhile)."""
        report = FollowReport()
        while not self.stop.is_set():
            left = None if max_items is None else max_items - report.fetched
            self.round(left, report)
            if once or (left is not None and report.fetched >= max_items):  # type: ignore[operator]
                break
            due = db.next_due(self.store.conn)
            wait = idle if due is None else (due - datetime.now(UTC)).total_seconds()
            if not db.queued_items(self.store.conn, 1):
                self.stop.wait(min(max(wait, 0.5), idle))
        return report

    # -- polling --------------------------------------------------------------------------------

    def poll_due(self, report: FollowReport) -> None:
        due = db.due_sources(self.store.conn)
        self.status.due = len(due)
        self._show("polling")
        if not due:
            return
        with ThreadPoolExecutor(self.fetchers, thread_name_prefix="poll") as pool:
            # results are recorded in the order the sources were due, so the queue's order (and
            # so the batches) is the same on every run, killed or not
            for poll in pool.map(self.poll, due):
                if self.stop.is_set():
                    break  # the rest stay due; nothing of theirs was recorded
                self._record(poll, report)

    def poll(self, source: Mapping[str, Any]) -> Poll:
        """Fetch and parse one source (no store access: runs in a worker thread)."""
        url = source["url"]
        poll = Poll(source)
        if url.startswith("file:"):
            data = self._read_file(poll)
            if data is None:
                return poll
        elif source["kind"] == "page":
            poll.items = [{"url": url, "feed": {}}]
            return poll
        else:
            result = self.fetcher.fetch(
                url,
                etag=source["etag"],
                last_modified=source["last_modified"],
                robots=False if source["ignore_robots"] else None,
            )
            poll.status, poll.etag, poll.last_modified = (
                result.status,
                result.etag,
                result.last_modified,
            )
            if result.error is not None:
                poll.error = str(result.error)
                return poll
            if result.not_modified:
                poll.not_modified = True
                return poll
            data = result.body
            if source["kind"] == "auto" and _looks_html(result) and _html_body(data):
                poll.kind, poll.page = "page", result
                poll.items = [{"url": url, "feed": {}}]
                return poll
        try:
            feed = parse_feed(data, url, self.limits)
        except InputError as exc:
            poll.error = str(exc)
            return poll
        poll.title = _title(feed)
        if feed.kind == "sitemap-index":
            self._read_index(feed, poll)
        poll.kind = "sitemap" if feed.kind.startswith("sitemap") else "feed"
        poll.items += [{"url": it.url, "feed": it.stored()} for it in feed.items]
        return poll

    def _read_file(self, poll: Poll) -> bytes | None:
        path = file_path(poll.source["url"])
        try:
            stat = path.stat()
            tag = f"file:{stat.st_mtime_ns}-{stat.st_size}"
            if tag == poll.source["etag"]:
                poll.not_modified = True
                return None
            with path.open("rb") as stream:
                data = stream.read(self.limits.max_bytes + 1)
        except OSError as exc:
            poll.error = f"E120 {path}: cannot read: {exc.strerror or exc}"
            return None
        poll.etag = tag
        return data

    def _read_index(self, index: Feed, poll: Poll) -> None:
        """The sitemaps a sitemap index lists, read in this poll (each under the fetcher's rules);
        the first that fails is the poll's error, the others' items are kept."""
        robots = False if poll.source["ignore_robots"] else None
        for child in index.sitemaps[:MAX_SITEMAPS]:
            result = self.fetcher.fetch(canonical_url(child), robots=robots)
            if result.error is not None:
                poll.error = poll.error or f"sitemap {child}: {result.error}"
                continue
            try:
                feed = parse_feed(result.body, child, self.limits)
            except InputError as exc:
                poll.error = poll.error or str(exc)
                continue
            poll.items += [{"url": it.url, "feed": it.stored()} for it in feed.items]

    def _record(self, poll: Poll, report: FollowReport) -> None:
        source = poll.source
        new = db.record_poll(
            self.store.conn,
            source["id"],
            status=poll.status,
            items=poll.items,
            etag=poll.etag,
            last_modified=poll.last_modified,
            error=poll.error,
            kind=poll.kind if source["kind"] == "auto" else None,
            name=poll.title,
        )
        if poll.page is not None:
            self._pages[source["url"]] = poll.page
        report.polled += 1
        report.new += new
        report.not_modified += poll.not_modified
        if poll.error:
            report.source_errors.append((source["url"], poll.error))
        self.status.polled += 1
        self.status.not_modified += poll.not_modified
        self.status.new += new
        self._show(source["name"] or source["url"])

    # -- taking items in ------------------------------------------------------------------------

    def take_in(
        self,
        report: FollowReport,
        *,
        max_items: int | None = None,
        urls: list[str] | None = None,
    ) -> None:
        """Fetch and ingest queued items, batch by batch, until none are left (or ``max_items``
        were fetched, or ``stop``); ``urls``: only these items."""
        conn = self.store.conn
        # a kill between a batch's commit and its update steps: they catch up now, even when no
        # item is left to take in (ingest_articles would catch up only before a next batch)
        report.ingest.updates.extend(self.updater.run())
        tried: set[str] = set()  # items that failed for a passing reason: next round
        taken = 0
        while not self.stop.is_set() and (max_items is None or taken < max_items):
            db.reconcile_items(conn)
            want = self.batch if max_items is None else min(self.batch, max_items - taken)
            items = [
                i
                for i in db.queued_items(conn, want + len(tried), urls=urls)
                if i["url"] not in tried
            ][:want]
            self.status.queued = db.item_counts(conn).get("queued", 0)
            if not items:
                break
            taken += len(items)
            self._ingest_batch(items, report, tried)
        self.updater.checkpoint()  # what the steps hold, saved for the next process
        db.reconcile_items(conn)
        self.status.queued = db.item_counts(conn).get("queued", 0)
        self._show("")

    def _ingest_batch(
        self, items: list[dict[str, Any]], report: FollowReport, tried: set[str]
    ) -> None:
        conn = self.store.conn
        with ThreadPoolExecutor(self.fetchers, thread_name_prefix="fetch") as pool:
            got = list(pool.map(self._article, items))
        articles: dict[str, Article] = {}
        keys: list[tuple[str, str]] = []
        failures: list[tuple[str, str, bool]] = []
        for item, (article, error, passing) in zip(items, got, strict=True):
            if article is None:
                failures.append((item["url"], str(error), passing))
                if passing:
                    tried.add(item["url"])
                continue
            report.fetched += 1
            self.status.fetched += 1
            keys.append((item["url"], article.source))
            articles.setdefault(article.source, article)  # two URLs, one page: ingested once
        if failures:
            db.fail_items(conn, failures, max_tries=self.max_tries)
            for url, reason, passing in failures:
                if not passing or self._done(url):
                    report.item_failures.append((url, reason))
                    self.status.failed += 1
        if keys:
            db.set_item_keys(conn, keys)
        if articles:

            def committed(_: object) -> None:
                db.reconcile_items(conn)

            done = ingest_articles(
                articles.values(),
                self.store,
                self.pipeline,
                updater=self.updater,
                batch_size=len(articles),
                on_commit=committed,
                checkpoint=False,  # once the queue is taken in (`take_in`), not every batch
            )
            _merge(report.ingest, done)
            self.status.stored += len(done.result.stored) + len(done.result.updated)
            self.status.failed += len(done.result.failed)
        self._show(items[-1]["url"])

    def _done(self, url: str) -> bool:
        row = self.store.conn.execute(
            "SELECT 1 FROM followed_items WHERE url = ? AND state = 'failed'", (url,)
        ).fetchone()
        return row is not None

    def _article(self, item: Mapping[str, Any]) -> tuple[Article | None, str | None, bool]:
        """The article of one queued item, or why there is none and whether to try again."""
        url = item["url"]
        stored = item["feed"] or {}
        entry = FeedItem.from_stored(stored) if stored.get("url") else None
        if item["content"] == "feed" and entry is not None and (entry.content or entry.summary):
            return entry.article(), None, False
        if url.startswith("file:"):
            return None, f"E110 {url}: a file: URL is never fetched", False
        result = self._pages.pop(url, None) or self.fetcher.fetch(
            url, robots=False if item["ignore_robots"] else None
        )
        if result.error is not None:
            code = result.error.code
            passing = code in PASSING_CODES or (
                code == "E117" and (result.status or 0) in (429, 500, 502, 503, 504)
            )
            return None, str(result.error), passing
        if not _looks_html(result):
            return None, f"E120 {result.final_url}: not an HTML page ({result.content_type})", False
        key = page_canonical(result.body, result.final_url)
        if entry is not None:
            article = entry.article(result.body, page_url=key)
        else:
            article = Article(source=key, raw=result.body, raw_format="html", fields={"url": key})
        article.url = key  # the HTML extractor keeps a URL the reader set
        return article, None, False

    def _show(self, current: str) -> None:
        if self.on_status is not None:
            self.status.current = current
            self.on_status(self.status)


def _looks_html(result: FetchResult) -> bool:
    if result.content_type in ("text/html", "application/xhtml+xml"):
        return True
    if result.content_type:
        return False
    head = result.body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _title(feed: Feed) -> str | None:
    """A feed's title, or a news sitemap's publication name."""
    return feed.title or next((i.publication for i in feed.items if i.publication), None)


def _html_body(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _merge(into: IngestReport, more: IngestReport) -> None:
    into.read += more.read
    into.result.add(more.result)
    into.updates.extend(more.updates)


# -- managing sources ----------------------------------------------------------------------------


@dataclass
class Added:
    """What `add_sources` did: the sources added (or updated) and what it left out, and why."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def add_sources(
    store: Store,
    target: str,
    *,
    kind: str = "auto",
    every_s: int = 900,
    name: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
    ignore_robots: bool = False,
    content: str = "page",
) -> Added:
    """Follow ``target``: an http(s) URL (a feed, a sitemap or a page), an OPML file (every feed
    in it), a local feed or sitemap file (read from disk, never fetched), or a folder of them."""
    options: dict[str, Any] = {
        "kind": kind,
        "every_s": every_s,
        "tags": tuple(tags),
        "ignore_robots": ignore_robots,
        "content": content,
    }
    added = Added()
    scheme = urlsplit(target).scheme.lower() if "://" in target else ""
    if scheme in ("http", "https"):
        url = canonical_url(target)
        added.sources.append(db.add_source(store.conn, url, name=name, **options))
        return added
    if scheme:
        raise InputError(
            target, f"scheme {scheme!r} refused: follow http(s) URLs, or give a local path"
        )
    path = Path(target)
    if path.is_dir():
        for child in sorted(p for p in path.iterdir() if p.is_file()):
            _add_file(store, child, None, options, added, quiet=True)
        if not added.sources:
            raise InputError(target, "no feed or sitemap files in this folder")
        return added
    if not path.is_file():
        raise InputError(target, "not an http(s) URL, a file or a folder")
    with path.open("rb") as stream:
        head = stream.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n")
    if path.suffix.lower() == ".opml" or b"<opml" in head.lower():
        return import_opml(store, path, **options)
    _add_file(store, path, name, options, added, quiet=False)
    return added


def _add_file(
    store: Store,
    path: Path,
    name: str | None,
    options: dict[str, Any],
    added: Added,
    *,
    quiet: bool,
) -> None:
    from storyline.sources.feeds import read_feed_file

    try:
        feed = read_feed_file(str(path))
    except InputError as exc:
        if quiet:
            added.notes.append(f"left out {path.name}: {exc.problem}")
            return
        raise
    if feed.kind == "sitemap-index" and quiet:
        added.notes.append(
            f"left out {path.name}: a sitemap index (its sitemaps are on the web); add it by name"
        )
        return
    if feed.kind == "sitemap" and quiet and options["content"] == "feed":
        added.notes.append(
            f"left out {path.name}: a sitemap carries no article text (--content feed); "
            "add it by name to fetch its pages"
        )
        return
    kind = "sitemap" if feed.kind.startswith("sitemap") else "feed"
    opts = {**options, "kind": kind if options["kind"] == "auto" else options["kind"]}
    source = db.add_source(store.conn, file_key(path), name=name or _title(feed), **opts)
    added.sources.append(source)


def import_opml(store: Store, path: str | Path, **options: Any) -> Added:
    """Follow every feed an OPML file lists (folders become tags). Only http(s) URLs are taken:
    an OPML file from elsewhere must not point storyline at local files."""
    from storyline.sources.opml import read_opml

    data = Path(path).read_bytes()
    added = Added()
    for outline in read_opml(data, str(path)):
        scheme = urlsplit(outline.url).scheme.lower()
        if scheme not in ("http", "https"):
            added.notes.append(f"left out {outline.url[:200]}: only http(s) URLs are followed")
            continue
        kind = options.get("kind", "auto")
        opts = {
            **options,
            "kind": outline.kind if kind == "auto" else kind,
            "tags": sorted({*outline.tags, *options.get("tags", ())}),
        }
        added.sources.append(
            db.add_source(store.conn, canonical_url(outline.url), name=outline.name, **opts)
        )
    return added


def export_opml(store: Store) -> tuple[bytes, int]:
    """An OPML document of the followed http(s) feeds and sitemaps, and how many sources were
    left out (local files and pages have no place in OPML)."""
    from storyline.sources.opml import write_opml

    sources = db.list_sources(store.conn)
    kept = [
        s
        for s in sources
        if s["url"].startswith(("http://", "https://")) and s["kind"] in ("auto", "feed", "sitemap")
    ]
    return write_opml(kept), len(sources) - len(kept)


def fetch_pages(
    follower: Follower, urls: list[str], *, ignore_robots: bool = False
) -> FollowReport:
    """`storyline fetch`: fetch and ingest pages once, recorded as items of the source
    ``storyline:fetch`` (a page already stored is not fetched again; a failed one is)."""
    conn = follower.store.conn
    canon = []
    for url in urls:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise InputError(url, f"scheme {scheme or '(none)'!r} refused: http/https only")
        canon.append(canonical_url(url))
    source = db.add_source(
        conn,
        db.FETCH_SOURCE,
        kind="page",
        name="storyline fetch",
        every_s=86400,
        ignore_robots=ignore_robots,
    )
    db.queue_urls(conn, source["id"], canon)
    report = FollowReport(rounds=1)
    follower.take_in(report, urls=canon)
    return report
