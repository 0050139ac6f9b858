"""Articles per second of a whole ingest with 1 and 2 worker processes (issue 16, item 1).

    python benchmarks/scale.py [--articles 400] [--fmt html] [--workers 1,2]

Generates a corpus (`storyline.testing.write_corpus`), ingests it into a new store once per worker
count (stages, store writes and update steps: the whole command as `ingest_paths` runs it), and
prints wall seconds, articles/s, the ratio to one worker and the workers' largest peak RSS. The
figure of interest is the ratio (goal: at least 1.8 on two cores). Asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from storyline import config
from storyline.ingest import ingest_paths
from storyline.store import Store
from storyline.testing import write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--fmt", default="html")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    settings = config.load(None, {}, environ={})
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, args.articles, fmt=args.fmt, seed=3)
        base = None
        for workers in (int(w) for w in args.workers.split(",")):
            db = Path(tmp) / f"w{workers}.db"
            start = time.perf_counter()
            with Store(db, settings=settings) as store:
                report = ingest_paths([str(corpus)], store, settings, workers=workers)
            wall = time.perf_counter() - start
            rate = args.articles / wall
            base = base or rate
            peak = f"{report.worker_peak_mb:.0f} MB per worker" if workers > 1 else "in process"
            print(
                f"{workers} worker(s): {wall:7.1f} s, {rate:6.2f} articles/s, "
                f"x{rate / base:.2f} of one; {peak}",
                flush=True,
            )


if __name__ == "__main__":
    main()
