"""kill -9 during ingest, many times: prints how many runs left a damaged or different store.

    python benchmarks/kill_ingest.py            # 200 runs
    python benchmarks/kill_ingest.py --runs 50

Each run starts `storyline ingest` in a subprocess, SIGKILLs it at a random moment, checks the
store (integrity_check, no half-written article, checkpoint consistent, one schema version), resumes
the ingest and compares the result with a clean run.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from storyline.ingest import build_pipeline, ingest
from storyline.store import Store
from storyline.testing import check_consistent, kill_during_ingest, store_snapshot, write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_corpus(root / "corpus", args.articles, seed=3)
        pipeline = build_pipeline()
        with Store(root / "reference.db") as store:
            ingest([str(root / "corpus")], store, pipeline, batch_size=3)
        expected = store_snapshot(root / "reference.db")
        start = time.monotonic()
        kill_during_ingest(root / "corpus", root / "probe.db", delay=600)
        full = time.monotonic() - start
        rng = random.Random(args.seed)
        killed = damaged = different = 0
        for run in range(args.runs):
            db = root / f"run{run}.db"
            killed += kill_during_ingest(root / "corpus", db, rng.uniform(0, full)) < 0
            if db.exists() and check_consistent(db):
                damaged += 1
                print(f"run {run}: damaged after kill: {check_consistent(db)}")
            with Store(db) as store:
                ingest([str(root / "corpus")], store, pipeline, batch_size=3)
            if check_consistent(db) or store_snapshot(db) != expected:
                different += 1
                print(f"run {run}: resumed store differs from a clean run")
            db.unlink()
            for suffix in ("-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
        print(
            f"{args.runs} runs ({killed} killed mid-ingest, a full run takes {full:.1f} s): "
            f"{damaged} damaged, {different} differing after resume"
        )


if __name__ == "__main__":
    main()
