"""Date stage v11: labels without classes, year-first numbers, a leading date sentence, comment
threads, link bars, data layers, event pages, migrated metadata and the outlet's own day."""

from __future__ import annotations

from typing import Any

import pytest

from storyline.article import Article
from storyline.extract.date_sources import (
    date_line_dates,
    date_line_values,
    html_header_lines,
    html_meta_date,
    html_script_date,
)
from storyline.extract.dates import find_date

PARAS = "".join(
    f"<p>{text}</p>"
    for text in (
        "The ferry company told passengers on the quay that the winter timetable would start "
        "a week early because two of its boats need new engines before the storms.",
        "Commuters who cross every morning said the change leaves them with one sailing before "
        "eight o'clock, which is too late for the first shift at the hospital.",
    )
)


def _page(head: str = "", top: str = "", tail: str = "", lang: str = "") -> str:
    attr = f' lang="{lang}"' if lang else ""
    return (
        f"<html{attr}><head><title>Ferry timetable</title>{head}</head><body><article>"
        f"<h1>Ferry timetable</h1>{top}{PARAS}{tail}</article></body></html>"
    )


def _found(html: str, **attrs: Any) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    for key, value in attrs.items():
        setattr(article, key, value)
    found = find_date(article)
    return (found.day, found.source) if found else None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Birt: 3. des. 2010 kl. 14:22", "2010-12-03"),
        ("Objavljeno: 14.05.2021.", "2021-05-14"),
        ("Опубликовано: 12 марта 2019", "2019-03-12"),
        ("입력 2021.07.08.", "2021-07-08"),
        ("Közzétéve: 2021. 05. 04.", "2021-05-04"),
        ("2021/07/08", "2021-07-08"),
        ("2021.13.08", None),  # no thirteenth month: not a date at all
    ],
)
def test_labels_and_year_first_numbers(line: str, expected: str | None) -> None:
    values = date_line_values(line)
    assert (values[0][0][:10] if values else None) == expected


def test_updated_labels_in_more_languages() -> None:
    values = date_line_values("Birt: 3. des. 2010 | Uppfært: 4. des. 2010")
    assert [(v[0], v[2]) for v in values] == [("2010-12-03", False), ("2010-12-04", True)]


def test_an_unmarked_header_element_that_opens_with_a_label() -> None:
    top = '<ul><li><i class="icon-clock-o"></i> 입력 2021.07.08. 오전 6:31</li></ul>'
    assert html_header_lines(_page(top=top)) == ["입력 2021.07.08. 오전 6:31"]
    top = '<div class="dagsetning">Birt: 3. des. 2010 kl. 14:22</div>'
    assert _found(_page(top=top)) == ("2010-12-03", "date-line")
    # a label with no date after it is no date line
    assert html_header_lines(_page(top="<div>Published by the ferry desk</div>")) == []


def test_a_first_sentence_that_is_only_a_date() -> None:
    text = "Dydd Sadwrn, 16 Hydref 2004. Roedd y neuadd yn llawn erbyn deg o'r gloch.\n\nMwy."
    published, _ = date_line_dates(text, [])
    assert published is not None and published.day == "2004-10-16"
    for text in [
        "Sales rose 5% in 2004. The company said so.",  # a sentence that ends with a year
        "The council met. Dydd Sadwrn, 16 Hydref 2004. More.",  # not the first sentence
    ]:
        assert date_line_dates(text, [])[0] is None, text


def test_comment_times_and_link_bars_are_not_the_entry_date() -> None:
    nav = (
        '<p class="content-nav"><a href="/a">« Varsity Cup final: a preview nobody asked for</a>'
        ' | <a href="/">Main</a> | <a href="/b">U19 trials at Bishops: names to remember »</a></p>'
    )
    comments = (
        '<div class="comments"><div class="comment-header"><abbr class="published" '
        'title="2011-04-11T07:48:13+02:00">April 11, 2011 7:48 AM</abbr></div></div>'
    )
    page = _page(top=nav + '<h2 class="date-header">April 10, 2011</h2>', tail=comments)
    assert html_header_lines(page)[0] == "April 10, 2011"
    assert _found(page) == ("2011-04-10", "date-line")
    # without the date header the comments' times date nothing
    assert all("2011-04-11" not in line for line in html_header_lines(_page(tail=comments)))


