"""Date stage v23: a Q&A page's question signature, a yearless calendar badge settled by the
address's month, weekdays in other languages before numeric dates, a forum post's number after its
date, a blog archive's counts, and htmldate's answer checked against more written forms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storyline.article import Article
from storyline.extract.date_sources import (
    _written,
    badge_day,
    date_line_values,
    html_header_lines,
)
from storyline.extract.date_values import parse_date_value
from storyline.extract.dates import find_date

DATA = Path(__file__).resolve().parents[1] / "data"
QUESTION = (
    "<p>The exhaust fan in our upstairs bathroom hums loudly and barely moves any air, even after "
    "I cleaned the grille and checked the duct for blockages in the attic last weekend.</p>"
)


def _found(html: str, **attrs: Any) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    for key, value in attrs.items():
        setattr(article, key, value)
    found = find_date(article)
    return (found.day, found.source) if found else None


def _signature(word: str, stamp: str, shown: str) -> str:
    return (
        f'<div class="user-action-time">{word} <span title="{stamp}" class="relativetime">'
        f"{shown}</span></div>"
    )


def _qa_page(*signatures: str) -> str:
    return (
        "<html><head><title>Quiet bathroom fan?</title></head><body><div id='question'>"
        f"<h1>Quiet bathroom fan?</h1>{QUESTION}{''.join(signatures)}</div></body></html>"
    )


def test_a_question_s_signature_dates_a_q_and_a_page() -> None:
    page = _qa_page(
        _signature("edited", "2017-06-12 09:41:02Z", "Jun 12 '17 at 09:41"),
        _signature("asked", "2016-05-03 14:05:33Z", "May 3 '16 at 14:05"),
        _signature("answered", "2016-05-04 08:10:00Z", "May 4 '16 at 08:10"),
    )
    assert html_header_lines(page) == ["2016-05-03 14:05:33Z"]
    assert _found(page) == ("2016-05-03", "date-line")


def test_a_list_of_questions_is_no_question_s_page() -> None:
    page = _qa_page(
        _signature("asked", "2016-05-03 14:05:33Z", "May 3 '16 at 14:05"),
        _signature("asked", "2016-05-09 10:00:00Z", "May 9 '16 at 10:00"),
    )
    assert html_header_lines(page) == []
    # the word in a sentence, or without a time in its child, is no signature
    assert html_header_lines(_qa_page("<p>asked <b>twice</b></p>")) == []


def _blog_post(badge: str, url: str) -> str:
    return (
        f'<html><head><title>Porto walk</title><link rel="canonical" href="{url}"></head><body>'
        f"<article><div class='post-date-badge'>{badge}</div><h1>A walk by the river</h1>"
        f"{QUESTION}</article></body></html>"
    )


def test_a_yearless_badge_settles_the_address_s_month() -> None:
    url = "https://porto-blog.example/2015/03/walk-by-the-river/"
    badge = "<span class='day'>12</span><span class='month'>Mar</span>"
    page = _blog_post(badge, url)
    found = badge_day(page, "2015-03")
    assert found is not None and found.value == "2015-03-12"
    assert _found(page, url=url) == ("2015-03-12", "date-line")
    # another month's badge, or two badges (a list of posts), settle nothing
    assert badge_day(page, "2015-04") is None
    two = _blog_post(badge, url).replace("</article>", f"<div>{badge.replace('12', '19')}</div>")
    assert badge_day(two, "2015-03") is None
    assert _found(two, url=url) == ("2015-03", "url")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Freitag, 12.10.2007", "2007-10-12"),
        ("Fr. 12.10.2007 21:47", "2007-10-12"),
        ("jueves 02/04/2020", "2020-04-02"),  # a Thursday: the weekday settles day-first
        ("martes 02/04/2020", "2020-02-04"),  # a Tuesday: month-first
        ("sexta-feira, 03/04/2020", "2020-04-03"),
        ("Пятница, 12.10.2007", "2007-10-12"),
        ("lundi 02/04/2020", None),  # neither reading is a Monday: no guess
        ("so 12 people", None),
    ],
)
def test_weekdays_in_other_languages_before_a_numeric_date(text: str, expected: str) -> None:
    found = parse_date_value(text)
    assert (found[0] if found else None) == expected


def test_a_forum_post_s_number_after_its_date() -> None:
    stamp = "<div class='stamp'>04-30-2006, 07:58 AM &nbsp; #1</div>"
    page = (
        "<html><head><title>Tomatoes</title></head><body><h1>When to plant out?</h1>"
        f"<div class='post'>{stamp}<div class='body'>Hi all, first year trying tomatoes from "
        "seed.</div></div></body></html>"
    )
    assert html_header_lines(page) == ["04-30-2006, 07:58 AM"]


def test_a_blog_archive_s_counts_are_no_date_lines() -> None:
    assert date_line_values("2015 (38)") == []
    assert date_line_values("Mai 2016 (4)") == []
    assert date_line_values("May 2016 (12)") == []  # not 12 May: twelve posts that month
    # a day with a read counter is still the day
    assert date_line_values("12.03.2016 um 10:20:11 (318 Lesungen)")[0][0].startswith("2016-03-12")


def test_written_forms_of_a_day_for_htmldate_s_answer() -> None:
    assert _written("<span>9-03-2021, 11:40</span>", "2021-03-09")  # DataLife Engine
    assert _written("<p>2025. január 1.</p>", "2025-01-01")  # year first, then the month's name
    # an upload folder's month is no day: "2025/01/" does not write 1 January
    assert not _written('<img src="/wp-content/uploads/2025/01/walk.jpg">', "2025-01-01")


def test_the_paper_signing_a_date_line_is_its_byline() -> None:
    """ "Leine-Echo · 14.02.2009": the paper's own name before the date (v24), which the
    migration rule may take over an import date; "Leine" is no "né" (born)."""
    from storyline.extract.date_sources import kicker_led

    assert date_line_values("Leine-Echo · 14.02.2009") == [("2009-02-14", "day", False)]
    assert not kicker_led("Leine-Echo · 14.02.2009")
    assert kicker_led("Rhein-Neckar · 14.02.2009")  # a region's name is still a kicker
    head = (
        '<meta property="article:published_time" content="2018-06-05T10:00:00+02:00">'
        '<link rel="canonical" href="https://www.leine-echo.example/archiv/a-1182233.html">'
    )
    page = (
        f"<html><head><title>Waldwege | Leine-Echo</title>{head}</head><body><article>"
        '<h1>Stadt legt neue Waldwege an</h1><div class="le-byline">Leine-Echo · 14.02.2009</div>'
        f"{QUESTION}</article></body></html>"
    )
    assert _found(page) == ("2009-02-14", "date-line")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 12 March 2009 Section: Research", "2009-03-12"),
        ("Veröffentlicht: 12.03.2009 Kategorie: Lokales", "2009-03-12"),
    ],
)
def test_a_next_field_after_the_date(line: str, expected: str) -> None:
    assert date_line_values(line)[0][0] == expected


def test_a_post_card_holding_the_headline_is_the_article() -> None:
    """A social app's post page: the post's own card holds the page's <h1> and its time, shown
    only as "2 days ago" with the moment in a ``data-epoch`` attribute."""
    card = (
        '<div class="post-card"><div class="post-byline"><span class="relative-time" '
        'data-epoch="1649876700">2 days ago</span></div><h1>Lost dog near the park</h1>'
        f"{QUESTION}</div>"
    )
    page = f"<html><head><title>Lost dog</title></head><body><main>{card}</main></body></html>"
    assert _found(page) == ("2022-04-13", "date-line")
    other = card.replace("<h1>Lost dog near the park</h1>", "<h2>Another post</h2>")
    page = (
        "<html><head><title>Feed</title></head><body><main><h1>Feed</h1>"
        f"{other}</main></body></html>"
    )
    assert _found(page) is None  # a card without the headline is another post's


def test_a_date_header_without_a_year_settles_the_address_s_month() -> None:
    url = "https://nightbus.example/archives/2005/11/last-bus-home.html"
    page = (
        f'<html><head><title>Last bus</title><link rel="canonical" href="{url}"></head><body>'
        '<h2 class="date-header">Thursday the 17th of November</h2><h3>The last bus home</h3>'
        f"{QUESTION}</body></html>"
    )
    assert _found(page, url=url) == ("2005-11-17", "date-line")


def test_a_staff_page_s_latest_stories_do_not_date_it() -> None:
    """A newsroom's staff page (dates_heldout34): each reporter's "Latest:" story and its date in
    a ``p.latest``, another story's date, not the page's."""
    page = DATA / "dates_heldout34" / "en_cardiff_newspaper-staff-directory.html"
    assert _found(page.read_text(encoding="utf-8")) is None


def test_a_german_deadline_or_date_of_an_event_is_still_a_kicker_s_role() -> None:
    """Role words end German compounds ("Bewerbungsfrist", "Spieltermin"): such a date line
    names another date than the page's."""
    assert date_line_values("Bewerbungsfrist · 14.02.2009") == []
    assert date_line_values("Spieltermin · 14.02.2009") == []
