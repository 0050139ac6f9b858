"""The copy index saved beside the store: a new process starts from it, brings it up to the
store, and never uses one that does not fit.

Each test compares what a step holds with what a step that read every ``copy_index`` row holds
(entries, postings, shingles and band entries, by paragraph digest), and the links a further
batch finds with those found without the file.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyline.article import Article
from storyline.cluster.copy_index import CopyIndex, _posted
from storyline.store import Store
from storyline.store.hidden import hide_article
from storyline.testing import store_snapshot
from storyline.update import Updater
from storyline.update import find_copies as fc
from storyline.update.find_copies import FindCopies, index_file

WORDS = [f"w{i}" for i in range(400)]
FIELDS = ("date", "date_source", "not_before", "agencies", "outlet", "staff_byline")
FIELDS += ("fingerprint", "counted")


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))


def wire(start: int, n: int, seed: int) -> list[tuple[str, Article]]:
    """``n`` articles from ``start``: every third one reprints two paragraphs of the one before
    it, with an edit, so there are exact, edited and partial copies to find."""
    rng = random.Random(seed)
    out: list[tuple[str, Article]] = []
    previous: list[str] = []
    for i in range(start, start + n):
        paras = [paragraph(rng) for _ in range(rng.randint(3, 6))]
        if i % 3 == 2 and previous:
            paras[:2] = [previous[0], previous[1].replace(previous[1].split()[3], "edited", 1)]
        previous = paras
        a = Article(source=f"mem/{i}.txt", text="\n\n".join(paras), paragraphs=paras)
        a.id, a.content_hash = f"a{i:04d}", f"h{i}-{seed}"
        a.outlet = f"outlet{i % 5}"
        a.published = f"2025-0{1 + i % 9}-1{i % 10}"
        a.agencies = ["AFP"] if i % 4 == 0 else []
        out.append((f"k{i}", a))
    return out


def batch(store: Store, step: FindCopies, items: list[tuple[str, Article]]) -> None:
    store.write_batch(items)
    Updater(store, [step]).run()


def state(index: CopyIndex) -> dict[str, Any]:
    """What the index holds, by paragraph digest rather than paragraph id (ids depend on the
    history of the process)."""
    bands = index.bands
    bands.flush()
    digest_of = {pid: digest for digest, pid in index.pids.items()}
    entries = np.concatenate((bands._main, bands._recent))
    keys = {
        (int(e) >> 32, digest_of[int(e) & 0xFFFFFFFF])
        for e in entries.tolist()
        if int(e) & 0xFFFFFFFF in digest_of and int(e) & 0xFFFFFFFF not in bands._dead
    }
    return {
        "entries": {
            k: (*(getattr(e, f) for f in FIELDS), tuple(e.digests))
            for k, e in index.entries.items()
        },
        "postings": {d: sorted(_posted(index.postings[pid])) for d, pid in index.pids.items()},
        "shingles": {d: index.shingles.get(pid).tobytes() for d, pid in index.pids.items()},
        "bands": keys,
        "fingerprints": {f: sorted(ids) for f, ids in index.by_fingerprint.items()},
    }


def from_rows(db: Path) -> dict[str, Any]:
    """The state of an index read from every ``copy_index`` row (what a process did before)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    step = FindCopies()
    index = CopyIndex(keep_text=False, load_text=step.loader)
    step._catch_up(conn, index)
    conn.close()
    return state(index)


@pytest.fixture
def save_often(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fc, "SAVE_AT_LEAST", 1)
    monkeypatch.setattr(fc, "SAVE_SHARE", 0.0)


def test_a_new_process_starts_from_the_file_and_finds_the_same_links(
    tmp_path: Path, save_often: None
) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        step = FindCopies()
        for k in range(3):
            batch(store, step, wire(40 * k, 40, seed=k))
        assert step.source == "store"
    saved = index_file(sqlite3.connect(db))
    assert saved == tmp_path / "s.db.copy-index.npz" and saved.exists()
    assert saved.stat().st_mode & 0o777 == db.stat().st_mode & 0o777
    twin = tmp_path / "twin.db"
    shutil.copy(db, twin)  # the same store with no file beside it
    more = wire(120, 40, seed=9)
    with Store(db) as store:
        fresh = FindCopies()
        batch(store, fresh, more)
        assert fresh.source == "file" and fresh.file_note == ""
        got = state(fresh.ready(store.conn))
    with Store(twin) as store:
        plain = FindCopies()
        batch(store, plain, more)
        assert plain.source == "store"
    assert got == from_rows(db) == from_rows(twin)
    copies = {"copy_links", "copy_spans", "copy_index"}
    a, b = store_snapshot(db), store_snapshot(twin)
    assert {t: a[t] for t in copies} == {t: b[t] for t in copies}
    assert a["copy_links"]  # the batch found copies of what the file held


