"""Ingest and search benchmark: prints figures, asserts nothing.

    python benchmarks/ingest.py                 # 10,000 articles per format, search at 100,000
    python benchmarks/ingest.py --n 2000 --search-n 20000   # a quicker look

For plain text and HTML it reports articles/s and peak memory of `storyline ingest`'s foundation
stages plus the store writes, next to trafilatura alone on the same HTML (the ratio target is
>= 0.8), then search latency percentiles on a store of ``--search-n`` articles.

Each ingest mode runs ``--repeats`` times, each in a fresh process; the table shows the median.
The search store uses `generate(..., realistic=True)` (Zipf-distributed names and topic words),
and queries are reported in two classes by the share of the store they match: selective
(< 10 %, like most names an analyst types) and common (>= 10 %). Latency is wall-clock and, next
to it, CPU time of the querying thread, which is steadier on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from storyline.article import Article
from storyline.extract.identity import content_hash
from storyline.sources.files import read_paths
from storyline.store import Store
from storyline.store.search import search, to_fts_query
from storyline.testing import Vocabulary, generate, write_corpus

#: The original query set: words of the fixed phrase tables, most of them in most articles.
COMMON_QUERIES = [
    "Helmand",
    "refugees",
    '"joint patrol"',
    "Kabul AND customs",
    "tariff*",
    "border OR crossing",
    "Quetta NOT fuel",
    '"prisoner exchange"',
    "electricity",
    "dam inspection",
]
FILTERS = [
    {"since": "2024-03-01", "until": "2024-06-30", "outlet": "Kabul Ledger"},
    {"outlet": "Makran Daily"},
    {"agency": "Reuters"},
    {"since": "2024-10-01"},
]


def vocabulary_queries() -> list[str]:
    """Names, places and topic words from head to tail of the Zipf vocabulary, some combined."""
    v = Vocabulary(SEARCH_SEED)
    t, p, pl = v.terms, v.people, v.places
    return [
        t[5],
        t[50],
        t[500],
        t[5000],
        t[20000],
        f'"{p[3]}"',
        f'"{p[300]}"',
        f'"{p[2000]}"',
        pl[20],
        pl[400],
        f"{t[40]} AND {t[400]}",
        f"{t[1000]} OR {t[2000]}",
        f"{p[30]} NOT {t[10]}",
        t[100][:4] + "*",
        f"{pl[3]} {t[700]}",
        p[50].split()[1],
    ]


SEARCH_SEED = 11


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(mode: str, folder: Path, n: int) -> dict[str, float]:
    """Each measurement in a fresh process, so peak memory belongs to that mode alone."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(folder), str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(mode: str, folder: Path, n: int) -> None:
    if mode == "trafilatura":
        import trafilatura

        files = sorted(folder.glob("*.html"))
        texts = [f.read_text("utf-8") for f in files]
        for html in texts[:20]:  # warm-up, as for storyline below
            trafilatura.bare_extraction(html, with_metadata=True)
        start, cpu = time.perf_counter(), time.process_time()
        for html in texts:
            trafilatura.bare_extraction(html, with_metadata=True)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    else:
        from storyline.ingest import foundation_stages, ingest
        from storyline.pipeline import Pipeline

        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "bench.db")
            pipeline = Pipeline(foundation_stages())
            # Warm-up outside the timer: lazy model loads (language id, date parser) happen once.
            pipeline.run_batch(list(read_paths([str(p) for p in sorted(folder.iterdir())[:20]])))
            start, cpu = time.perf_counter(), time.process_time()
            report = ingest([str(folder)], store, pipeline, batch_size=256)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            store.close()
        assert report.summary()["failed"] == 0, report.summary()
    print(
        json.dumps(
            {"seconds": seconds, "per_s": n / seconds, "per_cpu_s": n / cpu, "peak_mb": peak_mb()}
        )
    )


def fill_store(path: Path, n: int) -> None:
    """Articles written straight through the store (no stages), to measure search alone."""
    items = generate(n, seed=SEARCH_SEED, reprint_rate=0.0, realistic=True)
    with Store(path) as store:
        batch: list[tuple[str, Article]] = []
        for s in items:
            a = Article(source=f"bench/{s.name}.txt", raw=s.body.encode())
            a.title, a.text, a.outlet = s.title, s.body, s.outlet
            a.published = s.day.isoformat() if s.day else None
            a.language = "en"
            a.agencies = [s.agency] if s.agency else []
            a.content_hash = content_hash(a.title, a.text)
            a.id = "c" + a.content_hash[:15]
            batch.append((a.source, a))
            if len(batch) == 2000:
                store.write_batch(batch)
                batch.clear()
        if batch:
            store.write_batch(batch)


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * q + 0.5) - 1)]


