"""Derived facts are a function of the stored articles, not of the order they came in.

ingest(A) then ingest(B), two writers at once, and ingest(A ∪ B) must hold the same articles,
copies, first-had-it, actors (names included), quotes, events and bounds from context; story
membership may differ (clustering is incremental) within a measured distance, and `recluster`
gives the same stories and storylines whatever the history. A full disk (RLIMIT_FSIZE) at any
point ends in a coded error, loses nothing, and a re-run completes the store.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storyline import config
from storyline.evaluate.metrics import bcubed
from storyline.ingest import build_updater, ingest_paths
from storyline.store import Store
from storyline.testing import check_consistent, snapshot_diff, store_snapshot

BATCH = 3
#: Tables that hold story membership and what is computed from it.
STORY_TABLES = frozenset(
    {
        "story_articles",
        "stories",
        "storylines",
        "storyline_stories",
        "cluster_state",
        "cluster_state_stories",
        # count_volume's per-story dates, outlets and days: a sum over each story's members
        "story_dates",
        "story_outlets",
        "story_days",
    }
)


def settings(db: Path) -> dict:
    return config.load(None, {"store": {"db": str(db), "batch_size": BATCH}}, environ={})


def run_ingest(db: Path, *folders: Path) -> None:
    with Store(db, settings=settings(db)) as store:
        ingest_paths([str(f) for f in folders], store, settings(db))


@pytest.fixture
def halves(tmp_path: Path, sample_dir: Path) -> tuple[Path, Path, Path]:
    """The sample articles split in two folders (every other file), and both together."""
    files = sorted(
        p
        for p in sample_dir.rglob("*")
        if p.is_file()
        and p.name not in ("README.md", "manifest.jsonl")
        and "labels" not in p.parts
        and "feeds" not in p.parts  # follow mode's sample feeds, sitemap and WARC: no articles
    )
    a, b, both = tmp_path / "A", tmp_path / "B", tmp_path / "AB"
    for i, path in enumerate(files):
        rel = path.relative_to(sample_dir)
        for target in (a if i % 2 == 0 else b, both):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / rel)
    return a, b, both


def membership(db: Path) -> dict[str, str]:
    with Store(db) as store:
        return dict(store.conn.execute("SELECT article_id, story_id FROM story_articles"))


def story_f1(one: Path, two: Path) -> float:
    """B-cubed F1 between the story memberships of two stores of the same articles."""
    a, b = membership(one), membership(two)
    ids = sorted(a)
    return bcubed([a[i] for i in ids], [b[i] for i in ids])[2]


def _sources_by_name(db: Path) -> list[tuple[object, ...]]:
    # ingesting A and B separately names inputs by their folder: compare by file name
    rows = store_snapshot(db)["sources"]
    return sorted((str(r[0]).rsplit("/", 1)[-1], *r[1:]) for r in rows)


def _comparable(db: Path) -> dict[str, list[tuple[object, ...]]]:
    snap = store_snapshot(db, exclude=STORY_TABLES | {"sources"})
    # an article's `source` names its folder (A/, B/ or AB/): compare the rest
    snap["articles"] = [(r[0], r[1], *r[3:]) for r in snap["articles"]]
    snap["raw_inputs"] = [(r[0], *r[2:]) for r in snap["raw_inputs"]]
    snap["sources"] = _sources_by_name(db)
    return snap


def _rename(db: Path) -> None:
    """Point every source path at one folder name, as if all came from AB/."""
    with Store(db) as store:
        for table, column in (("articles", "source"), ("raw_inputs", "source"), ("sources", "key")):
            store.conn.execute(
                f"UPDATE {table} SET {column} = replace(replace({column}, '/A/', '/AB/'), "
                "'/B/', '/AB/')"
            )


@pytest.mark.slow
def test_a_then_b_equals_a_union_b_but_for_story_membership(
    tmp_path: Path, halves: tuple[Path, Path, Path]
) -> None:
    a, b, both = halves
    split, whole = tmp_path / "split.db", tmp_path / "whole.db"
    run_ingest(split, a)
    run_ingest(split, b)
    run_ingest(whole, both)
    diff = snapshot_diff(_comparable(whole), _comparable(split))
    assert diff == {}, f"tables that depend on the order articles came in: {diff}"
    # story membership: incremental, so within a measured distance of each other
    f1 = story_f1(split, whole)
    assert f1 >= 0.9, f"B-cubed F1 between A-then-B and A∪B stories: {f1:.3f}"
    # recluster: the same stories and storylines whatever the history
    for db in (split, whole):
        with Store(db, settings=settings(db)) as store:
            updater = build_updater(store, settings(db))
            updater.rebuild("cluster_stories")
            updater.run()
    _rename(split)
    _rename(whole)
    assert snapshot_diff(store_snapshot(whole), store_snapshot(split)) == {}


@pytest.mark.slow
def test_two_writers_at_once_equal_one(tmp_path: Path, halves: tuple[Path, Path, Path]) -> None:
    a, b, both = halves
    shared, whole = tmp_path / "shared.db", tmp_path / "whole.db"
    Store(shared).close()  # created (and migrated) before the writers start
    env = dict(os.environ, STORYLINE_STORE_BATCH_SIZE=str(BATCH))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "storyline", "--db", str(shared), "ingest", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for folder in (a, b)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode in (0, 1), err.decode()
        assert b"Traceback" not in err, err.decode()
    assert check_consistent(shared) == []
    run_ingest(whole, both)
    diff = snapshot_diff(_comparable(whole), _comparable(shared))
    assert diff == {}, f"tables that depend on which writer came first: {diff}"
    f1 = story_f1(shared, whole)
    assert f1 >= 0.9, f"B-cubed F1 between two writers and one: {f1:.3f}"


def _limited_ingest(db: Path, corpus: Path, limit: int) -> subprocess.CompletedProcess[bytes]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = dict(os.environ, STORYLINE_STORE_BATCH_SIZE=str(BATCH))
    return subprocess.run(
        [sys.executable, "-m", "storyline", "--db", str(db), "ingest", str(corpus)],
        capture_output=True,
        env=env,
        preexec_fn=cap,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_a_full_disk_anywhere_is_a_clear_error_and_a_rerun_completes(
    tmp_path: Path, halves: tuple[Path, Path, Path]
) -> None:
    _, _, corpus = halves
    reference = tmp_path / "reference.db"
    run_ingest(reference, corpus)
    expected = store_snapshot(reference)
    with Store(reference) as store:  # the file sizes a whole run reaches
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = reference.stat().st_size
    stopped = set()
    for share in (0.05, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9):
        db = tmp_path / f"full{int(share * 100)}.db"
        done = _limited_ingest(db, corpus, int(size * share))
        err = done.stderr.decode()
        assert done.returncode != 0, f"{share}: a run capped below the store's size cannot finish"
        assert "Traceback" not in err, err
        assert "disk is full or the file size limit" in err, err
        in_step = "update step" in err
        assert err.startswith("error: E610 " if in_step else "error: E410 "), err
        assert err.count("error:") == 1 and err.count(" E4") + err.count(" E6") == 1, err
        stopped.add(in_step)
        if db.exists():
            assert check_consistent(db) == [], share
        run_ingest(db, corpus)  # space freed: the same command again
        assert snapshot_diff(expected, store_snapshot(db)) == {}, share
    assert stopped == {True, False}, "the cap should stop both a batch write and an update step"
