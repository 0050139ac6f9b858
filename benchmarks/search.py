"""Search latency at 100,000 and 1,000,000 articles (issue 16, item 4): p50/p95/p99 per query of
the benchmark's mix, with the kept search index and with FTS5 alone. Prints figures, asserts
nothing.

    python benchmarks/search.py --work /tmp/search-bench               # 100,000 and 1,000,000
    python benchmarks/search.py --sizes 20000 --rounds 5 --work /tmp/sb   # a quick look

How a store of N articles is built cheaply (the full ingest runs at a few articles a second):
``--base`` articles (default 100,000) come from `storyline.testing.generate(..., realistic=True)`
(Zipf-distributed made-up names, places and topic words over the fixed phrase tables); beyond the
base, each further article is a new combination of the base's paragraphs (its title from one
base article, three to seven paragraphs drawn at random from all of them), so every article is
different and word frequencies keep the base's shape. Rows are written by SQL into the tables
search reads (``articles``, whose insert trigger fills the FTS5 index, and ``article_agencies``)
of a store made by this branch's migrations; the change feed is not filled, and the kept search
index is built by its update step's rebuild (`storyline.update.index_search`), timed.

Each query runs ``--rounds`` times after one warm-up, in a shuffled order per round; latency is the
wall time of `storyline.store.search.search` (limit 20), with CPU time of the thread next to it.
"``fts5``" rows are the same calls with the kept index switched off (exact FTS5 BM25 over every
match, the behaviour before). Every query's top 20 (ids and scores) from the kept index is
compared with FTS5's, and the number of differing queries is printed.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import time
from pathlib import Path

from storyline.store import Store
from storyline.store.db import transaction
from storyline.testing import Vocabulary, generate

SEED = 11
NOW = "2026-01-01T00:00:00+00:00"


def mix(vocab: Vocabulary) -> list[str]:
    """The benchmark's queries: words of the fixed phrase tables (in 35-96 % of articles), names,
    places and topic words from head to tail of the Zipf vocabulary, phrases, AND, OR, NOT and a
    prefix (the same mix as benchmarks/ingest.py, plus the web benchmark's searches)."""
    t, p, pl = vocab.terms, vocab.people, vocab.places
    return [
        "border",
        "refugee",
        "Herat",
        '"joint patrol"',
        "Kabul AND customs",
        "tariff*",
        "border OR crossing",
        "refugee NOT fuel",
        "Quetta NOT fuel",
        '"prisoner exchange"',
        "electricity",
        "dam inspection",
        t[5],
        t[50],
        t[500],
        t[5000],
        f'"{p[3]}"',
        f'"{p[300]}"',
        pl[20],
        pl[400],
        f"{t[40]} AND {t[400]}",
        f"{t[1000]} OR {t[2000]}",
        f"{p[30]} NOT {t[10]}",
        f"{t[3]}*",
    ]


def _rows(items: list, start: int, rng: random.Random, n: int):  # type: ignore[no-untyped-def]
    """``n`` article rows from rowid ``start``: the base items first, then recombinations."""
    paras = [p for s in items for p in s.body.split("\n\n")] if start + n > len(items) else []
    for i in range(start, start + n):
        if i < len(items):
            s = items[i]
            title, body, outlet, day, agency = s.title, s.body, s.outlet, s.day, s.agency
        else:
            s = items[rng.randrange(len(items))]
            title, outlet, day, agency = s.title, rng.choice(items).outlet, s.day, s.agency
            body = "\n\n".join(rng.choice(paras) for _ in range(rng.randint(3, 7)))
        aid = f"b{i:010x}"
        yield (aid, title, body, outlet, day.isoformat() if day else None, agency)


def build(path: Path, n: int, base: int) -> float:
    """A store of ``n`` articles (see the module's docstring); returns the seconds taken."""
    started = time.perf_counter()
    items = generate(min(n, base), seed=SEED, reprint_rate=0.0, realistic=True)
    with Store(path) as store:
        conn = store.conn
        rng = random.Random(SEED)
        step = 20000
        for start in range(0, n, step):
            rows = list(_rows(items, start, rng, min(step, n - start)))
            # the store's connection is in autocommit mode: one explicit transaction per chunk
            with transaction(conn, "writing generated articles"):
                conn.executemany(
                    "INSERT INTO articles (id, content_hash, source, title, text, outlet, "
                    "published, language, data, ingested_at, updated_at) "
                    "VALUES (?, ?, 'bench', ?, ?, ?, ?, 'en', '{}', ?, ?)",
                    [(r[0], r[0], r[1], r[2], r[3], r[4], NOW, NOW) for r in rows],
                )
                conn.executemany(
                    "INSERT INTO article_agencies (article_id, agency) VALUES (?, ?)",
                    [(r[0], r[5]) for r in rows if r[5]],
                )
            print(f"  {start + len(rows):,} articles written", flush=True)
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * q + 0.5) - 1)]


