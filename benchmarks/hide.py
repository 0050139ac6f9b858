"""What hiding and restoring one article costs on a filled store.

A store is filled with N generated articles (``storyline.testing.generate(n, realistic=True)``,
written with `Store.write_batch` and the default update steps in batches of 1,000, as
benchmarks/cluster.py does; no enrichment stages, so articles carry title, text, outlet and
date), then ``--probe`` articles spread over the store are hidden one at a time and restored one
at a time through `storyline.team.hidden` (the audit row, the move out of or back into the live
tables, and the update steps that drop the article from or take it back into copies, stories and
counts). Prints the median and p95 milliseconds of each, and the tables of articles and facts
that differ after restoring them all (`storyline.testing.store_snapshot`, the clusterer's own
state aside; see docs/team.md for the partial-reuse links that may not come back).

    PYTHONPATH=src python benchmarks/hide.py --size 2000 --probe 20

Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from storyline.article import Article
from storyline.store import Store
from storyline.store.team import TEAM_TABLES
from storyline.store.teamwork import TEAMWORK_TABLES
from storyline.team.hidden import hide, restore
from storyline.team.teamwork import Actor
from storyline.testing import generate, snapshot_diff, store_snapshot
from storyline.update import Updater, default_steps

START = date(2024, 1, 1)
CLUSTER_TABLES = {"stories", "story_articles", "storylines", "storyline_stories",
                  "cluster_state", "cluster_state_stories"}  # fmt: skip


def articles(size: int, seed: int) -> list[Article]:
    out = []
    for i, s in enumerate(generate(size, seed, realistic=True)):
        day = None if s.day is None else (START + timedelta(days=i * 600 // size)).isoformat()
        out.append(
            Article(
                source=f"synthetic/{s.name}.txt",
                id=f"b{i:07d}",
                content_hash=f"h{i}",
                title=s.title,
                text=s.body,
                paragraphs=s.body.split("\n\n"),
                outlet=s.outlet,
                agencies=[s.agency] if s.agency else [],
                published=day,
                raw=s.body.encode("utf-8"),
                raw_format="txt",
            )
        )
    return out


def quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def run(size: int, probe: int, seed: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="storyline-bench-hide-"))
    db = folder / f"hide_{size}.db"
    store = Store(db)
    updater = Updater(store, default_steps())
    everything = articles(size, seed)
    t0 = time.perf_counter()
    for start in range(0, size, 1000):
        store.write_batch([(a.source, a) for a in everything[start : start + 1000]])
        updater.run()
    fill_s = time.perf_counter() - t0
    exclude = TEAM_TABLES | TEAMWORK_TABLES | CLUSTER_TABLES
    before = store_snapshot(db, exclude=exclude)
    ids = [everything[i].id for i in range(0, size, max(1, size // probe))][:probe]
    analyst = Actor("bench-analyst", "analyst", "bench")
    admin = Actor("bench-admin", "admin", "bench")
    hid, back = [], []
    for article_id in ids:
        t = time.perf_counter()
        hide(store, article_id, "benchmark", analyst)
        hid.append((time.perf_counter() - t) * 1000)
    for article_id in ids:
        t = time.perf_counter()
        restore(store, article_id, admin)
        back.append((time.perf_counter() - t) * 1000)
    same = snapshot_diff(before, store_snapshot(db, exclude=exclude))
    store.close()
    return {"size": size, "probe": len(ids), "fill_s": fill_s, "hide": quantiles(hid),
            "restore": quantiles(back), "tables_differing": same}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="articles in the store")
    parser.add_argument("--probe", type=int, default=20, help="articles hidden, then restored")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    r = run(args.size, args.probe, args.seed)
    print(f"store of {r['size']} articles (filled in {r['fill_s']:.1f} s), {r['probe']} probes")
    print(f"hide     median {r['hide'][0]:.1f} ms  p95 {r['hide'][1]:.1f} ms")
    print(f"restore  median {r['restore'][0]:.1f} ms  p95 {r['restore'][1]:.1f} ms")
    print(f"tables differing after restoring all: {r['tables_differing'] or 'none'}")


if __name__ == "__main__":
    main()
