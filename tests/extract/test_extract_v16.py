"""Extract stage v16, cleaning v24 and date stage v32 (from text_heldout42 and dates_heldout53,
scored once against 3635eec): an ad's box named by its id with the wrappers it stood in, a
summary box whose heading names it, a gallery's slide captions and counters, the metadata's
author alone at the head, a paywall's offer, a republishing note, a chart's credit; a source
after a date line's date and a department labelled as its author. Examples are our own."""

from __future__ import annotations

from storyline.article import Article
from storyline.extract import rules as r
from storyline.extract.body import ExtractStage
from storyline.extract.captions import without_captions
from storyline.extract.clean import clean_text
from storyline.extract.date_sources import date_line_values
from storyline.extract.embeds import drop_social_embeds
from storyline.extract.summary_boxes import without_summary_boxes

P1 = (
    "An engineering contractor serving offshore platforms said on Wednesday it would cut around "
    "350 jobs in the city, the latest company to shed staff after a sharp fall in crude prices."
)
P2 = (
    "The company, which provides maintenance crews to platforms in the northern fields, said the "
    "cuts would affect both onshore staff and offshore workers and end by March."
)
P3 = (
    "Union officials said they would seek talks with the company about redeployment and "
    "voluntary redundancy before any compulsory cuts were made."
)


