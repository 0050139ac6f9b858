"""Load benchmark: many signed-in clients at once against `storyline serve` on loopback, with an
ingest writing to the same store meanwhile. Prints p50/p95/p99 per kind of request, errors, and
how many answers said "database is locked"; asserts nothing.

    python benchmarks/load.py              # 100,000 articles, 50 clients, 5 minutes
    python benchmarks/load.py --size 2000 --clients 10 --seconds 20    # a quick look
    python benchmarks/load.py --store /work/stores/web-10000.db --size 10000 --think 1-3

Two ways to load the server, reported under different names because they answer different
questions:

- **closed loop** (the default): each client sends its next request as soon as the last one
  answered. Nobody uses a workbench like that; it finds the server's *saturation throughput*
  (requests/s with every client always waiting), and by Little's law its latencies are about
  clients / throughput, whatever the server does. A p99 target cannot be read off this mode.
- **think time** (``--think A-B``): each client waits a random A to B seconds after every answer
  before its next request, as load tools model people (Locust's ``wait_time = between(a, b)``).
  This is the issue's "50 analysts at once": the offered load is about clients / (mean think +
  latency) requests/s, and the latencies are what those people see.

The store is built as benchmarks/web.py builds it (real ingest of generated articles up to
``--ingest-max``, then SQL-level copies with new ids). A viewer account and an API token are made
with the real CLI (`storyline users add`, `storyline users token create`); every client sends the
token (``Authorization: Bearer``), so each request also pays for authentication and the access
rules. Clients mix search pages and API searches, story and actor pages, and API lists, chosen at
random with fixed weights. While they run, ``storyline ingest`` writes ``--ingest-batch`` new
generated articles again and again (each run a new corpus, so every article is new). The target
(issue 14): p99 under 200 ms for search, no errors, no "database is locked".
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import importlib.util
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil

from storyline.testing import write_corpus

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("webbench", HERE / "web.py")
assert _spec and _spec.loader
webbench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(webbench)

TARGET_MS = 200.0
SEARCHES = ["border", '"joint patrol"', "Kabul AND customs", "refugees NOT fuel", "talks", "trade"]
#: kind -> weight
MIX = {
    "search page": 3,
    "search API": 3,
    "story page": 2,
    "actor page": 2,
    "stories API": 1,
    "actors API": 1,
}


def build(
    size: int, work: Path, ingest_max: int, base: int, store: Path | None = None
) -> tuple[Path, str]:
    """The store the run loads: a fresh copy of ``store`` when given (each run starts from the
    same file, as the run itself writes), else built as benchmarks/web.py builds it."""
    db = work / f"load-{size}.db"
    if store is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        # the WAL too: committed pages not yet checkpointed live only there (the -shm index
        # is rebuilt from it on open); the source must not be written meanwhile
        for suffix in ("", "-wal"):
            if Path(f"{store}{suffix}").exists():
                shutil.copyfile(f"{store}{suffix}", f"{db}{suffix}")
        from storyline.store import Store
        from storyline.update import Updater, default_steps

        with Store(db) as opened:  # this version's migrations and update steps, if any
            Updater(opened, default_steps()).run()
        return db, f"a copy of {store}"
    if size <= ingest_max:
        seconds = webbench.ingest(db, size, work)
        return db, f"real ingest of generated articles, {seconds:.0f} s"
    seconds = webbench.ingest(db, min(base, size), work)
    copies = webbench.replicate(db, size)
    webbench.catch_up(db, rebuild=True)
    return db, f"real ingest of {base:,} articles ({seconds:.0f} s), then {copies} SQL copies"


def token_for(db: Path) -> str:
    """A viewer's API token, made with the real CLI."""
    webbench.storyline("--db", str(db), "users", "add", "loadtest", "--role", "viewer")
    made = webbench.storyline(
        "--db", str(db), "users", "token", "create", "loadtest", "--label", "load", "--json"
    )
    if made.returncode != 0:
        raise SystemExit(f"token create failed: {made.stderr}")
    return str(json.loads(made.stdout)["token"])


