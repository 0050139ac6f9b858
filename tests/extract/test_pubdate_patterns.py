"""Publication dates of HTML pages: one test per failure pattern of issue 11.

The pages are small and written for these tests (fictional outlets); each pattern is checked on
the unit that handles it and, where the choice between sources matters, through `find_date`.
"""

from __future__ import annotations

from typing import Any

import pytest

from storyline.article import Article, Removed
from storyline.extract.date_sources import (
    DateFinding,
    date_line_dates,
    html_header_lines,
    html_meta_date,
    html_script_date,
    htmldate_date,
    url_date,
)
from storyline.extract.dates import DateStage, choose_date, find_date

PARAS = "".join(
    f"<p>{text}</p>"
    for text in (
        "The ferry company told passengers on the quay that the winter timetable would start "
        "a week early because two of its boats need new engines before the storms.",
        "Commuters who cross every morning said the change leaves them with one sailing before "
        "eight o'clock, which is too late for the first shift at the hospital.",
    )
)


def _page(head: str = "", top: str = "", tail: str = "", canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<html><head><title>Ferry timetable</title>{link}{head}</head><body><article>"
        f"<h1>Ferry timetable</h1>{top}{PARAS}{tail}</article></body></html>"
    )


def _article(html: str, url: str | None = None, **attrs: Any) -> Article:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    article.url = url
    for key, value in attrs.items():
        setattr(article, key, value)
    return article


def _found(article: Article) -> tuple[str, str] | None:
    found = find_date(article)
    return (found.day, found.source) if found else None


# ---------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://v.example/2017/7/12/night-buses", ("2017-07-12", "day")),
        ("https://v.example/reden/2003/03/20030331_Rede2.html", ("2003-03-31", "day")),
        ("https://v.example/news/item-20210818.html", ("2021-08-18", "day")),
        ("https://v.example/2018/05/allotments/", ("2018-05", "month")),
        # Issue numbers, not months: a year and month joined by "-" or "_" without a day.
        ("https://v.example/ausgaben/2019-4/stadtarchiv.html", None),
        ("https://v.example/heft/2020_11/leitartikel", None),
        # A compact day of another month than the directory's is not this page's day.
        ("https://v.example/2003/03/20030431_x.html", ("2003-03", "month")),
        ("https://v.example/2003/03/20030415_x.html", ("2003-03", "month")),
        ("https://v.example/a/123456789012/x", None),
    ],
)
def test_url_dates(url: str, expected: tuple[str, str] | None) -> None:
    found = url_date(url)
    assert ((found.value, found.precision) if found else None) == expected


def test_url_day_beats_a_later_metadata_date() -> None:
    page = _page(
        head='<meta name="date" content="2019-02-01">',
        canonical="https://v.example/2017/7/12/night-buses",
    )
    article = _article(page, url="https://v.example/2017/7/12/night-buses")
    assert _found(article) == ("2017-07-12", "url")


def test_month_only_url_gives_way_to_a_day_in_the_page() -> None:
    page = _page(top='<div class="entry-meta">Posted on August 30, 2016 by coastwatch</div>')
    article = _article(page, url="https://c.example/2016/08/lifeguards.html")
    found = find_date(article)
    assert found is not None and (found.value, found.source) == ("2016-08-30", "date-line")


def test_month_only_url_alone_keeps_its_month() -> None:
    article = _article(_page(), url="https://c.example/2016/08/lifeguards.html")
    found = find_date(article)
    assert found is not None and (found.value, found.precision) == ("2016-08", "month")


# ---------------------------------------------------------------- time zones


def test_utc_metadata_gives_way_to_the_local_date_line() -> None:
    page = _page(
        head='<meta property="article:published_time" content="2020-03-04T23:40:00Z">',
        top='<div class="meta"><span class="published">5 March 2020, 00:40</span></div>',
    )
    meta = html_meta_date(page)
    assert meta is not None and meta.utc and meta.day == "2020-03-04"
    assert _found(_article(page)) == ("2020-03-05", "date-line")


def test_utc_metadata_kept_when_the_date_line_is_further_away() -> None:
    # Two days apart is not a time zone: the metadata keeps its precedence.
    page = _page(
        head='<meta property="article:published_time" content="2020-03-04T23:40:00Z">',
        top='<div class="meta"><span class="published">6 March 2020</span></div>',
    )
    assert _found(_article(page)) == ("2020-03-04", "html-meta")


def test_offset_times_keep_their_written_day() -> None:
    page = _page(
        head='<meta property="article:published_time" content="2020-06-10T22:15:00-04:00">'
    )
    meta = html_meta_date(page)
    assert meta is not None and (meta.day, meta.utc) == ("2020-06-10", False)
    assert _found(_article(page)) == ("2020-06-10", "html-meta")


def test_time_element_local_text_before_its_utc_attribute() -> None:
    top = '<div><time datetime="2021-11-30T23:05:00Z">1 December 2021</time></div>'
    assert html_header_lines(_page(top=top))[:2] == ["1 December 2021", "2021-11-30T23:05:00Z"]
    # Same day in both: the attribute (more precise) first, as before.
    top = '<div><time datetime="2021-12-01T10:05:00Z">1 December 2021</time></div>'
    assert html_header_lines(_page(top=top))[:2] == ["2021-12-01T10:05:00Z", "1 December 2021"]


def test_choose_date_local_day_rule() -> None:
    meta = DateFinding("2020-03-04", "day", "html-meta", utc=True)
    line = DateFinding("2020-03-05", "day", "date-line")
    assert choose_date([meta, line]) == line
    local_meta = DateFinding("2020-03-04", "day", "html-meta")
    assert choose_date([local_meta, line]) == local_meta


# ---------------------------------------------------------------- agreement of sources


def test_date_line_and_script_agreeing_beat_the_metadata() -> None:
    page = _page(
        head='<meta property="article:published_time" content="2020-10-07T12:00:00+02:00">'
        '<script>window.pageData = {"publishDate":"2020-10-28T06:30:00+01:00"};</script>',
        top='<div class="article-date">Published 28 October 2020</div>',
    )
    found = find_date(_article(page))
    assert found is not None and found.day == "2020-10-28"
    assert found.source in {"date-line", "html-script"}


def test_one_disagreeing_source_does_not_overrule_the_metadata() -> None:
    page = _page(
        head='<meta property="article:published_time" content="2020-10-07T12:00:00+02:00">',
        top='<div class="article-date">Published 28 October 2020</div>',
    )
    assert _found(_article(page)) == ("2020-10-07", "html-meta")


def test_record_dates_are_never_overruled() -> None:
    record = DateFinding("2020-01-01", "day", "record")
    url = DateFinding("2020-02-02", "day", "url")
    line = DateFinding("2020-02-02", "day", "date-line")
    assert choose_date([record, url, line]) == record


# ---------------------------------------------------------------- <time> elements and scripts


def test_time_element_marked_published_after_the_body() -> None:
    tail = (
        '<footer>Published <time datetime="2021-02-14T08:00:00+01:00" '
        'itemprop="datePublished">14 Feb</time></footer>'
    )
    assert "2021-02-14T08:00:00+01:00" in html_header_lines(_page(tail=tail))
    assert _found(_article(_page(tail=tail))) == ("2021-02-14", "date-line")


def test_unmarked_dates_after_the_body_are_not_read() -> None:
    tail = '<ul class="list"><li><span class="date">3 January 2016</span></li></ul>'
    assert html_header_lines(_page(tail=tail)) == []


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (
            'window.__STATE__ = {"article":{"publishedAt":"2022-08-09T10:00:00+02:00"}};',
            "2022-08-09",
        ),
        ("var meta = {publishDate: '2019-04-02', section: 'city'};", "2019-04-02"),
        ('dataLayer.push({"pageType":"article","datePublished":"2018-12-24"});', "2018-12-24"),
        ('var x = {"modifiedAt":"2022-08-09T10:00:00+02:00"};', None),  # not a publication
        ('var x = {"publishedAt":"yesterday"};', None),
        # a Unix time, in milliseconds or seconds: the UTC moment's day
        ('window.__INITIAL_STATE__={"article":{"firstPublished":1511638800000}};', "2017-11-25"),
        ('var page = {"publishedAt": 1505974500, "words": 412};', "2017-09-21"),
        ('var x = {"publishedAt": 15116388000001};', None),  # fourteen digits: no time
        ('var x = {"modifiedAt": 1511638800000};', None),
    ],
)
def test_script_dates(script: str, expected: str | None) -> None:
    found = html_script_date(_page(head=f"<script>{script}</script>"))
    assert (found.day if found else None) == expected
    if found:
        assert found.source == "html-script" and found.evidence.startswith("script ")


def test_json_ld_scripts_are_left_to_the_metadata_reader() -> None:
    head = '<script type="application/ld+json">{"datePublished":"2022-01-19"}</script>'
    assert html_script_date(_page(head=head)) is None


