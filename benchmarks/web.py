"""Web benchmark: page and API latency (p50/p95) of `storyline serve` at a given store size.
Prints figures, asserts nothing.

    python benchmarks/web.py                         # 10,000 and 100,000 articles
    python benchmarks/web.py --sizes 2000            # a quick look
    python benchmarks/web.py --sizes 10000 --requests 50
    python benchmarks/web.py --work DIR --reuse      # again, on the stores a run kept in DIR

How a store of N articles is built: up to ``--ingest-max`` (default 20,000) articles are
generated (`storyline.testing.write_corpus`, JSON Lines) and ingested by the real CLI, every
update step included. Larger stores start from an ingest of ``--base`` articles (default 10,000)
whose rows are then replicated at the SQL level, each copy with new article, story and storyline
ids (the same shape as real ids) in every table that refers to them, until the store holds N
articles; actors are shared, so an actor's mentions grow with the copies. The output says which
stores were replicated. Replicas repeat the same dates, so per-day volumes are N/base times
denser than in the ingested base.

Latency is measured against `storyline serve` in its own process on loopback, with one HTTP client
(keep-alive) sending ``--requests`` sequential requests per URL after ``--warmup`` requests. Every
GET route of the app is measured, with real ids filled into its path parameters, plus searches.
The target (issue 12) is p95 under 200 ms for every page on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from storyline.store.volume import TABLES as VOLUME_TABLES
from storyline.testing import write_corpus

TARGET_MS = 200.0
SEARCHES = ["border", '"joint patrol"', "Kabul AND customs", "refugees NOT fuel"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def storyline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", *args], capture_output=True, text=True, check=False
    )


def ingest(db: Path, n: int, work: Path) -> float:
    """A store of ``n`` generated articles ingested by the real CLI, copied to ``db`` (the
    ingest is reused by later sizes); returns the seconds the ingest took (0 when reused)."""
    built = work / f"ingested-{n}.db"
    seconds = 0.0
    if not built.exists():
        corpus = work / f"corpus-{n}"
        write_corpus(corpus, n, fmt="jsonl")
        started = time.perf_counter()
        result = storyline("--db", str(built), "ingest", str(corpus))
        if result.returncode not in (0, 1):
            raise SystemExit(f"ingest failed ({result.returncode}):\n{result.stderr[-2000:]}")
        seconds = time.perf_counter() - started
        checkpoint = sqlite3.connect(built)
        checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        checkpoint.close()
    shutil.copyfile(built, db)
    catch_up(db)
    return seconds


def catch_up(db: Path, rebuild: bool = False) -> None:
    """Migrate the store and bring every update step up to date (an ingest made by an older
    storyline lacks a newer step's tables); with ``rebuild``, recompute the summaries
    (``count_cooccurrence``, ``count_outlet_copies``, ``count_volume``) from the rows, as
    replication copies articles but not totals; the kept search index is rebuilt whenever it
    disagrees with FTS5 (replicated stores, and stores kept by a run before this one did it)."""
    from storyline.store import Store
    from storyline.store.search_index import is_current
    from storyline.update import Updater, default_steps

    with Store(db) as store:
        updater = Updater(store, default_steps())
        updater.run()
        if rebuild:
            updater.rebuild("count_cooccurrence")
            updater.rebuild("count_outlet_copies")
            updater.rebuild("count_volume")
        if not is_current(store.conn) or not _pairs_everywhere(store.conn):
            # replicated articles reach FTS5 (its trigger) but not the kept search index, and
            # search falls back to FTS5 for every query while the two disagree; and a store
            # indexed by version 1 of the step is upgraded by replaying the change feed, which
            # replicated articles are not in: their blocks kept words but got no pairs, and
            # phrases were ranked from block 0 alone (fast and wrong) until this check
            updater.rebuild("index_search")
        store.conn.execute("ANALYZE")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _pairs_everywhere(conn: sqlite3.Connection) -> bool:
    """Whether every indexed block holds adjacent-pair postings (version 2 of the step): one
    seek of the (block, term) index per block."""
    missing = conn.execute(
        "SELECT COUNT(*) FROM search_blocks b WHERE NOT EXISTS (SELECT 1 FROM search_postings p "
        "WHERE p.block = b.block AND p.term >= char(1) AND p.term < char(2))"
    ).fetchone()[0]
    return bool(missing == 0)


#: Columns that hold an article, story or storyline id, per table (and each table's own id).
ID_COLUMNS = {"article_id", "story_id", "storyline_id", "anchor_id", "a", "b"}
OWN_ID = {"articles", "stories", "storylines"}
#: Tables not copied: feed bookkeeping, the clusterer's state, the FTS index (the insert trigger
#: on articles fills it), actors and their keys (shared by every copy).
SKIP = {
    "sources",
    "changes",
    "update_marks",
    "update_failures",
    "schema_migrations",
    "cluster_state",
    "followed",
    "followed_items",
    "actors",
    "actor_keys",
    "actor_corrections",
    # summaries recomputed after replication (`catch_up`)
    "cooccurrence",
    "actor_totals",
    "place_totals",
    "country_totals",
    "country_links",
    "outlet_copy_links",
    "outlet_copies",
    *VOLUME_TABLES,  # count_volume's, rebuilt by `catch_up`
    # the kept search index, rebuilt by `catch_up`
    "search_postings",
    "search_terms",
    "search_blocks",
    "search_rows",
}


def replicate(db: Path, target: int) -> int:
    """Copy every article (and what refers to it) until the store holds ``target`` articles.

    A copy's id keeps the original's shape: its last four characters become the copy number in
    hex. Returns the number of copies made."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    base = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    copies = max(0, -(-target // base) - 1)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'articles_fts%'"
        )
    ]
    for k in range(1, copies + 1):
        need = min(base, target - base * k)
        if need <= 0:
            break
        with conn:
            conn.execute("DROP TABLE IF EXISTS temp.picked")
            conn.execute(
                "CREATE TEMP TABLE picked AS SELECT id FROM articles WHERE id NOT GLOB '*~*' "
                "ORDER BY rowid LIMIT ?",
                (need,),
            )
            for table in tables:
                if table in SKIP:
                    continue
                cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
                moved = [c for c in cols if c in ID_COLUMNS or (c == "id" and table in OWN_ID)]
                if not moved:
                    continue
                exprs = [
                    f'substr("{c}", 1, length("{c}") - 4) || printf(\'%04x\', {k})'
                    if c in moved
                    else f'"{c}"'
                    for c in cols
                ]
                if table == "articles":
                    exprs[cols.index("content_hash")] = f"content_hash || '~{k}'"
                    where = "WHERE id IN (SELECT id FROM temp.picked)"
                elif "article_id" in cols:
                    where = "WHERE article_id IN (SELECT id FROM temp.picked)"
                elif "a" in cols and "b" in cols:
                    where = "WHERE a IN (SELECT id FROM temp.picked)"
                else:
                    where = ""  # stories, storylines and their links: copied whole
                quoted = ", ".join(f'"{c}"' for c in cols)
                conn.execute(
                    f'INSERT OR IGNORE INTO "{table}" ({quoted}) '
                    f'SELECT {", ".join(exprs)} FROM "{table}" {where}'
                )
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return copies


