"""A seventh review (of extract v21, cleaning v30 and date stage v39, on the reviewer's own
examples): story lines the new rules took, variants they missed, and the signature, department
and forecast readings. Examples are the reviewer's kind, written here."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract import rules as r
from storyline.extract.clean import clean_text
from storyline.extract.date_sources import date_line_values
from storyline.extract.dates import find_date

P1 = (
    "The harbour board voted on Thursday to raise mooring fees by a tenth from April, the first "
    "increase in six years, after a long debate about the cost of dredging the channel."
)
P2 = (
    "Fishermen said the rise would hit the smallest boats hardest and asked the board to phase "
    "it in over two years, a request the chairman said would be considered in March."
)


def _kept(line: str) -> bool:
    return line in clean_text(f"{P1}\n{line}\n{P2}", title="Harbour fees", raw_format="html").text


def test_story_lines_the_new_rules_took_stay() -> None:
    for line in (
        "- USA",
        "— Tak.",
        "— John Smith",
        "UK / Ireland",
        "PSG / Barcelona",
        "| Mon | 99°/78° | Sunny |",
        "Monsoon 29°/19°",
        "More: 40 people died in the crash.",
        "Reproduction of materials that promote extremism is prohibited under the new law.",
        "It was first published at Cambridge in 1687.",
    ):
        assert _kept(line), line
    text = clean_text(
        f"{P1}\n{P2}\nThe author is a former employee of the district, police said.",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert "former employee" in text
    assert not r.is_byline("From Paris With Love", foreign=True)
    assert r.is_byline("From John Smith in Lagos", foreign=True)


def test_variants_the_new_rules_missed() -> None:
    for line in (
        "Перепечатка материалов запрещена.",
        "Any reproduction of the content is prohibited.",
        "Originally published at The Conversation.",
        "Cet article est réservé aux abonnés.",
        "Video Loading...",
        "View all »",
        "Enjoyed this article? Join our newsletter for more.",
        "Staff writer Jo Lee contributed to this report.",
        "Associated Press writer Jo Lee in Paris contributed to this report.",
        "Register Staff Writer",
        "Comments on this article are closed.",
        "Commenting is closed for this article.",
    ):
        assert not _kept(line), line
    text = clean_text(
        f"{P1}\n{P2}\n(The writer is a former diplomat.)", title="Harbour fees", raw_format="html"
    ).text
    assert "former diplomat" not in text


def _dated(tail: str) -> str | None:
    article = Article(source="p.html", raw_format="html")
    article.html = "<html><body><p>x</p></body></html>"
    article.text = "\n".join([P1] * 7) + "\n" + tail
    found: Any = find_date(article)
    return found.day if found else None


def test_a_signature_is_an_office_s_not_an_announcement() -> None:
    assert _dated("Harbour Board of Cobh\n12 March 2019") == "2019-03-12"
    assert _dated("Next council meeting\nMarch 14, 2019") is None
    assert _dated("John Smith, born\n12 March 1932") is None
    assert _dated("Deadline for entries\n30 June 2021") is None


def test_a_headline_after_a_date_is_no_department() -> None:
    assert date_line_values("22 May 2018 | Office hours extended") == []
    assert date_line_values("22 May 2018 | Department store closes") == []
    assert [v[:10] for v, _, _ in date_line_values("Published: 3 May 2019 | Press Office")] == [
        "2019-05-03"
    ]
