"""Date stage v38 (from dates_heldout64 and 66, each scored once against b319a9d; dates_heldout65
scored .987 there and gave no rule): a newsroom after an em dash, a label in an element of its
own with the date after it, the time's word in a bare header date ("kl. 14:12"), Croatian month
names on a Croatian page, a German forum's two-digit year, PHP-Nuke's author lines in Finnish
and Czech, a "yymmdd" folder or file name when nothing else dates the page. Examples are our own.
"""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import date_line_values
from storyline.extract.dates import find_date

BODY = (
    "<p>The harbour board voted on Thursday to raise mooring fees by a tenth from April, the first "
    "increase in six years, after a long debate about the cost of dredging the channel.</p>"
    "<p>Fishermen said the rise would hit the smallest boats hardest and asked the board to phase "
    "it in over two years.</p>"
)


def _found(html: str, url: str | None = None) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    article.url = url
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def _days(line: str) -> list[str]:
    return [value[:10] for value, _, _ in date_line_values(line)]


def test_a_newsroom_after_an_em_dash() -> None:
    page = (
        "<html><body><h1>Tramvaje</h1><span class='submitted'>Publikováno čtvrtek, 3. dubna 2008 "
        f"- 10:15 — redakce</span>{BODY}</body></html>"
    )
    assert _found(page) == ("2008-04-03", "date-line")


def test_a_label_in_its_own_element() -> None:
    page = (
        "<html><body><h1>Горячая вода</h1><div><span class='postdetails'><img src='p.gif'> "
        f"<b>Отправлено:</b> 14.3.2009, 23:02</span></div>{BODY}</body></html>"
    )
    assert _found(page) == ("2009-03-14", "date-line")


def test_the_time_s_word_in_a_bare_header_date() -> None:
    page = (
        "<html><body><font size='1'>Föstudagur 14. nóvember 2003 kl. 14:12</font>"
        f"<h1>Veður</h1>{BODY}</body></html>"
    )
    assert _found(page) == ("2003-11-14", "date-line")


def test_croatian_months_on_a_croatian_page() -> None:
    head = "<html lang='hr'><body><h1>Sezona</h1><p class='author'>od MareSplit » Pon Lip 14, "
    page = f"{head}2010 10:22 am</p>{BODY}</body></html>"
    assert _found(page) == ("2010-06-14", "date-line")  # lipanj: June, not the Polish July
    listopad = f"<html lang='hr'><body><h1>Sezona</h1><time>14. listopada 2010.</time>{BODY}"
    assert _found(listopad) == ("2010-10-14", "date-line")
    # on a page that does not say it is Croatian, the reading is as before
    assert _days("14. listopada 2010") == ["2010-11-14"]


def test_a_german_forum_s_two_digit_year() -> None:
    page = (
        "<html><body><h1>Gastherme taktet</h1><div class='normal'><a name='post1'><img src='i.gif'>"
        f"</a> 12.03.09, 14:22</div>{BODY}</body></html>"
    )
    assert _found(page) == ("2009-03-12", "date-line")


def test_php_nuke_author_lines() -> None:
    assert _days(
        "Lähettänyt admin perjantai, 15. tammikuuta 2010 @ 14:22:10 EET (412 lukukertaa)"
    ) == ["2010-01-15"]
    assert _days("Zaslal redakce dne 3. 4. 2008") == ["2008-04-03"]
    assert _days("Postat av admin den 3 april 2008") == ["2008-04-03"]
    assert _days("Lähettänyt admin") == []


def test_a_short_day_in_the_address_comes_last() -> None:
    from storyline.extract.date_sources import url_short_day

    assert url_short_day("http://w.example/nieuws/060307.htm") is not None
    assert url_short_day("http://w.example/981117/local3.htm").day == "1998-11-17"  # type: ignore[union-attr]
    assert url_short_day("http://w.example/news/123456.htm") is None  # month 34
    assert url_short_day("http://w.example/story/060307-harbour") is None
    undated = f"<html><body><h1>Nieuws</h1>{BODY}</body></html>"
    assert _found(undated, "http://w.example/nieuws/060307.htm") == ("2006-03-07", "url")
    dated = (
        "<html><head><meta property='article:published_time' content='2011-05-04T10:00:00+02:00'>"
        f"</head><body><h1>Nieuws</h1>{BODY}</body></html>"
    )
    assert _found(dated, "http://w.example/nieuws/060307.htm") == ("2011-05-04", "html-meta")
