"""The article pages and ``/api/v1/articles``, ``/articles/{id}/copies`` and ``/stats`` on the
sample corpus (and a seed for a bound from context): facts at their spans with anchors, what the
cleaner removed, copies side by side, and every endpoint equal to its CLI twin's ``--json``."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from tests.web.conftest import cli_json, client_for

#: A Pakistani wire report with quotes, a coded event and mentions (sample corpus).
TAFTAN = "u0d8ad26d0e4907b"
#: Xinhua's Kajaki story: two edited-wire copies, this one had it first.
KAJAKI = "caa8a54ae92c34b8"


def test_listing_pages_with_cursors_and_equals_the_cli(client: TestClient, sample_db: Path) -> None:
    first = client.get("/api/v1/articles", params={"limit": "20"}).json()
    assert first["items"] == cli_json(sample_db, "list", "--limit", "20")
    second = client.get(
        "/api/v1/articles", params={"limit": "20", "cursor": first["next_cursor"]}
    ).json()
    assert second["items"] == cli_json(
        sample_db, "list", "--limit", "20", "--cursor", first["next_cursor"]
    )
    third = client.get(
        "/api/v1/articles", params={"limit": "20", "cursor": second["next_cursor"]}
    ).json()
    ids = [r["id"] for page in (first, second, third) for r in page["items"]]
    assert len(ids) == len(set(ids)) == 54 and third["next_cursor"] is None
    dates = [r["published"] or r["date_not_before"] or "" for r in first["items"]]
    assert dates == sorted(dates, reverse=True)
    ledger = client.get("/api/v1/articles", params={"outlet": "kabul ledger"}).json()
    assert len(ledger["items"]) == 6 and {r["outlet"] for r in ledger["items"]} == {"Kabul Ledger"}
    assert ledger["items"] == cli_json(sample_db, "list", "--outlet", "kabul ledger")


def test_listing_page(client: TestClient) -> None:
    page = client.get("/articles", params={"language": "fr"})
    assert page.status_code == 200
    assert page.text.count('<a href="/articles/') == 1  # one French article
    assert "54 articles in the store" in page.text
    assert '<option value="fr" selected>' in page.text


def test_article_json_equals_show_json_and_copies_and_stats(
    client: TestClient, sample_db: Path
) -> None:
    body = client.get(f"/api/v1/articles/{KAJAKI[:6]}").json()
    assert body == cli_json(sample_db, "show", KAJAKI)
    assert body["id"] == KAJAKI and body["story"]["id"] == "st_caa8a54ae92c34b8"
    assert body["copies"]["independent_sources"] == 1
    copies = client.get(f"/api/v1/articles/{KAJAKI}/copies").json()
    assert copies == cli_json(sample_db, "copies", KAJAKI)
    assert sorted(link["other"] for link in copies["links"]) == [
        "u11f9af226331ef0",
        "u3342a7efac19700",
    ]
    stats = client.get("/api/v1/stats").json()
    assert stats == cli_json(sample_db, "stats")
    assert stats["articles"] == 54 and stats["languages"]["en"] == 50


def test_unknown_and_ambiguous_ids(client: TestClient) -> None:
    for path in ("/api/v1/articles/nope", "/api/v1/articles/nope/copies"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "E404"
    page = client.get("/articles/nope")
    assert page.status_code == 404 and "E404 no article with id" in page.text
    ambiguous = client.get("/api/v1/articles/c")
    assert ambiguous.status_code == 400
    assert ambiguous.json()["error"]["code"] == "E802"
    assert ambiguous.json()["error"]["message"].startswith("article id 'c' is ambiguous: c")


def test_article_page_marks_facts_at_their_spans(client: TestClient) -> None:
    page = client.get(f"/articles/{TAFTAN}")
    assert page.status_code == 200
    text = page.text
    assert (
        "<h1>Taftan crossing shut after night-time gunfight, hundreds of trucks stranded</h1>"
        in text
    )
    # an actor mention links to its actor and says the linked name on hover
    assert re.search(
        r'<a class="actor" title="Pakistan \(GPE\)" id="m1" href="/actors/country-pk">Pakistan</a>',
        text,
    )
    # a direct quote names its linked speaker and the spelling the article used
    assert (
        'title="direct quote · speaker: Gul Mohammad Notezai (written “Gul Muhammad Notezai”)" '
        'id="q2">We have perishable goods' in text
    )
    assert 'id="e0"' in text and 'title="event COERCE' in text
    assert '<span class="sent" id="s-0">' in text and 'id="s-261"' in text
    assert 'href="#q2"' in text  # the quotes table links to the quote in the text
    assert "/api/v1/articles/" + TAFTAN in text


def test_event_modes_show_on_hover(client: TestClient) -> None:
    text = client.get("/articles/u59562993f48f438").text
    assert re.search(r'class="event" title="event AGREE \(hypothetical\)', text)


def test_hl_marks_and_anchors_the_cited_span(client: TestClient) -> None:
    text = client.get(f"/articles/{TAFTAN}", params={"hl": "0-76"}).text
    assert '<mark class="hl" title="the cited passage" id="hl">' in text
    assert 'href="#hl">cited passage</a>' in text
    stale = client.get(f"/articles/{TAFTAN}", params={"hl": "999999-1000000"})
    assert stale.status_code == 200 and 'id="hl"' not in stale.text


def test_removed_text_and_copies_side_by_side(client: TestClient) -> None:
    removed = client.get("/articles/cd11372ec39ce2c8").text
    assert "11 pieces removed from the input, with the reason for each" in removed
    assert '<span class="tag">breadcrumb</span>' in removed
    assert "Home / News / Region / Militants kill seven" in removed
    copies = client.get(f"/articles/{KAJAKI}").text
    assert (
        "2 copies of the reporting and 0 partial reuses of some paragraphs; "
        "3 articles count as 1 independent source."
    ) in copies
    assert "u11f9af226 reuses this article&#39;s text" in copies
    assert "who had it first:\nthis article" in copies
    assert copies.count('<div class="side-by-side">') >= 6
    assert "this article ¶0" in copies and "Asia Desk Weekly ¶0 · similarity 1.00" in copies


def test_a_bound_is_shown_as_a_bound_with_its_source(seeds_db: Path) -> None:
    with client_for(seeds_db) as client:
        text = client.get("/articles/c30baf66bfde6e13").text
    assert '<th scope="row">not before</th>' in text
    assert '≥ <time datetime="2021-09-07">2021-09-07</time>' in text
    assert "year from storyline context: ud550fa3280588c6 (2021-08-18)" in text
    assert "(a lower bound, not the date)" in text