def _text(html: str) -> str:
    article = Article(source="jobs.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def test_an_ad_box_named_by_its_id_goes_with_the_table_it_floats_in() -> None:
    page = (
        "<html><body><table><tr><td class=story><font size=4><b>Contractor to cut 350 jobs</b>"
        '</font><br><br><table align=right width=300><tr><td><div id="ad_mpu"><font size=1>'
        'Advertisement</font><br><iframe src="https://ads.portal.example/mpu"></iframe></div>'
        f"</td></tr></table>{P1}<br><br>{P2}<br><br>{P3}<br></td></tr></table></body></html>"
    )
    copy = drop_social_embeds(page)
    assert "ad_mpu" not in copy and "align" not in copy.split("<td class")[1][:200]
    text = _text(page)
    assert all(p in text for p in (P1, P2, P3))
    # a box holding more than an ad's words is no ad
    story = f'<html><body><div id="ad_top"><p>{P1}</p><p>{P2}</p></div></body></html>'
    assert P1 in drop_social_embeds(story)


def test_a_box_headed_key_points_over_its_list_goes() -> None:
    page = (
        f"<html><body><article><h1>Rain warning</h1><div class=css-26b568><h2>Key points</h2>"
        "<ul><li>Red warning until 9pm</li><li>43 schools shut</li></ul></div>"
        f"<p>{P1}</p><p>{P2}</p></article></body></html>"
    )
    copy = without_summary_boxes(page)
    assert "43 schools shut" not in copy and P1 in copy
    # a heading over a list and a paragraph is a section of the story
    page = page.replace("</ul></div>", f"</ul><p>{P3}</p></div>")
    assert "43 schools shut" in without_summary_boxes(page)


def test_a_gallery_s_slide_captions_and_counters_go() -> None:
    page = (
        f"<html><body><article><p>{P1}</p><div class=gallery-block><div class=slide>"
        '<img src="/1.jpg"><div class=slide-count>1 / 3</div><div class="slide-caption">The '
        f"facade on the square would be kept.</div></div></div><p>{P2}</p></article></body></html>"
    )
    assert "facade" not in without_captions(page)
    # an "In pictures" page whose text is its captions keeps them
    alone = page.replace(f"<p>{P1}</p>", "").replace(f"<p>{P2}</p>", "")
    assert "facade" in without_captions(alone)
    assert r.is_widget("1 / 3") and r.is_widget("2/3") and not r.is_widget("24/7")


def test_the_metadata_s_author_alone_at_the_head_is_the_byline() -> None:
    text = f"Aoife Crowley\n{P1}\n{P2}"
    cleaned = clean_text(
        text, title="Contractor to cut jobs", raw_format="html", author="Aoife Crowley"
    )
    assert cleaned.text.split("\n")[0] == P1
    assert [x.reason for x in cleaned.removed] == ["byline"]
    # read as the byline (the byline stage takes its name from it), not as the outlet's name
    plain = clean_text(text, title="Contractor to cut jobs", raw_format="html")
    assert [x.reason for x in plain.removed] != ["byline"]


def test_a_paywall_offer_a_republishing_note_and_a_chart_credit_go() -> None:
    assert r.is_subscribe("Get full access to The Signal Room from Rs 199 a month. Cancel anytime.")
    assert r.is_subscribe("Get unlimited access to every story for just $2 a week")
    assert not r.is_subscribe(
        "Get unlimited access to Disney+ for $7.99 a month under the new ad-supported plan."
    )
    assert not r.is_subscribe("Get full access to the archive at 9am, the library said.")
    assert r.is_promo_line(
        "Our stories may be republished free of charge under a Creative Commons license."
    )
    assert not r.is_promo_line(
        "The photos may be republished only with permission, the agency said."
    )
    assert r.is_caption("Chart: Field & Forecast; data: Tucson heat sensor project", head=False)
    assert not r.is_caption("Chart: prices rose; data show a fall", head=False)


def test_a_date_line_s_source_or_department_after_the_date() -> None:
    assert [
        v[0][:10] for v in date_line_values("Wed, 21 Jan 2015 13:27 GMT | Continental Press")
    ] == ["2015-01-21"]
    line = "Publikováno: pátek 21. 4. 2006 | Autor: Odbor životního prostředí"
    assert [v[0] for v in date_line_values(line)] == ["2006-04-21"]
    assert date_line_values("21 Jan 2015 | The council met on Friday") == []
    assert date_line_values("21. 4. 2006 | Autor: 12 people") == []


def test_two_ad_slots_in_one_wrapper_are_dropped_once() -> None:
    page = (
        '<html><body><div class="rail"><div id="ad_top"><iframe src="/a"></iframe></div>'
        f'<div id="ad_side"><iframe src="/b"></iframe></div></div><p>{P1}</p></body></html>'
    )
    copy = drop_social_embeds(page)
    assert "ad_top" not in copy and "ad_side" not in copy and P1 in copy


def test_review_mends_of_the_copy_s_passes() -> None:
    from storyline.extract.pull_quotes import without_pull_quotes
    from storyline.extract.standfirsts import without_standfirsts
    from storyline.extract.subheads import with_subheads

    # a theme's wrapper that says its posts have pull quotes is the text
    page = (
        '<html><body><h1>Library</h1><div class="entry-content has-pullquotes">'
        f"<p>{P1}</p><p>{P2}</p></div></body></html>"
    )
    assert P1 in without_pull_quotes(page)
    # a lead repeating the description beside a quotation or wrapped paragraphs is the first one
    lead = "The contractor will cut 350 jobs in the city, the latest company to shed staff."
    head = f'<head><meta name="description" content="{lead}"></head>'
    for after in (
        '<blockquote><p>"We had no choice, the price fell too far," the chief told reporters.'
        f"</p></blockquote><p>{P2}</p>",
        f'<div class="paragraph"><p>{P2}</p></div><div class="paragraph"><p>{P3}</p></div>',
    ):
        page = f'<html>{head}<body><h1>Jobs</h1><p class="lead">{lead}</p>{after}</body></html>'
        assert lead in without_standfirsts(page).split("<body>")[1], after
    # a "Key figures" list of the story's people stays
    page = (
        "<html><body><section><h2>Key figures</h2><ul><li>Jane Roe, the mayor</li></ul></section>"
        "<div class=x><h2>Key points</h2><ul><li>Cuts by March</li></ul></div>"
        f"<p>{P1}</p></body></html>"
    )
    copy = without_summary_boxes(page)
    assert "Jane Roe" in copy and "Cuts by March" not in copy
    # a heading that is only part of the title's headline is a subhead
    title = "Library to close: what happens to the books now | Daily Post"
    page = (
        f"<html><head><title>{title}</title></head><body><p>{P1}</p>"
        f"<h2>What happens to the books now</h2><p>{P2}</p></body></html>"
    )
    assert "What happens to the books now" in with_subheads(page, f"{P1}\n{P2}")


def test_review_mends_of_the_cleaner_and_the_dates() -> None:
    from storyline.extract.solar_hijri import solar_hijri_date

    assert not r.is_promo_line(
        "This story can be republished, the judge ruled, because the paper had the right to "
        "report it."
    )
    text = f"Ana Ruiz\nWhat made you start?\nJon Lee\nMy father.\nAna Ruiz\n{P1}"
    cleaned = clean_text(text, title="Interview", raw_format="html", author="Ana Ruiz")
    assert cleaned.text.split("\n").count("Ana Ruiz") == 2  # a Q&A's speaker, not the byline
    assert solar_hijri_date("١٤٠٠/٠٥/١٢") is None  # an Arabic page's lunar date
    assert solar_hijri_date("۱۴۰۰/۰۵/۱۲") == ("2021-08-03", "day")
    assert date_line_values("| 10.04.2010 | Saisonauftakt Tennis |") == []
    assert date_line_values("12 March 2019 | Brexit Vote Delayed") == []
    assert [v[0][:10] for v in date_line_values("12 March 2019 | Reuters")] == ["2019-03-12"]


def test_a_region_byline_after_a_solar_or_persian_gregorian_date() -> None:
    assert [v[0] for v in date_line_values("۱۲ سنبله ۱۴۰۱ نویسنده: احمد رضایی")] == ["2022-09-03"]
    assert [v[0] for v in date_line_values("۱۲ مارس ۲۰۲۱ نویسنده: احمد رضایی")] == ["2021-03-12"]
