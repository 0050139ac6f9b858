"""The stages in worker processes (`storyline.pool`, issue 16 item 1): a store ingested with two
workers equals a one-process ingest in every table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline import config
from storyline.ingest import ingest_paths
from storyline.pool import INPUTS_PER_WORKER, auto_workers
from storyline.store import Store
from storyline.testing import snapshot_diff, store_snapshot, write_corpus


def test_auto_workers_pay_for_themselves() -> None:
    assert auto_workers(5, available=8) == 1
    assert auto_workers(INPUTS_PER_WORKER * 3, available=8) == 3
    assert auto_workers(INPUTS_PER_WORKER * 50, available=2) == 2


def test_two_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 20, fmt="html", seed=5)
    (corpus / "broken.json").write_text("{not json")  # a failed input keeps its slot rules
    settings = config.load(None, {"store": {"batch_size": 8}}, environ={})
    # a file of the second batch again at the end, read while that batch may still be in the
    # workers (batches run ahead of the one being written): counted and stored as one process
    # does (unchanged)
    again = sorted(corpus.glob("*.html"))[10]
    snapshots, summaries = [], []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        with Store(db, settings=settings) as store:
            report = ingest_paths([str(corpus), str(again)], store, settings, workers=workers)
        summaries.append(report.summary())
        snapshots.append(store_snapshot(db))
    assert summaries[1].pop("workers")["processes"] == 2
    assert summaries[0] == summaries[1]
    assert summaries[0]["stored"] >= 16 and summaries[0]["failed"] == 1
    assert summaries[0]["unchanged"] >= 1 and summaries[0]["read"] == 22
    assert snapshot_diff(snapshots[0], snapshots[1]) == {}


def test_cli_workers_option(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 6, fmt="txt", seed=9)
    db = tmp_path / "s.db"
    args = ["--db", str(db), "ingest", str(corpus), "--workers", "2", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "storyline", *args],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["stored"] == 6
    assert summary["workers"] == {"processes": 2, "peak_mb": summary["workers"]["peak_mb"]}
    assert summary["workers"]["peak_mb"] > 50  # each worker holds the models