# ---------------------------------------------------------------- date lines in other languages


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("vrijdag 9 oktober 2020", "2020-10-09"),
        ("Gepubliceerd op 9 oktober 2020 om 14:05", "2020-10-09"),
        ("jueves 2 de abril de 2020", "2020-04-02"),
        ("Publicado el 2 de abril de 2020", "2020-04-02"),
        ("Publicado em 12 de maio de 2021", "2021-05-12"),
        ("Publié le 3 mars 2021 à 10h15", "2021-03-03"),
        ("Veröffentlicht am 3. März 2021, 10:15 Uhr", "2021-03-03"),
        ("Pubblicato il 5 maggio 2021", "2021-05-05"),
        ("Datum der Tagung ist noch offen", None),  # a sentence, not a date line
    ],
)
def test_date_lines_in_other_languages(line: str, expected: str | None) -> None:
    published, _ = date_line_dates(line, [])
    assert (published.day if published else None) == expected


def test_update_labels_in_other_languages() -> None:
    published, updated = date_line_dates(
        "Aktualisiert am 4. März 2021\nMis à jour le 5 mars 2021", []
    )
    assert published is None
    assert updated is not None and updated.day == "2021-03-04"


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ('<div class="datum">vrijdag 9 oktober 2020</div>', "2020-10-09"),
        ('<span class="fecha">jueves 2 de abril de 2020</span>', "2020-04-02"),
        ('<div class="data-publicacao">12 de maio de 2021</div>', "2021-05-12"),
    ],
)
def test_date_classes_in_other_languages(top: str, expected: str) -> None:
    assert _found(_article(_page(top=top))) == (expected, "date-line")


# ---------------------------------------------------------------- htmldate as the last source


def test_htmldate_dates_a_page_no_other_source_dates() -> None:
    page = _page(top='<p class="small">Filed 2018-11-23 by the newsroom</p>')
    found = htmldate_date(page)
    assert found is not None and (found.day, found.source) == ("2018-11-23", "htmldate")
    assert _found(_article(page)) == ("2018-11-23", "htmldate")


def test_htmldate_is_not_asked_when_a_source_gives_the_day() -> None:
    page = _page(
        head='<meta property="article:published_time" content="2021-05-11T09:20:00+01:00">',
        top='<p class="small">Filed 2018-11-23 by the newsroom</p>',
    )
    assert _found(_article(page)) == ("2021-05-11", "html-meta")


def test_htmldate_ignores_sidebars_of_other_articles() -> None:
    aside = (
        '<aside class="related"><ul><li><a href="/x">Bridge works resume</a> '
        '<span class="date">3 January 2016</span></li></ul></aside>'
    )
    html = _page().replace("</body>", aside + "</body>")
    assert htmldate_date(html) is None
    footer = "<div><p>This report appeared on 6 April 2017 in the print edition.</p></div>"
    html = _page(tail=footer).replace("</body>", aside + "</body>")
    found = htmldate_date(html)
    assert found is not None and found.day == "2017-04-06"


def test_htmldate_day_the_page_never_writes_is_refused() -> None:
    # htmldate turns a bare year into 1 January; the page never says "1 January".
    page = _page(top='<p class="copyright">Copyright 2021 Harbour Light</p>')
    assert htmldate_date(page) is None


def test_htmldate_day_written_without_zeros_or_with_a_two_digit_year_is_kept() -> None:
    found = htmldate_date(_page(top='<p class="meta">Publicado el 12/4/2008 10:05:00</p>'))
    assert found is not None and found.day == "2008-04-12"
    found = htmldate_date(_page(top="<p>Ippubblikat il-Ħamis, 07/08/03 - 10:45</p>"))
    assert found is not None and found.day == "2003-08-07"
    found = htmldate_date(_page(top='<p class="meta">Veröffentlicht 07.08.03 - 10:45</p>'))
    assert found is not None and found.day == "2003-08-07"


def test_stage_records_htmldate_provenance() -> None:
    article = _article(_page(top='<p class="small">Filed 2018-11-23 by the newsroom</p>'))
    article.text = "Ferry timetable\n" + "The ferry company told passengers ..."
    DateStage().process(article)
    assert (article.published, article.date_source) == ("2018-11-23", "htmldate")
    assert article.provenance["published"] == "htmldate"


def test_htmldate_keeps_a_layout_wrapper_named_after_its_sidebar() -> None:
    # "layout-with-sidebar" holds the whole page: it is the page, not a sidebar.
    html = _page(top='<p class="small">Filed 2018-11-23 by the newsroom</p>')
    html = html.replace("<article>", '<div class="layout-with-sidebar"><article>')
    html = html.replace("</article>", "</article></div>")
    found = htmldate_date(html)
    assert found is not None and found.day == "2018-11-23"


def test_htmldate_reads_no_schedule_table_but_keeps_a_dated_article_in_a_layout_table() -> None:
    rows = "".join(
        f"<tr><td>Sunday, {d}.12.2021</td><td>10:00</td><td>Service</td></tr>" for d in (5, 12, 19)
    )
    schedule = f"<table><tr><th>Day</th><th>Time</th><th>What</th></tr>{rows}</table>"
    assert htmldate_date(_page(tail=schedule)) is None
    # two dated rows are a table's content, not yet a schedule
    two = schedule.replace(rows, rows.split("</tr>", 1)[1])
    assert htmldate_date(_page(tail=two)) is not None
    # an old page laid out in one table: its rows are the page, its date line is the article's
    layout = (
        "<html><head><title>Ferry timetable</title></head><body><table>"
        "<tr><td>Harbour Light</td></tr><tr><td>Filed 2018-11-23 by the newsroom</td></tr>"
        f"<tr><td>{PARAS}</td></tr><tr><td>Newer: ferry fares 2018-12-02</td></tr>"
        "<tr><td>Newer: new pier 2018-12-14</td></tr></table></body></html>"
    )
    found = htmldate_date(layout)
    assert found is not None and found.day == "2018-11-23"
    # a script's text is not the page's: the layout table is still most of what it shows
    scripted = layout.replace("</head>", f"<script>var x = '{'a' * 3000}';</script></head>")
    found = htmldate_date(scripted)
    assert found is not None and found.day == "2018-11-23"
    # a count beside a year is no date: "3 results 2021" rows make no schedule
    counts = "".join(f"<tr><td>{n} results 2021</td></tr>" for n in (3, 4, 5))
    found = htmldate_date(
        _page(top="<p>Filed 2018-11-23 by the newsroom</p>", tail=f"<table>{counts}</table>")
    )
    assert found is not None and found.day == "2018-11-23"


def test_htmldate_reads_no_dates_beside_other_stories_links() -> None:
    # a home page's unmarked list of news: each date belongs to the linked story beside it
    items = "".join(
        f'<li><a href="/news/{n}">{title}</a> <span>{day} September 2023</span></li>'
        for n, (title, day) in enumerate(
            (("Volunteers plant a new orchard", 12), ("Annual report now available", 5))
        )
    )
    assert htmldate_date(_page(tail=f"<h2>News</h2><ul>{items}</ul>")) is None
    # the page's own day, also written as its date line, is still read
    found = htmldate_date(_page(top="<p>12 September 2023</p>", tail=f"<ul>{items}</ul>"))
    assert found is not None and found.day == "2023-09-12"


@pytest.mark.parametrize(
    "clock", ["It is currently Fri Dec 03, 2021 8:45 am", "Aktuelle Zeit: Mi 15. Jun 2011, 22:10"]
)
def test_htmldate_reads_no_forum_clock(clock: str) -> None:
    post = (
        '<div class="postbody"><p class="author"><span>by <strong><a href="./m">kartli_driver'
        "</a></strong> &raquo; </span>Sat Jan 16, 2021 8:12 pm</p></div>"
    )
    page = _page(
        top=f'<p class="right responsive-center time">{clock}</p>{post}',
        tail=post.replace("Sat Jan 16", "Sun Jan 17"),
    )
    found = htmldate_date(page)
    assert found is not None and found.day == "2021-01-16"
    # the clock as the text after an icon, as some themes print it
    tail = page.replace(f">{clock}</p>", f'><span class="icon"></span> {clock}</p>')
    found = htmldate_date(tail)
    assert found is not None and found.day == "2021-01-16"


def test_a_sentence_that_opens_like_a_forum_clock_is_read() -> None:
    found = htmldate_date(_page(top="<p>It is currently 12 March 2021 and the pier is shut.</p>"))
    assert found is not None and found.day == "2021-03-12"


def test_htmldate_reads_no_events_list_and_no_asset_version_stamp() -> None:
    events = (
        '<ul class="event-list"><li><span>Wednesday, 06.03.2024, 16:00</span> Reading hour</li>'
        "</ul>"
    )
    assert htmldate_date(_page(tail=events)) is None
    stamp = '<script src="/theme/js/navigation.js?ver=20140813"></script>'
    assert htmldate_date(_page(head=stamp)) is None
    style = '<link rel="stylesheet" href="/theme/style.css?ver=20140813">'
    assert htmldate_date(_page(head=style)) is None
    # the page's own address keeps its query: "news.php?date=2008-04-12" dates the page
    found = htmldate_date(_page(canonical="https://x.example/news.php?date=2008-04-12&id=7"))
    assert found is not None and found.day == "2008-04-12"
    # the same day in the article's own words is still read
    found = htmldate_date(_page(head=stamp, top="<p>Filed 2014-08-13 by the desk</p>"))
    assert found is not None and found.day == "2014-08-13"


