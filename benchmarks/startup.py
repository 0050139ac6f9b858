"""Start-up cost of `storyline ingest`: wall time and peak RSS of whole CLI processes.

Each run is a fresh ``python -m storyline --db <new file> ingest <input>`` child; its peak RSS comes
from ``os.wait4`` (the child's own rusage). "first article" ingests a single seed, so its time is
start-up plus one article; "seeds" ingests all five. ``--cold`` points ``STORYLINE_CACHE_DIR`` at an
empty folder for the first run (the places cache is built then; later runs reuse it).

    python benchmarks/startup.py --runs 3
    PYTHONPATH=/path/to/old/src python benchmarks/startup.py --runs 3   # another checkout
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def run_once(target: Path, env: dict[str, str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one ingest process."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "storyline", "--db", f"{tmp}/s.db", "ingest", str(target)]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-500:]}")
        proc.stderr.close()
        return wall, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="start with an empty cache folder")
    args = parser.parse_args()
    if not SEEDS.is_dir():
        raise SystemExit(f"seed articles not found at {SEEDS}")
    env = dict(os.environ)
    cache = tempfile.TemporaryDirectory() if args.cold else None
    if cache:
        env["STORYLINE_CACHE_DIR"] = cache.name
    targets = {"first article": sorted(SEEDS.glob("*.txt"))[0], "seeds": SEEDS}
    for label, target in targets.items():
        runs = [run_once(target, env) for _ in range(args.runs)]
        walls = ", ".join(f"{w:.2f}" for w, _ in runs)
        print(
            f"{label:13s} wall median {statistics.median(w for w, _ in runs):.2f} s ({walls}); "
            f"peak RSS max {max(r for _, r in runs)} MB"
        )
    if cache:
        cache.cleanup()


if __name__ == "__main__":
    main()
