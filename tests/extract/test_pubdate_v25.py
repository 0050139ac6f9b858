"""Date stage v25: an old header's date line with its author after it, a migrated archive's
place-led date under the headline (not a masthead's "Place, today" above it), and a list of other
stories whose `<time>` texts no date pattern reads alone."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import (
    _language_order,
    _teaser_dates,
    date_line_values,
    html_header_lines,
    html_meta_date,
    not_a_writing,
)
from storyline.extract.dates import find_date

BODY = (
    "<p>The tram line to the eastern estates reopened on Wednesday morning, four days earlier "
    "than the transport company had planned when the works began in the summer.</p>"
    "<p>Crews replaced the rails between two stops and rebuilt the platforms so that passengers "
    "with prams can board without help.</p>"
)


def _found(html: str, **attrs: Any) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    for key, value in attrs.items():
        setattr(article, key, value)
    found = find_date(article)
    return (found.day, found.source) if found else None


def _old_table_page(date_line: str) -> str:
    sidebar = "".join(
        f'<tr><td class="small"><a href="/story-{n}.html">Council reviews the market hall '
        f"plan {n}</a><br>{day}.10.2009</td></tr>"
        for n, day in enumerate(("10", "09", "29"))
    )
    return (
        "<html><head><title>Valley Pages</title></head><body><table><tr>"
        f'<td width="160"><table><tr><td><b>Newest</b></td></tr>{sidebar}</table></td>'
        '<td><span class="headline">Tram to the eastern estates runs again</span><br>'
        f'<span class="small">{date_line}</span><br><br>{BODY}</td></tr></table></body></html>'
    )


def test_an_old_header_s_date_line_with_its_author_after_it() -> None:
    page = _old_table_page("středa 21. října 2009, 14:05 | Autor: Petr Kratochvíl")
    assert "středa 21. října 2009, 14:05" in html_header_lines(page)
    assert _found(page) == ("2009-10-21", "date-line")
    english = _old_table_page("Wednesday, October 21, 2009 | By Dana Whitlock")
    assert _found(english) == ("2009-10-21", "date-line")


def test_a_date_line_with_prose_after_it_is_no_header_date() -> None:
    page = _old_table_page("21. října 2009 | Autor článku byl na místě celý den a mluvil s lidmi")
    assert "21. října 2009" not in html_header_lines(page)


def _migrated(meta_line: str, masthead: str = "") -> str:
    return (
        "<html><head><title>Readings on line 11</title>"
        '<meta property="article:published_time" content="2019-11-27T03:14:00+01:00">'
        f"</head><body>{masthead}<article><h1>Readings on line 11</h1>"
        f'<div class="node__meta"><span class="field--name-uid">Ulrike Sander</span> '
        f'<span class="field--name-field-original-date">{meta_line}</span></div>'
        f"{BODY}</article></body></html>"
    )


def test_a_place_led_date_under_the_headline_is_the_page_s() -> None:
    page = _migrated("Leipzig, 17. März 2009")
    assert "17. März 2009" in html_header_lines(page)
    # the migration rule: a printed day years before the metadata's is the first publication
    assert _found(page) == ("2009-03-17", "date-line")


def test_a_masthead_s_place_and_today_above_the_headline_stay_as_they_are() -> None:
    today = "Montevideo, viernes 4 de diciembre de 2026"
    masthead = f'<table><tr><td class="datebar">{today}</td></tr></table>'
    page = _migrated("Leipzig, 17. März 2009", masthead)
    lines = html_header_lines(page)
    assert "Montevideo, viernes 4 de diciembre de 2026" in lines
    assert "viernes 4 de diciembre de 2026" not in lines
    assert _found(page) == ("2009-03-17", "date-line")


def test_an_update_s_label_before_a_place_is_not_cut_off() -> None:
    page = _migrated("Aktualisiert, 17. März 2009")
    assert "17. März 2009" not in html_header_lines(page)


def _wire_strip_page() -> str:
    items = "".join(
        f'<li><time datetime="2016-09-12T{hour}:02:00+02:00">Le 12/09/2016 à {hour}h02</time> '
        f'<a href="https://paper.example/fil/{hour}">Un entrepôt touché par un incendie</a></li>'
        for hour in ("18", "16", "11")
    )
    return (
        '<html lang="fr"><head><title>Marché nocturne</title></head><body>'
        f'<aside class="filinfo"><h2>Fil info</h2><ul>{items}</ul></aside>'
        "<article><h1>Le marché nocturne revient sur les quais</h1>"
        '<div class="meta"><span class="author">Par Camille Vernay</span> | '
        '<time datetime="2016-09-08T17:45:00+02:00">Publié le 08/09/2016 à 17h45</time></div>'
        f"{BODY}</article></body></html>"
    )


def test_a_strip_of_other_stories_times_dates_them_not_the_page() -> None:
    page = _wire_strip_page()
    teasers = _teaser_dates(page)
    assert "2016-09-12T18:02:00+02:00" in teasers
    assert "2016-09-08T17:45:00+02:00" not in teasers
    assert _found(page) == ("2016-09-08", "date-line")


def _video_page(video_name: str) -> str:
    clip = (
        '{"@context": "https://schema.org", "@type": "VideoObject", '
        f'"name": "{video_name}", "uploadDate": "2011-03-15T18:30:00+01:00"}}'
    )
    return (
        "<html><head><title>Ten years after the flood: have the levees held? | Valley Post</title>"
        f'<script type="application/ld+json">{clip}</script></head><body><article>'
        "<h1>Ten years after the flood: have the levees held?</h1>"
        '<div class="byline"><span class="pubdate">Published 14 March 2021</span></div>'
        f"{BODY}</article></body></html>"
    )


def test_an_embedded_clip_s_upload_day_is_not_the_article_s() -> None:
    page = _video_page("Archive: the water rises in Kungsvik")
    assert html_meta_date(page) is None
    assert _found(page) == ("2021-03-14", "date-line")


def test_a_video_page_s_own_clip_dates_it() -> None:
    page = _video_page("Ten years after the flood: have the levees held?")
    found = html_meta_date(page)
    assert found is not None and found.day == "2011-03-15"


def test_a_match_s_kick_off_is_not_the_preview_s_date() -> None:
    page = (
        "<html><head><title>Isar München host Rheinhessen</title></head><body><article>"
        "<h1>Isar München host Rheinhessen in the last home game</h1>"
        '<div class="matchbox__kickoff">Anpfiff: <time datetime="2024-05-18T15:30:00+02:00">'
        "Samstag, 18. Mai 2024, 15:30 Uhr</time></div>"
        '<div class="byline">Von Tobias Wimmer · <time datetime="2024-05-16T17:45:00+02:00">'
        f"16.05.2024 | 17:45</time></div>{BODY}</article></body></html>"
    )
    assert "2024-05-18T15:30:00+02:00" not in html_header_lines(page)
    assert _found(page) == ("2024-05-16", "date-line")


def test_a_numeric_date_s_order_from_the_page_s_language() -> None:
    def page(lang: str) -> str:
        return (
            f'<html lang="{lang}"><head><title>Marché</title></head><body><article>'
            '<h1>Le marché nocturne revient</h1><div class="date">Publié le 08/09/2016</div>'
            f"{BODY}</article></body></html>"
        )

    assert _found(page("fr")) == ("2016-09-08", "date-line")
    assert _found(page("en-GB")) == ("2016-09-08", "date-line")
    assert _found(page("en-US")) == ("2016-08-09", "date-line")
    # English without a region settles nothing: the date line is not read (htmldate's whole
    # search, asked last, guesses)
    found = _found(page("en"))
    assert found is None or found[1] == "htmldate"


def test_a_byline_s_print_edition_after_the_date() -> None:
    line = "By Margaret Doyle · Thursday 14 August 2008 · Sentinel print edition, page 23"
    assert date_line_values(line) == [("2008-08-14", "day", False)]
    assert date_line_values("14.05.2009 | Printausgabe, Seite 5") == [("2009-05-14", "day", False)]
    assert date_line_values("12 March 2010 · Page Six gossip") == []


def _archive(kind: str, og: str = "website") -> str:
    cards = "".join(
        f'<article class="card"><h2><a href="/2023/05/{n}/post">Market notes {n}</a></h2>'
        f'<time datetime="2023-05-{n:02d}">May {n}, 2023</time><p>{BODY}</p></article>'
        for n in (11, 9, 4)
    )
    ld = f'{{"@context": "https://schema.org", "@type": "{kind}", "name": "Food news"}}'
    return (
        f'<html><head><title>Food news</title><meta property="og:type" content="{og}">'
        f'<script type="application/ld+json">{ld}</script></head><body>'
        f"<h1>Food news</h1>{cards}</body></html>"
    )


def test_a_tag_archive_a_profile_or_a_product_has_no_publication_date() -> None:
    for kind in ("CollectionPage", "ProfilePage", "AboutPage", "Product"):
        assert _found(_archive(kind)) is None, kind
    assert _found(_archive("WebPage", og="product")) is None


def test_a_page_that_declares_an_article_beside_its_listing_is_dated() -> None:
    page = _archive("CollectionPage").replace(
        '"@type": "CollectionPage"', '"@type": ["CollectionPage", "NewsArticle"]'
    )
    assert _found(page) is not None
    assert _found(_archive("WebPage")) is not None


def test_a_role_signing_after_the_date_is_a_byline() -> None:
    assert date_line_values("Posted 14.10.2008 by Observer correspondent") == [
        ("2008-10-14", "day", False)
    ]
    assert date_line_values("12 May 2019 by our staff reporter") == [("2019-05-12", "day", False)]
    assert date_line_values("12 May 2019 by the sea near the harbour wall") == []


def test_an_archive_breadcrumb_s_day_is_read_by_the_fallback() -> None:
    crumbs = "".join(
        f'<li><a href="/archive/{path}">{label}</a></li>'
        for path, label in (("", "Archive"), ("2013/", "2013"), ("2013/03/", "03"),
                            ("2013/03/15/", "15"))
    )  # fmt: skip
    page = (
        "<html><head><title>Metro hall</title></head><body>"
        '<nav class="site-menu"><a href="/">Home</a> <a href="/archive/">Archive</a></nav>'
        f'<nav class="breadcrumbs"><ul>{crumbs}</ul></nav><article><h1>A new metro hall</h1>'
        f"{BODY}</article></body></html>"
    )
    assert _found(page) == ("2013-03-15", "htmldate")
    # the same links in a sidebar's archive list are other days' pages
    sidebar = page.replace('<nav class="breadcrumbs">', '<nav class="archive-list">')
    assert _found(sidebar) != ("2013-03-15", "htmldate")


def test_a_generic_meta_date_after_the_printed_day_is_the_last_save() -> None:
    page = (
        '<html><head><title>Wiesn</title><meta name="date" content="2018-10-02T16:40:00+02:00">'
        '</head><body><article><h1>Wiesn opens</h1><p class="id-DetailHeader-date">Erstellt: '
        f"22.09.2018, 09:15 Uhr</p>{BODY}</article></body></html>"
    )
    assert _found(page) == ("2018-09-22", "date-line")
    # a field that names the publication keeps its day
    named = page.replace('name="date"', 'property="article:published_time"')
    assert _found(named) == ("2018-10-02", "html-meta")


def test_a_dek_paragraph_does_not_end_the_header() -> None:
    page = (
        '<html lang="en-US"><head><title>Garden lottery</title>'
        '<meta property="article:published_time" content="2017-04-04T01:41:00Z"></head><body>'
        '<article><h1>Community garden lottery opens</h1><p class="dek">The community garden '
        "roughly doubled in size this spring. Here is how to enter the drawing.</p>"
        '<div class="byline">Owen Castellano, Staff<br><span class="posted">Posted Mon, Apr 3, '
        f"2017 at 9:41 pm ET</span></div>{BODY}</article></body></html>"
    )
    assert "Posted Mon, Apr 3, 2017 at 9:41 pm ET" in html_header_lines(page)
    assert _found(page) == ("2017-04-03", "date-line")


# --- the review's cases: what the new date rules must leave alone ----------------------------


def test_a_byline_name_ending_like_an_event_word_keeps_its_time() -> None:
    for name in ("Anna Friend", "Ahmad Lubis", "Mark Townsend"):
        page = (
            "<html><head><title>Budget</title></head><body><article><h1>Budget passes</h1>"
            f'<p class="byline">By {name} <time datetime="2021-03-14T09:00:00+01:00">Sunday</time>'
            f"</p>{BODY}</article></body></html>"
        )
        assert _found(page) == ("2021-03-14", "date-line"), name


def test_a_deadline_or_meeting_under_the_headline_is_not_the_page_s_day() -> None:
    for lead in ("Deadline", "Applications close", "Next meeting"):
        page = (
            "<html><head><title>Grants</title></head><body><article><h1>Grants open</h1>"
            f'<span class="date">{lead}, 17 March 2026</span> <span class="posted">Posted 2 '
            f"February 2026</span>{BODY}</article></body></html>"
        )
        assert _found(page) == ("2026-02-02", "date-line"), lead


def test_a_writing_that_also_declares_a_product_or_an_archive_keeps_its_date() -> None:
    article = '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Kettle"}'
    review = '{"@context": "https://schema.org", "@type": "Review", "name": "Kettle review"}'
    archive = '{"@context": "https://schema.org", "@type": "CollectionPage", "name": "Kettles"}'
    published = '<meta property="article:published_time" content="2021-03-14T09:00:00+01:00">'
    for head in (
        f'<meta property="og:type" content="product"><script type="application/ld+json">'
        f"{article}</script>{published}",
        f'<script type="application/ld+json">{review}</script>{published}',
        f'<script type="application/ld+json">{archive}</script>{published}',
    ):
        page = f"<html><head>{head}</head><body><h1>Kettle</h1>{BODY}</body></html>"
        assert not not_a_writing(page)
        assert _found(page) == ("2021-03-14", "html-meta")


def test_a_video_page_whose_headline_names_its_clip_keeps_the_upload_day() -> None:
    clip = (
        '{"@context": "https://schema.org", "@type": "VideoObject", '
        '"name": "Mayor: we had no choice", "uploadDate": "2011-03-15T18:30:00+01:00"}'
    )
    page = (
        "<html><head><title>KXYZ Video</title>"
        f'<script type="application/ld+json">{clip}</script></head><body>'
        f"<h1>Mayor: we had no choice</h1>{BODY}</body></html>"
    )
    found = html_meta_date(page)
    assert found is not None and found.day == "2011-03-15"


def test_the_declared_language_s_edge_cases() -> None:
    assert _language_order('<html lang="en-Latn-US">') == "month"
    assert _language_order('<html data-lang="fr" lang="en-US">') == "month"
    assert _language_order('<html lang="en-CA">') is None
    assert _language_order('<html lang="fil">') == "month"
    assert _language_order('<html lang="ja">') is None


def test_date_lines_of_old_european_sites() -> None:
    """From dates_heldout44: a Bulgarian read counter, Lithuanian's day word, a time with its
    author after it, an archive's "originally published" in three languages."""
    assert date_line_values("Публикувано: 11 юни 2010, 16:45 | Прочетена: 1342 пъти") == [
        ("2010-06-11T16:45:00", "datetime", False)
    ]
    assert date_line_values("2005 m. rugsėjo 28 d.") == [("2005-09-28", "day", False)]
    assert date_line_values("Publikované: 22. 10. 2008 | 14:05  Autor: (mk)") == [
        ("2008-10-22", "day", False)
    ]
    assert date_line_values("12 May 2010 | 14:05 and then the council voted") == []
    for line in (
        "Door Sanne de Wit · oorspronkelijk gepubliceerd op maandag 3 maart 2008",
        "originally published on Monday 3 March 2008",
        "ursprünglich veröffentlicht am 3. März 2008",
    ):
        assert date_line_values(line) == [("2008-03-03", "day", False)], line