# ---------------------------------------------------------------- update times are not publication


def test_a_modified_time_in_the_metadata_gives_way_to_the_published_date_line() -> None:
    page = _page(
        head='<meta property="article:modified_time" content="2020-06-22T10:00:00+04:30">',
        top='<div class="post-date">Published 9 June 2020</div>',
    )
    assert html_meta_date(page) == DateFinding(
        "2020-06-22", "day", "html-meta (updated)", "meta/JSON-LD"
    )
    assert _found(_article(page)) == ("2020-06-09", "date-line")


def test_a_modified_time_alone_dates_the_page_as_an_update() -> None:
    page = _page(head='<meta property="article:modified_time" content="2020-06-22T10:00:00">')
    assert _found(_article(page)) == ("2020-06-22", "html-meta (updated)")


def test_json_ld_review_and_modified_dates_are_not_the_publication() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "MedicalWebPage", '
        '"lastReviewed": "2023-10-10", "dateModified": "2023-10-10T09:00:00+03:00"}</script>'
    )
    page = _page(head=ld, top='<div class="dates"><span>Published: 2 May 2023</span></div>')
    assert _found(_article(page)) == ("2023-05-02", "date-line")
    both = ld.replace('"lastReviewed"', '"datePublished": "2023-05-02", "lastReviewed"')
    assert _found(_article(_page(head=both))) == ("2023-05-02", "html-meta")


def test_htmldate_reads_no_comment_timestamps_or_latest_news_lists() -> None:
    comments = (
        '<section id="comments"><div class="comment"><span>Posted 12 March 2021</span>'
        "<p>Thank you for this report.</p></div></section>"
        '<section class="news-list"><ul><li><span class="date">18 March 2024</span> '
        '<a href="/n">Annual report published</a></li></ul></section>'
    )
    html = _page().replace("</body>", comments + "</body>")
    assert htmldate_date(html) is None
    assert _found(_article(html)) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published 07/02/2023 14:05", None),  # 7 February or 2 July: a date line never guesses
        ("07/08/2018 16h20", None),
        ("Published 17/02/2023 14:05", "2023-02-17"),
        ("Giriş: 27 Şubat 2021 Cumartesi, 11:20", "2021-02-27"),
        ("تاریخ انتشار: شنبه ۵ شهریور ۱۴۰۱ - ۱۰:۲۴", "2022-08-27"),
    ],
)
def test_more_date_lines(line: str, expected: str | None) -> None:
    published, _ = date_line_dates(line, [])
    assert (published.day if published else None) == expected


def test_turkish_update_label_and_date_class() -> None:
    top = (
        '<div class="haber-tarih"><span>Giriş: 27 Şubat 2021 Cumartesi, 11:20</span> | '
        "<span>Güncelleme: 28.02.2021 09:05</span></div>"
    )
    assert _found(_article(_page(top=top))) == ("2021-02-27", "date-line")


# ---------------------------------------------------------------- round 2 of the held-out pages


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the local time and the zone it is written in are cut: the printed day stays
        ("November 18, 2022 at 1:10 a.m. GMT+5", "2022-11-18"),
        ("Published 3 March 2021 at 14:05 PKT", "2021-03-03"),
        # Arabic-Indic digits, a Levantine month name, the weekday and "ص" (a.m.)
        ("الأربعاء ١٢ كانون الثاني ٢٠٢٢ - ١٢:١٥ ص", "2022-01-12"),
        ("١٥ تشرين الأول ٢٠٢٠", "2020-10-15"),
        # Urdu: the "published" label, and the lunar Hijri date printed beside the Gregorian
        ("شائع شدہ: اتوار 14 نومبر 2021", "2021-11-14"),
        ("اتوار 14 نومبر 2021  |  9 ربیع الثانی 1443ھ", "2021-11-14"),
        # a weekday decides an ambiguous numeric date; dots say day first
        ("Wed, 02/10/2021 - 09:15", "2021-02-10"),
        ("Sat, 02/10/2021", "2021-10-02"),
        ("07.12.2020 | 15:42", "2020-12-07"),
        ("02/10/2021", None),  # no weekday, slashes: still refused
        ("Thu, 02/10/2021", None),  # a weekday that fits neither reading
        # Drupal's byline
        ("Submitted by elvin.m on Wed, 02/10/2021 - 09:15", "2021-02-10"),
    ],
)
def test_date_lines_of_more_sites(line: str, expected: str | None) -> None:
    from storyline.extract.date_sources import date_line_values

    values = date_line_values(line)
    assert (values[0][0][:10] if values else None) == expected


def test_a_time_element_in_local_time_with_its_zone_beats_its_utc_attribute() -> None:
    """`<time datetime="...Z">` one day before the local time it shows, with a zone written
    after the time: the page's local day is the date line's, and it agrees with the URL."""
    top = (
        '<div class="b-date"><time class="c-date" datetime="2022-11-17T20:10:00Z">'
        "November 18, 2022 at 1:10 a.m. GMT+5</time></div>"
    )
    head = '<meta property="article:published_time" content="2022-11-17T20:10:00Z">'
    url = "https://oxus.example/news/2022/11/18/ring-line/"
    assert _found(_article(_page(head=head, top=top), url)) == ("2022-11-18", "url")


def test_the_masthead_date_is_the_day_the_page_was_served() -> None:
    """A header's "today" (class words today, masthead, clock, current) is not a publication
    date; the page's marked date below it is."""
    masthead = '<span class="masthead-date">Saturday, 5 December 2026</span>'
    assert html_header_lines(_page(top=masthead)) == []
    both = masthead + '<span class="post-date">22 August 2022</span>'
    assert html_header_lines(_page(top=both)) == ["22 August 2022"]
    assert html_header_lines(_page(top='<div id="today">5 December 2026</div>')) == []


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        (
            "NAIROBI, Kenya, March 14, 2022 /Afriwire/ -- Mavuno Pumps announced a plan.",
            "2022-03-14",
        ),
        (
            "SAN FRANCISCO, Calif., Jan. 5, 2023 /PRNewswire/ -- Acme said on Thursday.",
            "2023-01-05",
        ),
        ("ISLAMABAD, 3 May 2024 (APP) - The minister said the talks would go on.", "2024-05-03"),
        ("KABUL, March 3 (Reuters) - A year is needed: this dateline gives none.", None),
        ("Iran and Pakistan, 2021 - an ordinary sentence.", None),
        # a place in its own case, as Romance-language releases write it
        ("São Paulo, 3 de julho de 2007 – A cooperativa inaugura seu novo galpão.", "2007-07-03"),
        ("Ciudad de México, 9 de noviembre de 2020 - El metro reabre la línea.", "2020-11-09"),
        ("On Tuesday, 5 March 2024 - the council met again.", None),
        ("In Kabul, talks in 2021 - an ordinary sentence.", None),
        ("New York, 5 March 2024 - The council voted again.", "2024-03-05"),
        ("Last Tuesday, 5 March 2024 - the council voted.", None),
        ("Yesterday, 5 March 2024 - the council voted.", None),
        ("Black Friday, 24 November 2023 - shops opened early.", None),
        ("BLACK MOUNTAIN, N.C., March 5, 2024 /PRNewswire/ -- The town opened.", "2024-03-05"),
    ],
)
def test_a_dateline_that_opens_the_body_dates_it(first: str, expected: str | None) -> None:
    text = f"{first}\n\nThe second paragraph has no date of its own."
    found, _ = date_line_dates(text, [])
    assert (found.day if found else None) == expected


def test_a_stated_first_publication_after_the_body() -> None:
    """Nothing in the head dates the page; its last lines say when it was filed or first
    published (the cleaner may have removed the note: removed lines are read too)."""
    from storyline.article import Removed

    body = "The fish market hall opened on Monday.\n\nTraders moved in before dawn."
    filed = body + "\n\nFiled by Abdiaziz Warsame in Mogadishu, 22 August 2022."
    assert date_line_dates(filed, [])[0].day == "2022-08-22"  # type: ignore[union-attr]
    note = Removed("This article was first published on 22 August 2022 as part of ...", "promo")
    assert date_line_dates(body, [note])[0].day == "2022-08-22"  # type: ignore[union-attr]
    reprint = body + "\n\nThis story was first published by The Ledger on May 3, 2022."
    assert date_line_dates(reprint, [])[0] is None  # whose publication: the other outlet's


def test_a_placeholder_metadata_date_gives_way_to_the_printed_day() -> None:
    """1 January at midnight in the metadata is what a template writes without a date."""
    top = '<span class="date">viernes 17 de mayo de 2019</span>'
    head = '<meta property="article:published_time" content="2014-01-01T00:00:00+00:00">'
    assert _found(_article(_page(head=head, top=top))) == ("2019-05-17", "date-line")
    real = '<meta property="article:published_time" content="2019-05-10T09:30:00+02:00">'
    assert _found(_article(_page(head=real, top=top)))[1] == "html-meta"  # type: ignore[index]


