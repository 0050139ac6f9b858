"""Date stage v36 (from dates_heldout59 and dates_heldout60, scored once against 9525607) and a
fourth review of date stage v35: a phpBB post's author line, an old paper's masthead with its
volume, issue and price, a weekday's short form before a numeric date, Thai March's
abbreviation, a date in Chinese numerals among a portal's fields, a build's stamp in a script,
a section's later page; the review's mends to the list item's date, the tag named with a year,
the agencies after a date and the update's label across a wrapper. Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import date_line_values, html_header_lines
from storyline.extract.dates import find_date

BODY = (
    "<p>The harbour board voted on Thursday to raise mooring fees by a tenth from April, the "
    "first increase in six years, after a long debate about dredging.</p><p>Fishermen said the "
    "rise would hit the smallest boats hardest and asked the board to phase it in.</p>"
)


def _found(html: str, url: str | None = None) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    if url:
        article.url = url
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def _days(line: str) -> list[str]:
    return [value[:10] for value, _, _ in date_line_values(line)]


def test_a_forum_post_s_author_line_is_read() -> None:
    for by, day in (("by", "Thu Jun 03, 2010 10:14 pm"), ("od", "čt 03. 06. 2010 22:14")):
        page = (
            '<html><body><h2 class="topic-title"><a href="./viewtopic.php?t=1">Cloudy water after '
            'the filter change</a></h2><div class="post"><h3 class="first"><a href="#p1">Cloudy '
            f'water</a></h3><p class="author"><a href="#p1"><img src="i.gif"></a>{by} <strong>'
            f'<a href="./memberlist.php?u=4">Jirka_K</a></strong> &raquo; {day}</p><div '
            'class="content">After changing the filter in my tank the water has been cloudy for '
            "three days now and I do not know what to do next.</div></div></body></html>"
        )
        assert [line for line in html_header_lines(page)] == [day]
        assert _found(page) == ("2010-06-03", "date-line")


def test_lines_of_old_papers_and_short_weekdays() -> None:
    assert _days("HÍRLAP · LXII. évfolyam, 48. szám · 2009. február 27., péntek · Ára: 120 Ft") == [
        "2009-02-27"
    ]
    assert _days("Jahrgang 62, Nr. 48 · Freitag, 27. Februar 2009") == ["2009-02-27"]
    assert _days("čt 03. 06. 2010 22:14") == ["2010-06-03"]
    assert _days("15 มี.ค. 2562") == ["2019-03-15"]  # March, not January's "ม.ค."
    assert _days("15 ม.ค. 2562") == ["2019-01-15"]
    assert _days("发布时间：二〇一八年十一月五日") == ["2018-11-05"]
    assert _days("二〇二一年十二月三十一日") == ["2021-12-31"]
    # a story's words are no price: "Ára" only as a label with its amount
    assert _days("2009. február 27. · Ára nincs") == []


def test_a_portal_s_date_among_its_fields_in_chinese_numerals() -> None:
    page = (
        "<html><body><h1>西湖边电梯试点</h1><div class=art-info>"
        "发布时间：二〇一八年十一月五日\u3000来源：西湖在线\u3000作者：记者 周敏\u3000"
        "通讯员 陈立</div><p>杭州市西湖区今年在十二个老旧小区试点加装电梯，"
        "居民可以申请补贴，街道负责协调施工和验收工作。</p></body></html>"
    )
    assert _found(page) == ("2018-11-05", "date-line")


def test_a_build_stamp_in_a_script_dates_no_page() -> None:
    page = (
        "<html><body><h1>About us</h1><p>Harbourline Freight has moved goods between the ports "
        "of the Sound since 1962 and runs three depots today.</p><script>dataLayer.push("
        '{"pageType":"company","siteVersion":"2024.03.28-1"});</script></body></html>'
    )
    assert _found(page) is None


def test_a_section_s_later_page_is_a_listing() -> None:
    page = (
        '<html><head><link rel="canonical" href="https://vesti.example/gorod/page/2/"></head>'
        '<body><h1>Город</h1><div class="short"><span class="date">12-03-2021, 10:15</span>'
        '<h2><a href="/gorod/1-most.html">Мост закроют на ремонт</a></h2></div><div class="short">'
        '<span class="date">11-03-2021, 09:00</span><h2><a href="/gorod/2-park.html">В парке '
        "посадят липы</a></h2></div></body></html>"
    )
    assert _found(page) is None


def test_a_list_item_s_date_beside_an_author_or_inside_a_post_stays_the_page_s() -> None:
    byline = (
        '<html lang="fa"><body><h1>بازار</h1><ul class="meta"><li><a href="/author/x">محمد علی رضا'
        ' حسینی</a> <span class="date">۹ بهمن ۱۳۹۳</span></li></ul>'
        f"{BODY}</body></html>"
    )
    assert _found(byline) == ("2015-01-29", "date-line")
    wrapped = (
        '<html><body><ul><li class="post hentry"><h1>Fees vote</h1><div class="meta"><time '
        'class="published" datetime="2015-01-29T10:00">29 January 2015</time></div><div '
        'class="entry"><p>The board met about <a href="/x">the cost of dredging the channel</a> '
        "and voted to raise the fees by a tenth from April this year.</p></div></li></ul>"
        "</body></html>"
    )
    found = _found(wrapped)
    assert found is not None and found[0] == "2015-01-29" and found[1] == "date-line"


def test_a_tag_named_with_a_year_is_still_a_listing() -> None:
    page = (
        '<html><head><link rel="canonical" href="https://n.example/tag/election-2024/"></head>'
        '<body><h1>Election 2024</h1><div class="meta"><span class="date">10 January 2024</span>'
        f"</div>{BODY}</body></html>"
    )
    assert _found(page) is None


def test_agencies_after_a_date_in_their_own_case() -> None:
    for line in ("12.03.2019 | dpa", "12 March 2019 | Sputnik", "12 March 2019 | Agence "
                 "France-Presse"):  # fmt: skip
        assert _days(line) == ["2019-03-12"], line


def test_an_update_label_across_a_block_is_another_field() -> None:
    page = (
        '<html lang="fa"><body><h1>بازار</h1><div class="upd"><span>به‌روزرسانی</span><span '
        'class="updated-date"></span></div><div class="pub"><span class="date">۹ بهمن ۱۳۹۳'
        f"</span></div>{BODY}</body></html>"
    )
    assert _found(page) == ("2015-01-29", "date-line")


def test_a_publication_day_under_a_script_s_date_key_still_dates_the_page() -> None:
    page = (
        "<html><body><h1>Frevo na rua</h1><p>Os blocos de frevo tomaram as ruas do centro do "
        "Recife neste domingo, com milhares de foliões acompanhando as orquestras.</p><script>"
        "var utag_data = {data_publicacao: '04/03/2019 14:22', secao: 'carnaval'};</script>"
        "<p class=rel>Há 2 dias</p></body></html>"
    )
    found = _found(page)
    assert found is not None and found[0] == "2019-03-04"
