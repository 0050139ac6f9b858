"""kill -9 during ingest, anywhere: nothing half-written, and the resumed store equals a clean run
in every table (articles, FTS, copies, actors, quotes, events, stories, storylines, bounds).

The corpus is the bundled sample (copies, undated reprints, acronyms, several languages, hostile
files), ingested in batches of 3 so most kills land between batches. Some kills are aimed exactly
between a batch's commit and its update steps (the process kills itself there). CI runs 20;
``benchmarks/kill_ingest.py --runs 200`` runs the full battery.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import pytest

from storyline import config
from storyline.ingest import ingest_paths
from storyline.store import Store
from storyline.testing import (
    check_consistent,
    kill_after_commit,
    kill_during_ingest,
    snapshot_diff,
    store_snapshot,
)

RUNS = 20
BATCH = 3


def sample_articles(src: Path, dest: Path) -> Path:
    """The sample corpus without its gold data (README, manifest, labels), as the demo reads it."""
    shutil.copytree(
        # the corpus as `storyline demo` reads it (sources.sample.GOLD_FILES): no labels, no
        # follow mode's sample feeds, sitemap and web archive
        src,
        dest,
        ignore=shutil.ignore_patterns("README.md", "manifest.jsonl", "labels", "feeds"),
    )
    return dest


def resume(db: Path, corpus: Path) -> None:
    """The same command again (`storyline ingest CORPUS` with the same settings), in process."""
    settings = config.load(None, {"store": {"db": str(db), "batch_size": BATCH}}, environ={})
    with Store(db, settings=settings) as store:
        ingest_paths([str(corpus)], store, settings)


@pytest.mark.slow
def test_kill_nine_anywhere_then_resume_equals_a_clean_run(
    tmp_path: Path, sample_dir: Path
) -> None:
    corpus = sample_articles(sample_dir, tmp_path / "corpus")
    reference = tmp_path / "reference.db"
    resume(reference, corpus)
    expected = store_snapshot(reference)
    assert len(expected["articles"]) >= 40 and expected["copy_links"] and expected["stories"]
    assert expected["context_bounds"], "the sample has undated reprints dated by their context"
    batches = -(-len(expected["sources"]) // BATCH)

    # How long a whole run takes, so kills land anywhere in it: the shorter of two runs, as the
    # first pays for cold caches and a run faster than the probe is never killed mid-way.
    durations = []
    for n in range(2):
        start = time.monotonic()
        probe = tmp_path / f"probe{n}.db"
        assert kill_during_ingest(corpus, probe, delay=600, batch_size=BATCH) in (0, 1)
        durations.append(time.monotonic() - start)
    full = min(durations)

    rng = random.Random(20261203)
    killed = aimed = 0
    for run in range(RUNS):
        db = tmp_path / f"run{run}.db"
        if run % 4 == 3:  # aimed: right after a commit, before that batch's update steps
            status = kill_after_commit(corpus, db, rng.randint(1, batches), batch_size=BATCH)
            aimed += status < 0
        else:
            status = kill_during_ingest(corpus, db, rng.uniform(0.0, full), batch_size=BATCH)
        killed += status < 0
        if db.exists():
            assert check_consistent(db) == [], f"run {run}: damaged by the kill"
        resume(db, corpus)
        assert check_consistent(db) == [], f"run {run}"
        diff = snapshot_diff(expected, store_snapshot(db))
        assert not diff, f"run {run}: tables differ from a clean run (missing, extra): {diff}"
    assert killed >= RUNS // 2, "most runs should have been killed mid-way"
    assert aimed == RUNS // 4, "every aimed kill should land after a commit"


def test_a_store_is_created_whole_so_a_kill_at_its_birth_resumes(tmp_path: Path) -> None:
    """SQLite creates a database file empty and writes its header later: killed in between, a
    job left a zero-byte file, which is refused as maybe someone else's (E403), so the next
    run could not resume. The store's file is now made beside it and renamed into place."""
    import os

    from storyline.store.db import _create_file, connect

    db = tmp_path / "new.db"
    stale = tmp_path / ".new.db.4242.new"  # a creation killed before its rename, long ago
    stale.write_bytes(b"")
    os.utime(stale, (1_000_000, 1_000_000))
    young = tmp_path / ".new.db.4243.new"  # maybe another process's creation in progress
    young.write_bytes(b"")
    _create_file(db)  # killed right after the rename, before any migration
    assert db.stat().st_size > 0 and not stale.exists() and young.exists()
    young.unlink()
    existing = db.read_bytes()
    _create_file(db)  # a second creator never replaces the store that stands
    assert db.read_bytes() == existing
    conn = connect(db)  # the next run makes the store in it
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert "schema_migrations" in tables and "articles" in tables
    with Store(tmp_path / "fresh.db") as store:  # an ordinary creation leaves nothing beside it
        assert store is not None
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