def sample_ids(db: Path) -> dict[str, str]:
    """A busy value for each kind of path parameter (the most-covered story, the most-mentioned
    actor, the biggest outlet): the pages an analyst opens first, and the slowest to build."""
    conn = sqlite3.connect(db)
    one = lambda sql: (conn.execute(sql).fetchone() or ["x"])[0]  # noqa: E731
    ids = {
        "articles": one("SELECT id FROM articles ORDER BY length(text) DESC LIMIT 1"),
        "stories": one(
            "SELECT story_id FROM story_articles GROUP BY story_id ORDER BY count(*) DESC LIMIT 1"
        ),
        "storylines": one("SELECT id FROM storylines ORDER BY n_articles DESC LIMIT 1"),
        "actors": one(
            "SELECT actor_id FROM mentions WHERE actor_id IS NOT NULL GROUP BY actor_id "
            "ORDER BY count(*) DESC LIMIT 1"
        ),
        "outlets": one(
            "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet "
            "ORDER BY count(*) DESC LIMIT 1"
        ),
    }
    conn.close()
    return {k: str(v) for k, v in ids.items()}


def urls(ids: dict[str, str]) -> list[str]:
    """Every GET route of the app (ids filled in), then searches, pages before API."""
    from storyline.web.app import create_app

    app = create_app()
    paths: list[str] = []

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            if hasattr(route, "original_router"):
                walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif "GET" in (getattr(route, "methods", None) or ()):
                paths.append(prefix + route.path)

    walk(list(app.routes), "")
    out = []
    for path in paths:
        parts = [p for p in path.split("/") if p]
        area = parts[2] if parts[:2] == ["api", "v1"] and len(parts) > 2 else (parts or [""])[0]
        filled = [quote(ids.get(area, "x"), safe="") if p.startswith("{") else p for p in parts]
        out.append("/" + "/".join(filled))
    for q in SEARCHES:
        out += [f"/search?q={quote(q)}", f"/api/v1/search?q={quote(q)}"]
    out = list(dict.fromkeys(out))
    return sorted(out, key=lambda u: (u.startswith("/api/"), u))


