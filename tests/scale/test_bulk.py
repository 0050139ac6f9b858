"""`storyline bulk` on a LocalCluster of 2 worker processes (issue 16): the store it leaves equals
`storyline ingest` of the same inputs in every table, after a run stopped between shards, a run
stopped between loaded batches, a run whose load began before its stages ended, and a run that
lost a worker process mid-run."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline import config
from storyline.ingest import ingest_paths
from storyline.scale.bulk import bulk
from storyline.store import Store
from storyline.testing import check_consistent, snapshot_diff, store_snapshot

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")

BATCH = 8
PARTITION = 8


class Stop(Exception):
    """Stands for a kill at a chosen point (the next run must resume from what was written)."""


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit="1.5GiB",
            dashboard_address=":0",  # no fixed port: runs side by side
            scheduler_kwargs={"dashboard": False},
        ) as cluster,
        distributed.Client(cluster) as made,
    ):
        yield made


SAMPLE = Path(__file__).resolve().parents[2] / "src" / "storyline" / "data" / "sample"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus as `storyline demo` reads it (no gold data, no sample feeds)."""
    if not (SAMPLE / "manifest.jsonl").is_file():
        pytest.skip("the bundled sample corpus is missing from src/storyline/data/sample")
    return Path(
        shutil.copytree(
            SAMPLE,
            tmp_path_factory.mktemp("bulk") / "corpus",
            ignore=shutil.ignore_patterns("README.md", "manifest.jsonl", "labels", "feeds"),
        )
    )


def settings_for(db: Path) -> dict[str, Any]:
    overrides = {"store": {"db": str(db), "batch_size": BATCH}, "bulk": {"partition": PARTITION}}
    return config.load(None, overrides, environ={})


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> dict[str, Any]:
    """`storyline ingest CORPUS` with the same settings, in one process."""
    db = tmp_path_factory.mktemp("ref") / "ingest.db"
    settings = settings_for(db)
    with Store(db, settings=settings) as store:
        report = ingest_paths([str(corpus)], store, settings)
    summary = report.summary()
    assert summary["failed"] == 2 and summary["skipped"] == 3, summary
    snap = store_snapshot(db)
    assert len(snap["articles"]) >= 40 and snap["copy_links"] and snap["stories"]
    return {"snapshot": snap, "read": report.read}


def run(db: Path, corpus: Path, client: Any, **hooks: Any) -> Any:
    settings = settings_for(db)
    with Store(db, settings=settings) as store:
        return bulk([str(corpus)], store, settings, client=client, **hooks)


def stop_after(n: int) -> Any:
    def hook(done: Any) -> None:
        hook.calls += 1  # type: ignore[attr-defined]
        if hook.calls >= n:  # type: ignore[attr-defined]
            raise Stop

    hook.calls = 0  # type: ignore[attr-defined]
    return hook


def shard_rows(folder: Path) -> tuple[int, int, int]:
    """Rows, distinct keys and failed rows over every shard, read with DuckDB as docs/scale.md
    shows."""
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed")
    rows = duckdb.sql(
        "SELECT count(*), count(DISTINCT key), count(*) FILTER (outcome = 'failed') "
        f"FROM read_parquet('{folder}/*.parquet')"
    ).fetchall()
    return tuple(rows[0])


