"""The hostile-input battery at full size: per-pattern CPU time and peak memory of the whole
ingest pipeline on adversarial documents, against ordinary prose of the same size (issue 15).

    python benchmarks/hostile.py [--size 100000] [--kinds txt,html] [--patterns a,b] [--big]

Each document (every pattern of `storyline.testing.hostile_texts`, written as each kind of
`HOSTILE_KINDS`) is read from bytes and run through `build_pipeline()` (stages only, no store),
with the time budget off so the figures are the work itself. Time is CPU time; memory is the
growth of the process's peak resident set over the run (Linux: VmHWM, reset per document), so
the model's own weights are not counted. The goal: no document over 2x prose of its size and
kind. ``--big`` adds a 9.9 MB single-line text (processed in parts). tests/hostile runs the
short version (1 KB against 10 KB).
"""

from __future__ import annotations

import argparse
import io
import os
import time
from pathlib import Path

from storyline.ingest import build_pipeline
from storyline.sources.files import ReadOptions, read_stream
from storyline.testing import HOSTILE_KINDS, hostile_document, hostile_texts, ordinary_prose

GOAL = 2.0


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure(pipeline, data: bytes, kind: str) -> tuple[float, float, str]:
    """(CPU seconds, peak MB above the start, outcome) of one document through the stages."""
    linux = os.path.exists("/proc/self/clear_refs")
    if linux:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to now
    before = _rss_kb("VmRSS") if linux else 0
    start = time.process_time()
    articles = list(read_stream(io.BytesIO(data), f"hostile.{kind}", kind, ReadOptions()))
    pipeline.run_batch([a for a in articles if a.ok])
    seconds = time.process_time() - start
    peak = (_rss_kb("VmHWM") - before) / 1024 if linux else float("nan")
    a = articles[0]
    outcome = "failed: " + a.failed[:40] if a.failed else (a.skipped or "ok")[:30]
    return seconds, peak, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--kinds", default=",".join(HOSTILE_KINDS))
    parser.add_argument("--patterns", default="")
    parser.add_argument("--big", action="store_true", help="add a 9.9 MB single-line text")
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    texts = hostile_texts(args.size)
    if args.patterns:
        texts = {k: v for k, v in texts.items() if k in args.patterns.split(",") or k == "prose"}
    pipeline = build_pipeline()
    pipeline.time_budget = 0
    pipeline.setup()
    measure(pipeline, hostile_document(texts["prose"], "txt")[1], "txt")  # warm up
    print(
        f"{args.size:,}-character documents; CPU s (x prose of the kind), peak MB; goal "
        f"<= {GOAL:g}x prose"
    )
    print(f"{'pattern':<27}" + "".join(f"{k:>16}" for k in kinds) + "   peak MB  outcome (txt)")
    prose: dict[str, float] = {}
    worst = 0.0
    for name, text in texts.items():
        cells, peaks, outcome = [], [], ""
        for kind in kinds:
            seconds, peak, result = measure(pipeline, hostile_document(text, kind)[1], kind)
            if name == "prose":
                prose[kind] = seconds
            ratio = seconds / prose[kind] if prose.get(kind) else float("nan")
            if name != "prose":
                worst = max(worst, ratio)
            flag = "!" if ratio > GOAL else " "
            cells.append(f"{seconds:7.2f} ({ratio:4.1f}){flag}")
            peaks.append(peak)
            outcome = outcome or result
        print(
            f"{name:<27}" + "".join(f"{c:>16}" for c in cells) + f"{max(peaks):>10.0f}  {outcome}",
            flush=True,
        )
    print(f"worst: {worst:.2f}x prose of the same size and kind")
    if args.big:
        text = ordinary_prose(9_900_000).replace("\n\n", "  ")
        seconds, peak, result = measure(pipeline, text.encode(), "txt")
        print(f"9.9 MB single line: {seconds:.1f} s CPU, peak +{peak:.0f} MB, {result}")


if __name__ == "__main__":
    main()
