"""Actors, quotes and events in the workbench: real content on the sample corpus and the seeds,
API JSON equal to the CLI's, corrections by POST with a CSRF token, coded errors."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import cli, cli_json, client_for


def token_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def test_actor_list_page_and_api_equal_cli(client: TestClient, sample_db: Path) -> None:
    page = client.get("/actors")
    assert page.status_code == 200
    assert '<a href="/actors/taliban">Taliban</a>' in page.text
    assert "data-vl-spec" in page.text  # the bars chart, with its numbers table
    api = client.get("/api/v1/actors?limit=20").json()
    assert api["items"] == cli_json(sample_db, "actors", "-n", "20")
    assert api["items"][0] == {"id": "country-ir", "name": "Iran", "type": "country",
                               "country": "IR", "mentions": 133, "articles": 32}  # fmt: skip
    people = client.get("/api/v1/actors?type=person&limit=5").json()
    assert people["items"] == cli_json(sample_db, "actors", "--type", "person", "-n", "5")
    second = client.get(f"/api/v1/actors?type=person&limit=5&cursor={people['next_cursor']}")
    assert (
        second.json()["items"] == cli_json(sample_db, "actors", "--type", "person", "-n", "10")[5:]
    )
    wrong = client.get(f"/api/v1/actors?limit=5&cursor={people['next_cursor']}")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "E801"


def test_actor_page_any_spelling_redirects_and_shows_profile(client: TestClient) -> None:
    moved = client.get("/actors/Islamic%20Emirate", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (302, "/actors/taliban")
    assert client.get("/actors?name=Islamic+Emirate", follow_redirects=False).status_code == 302
    page = client.get("/actors/taliban")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Taliban</h1>" in text
    assert "29 mentions in 21 articles" in text
    assert "Islamic Emirate" in text and "gazetteer" in text  # alias and its rule
    assert "data-vg-spec" in text  # the co-occurrence network (Vega)
    assert '<a href="/actors/kabul">Kabul</a>' in text  # a co-occurring actor links to its page
    assert "2024-01" in text  # mentions per month, in the numbers table
    assert "ACCUSE" in text and "Nimroz" in text  # an event where it is the target
    assert "(reported)" not in text and "drought, not dams" in text  # indirect: no quote marks
    assert "<q" not in text.split("<h2>Quotes</h2>")[1].split("<h2>Events</h2>")[0]
    assert 'name="csrf_token"' in text and 'action="/actors/taliban/merge"' in text
    assert "/api/v1/actors/taliban" in text  # this page as JSON


def test_actor_api_equals_cli(client: TestClient, sample_db: Path) -> None:
    for spelling in ("taliban", "Islamic Emirate"):
        api = client.get(f"/api/v1/actors/{spelling}").json()
        assert api == cli_json(sample_db, "actor", spelling)
    profile = client.get("/api/v1/actors/taliban").json()
    assert {(a["alias"], a["rule"], a["mentions"]) for a in profile["aliases"]} == {
        ("Taliban", "gazetteer", 26),
        ("Islamic Emirate", "gazetteer", 3),
    }
    assert [e["type"] for e in profile["events"]][:1] == ["ACCUSE"]
    assert all("mode" in e and "reported_by" in e for e in profile["events"])


def test_unknown_actor_is_a_coded_404(client: TestClient) -> None:
    page = client.get("/actors/Nobody%20Atall")
    assert page.status_code == 404 and "E404" in page.text
    api = client.get("/api/v1/actors/Nobody%20Atall")
    assert api.status_code == 404 and api.json()["error"]["code"] == "E404"


def test_seeds_spellings_reach_one_actor(seeds_db: Path) -> None:
    with client_for(seeds_db) as c:
        for spelling in ("Kazmi%20Qomi", "Kazemi-Qomi", "Qomi", "Hassan%20Kazemi-Qomi"):
            r = c.get(f"/actors/{spelling}", follow_redirects=False)
            assert (r.status_code, r.headers["location"]) == (302, "/actors/hassan-kazemi-qomi")
        quotes = c.get("/api/v1/quotes?by=Qomi").json()
        assert quotes["resolved"]["id"] == "hassan-kazemi-qomi"
        assert len(quotes["items"]) == 3
        assert quotes["items"] == cli_json(seeds_db, "quotes", "--by", "Qomi", "-n", "25")
        raisi = c.get("/api/v1/events?actor=Raisi").json()["items"]
        assert raisi == c.get("/api/v1/events?actor=Ebrahim%20Raisi").json()["items"]
        assert raisi == c.get("/api/v1/events?actor=ebrahim-raisi").json()["items"]
        assert len(raisi) == 2
        qomi = c.get("/api/v1/events?actor=Hassan%20Kazemi-Qomi").json()["items"]
        assert [(e["type"], e["source_name"], e["reported_by"]) for e in qomi] == [
            ("CONSULT", "Hassan Kazemi-Qomi", "the statement")
        ]
        negated = c.get("/events?type=SUPPORT&actor=Tehran").text
        assert "negated" in negated


def test_cli_says_which_actor_a_name_resolved_to(seeds_db: Path) -> None:
    from typer.testing import CliRunner

    from storyline.cli.main import app

    result = CliRunner().invoke(app, ["--db", str(seeds_db), "quotes", "--by", "Qomi", "--json"])
    assert result.exit_code == 0
    assert result.stderr == "actor: Hassan Kazemi-Qomi (hassan-kazemi-qomi, by alias 'Qomi')\n"
    result = CliRunner().invoke(app, ["--db", str(seeds_db), "events", "--actor", "Raisi"])
    assert "actor: Ebrahim Raisi (ebrahim-raisi, by alias 'Raisi')" in result.stderr


def test_quotes_and_events_pages_and_api_equal_cli(client: TestClient, sample_db: Path) -> None:
    assert client.get("/api/v1/quotes?limit=25").json()["items"] == cli_json(
        sample_db, "quotes", "-n", "25"
    )
    direct = client.get("/api/v1/quotes?kind=direct&limit=5").json()["items"]
    assert direct == cli_json(sample_db, "quotes", "--kind", "direct", "-n", "5")
    page = client.get("/quotes?kind=direct")
    assert page.status_code == 200
    assert '<q class="act-direct">No one with a valid card is being deported,</q>' in page.text
    reported = client.get("/quotes?kind=indirect").text
    assert 'class="act-reported"' in reported and "<q " not in reported
    assert client.get("/api/v1/events?limit=25").json()["items"] == cli_json(
        sample_db, "events", "-n", "25"
    )
    events = client.get("/events?actor=Alireza%20Moghaddam").text
    assert "hypothetical" in events and "reported" in events
    bad = client.get("/api/v1/events?type=NOPE")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "E800"


def _ambiguous(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO actor_aliases (actor_id, alias, rule, created_at) VALUES (?, 'Rauf', "
            "'name-key', '2024-01-01')",
            [("person:aasrfkn",), ("person:aabsknfrdi",)],
        )


def test_ambiguous_name_is_said(fresh_sample_db: Path) -> None:
    _ambiguous(fresh_sample_db)
    with client_for(fresh_sample_db) as c:
        page = c.get("/actors/Rauf")
        assert page.status_code == 200 and "E802" in page.text
        assert '<a href="/actors/person:aasrfkn">Ayesha Rauf Khan</a>' in page.text
        assert '<a href="/actors/person:aabsknfrdi">Abbas Khan Afridi</a>' in page.text
        api = c.get("/api/v1/quotes?by=Rauf")
        assert api.status_code == 400 and api.json()["error"]["code"] == "E802"
    out = cli(fresh_sample_db, "events", "--actor", "Rauf", code=2)
    assert out == ""


def test_merge_by_post_with_token(fresh_sample_db: Path) -> None:
    with client_for(fresh_sample_db) as c:
        token = token_of(c.get("/actors/country-ir").text)
        done = c.post(
            "/actors/country-ir/merge",
            data={"other": "Tehran", "note": "metonym", "csrf_token": token},
            follow_redirects=False,
        )
        assert (done.status_code, done.headers["location"]) == (
            303, "/actors/country-ir?corrected=merge",
        )  # fmt: skip
        log = c.get("/api/v1/actors/corrections").json()["items"]
        assert [(r["action"], r["actor_id"], r["other"], r["note"]) for r in log] == [
            ("merge", "country-ir", "tehran", "metonym")
        ]
        assert log == cli_json(fresh_sample_db, "actors", "corrections")
        assert c.get("/actors/tehran", follow_redirects=False).headers["location"] == (
            "/actors/country-ir"
        )
        page = c.get("/actors/country-ir?corrected=merge").text
        assert "Correction saved" in page and "metonym" in page
        assert "/actors/country-ir" in c.get("/actors/corrections").text
        again = c.post("/actors/country-ir/merge", data={"other": "Tehran", "csrf_token": token})
        assert again.status_code == 400 and "E420" in again.text  # a message, not a 500
        split = c.post(
            "/actors/taliban/split",
            data={"alias": "Islamic Emirate", "csrf_token": token},
            follow_redirects=False,
        )
        assert split.status_code == 303
    assert cli_json(fresh_sample_db, "actor", "split:islamic-emirate")["mentions"] == 3


def test_post_without_token_changes_nothing(fresh_sample_db: Path) -> None:
    with client_for(fresh_sample_db) as c:
        c.get("/actors/country-ir")  # sets the cookie
        refused = c.post("/actors/country-ir/merge", data={"other": "Tehran"})
        assert refused.status_code == 403 and "E902" in refused.text
        forged = c.post(
            "/actors/country-ir/merge", data={"other": "Tehran", "csrf_token": "x" * 43}
        )
        assert forged.status_code == 403
        assert c.get("/actors/country-ir/merge").status_code == 405  # GET never merges
        assert c.get("/api/v1/actors/corrections").json()["items"] == []
        assert c.get("/actors/tehran", follow_redirects=False).status_code == 200


def test_a_viewer_sees_no_correction_forms(sample_db: Path) -> None:
    with client_for(sample_db, role="viewer") as viewer:
        text = viewer.get("/actors/taliban").text
    assert 'action="/actors/taliban/merge"' not in text and "/split" not in text
    assert "Merges and splits need the analyst role." in text
