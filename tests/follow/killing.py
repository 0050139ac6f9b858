"""kill -9 of `storyline follow --once`, shared by the CI test and benchmarks/kill_follow.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from newsite import Site, settings_toml

from storyline.testing import generate, store_snapshot

RUNNER = Path(__file__).resolve().parent / "run_follow.py"


def build_site(site: Site, feeds: int = 3, per_feed: int = 4) -> list[str]:
    """``feeds`` feeds (RSS, Atom, JSON Feed, sitemap in turn) of ``per_feed`` pages each."""
    corpus = generate(feeds * per_feed, seed=11, reprint_rate=0.25)
    kinds = [site.rss, site.atom, site.json_feed, site.sitemap]
    urls = []
    for f in range(feeds):
        paths = []
        for i in range(per_feed):
            path = f"/f{f}/story-{i}"
            site.article(path, corpus[f * per_feed + i])
            paths.append(path)
        kinds[f % 4](f"/feed{f}", paths)
        urls.append(site.url(f"/feed{f}"))
    return urls


def write_config(folder: Path, batch: int) -> Path:
    path = folder / "storyline.toml"
    path.write_text(settings_toml(batch))
    return path


def command(db: Path, config: Path, batch: int) -> list[str]:
    runner = [sys.executable, str(RUNNER), "--db", str(db), "--config", str(config)]
    return [*runner, "follow", "--once", "--batch", str(batch)]


def follow_killed(
    db: Path, config: Path, batch: int, delay: float | None, die_after: int | None = None
) -> int:
    """Run the follow command; SIGKILL it after ``delay`` seconds (None: let it finish), or let
    it kill itself after its ``die_after``-th commit. Returns its exit status."""
    env = dict(os.environ)
    env.pop("STORYLINE_TEST_DIE_AFTER_COMMIT", None)
    if die_after:
        env["STORYLINE_TEST_DIE_AFTER_COMMIT"] = str(die_after)
    proc = subprocess.Popen(
        command(db, config, batch),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    if delay is not None:
        end = time.monotonic() + delay
        while time.monotonic() < end and proc.poll() is None:
            time.sleep(0.01)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
    return proc.wait()


def follow_snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table as a clean run leaves it, without times: the articles and all derived
    tables (`store_snapshot`), the sources without their fetch times and health, the items
    without their found/done times."""
    import sqlite3

    snap = store_snapshot(db, exclude={"followed", "followed_items"})
    conn = sqlite3.connect(db)
    try:
        snap["followed"] = sorted(
            conn.execute("SELECT url, kind, name, content, etag, last_modified FROM followed")
        )
        snap["followed_items"] = sorted(
            conn.execute(
                "SELECT f.url, i.url, i.state, i.reason, i.key, i.tries, i.feed_data "
                "FROM followed_items i JOIN followed f ON f.id = i.source_id"
            ),
            key=repr,
        )
    finally:
        conn.close()
    return snap


def stored_keys(db: Path) -> set[str]:
    """The article keys in the ingest checkpoint (what a resumed run must not fetch again)."""
    import sqlite3

    if not db.exists():
        return set()
    conn = sqlite3.connect(db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "sources" not in tables:
            return set()
        return {r[0] for r in conn.execute("SELECT key FROM sources")}
    finally:
        conn.close()
