"""kill -9 of `storyline follow --once` at random moments, then the same command again: nothing
lost, nothing stored twice, no stored item fetched again, and the store equals a clean run's.

A loopback site of 3 feeds (RSS, Atom, JSON Feed) x 4 pages, taken in batches of 2. Every fourth
kill is aimed right after a batch's commit, before its items are marked and its update steps run.
CI runs 20; ``benchmarks/kill_follow.py --runs 200`` runs the long version.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from killing import (
    build_site,
    follow_killed,
    follow_snapshot,
    stored_keys,
    write_config,
)
from newsite import Site

from storyline import config
from storyline.follow import Follower, add_sources
from storyline.ingest import build_pipeline
from storyline.store import Store
from storyline.testing import check_consistent, snapshot_diff

RUNS = 20
BATCH = 2


def resume(db: Path, cfg: Path, pipeline: object) -> int:
    """The same command again (`storyline follow --once --batch 2`), in process."""
    settings = config.load(str(cfg), {"store": {"db": str(db)}}, environ={})
    with Store(db, settings=settings) as store:
        follow = Follower(store, settings, pipeline=pipeline, batch=BATCH)  # type: ignore[arg-type]
        return follow.run(once=True).exit_code


def prepare(db: Path, feeds: list[str]) -> None:
    with Store(db) as store:
        for url in feeds:
            add_sources(store, url)


@pytest.mark.slow
def test_kill_nine_during_follow_then_resume_equals_a_clean_run(tmp_path: Path) -> None:
    with Site() as site:
        feeds = build_site(site)
        cfg = write_config(tmp_path, BATCH)
        reference = tmp_path / "reference.db"
        prepare(reference, feeds)
        start = time.monotonic()
        assert follow_killed(reference, cfg, BATCH, None) == 0
        full = time.monotonic() - start
        expected = follow_snapshot(reference)
        assert len(expected["articles"]) >= 8 and expected["copy_links"]
        states = {row[2] for row in expected["followed_items"]}
        assert states == {"stored"}, states

        pipeline = build_pipeline(config.load(str(cfg), {}, environ={}))
        batches = -(-len(expected["articles"]) // BATCH)
        rng = random.Random(20261203)
        killed = aimed = 0
        for run in range(RUNS):
            db = tmp_path / f"run{run}.db"
            prepare(db, feeds)
            if run % 4 == 3:
                status = follow_killed(db, cfg, BATCH, None, die_after=rng.randint(1, batches))
                aimed += status < 0
            else:
                status = follow_killed(db, cfg, BATCH, rng.uniform(0.0, full))
            killed += status < 0
            assert check_consistent(db) == [], f"run {run}: damaged by the kill"
            done = stored_keys(db)
            hits = len(site.server.hits)
            assert resume(db, cfg, pipeline) == 0, f"run {run}: resume failed"
            again = {site.url(p) for p in site.server.hits[hits:]} & done
            assert not again, f"run {run}: stored pages fetched again: {again}"
            assert check_consistent(db) == [], f"run {run}"
            diff = snapshot_diff(expected, follow_snapshot(db))
            assert not diff, f"run {run}: tables differ from a clean run (missing, extra): {diff}"
        assert killed >= RUNS // 2, "most runs should have been killed mid-way"
        assert aimed == RUNS // 4, "every aimed kill should land after a commit"


@pytest.mark.slow
def test_kill_after_the_last_commit_then_resume_runs_the_update_steps(tmp_path: Path) -> None:
    """Killed after the last batch's commit, before its update steps: the next run has no item
    left to take in, and must still bring the steps up to date (copies, actors, stories)."""
    with Site() as site:
        feeds = build_site(site)
        cfg = write_config(tmp_path, BATCH)
        reference = tmp_path / "reference.db"
        prepare(reference, feeds)
        assert follow_killed(reference, cfg, BATCH, None) == 0
        expected = follow_snapshot(reference)
        batches = -(-len(expected["articles"]) // BATCH)
        db = tmp_path / "killed.db"
        prepare(db, feeds)
        assert follow_killed(db, cfg, BATCH, None, die_after=batches) < 0
        assert stored_keys(db) == stored_keys(reference)  # every batch was committed
        pipeline = build_pipeline(config.load(str(cfg), {}, environ={}))
        assert resume(db, cfg, pipeline) == 0
        assert check_consistent(db) == []
        diff = snapshot_diff(expected, follow_snapshot(db))
        assert not diff, f"tables differ from a clean run (missing, extra): {diff}"
