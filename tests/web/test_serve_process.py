"""`storyline serve` as a real process on loopback: it stops on SIGTERM while clients keep it busy
(the requests waiting for a slot are answered 503 at once, the running ones get
``web.shutdown_grace_s``), and ``--workers 2`` serves one store from two processes with the same
sessions and tokens.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import PASSWORD, cli, ensure_user


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(db: Path, *args: str, **web: object) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`storyline serve` on a free loopback port, with ``web.*`` settings from the environment;
    killed at the end if the test left it running."""
    port = free_port()
    env = {**os.environ, **{f"STORYLINE_WEB_{k.upper()}": str(v) for k, v in web.items()}}
    proc = subprocess.Popen(
        [sys.executable, "-m", "storyline", "--db", str(db), "serve", "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"serve did not start: {err[-2000:]}")
                time.sleep(0.1)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def viewer_token(db: Path) -> str:
    ensure_user(db, "viewer")
    made = cli(db, "users", "token", "create", "viewer", "--label", "serve-test", "--json")
    return str(json.loads(made)["token"])


def busiest_story(db: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT story_id FROM story_articles GROUP BY story_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return f"/stories/{row[0]}"


def test_sigterm_under_load_answers_the_waiting_and_stops(fresh_sample_db: Path) -> None:
    token = viewer_token(fresh_sample_db)
    page = busiest_story(fresh_sample_db)
    statuses: list[int] = []
    bodies: list[str] = []
    stop = threading.Event()

    def hammer() -> None:
        headers = {"authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            while not stop.is_set():
                try:
                    response = client.get(page)
                except httpx.TransportError:
                    return  # the server closed: nothing more to send
                statuses.append(response.status_code)
                if response.status_code == 503:
                    bodies.append(response.text)

    # one slot: with 12 clients, 11 requests wait at any moment
    with serve(fresh_sample_db, max_concurrent=1, queue_timeout_s=120, shutdown_grace_s=1) as (
        proc,
        base,
    ):
        threads = [threading.Thread(target=hammer) for _ in range(12)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 120
        while statuses.count(200) < 24 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert statuses.count(200) >= 24, statuses  # the load is on
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("storyline serve did not stop within 30 s of SIGTERM under load")
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert set(statuses) <= {200, 503}, statuses
    # the requests that were waiting when SIGTERM came were answered, not left hanging
    assert any("E965" in b and "stopping" in b for b in bodies), bodies[:3]
    assert proc.returncode in (0, -signal.SIGTERM), proc.returncode


def login(client: httpx.Client) -> None:
    done = login_as(client, "viewer", PASSWORD)
    assert done.status_code == 303, done.text[:300]


def test_two_workers_share_sessions_tokens_and_the_login_limit(fresh_sample_db: Path) -> None:
    import psutil

    token = viewer_token(fresh_sample_db)
    ensure_user(fresh_sample_db, "analyst")
    with serve(fresh_sample_db, "--workers", "2") as (proc, base):
        assert len(psutil.Process(proc.pid).children()) >= 2  # two server processes

        def fresh(**kw: object) -> httpx.Client:  # a new connection: either process may take it
            return httpx.Client(base_url=base, timeout=30, **kw)  # type: ignore[arg-type]

        with fresh() as browser:
            login(browser)
            cookies = dict(browser.cookies)
        for _ in range(12):
            with fresh(cookies=cookies) as c:
                assert c.get("/api/v1/me").json()["name"] == "viewer"
            with fresh(headers={"authorization": f"Bearer {token}"}) as c:
                assert c.get("/api/v1/stories?limit=1").status_code == 200
        # five failures spread over the processes lock the account in all of them
        for _ in range(5):  # team.login_max_failures
            with fresh() as c:
                assert login_as(c, "analyst", "guess guess guess").status_code == 401
        for _ in range(4):
            with fresh() as c:
                assert login_as(c, "analyst", PASSWORD).status_code == 429
        # a logout in one process ends the session in every process
        with fresh(cookies=cookies) as c:
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/account").text)
            assert csrf
            assert c.post("/logout", data={"csrf_token": csrf.group(1)}).status_code < 400
        for _ in range(6):
            with fresh(cookies=cookies) as c:
                assert c.get("/api/v1/me").status_code == 401
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("storyline serve --workers 2 did not stop within 30 s of SIGTERM")


def login_as(client: httpx.Client, name: str, password: str) -> httpx.Response:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