def bench_token(db: Path) -> str | None:
    """An admin API token for the benchmark's requests (every page is measured as a signed-in
    analyst sees it, not as the redirect to /login); None when this storyline has no accounts."""
    added = storyline("--db", str(db), "users", "add", "bench", "--role", "admin")
    if added.returncode != 0 and "already" not in (added.stdout + added.stderr):
        return None
    made = storyline("--db", str(db), "users", "token", "create", "bench", "--json")
    if made.returncode != 0:
        return None
    return str(json.loads(made.stdout)["token"])


def serve(db: Path, extra: list[str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """`storyline serve` on a free loopback port (``extra``: more serve options)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "storyline", "--db", str(db)),
            *("serve", "--port", str(port), *(extra or [])),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/api/v1/openapi.json", timeout=2)
            return proc, base
        except httpx.TransportError:
            if proc.poll() is not None:
                errors = proc.stderr.read().decode() if proc.stderr else ""
                raise SystemExit(f"serve exited: {errors[-2000:]}") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("serve did not start within 60 s")


def measure(
    base: str, paths: list[str], requests: int, warmup: int, token: str | None = None
) -> list[dict[str, Any]]:
    rows = []
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
        for path in paths:
            statuses = set()
            for _ in range(warmup):
                client.get(path)
            times = []
            size = 0
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                statuses.add(response.status_code)
                size = len(response.content)
            times.sort()
            rows.append(
                {
                    "url": path,
                    "status": ",".join(str(s) for s in sorted(statuses)),
                    "kb": size / 1024,
                    "p50": statistics.median(times),
                    "p95": times[min(len(times) - 1, round(0.95 * len(times)) - 1)],
                }
            )
    return rows


def report(size: int, how: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n## {size:,} articles ({how})\n")
    width = max(len(r["url"]) for r in rows)
    width = min(width, 70)
    print(f"{'URL':<{width}}  {'status':>6}  {'KB':>7}  {'p50 ms':>8}  {'p95 ms':>8}")
    for r in rows:
        flag = "  over target" if r["p95"] > TARGET_MS else ""
        url = r["url"] if len(r["url"]) <= width else r["url"][: width - 1] + "…"
        print(
            f"{url:<{width}}  {r['status']:>6}  {r['kb']:7.1f}  {r['p50']:8.1f}  "
            f"{r['p95']:8.1f}{flag}"
        )
    pages = [r for r in rows if not r["url"].startswith("/api/")]
    over = [r["url"] for r in rows if r["p95"] > TARGET_MS]
    worst = max(rows, key=lambda r: r["p95"])
    print(
        f"\n{len(rows)} URLs ({len(pages)} pages); worst p95 {worst['p95']:.0f} ms "
        f"({worst['url']}); {len(over)} over the {TARGET_MS:.0f} ms target"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated store sizes")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per URL")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per URL first")
    parser.add_argument(
        "--ingest-max", type=int, default=20000, help="largest size built by real ingest"
    )
    parser.add_argument(
        "--base", type=int, default=10000, help="articles ingested before replicating"
    )
    parser.add_argument("--work", type=Path, help="keep stores here (default: a temp folder)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the stores already in --work (web-N.db) instead of building them anew "
        "(migrated and their update steps caught up first)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="storyline-web-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(f"# storyline web latency ({os.cpu_count()} CPUs, {args.requests} requests per URL)")
        for size in sizes:
            db = work / f"web-{size}.db"
            if args.reuse and db.exists():
                catch_up(db)
                how = f"the store kept in {work}, reused"
            elif size <= args.ingest_max:
                seconds = ingest(db, size, work)
                how = f"real ingest of generated articles, {seconds:.0f} s"
            else:
                base = min(args.base, size)
                seconds = ingest(db, base, work)
                started = time.perf_counter()
                copies = replicate(db, size)
                catch_up(db, rebuild=True)
                copied = time.perf_counter() - started
                how = (
                    f"real ingest of {base:,} generated articles ({seconds:.0f} s), then "
                    f"{copies} SQL-level copies with new ids ({copied:.0f} s)"
                )
            n = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
            token = bench_token(db)
            proc, base_url = serve(db)
            try:
                rows = measure(base_url, urls(sample_ids(db)), args.requests, args.warmup, token)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            report(n, how, rows)


if __name__ == "__main__":
    main()
