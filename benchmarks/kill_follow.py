"""kill -9 of `storyline follow --once`, many times: damaged stores, stored pages fetched again,
and resumed stores that differ from a clean run, table by table.

    python benchmarks/kill_follow.py                 # 200 runs
    python benchmarks/kill_follow.py --runs 20 --feeds 4 --per-feed 6

A loopback site of feeds (RSS, Atom, JSON Feed, news sitemap in turn) and pages; each run adds the
feeds to a new store, starts the follow command in a subprocess and SIGKILLs it at a random moment
(or, a share ``--aimed`` of the runs, right after a random batch's commit), checks the store,
runs the command again to the end and compares the store with a clean run's
(tests/follow/killing.py: every table, no times).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS / "follow"), str(TESTS / "sources")]

from killing import (  # noqa: E402
    build_site,
    follow_killed,
    follow_snapshot,
    stored_keys,
    write_config,
)
from newsite import Site  # noqa: E402

from storyline.follow import add_sources  # noqa: E402
from storyline.store import Store  # noqa: E402
from storyline.testing import check_consistent, snapshot_diff  # noqa: E402


def prepare(db: Path, feeds: list[str]) -> None:
    with Store(db) as store:
        for url in feeds:
            add_sources(store, url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--feeds", type=int, default=3)
    parser.add_argument("--per-feed", type=int, default=4)
    parser.add_argument("--aimed", type=float, default=0.25, help="share of kills after a commit")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Site() as site:
        root = Path(tmp)
        feeds = build_site(site, args.feeds, args.per_feed)
        cfg = write_config(root, args.batch)
        reference = root / "reference.db"
        prepare(reference, feeds)
        start = time.monotonic()
        follow_killed(reference, cfg, args.batch, None)
        full = time.monotonic() - start
        expected = follow_snapshot(reference)
        batches = -(-len(expected["articles"]) // args.batch)
        rng = random.Random(args.seed)
        killed = aimed = damaged = refetched = different = 0
        tables: Counter[str] = Counter()
        for run in range(args.runs):
            db = root / f"run{run}.db"
            prepare(db, feeds)
            if rng.random() < args.aimed:
                status = follow_killed(db, cfg, args.batch, None, rng.randint(1, batches))
                aimed += status < 0
            else:
                status = follow_killed(db, cfg, args.batch, rng.uniform(0, full))
            killed += status < 0
            if check_consistent(db):
                damaged += 1
                print(f"run {run}: damaged after kill: {check_consistent(db)}")
            done = stored_keys(db)
            hits = len(site.server.hits)
            follow_killed(db, cfg, args.batch, None)
            again = {site.url(p) for p in site.server.hits[hits:]} & done
            refetched += bool(again)
            diff = snapshot_diff(expected, follow_snapshot(db))
            if check_consistent(db) or diff:
                different += 1
                tables.update(diff)
                print(f"run {run}: resumed store differs from a clean run: {diff}")
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
        print(
            f"{args.runs} runs, {len(feeds)} feeds, {len(expected['articles'])} articles in "
            f"batches of {args.batch} ({killed} killed mid-run, {aimed} of them right after a "
            f"commit; a clean run takes {full:.1f} s): {damaged} damaged, {refetched} with a "
            f"stored page fetched again, {different} differing after resume, "
            f"{len(expected)} tables compared, differing tables: {dict(tables) or 0}"
        )


if __name__ == "__main__":
    main()