def test_data_layer_keys_and_compact_days() -> None:
    page = "<script>var utag_data = {'page_publish_date' : '20130917'};</script>"
    found = html_script_date(page)
    assert found is not None and found.day == "2013-09-17"
    assert html_script_date("<script>var d = {'page_views' : '20130917'};</script>") is None


def test_an_event_page_is_not_dated_by_its_show() -> None:
    event = (
        '<script type="application/ld+json">{"@context":"https://schema.org",'
        '"@type":"TheaterEvent","name":"Show","startDate":"2023-10-12T19:00:00+02:00",'
        '"endDate":"2023-10-21T21:15:00+02:00"}</script>'
    )
    assert html_meta_date(_page(head=event)) is None
    article = event.replace("TheaterEvent", "NewsArticle").replace("startDate", "datePublished")
    found = html_meta_date(_page(head=article))
    assert found is not None and found.day == "2023-10-12"


def test_a_printed_day_before_the_metadata_wins() -> None:
    head = '<meta property="article:published_time" content="2019-01-14T09:00:00+01:00">'
    top = '<div class="datum">Freitag, 12. Jänner 2007, 16:45</div>'
    assert _found(_page(head=head, top=top)) == ("2007-01-12", "date-line")
    # a printed day after the metadata's is an update or another day: the metadata stays
    top = '<div class="datum">Montag, 21. Jänner 2019</div>'
    assert _found(_page(head=head, top=top)) == ("2019-01-14", "html-meta")


def test_utc_metadata_is_read_in_the_outlets_zone() -> None:
    head = (
        '<meta property="og:locale" content="es_MX">'
        '<meta property="article:published_time" content="2016-11-23T03:40:00Z">'
    )
    found = html_meta_date(_page(head=head))
    assert found is not None and found.day == "2016-11-22" and found.utc
    assert "America/Mexico_City" in found.evidence
    head = '<meta property="article:published_time" content="2021-07-07T21:31:00Z">'
    assert html_meta_date(_page(head=head, lang="ko")).day == "2021-07-08"  # type: ignore[union-attr]
    # a language written in many zones, or none named: the UTC day as written
    assert html_meta_date(_page(head=head, lang="en")).day == "2021-07-07"  # type: ignore[union-attr]
    assert html_meta_date(_page(head=head)).day == "2021-07-07"  # type: ignore[union-attr]
    # a time with the outlet's own offset is never moved
    head = '<meta property="article:published_time" content="2021-07-07T21:31:00-05:00">'
    assert html_meta_date(_page(head=head, lang="ko")).day == "2021-07-07"  # type: ignore[union-attr]


# ---------------------------------------------------------------- date stage v12


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Xoves, 3 de xuño de 2004", "2004-06-03"),  # Galician
        ("12 IV 2011 r., godz. 13:05", "2011-04-12"),  # Polish: Roman month, "r." and "godz."
        ("12 марта 2019 г.", "2019-03-12"),
        ("الأحد، ١١ رمضان ١٤٣٦ هـ - ٢٨ يونيو ٢٠١٥ م", "2015-06-28"),  # the Hijri date first
        ("Publié le mardi 18 février 2025 à 11:20", "2025-02-18"),
    ],
)
def test_more_date_lines(line: str, expected: str) -> None:
    values = date_line_values(line)
    assert values and values[0][0][:10] == expected


def test_a_label_line_may_open_with_a_weekday_and_stop_before_other_text() -> None:
    top = (
        '<div class="post-box-meta-single"><span class="byline">par Awa Ndiaye</span>'
        "<span>Publié le mardi 18 février 2025 à 11:20</span><span>3 min de lecture</span></div>"
    )
    assert _found(_page(top=top)) == ("2025-02-18", "date-line")
    forum = (
        '<table><tr><td><span class="postdetails">Posted: Sat Jun 11, 2005 8:12 pm'
        "<span> </span> Post subject: Sydney Rd at Brunswick</span></td></tr></table>"
    )
    assert html_header_lines(_page(top=forum)) == ["Posted: Sat Jun 11, 2005 8:12 pm"]


