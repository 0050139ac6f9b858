"""Date stage v31: Afghanistan's Solar Hijri month names (Dari and Pashto), the numeric Solar
Hijri date written year first, a Persian or Urdu line giving the Hijri date and then the
Gregorian one, bylines in the region's languages after the date, a forum post's number before
its date, the Buddhist era's mark, a Japanese desk after the date, a mail archive's message
time; and three review mends (a Haitian date with a dotted capital I, a date line ending with a
city's time). Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import date_line_values
from storyline.extract.dates import find_date
from storyline.extract.solar_hijri import solar_hijri_date

BODY_FA = (
    "<p>شمار گردشگران داخلی در تابستان امسال به بیشتر از دو برابر سال گذشته رسید و صاحبان "
    "مهمان‌خانه‌ها می‌گویند بیشتر اتاق‌ها تا پایان فصل رزرو شده است و جاده‌ها شلوغ است.</p>"
)


def _found(html: str) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def _days(line: str) -> list[str]:
    return [value[:10] for value, _, _ in date_line_values(line)]


def test_afghan_month_names_and_the_numeric_solar_hijri_date_are_read() -> None:
    assert solar_hijri_date("شنبه، ۱۲ سنبله ۱۴۰۱") == ("2022-09-03", "day")
    assert solar_hijri_date("۱۲ وږی ۱۴۰۱") == ("2022-09-03", "day")  # Pashto
    assert solar_hijri_date("۵ جوزای ۱۳۹۹") == ("2020-05-25", "day")
    assert solar_hijri_date("۱۳۹۱/۱۰/۲۰، ۲۱:۳۴") == ("2013-01-09", "day")
    assert solar_hijri_date("۱۳۹۱/۳/۲۰ هـ.ش") == ("2012-06-09", "day")
    # a lunar Hijri year of today (1440s) is no solar year yet; a month 13 is none
    assert solar_hijri_date("1444/09/11") is None
    assert solar_hijri_date("1391/13/01") is None


def test_region_date_lines_with_a_byline_a_second_calendar_or_a_label() -> None:
    assert _days("شنبه، ۱۲ سنبله ۱۴۰۱ | گزارش: علی رضا یوسفی") == ["2022-09-03"]
    assert _days("سێشەممە ١٣ ئایار ٢٠١٤ | ئامادەکردنی: هیوا عەلی") == ["2014-05-13"]
    assert _days("تاریخ: ۱۳۹۱/۳/۲۰ هـ.ش") == ["2012-06-09"]
    line = "شمارهٔ اعلامیه: ۱۴۷ | تاریخ: ۱۳۹۱/۳/۲۰ هـ.ش مطابق ۲۰۱۲/۰۶/۰۹ م"
    assert _days(line) == ["2012-06-09"]
    assert _days("پیر 11 رمضان المبارک 1444 ھ / 3 اپریل 2023 ء") == ["2023-04-03"]
    assert _days("3 اپریل 2023ء") == ["2023-04-03"]


def test_a_dari_page_dated_only_in_its_calendar() -> None:
    page = (
        '<html lang="fa-AF"><body><article><h1>افزایش گردشگران در بند امیر</h1>'
        '<div class="meta">شنبه، ۱۲ سنبله ۱۴۰۱ | گزارش: علی رضا یوسفی</div>'
        f"{BODY_FA}{BODY_FA}</article></body></html>"
    )
    assert _found(page) == ("2022-09-03", "date-line")


def test_a_forum_post_head_with_its_number_dates_the_thread() -> None:
    page = (
        '<html lang="fa"><body><table class="post"><tr><td class="posthead">#1 &nbsp; '
        "۱۳۹۱/۱۰/۲۰، ۲۱:۳۴</td></tr><tr><td class=postbody><h2>سفر زمستانی به شیراز</h2>"
        f"{BODY_FA}{BODY_FA}</td></tr></table>"
        '<table class="post"><tr><td class="posthead">#2 &nbsp; ۱۳۹۱/۱۰/۲۱، ۰۹:۱۲</td></tr>'
        "<tr><td>ممنون از گزارش خوبتان</td></tr></table></body></html>"
    )
    assert _found(page) == ("2013-01-09", "date-line")


def test_era_marks_a_desk_and_a_mail_archive_s_time() -> None:
    assert _days("วันอังคารที่ 12 พฤษภาคม พ.ศ. 2552 เวลา 15:20 น.") == ["2009-05-12"]
    assert _days("12 พฤษภาคม พ.ศ.2552") == ["2009-05-12"]
    assert _days("平成20年7月17日(木)\u3000社会部") == ["2008-07-17"]
    page = (
        "<html><body><h1>[cyclists] Bridge sidewalk closed from Monday</h1><b>Dana W.</b><br>"
        "<i>Tue Apr 22 09:12:44 PDT 2003</i><hr><pre>Hi all, the county called our club this "
        "morning to say the north sidewalk of the bridge will be closed for ten days from next "
        "Monday while they replace the grating near the lift span.\nDana</pre></body></html>"
    )
    assert _found(page) == ("2003-04-22", "date-line")


def test_review_mends_a_dotted_capital_and_a_city_s_time() -> None:
    assert date_line_values("Pibliye mèkredİ 17 oktòb 2018") == []  # no crash, no misreading
    assert _days("Pibliye mèkredi 17 oktòb 2018") == ["2018-10-17"]
    assert _days("Published: March 5, 2021 at 18:42 Kabul time") == ["2021-03-05"]
    assert _days("March 5, 2021, 18:42 (Tehran time)") == ["2021-03-05"]
    page = (
        "<html><body><article><h1>Council meets on the budget</h1>"
        "<p>Published: March 5, 2021 at 18:42 Kabul time</p><p>The council met on Friday to "
        "discuss the city budget for the coming year and heard from residents of every "
        "district.</p><p>Last year, on 2 January 2020, the budget was cut by a tenth.</p>"
        "</article></body></html>"
    )
    assert _found(page) == ("2021-03-05", "date-line")
