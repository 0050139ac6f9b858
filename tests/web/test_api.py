"""The JSON API as a whole: its OpenAPI document is valid, every endpoint answers on the sample
corpus, errors have one shape, and each endpoint returns exactly what its CLI twin prints with
``--json`` (one serialiser: the `storyline.analysis` functions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from tests.web.conftest import cli_json


def test_openapi_document_is_valid_and_lists_the_api(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    paths = set(spec["paths"])
    for path in ("/api/v1/search", "/api/v1/stories", "/api/v1/actors", "/api/v1/places"):
        assert path in paths, f"{path} missing from the OpenAPI document: {sorted(paths)}"
    assert all(p.startswith("/api/v1/") for p in paths), "pages must not be in the API schema"


def test_api_docs_page_uses_only_local_assets(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui-bundle.js" in page.text
    assert "http" not in page.text.replace("http-equiv", "")  # no CDN, no outside link
    for asset in ("/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css"):
        assert client.get(asset).status_code == 200


def test_errors_have_one_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/stories/no-such-story")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "E404"
    bad = client.get("/api/v1/search", params={"q": '"unbalanced'})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"].startswith("E8")
    cursor = client.get("/api/v1/stories", params={"cursor": "not-a-cursor"})
    assert cursor.status_code == 400
    assert cursor.json()["error"]["code"] == "E801"


def _params_free_get_paths(spec: dict[str, Any]) -> list[str]:
    return [
        path
        for path, ops in spec["paths"].items()
        if "get" in ops and "{" not in path and path != "/api/v1/openapi.json"
    ]


def test_every_list_endpoint_answers_with_json(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = _params_free_get_paths(spec)
    assert len(paths) >= 8, paths
    for path in paths:
        params = {"q": "refugees"} if path.endswith("/search") else {}
        response = client.get(path, params=params)
        assert response.status_code == 200, (path, response.text[:300])
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["x-content-type-options"] == "nosniff"


#: Each list endpoint and the CLI command that prints the same JSON (the table in docs/api.md).
TWINS: list[tuple[str, dict[str, str], tuple[str, ...]]] = [
    ("/api/v1/articles", {"limit": "5"}, ("list", "--limit", "5")),
    ("/api/v1/stats", {}, ("stats",)),
    ("/api/v1/search", {"q": "refugees", "limit": "5"}, ("search", "refugees", "--limit", "5")),
    ("/api/v1/stories", {"limit": "5"}, ("stories", "--limit", "5")),
    ("/api/v1/storylines", {"limit": "5"}, ("storylines", "--limit", "5")),
    ("/api/v1/actors", {"limit": "5"}, ("actors", "--limit", "5")),
    ("/api/v1/quotes", {"limit": "5"}, ("quotes", "--limit", "5")),
    ("/api/v1/events", {"limit": "5"}, ("events", "--limit", "5")),
    ("/api/v1/places", {}, ("places",)),
    ("/api/v1/places/countries", {}, ("places", "--countries")),
    ("/api/v1/outlets", {}, ("outlets",)),
    ("/api/v1/actors/corrections", {}, ("actors", "corrections")),
]


#: The team-work endpoints: reads compared with their CLI twins after real writes, writes
#: checked against the library in tests/web/test_teamwork.py.
TEAMWORK_TWINS = {
    "/api/v1/tags",
    "/api/v1/tags/{tag}",
    "/api/v1/notes",
    "/api/v1/notes/{note_id}",
    "/api/v1/annotations/{kind}/{target}",
    "/api/v1/annotations/{kind}/{target}/tags",
    "/api/v1/annotations/{kind}/{target}/tags/{tag}",
    "/api/v1/collections",
    "/api/v1/collections/{name}",
    "/api/v1/collections/{name}/items",
    "/api/v1/collections/{name}/items/{kind}/{target}",
    "/api/v1/articles/{article_id}/hide",
}


def _compare(client: TestClient, db: Path, path: str, params: dict[str, str], cmd: Any) -> None:
    body = client.get(path, params=params).json()
    printed = cli_json(db, *cmd)
    if isinstance(printed, list):
        assert body["items"] == printed, path
    else:
        assert body == printed, path


@pytest.mark.parametrize(("path", "params", "command"), TWINS, ids=[t[0] for t in TWINS])
def test_list_endpoint_equals_the_cli_json(
    client: TestClient,
    sample_db: Path,
    path: str,
    params: dict[str, str],
    command: tuple[str, ...],
) -> None:
    _compare(client, sample_db, path, params, command)


def test_detail_endpoints_equal_the_cli_json(client: TestClient, sample_db: Path) -> None:
    """One of each: article, its copies, story, storyline, actor, outlet; ids from the lists."""
    article = client.get("/api/v1/articles", params={"limit": "1"}).json()["items"][0]["id"]
    story = client.get("/api/v1/stories", params={"limit": "1"}).json()["items"][0]["id"]
    line = client.get("/api/v1/storylines", params={"limit": "1"}).json()["items"][0]["id"]
    actor = client.get("/api/v1/actors", params={"limit": "1"}).json()["items"][0]["id"]
    outlet = client.get("/api/v1/outlets").json()["items"][0]["outlet"]
    cases = [
        (f"/api/v1/articles/{article}", ("show", article)),
        (f"/api/v1/articles/{article}/copies", ("copies", article)),
        (f"/api/v1/stories/{story}", ("story", story)),
        (f"/api/v1/storylines/{line}", ("storyline", line)),
        (f"/api/v1/actors/{actor}", ("actor", actor)),
        (f"/api/v1/outlets/{outlet}", ("outlet", outlet)),
    ]
    for path, command in cases:
        _compare(client, sample_db, path, {}, command)


def test_every_endpoint_has_its_cli_twin_checked(client: TestClient) -> None:
    """A new endpoint must join the tables above (or be the home page's data, which has no
    command of its own)."""
    spec = client.get("/api/v1/openapi.json").json()
    checked = {t[0] for t in TWINS} | {
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/{article_id}/copies",
        "/api/v1/stories/{story_id}",
        "/api/v1/storylines/{storyline_id}",
        "/api/v1/actors/{name}",
        "/api/v1/outlets/{name}",
        "/api/v1/home",
    }
    checked |= TEAMWORK_TWINS  # compared with their CLI twins in tests/web/test_teamwork.py
    assert set(spec["paths"]) - checked == set()
