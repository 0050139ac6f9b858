"""kill -9 during ingest, many times: how many runs left a damaged store, or a resumed store that
differs from a clean run, table by table.

    python benchmarks/kill_ingest.py                 # 200 runs on the bundled sample corpus
    python benchmarks/kill_ingest.py --runs 50 --aimed 0.5

Each run starts `storyline ingest` in a subprocess and SIGKILLs it: at a random moment, or (a share
``--aimed`` of the runs) right after a random batch's commit, before that batch's update steps.
Then it checks the store (integrity_check, FTS integrity, no half-written article, checkpoint
consistent, one schema version), resumes with the same command, and compares every table with a
clean run (`storyline.testing.store_snapshot`: all rows but time stamps and feed positions).
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from storyline import config
from storyline.ingest import ingest_paths
from storyline.sources.sample import sample_corpus
from storyline.store import Store
from storyline.testing import (
    check_consistent,
    kill_after_commit,
    kill_during_ingest,
    snapshot_diff,
    store_snapshot,
)


def resume(db: Path, corpus: Path, batch: int) -> None:
    settings = config.load(None, {"store": {"db": str(db), "batch_size": batch}}, environ={})
    with Store(db, settings=settings) as store:
        ingest_paths([str(corpus)], store, settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--batch", type=int, default=3, help="store.batch_size of every run")
    parser.add_argument("--aimed", type=float, default=0.25, help="share of kills after a commit")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        shutil.copytree(
            sample_corpus(),
            corpus,
            ignore=shutil.ignore_patterns("README.md", "manifest.jsonl", "labels", "feeds"),
        )
        resume(root / "reference.db", corpus, args.batch)
        expected = store_snapshot(root / "reference.db")
        batches = -(-len(expected["sources"]) // args.batch)
        start = time.monotonic()
        kill_during_ingest(corpus, root / "probe.db", delay=600, batch_size=args.batch)
        full = time.monotonic() - start
        rng = random.Random(args.seed)
        killed = aimed = damaged = different = 0
        tables: Counter[str] = Counter()
        for run in range(args.runs):
            db = root / f"run{run}.db"
            if rng.random() < args.aimed:
                status = kill_after_commit(corpus, db, rng.randint(1, batches), args.batch)
                aimed += status < 0
            else:
                status = kill_during_ingest(corpus, db, rng.uniform(0, full), args.batch)
            killed += status < 0
            if db.exists() and check_consistent(db):
                damaged += 1
                print(f"run {run}: damaged after kill: {check_consistent(db)}")
            resume(db, corpus, args.batch)
            diff = snapshot_diff(expected, store_snapshot(db))
            if check_consistent(db) or diff:
                different += 1
                tables.update(diff)
                print(f"run {run}: resumed store differs from a clean run: {diff}")
            db.unlink()
            for suffix in ("-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
        print(
            f"{args.runs} runs on {len(expected['articles'])} articles in batches of "
            f"{args.batch} ({killed} killed mid-ingest, {aimed} of them right after a commit; "
            f"a full run takes {full:.1f} s): {damaged} damaged, {different} differing after "
            f"resume, {len(expected)} tables compared, differing tables: {dict(tables) or 0}"
        )


if __name__ == "__main__":
    main()
