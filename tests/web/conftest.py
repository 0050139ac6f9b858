"""Fixtures for the workbench: the sample corpus (and the seeds, where present) ingested once per
session through the real CLI, an app over a store, and the CLI's ``--json`` for comparing shapes.

Tests that change the store (actor merges and splits) take ``fresh_sample_db``, a copy, so the
shared store stays as a clean ingest left it.

Nobody reads the workbench without signing in, so ``client_for`` signs in through the real login
form as a user of the asked role (made in the store the first time, through `storyline.team`);
``role=None`` gives an anonymous client.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.browser import TEST_PASSWORD
from typer.testing import CliRunner

from storyline import config
from storyline.cli.main import app as cli_app
from storyline.sources.sample import GOLD_FILES
from storyline.store import Store
from storyline.store.team import find_user
from storyline.team import Who, add_user
from storyline.web.app import create_app

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SAMPLE = Path(str(resources.files("storyline").joinpath("data", "sample")))
BASE_URL = "http://127.0.0.1:8000"
runner = CliRunner()


def cli(db: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(cli_app, ["--db", str(db), *args])
    assert result.exit_code == code, result.output
    return result.stdout


def cli_json(db: Path, *args: str) -> Any:
    """What ``storyline --db DB ARGS --json`` prints, parsed."""
    return json.loads(cli(db, *args, "--json"))


#: The password of the test users "viewer", "analyst" and "admin" (one per role).
PASSWORD = TEST_PASSWORD


def ensure_user(db: Path, name: str, role: str | None = None) -> None:
    """The account ``name`` (role ``role``, default the name) exists in the store ``db``."""
    settings = config.load(None, {"store": {"db": str(db)}})
    store = Store(str(db), 10_000, settings)
    try:
        if find_user(store.conn, name) is None:
            add_user(store.conn, name, role or name, PASSWORD, settings, Who("test", "cli"))
    finally:
        store.close()


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    """Sign ``client`` in through the login form; returns the login response."""
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def client_for(db: Path, role: str | None = "analyst", **web: Any) -> TestClient:
    """A client of the app over ``db``, signed in as the test user of ``role`` (None: anonymous)."""
    settings = config.load(None, {"store": {"db": str(db)}, "web": web} if web else {})
    settings["store"]["db"] = str(db)
    client = TestClient(create_app(settings, str(db)), base_url=BASE_URL)
    if role is not None:
        ensure_user(db, role)
        done = login(client, role)
        assert done.status_code == 303, (done.status_code, done.text[:300])
    return client


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("web-sample") / "sample.db"
    args = [a for pattern in GOLD_FILES for a in ("--exclude", pattern)]
    cli(db, "ingest", str(SAMPLE), *args, code=1)  # hostile/ is refused on purpose
    return db


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (they live outside the repository)")
    db = tmp_path_factory.mktemp("web-seeds") / "seeds.db"
    cli(db, "ingest", str(SEEDS))
    return db


@pytest.fixture
def fresh_sample_db(sample_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "sample.db"
    shutil.copyfile(sample_db, copy)
    for suffix in ("-wal", "-shm"):
        side = sample_db.with_name(sample_db.name + suffix)
        if side.exists():
            shutil.copyfile(side, copy.with_name(copy.name + suffix))
    return copy


@pytest.fixture(scope="session")
def client(sample_db: Path) -> Iterator[TestClient]:
    with client_for(sample_db) as c:
        yield c
