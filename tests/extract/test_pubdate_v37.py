"""Date stage v37 (from dates_heldout62, scored once against e79a868; dates_heldout61 scored
1.000 there): a date in the Ethiopian calendar, a Khmer date line, a forum's board is a listing,
Tagalog's "ni" before a byline after the date, a news section named by "news" first after the
date. Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import date_line_values
from storyline.extract.dates import find_date
from storyline.extract.local_calendars import ethiopian_date, khmer_date


def _days(line: str) -> list[str]:
    return [value[:10] for value, _, _ in date_line_values(line)]


def _found(html: str) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def test_the_ethiopian_calendar() -> None:
    assert ethiopian_date("ማክሰኞ ጥር 12 ቀን 2012 ዓ.ም") == ("2020-01-21", "day")
    assert ethiopian_date("መስከረም 1 2012 ዓ.ም.") == ("2019-09-12", "day")
    assert ethiopian_date("መስከረም 1 ቀን 2016 ዓ.ም") == ("2023-09-12", "day")  # after a leap year
    assert ethiopian_date("ጳጉሜ 6 ቀን 2015 ዓ.ም") == ("2023-09-11", "day")
    assert ethiopian_date("ጥር 31 ቀን 2012 ዓ.ም") is None  # thirty days a month
    assert ethiopian_date("ጥር 12 2012") is None  # no era's mark: not said to be Ethiopian
    assert _days("ማክሰኞ ጥር 12 ቀን 2012 ዓ.ም") == ["2020-01-21"]
    assert _days("ሰኞ, ኅዳር 20 ቀን 2003 ዓ.ም (29 ኖቬምበር 2010)") == ["2010-11-29"]
    # a sentence that mentions a day (yesterday's race) is no date line
    assert ethiopian_date("የታላቁ ሩጫ ትናንት እሑድ ኅዳር 19 ቀን 2003 ዓ.ም በአዲስ አበባ ተካሄደ") is None


def test_a_khmer_date_line() -> None:
    assert _days("ថ្ងៃព្រហស្បតិ៍ ទី២៧ ខែតុលា ឆ្នាំ២០២២ ម៉ោង ៩:៣០ ព្រឹក") == ["2022-10-27"]
    assert khmer_date("ទី31 ខែកុម្ភៈ ឆ្នាំ2022") is None


def test_bylines_and_sections_after_a_date() -> None:
    assert _days("Nai-post noong 2018-07-08 ni Bro. Carlo Manalastas") == ["2018-07-08"]
    assert _days("8 July 2018 · Balita ng Parokya") == ["2018-07-08"]
    assert _days("12 March 2019 | Brexit Vote Delayed") == []  # another line's title


def test_a_forum_s_board_is_a_listing() -> None:
    page = (
        '<html><head><link rel="canonical" href="https://talk.example/forum/transport-traffic/">'
        '</head><body><h1>Transport &amp; Traffic</h1><table><tr><td><a href="/t/1">Third '
        'Mainland Bridge closure</a></td><td class="date">09/03/2020</td></tr><tr><td><a '
        'href="/t/2">Danfo fares up again</a></td><td class="date">10/03/2020</td></tr></table>'
        "</body></html>"
    )
    assert _found(page) is None


def test_a_fifth_review_s_mends() -> None:
    # an ideographic space parts a portal's fields only, not a date from its weekday or time
    assert _days("2018年11月5日\u3000(月)") == ["2018-11-05"]
    assert [v for v, _, _ in date_line_values("2018年11月5日\u300014:30")] == [
        "2018-11-05T14:30:00"
    ]
    # a weekday's short form is a weekday's: "bis" (until) is none
    assert _days("bis 03.06.2010") == []
    assert _days("čt 03.06.2010") == ["2010-06-03"]
    assert _days("62. årgang, nr. 48 · 3. mars 2010") == ["2010-03-03"]
    assert _days("二〇一八年十三月五日") == []  # no thirteenth month
    assert ethiopian_date("ጳጉሜ 6 ቀን 2012 ዓ.ም") is None  # 2012 is no leap year
    # a story's later page and a paper's "forum" section are no listings
    for url in (
        "https://news.example/2020/05/harbour-fees/page/2/",
        "https://news.example/opinion/forum/more-help-needed-for-fishermen",
    ):
        page = (
            f'<html><head><link rel="canonical" href="{url}"></head><body><h1>Harbour fees</h1>'
            '<div class="meta"><span class="date">14 May 2020</span></div><p>The harbour board '
            "voted on Thursday to raise mooring fees by a tenth from April after a long debate "
            "about dredging.</p></body></html>"
        )
        found = _found(page)
        assert found is not None and found[0] == "2020-05-14", url
