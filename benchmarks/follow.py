"""Follow mode's cost: N feeds on a loopback server, one poll round, then a round with nothing new.

    python benchmarks/follow.py                      # 1,000 feeds, 1 new article each
    python benchmarks/follow.py --feeds 200 --per-feed 2

Round 1 polls every feed (RSS), fetches each new article page and ingests it through the full
pipeline and update steps (`storyline.follow.Follower`); round 2 polls every feed again, which
answers 304 to the conditional GET. Prints feeds per second, new articles per second end to end,
requests made, and peak memory (max RSS of the process).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS / "follow"), str(TESTS / "sources")]

from newsite import Site, fetcher  # noqa: E402

from storyline import config  # noqa: E402
from storyline.follow import Follower, add_sources  # noqa: E402
from storyline.ingest import build_pipeline  # noqa: E402
from storyline.store import Store  # noqa: E402
from storyline.testing import generate  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--per-feed", type=int, default=1, help="new articles in each feed")
    parser.add_argument("--fetchers", type=int, default=8)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    corpus = generate(args.feeds * args.per_feed, seed=5, reprint_rate=0.1)
    with tempfile.TemporaryDirectory() as tmp, Site() as site:
        for f in range(args.feeds):
            paths = []
            for i in range(args.per_feed):
                path = f"/s{f}/a{i}"
                site.article(path, corpus[f * args.per_feed + i])
                paths.append(path)
            site.rss(f"/feed/{f}", paths)
        db = Path(tmp) / "follow.db"
        settings = config.load(None, {"store": {"db": str(db)}}, environ={})
        with Store(db, settings=settings) as store:
            for f in range(args.feeds):
                add_sources(store, site.url(f"/feed/{f}"))
            pipeline = build_pipeline(settings)
            follow = Follower(
                store,
                settings,
                fetcher=fetcher(host_concurrency=args.fetchers, robots=False),
                pipeline=pipeline,
                fetchers=args.fetchers,
                batch=args.batch,
            )
            base = peak_mb()
            start = time.monotonic()
            first = follow.round()
            one = time.monotonic() - start
            requests = len(site.server.hits)
            store.conn.execute("UPDATE followed SET next_due = '2000-01-01T00:00:00+00:00'")
            start = time.monotonic()
            second = follow.round()
            two = time.monotonic() - start
        summary = first.summary()
        print(
            f"round 1: {args.feeds} feeds, {summary['new_items']} new items, "
            f"{summary['stored']} stored, {summary['failed']} failed in {one:.1f} s: "
            f"{args.feeds / one:.0f} feeds/s, {summary['stored'] / one:.1f} new articles/s end "
            f"to end ({requests} requests)"
        )
        print(
            f"round 2 (nothing new): {second.polled} feeds polled, {second.not_modified} "
            f"answered 304, {second.new} new in {two:.2f} s: {second.polled / two:.0f} feeds/s "
            f"({len(site.server.hits) - requests} requests)"
        )
        print(f"peak memory (max RSS): {peak_mb():.0f} MB ({base:.0f} MB before round 1)")


if __name__ == "__main__":
    main()
