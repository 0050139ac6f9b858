"""`storyline follow --workers N` runs the stages in N processes (issue 16): the store it leaves
equals a one-process follow's in every table, and `--fetchers` is the fetch concurrency."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from killing import RUNNER, build_site, follow_snapshot, write_config
from newsite import Site

from storyline import config
from storyline.cli.follow import follow_fetchers, follow_workers
from storyline.follow import add_sources
from storyline.pool import cores
from storyline.store import Store
from storyline.testing import snapshot_diff

BATCH = 3


def follow_once(db: Path, cfg: Path, *options: str) -> subprocess.CompletedProcess[str]:
    args = ["--db", str(db), "--config", str(cfg), "follow", "--once", "--batch", str(BATCH)]
    return subprocess.run(
        [sys.executable, str(RUNNER), *args, *options], capture_output=True, text=True
    )


def test_two_stage_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    with Site() as site:
        feeds = build_site(site)
        cfg = write_config(tmp_path, BATCH)
        snapshots = []
        for workers, fetchers in ((1, 1), (2, 4)):
            db = tmp_path / f"w{workers}.db"
            with Store(db) as store:
                for url in feeds:
                    add_sources(store, url)
            done = follow_once(
                db, cfg, "--workers", str(workers), "--fetchers", str(fetchers), "--json"
            )
            assert done.returncode == 0, done.stderr + done.stdout
            ran = json.loads(done.stdout).get("workers", {"processes": 1})["processes"]
            assert ran == workers
            snapshots.append(follow_snapshot(db))
    one, two = snapshots
    assert len(one["articles"]) >= 8 and one["copy_links"] and one["stories"]
    assert {row[2] for row in one["followed_items"]} == {"stored"}
    assert snapshot_diff(one, two) == {}


def test_the_options_fall_back_on_the_follow_settings() -> None:
    settings = config.load(None, {"follow": {"fetchers": 3, "workers": 0}}, environ={})
    assert follow_fetchers(None, settings) == 3
    assert follow_fetchers(5, settings) == 5
    assert follow_workers(None, settings) == cores()  # 0: one per core
    assert follow_workers(2, settings) == 2
    shipped = config.load(None, {}, environ={})
    assert (follow_fetchers(None, shipped), follow_workers(None, shipped)) == (8, 1)


def test_workers_zero_is_refused_for_fetchers(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, BATCH)
    done = follow_once(tmp_path / "s.db", cfg, "--fetchers", "0")
    assert done.returncode == 2
    assert "--fetchers" in done.stderr