def test_articles_changed_after_the_save_are_indexed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, save_often: None
) -> None:
    db = tmp_path / "s.db"
    first = wire(0, 60, seed=1)
    with Store(db) as store:
        step = FindCopies()
        batch(store, step, first)
        relabelled = []  # the same text, another outlet, byline or date source: saved so
        for n, (name, value) in enumerate([("outlet", "elsewhere"), ("byline", "By A. Staffer"),
                                           ("date_source", "url")]):  # fmt: skip
            key, a = first[10 + n]
            setattr(a, name, value)
            a.content_hash += "-relabelled"
            relabelled.append((key, a))
        batch(store, step, relabelled)
        monkeypatch.setattr(fc, "SAVE_AT_LEAST", 10**9)  # no save after this one
        batch(store, step, wire(60, 30, seed=2))  # new articles
        key, changed = first[4]
        changed.paragraphs = [paragraph(random.Random(5)) for _ in range(4)]
        changed.text, changed.content_hash = "\n\n".join(changed.paragraphs), "changed"
        batch(store, step, [(key, changed)])  # an article's text changed
        with store.conn:
            hide_article(store.conn, first[7][1].id or "", "analyst", "spam")  # one goes
        changed.published = "2024-12-31"
        changed.content_hash = "redated"
        batch(store, step, [(key, changed)])  # its date changed, not its text
        assert step.unsaved > 0
    with Store(db) as store:
        fresh = FindCopies()
        got = state(fresh.ready(store.conn))
        assert fresh.source == "file", fresh.file_note
        assert fresh.unsaved >= 30  # what changed after the save was taken out and put back
    assert got == from_rows(db)
    assert first[7][1].id not in got["entries"]
    assert got["entries"][first[4][1].id or ""][0] == "2024-12-31"
    kept = [got["entries"][a.id or ""] for _, a in relabelled]
    assert (kept[0][4], kept[1][5], kept[2][1]) == ("elsewhere", True, "url")


def _ready(db: Path) -> FindCopies:
    with Store(db) as store:
        step = FindCopies()
        step.ready(store.conn)
    return step


def test_a_rebuild_makes_an_older_file_useless(tmp_path: Path, save_often: None) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        batch(store, FindCopies(), wire(0, 50, seed=3))
    saved = index_file(sqlite3.connect(db))
    assert saved is not None
    old = saved.read_bytes()
    with Store(db) as store:
        Updater(store, [FindCopies()]).rebuild("find_copies")
    rebuilt = _ready(db)
    assert rebuilt.source == "file"  # the rebuild saved its own
    saved.write_bytes(old)  # the file from before the rebuild, put back
    step = _ready(db)
    assert step.source == "store" and "another state of the store" in step.file_note
    assert state(step.index) == from_rows(db)  # type: ignore[arg-type]


def test_a_file_that_does_not_fit_is_not_used(tmp_path: Path, save_often: None) -> None:
    db, other = tmp_path / "s.db", tmp_path / "other.db"
    with Store(db) as store:
        batch(store, FindCopies(), wire(0, 30, seed=4))
    shutil.copy(db, tmp_path / "backup.db")  # an older copy of the store
    with Store(db) as store:
        batch(store, FindCopies(), wire(30, 30, seed=5))
    saved = index_file(sqlite3.connect(db))
    assert saved is not None
    with Store(other) as store:
        batch(store, FindCopies(), wire(0, 30, seed=4))  # the same articles, another store
    cases = {
        "another store's file": (other, "another state of the store"),
        "an older store beside a newer file": (tmp_path / "backup.db", "another state"),
    }
    for name, (target, why) in cases.items():
        shutil.copy(saved, str(target) + ".copy-index.npz")
        step = _ready(target)
        assert step.source == "store" and why in step.file_note, name
        assert state(step.index) == from_rows(target), name  # type: ignore[arg-type]
    # the older copy put back in place of the store, which then goes past the file's mark
    # with articles of its own: the change feed hands out the same positions again
    shutil.copy(tmp_path / "backup.db", db)
    Path(str(db) + "-wal").unlink(missing_ok=True)
    shutil.copy(saved, tmp_path / "newer.npz")
    with Store(db) as store:
        batch(store, FindCopies(), wire(500, 30, seed=8))
    shutil.copy(tmp_path / "newer.npz", saved)  # as if that process had saved nothing
    with Store(db) as store:
        step = FindCopies()
        step.ready(store.conn)
        assert step.source == "store" and "another state" in step.file_note
        assert state(step.index) == from_rows(db)  # type: ignore[arg-type]
    data = saved.read_bytes()
    for cut in (0, 100, len(data) // 2, len(data) - 10):
        saved.write_bytes(data[:cut])
        step = _ready(db)
        assert step.source == "store" and "unreadable" in step.file_note, cut
        assert state(step.index) == from_rows(db)  # type: ignore[arg-type]


def test_a_save_that_fails_leaves_the_batch_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, save_often: None
) -> None:
    def no_memory(*args: object, **kwargs: object) -> int:
        raise MemoryError("no room for the copy index")

    db = tmp_path / "s.db"
    with Store(db) as store:
        batch(store, FindCopies(), wire(0, 30, seed=6))  # saved
    saved = tmp_path / "s.db.copy-index.npz"
    before = saved.read_bytes()
    monkeypatch.setattr(np, "savez", no_memory)  # the next write fails half-way
    with Store(db) as store:
        step = FindCopies()
        batch(store, step, wire(30, 30, seed=7))  # no error comes out of the run
        assert "not saved (MemoryError" in step.file_note
        marks = dict(store.conn.execute("SELECT step, position FROM update_marks").fetchall())
        assert marks["find_copies"] > 0
    monkeypatch.undo()
    assert saved.read_bytes() == before and not list(tmp_path.glob("*.part"))
    again = _ready(db)  # the file before the failed write is still the store's
    assert again.source == "file" and state(again.index) == from_rows(db)  # type: ignore[arg-type]
