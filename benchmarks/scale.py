"""Articles per second of a whole ingest with 1 and 2 worker processes, and of `storyline bulk`
on a Dask LocalCluster (issue 16).

    python benchmarks/scale.py [--articles 400] [--fmt html] [--workers 1,2] [--bulk 2]
                               [--partition 64] [--memory-limit 2GiB] [--realistic]
                               [--keep DIR]

Generates a corpus (`storyline.testing.write_corpus`), ingests it into a new store once per worker
count (stages, store writes and update steps: the whole command as `ingest_paths` runs it), and
prints wall seconds, articles/s, the ratio to one worker and the workers' largest peak RSS. The
figure of interest is the ratio (goal: at least 1.8 on two cores). ``--realistic`` writes
`generate`'s realistic articles (Zipf-distributed names, places and words: hundreds of stories of
news-like sizes); without it a few stories take thousands of reports each, the worst case for the
update steps whose work grows with a story.

With ``--bulk N`` (0: skip) it then runs `storyline.scale.bulk.bulk` on a LocalCluster of N
worker processes over the same corpus into a new store: wall seconds (the cluster's start, the
workers' model loading, shards, the load and the update steps, which run beside the stages),
articles/s, the ratio to the one-worker ingest, and the peak resident memory of each Dask worker
process. Asserts nothing.

``--keep DIR`` keeps the corpus (``DIR/corpus``, written once and reused while its marker names
the same articles, format, seed and generator) and the bulk run's shards (``DIR/bulk.shards``)
in DIR, so a second run with the same arguments skips the stages and times the load and update
steps alone (the stores are made afresh each run).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from storyline import config
from storyline.ingest import ingest_paths
from storyline.pool import peak_rss_kb
from storyline.store import Store
from storyline.testing import write_corpus


def corpus_in(folder: Path, args: argparse.Namespace) -> Path:
    """The corpus for ``args`` in ``folder``: written unless a complete one is there already
    (the marker is written last, so a killed write is written again)."""
    corpus = folder / "corpus"
    marker = folder / "corpus.done"
    wanted = f"{args.articles} {args.fmt} seed=3 realistic={args.realistic}"
    if marker.exists() and marker.read_text() == wanted:
        return corpus
    shutil.rmtree(corpus, ignore_errors=True)
    write_corpus(corpus, args.articles, fmt=args.fmt, seed=3, realistic=args.realistic)
    marker.write_text(wanted)
    return corpus


def run_bulk(corpus: Path, db: Path, args: argparse.Namespace, articles: int, base: float) -> None:
    from storyline.scale.bulk import bulk

    overrides = {
        "bulk": {
            "partition": args.partition,
            "workers": args.bulk,
            "memory_limit": args.memory_limit,
            "shards": str(Path(args.keep) / "bulk.shards") if args.keep else "",
        }
    }
    settings = config.load(None, overrides, environ={})
    start = time.perf_counter()
    shard_times: list[float] = []
    with Store(db, settings=settings) as store:
        report = bulk(
            [str(corpus)],
            store,
            settings,
            on_shard=lambda _n: shard_times.append(time.perf_counter() - start),
        )
    wall = time.perf_counter() - start
    rate = articles / wall
    peaks = ", ".join(f"{mb:.0f}" for mb in sorted(report.worker_peak_mb.values()))
    b = report.summary()["bulk"]
    reused = f", {b['shards_reused']} shards reused" if b["shards_reused"] else ""
    print(
        f"bulk, LocalCluster of {args.bulk} worker(s): {wall:7.1f} s, {rate:6.2f} articles/s, "
        f"x{rate / base:.2f} of a one-worker ingest; {b['partitions']} partitions of "
        f"{args.partition}{reused}; peak MB per worker process: {peaks or 'none ran'}",
        flush=True,
    )
    steps = ", ".join(f"{k} {v:.0f} s" for k, v in sorted(report.ingest.updates.seconds.items()))
    cluster_s = shard_times[-1] if shard_times else 0.0
    print(
        f"  stages on the cluster until the last shard: {cluster_s:.1f} s (the load runs beside "
        f"them); the load and update steps after it: {wall - cluster_s:.1f} s (steps over the "
        f"whole run: {steps}); stored "
        f"{report.summary()['stored']:,}, failed {report.summary()['failed']}; peak MB of this "
        f"process (the load): {peak_rss_kb() / 1024:.0f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--fmt", default="html")
    parser.add_argument("--workers", default="1,2", help="ingest worker counts ('' to skip)")
    parser.add_argument("--bulk", type=int, default=2, help="LocalCluster workers (0: skip)")
    parser.add_argument("--partition", type=int, default=64)
    parser.add_argument("--memory-limit", default="2GiB")
    parser.add_argument("--realistic", action="store_true", help="news-like story sizes")
    parser.add_argument("--keep", default="", help="keep the corpus and shards here, reuse them")
    args = parser.parse_args()
    settings = config.load(None, {}, environ={})
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
        corpus = corpus_in(Path(args.keep or tmp), args)
        base = None
        for workers in (int(w) for w in args.workers.split(",") if w):
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
        if args.bulk:
            run_bulk(corpus, Path(tmp) / "bulk.db", args, args.articles, base or float("nan"))


if __name__ == "__main__":
    main()