def test_an_unmarked_element_that_is_only_a_date_comes_after_marked_ones() -> None:
    top = '<font size="2"><i>Lunedì 18 novembre 2002</i></font>'
    assert _found(_page(top=top)) == ("2002-11-18", "date-line")
    marked = top + '<span class="date">19 novembre 2002</span>'
    assert html_header_lines(_page(top=marked)) == ["19 novembre 2002", "Lunedì 18 novembre 2002"]
    # a date in a sentence, or in another story's link, is not one
    assert html_header_lines(_page(top="<div>Opening on 18 November 2002 at noon</div>")) == []
    link = '<ul><li><a href="/x">Lunedì 18 novembre 2002</a></li></ul>'
    assert html_header_lines(_page(top=link)) == []


def test_a_related_cards_published_time_dates_that_story() -> None:
    related = (
        '<div class="item-related"><h3><a href="/other">Floods</a></h3><span class="date">'
        '<time class="entry-date published" datetime="2024-06-27T09:02:00+00:00">27 juin 2024'
        "</time></span></div>"
    )
    assert html_header_lines(_page(top=related)) == []
    # a theme's sticky-sidebar wrapper or Drupal's promoted node is the article itself
    own = (
        '<div class="theiaStickySidebar node--promoted"><span class="date">3 May 2021</span></div>'
    )
    assert html_header_lines(_page(top=own)) == ["3 May 2021"]


def test_a_latest_news_strip_above_the_article_dates_its_own_headlines() -> None:
    strip = (
        '<section class="rc-latest-strip"><h2>LATEST NEWS</h2><ul><li><a href="/news/1">'
        '<span class="strip-time">Oct 24, 2019</span> Traders protest new parking fees</a></li>'
        "</ul></section>"
    )
    byline = '<div class="byline">By Wanjiru Kamau | <time>Monday, October 21, 2019</time></div>'
    assert _found(_page(top=strip + byline)) == ("2019-10-21", "date-line")
    # an article marked as its site's latest post is still the article
    own = '<div class="post latest-post"><span class="date">3 May 2021</span></div>'
    assert html_header_lines(_page(top=own)) == ["3 May 2021"]


def test_a_sidebar_of_coming_events_does_not_date_the_article() -> None:
    events = (
        '<div class="moduletable"><h3>Termine</h3><table class="termine"><tr>'
        '<td class="termin-datum">27.03.2010</td><td>Arbeitseinsatz Sportplatz</td></tr></table>'
        "</div>"
    )
    created = '<div class="createdate">Montag, 22. März 2010 um 19:05 Uhr</div>'
    assert _found(_page(top=events + created)) == ("2010-03-22", "date-line")


def test_a_release_signed_with_its_place_and_day_under_the_text() -> None:
    signed = '<p class="assinatura">Gabinete de Comunicação<br>Porto, 12 de outubro de 2017</p>'
    text = "O ferry parte às oito.\n\nGabinete de Comunicação\nPorto, 12 de outubro de 2017"
    assert _found(_page(tail=signed, lang="pt"), text=text) == ("2017-10-12", "date-line")
    # a sentence that names a place and a day is no sign-off
    told = "The ferry will stop at Porto, as it did on 12 October 2017, for one night."
    other = f"The ferry leaves at eight.\n\n{told}"
    found = _found(_page(tail=f"<p>{told}</p>"), text=other)
    assert found is None or found[1] == "htmldate"  # only the fallback's guess, not a date line


def test_a_note_that_opens_with_first_published_beats_the_migration_metadata() -> None:
    head = '<meta property="article:published_time" content="2020-06-02T10:00:00+01:00">'
    note = (
        "<p><em>First published 17 September 2014, in issue 31 of the printed journal. This "
        "article was moved to our new website in 2020.</em></p>"
    )
    assert _found(_page(head=head, tail=note)) == ("2014-09-17", "date-line")