def test_htmldate_reads_no_side_column_or_cookie_banner() -> None:
    """An undated page: the side column's story dates and the cookie banner's policy date are
    not its date."""
    page = (
        "<html><body><div class='cookie-bar'><p>Our privacy policy was updated on 1 March "
        f"2024.</p></div><article><h1>Lake guide</h1>{PARAS}</article><div class='side'><ul>"
        "<li><a href='/a'>Salt works expand</a> <small>10/06/2022</small></li>"
        "<li><a href='/b'>Market day</a> <small>06/06/2022</small></li></ul></div></body></html>"
    )
    assert htmldate_date(page) is None
    from storyline.extract.date_sources import _aside_word

    # the rail is its word's last part; the article column beside it is not a side block
    assert _aside_word("b-right-rail__rail") and not _aside_word("b-right-rail__main")
    assert _aside_word("cookie-bar") and not _aside_word("inside")


def test_the_dates_of_reviews_and_comments_in_json_ld_are_not_the_page_s() -> None:
    """A product or recipe page's JSON-LD carries its reviews' datePublished; htmldate reads a
    datePublished wherever it stands. A review published as the page itself keeps its date."""
    import json

    from storyline.extract.date_sources import _jsonld_own_dates

    product = {
        "@type": "Product",
        "name": "Kettle",
        "review": [{"@type": "Review", "datePublished": "2024-11-03", "reviewBody": "Quiet."}],
        "offers": {"@type": "Offer", "price": "44.99"},
    }
    page = _page(head=f'<script type="application/ld+json">{json.dumps(product)}</script>')
    assert html_meta_date(page) is None
    own = json.loads(_jsonld_own_dates(json.dumps(product)) or "{}")
    assert "datePublished" not in own["review"][0] and own["name"] == "Kettle"
    film = {"@type": "Review", "datePublished": "2023-03-09", "itemReviewed": {"@type": "Movie"}}
    assert _jsonld_own_dates(json.dumps(film)) is None  # the page is the review: unchanged
    graph = {"@graph": [{"@type": "NewsArticle", "datePublished": "2023-03-09"}]}
    assert _jsonld_own_dates(json.dumps(graph)) is None
    assert _jsonld_own_dates("{not json") is None
    head = f'<script type="application/ld+json">{json.dumps(film)}</script>'
    assert html_meta_date(_page(head=head)).day == "2023-03-09"  # type: ignore[union-attr]


def test_a_details_box_and_the_page_s_own_numeric_order() -> None:
    """A document page gives its date in a details box ("<dt>Published:</dt><dd>05/04/2021</dd>")
    after the body; 05/04/2021 alone is ambiguous, but the page's other numeric dates
    ("19/03/2021") show it writes the day first."""
    box = "<dl><dt>Published:</dt><dd>05/04/2021</dd><dt>Pages</dt><dd>12</dd></dl>"
    other = "<p>Requests must arrive by 19/03/2021 at the latest.</p>"
    page = _page(tail=box + other)
    assert "Published: 05/04/2021" in html_header_lines(page)
    assert _found(_article(page)) == ("2021-04-05", "date-line")
    # written month first elsewhere on the page: 4 May
    us = _page(tail=box + "<p>Requests must arrive by 03/19/2021 at the latest.</p>")
    assert _found(_article(us)) == ("2021-05-04", "date-line")
    # no other date to settle it: still refused (htmldate may answer, never the date line)
    found = _found(_article(_page(tail=box)))
    assert found is None or found[1] != "date-line"
    table = "<table><tr><th>Date of publication</th><td>9 March 2020</td></tr></table>"
    assert _found(_article(_page(tail=table))) == ("2020-03-09", "date-line")


def test_the_review_s_cases_never_date_a_page_wrongly() -> None:
    """Found in review: a body sentence that mentions a first publication is no note about
    this article; a 1 January metadata date with a time is a real moment, not a placeholder;
    a rubric opening a paragraph is no dateline; JSON nested past the parser's depth is left
    alone (no RecursionError); joiners written as references survive extraction too."""
    from storyline.extract.date_sources import _inline_dateline, _jsonld_own_dates
    from storyline.extract.html import extract_html

    novel = "The novel, first published on 4 July 1951, was reissued this week.\n\nMore text."
    assert date_line_dates(novel, [])[0] is None
    # (a printed day after it: a day before it would win, as a migrated archive's does)
    top = '<span class="date">3 March 2024</span>'
    real = '<meta property="article:published_time" content="2024-01-01T14:32:00+01:00">'
    assert _found(_article(_page(head=real, top=top))) == ("2024-01-01", "html-meta")
    assert _inline_dateline("ON THIS DAY, 9 November 1989 - The wall fell.") == []
    assert _jsonld_own_dates("[" * 5000 + "]" * 5000) is None
    assert _jsonld_own_dates('{"a":' * 3000 + "1" + "}" * 3000) is None
    words = "آتش&zwnj;سوزی در بازار تبریز رخ داد و مسئولان می&#8204;گویند خسارت زیاد است. "
    page = f"<html><body><article><h1>بازار</h1><p>{words * 6}</p></article></body></html>"
    text = extract_html(page).text
    assert "آتش\u200cسوزی" in text and "می\u200cگویند" in text


def test_a_standfirst_above_the_byline_keeps_the_header_open() -> None:
    """A header's standfirst is a long paragraph, but the body has not begun: the byline's date
    below it is the page's local day, which beats metadata in UTC on the day before."""
    standfirst = (
        "Two morning sailings will be dropped for at least eight weeks while one of the "
        "ferries is out of the water for repairs."
    )
    byline = (
        '<div class="story__byline"><span class="story__author">By Mere Tane</span>'
        '<span class="story__date">Tuesday, 5 March 2024, 7:10am</span></div>'
    )
    head = '<meta property="article:published_time" content="2024-03-04T18:10:00.000Z">'
    page = _page(head=head, top=f'<p class="story__standfirst">{standfirst}</p>{byline}')
    assert _found(_article(page)) == ("2024-03-05", "date-line")
    unmarked = _page(head=head, top=f"<p>{standfirst}</p>{byline}")
    assert _found(_article(unmarked)) == ("2024-03-04", "html-meta")  # the body began


def test_a_header_date_line_takes_the_time_of_the_line_after_it() -> None:
    top = (
        '<div class="entry-meta"><span class="posted-on">Published <time class="entry-date '
        'published" datetime="2020-08-27T05:15:00-05:00">Aug. 27, 2020</time></span></div>'
    )
    found, _ = date_line_dates("", [], _page(top=top))
    assert found is not None and found.value == "2020-08-27T05:15:00-05:00"
    other_day = top.replace("2020-08-27T05", "2020-08-28T05")
    found, _ = date_line_dates("", [], _page(top=other_day))
    assert found is not None and found.value == "2020-08-27"  # not the same day: not sharpened


def test_another_story_s_card_above_the_article_does_not_keep_the_header_open() -> None:
    card = (
        '<div class="card"><p class="card__summary">The regional council voted on Monday to '
        "extend the ferry subsidy for another two winters at least.</p>"
        '<span class="card-date">20 August 2020</span></div>'
    )
    page = _page(top=card)
    assert "20 August 2020" not in html_header_lines(page)


def test_a_utc_update_time_does_not_sharpen_the_local_day() -> None:
    head = '<meta property="article:published_time" content="2020-08-26T22:00:00Z">'
    top = (
        '<div class="meta"><span class="published">27 August 2020</span> '
        'Updated <time datetime="2020-08-27T03:00:00Z">3am</time></div>'
    )
    assert _found(_article(_page(head=head, top=top))) == ("2020-08-27", "date-line")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("公開日：令和3年5月7日", ("2021-05-07", False)),
        ("令和元年5月1日", ("2019-05-01", False)),
        ("平成31年4月30日", ("2019-04-30", False)),
        ("更新日：令和4年1月12日", ("2022-01-12", True)),
        ("发布时间：2021-05-07 10:30", ("2021-05-07", False)),
        ("기사입력 2021.05.07 10:30", ("2021-05-07", False)),
        ("更新日時：2024年5月7日 10:00", ("2024-05-07", True)),
        ("公開日：令和３年５月７日", ("2021-05-07", False)),
        # the Republic of China's (Minguo) years, as Taiwanese sites print them
        ("中華民國107年5月3日", ("2018-05-03", False)),
        ("發布日期：107-05-03", ("2018-05-03", False)),
        ("民國98年10月1日", ("2009-10-01", False)),
    ],
)
def test_japanese_eras_and_east_asian_labels(line: str, expected: tuple[str, bool]) -> None:
    from storyline.extract.date_sources import date_line_values

    values = date_line_values(line)
    assert values and (values[0][0][:10], values[0][2]) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Edición del martes 9 de setiembre de 2003 · Año XIV · Nº 4.871", "2003-09-09"),
        ("Číslo 47/2008 · vyšlo v pondelok 24. 11. 2008 · ročník XII", "2008-11-24"),
        ("Ausgabe vom 3. März 2010 · Nr. 51", "2010-03-03"),
        ("Vol. 12 No. 45 | March 3, 2010", "2010-03-03"),
        ("24. 11. 2008", "2008-11-24"),
    ],
)
def test_edition_lines_give_the_issues_day(line: str, expected: str) -> None:
    from storyline.extract.date_sources import date_line_values

    assert [v[0][:10] for v in date_line_values(line)] == [expected]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("१२ मार्च २०२३", ("2023-03-12", False)),
        ("प्रकाशित: १२ मार्च २०२३", ("2023-03-12", False)),
        ("প্রকাশিত: ১২ মার্চ ২০২৩", ("2023-03-12", False)),
        ("আপডেট: ১৩ মার্চ ২০২৩", ("2023-03-13", True)),
        # Thai: the Buddhist Era year, in Thai or Western digits, with a Thai time
        ("๑๒ มีนาคม ๒๕๖๖", ("2023-03-12", False)),
        ("เผยแพร่: 5 ธ.ค. 2566", ("2023-12-05", False)),
        ("วันที่ 5 ธันวาคม 2566 เวลา 10:30 น.", ("2023-12-05", False)),
        # Persian and Arabic digits stay with their own readers
        ("چهارشنبه ۰۴ مهر ۱۴۰۳ - ۱۱:۲۰", ("2024-09-25", False)),
    ],
)
def test_native_digits_and_the_buddhist_era(line: str, expected: tuple[str, bool]) -> None:
    from storyline.extract.date_sources import date_line_values

    values = date_line_values(line)
    assert values and (values[0][0][:10], values[0][2]) == expected


