"""Date stage v27 and v28: Arabic labels written with their short vowels, a Hijri date followed by
the Gregorian one it corresponds to, Armenian year-first dates, a migrated Armenian post's note of
its first publication, and a page's note naming the day it was imported. Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import date_line_values
from storyline.extract.dates import find_date

BODY_AR = (
    "<p>رصدت جولة ميدانية في عدد من أسواق المدينة ارتفاعاً جديداً في أسعار الزيوت والأرز خلال "
    "الأسبوع الجاري، في حين تراجعت أسعار الخضروات بعد وصول شحنات جديدة إلى سوق الجملة.</p>"
)


def _found(html: str) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def test_an_arabic_label_with_its_vowels_and_a_hijri_date_s_gregorian_twin_are_read() -> None:
    assert date_line_values("نُشر في: الأربعاء 18 مايو 2022 - 09:30 ص") == [
        ("2022-05-18", "day", False)
    ]
    line = "الثلاثاء ٢٩ ربيع الأول ١٤٣٦هـ الموافق ٢٠ يناير ٢٠١٥م"
    assert [v[0] for v in date_line_values(line)] == ["2015-01-20"]


def test_a_labelled_publication_line_at_the_foot_beats_the_update_at_the_top() -> None:
    page = (
        '<html lang="ar"><body><main><div class="last-update">آخر تحديث: <span>السبت 21 مايو '
        "2022 - 04:05 م</span></div><h1>جولة في أسواق المدينة</h1>"
        f'<div class="details-body">{BODY_AR}{BODY_AR}</div>'
        '<p class="pub-small"><small>نُشر في: الأربعاء 18 مايو 2022 - 09:30 ص</small></p>'
        "</main></body></html>"
    )
    assert _found(page) == ("2022-05-18", "date-line")


def test_armenian_year_first_dates_and_a_migrated_post_s_note_are_read() -> None:
    assert [v[0] for v in date_line_values("2007 թ. օգոստոսի 12, Կիրակի")] == ["2007-08-12"]
    assert [v[0] for v in date_line_values("Հրապարակվել է 2019 թ. մարտի 5")] == ["2019-03-05"]
    page = (
        '<html lang="hy"><head><meta property="article:published_time" '
        'content="2020-06-30T03:14:00+04:00"></head><body><article><h1>Պապիս արհեստանոցը</h1>'
        '<div class="post-meta"><time class="published" datetime="2020-06-30T03:14:00+04:00">'
        "30.06.2020</time></div>"
        '<div class="archive-note"><p><em>Այս գրառումն առաջին անգամ հրապարակվել է մեր հին '
        "բլոգում՝ 2007 թ. օգոստոսի 12, Կիրակի։ 2020 թ. բլոգը տեղափոխվեց նոր հարթակ։</em></p></div>"
        "<p>Այս ամառ առաջին անգամ երկար ժամանակով վերադարձա Գյումրի։ Ուզում էի տեսնել պապիս "
        "արհեստանոցը, որի մասին մայրս պատմում էր իմ ամբողջ մանկության ընթացքում։</p>"
        "</article></body></html>"
    )
    assert _found(page) == ("2007-08-12", "date-line")


def _migrated(note: str) -> str:
    url = "https://paper.example/2017/01/15/port-quay/"
    return (
        f'<html lang="fr"><head><link rel="canonical" href="{url}">'
        '<meta property="article:published_time" content="2017-01-15T10:12:00+00:00"></head>'
        "<body><article><h1>Le nouveau quai attendu pour 2010</h1>"
        '<div class="byline entry-meta">Par Kodjo Amegah | Publié le 12/05/2008</div>'
        "<p>Le port autonome a présenté mardi les plans du nouveau quai, qui doit accueillir des "
        "navires de plus grande taille à partir de 2010, selon la direction du port.</p>"
        f'<div class="archive-note">{note}</div></article></body></html>'
    )


def test_a_page_s_import_note_hands_the_migration_s_day_to_the_byline() -> None:
    def found(note: str) -> tuple[str, str] | None:
        article = Article(source="page.html", raw_format="html")
        article.html = _migrated(note)
        article.url = "https://paper.example/2017/01/15/port-quay/"
        chosen: Any = find_date(article)
        return (chosen.day, chosen.source) if chosen else None

    note = "Cet article a été importé de notre ancien site le 15 janvier 2017."
    assert found(note) == ("2008-05-12", "date-line")
    # without the note, or with a note naming another day, the address and metadata agree
    assert found("Cet article provient de nos archives.")[0] == "2017-01-15"  # type: ignore[index]
    other = "Cet article a été importé de notre ancien site le 3 mars 2016."
    assert found(other)[0] == "2017-01-15"  # type: ignore[index]


def test_an_ordinary_transfer_or_import_sentence_is_no_migration_note() -> None:
    from storyline.extract.date_sources import html_import_day

    assert (
        html_import_day("<p>The prisoner was transferred on 3 June 2021, the court said.</p>")
        is None
    )
    assert html_import_day("<li>Imported</li><li>Goods</li><p>Published on 3 June 2021</p>") is None
    grain = "<p>The grain was imported from Ukraine, which shipped it on 5 March 2020.</p>"
    assert html_import_day(grain) is None
    assert date_line_values("Publicado em 05 out 2020") == [("2020-10-05", "day", False)]


def test_old_blog_forum_and_newsletter_headers_are_read() -> None:
    """Date stage v30: a LiveJournal entry's time as its permalink, a phpBB language pack's post
    label, a parish newsletter's issue before its date."""
    body = (
        "<p>So I finally finished the rewatch with the cat, and I have many feelings about it, "
        "which you are all about to read, sorry, because the snow kept us all inside today.</p>"
    )
    lj = (
        "<html><body><h1>snow owl writes</h1><table><tr><td class='index'><font size='-1'>Jan. "
        "23rd, 2005 | <a href='https://owl.example/48213.html'>11:42 pm</a></font></td></tr>"
        f"</table><div class='entry-text'>{body}</div></body></html>"
    )
    assert _found(lj) == ("2005-01-23", "date-line")
    assert date_line_values("Wysłany: Pon Lut 12, 2007 19:33")[0][0] == "2007-02-12T19:33:00"
    parish = (
        "<html><body><table><tr><td><center><b><font>Volume 14, Number 11<br>Sunday, November 7, "
        f"1999</font></b></center></td></tr></table><table><tr><td>{body}</td></tr></table>"
        "</body></html>"
    )
    assert _found(parish) == ("1999-11-07", "date-line")
