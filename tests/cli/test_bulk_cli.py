"""`storyline bulk` from the command line: a LocalCluster run's summary, and its usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.testing import write_corpus

pytest.importorskip("distributed", reason="dask[distributed] is not installed")


def storyline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyline", *args], capture_output=True, text=True, timeout=600
    )


def test_bulk_on_a_local_cluster_of_one(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 4, fmt="txt", seed=9)
    db, shards = tmp_path / "s.db", tmp_path / "shards"
    args = ["--db", str(db), "bulk", str(corpus), "--workers", "1", "--shards", str(shards)]
    done = storyline(*args, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["stored"] + summary["unchanged"] == 4 and summary["failed"] == 0
    assert summary["bulk"]["workers"] == 1
    assert summary["bulk"]["shards_written"] == 1 and summary["bulk"]["shards"] == str(shards)
    assert summary["bulk"]["worker_peak_mb"] > 50  # the worker held the models
    assert [p.name for p in shards.iterdir()] == ["part-000000.parquet"]
    again = storyline(*args)  # nothing new: the shard is reused, every article unchanged
    assert again.returncode == 0, again.stderr
    assert "1 shards written" not in again.stdout and "1 reused" in again.stdout
    assert "stored 0, updated 0, unchanged 4" in again.stdout


def test_workers_with_a_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    done = storyline("--db", str(tmp_path / "s.db"), "bulk", str(tmp_path), "--scheduler",
                     "tcp://127.0.0.1:9", "--workers", "2")  # fmt: skip
    assert done.returncode == 2
    assert "--workers sizes a local cluster" in done.stderr


def test_an_unreachable_scheduler_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A title\n\nSome text of an article.\n")
    done = storyline("--db", str(tmp_path / "s.db"), "bulk", str(tmp_path / "a.txt"),
                     "--scheduler", "tcp://127.0.0.1:9")  # fmt: skip
    assert done.returncode == 1
    assert "E530 --scheduler tcp://127.0.0.1:9: cannot reach a Dask scheduler" in done.stderr
