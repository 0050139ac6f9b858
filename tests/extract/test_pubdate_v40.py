"""Date stage v40 (from dates_heldout69, 71, 72, scored before, and 74, 75, 77, scored once
against 6f8e4e1): a UTC moment read outside the metadata (an empty "time ago" widget's ``<time
datetime="…Z">``, and the app's state with it) gives way to the metadata's reading of that moment
in the outlet's zone; a press release's announcement day in its label cell; a US release's
dateline with its date in brackets; a sticky post above the page's own; the first publication
under an update banner. Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import date_line_values
from storyline.extract.dates import find_date

BODY = (
    "<p>The harbour board voted on Thursday to raise mooring fees by a tenth from April, the first "
    "increase in six years, after a long debate about the cost of dredging the channel.</p>"
)


def _found(html: str, text: str = "") -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html, article.text = html, text
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def _page(lang: str, stamp: str) -> str:
    return (
        f"<html lang='{lang}'><head><meta property='article:published_time' content='{stamp}'>"
        "</head><body><article><h1>Mooring fees rise</h1><p class='byline'>By Ana Ruiz "
        f"<time class='timeago' datetime='{stamp}'></time></p>{BODY}</article>"
        # the app's state states the same moment: with the widget, two sources against one
        f'<script>window.Fusion={{"first_publish_date": "{stamp}"}};</script></body></html>'
    )


def test_a_utc_widget_gives_way_to_the_outlet_s_day() -> None:
    # 21:30 UTC on the 4th is 08:30 on the 5th in Sydney
    assert _found(_page("en-AU", "2018-11-04T21:30:00.000Z")) == ("2018-11-05", "html-meta")


def test_a_page_without_a_zone_keeps_the_written_day() -> None:
    found = _found(_page("en", "2018-11-04T21:30:00.000Z"))
    assert found is not None and found[0] == "2018-11-04"


def test_a_stamp_with_its_own_offset_is_never_moved() -> None:
    found = _found(_page("en-AU", "2018-11-04T21:30:00+11:00"))
    assert found is not None and found[0] == "2018-11-04"


def test_a_press_release_s_announcement_day_in_its_label_cell() -> None:
    page = (
        "<html lang='ja'><body><article><h1>補助制度を拡充します</h1><table class='notice-meta'>"
        "<tr><th>発表日</th><td>令和4年2月8日（火）</td></tr><tr><th>担当</th><td>広報課</td></tr>"
        f"</table>{BODY}</article></body></html>"
    )
    assert _found(page) == ("2022-02-08", "date-line")


def _days_of(line: str) -> list[str]:
    return [value[:10] for value, _, _ in date_line_values(line)]


def test_a_release_s_dateline_with_its_date_in_brackets() -> None:
    text = (
        "FOR IMMEDIATE RELEASE\nMILL CITY, Ore. (March 3, 2016) — The county's road department "
        "will close the bridge over Gates Creek beginning Monday, March 21, 2016, so it can be "
        "replaced.\nThe bridge should reopen by Friday, May 27, 2016, weather permitting."
    )
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    page = (
        "<html lang='en-US'><body><h1>Creek bridge to close for replacement</h1>"
        f"{paragraphs}<p>Page last updated: 04/11/2016</p></body></html>"
    )
    assert _found(page, text) == ("2016-03-03", "date-line")
    assert _days_of("ON THIS DAY (9 November 1989) - the wall fell") == []


def test_a_sticky_post_above_the_page_s_own() -> None:
    sticky = (
        "<section class='uitgelicht'><article class='post sticky'><h2><a href='https://blog."
        "example/welkom/'>Welkom op mijn blog</a></h2><p class='postdate'>zaterdag 2 mei 2015</p>"
        "<p>Na jaren van meelezen op andermans websites ga ik zelf schrijven over alles wat er in "
        "de polder gebeurt, van verkeer tot natuur.</p></article></section>"
    )
    own = (
        "<article class='post single'><h1>Nieuwe brug over de vaart</h1><p class='postdate'>"
        "woensdag 10 juni 2015</p><p>Sinds vanochtend kunnen fietsers over de nieuwe brug naar "
        "het station rijden, na twee jaar bouwen en een lange omleiding.</p><h2>Kritiek</h2>"
        "<p>Bewoners klagen over de bouwtijd.</p></article>"
    )
    page = (
        "<html lang='nl'><head><link rel='canonical' href='https://blog.example/nieuwe-brug/'>"
        f"</head><body><main>{sticky}{own}</main></body></html>"
    )
    assert _found(page) == ("2015-06-10", "date-line")
    # an old theme heads the page's own post with a link to itself: that post is no card
    kubrick = (
        "<html lang='nl'><head><link rel='canonical' href='https://blog.example/nieuwe-brug/'>"
        "</head><body><h1>Polderblog</h1><article class='post'><h2><a href='https://blog.example/"
        "nieuwe-brug/'>Nieuwe brug over de vaart</a></h2><p class='postdate'>woensdag 10 juni "
        "2015</p><p>Sinds vanochtend kunnen fietsers over de nieuwe brug naar het station rijden, "
        "na twee jaar bouwen en een lange omleiding.</p></article></body></html>"
    )
    assert _found(kubrick) == ("2015-06-10", "date-line")


def test_the_first_publication_under_an_update_banner() -> None:
    assert _days_of(
        "Erstveröffentlichung: 4.2.2019, 07:10 Uhr · Dieser Artikel wurde mehrfach aktualisiert."
    ) == ["2019-02-04"]
    assert _days_of("Zuerst veröffentlicht am 4.2.2019") == ["2019-02-04"]
    assert _days_of("Published March 3, 2019 | This story has been updated.") == ["2019-03-03"]
    page = (
        "<html lang='de'><head><meta property='article:modified_time' "
        "content='2019-02-06T18:40:00+01:00'></head><body><h1>Streik bei der Bahn</h1>"
        "<p class='meta'>Aktualisiert: 06.02.2019, 18:40 Uhr</p>"
        f"{BODY}{BODY}<p class='article-origin meta'>Erstveröffentlichung: 04.02.2019, 07:10 Uhr "
        "· Dieser Artikel wurde mehrfach aktualisiert.</p></body></html>"
    )
    assert _found(page) == ("2019-02-04", "date-line")
