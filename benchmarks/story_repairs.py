"""What replaying the clusterer's repair moves costs the `cluster_stories` update step.

For each size N a store is filled with N synthetic articles (`storyline.testing.generate`,
clustered by the real update steps in batches of 1,000), then the next `--probe` are
written and clustered in batches of 64 and timed. Printed: ms per article for the hook, the moves
and merges the clusterer reported while probing, and how many story profiles were recomputed
from their members (stories that lost an article), with their total size and time. The
synthetic articles fall into about ten giant stories: the worst case for that recompute.
Since 2026-12-05 repair moves no longer recompute (they replay or count out one article), so the
recompute figures count only stories that lost a member by a delete or came back after a merge.

    PYTHONPATH=src python benchmarks/story_repairs.py --sizes 2000,10000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster import _articles
from storyline.cluster.story_clusterer import StoryClusterer
from storyline.store import Store
from storyline.store import stories as store_stories
from storyline.update import Updater, default_steps
from storyline.update import cluster_stories as story_updates
from storyline.update.cluster_stories import ClusterStories

STATS: dict[str, float] = dict.fromkeys(
    ("moves", "merges", "recomputes", "members", "recompute_s"), 0.0
)


def _instrument() -> None:
    """Count moves, merges and profile recomputes (wrapping, not changing, the real code)."""
    recompute = story_updates.profile_from_members
    take_moves, take_merges = StoryClusterer.take_moves, StoryClusterer.take_merges

    def timed(conn: Any, story_id: str) -> Any:
        t0 = time.perf_counter()
        profile = recompute(conn, story_id)
        STATS["recompute_s"] += time.perf_counter() - t0
        STATS["recomputes"] += 1
        STATS["members"] += profile.n_articles
        return profile

    def moves(self: StoryClusterer) -> list[tuple[str, str, str]]:
        taken = take_moves(self)
        STATS["moves"] += len(taken)
        return taken

    def merges(self: StoryClusterer) -> list[tuple[str, str]]:
        taken = take_merges(self)
        STATS["merges"] += len(taken)
        return taken

    story_updates.profile_from_members = timed  # type: ignore[assignment]
    StoryClusterer.take_moves = moves  # type: ignore[method-assign]
    StoryClusterer.take_merges = merges  # type: ignore[method-assign]


def run_size(size: int, probe: int, batch: int, folder: Path) -> str:
    articles = _articles(0, size + probe)
    with Store(folder / f"repairs_{size}.db") as store:
        updater = Updater(store, default_steps())
        for start in range(0, size, 1000):
            chunk = articles[start : start + 1000]
            store.write_batch([(a.source, a) for a in chunk])
            updater.run()
        STATS.update(moves=0, merges=0, recomputes=0, members=0, recompute_s=0.0)
        hook = 0.0
        for start in range(size, size + probe, batch):
            chunk = articles[start : start + batch]
            store.write_batch([(a.source, a) for a in chunk])
            hook += updater.run().seconds.get("cluster_stories", 0.0)
        problems = store_stories.check_stories(store.conn)
        step = updater.step("cluster_stories")
        assert isinstance(step, ClusterStories) and step.engine is not None
        n_stories = len(step.engine.clusterer.stories())
    per_member = STATS["recompute_s"] / max(1, STATS["members"]) * 1000
    return (
        f"{size:>7,} {n_stories:>7} {hook / probe * 1000:>10.2f} {int(STATS['moves']):>6} "
        f"{int(STATS['merges']):>6} {int(STATS['recomputes']):>10} {int(STATS['members']):>8} "
        f"{STATS['recompute_s']:>11.2f} {per_member:>9.3f}  {'ok' if not problems else problems}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--probe", type=int, default=500, help="articles timed per size")
    parser.add_argument("--batch", type=int, default=64, help="ingest batch size when timing")
    args = parser.parse_args()
    _instrument()
    print(
        f"{'stored':>7} {'stories':>7} {'ms/article':>10} {'moves':>6} {'merges':>6} "
        f"{'recomputes':>10} {'members':>8} {'recompute s':>11} {'ms/member':>9}  check"
    )
    with tempfile.TemporaryDirectory(prefix="storyline-repairs-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            print(run_size(size, args.probe, args.batch, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