def test_a_buddhist_era_year_is_read_only_in_thai() -> None:
    from storyline.extract.date_sources import date_line_values

    assert date_line_values("12 March 2566") == []  # no Thai: a year 2566 is no date
    assert date_line_values("วันที่ 5 ธันวาคม เกษตรกรในเชียงใหม่รวมตัวกันที่ศาลากลาง") == []


def test_an_issue_number_alone_is_no_date_line() -> None:
    from storyline.extract.date_sources import date_line_values

    assert date_line_values("Año XIV · Nº 4.871") == []
    assert date_line_values("Číslo 47/2008") == []


def test_an_archives_unmarked_edition_line_is_a_header_line() -> None:
    """An old paper's archive page prints the issue's day in a font tag or a table cell with
    no class; the top bar above the menu has the day the page was served."""
    top = (
        "<font size=1>Edición del martes 9 de setiembre de 2003 &middot; Año XIV</font>"
        "<table><tr><td>Sección Ciudad</td></tr></table>"
    )
    page = _page(top=top)
    assert "Edición del martes 9 de setiembre de 2003 · Año XIV" in html_header_lines(page)
    assert _found(_article(page)) == ("2003-09-09", "date-line")


def test_a_marked_date_goes_before_an_e_paper_teasers_edition_line() -> None:
    top = (
        '<div class="epaper-teaser"><a href="/epaper">Ausgabe vom 14.05.2025</a></div>'
        '<span class="article-date">10.05.2025</span>'
    )
    lines = html_header_lines(_page(top=top))
    assert lines.index("10.05.2025") < lines.index("Ausgabe vom 14.05.2025")
    assert _found(_article(_page(top=top))) == ("2025-05-10", "date-line")


def test_an_hatom_published_abbr_gives_its_title_attribute() -> None:
    """Classic Blogger and hAtom themes: <abbr class="published" title="ISO">9:42 AM</abbr>,
    after a blog description long enough to end the header."""
    intro = (
        '<p class="description">Books, libraries and small things of the neighbourhood, by a '
        "librarian of the lower town</p>"
    )
    footer = (
        '<div class="post-footer">Posted at <abbr class="published" '
        'title="2008-04-15T09:42:00-04:00">9:42 AM</abbr></div>'
    )
    page = _page(top=intro, tail=footer)
    assert "2008-04-15T09:42:00-04:00" in html_header_lines(page)
    assert _found(_article(page)) == ("2008-04-15", "date-line")


def test_one_labelled_publication_date_after_the_body_is_the_page_s() -> None:
    foot = '<div class="page_info"><p>Published: 7 May 2021</p><p>Page number: 104582</p></div>'
    assert _found(_article(_page(tail=foot))) == ("2021-05-07", "date-line")
    cards = "".join(
        f'<div class="card"><a href="/n/{d}">Other story</a><p>Published: {d} May 2021</p></div>'
        for d in (3, 4)
    )
    assert "Published: 3 May 2021" not in html_header_lines(_page(tail=cards))
    two = foot + foot.replace("7 May", "9 May")
    assert not any("May 2021" in x for x in html_header_lines(_page(tail=two)))


def test_a_paragraph_without_spaces_ends_the_header() -> None:
    body = (
        "<p>"
        + "新型コロナウイルス感染症の影響により休止していた子育てサロンを再開します。" * 2
        + "</p>"
    )
    side = '<div><span class="date">2023年1月5日</span></div>'
    assert "2023年1月5日" not in html_header_lines(_page(top=body + side))


def test_comments_and_books_published_are_not_the_page_s_label() -> None:
    comment = '<div class="comment"><p>Great piece!</p><span>Published: 3 June 2024</span></div>'
    assert not any("June" in x for x in html_header_lines(_page(tail=comment)))
    foot = '<div class="page_info"><p>Published: 7 May 2021</p></div>'
    book = "<p>Published by Harbour Books in 1951, the novel sold out twice.</p>"
    assert "Published: 7 May 2021" in html_header_lines(_page(tail=book + foot))


def test_a_breadcrumb_without_spaces_or_a_described_standfirst_keeps_the_header_open() -> None:
    crumb = (
        "<p>トップページ&gt;くらし・手続き&gt;税金&gt;市民税・県民税&gt;"
        "納税のお知らせと各種証明書の発行について</p>"
    )
    time_el = '<time datetime="2024-05-07T10:00:00+09:00">2024年5月7日</time>'
    assert "2024年5月7日" in html_header_lines(_page(top=crumb + time_el))
    standfirst = (
        '<p class="article-description">The council will vote next month on a plan to close '
        "two of the town's three libraries on Sundays.</p>"
    )
    byline = (
        '<div class="byline"><time datetime="2024-05-07T10:00:00+01:00">7 May 2024</time></div>'
    )
    assert "7 May 2024" in html_header_lines(_page(top=standfirst + byline))


def _site(top: str, header: str, body: str) -> str:
    return (
        "<html><head><title>Rinks</title></head><body>"
        f"{top}<header><a href='/'>City Weekly</a><nav><a href='/a'>Food</a>"
        f"<a href='/b'>Events</a></nav></header><main><h1>The best outdoor rinks</h1>"
        f"{header}{PARAS}{body}</main></body></html>"
    )


def test_a_top_bar_date_above_the_site_menu_is_the_day_served() -> None:
    """A date in a top bar above the site's menu (which comes before the headline) is the day
    the page was served, whatever its class; the article's own date below the menu counts."""
    bar = (
        '<div class="utility-bar"><span class="utility-bar__date">Thursday, December 4, 2025'
        "</span></div>"
    )
    undated = _site(bar, "", "")
    assert not any("2025" in x for x in html_header_lines(undated))
    assert find_date(_article(undated)) is None
    assert htmldate_date(undated) is None
    dated = _site(bar, '<p class="post-date">Posted March 3, 2021</p>', "")
    assert _found(_article(dated)) == ("2021-03-03", "date-line")
    # a page that puts its headline and date above its menu keeps them
    above = (
        "<html><head><title>Rinks</title></head><body><h1>The best outdoor rinks</h1>"
        '<span class="date">March 3, 2021</span><nav><a href="/a">Food</a></nav>'
        f"{PARAS}</body></html>"
    )
    assert _found(_article(above)) == ("2021-03-03", "date-line")


def test_an_east_asian_date_is_written_for_htmldate() -> None:
    """htmldate's day is taken only where the page writes it: "2010 年 5 月 19 日" (year,
    month and day numbers in a row) counts, as "19 May 2010" does."""
    foot = '<div class="post-meta"><a href="/post/1">2010 年 5 月 19 日</a></div>'
    page = (
        "<html><head><title>茶館</title></head><body><div class='post'><h2>大稻埕的午後</h2>"
        + "<p>" + "今天下午在大稻埕的老茶館坐了很久，窗外的雨一直沒有停。" * 4 + "</p>"
        + f"{foot}</div></body></html>"
    )  # fmt: skip
    assert htmldate_date(page) == DateFinding(
        "2010-05-19", "day", "htmldate", "htmldate extensive search"
    )


def _ld(*kinds: str) -> str:
    graph = ",".join(f'{{"@type": "{k}", "name": "Harbour Hall"}}' for k in kinds)
    return f'<script type="application/ld+json">{{"@graph": [{graph}]}}</script>'


