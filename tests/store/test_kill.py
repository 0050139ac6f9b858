"""kill -9 during ingest: nothing half-written, integrity ok, the resumed store equals a clean run.

CI runs 20 kills at random moments; `benchmarks/kill_ingest.py` runs 200.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from storyline.ingest import build_pipeline, ingest
from storyline.store import Store
from storyline.testing import check_consistent, kill_during_ingest, store_snapshot, write_corpus

RUNS = 20


@pytest.mark.slow
def test_kill_nine_at_random_moments(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, seed=3)
    reference = tmp_path / "reference.db"
    with Store(reference) as store:
        ingest([str(corpus)], store, build_pipeline(), batch_size=3)
    expected = store_snapshot(reference)
    assert len(expected["articles"]) >= 30

    # How long a whole run takes in a subprocess, so kills land anywhere in it.
    probe = tmp_path / "probe.db"
    start = time.monotonic()
    assert kill_during_ingest(corpus, probe, delay=600) == 0
    full = time.monotonic() - start

    rng = random.Random(20261123)
    killed = 0
    pipeline = build_pipeline()
    for run in range(RUNS):
        db = tmp_path / f"run{run}.db"
        status = kill_during_ingest(corpus, db, delay=rng.uniform(0.0, full))
        killed += status < 0
        if db.exists():
            assert check_consistent(db) == [], f"run {run}"
        with Store(db) as store:  # resume
            ingest([str(corpus)], store, pipeline, batch_size=3)
        assert check_consistent(db) == []
        got = store_snapshot(db)
        for table, rows in expected.items():
            missing = sorted(set(rows) - set(got[table]))[:2]
            extra = sorted(set(got[table]) - set(rows))[:2]
            assert not missing and not extra, f"run {run}, {table}: {missing} vs {extra}"
    assert killed >= RUNS // 2, "most runs should have been killed mid-way"