def test_an_unmarked_place_and_date_under_the_headline() -> None:
    line = "Kraków, 8 IV 2009 · autor: Tomasz Wrona"
    page = (
        "<html><head><title>Tramwaj</title></head><body><article><h1>Tramwaj do Bieżanowa</h1>"
        f'<div class="info">{line}</div>{BODY}</article></body></html>'
    )
    assert "Kraków, 8 IV 2009" not in html_header_lines(page)
    assert "8 IV 2009" in html_header_lines(page)
    assert _found(page) == ("2009-04-08", "date-line")
    # above the headline, a masthead's place and day stay unread
    above = page.replace(
        f'<h1>Tramwaj do Bieżanowa</h1><div class="info">{line}</div>',
        f'<div class="info">{line}</div><h1>Tramwaj do Bieżanowa</h1>',
    )
    assert "8 IV 2009" not in html_header_lines(above)


def test_a_page_without_h1_whose_menu_comes_after_the_story() -> None:
    """An old page's headline is an ``h2.article_title`` and its body text between breaks; the
    only ``<nav>`` is in the footer: the byline's date is no top bar's."""
    page = (
        "<html><head><title>Exports</title></head><body><div id='header'><a href='/'>Daily</a>"
        "</div><h2 class='article_title'>Exporters feel the won</h2><div class='article_info'>"
        "<span class='date'>기사입력 2009-11-03 14:22</span></div><div id='articleBody'>"
        "Exporters with most of their sales abroad say the stronger currency is eating into "
        "their margins this autumn.<br><br>Small firms have no one to manage the risk.</div>"
        "<nav><a href='/about'>About</a></nav></body></html>"
    )
    assert _found(page) == ("2009-11-03", "date-line")
    # a top bar's day above the site's menu, before the headline, stays unread
    top = page.replace(
        "<div id='header'>",
        "<div class='topbar'><span class='date'>2026-12-07</span></div>"
        "<nav><a href='/'>Home</a></nav><div id='header'>",
    )
    assert "2026-12-07" not in html_header_lines(top)
