"""Inputs that used to stop a whole run (issue 15) are each a failed (or cleaned) input now.

Each case crashed `ingest` on the code before the fix: a JSON or JSON Lines document nested
10,000 deep (RecursionError), a lone surrogate escape in a field we do not even map
(UnicodeEncodeError in the reader and in the store), a file name that is not valid UTF-8
(UnicodeEncodeError in the checkpoint lookup), a symlink loop (RuntimeError in `source_key`).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from storyline.article import Article
from storyline.ingest import foundation_stages, ingest
from storyline.pipeline import Pipeline
from storyline.store import Store
from storyline.testing import crash_inputs, write_crash_inputs

GOOD = b"Officials in Kabul said the border crossing at Torkham reopened on Monday."


def _ingest(folder: Path, db: Path) -> dict[str, str | None]:
    with Store(db) as store:
        report = ingest([str(folder)], store, Pipeline(foundation_stages()))
    outcome: dict[str, str | None] = {s: None for s in report.result.stored}
    outcome.update({s: None for s in report.result.unchanged})
    outcome.update(dict(report.result.failed))
    return {Path(s.split("#")[0]).name: why for s, why in outcome.items()}


@pytest.mark.parametrize("name", [*sorted(crash_inputs()), b"loop-a.txt"])
def test_each_crash_input_is_recorded_and_the_batch_goes_on(
    name: bytes, tmp_path: Path, db_path: Path
) -> None:
    folder = tmp_path / "in"
    written = write_crash_inputs(folder)
    for path in written:  # one crash input at a time, beside a good file
        if os.fsencode(path.name) != name and not (name == b"loop-a.txt" and "loop" in path.name):
            path.unlink()
    (folder / "zz-good.txt").write_bytes(GOOD)
    first = _ingest(folder, db_path)
    assert first["zz-good.txt"] is None, first
    assert len(first) == len(list(folder.iterdir()))
    again = _ingest(folder, db_path)  # the checkpoint answers the same, nothing crashes
    assert again == first
    conn = sqlite3.connect(db_path)
    for (text,) in conn.execute("SELECT key || COALESCE(reason, '') FROM sources"):
        text.encode("utf-8")
    conn.close()


def test_what_each_crash_input_becomes(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "in"
    write_crash_inputs(folder)
    found = _ingest(folder, db_path)
    deep = "not valid JSON: nested too deep (more than 64 levels); refused"
    assert found == {
        "bad-name-\\xff\\xfe.txt": None,
        "deep.json": deep,
        "deep.jsonl:1": deep,
        "loop-a.txt": "symlink loop; skipped",
        "loop-b.txt": "symlink loop; skipped",
        "surrogate.json": None,
        "surrogate.jsonl": None,
    }
    with Store(db_path) as store:
        titles = {a.title for a in store.iter_articles()}
    assert "B\ufffd" in titles


def test_the_store_refuses_no_batch_for_a_lone_surrogate(db_path: Path) -> None:
    """A reader we do not own (or a stage) may still hand over a lone surrogate: the store
    writes valid UTF-8 (U+FFFD in text, an escaped source) instead of losing the batch."""
    article = Article(source="/tmp/odd-\udcff.txt", raw=b"x")
    for stage in foundation_stages():
        stage.process(article)
    article.title = "Title \ud800"
    article.fields = {"\udc80": "\ud800"}
    good = Article(source="/tmp/good.txt", raw=GOOD)
    Pipeline(foundation_stages()).run_batch([good])
    with Store(db_path) as store:
        result = store.write_batch([("/tmp/odd-\udcff.txt", article), ("/tmp/good.txt", good)])
        assert len(result.stored) == 2
        assert store.known_source("/tmp/odd-\udcff.txt") is not None
        assert {a.source for a in store.iter_articles()} == {"/tmp/odd-\\xff.txt", "/tmp/good.txt"}
        assert {a.title for a in store.iter_articles()} >= {"Title \ufffd"}