def test_a_plain_date_in_the_mastheads_today_box_is_still_the_day_served() -> None:
    assert html_header_lines(_page(top='<div id="today">5 December 2026</div>')) == []
    top = '<div class="todays-date"><span>Saturday, 5 December 2026</span></div>'
    assert html_header_lines(_page(top=top)) == []


# ---------------------------------------------------------------- review mends


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("terça-feira, 5 de outubro de 2021 10:15", "2021-10-05"),  # Portuguese, not Galician
        ("Segunda-feira, 8 de maio de 2023", "2023-05-08"),
        ("Birtist: 3. des. 2010", "2010-12-03"),
        ("Diterbitkan pada 12 Mei 2021", "2021-05-12"),
        ("الأحد ٢٨ يونيو ٢٠١٥ ١٠:١٥ م", "2015-06-28T22:15:00"),  # "م" after a time is PM
    ],
)
def test_review_date_lines(line: str, expected: str) -> None:
    values = date_line_values(line)
    assert values and values[0][0][: len(expected)] == expected


def test_review_weak_lines_never_overrule_the_metadata() -> None:
    head = '<meta property="article:published_time" content="2024-03-12T10:00:00+01:00">'
    sidebar = '<aside class="sidebar"><span class="date">9 March 2024</span></aside>'
    assert _found(_page(head=head, top=sidebar)) == ("2024-03-12", "html-meta")
    anniversary = "Friday, 11 March 2004. That was the day the trains stopped.\n\nMore text."
    assert _found(_page(head=head), text=anniversary) == ("2024-03-12", "html-meta")
    # WordPress's default locale says nothing about where the outlet is
    utc = '<meta property="article:published_time" content="2024-03-12T01:30:00+00:00">'
    assert html_meta_date(_page(head=utc, lang="en-US")).day == "2024-03-12"  # type: ignore[union-attr]


def test_review_whole_class_words_and_data_layer_keys() -> None:
    own = (
        '<article class="post category-popular-culture tag-related-news">'
        '<time class="entry-date published" datetime="2021-03-04">4 March 2021</time></article>'
    )
    assert "2021-03-04" in html_header_lines(_page(top=own))
    foot = (
        '<div class="container-responsive"><time itemprop="datePublished" '
        'datetime="2021-03-04">4 March 2021</time></div>'
    )
    assert "2021-03-04" in html_header_lines(_page(tail=foot))
    layer = (
        "<script>var d = {'page_last_published_date': '2024-03-12', "
        "'page_first_published_date': '2019-01-05'};</script>"
    )
    found = html_script_date(layer)
    assert found is not None and found.day == "2019-01-05"


def test_review_a_utc_stamp_of_another_field_does_not_move_an_offset_day() -> None:
    head = (
        '<meta property="og:locale" content="de_DE">'
        '<script type="application/ld+json">{"@context":"https://schema.org",'
        '"@type":"NewsArticle","datePublished":"2024-03-12T00:30:00+01:00",'
        '"image":{"@type":"ImageObject","uploadDate":"2024-03-12T23:30:00Z"}}</script>'
    )
    found = html_meta_date(_page(head=head))
    assert found is not None and found.day == "2024-03-12"


# ---------------------------------------------------------------- date stage v13


def test_a_line_break_parts_a_byline_from_its_date() -> None:
    """``<br>`` is a line break: the byline's name no longer runs into the label after it
    ("BenassiPubblicato il ..."), and each line is read on its own."""
    top = (
        '<div class="meta">di <strong>Giulia Benassi</strong><br>Pubblicato il 3 febbraio '
        "2025 · Aggiornato il 18 febbraio 2025, 12:34</div>"
    )
    head = '<meta property="article:modified_time" content="2025-02-18T12:34:10+01:00">'
    assert _found(_page(head=head, top=top)) == ("2025-02-03", "date-line")
    lines = html_header_lines(_page(top=top))
    assert "di Giulia Benassi" in lines
    assert "Pubblicato il 3 febbraio 2025 · Aggiornato il 18 febbraio 2025, 12:34" in lines
    # a line without a break is read whole, as before
    whole = html_header_lines(_page(top='<div class="meta">Pubblicato il 3 febbraio 2025</div>'))
    assert whole == ["Pubblicato il 3 febbraio 2025"]
