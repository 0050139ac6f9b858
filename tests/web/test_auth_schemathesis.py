"""schemathesis against the OpenAPI spec, authenticated as each role (viewer, analyst, admin)
with a real API token: no server error and no response that breaks the spec, for generated
parameters of every operation. The viewer reads the shared sample store; the analyst and the
admin, whose generated calls reach the writing endpoints (notes, tags, merges, hiding, users,
tokens), each work on a copy of their own.

A short run for CI (a few examples per operation and role); ``STORYLINE_SCHEMATHESIS_EXAMPLES=200``
runs the long one. The spec's status codes are not checked: FastAPI declares 422 for invalid
parameters, and the workbench answers 400 with its coded error shape (docs/api.md) instead.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks
from tests.web.conftest import ensure_user

from storyline import config
from storyline.store import Store
from storyline.team import Who, create_token
from storyline.web.app import create_app

EXAMPLES = int(os.environ.get("STORYLINE_SCHEMATHESIS_EXAMPLES", "6"))
TOKENS: dict[str, dict[str, str]] = {}


def _copy(db: Path, to: Path) -> Path:
    """A consistent copy through SQLite's backup API (the WAL's pages included)."""
    source, target = sqlite3.connect(db), sqlite3.connect(to)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return to


def _schema_as(role: str, db: Path) -> Any:
    ensure_user(db, role)
    # schemathesis's ASGI client sends Host: testserver, which the Host check must accept.
    settings_ = config.load(
        None, {"store": {"db": str(db)}, "web": {"allowed_hosts": ["testserver"]}}
    )
    store = Store(str(db), 10_000, settings_)
    try:
        token, _ = create_token(store.conn, role, None, 1, "schemathesis", Who("test", "cli"))
    finally:
        store.close()
    TOKENS[role] = {"authorization": f"Bearer {token}"}
    app = create_app(settings_, str(db))
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers=TOKENS[role])


@pytest.fixture(scope="module")
def viewer_schema(sample_db: Path) -> Any:
    return _schema_as("viewer", sample_db)


@pytest.fixture(scope="module")
def analyst_schema(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _schema_as("analyst", _copy(sample_db, tmp_path_factory.mktemp("st-a") / "a.db"))


@pytest.fixture(scope="module")
def admin_schema(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _schema_as("admin", _copy(sample_db, tmp_path_factory.mktemp("st-m") / "m.db"))


def _check(case: Any, role: str) -> None:
    case.call_and_validate(
        headers=dict(TOKENS[role]),
        checks=[
            schemathesis.checks.not_a_server_error,
            openapi_checks.content_type_conformance,
            openapi_checks.response_schema_conformance,
            openapi_checks.response_headers_conformance,
        ],
        excluded_checks=[openapi_checks.status_code_conformance],
    )


RUN = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@schemathesis.pytest.from_fixture("viewer_schema").parametrize()
@RUN
def test_the_api_as_a_viewer(case: Any) -> None:
    _check(case, "viewer")


@schemathesis.pytest.from_fixture("analyst_schema").parametrize()
@RUN
def test_the_api_as_an_analyst(case: Any) -> None:
    _check(case, "analyst")


@schemathesis.pytest.from_fixture("admin_schema").parametrize()
@RUN
def test_the_api_as_an_admin(case: Any) -> None:
    _check(case, "admin")
