"""Opening a store never drops the locks this process already holds on it.

POSIX record locks belong to a process and a file, not to a file handle: closing any handle of
the store file releases every lock the process holds on it, those of its SQLite connections
included. A server that opened one more pooled connection that way let an ingest in another
process, closing its last connection, believe nobody else had the store open: it deleted the WAL
and its index under the server's readers, which then failed with "database disk image is
malformed" or hung. These tests watch for exactly that: the WAL must survive another process's
close while a connection of ours is open.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from storyline.store import Store

WRITE_AND_CLOSE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA user_version = 7")
conn.close()
"""


def _other_process_writes_and_closes(db: Path) -> None:
    subprocess.run([sys.executable, "-c", WRITE_AND_CLOSE, str(db)], check=True, timeout=60)


def test_a_second_connection_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    Store(db).close()  # made and migrated
    with Store(db) as reader:
        reader.conn.execute("BEGIN")
        before = reader.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
        with Store(db):  # as the server's pool opens one more connection for a busy moment
            pass
        _other_process_writes_and_closes(db)
        assert Path(f"{db}-wal").exists(), "another process deleted the WAL under our reader"
        assert Path(f"{db}-shm").exists()
        again = reader.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
        assert again == before
        reader.conn.execute("COMMIT")
        assert reader.conn.execute("PRAGMA user_version").fetchone()[0] == 7


def test_the_last_connection_still_cleans_up_after_itself(tmp_path: Path) -> None:
    """The control: with none of ours open, the other process is the last and removes the WAL,
    so the test above can fail."""
    db = tmp_path / "store.db"
    Store(db).close()
    _other_process_writes_and_closes(db)
    assert not Path(f"{db}-wal").exists()
