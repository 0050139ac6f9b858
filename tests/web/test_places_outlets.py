"""Places (a world map with counts, links to filtered searches) and outlets (volume, languages,
agencies, who copies whom) on the sample corpus; API JSON equal to the CLI's."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import cli_json


def test_places_page_map_and_links(client: TestClient) -> None:
    page = client.get("/places")
    assert page.status_code == 200
    text = page.text
    assert "countries-110m.json" in text  # the bundled world outline, no tile server
    assert '<a href="/search?place=Islamabad">Islamabad</a>' in text
    assert "<td>Iran</td><td>IR</td><td>35</td>" in text  # countries' numbers table
    assert "/api/v1/places" in text


def test_places_api_equals_cli(client: TestClient, sample_db: Path) -> None:
    api = client.get("/api/v1/places?limit=25").json()
    assert api["items"] == cli_json(sample_db, "places", "-n", "25")
    islamabad = next(p for p in api["items"] if p["name"] == "Islamabad")
    # 24 events: since issue 10 the dateline is an event's place only when its lead names none;
    # the events stage v3 codes verbs with unnamed subjects too (22 before)
    assert (islamabad["articles"], islamabad["events"], islamabad["country"]) == (27, 24, "PK")
    assert (islamabad["latitude"], islamabad["longitude"]) == (33.72148, 73.04329)
    iran = client.get("/api/v1/places?country=ir&limit=3").json()["items"]
    assert iran == cli_json(sample_db, "places", "--country", "IR", "-n", "3")
    assert {p["country"] for p in iran} == {"IR"}
    countries = client.get("/api/v1/places/countries").json()["items"]
    assert countries == cli_json(sample_db, "places", "--countries")
    # 12 events placed in Iran (8 before events stage v3, which codes more verbs); lead
    # sentences that name another place no longer take the dateline
    assert countries[0] == {"country": "IR", "id": "364", "name": "Iran", "articles": 35,
                            "mentions": 163, "events": 12}  # fmt: skip
    assert next(c for c in countries if c["country"] == "AF")["id"] == "004"  # the map's key


def test_outlets_list_and_api_equal_cli(client: TestClient, sample_db: Path) -> None:
    page = client.get("/outlets")
    assert page.status_code == 200
    assert '<a href="/outlets/Kabul%20Ledger">Kabul Ledger</a>' in page.text
    api = client.get("/api/v1/outlets?limit=25").json()
    assert api["items"] == cli_json(sample_db, "outlets", "-n", "25")
    assert api["items"][0] == {"outlet": "Kabul Ledger", "articles": 6, "first": "2024-01-25",
                               "last": "2024-10-09", "undated": 1, "languages": ["en"]}  # fmt: skip


def test_outlet_page_and_api(client: TestClient, sample_db: Path) -> None:
    page = client.get("/outlets/Kabul%20Ledger")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Kabul Ledger</h1>" in text
    assert '<a href="/search?outlet=Kabul+Ledger">search its articles</a>' in text
    assert "Reuters" in text and "Xinhua" in text  # agencies it carries
    assert "data-vl-spec" in text  # articles per week
    api = client.get("/api/v1/outlets/kabul%20ledger").json()
    assert api == cli_json(sample_db, "outlet", "Kabul Ledger")
    # first and last: the day the text passed (the copy's day), from the kept summary
    day = {"first": "2024-03-21", "last": "2024-03-21"}
    assert api["copies"] == [
        {"outlet": "Asia Desk Weekly", "kind": "edited_wire", "pairs": 1, **day},
        {"outlet": "Frontier Monitor", "kind": "edited_wire", "pairs": 1, **day},
    ]
    frontier = client.get("/api/v1/outlets/Frontier%20Monitor").json()
    assert {"outlet": "Kabul Ledger", "kind": "edited_wire", "pairs": 1, **day} in frontier[
        "copied_by"
    ]
    assert "2024-03-21" in text  # the page shows the day too
    assert len(api["weeks"]) == 5 and sum(w["articles"] for w in api["weeks"]) == 5


def test_unknown_outlet_is_a_coded_404(client: TestClient) -> None:
    page = client.get("/outlets/No%20Such%20Outlet")
    assert page.status_code == 404 and "E404" in page.text
    api = client.get("/api/v1/outlets/No%20Such%20Outlet")
    assert api.status_code == 404 and api.json()["error"]["code"] == "E404"
