"""Date stage v39 (from dates_heldout67 and 68, scored once against b319a9d and c29983d at .987
and .959): a Japanese date with its era's year inside the Gregorian one, a forum's first post
under the board's rules (phpBB's author line, Simple Machines Forum's post head), a department
signing after the date. Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import date_line_values
from storyline.extract.dates import find_date

BODY = (
    "<p>The harbour board voted on Thursday to raise mooring fees by a tenth from April, the first "
    "increase in six years, after a long debate about the cost of dredging the channel.</p>"
)


def _found(html: str) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def _days(line: str) -> list[str]:
    return [value[:10] for value, _, _ in date_line_values(line)]


def test_an_era_s_year_inside_the_gregorian_one() -> None:
    assert _days("2021（令和3）年11月9日（火）") == ["2021-11-09"]
    assert _days("2019（令和元）年5月1日") == ["2019-05-01"]
    assert _days("2020（令和3）年11月9日") == []  # the two years disagree


def test_a_forum_s_first_post_under_the_board_s_rules() -> None:
    rules = (
        "<p><strong>Pravila foruma</strong><br>Prije otvaranja nove teme provjerite postoji li "
        "već slična tema na forumu, a fotografije stavljajte u galeriju.</p>"
    )
    post = (
        "<p class='author'><a href='#p1'><img src='i.gif'></a>od <strong>ivanB</strong> » Sri "
        "12 Lis 2011, 09:41</p><div class='content'>Pozdrav svima, planiram uspon na Biokovo u "
        "subotu, zna li netko kakva je staza nakon kiše?</div>"
    )
    reply = "<p class='author'>od <strong>marina</strong> » Pet 14 Lis 2011, 10:02</p>"
    page = f"<html lang='hr'><body><h2>Biokovo</h2>{rules}{post}{reply}</body></html>"
    assert _found(page) == ("2011-10-12", "date-line")
    smf = (
        "<html lang='cs'><body><table><tr><td class='titlebg2'><span class='smalltext'>14 Duben "
        "2025, 21:03:10</span></td></tr></table><div class='smalltext'>« <b>kdy:</b> 03 Únor "
        f"2006, 19:22:10 »</div>{BODY}<div class='smalltext'>« <b>Odpověď #1 kdy:</b> 04 Únor "
        "2006, 08:15:32 »</div></body></html>"
    )
    assert _found(smf) == ("2006-02-03", "date-line")


def test_a_department_after_the_date() -> None:
    assert _days("Publikované: 22. 5. 2018 | Oddelenie kultúry") == ["2018-05-22"]
    assert _days("Published: 3 May 2019 | Press Office") == ["2019-05-03"]
    assert _days("Published: 3 May 2019 | Officers said the road would close") == []


def test_more_of_the_region_s_date_lines() -> None:
    # (from dates_heldout69 and 70, scored once against c29983d at .919 and .973)
    assert _days("2019 оны 3 сарын 12, Мягмар гараг 14:05") == ["2019-03-12"]
    assert _days("2019 оны 13 сарын 12") == []
    assert _days("शुक्रवार, १४ सप्टेंबर २०१८, सकाळी ७:४५") == ["2018-09-14"]
    assert _days("प्रतिनिधी, पुणे | शुक्रवार, १४ सप्टेंबर २०१८") == ["2018-09-14"]


def test_joomla_s_created_beside_its_published() -> None:
    page = (
        "<html><body><h1>Matatu</h1><dl class='article-info'><dd class='create'><time "
        "datetime='2014-05-28T21:05:00+03:00' itemprop='dateCreated'>Created: 28 May 2014</time>"
        "</dd><dd class='published'><time datetime='2014-05-29T06:30:00+03:00' "
        f"itemprop='datePublished'>Published: 29 May 2014</time></dd></dl>{BODY}</body></html>"
    )
    assert _found(page) == ("2014-05-29", "date-line")


def test_a_consent_manager_s_timestamp_dates_nothing() -> None:
    page = (
        '<html><head><script>window.__cmp = {"policyLastUpdated": "2023-04-01", '
        '"consentTimestamp": "2023-08-29T13:07:41Z"};</script></head><body><h1>Fietsroute'
        f"</h1>{BODY}</body></html>"
    )
    assert _found(page) is None


def test_a_notice_s_signature() -> None:
    article = Article(source="page.html", raw_format="html")
    article.html = f"<html><body>{BODY}</body></html>"
    article.text = (
        "The board will close the north quay to visitors for two weeks from Monday while the "
        "dredging work is completed.\nHarbour Board of Cobh\n12 March 2019"
    )
    found: Any = find_date(article)
    assert found.day == "2019-03-12"
