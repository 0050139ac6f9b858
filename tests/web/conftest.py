"""Fixtures for the workbench: the sample corpus (and the seeds, where present) ingested once per
session through the real CLI, an app over a store, and the CLI's ``--json`` for comparing shapes.

Tests that change the store (actor merges and splits) take ``fresh_sample_db``, a copy, so the
shared store stays as a clean ingest left it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline import config
from storyline.cli.main import app as cli_app
from storyline.sources.sample import GOLD_FILES
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


def client_for(db: Path, **web: Any) -> TestClient:
    settings = config.load(None, {"store": {"db": str(db)}, "web": web} if web else {})
    settings["store"]["db"] = str(db)
    return TestClient(create_app(settings, str(db)), base_url=BASE_URL)


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