def search_latency(path: Path, rounds: int = 30) -> dict[str, dict[str, float]]:
    """p50/p95 per query class, wall and CPU ms; filtered queries once per query and filter."""
    out: dict[str, dict[str, float]] = {}
    with Store(path) as store:
        total = store.count()
        classes: dict[str, list[str]] = {"selective": [], "common": []}
        for q in vocabulary_queries() + COMMON_QUERIES:
            n = store.conn.execute(
                "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", (to_fts_query(q),)
            ).fetchone()[0]
            classes["selective" if n < 0.10 * total else "common"].append(q)
        for name, queries in classes.items():
            for q in queries:  # warm the page cache
                search(store.conn, q)
            wall: list[float] = []
            cpu: list[float] = []
            rng = random.Random(1)
            for _ in range(rounds):
                for q in rng.sample(queries, len(queries)):
                    w, c = time.perf_counter(), time.thread_time()
                    search(store.conn, q, limit=10)
                    cpu.append((time.thread_time() - c) * 1000)
                    wall.append((time.perf_counter() - w) * 1000)
            fwall: list[float] = []
            for q in queries:
                for f in FILTERS:
                    w = time.perf_counter()
                    search(store.conn, q, **f)
                    fwall.append((time.perf_counter() - w) * 1000)
            out[name] = {
                "queries": len(queries),
                "n": len(wall),
                "p50": statistics.median(wall),
                "p95": _pct(wall, 0.95),
                "max": max(wall),
                "cpu_p50": statistics.median(cpu),
                "cpu_p95": _pct(cpu, 0.95),
                "filtered_p50": statistics.median(fwall),
                "filtered_p95": _pct(fwall, 0.95),
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--search-n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3, help="fresh-process runs per mode")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, folder, n = args.child
        child(mode, Path(folder), int(n))
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_corpus(root / "txt", args.n, "txt")
        write_corpus(root / "html", args.n, "html")
        runs: dict[str, list[dict[str, float]]] = {"txt": [], "html": [], "traf": []}
        for _ in range(args.repeats):  # interleaved, so load from other users hits all modes
            runs["txt"].append(run_child("storyline", root / "txt", args.n))
            runs["html"].append(run_child("storyline", root / "html", args.n))
            runs["traf"].append(run_child("trafilatura", root / "html", args.n))
        med = {k: {m: statistics.median(r[m] for r in v) for m in v[0]} for k, v in runs.items()}
        ratios = [h["per_s"] / t["per_s"] for h, t in zip(runs["html"], runs["traf"], strict=True)]
        print(
            f"ingest, {args.n:,} generated articles per format, median of {args.repeats} runs "
            "(2-core machine)"
        )
        print(f"{'mode':<34}{'articles/s':>12}{'peak MB':>10}   runs (articles/s)")
        labels = (
            ("txt", "storyline ingest, plain text"),
            ("html", "storyline ingest, HTML"),
            ("traf", "trafilatura alone, same HTML"),
        )
        for key, label in labels:
            each = " ".join(f"{r['per_s']:.0f}" for r in runs[key])
            print(f"{label:<34}{med[key]['per_s']:>12.0f}{med[key]['peak_mb']:>10.0f}   {each}")
        print(
            f"HTML ratio storyline / trafilatura: {statistics.median(ratios):.2f} median of "
            f"per-run ratios {' '.join(f'{r:.2f}' for r in ratios)} (target >= 0.8)"
        )
        cpu = [
            h["per_cpu_s"] / t["per_cpu_s"] for h, t in zip(runs["html"], runs["traf"], strict=True)
        ]
        print(
            f"same ratio on CPU time (steadier when shared): {statistics.median(cpu):.2f} "
            f"({' '.join(f'{r:.2f}' for r in cpu)}); CPU articles/s: txt "
            f"{med['txt']['per_cpu_s']:.0f}, HTML {med['html']['per_cpu_s']:.0f}, trafilatura "
            f"{med['traf']['per_cpu_s']:.0f}"
        )
        start = time.perf_counter()
        fill_store(root / "search.db", args.search_n)
        print(
            f"\nsearch on {args.search_n:,} articles, Zipf vocabulary (store filled in "
            f"{time.perf_counter() - start:.0f} s); ms, target p95 < 20"
        )
        for name, lat in search_latency(root / "search.db").items():
            print(
                f"{name:<10} ({lat['queries']:>2} queries, {lat['n']} runs): wall p50 "
                f"{lat['p50']:.2f} p95 {lat['p95']:.2f} max {lat['max']:.2f}; CPU p50 "
                f"{lat['cpu_p50']:.2f} p95 {lat['cpu_p95']:.2f}; with filters wall p50 "
                f"{lat['filtered_p50']:.2f} p95 {lat['filtered_p95']:.2f}"
            )


if __name__ == "__main__":
    main()