def test_bulk_resumed_after_stops_equals_ingest(
    tmp_path: Path,
    corpus: Path,
    client: Any,
    reference: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "bulk.db"
    shards = Path(f"{db}.shards")
    with pytest.raises(Stop):  # stopped after 3 shards (the load may have begun)
        run(db, corpus, client, on_shard=stop_after(3))
    assert len(list(shards.glob("*.parquet"))) >= 3
    with pytest.raises(Stop):  # stopped after 2 batches of the load
        run(db, corpus, client, on_commit=stop_after(2))
    import storyline.scale.bulk as bulk_module

    unpickled: list[int] = []
    load_article = bulk_module.load_article

    def counted(blob: bytes) -> Any:
        unpickled.append(1)
        return load_article(blob)

    monkeypatch.setattr(bulk_module, "load_article", counted)
    report = run(db, corpus, client)
    # the resumed load passes over the stored articles' rows without unpickling them
    assert 0 < len(unpickled) <= report.ingest.read - len(report.ingest.result.unchanged)
    bulk_summary = report.summary()["bulk"]
    partitions = -(-reference["read"] // PARTITION)
    assert bulk_summary["partitions"] == partitions
    # the stopped runs' shards are reused; the second stopped its stages with its load, so the
    # third may write the last few
    assert bulk_summary["shards_reused"] >= 3
    assert bulk_summary["shards_reused"] + bulk_summary["shards_written"] == partitions
    assert report.ingest.read == reference["read"]
    assert len(report.ingest.result.unchanged) >= 2 * BATCH  # the first two batches were stored
    assert check_consistent(db) == []
    assert snapshot_diff(reference["snapshot"], store_snapshot(db)) == {}
    assert shard_rows(shards) == (reference["read"], reference["read"], 2)


def test_the_load_begins_before_the_last_shard(
    tmp_path: Path, corpus: Path, client: Any, reference: dict[str, Any]
) -> None:
    """The load takes each partition as its shard comes: here the last shard is held back
    until a batch is committed, which a load that waited for every shard would never do."""
    db = tmp_path / "overlap.db"
    partitions = -(-reference["read"] // PARTITION)
    committed = threading.Event()
    held: list[bool] = []

    def hold_the_last(written: int) -> None:
        if written == partitions - 1:
            held.append(committed.wait(timeout=120))

    report = run(db, corpus, client, on_shard=hold_the_last, on_commit=lambda _: committed.set())
    assert held == [True], "no batch was committed while the last shard was held back"
    summary = report.summary()
    assert summary["bulk"]["shards_written"] == partitions
    assert summary["read"] == reference["read"]
    assert check_consistent(db) == []
    assert snapshot_diff(reference["snapshot"], store_snapshot(db)) == {}


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing(
    tmp_path: Path, corpus: Path, client: Any, reference: dict[str, Any]
) -> None:
    db = tmp_path / "killed.db"
    before = set(client.scheduler_info()["workers"])
    killed: list[str] = []

    def kill_a_busy_worker(shards: int) -> None:
        if killed:
            return
        busy = [w for w, tasks in client.processing().items() if tasks]
        if busy:
            killed.append(busy[0])
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)  # as the OOM killer or a lost machine would

    report = run(db, corpus, client, on_shard=kill_a_busy_worker)
    assert killed, "no worker was busy when the first shard came back"
    assert killed[0] not in client.scheduler_info()["workers"]
    assert set(client.scheduler_info()["workers"]) != before  # the nanny started a new one
    summary = report.summary()
    assert summary["bulk"]["shards_written"] == -(-reference["read"] // PARTITION)
    assert summary["read"] == reference["read"]
    assert check_consistent(db) == []
    assert snapshot_diff(reference["snapshot"], store_snapshot(db)) == {}
    assert shard_rows(Path(f"{db}.shards")) == (reference["read"], reference["read"], 2)


def test_a_local_workers_threads_all_run_nicer() -> None:
    """Linux sets priority per thread: every thread of a worker process is made nicer, the
    ones already running (Dask's event loop) included, not just the calling one."""
    import subprocess
    import sys

    code = (
        "import os, threading\n"
        "from storyline.scale.bulk import _nice_process\n"
        "ev = threading.Event(); t = threading.Thread(target=ev.wait); t.start()\n"
        "before = os.getpriority(os.PRIO_PROCESS, t.native_id)\n"
        "_nice_process(3)\n"
        "print(os.getpriority(os.PRIO_PROCESS, t.native_id) - before,"
        " os.getpriority(os.PRIO_PROCESS, 0) - before)\n"
        "ev.set()\n"
    )
    if not Path("/proc/self/task").is_dir():
        pytest.skip("per-thread priorities are a Linux matter")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["3", "3"]


def test_auto_memory_leaves_the_load_half_the_machine() -> None:
    from distributed.system import MEMORY_LIMIT

    from storyline.scale.bulk import local_memory_limit

    total_mib = MEMORY_LIMIT // 2**20
    for workers in (1, 2, 4):
        limit = local_memory_limit("auto", workers)
        assert limit.endswith("MiB")
        assert abs(int(limit[:-3]) * workers - total_mib // 2) <= workers
    assert local_memory_limit("2GiB", 2) == "2GiB"
    assert local_memory_limit(" AUTO ", 1).endswith("MiB")


def test_a_local_clusters_workers_ignore_ctrl_c() -> None:
    """Ctrl-C reaches the terminal's whole process group: the local workers must neither die
    of it nor be restarted by their nannies while `bulk` stops (the parent decides)."""
    import time

    from storyline.scale.bulk import dask_client

    with dask_client(None, workers=1, memory_limit="1GiB") as client:
        before = client.run(os.getpid)
        assert len(before) == 1
        for pid in before.values():
            os.kill(pid, signal.SIGINT)
        time.sleep(1.5)
        after = client.run(os.getpid)
    assert after == before