def test_a_page_describing_a_thing_gets_no_date_from_htmldate() -> None:
    """An exhibition, a business's guide, a product: the page's JSON-LD names a thing, not a
    writing, and its dates (an opening, an offer's deadline, a policy update) are the thing's;
    htmldate's fallback is not asked. A writing among the types keeps the fallback."""
    body = (
        "<p>The exhibition of harbour photographs runs from 14 February 2025 in the east wing, "
        "with guided tours on Sundays.</p>"
    )
    for kinds in (("ExhibitionEvent", "Museum"), ("HVACBusiness",), ("Product", "Offer")):
        page = _page(head=_ld(*kinds), tail=body)
        assert htmldate_date(page) is None, kinds
    for kinds in (("NewsArticle", "Event"), ("WebPage", "Product"), ()):
        page = _page(head=_ld(*kinds) if kinds else "", tail=body)
        assert htmldate_date(page) is not None, kinds


# ---------------------------------------------------------------- date stage v15


def test_a_forum_posts_label_line_is_read_up_to_its_subject() -> None:
    """phpBB's German "Verfasst am: 03.11.07, 21:14" with the subject after a run of spaces in the
    same text: the first post's line, a two-digit year."""
    posts = "".join(
        f'<tr><td><span class="postdetails">Verfasst am: {day}, 20:05 &nbsp; &nbsp;Titel: '
        "Heizkosten</span></td></tr>"
        for day in ("03.11.07", "04.11.07", "12.01.08")
    )
    html = _page(top=f"<table>{posts}</table>")
    assert html_header_lines(html)[0] == "Verfasst am: 03.11.07, 20:05"
    assert _found(_article(html)) == ("2007-11-03", "date-line")


def test_a_minguo_year_in_a_details_table_is_read_with_its_label() -> None:
    """A Taiwanese office's table: "發布日期 | 96-03-21" is 21 March 2007, not 1996."""
    html = _page(top="<table><tr><th>發布日期</th><td>96-03-21</td></tr></table>")
    assert _found(_article(html)) == ("2007-03-21", "date-line")


def test_a_first_publication_note_wins_over_a_migrations_dates() -> None:
    """A long read moved to a new site: metadata and byline carry the day of the move, a note
    above the text the day it first appeared."""
    note = (
        '<div class="archive-note"><p><strong>From the archive:</strong> This article was first '
        "published in The Harbour Quarterly on 4 May 2010, in Issue 12.</p></div>"
    )
    head = '<meta property="article:published_time" content="2018-02-09T08:00:00+01:00">'
    top = '<p class="byline">By Mara Lind <time datetime="2018-02-09">9 February 2018</time></p>'
    moved = _article(_page(head=head, top=top + note))
    assert _found(moved) == ("2010-05-04", "date-line")
    # a note that only repeats the page's own day, or a later one, changes nothing
    same = note.replace("4 May 2010", "9 February 2018")
    assert _found(_article(_page(head=head, top=top + same))) == ("2018-02-09", "html-meta")
    # nor does a commenter who says where the article first appeared
    comment = f'<div class="comments"><div class="comment">{note}</div></div>'
    assert _found(_article(_page(head=head, top=top, tail=comment))) == ("2018-02-09", "html-meta")


def test_dates_of_a_column_of_other_releases_are_theirs() -> None:
    """An old site's left column lists other releases, each link followed by its date; the
    cleaner removes those dates as date lines, but the release's own date is in its table."""
    column = "".join(
        f'<a href="/release/{n}">{title}</a><br><span class="small">{day}</span><br><br>'
        for n, title, day in (
            (22410, "Orange quotas confirmed for the gulf", "9 February 2005"),
            (22105, "Funding for reserve monitoring announced", "20 January 2005"),
        )
    )
    own = '<table><tr><td><span class="reldate">17 December 2004</span></td></tr></table>'
    html = _page(top=f"<p>{column}</p>{own}")
    removed = [Removed("9 February 2005", "date_line"), Removed("20 January 2005", "date_line")]
    published, _ = date_line_dates("Orange quotas\n\nThe body.", removed, html)
    assert published is not None and published.day == "2004-12-17"
    # without the page, the removed lines are all there is
    alone, _ = date_line_dates("Orange quotas\n\nThe body.", removed)
    assert alone is not None and alone.day == "2005-02-09"
    # one link followed by a date is a byline's author and the page's day, not a list
    byline = '<p><a href="/staff/jane">Jane Roe Smith</a><br><span>9 February 2005</span></p>'
    own_line, _ = date_line_dates("The body.", removed[:1], _page(top=byline))
    assert own_line is not None and own_line.day == "2005-02-09"


def test_a_label_cut_only_when_the_whole_line_is_no_date_line() -> None:
    """Two non-breaking spaces between a label and its date stay one line."""
    html = _page(top="<table><tr><td>Posted:&nbsp;&nbsp;12 March 2019</td></tr></table>")
    assert html_header_lines(html)[0] == "Posted: 12 March 2019"


def test_only_a_note_about_this_page_states_its_first_publication() -> None:
    head = '<meta property="article:published_time" content="2024-06-10T08:00:00+02:00">'
    for note in (
        "The article was first published in Le Monde on 12 January 2015, after the attack.",
        "Note: This report was first published in 2019 and revised on 2 May 2023.",
        "This story was originally published on March 5, 2019, and has been updated.",
    ):
        page = _page(head=head, top=f"<p>{note}</p>")
        assert _found(_article(page)) == ("2024-06-10", "html-meta"), note


def test_a_section_name_before_a_date_is_not_read_from_an_unmarked_element() -> None:
    """An infobox's "Born · 12 March 1950" is no date of the page, nor an old publication."""
    head = '<meta property="article:published_time" content="2024-06-10T08:00:00+02:00">'
    page = _page(head=head, top='<div class="infobox"><span>Born · 12 March 1950</span></div>')
    assert _found(_article(page)) == ("2024-06-10", "html-meta")


def test_a_calendar_badge_and_a_forum_posts_icon_led_date() -> None:
    badge = '<div class="entry-badge"><span>12</span><span>Mär</span><span>2019</span></div>'
    assert _found(_article(_page(top=badge))) == ("2019-03-12", "date-line")
    # vBulletin: the post's date after its icon; the replies' 14-10-2006 settle day first
    posts = "".join(
        f'<div class="normal"><a name="p{n}"><img src="i.gif" alt=""></a> {day}, 13:12</div>'
        for n, day in enumerate(("08-10-2006", "09-10-2006", "14-10-2006"))
    )
    assert _found(_article(_page(top=posts))) == ("2006-10-08", "date-line")


def test_metadata_that_is_the_pages_own_update_gives_way_to_its_published_line() -> None:
    """A generic <meta name="date"> holding the last save, the page printing both days."""
    head = '<meta name="date" content="2008-02-14T08:40:00+01:00">'
    line = (
        '<div class="fechas">Publicado el 13/02/2008 a las 19:55 · Actualizado el 14/02/2008 '
        "a las 08:40</div>"
    )
    assert _found(_article(_page(head=head, top=line))) == ("2008-02-13", "date-line")
    # the masthead's "today" (fecha_hoy) is no date line
    masthead = '<div id="fecha_hoy">Jueves, 14 de febrero de 2008</div>'
    assert html_header_lines(_page(top=masthead)) == []


def test_a_field_naming_the_publication_wins_over_a_generic_date() -> None:
    head = (
        '<meta name="date" content="2010-08-16T11:40:00+02:00">'
        '<meta property="article:published_time" content="2010-08-14T09:00:00+02:00">'
    )
    assert html_meta_date(_page(head=head)).day == "2010-08-14"


def test_a_byline_authors_name_before_a_migrated_pages_date() -> None:
    """The author's name leads the byline's date ("Name · 23. September 2011, 17:45"), under a
    block-element-named standfirst ("article__lead"); the metadata is the migration's later day.
    A section's name before an old date is still not taken over the metadata alone."""
    head = '<meta property="article:published_time" content="2015-02-10T09:14:22+01:00">'
    lead = (
        '<p class="article__lead">Nach dem heißen August holen die Winzer im Süden die ersten '
        "Trauben bereits Mitte September, früher als seit Jahrzehnten.</p>"
    )
    byline = '<div class="article__byline">Martina Beispiel · 23. September 2011, 17:45</div>'
    assert _found(_article(_page(head=head, top=lead + byline))) == ("2011-09-23", "date-line")
    section = '<div class="article__meta">Stadtleben · 23.09.2011</div>'
    assert _found(_article(_page(head=head, top=lead + section))) == ("2015-02-10", "html-meta")


def test_a_latest_strips_dated_headlines_above_the_article_are_not_its_date() -> None:
    """``<li><time>Oct. 12, 2015</time> <a>headline</a></li>`` items date other stories; an
    entry's own meta list (its date, then a link to its comments) is one pair, not a list."""
    strip = "".join(
        f'<li><time>Oct. {day}, 2015</time> <a href="/n/{day}">{title}</a></li>'
        for day, title in ((12, "Food drive beats its target"), (9, "Ward candidates debate"))
    )
    top = (
        f'<section class="latest"><ul>{strip}</ul></section>'
        '<div class="byline">Jonah Example · Oct. 1, 2015</div>'
    )
    assert _found(_article(_page(top=top))) == ("2015-10-01", "date-line")
    meta = (
        '<ul class="entry-meta"><li><time>Oct. 12, 2015</time></li>'
        '<li><a href="#respond">Leave a comment</a></li></ul>'
    )
    assert _found(_article(_page(top=meta))) == ("2015-10-12", "date-line")