def targets(db: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(db)
    stories = [
        r[0]
        for r in conn.execute(
            "SELECT story_id FROM story_articles GROUP BY story_id ORDER BY count(*) DESC LIMIT 50"
        )
    ]
    actors = [r[0] for r in conn.execute(
        "SELECT actor_id FROM mentions WHERE actor_id IS NOT NULL GROUP BY actor_id "
        "ORDER BY count(*) DESC LIMIT 50")]  # fmt: skip
    conn.close()
    return {
        "search page": [f"/search?q={quote(q)}" for q in SEARCHES],
        "search API": [f"/api/v1/search?q={quote(q)}" for q in SEARCHES],
        "story page": [f"/stories/{quote(s, safe='')}" for s in stories] or ["/stories"],
        "actor page": [f"/actors/{quote(a, safe=':')}" for a in actors] or ["/actors"],
        "stories API": ["/api/v1/stories", "/api/v1/stories?limit=50"],
        "actors API": ["/api/v1/actors", "/api/v1/actors?limit=50"],
    }


#: (kind, milliseconds, HTTP status or 0 for a client timeout/transport error, "database is
#: locked" seen in the answer, seconds since the load began, URL)
Result = tuple[str, float, int, bool, float, str]


async def client_loop(
    base: str, token: str, urls: dict[str, list[str]], until: float, seed: int,
    results: list[Result], think: tuple[float, float] | None, timeout: float,
) -> None:  # fmt: skip
    rng = random.Random(seed)
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=timeout) as client:
        if think:  # users do not all arrive in the same millisecond
            await asyncio.sleep(rng.uniform(0, think[1]))
        while time.monotonic() < until:
            kind = rng.choices(kinds, weights)[0]
            url = rng.choice(urls[kind])
            started = time.perf_counter()
            try:
                response = await client.get(url)
                status = response.status_code
                locked = "database is locked" in response.text
            except httpx.HTTPError:
                status, locked = 0, False
            ms = (time.perf_counter() - started) * 1000
            results.append((kind, ms, status, locked, started - BEGAN, url))
            if think:
                await asyncio.sleep(rng.uniform(*think))


#: perf_counter at the start of the load: samples and the ingest's runs are timed from it
BEGAN = time.perf_counter()


def writer(
    db: Path, work: Path, batch: int, until: float, nice: int, spans: list[tuple[float, float]]
) -> tuple[int, int]:
    """Ingest new corpora until ``until`` (an ingest still running then is stopped with SIGTERM,
    as Ctrl-C would: the load is over); returns (runs, failed runs). ``nice``: the ingest's CPU
    niceness (0: as the server); ``spans``: each run's start and end, seconds into the load."""
    runs = failed = 0
    while time.monotonic() < until:
        corpus = work / f"extra-{runs}"
        write_corpus(corpus, batch, fmt="jsonl", seed=1000 + runs)
        command = [sys.executable, "-m", "storyline", "--db", str(db), "ingest", str(corpus)]
        if nice:
            command = ["nice", "-n", str(nice), *command]
        began = time.perf_counter() - BEGAN
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while proc.poll() is None and time.monotonic() < until:
            time.sleep(0.2)
        spans.append((began, time.perf_counter() - BEGAN))
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
            break
        runs += 1
        failed += proc.returncode not in (0, 1)
    return runs, failed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))]


