"""Ctrl-C during a batch command: the terminal sends SIGINT to the whole process group; the
command says what it kept and how to go on, exits 130, and a rerun completes the store."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli.main import app, run
from storyline.errors import stopped_by_user
from storyline.testing import write_corpus


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0])
    except sqlite3.Error:  # not created yet, or its tables not yet migrated
        return 0


def test_ctrl_c_during_ingest_keeps_the_batches_and_says_how_to_go_on(tmp_path: Path) -> None:
    corpus, db = tmp_path / "corpus", tmp_path / "s.db"
    write_corpus(corpus, 600, fmt="txt", seed=4, realistic=True)
    env = dict(os.environ, STORYLINE_STORE_BATCH_SIZE="8")
    args = [sys.executable, "-m", "storyline", "--db", str(db), "ingest", str(corpus)]
    proc = subprocess.Popen(
        [*args, "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    deadline = time.monotonic() + 300
    while _stored(db) < 8 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert proc.poll() is None, "the ingest ended before a batch could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    # 130 from the command, or death by SIGINT itself (-2 here): a shell reports both as 130.
    # Python ends that way if a KeyboardInterrupt escapes late in its exit (seen once in CI,
    # after the message below was printed); a traceback is still refused below.
    assert proc.returncode in (130, -signal.SIGINT), err
    assert "interrupted: every batch committed before it stays in the store" in err
    assert "run the same `storyline ingest` again" in err
    assert "Traceback" not in err
    kept = _stored(db)
    assert 8 <= kept < 600
    again = subprocess.run(args, capture_output=True, text=True, env=env, timeout=900)
    assert again.returncode == 0, again.stderr
    assert _stored(db) == 600


def _cut_short_import(*_: object, **__: object) -> None:
    """What CI once saw: SIGINT lands while a lazily imported C extension initialises (scipy
    under datasketch, mid-batch), and Python raises the import's ImportError from it."""
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as exc:
        raise ImportError("initialization failed") from exc


def test_ctrl_c_that_surfaces_as_an_import_error_is_still_an_interrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 3, fmt="txt", seed=1)
    monkeypatch.setattr("storyline.cli.ingest.ingest_paths", _cut_short_import)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "s.db"), "ingest", str(corpus)])
    assert result.exit_code == 130, result.output
    assert "interrupted: every batch committed before it stays in the store" in result.stderr
    assert "run the same `storyline ingest` again" in result.stderr


def test_an_import_error_without_ctrl_c_behind_it_is_not_called_an_interrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 3, fmt="txt", seed=1)

    def broken(*_: object, **__: object) -> None:
        raise ImportError("no module named nowhere")

    monkeypatch.setattr("storyline.cli.ingest.ingest_paths", broken)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "s.db"), "ingest", str(corpus)])
    assert result.exit_code != 130
    assert isinstance(result.exception, ImportError)
    assert "interrupted" not in result.stderr


def test_stopped_by_user_follows_causes_and_contexts_but_not_forever() -> None:
    cause = KeyboardInterrupt()
    wrapped = RuntimeError("while cleaning up")
    wrapped.__context__ = cause
    assert stopped_by_user(ValueError("alone")) is False
    outer = ValueError("outer")
    outer.__cause__ = wrapped
    assert stopped_by_user(outer) is True
    a, b = ValueError("a"), ValueError("b")
    a.__context__, b.__context__ = b, a  # a cycle ends the walk instead of looping
    assert stopped_by_user(a) is False


def test_the_entry_point_ends_any_command_cut_short_by_ctrl_c_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("storyline.cli.main.app", _cut_short_import)
    with pytest.raises(SystemExit) as ended:
        run()
    assert ended.value.code == 130
    assert capsys.readouterr().err.strip() == "interrupted"
    monkeypatch.setattr("storyline.cli.main.app", lambda: int("x"))
    with pytest.raises(ValueError):
        run()