def test_a_joomla_article_pages_created_line_is_its_date() -> None:
    """Joomla's ``<div class="item-page">`` is the article, not a list's item: its
    ``<dd class="create">`` "Erstellt: Sonntag, 14. Mai 2017" after a calendar icon counts over
    the later match days of a fixture table further down."""
    info = (
        '<div class="item-page"><dl class="article-info"><dd class="createdby">Geschrieben von '
        'Uwe Beispiel</dd><dd class="create"><span class="icon-calendar"></span> Erstellt: '
        "Sonntag, 14. Mai 2017</dd></dl></div>"
    )
    table = "<table><tr><td>21.05.2017</td><td>Auswärtsspiel</td></tr></table>"
    assert _found(_article(_page(top=info, tail=table))) == ("2017-05-14", "date-line")


def test_a_standfirst_classed_in_italian_and_a_publication_mark_in_italian() -> None:
    """``<p class="sottotitolo">`` is the header's standfirst, so the date line under it is the
    header's; a class naming the "pubblicazione" marks the page's own date anywhere."""
    standfirst = (
        '<p class="sottotitolo">Conclusi i lavori di restauro: dal primo giugno tornano i '
        "banchi di frutta, verdura e prodotti tipici</p>"
    )
    line = (
        '<div class="data-pubblicazione"><span class="label">Pubblicato il</span> '
        '<span class="data">28 maggio 2019</span></div>'
    )
    assert _found(_article(_page(top=standfirst + line))) == ("2019-05-28", "date-line")
    assert _found(_article(_page(tail=line))) == ("2019-05-28", "date-line")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("First published 16th May 2006 in News", "2006-05-16"),
        ("Erschienen am 3. Mai 2011 in Lokales", "2011-05-03"),
        ("Published 3 May 2011 in Business & Economy", "2011-05-03"),
    ],
)
def test_a_date_line_may_name_its_section_after_the_date(line: str, expected: str) -> None:
    from storyline.extract.date_sources import date_line_values

    assert [v[0][:10] for v in date_line_values(line)] == [expected]
    # an archive's own line wins over the import date in every metadata field
    head = '<meta property="article:published_time" content="2019-03-11T09:00:00+00:00">'
    top = f'<div class="article-meta"><span class="first-published">{line}</span></div>'
    assert _found(_article(_page(head=head, top=top))) == (expected, "date-line")


def test_an_images_upload_folder_in_the_metadata_is_no_publication_date() -> None:
    image = (
        '<meta property="og:image" content="https://img.example/articles/2022/08/22/lift.jpg">'
        '<meta name="twitter:image" content="https://img.example/2022/08/22/lift-tw.jpg">'
        '<meta itemprop="thumbnailUrl" content="https://img.example/2022/08/22/lift-s.jpg">'
        '<meta property="og:logo" content="https://img.example/2022/08/22/logo.png">'
    )
    assert html_meta_date(_page(head=image)) is None
    line = '<div class="story-postdate">Published Aug 23, 2022, 5:00 am</div>'
    page = _page(head=image, top=line)
    assert _found(_article(page)) == ("2022-08-23", "date-line")


def test_a_byline_link_beside_the_page_s_date_is_no_teaser() -> None:
    page = (
        "<html><head><title>Ferry timetable</title></head><body><main><article><header>"
        '<h1>Ferry timetable</h1><div>By <a href="/author/mary-ann-smith">Mary Ann Smith</a> '
        f"<time>12 September 2023</time></div></header>{PARAS}</article>"
        '<div>Next: <a href="/news/fares">Ferry fares go up again</a> '
        "<span>5 September 2023</span></div></main></body></html>"
    )
    assert _found(_article(page)) == ("2023-09-12", "date-line")


def test_a_tag_archives_cards_are_other_stories() -> None:
    """A tag page lists stories as cards (an <article> each, its linked title in an <h2>, its
    <time> in a meta line one level down): none of their dates is the page's."""
    cards = "".join(
        f'<article class="post-card"><div class="post-card__body"><h2><a href="/news/{n}/">'
        f'{title}</a></h2><div class="post-card__meta"><span>Staff</span> '
        f'<time datetime="2023-11-{day}T09:00:00+02:00">{day} November 2023</time></div></div>'
        "</article>"
        for n, (title, day) in enumerate(
            (("Parts of Soweto without water again", 14), ("Residents queue at tankers", 13))
        )
    )
    page = (
        "<html><head><title>Water outages</title></head><body><h1>Tag: water outages</h1>"
        f"<section>{cards}</section></body></html>"
    )
    assert htmldate_date(page) is None
    assert _found(_article(page)) is None


def test_a_german_press_releases_dateline_closed_by_a_full_stop() -> None:
    """ "Hannover, 14.02.2018. Die Messungen ..." opens a release: its day wins over a site
    relaunch's metadata two years later; a weekday opening a sentence is no place."""
    from storyline.extract.date_sources import _inline_dateline

    head = '<meta property="article:published_time" content="2020-09-01T10:00:00+02:00">'
    text = (
        "Hannover, 14.02.2018. Die Messungen des Bündnisses an sieben Stellen entlang der "
        "Leine haben im Januar erneut zu hohe Nitratwerte ergeben, teilte der Verein mit."
    )
    article = _article(_page(head=head, top=f"<p>{text}</p>"), text=text)
    assert _found(article) == ("2018-02-14", "date-line")
    assert _inline_dateline("Dresden, den 12.08.2005. Ein heftiges Gewitter hat …") == [
        ("2005-08-12", "day", False)
    ]
    assert _inline_dateline("Berlin, am 3. Mai 2011 – Die Stadt öffnet …") == [
        ("2011-05-03", "day", False)
    ]
    assert _inline_dateline("Am Montag, 12. März 2018. Danach ging es weiter.") == []
    assert _inline_dateline("Berlin, 1989. Die Mauer fiel im November.") == []


def test_a_blogs_newer_posts_date_headers_above_the_post_are_not_its_date() -> None:
    """Blogger's date headers, each over another post's linked title, in a strip above the
    post's own date header (whose title is no link)."""
    newer = "".join(
        f'<div class="date-outer"><h2 class="date-header"><span>Sonntag, {day}. Oktober 2015'
        f'</span></h2><div class="date-posts"><h3 class="post-title"><a href="/2015/10/{day}.html">'
        f"{title}</a></h3></div></div>"
        for day, title in ((18, "Kürbisse vom Bauernmarkt"), (4, "Regentage und ein Buch"))
    )
    own = (
        '<div class="date-outer"><h2 class="date-header"><span>Sonntag, 20. September 2015'
        '</span></h2><div class="date-posts"><h3 class="post-title">Herbstspaziergang am '
        "Werdersee</h3></div></div>"
    )
    page = _page(top=f'<div class="newer-strip">{newer}</div>{own}')
    assert _found(_article(page)) == ("2015-09-20", "date-line")


def test_a_consent_banner_and_a_grid_main_do_not_hide_the_bylines_time() -> None:
    """A cookie banner's paragraph, first in the body's markup, is not the article's first
    paragraph; a ``<main class="grid_8c8b4">`` holds the article, it is no card; so the
    byline's ``<time datetime>`` under a standfirst is the header's (relative text only)."""
    banner = (
        '<div class="cookie_b8d48" id="cmp-banner"><p>Wir und unsere Partner verwenden Cookies '
        "und ähnliche Technologien, um Inhalte und Anzeigen zu personalisieren und Zugriffe zu "
        "analysieren.</p></div>"
    )
    header = (
        '<main class="grid_8c8b4"><article><header><h1>Radparkhaus eröffnet</h1>'
        '<p class="standfirst">Nach zwei Jahren Bauzeit können Pendlerinnen und Pendler ihre '
        "Räder am Bahnhof sicher abstellen, ein Teil fehlt noch.</p>"
        '<div class="byline__meta"><time datetime="2024-04-17T09:12:00+02:00">vor 2 Stunden'
        "</time></div></header>"
    )
    state = (
        '<script>window.__STATE__ = {"related": [{"publishedAt": "2024-04-16T02:12:00.000Z"}]}'
        "</script>"
    )
    page = (
        f"<html><head><title>Radparkhaus</title>{state}</head><body>{banner}{header}"
        f"{PARAS}</article></main></body></html>"
    )
    assert _found(_article(page)) == ("2024-04-17", "date-line")


def test_teaser_cards_with_linked_headings_and_time_attributes_are_not_the_pages() -> None:
    """``<li><a><h3>headline</h3></a><div><time datetime=…>09.06.2024</time></div></li>`` cards
    on a topic page: neither their text nor their attribute dates the page."""
    cards = "".join(
        f'<li class="topic-teaser"><a href="/z/{n}"><h3>{title}</h3></a><div class="teaser-meta">'
        f'<time datetime="2024-06-0{n}T18:05:00+02:00">0{n}.06.2024</time></div></li>'
        for n, title in (
            (9, "Genossenschaft baut neue Wohnungen"),
            (7, "Mieterverband fordert Regeln"),
        )
    )
    page = _page(top=f'<p class="topic-intro">Alle Artikel zum Thema.</p><ul>{cards}</ul>')
    assert _found(_article(page)) is None