def stop(proc: subprocess.Popen[bytes], grace: float = 30.0) -> float | None:
    """SIGTERM the server; seconds it took to exit, or None when it needed a kill after
    ``grace``."""
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
    return time.monotonic() - started


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the server and its worker processes."""
    try:
        top = psutil.Process(pid)
        total = 0.0
        for process in [top, *top.children(recursive=True)]:
            times = process.cpu_times()
            total += times.user + times.system
    except psutil.Error:
        return float("nan")
    return total


def report(results: list[Result], elapsed: float) -> None:
    print(f"{'kind':<12} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in MIX:
        rows = [r for r in results if r[0] == kind]
        if not rows:
            continue
        times = [r[1] for r in rows]
        errors = sum(1 for r in rows if r[2] == 0 or r[2] >= 400)
        print(f"{kind:<12} {len(rows):>8} {errors:>6} {percentile(times, .5):8.1f} "
              f"{percentile(times, .95):8.1f} {percentile(times, .99):8.1f}")  # fmt: skip
    errors = sum(1 for r in results if r[2] == 0 or r[2] >= 400)
    timeouts = sum(1 for r in results if r[2] == 0)
    shed = sum(1 for r in results if r[2] == 503)
    search = [r[1] for r in results if r[0].startswith("search")]
    p99 = percentile(search, 0.99) if search else float("nan")
    print(
        f"\n{len(results)} requests ({len(results) / elapsed:.1f}/s), {errors} errors "
        f"({timeouts} client timeouts or transport errors, {shed} answered 503 busy); "
        f"search p99 {p99:.0f} ms (target {TARGET_MS:.0f})"
    )


async def run(args: argparse.Namespace, work: Path) -> None:
    db, how = build(args.size, work, args.ingest_max, args.base, args.store)
    n = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    token = token_for(db)
    urls = targets(db)
    extra = ["--workers", str(args.workers)] if args.workers else []
    proc, base = webbench.serve(db, extra)
    results: list[Result] = []
    spans: list[tuple[float, float]] = []
    runs = failed = 0
    global BEGAN
    BEGAN = time.perf_counter()
    try:
        until = time.monotonic() + args.seconds
        ingest = (
            asyncio.create_task(
                asyncio.to_thread(
                    writer, db, work, args.ingest_batch, until, args.ingest_nice, spans
                )
            )
            if args.ingest_batch
            else None
        )
        loops = [
            client_loop(base, token, urls, until, i, results, args.think, args.timeout)
            for i in range(args.clients)
        ]
        started, cpu_before = time.monotonic(), cpu_seconds(proc.pid)
        await asyncio.gather(*loops)
        elapsed, cpu = time.monotonic() - started, cpu_seconds(proc.pid) - cpu_before
        if ingest is not None:
            runs, failed = await ingest
    finally:
        stopped = stop(proc)
    log = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    (work / "server.log").write_text(log, encoding="utf-8")  # tracebacks, for a look afterwards
    locked = sum(1 for r in results if r[3]) + log.count("database is locked")
    mode = (
        f"think time {args.think[0]:g}-{args.think[1]:g} s between requests (users)"
        if args.think
        else "closed loop: next request as soon as the last answered (saturation)"
    )
    print(f"# storyline under load ({os.cpu_count()} CPUs): {n:,} articles ({how})")
    print(f"{args.clients} clients, {mode}, for {elapsed:.0f} s"
          + (f", {args.workers} server processes" if args.workers else ""))  # fmt: skip
    print(f"ingest of {args.ingest_batch} articles finished {runs} times meanwhile ({failed} "
          "failed; one still running at the end is stopped)\n")  # fmt: skip
    report(results, elapsed)
    if args.samples:
        write_samples(args.samples, results, spans)
    print(f"server CPU during the load {cpu:.0f} s ({cpu / elapsed:.2f} of {os.cpu_count()} cores; "
          f"{1000 * cpu / max(1, len(results)):.0f} ms per request)")  # fmt: skip
    where = [line.strip() for line in log.splitlines() if "locked" in line or "Error" in line]
    for line in list(dict.fromkeys(where))[:5]:  # what the server's log says about them
        print(f"  server log: {line[:160]}")
    print(f"{locked} 'database is locked'; the server "
          + (f"stopped {stopped:.1f} s after SIGTERM" if stopped is not None
             else "did not stop within 30 s of SIGTERM and was killed"))  # fmt: skip


def write_samples(path: Path, results: list[Result], spans: list[tuple[float, float]]) -> None:
    """Every request as a CSV row (seconds into the load, kind, URL, ms, status, whether an
    ingest was running then), to see where the slow ones fall."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["t_s", "kind", "url", "ms", "status", "ingest_running"])
        for kind, ms, status, _, at, url in sorted(results, key=lambda r: r[4]):
            busy = any(a <= at <= b for a, b in spans)
            out.writerow([f"{at:.3f}", kind, url, f"{ms:.1f}", status, int(busy)])
    print(f"samples: {path} ({len(results)} requests; ingest ran {len(spans)} times)")


def think_range(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    try:
        a, b = float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--think {value!r}: give seconds as A-B, e.g. 1-3"
        ) from None
    if not 0 <= a <= b:
        raise argparse.ArgumentTypeError(f"--think {value!r}: need 0 <= A <= B")
    return a, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="articles in the store")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=300, help="how long the load runs")
    parser.add_argument(
        "--ingest-batch", type=int, default=200, help="articles per ingest run (0: no ingest)"
    )
    parser.add_argument("--ingest-max", type=int, default=20000, help="largest real-ingest size")
    parser.add_argument("--base", type=int, default=10000, help="articles ingested before copies")
    parser.add_argument("--work", type=Path, help="keep stores here (default: a temp folder)")
    parser.add_argument("--store", type=Path, help="start each run from a copy of this store")
    parser.add_argument(
        "--think",
        type=think_range,
        help="seconds A-B each client waits between requests "
        "(default: none, a closed loop that measures saturation)",
    )
    parser.add_argument(
        "--ingest-nice", type=int, default=0,
        help="run the ingest under `nice -n N` (0: same CPU priority as the server)",
    )  # fmt: skip
    parser.add_argument("--samples", type=Path, help="write every request to this CSV file")
    parser.add_argument("--timeout", type=float, default=60, help="client timeout, seconds")
    parser.add_argument("--workers", type=int, default=0, help="storyline serve --workers N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storyline-load-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        asyncio.run(run(args, work))


if __name__ == "__main__":
    main()
