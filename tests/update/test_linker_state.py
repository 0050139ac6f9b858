"""The storyline linker saved with the stories step: a new process at the saved mark reads it
back and goes on exactly as the process that saved it would have; at another mark, or with other
settings, it is rebuilt from the stored profiles as before."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storyline.cluster.storyline_linker import StorylineLinker, StorylineSettings
from storyline.ingest import build_pipeline, build_updater, ingest
from storyline.store import Store
from storyline.testing import snapshot_diff, store_snapshot
from storyline.update import Updater
from storyline.update import cluster_stories as cs
from storyline.update.cluster_stories import ClusterStories
from storyline.update.story_state import load_engine

V = ClusterStories.version


def linker_of(step: Any) -> StorylineLinker:
    assert isinstance(step, ClusterStories) and step.engine is not None
    return step.engine.linker


def held(linker: StorylineLinker) -> str:
    """What the linker holds, caches of squared IDFs aside (recomputed to the same floats), in
    the order it holds it (the order of sums decides the floats of their norms, the order of
    postings which storyline a full posting drops)."""
    kept = dict(linker.__dict__)
    for cache in ("_idf2_cache", "_idf2_n", "_idf2_by_df", "settings"):
        kept.pop(cache)
    kept["_lines"] = [(k, v.sums, list(v.days.items()), v.n_stories, v.seq, v.version)
                      for k, v in linker._lines.items()]  # fmt: skip
    kept["_postings"] = [(k, list(v)) for k, v in linker._postings.items()]
    kept["_df"] = list(linker._df.items())
    kept["_story_line"] = list(linker._story_line.items())
    kept["_norms"] = [(list(k), v) for k, v in linker._norms.items()]
    return json.dumps(kept)


def sample_paths(sample_dir: Path) -> list[str]:
    return [str(p) for p in sorted(sample_dir.iterdir()) if p.is_file() and p.suffix != ".json"]


def test_a_new_process_at_the_saved_mark_goes_on_as_the_one_that_saved(
    tmp_path: Path, sample_dir: Path
) -> None:
    paths = sample_paths(sample_dir)
    half = len(paths) // 2 // 4 * 4  # the same write batches (of 4) in both stores
    once, twice = tmp_path / "once.db", tmp_path / "twice.db"
    with Store(once) as store:  # one process for everything
        ingest(paths, store, build_pipeline(), updater=build_updater(store, {}), batch_size=4)
    with Store(twice) as store:
        first = build_updater(store, {})
        ingest(paths[:half], store, build_pipeline(), updater=first, batch_size=4)
        saved = held(linker_of(first.step("cluster_stories")))
    with Store(twice) as store:  # a new process: its linker is read back, not rebuilt
        step = ClusterStories()
        step.engine = load_engine(
            store.conn, {}, store.conn.execute(
                "SELECT position FROM update_marks WHERE step = 'cluster_stories'"
            ).fetchone()[0], V,
        )  # fmt: skip
        assert step.engine.linker_source == "saved"
        assert held(step.engine.linker) == saved
        second = build_updater(store, {})
        ingest(paths[half:], store, build_pipeline(), updater=second, batch_size=4)
        assert linker_of(second.step("cluster_stories")).counter > 0
        engine = second.step("cluster_stories").engine  # type: ignore[attr-defined]
        assert engine.linker_source == "saved"
    assert snapshot_diff(store_snapshot(once), store_snapshot(twice)) == {}


def test_a_linker_saved_at_another_mark_or_settings_is_rebuilt_from_profiles(
    tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = sample_paths(sample_dir)
    db = tmp_path / "s.db"
    with Store(db) as store:
        updater = build_updater(store, {})
        ingest(paths[:20], store, build_pipeline(), updater=updater, batch_size=5)
        # the later batches save nothing, and the process ends before its checkpoint (killed)
        monkeypatch.setattr(cs, "LINKER_SAVE_EVERY", 10**9)
        monkeypatch.setattr(Updater, "checkpoint", lambda self: None)
        ingest(paths[20:], store, build_pipeline(), updater=updater, batch_size=5)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    mark = conn.execute(
        "SELECT position FROM update_marks WHERE step = 'cluster_stories'"
    ).fetchone()[0]
    saved_at = conn.execute("SELECT generation FROM cluster_state WHERE name = 'linker'").fetchone()
    assert saved_at[0] < mark
    assert load_engine(conn, {}, mark, V).linker_source == "profiles"
    assert load_engine(conn, {}, saved_at[0], V).linker_source == "saved"
    other = {"storylines": {"threshold": StorylineSettings().threshold + 0.05}}
    assert load_engine(conn, other, saved_at[0], V).linker_source == "profiles"
    assert load_engine(conn, {}, saved_at[0], V + "-next").linker_source == "profiles"
    assert load_engine(conn, {}, None, V).linker_source == "profiles"


def test_to_state_and_back_holds_everything(tmp_path: Path, sample_dir: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest(sample_paths(sample_dir), store, build_pipeline(),
               updater=build_updater(store, {}), batch_size=8)  # fmt: skip
        linker = load_engine(store.conn, {}, None, V).linker
    back = StorylineLinker.from_state(linker.to_state(), linker.settings)
    assert held(back) == held(linker) and len(linker._lines) > 3
