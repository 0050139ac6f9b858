"""A sixth review (of extract v20, cleaning v29 and date stage v38, on the reviewer's own
examples): story sentences the new rules took, variants they missed, two quadratic passes and
the Croatian and six-digit address readings. Examples are the reviewer's kind, written here."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract import rules as r
from storyline.extract.clean import clean_text
from storyline.extract.date_sources import date_line_values, url_short_day
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
    text = clean_text(f"{P1}\n{line}\n{P2}", title="Harbour fees", raw_format="html").text
    return line in text


def test_story_sentences_the_new_rules_took_stay() -> None:
    for line in (
        "This project is funded by a $40m grant from the World Bank and will build 300 "
        "classrooms across the northern provinces by 2026, officials said.",
        "Inside Telegram: how a messaging app became a battlefield for both armies.",
        "Banning WhatsApp: the government says the app spreads rumours.",
        "The President is on Telegram. Follow him, the spokesman urged.",
        "Written by Shakespeare in 1599, the play was staged again on Friday.",
        "Written by Tolstoy, the novel runs to more than 1,200 pages.",
        "The novel was originally published at a time when few readers cared about the war.",
        "It was first published at Cambridge in 1687.",
        "Like what you see? Join the club, the coach told the new recruits at the first training.",
        "Reproduction of articles was prohibited under the 1938 decree, the historian said.",
        "Перепечатка статей запрещена законом, заявил министр.",
        "Spotted an error? Residents did: the new road signs misspelled the town's name.",
    ):
        assert _kept(line), line


def test_a_newsletter_prompt_does_not_take_the_story_s_sentences() -> None:
    text = clean_text(
        f"{P1}\nSign up for our newsletter\nThe market is held every Saturday.\nVolunteers meet "
        f"every Monday morning.\n{P2}",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert "every Saturday" in text and "every Monday morning" in text


def test_variants_the_new_rules_missed() -> None:
    for line in (
        "Comments are now closed.",
        "Comments are closed for this article.",
        "Spot an error? Let us know at corrections@harbour.example",
        "See something wrong? Let us know.",
        "We're on Telegram! Follow us for daily updates.",
        "The Herald is also on Telegram. Follow us.",
        "Did you enjoy this article? Subscribe now.",
    ):
        assert not _kept(line), line
    assert r.is_byline("Par la rédaction", foreign=True)
    assert r.is_byline("Von der Redaktion", foreign=True)
    text = clean_text(
        f"{P1}\n{P2}\nJane Roe is a former U.S. diplomat. She writes the Health Matters column.",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert "Health Matters" not in text
    text = clean_text(
        f"{P1}\n{P2}\nMr Doyle was a teacher in Sligo for 30 years before he turned to politics. "
        "He writes a weekly column for the parish newsletter.",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert "Mr Doyle" in text  # the story's subject, not the author's bio


def test_a_caption_less_post_s_attribution_takes_no_story_paragraph() -> None:
    text = clean_text(
        f"{P1}\n{P2}\nA post shared by Quay Watch (@quaywatch) on Oct 19, 2019 at 2:11pm PDT",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert P2 in text and "Quay Watch" not in text


def test_a_kicker_with_a_year_over_the_headline_is_no_date_line() -> None:
    result = clean_text(f"World Cup: Qatar 2022\nFans head home\n{P1}", title="Fans head home")
    assert not any(item.reason == "date_line" for item in result.removed)


def test_croatian_lines_keep_their_time_and_words() -> None:
    page = (
        "<html lang='hr'><body><h1>Sezona</h1><p class='author'>od ivan » Ned Ruj 27, 2009 "
        "8:12 pm</p><p>Pozdrav svima, planiram uspon na Biokovo u subotu, zna li netko kakva je "
        "staza nakon kiše i je li put otvoren?</p></body></html>"
    )
    article = Article(source="p.html", raw_format="html")
    article.html = page
    found: Any = find_date(article)
    assert found.value.startswith("2009-09-27T20:12") and "Ruj" in found.evidence


def test_php_nuke_lines_with_a_full_name() -> None:
    assert [v[:10] for v, _, _ in date_line_values("Lähettänyt Matti Meikäläinen 15.1.2010")] == [
        "2010-01-15"
    ]
    assert [v[:10] for v, _, _ in date_line_values("Napsal Jan Novák, 3.4.2008")] == ["2008-04-03"]


def test_six_digit_addresses_only_of_their_era_and_not_before_the_text() -> None:
    assert url_short_day("http://x.example/story/871203.html") is None  # 2087
    assert url_short_day("http://x.example/nieuws/060307.HTM") is not None
    article = Article(source="p.html", raw_format="html")
    article.html = "<html><body><p>x</p></body></html>"
    article.url = "http://x.example/news/100512.html"
    article.text = "The council met in March 2019 to plan the 2020 election."
    assert find_date(article) is None
