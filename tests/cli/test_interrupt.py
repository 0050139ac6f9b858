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
