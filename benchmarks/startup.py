"""Start-up cost of the CLI: wall time and peak RSS of whole `storyline` processes.

Each run is a fresh ``python -m storyline …`` child; its peak RSS comes from ``os.wait4`` (the
child's own rusage). Two groups of cases:

* ``noop``: commands that have (almost) nothing to do, on a store holding the five seeds,
  ingested once beforehand: an ingest of a nonexistent path, of an empty folder and of the
  unchanged seeds, and the lookups ``story st_zzz`` (no such story), ``show`` (the first
  article), ``stats`` and ``list``. Each should answer in well under a second: models and heavy
  libraries load only when an article needs them.
* ``ingest``: "first article" ingests a single seed into a new store (start-up plus one
  article); "seeds" ingests all five.

``--cold`` points ``STORYLINE_CACHE_DIR`` at an empty folder for the first run (the places cache is
built then; later runs reuse it).

    python benchmarks/startup.py --runs 3                 # both groups
    python benchmarks/startup.py --runs 5 --cases noop
    PYTHONPATH=/path/to/old/src python benchmarks/startup.py --runs 3   # another checkout

Prints one line per case; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def run_once(args: list[str], env: dict[str, str], codes: tuple[int, ...]) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one ``storyline ARGS`` process."""
    cmd = [sys.executable, "-m", "storyline", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    assert proc.stderr is not None
    if os.waitstatus_to_exitcode(status) not in codes:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-500:]}")
    proc.stderr.close()
    return wall, usage.ru_maxrss // 1024


def report(label: str, runs: list[tuple[float, int]]) -> None:
    walls = ", ".join(f"{w:.2f}" for w, _ in runs)
    print(
        f"{label:22s} wall median {statistics.median(w for w, _ in runs):.2f} s ({walls}); "
        f"peak RSS max {max(r for _, r in runs)} MB",
        flush=True,
    )


def noop_cases(tmp: Path, env: dict[str, str], runs: int) -> None:
    db = tmp / "seeds.db"
    run_once(["--db", str(db), "ingest", str(SEEDS)], env, (0,))
    first = sqlite3.connect(db).execute("SELECT id FROM articles ORDER BY id").fetchone()[0]
    empty = tmp / "empty"
    empty.mkdir()
    cases: dict[str, tuple[list[str], tuple[int, ...]]] = {
        "ingest missing path": (["ingest", str(tmp / "no-such-file.txt")], (1,)),
        "ingest empty folder": (["ingest", str(empty)], (0,)),
        "ingest unchanged": (["ingest", str(SEEDS)], (0,)),
        "story st_zzz": (["story", "st_zzz"], (2,)),
        "show": (["show", first[:8]], (0,)),
        "stats": (["stats"], (0,)),
        "list": (["list"], (0,)),
    }
    for label, (args, codes) in cases.items():
        report(label, [run_once(["--db", str(db), *args], env, codes) for _ in range(runs)])


def ingest_cases(tmp: Path, env: dict[str, str], runs: int) -> None:
    targets = {"first article": sorted(SEEDS.glob("*.txt"))[0], "seeds": SEEDS}
    for label, target in targets.items():
        results = []
        for i in range(runs):
            db = tmp / f"{label.replace(' ', '-')}-{i}.db"
            results.append(run_once(["--db", str(db), "ingest", str(target)], env, (0,)))
        report(label, results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", choices=("all", "noop", "ingest"), default="all")
    parser.add_argument("--cold", action="store_true", help="start with an empty cache folder")
    args = parser.parse_args()
    if not SEEDS.is_dir():
        raise SystemExit(f"seed articles not found at {SEEDS}")
    env = dict(os.environ)
    cache = tempfile.TemporaryDirectory() if args.cold else None
    if cache:
        env["STORYLINE_CACHE_DIR"] = cache.name
    with tempfile.TemporaryDirectory() as tmp:
        if args.cases in ("all", "ingest"):
            ingest_cases(Path(tmp), env, args.runs)
        if args.cases in ("all", "noop"):
            noop_cases(Path(tmp), env, args.runs)
    if cache:
        cache.cleanup()


if __name__ == "__main__":
    main()