def test_an_xhtml_pages_xml_declaration_does_not_hide_its_dates() -> None:
    """``<?xml version="1.0" encoding="utf-8"?>`` before the page made lxml refuse the decoded
    string: no date of the page was read (Joomla 1.0's ``<td class="createdate">``)."""
    from storyline.extract.page_tree import edited

    body = (
        '<table class="contentpaneopen"><tr><td class="createdate">Dienstag, 12. Juni 2007</td>'
        f"</tr><tr><td>{PARAS}</td></tr></table>"
    )
    page = (
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 '
        'Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Stadtteilfest</title></head>'
        f"<body>{body}</body></html>"
    )
    assert _found(_article(page)) == ("2007-06-12", "date-line")

    def drop_tables(tree: Any) -> bool:
        for table in tree.xpath("//table"):
            table.drop_tag()
        return True

    assert "<table" not in edited(page, drop_tables)  # the extractor's edits apply too


def test_a_query_parameters_day_and_a_forum_posts_twelve_hour_time() -> None:
    """``visa.asp?date=20070306``; vBulletin's ``03-06-2007, 02:22 PM`` after its icon, read
    month-first because a reply of 03-13-2007 can be read no other way."""
    assert _found(_article(_page(), url="http://klubb.example/visa.asp?date=20070306")) == (
        "2007-03-06",
        "url",
    )
    posts = "".join(
        f'<div class="thead"><a name="p{n}"><img src="i.gif" alt=""></a> {day}, 02:22 PM</div>'
        for n, day in enumerate(("03-06-2007", "03-13-2007"))
    )
    assert _found(_article(_page(top=posts))) == ("2007-03-06", "date-line")


def test_an_unmarked_header_date_with_its_time_but_not_an_updates() -> None:
    """A journal entry's ``<td class="index">Mar. 9th, 2004 | 10:42 pm</td>`` is the header's
    date with its time; "Updated <span>Thu, 20 January 2022 11:40AM</span>" dates the update."""
    entry = (
        '<table class="entrybox"><tr><td class="caption"><b>Umzugschaos</b></td>'
        '<td class="index">Mar. 9th, 2004 | 10:42 pm</td></tr></table>'
    )
    assert _found(_article(_page(top=entry))) == ("2004-03-09", "date-line")
    updated = '<div class="css-1kqw7t6-X">Updated <span>Thu, 20 January 2022 11:40AM</span></div>'
    assert date_line_dates("", [], _page(top=updated))[0] is None  # no published date line


# ---------------------------------------------------------------- dates_heldout27 and 28's rules


def test_a_dash_between_the_date_and_its_time() -> None:
    from storyline.extract.date_sources import date_line_values

    assert [v[0] for v in date_line_values("10.01.2020 – 00:30 Uhr")] == ["2020-01-10"]
    assert [v[0][:10] for v in date_line_values("February 11, 2020 — 6.15am")] == ["2020-02-11"]


def test_an_event_box_s_date_is_the_event_s() -> None:
    box = (
        '<div class="event-box"><div class="event-box__date"><span>Samedi</span> <span>12</span>'
        ' <span>mai 2018</span></div><ul class="event-box__infos"><li>Quand : samedi 12 mai 2018'
        " à 20h30</li></ul></div>"
        '<div class="node__meta"><span class="node__date">Publié le 27/04/2018</span></div>'
    )
    assert _found(_article(_page(top=box))) == ("2018-04-27", "date-line")


@pytest.mark.parametrize("mark", ['id="headerdate"', 'class="header-date"', 'class="top_date"'])
def test_the_header_s_date_of_the_day_is_not_the_article_s(mark: str) -> None:
    top = (
        f"<div {mark}>Donnerstag, 12. Juni 2014</div>"
        '<div id="storyMeta"><span class="author">Von Simon Rüfenacht</span> '
        '<span class="publishDate">05.06.2014, 17:32</span></div>'
    )
    page = (
        "<html><head><title>Ferry timetable</title></head><body>"
        + _page(top=top).split("<body>", 1)[1]
    )
    assert _found(_article(page)) == ("2014-06-05", "date-line")
    # Blogger's "date-header" is the post's own date, not the day's
    blogger = '<h2 class="date-header"><span>Thursday, 5 June 2014</span></h2>'
    assert _found(_article(_page(top=blogger))) == ("2014-06-05", "date-line")


def test_a_date_element_s_unix_time_when_it_shows_only_yesterday() -> None:
    info = (
        '<div class="article__info"><span class="article__date" data-timestamp="1633448400">'
        "вчера, 18:40</span></div>"
    )
    found = _found(_article(_page(top=info)))
    assert found == ("2021-10-05", "date-line")
    # the same attribute on an element that is no date's says nothing
    other = info.replace('class="article__date"', 'class="article__views"')
    assert _found(_article(_page(top=other))) is None


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (
            "Uit het archief. Dit artikel verscheen oorspronkelijk op vrijdag 14 november 2008 in "
            "Stadsblad Utrecht en op onze vorige website.",
            "2008-11-14",
        ),
        (
            "From the archive. This story was first published on Tuesday 14 March 2006. It was "
            "moved to our new website in November 2018.",
            "2006-03-14",
        ),
        ("Dieser Artikel erschien zuerst am 3. Mai 2011 in der Printausgabe.", "2011-05-03"),
        ("Cet article a été publié initialement le 14 mars 2009 dans Le Progrès.", "2009-03-14"),
    ],
)
def test_an_archive_note_in_more_forms_wins_over_the_import_date(note: str, expected: str) -> None:
    head = '<meta property="article:published_time" content="2019-05-20T11:03:27+02:00">'
    top = (
        f'<div class="archive-notice"><p>{note}</p></div>'
        '<div class="entry-meta"><time class="entry-date published" '
        'datetime="2019-05-20T11:03:27+02:00">20 mei 2019</time></div>'
    )
    found = _found(_article(_page(head=head, top=top)))
    assert found is not None and found[0] == expected
    # a story's sentence about another report is no note about this page
    from storyline.extract.date_sources import _stated_publication

    assert (
        _stated_publication("The minister said the report was first published on 3 May 2011.")
        is None
    )


def test_a_standfirst_inside_the_article_s_header_element_is_no_body() -> None:
    """Hashed class names ("_1z0Kv") say nothing; HTML's <header> with the headline does: the
    byline's <time> after the standfirst is still the header's."""
    page = (
        "<html><head><title>Late-night venues win reprieve</title></head><body><article>"
        '<header><h1>Late-night venues win reprieve</h1><p class="_1z0Kv">The last of the CBD '
        "lockout laws will go, with small bars allowed to serve until 3am.</p><div>"
        '<time datetime="2020-02-10T19:15:00.000Z" class="_2_zR-">February 11, 2020 &mdash; '
        f"6.15am</time></div></header>{PARAS}</article></body></html>"
    )
    found = _found(_article(page))
    assert found is not None and found[0] == "2020-02-11"


# ---------------------------------------------------------------- dates_heldout29 and 30's rules


def test_a_time_in_its_own_part_with_uhr() -> None:
    from storyline.extract.date_sources import date_line_values

    assert [v[0] for v in date_line_values("Do., 16.02.2023 | 00:35 Uhr")] == ["2023-02-16"]
    assert [v[0] for v in date_line_values("12.03.2014 | 10h15")] == ["2014-03-12"]


def test_a_desk_signed_date_line_beats_an_import_date() -> None:
    head = '<meta property="article:published_time" content="2018-06-05T09:00:00Z">'
    top = '<p class="article-date">Redactie Haven · <span class="date">14 maart 2007</span></p>'
    assert _found(_article(_page(head=head, top=top))) == ("2007-03-14", "date-line")
    # a section's name before the date is still a kicker, which alone does not beat it
    kicker = top.replace("Redactie Haven", "Stadtleben")
    assert _found(_article(_page(head=head, top=kicker))) == ("2018-06-05", "html-meta")


def test_an_archive_notice_above_the_article_does_not_end_its_header() -> None:
    head = '<meta property="article:published_time" content="2019-10-02T10:00:00Z">'
    notice = (
        '<div class="archive-notice" role="note"><p>Dit artikel komt uit ons archief en is in '
        "2019 overgezet naar onze nieuwe website. De opmaak kan afwijken van de oorspronkelijke "
        "publicatie.</p></div>"
    )
    page = _page(head=head).replace(
        "<article><h1>Ferry timetable</h1>",
        f"{notice}<article><header><h1>Ferry timetable</h1><div><span>Maarten de Vries</span> "
        '<span class="artikel__date">12 maart 2014</span></div></header>',
    )
    assert _found(_article(page)) == ("2014-03-12", "date-line")
