"""Shared fixtures: where the seeds and the sample corpus are, and a fresh store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# pytest-xdist exports COLUMNS=80 to its workers, and rich pins a console's width to $COLUMNS
# when the console is created (at import): CLI tests that set COLUMNS per call would then see 80
# whatever they ask. Tests run as in a terminal-less shell, where COLUMNS is not exported.
os.environ.pop("COLUMNS", None)
# `storyline follow` lowers its own CPU priority (follow.nice, 10 by default); run in a test's
# process it would lower the xdist worker's for the rest of the run, and the browser it starts.
# Tests keep every process at one priority (the setting has its own test, in a subprocess).
os.environ.setdefault("STORYLINE_FOLLOW_NICE", "0")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLE = REPO / "src" / "storyline" / "data" / "sample"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(
            f"the real seed articles are not here ({SEEDS}); they live beside the repo "
            "in ../shared/seeds on the team's machines"
        )
    return SEEDS


@pytest.fixture
def sample_dir() -> Path:
    if not (SAMPLE / "manifest.jsonl").is_file():
        pytest.skip("the bundled sample corpus is missing from src/storyline/data/sample")
    return SAMPLE


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"