def page(conn: sqlite3.Connection, query: str) -> list[tuple[str, float | None]]:
    """The search page's answer (`storyline.analysis.search.search_articles` with facets, as
    ``/search`` and ``/api/v1/search`` ask for it): its results' ids and scores."""
    from storyline.analysis.search import search_articles

    answer = search_articles(conn, query, facets=True, limit=10)
    return [(i["id"], i["score"]) for i in answer["items"]]


def measure(
    path: Path, queries: list[str], rounds: int, kept: bool, pages: bool = False
) -> dict[str, dict]:
    """Per query: match count, p50/p95/p99 wall ms and p50 CPU ms, and the top 20 (with
    ``pages``: of the search page's answer instead of `search`)."""
    from storyline.store import search as search_mod

    def call(conn: sqlite3.Connection, q: str) -> list[tuple[str, float | None]]:
        if pages:
            return page(conn, q)
        return [(h.id, h.score) for h in search_mod.search(conn, q, limit=20)]

    out: dict[str, dict] = {}
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    previous = search_mod.USE_KEPT_INDEX
    search_mod.USE_KEPT_INDEX = kept
    try:
        times: dict[str, list[float]] = {q: [] for q in queries}
        cpu: dict[str, list[float]] = {q: [] for q in queries}
        top: dict[str, list[tuple[str, float | None]]] = {}
        for q in queries:
            top[q] = call(conn, q)
        rng = random.Random(1)
        for _ in range(rounds):
            for q in rng.sample(queries, len(queries)):
                w, c = time.perf_counter(), time.thread_time()
                call(conn, q)
                cpu[q].append((time.thread_time() - c) * 1000)
                times[q].append((time.perf_counter() - w) * 1000)
        for q in queries:
            matches = conn.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                (search_mod.to_fts_query(q),),
            ).fetchone()[0]
            out[q] = {
                "matches": matches,
                "p50": statistics.median(times[q]),
                "p95": _pct(times[q], 0.95),
                "p99": _pct(times[q], 0.99),
                "cpu50": statistics.median(cpu[q]),
                "top": top[q],
            }
    finally:
        search_mod.USE_KEPT_INDEX = previous
        conn.close()
    return out


def report(size: int, before: dict[str, dict], after: dict[str, dict], what: str = "") -> None:
    print(f"\n## {size:,} articles{what}: ms, FTS5 alone (before) -> kept index (after)\n")
    print(
        f"{'query':<28} {'matches':>9}  {'p50':>15} {'p95':>15} {'p99':>15} {'cpu p50':>15}  top 20"
    )
    differ = 0
    for q, b in before.items():
        a = after[q]
        same = a["top"] == b["top"]
        differ += not same
        cells = "".join(f" {b[k]:7.1f}->{a[k]:6.1f}" for k in ("p50", "p95", "p99", "cpu50"))
        print(f"{q[:28]:<28} {b['matches']:>9,} {cells}  {'same' if same else 'DIFFERS'}")
    worst_b = max(before.values(), key=lambda r: r["p95"])["p95"]
    worst_a = max(after.values(), key=lambda r: r["p95"])["p95"]
    print(
        f"\nworst p95: {worst_b:.1f} ms before, {worst_a:.1f} ms after; "
        f"{differ} of {len(before)} queries with a different top 20"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--base", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--work", type=Path, required=True, help="folder for the stores")
    parser.add_argument("--keep", action="store_true", help="keep the stores afterwards")
    parser.add_argument(
        "--pages", action="store_true", help="also time the search page's query (with facets)"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    queries = mix(Vocabulary(SEED))
    print(f"# storyline search latency ({os.cpu_count()} CPUs, {args.rounds} rounds per query)")
    for size in (int(s) for s in args.sizes.split(",") if s):
        db = args.work / f"search-{size}.db"
        if not db.exists():
            print(f"building {db} ...", flush=True)
            print(f"built {size:,} articles in {build(db, size, args.base):.0f} s", flush=True)
        started = time.perf_counter()
        counts = index(db)
        print(f"kept index built in {time.perf_counter() - started:.0f} s: {counts}", flush=True)
        before = measure(db, queries, args.rounds, kept=False)
        after = measure(db, queries, args.rounds, kept=True)
        report(size, before, after)
        if args.pages:
            before = measure(db, queries, args.rounds, kept=False, pages=True)
            after = measure(db, queries, args.rounds, kept=True, pages=True)
            report(size, before, after, ", the search page's query (facets, folding)")
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)


def index(db: Path) -> dict[str, int]:
    """Build the kept search index by its update step's rebuild (the feed is empty here)."""
    from storyline.update import Updater, default_steps

    with Store(db) as store:
        return Updater(store, default_steps()).rebuild("index_search")


if __name__ == "__main__":
    main()
