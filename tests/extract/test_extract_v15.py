"""Extract stage v15 and cleaning v23: pull quotes out of the extractor's copy, a data table's
figure caption (its title, its source) kept as a paragraph, a lead paragraph that repeats the
page's description apart from the story taken as the standfirst; "read also" teasers in eight
more languages, and two review mends (a question before "Catch all the … news on …" in a
story's sentence, the Crimean Tatar and Gagauz imperative "read"). Examples are our own."""

from __future__ import annotations

from storyline.article import Article
from storyline.extract import rules as r
from storyline.extract.body import ExtractStage
from storyline.extract.pull_quotes import may_hold_pull_quotes, without_pull_quotes
from storyline.extract.standfirsts import without_standfirsts
from storyline.extract.subheads import with_subheads
from storyline.extract.table_titles import may_hold_table_titles, with_table_titles

P1 = (
    "The water board approved a new tariff on Tuesday that raises the price of the first ten "
    "cubic metres a household uses each month by about a fifth, the first rise in six years."
)
P2 = (
    "Board members said the money would pay for replacing old mains in the northern districts, "
    "where as much as a third of the water pumped into the network is lost to leaks."
)
P3 = (
    "Consumer groups said they would challenge the decision in court, arguing that the board "
    "had not published the engineering study it used to justify the new prices."
)
QUOTE = "A third of the water we pump never reaches a tap."


def _text(html: str) -> str:
    article = Article(source="tariff.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def _page(body: str, head: str = "") -> str:
    return (
        f"<html><head><title>Water tariff rises</title>{head}</head><body>"
        f"<h1>Water tariff rises</h1>{body}</body></html>"
    )


def test_a_pull_quote_named_by_its_class_leaves_the_copy() -> None:
    for box in (
        f'<blockquote class="wp-block-pullquote"><p>{QUOTE}</p></blockquote>',
        f'<aside class="pull-quote pull-quote--right"><p>“{QUOTE}”</p></aside>',
        f'<figure class="c-pullquote"><blockquote><p>{QUOTE}</p><cite>Board chair</cite>'
        "</blockquote></figure>",
        f'<blockquote class="td_pull_quote td_pull_center"><p>{QUOTE}</p></blockquote>',
        f'<div class="PullQuoteWrapper-fOZszP"><blockquote>{QUOTE}</blockquote></div>',
    ):
        page = _page(f"<article><p>{P1}</p>{box}<p>{P2}</p><p>{P3}</p></article>")
        assert may_hold_pull_quotes(page)
        copy = without_pull_quotes(page)
        assert QUOTE not in copy, box
        assert all(p in copy for p in (P1, P2, P3))
        text = _text(page)
        assert QUOTE not in text and all(p in text for p in (P1, P2, P3))


def test_a_long_block_or_a_plain_quotation_is_not_a_pull_quote() -> None:
    long_text = " ".join([P1, P2, P3, P1])
    page = _page(f'<article><div class="pullquote-section"><p>{long_text}</p></div></article>')
    assert P1 in without_pull_quotes(page)
    # Medium marks the paragraph after a pull quote: that paragraph is the story's
    page = _page(
        f'<article><p>{P1}</p><blockquote class="graf graf--pullquote">{QUOTE}</blockquote>'
        f'<p class="graf graf--p graf-after--pullquote">{P2}</p><p>{P3}</p></article>'
    )
    copy = without_pull_quotes(page)
    assert QUOTE not in copy and P2 in copy
    page = _page(
        f"<article><p>{P1}</p><blockquote><p>{QUOTE}</p></blockquote><p>{P2}</p></article>"
    )
    # (a quotation block may be a pull quote whose class names nothing, so the page is asked;
    # this one repeats no paragraph of the story: extract stage v20)
    assert QUOTE in without_pull_quotes(page)
    assert QUOTE in _text(page)


TABLE = (
    "<table><thead><tr><th>District</th><th>Old price</th><th>New price</th></tr></thead>"
    "<tbody><tr><td>North</td><td>1.10</td><td>1.32</td></tr>"
    "<tr><td>South</td><td>1.05</td><td>1.26</td></tr></tbody></table>"
)


def test_a_table_s_figure_caption_is_kept_as_its_title_or_source() -> None:
    title = "Table 2: Price per cubic metre by district"
    source = "Source: water board tariff schedule"
    page = _page(
        f'<article><p>{P1}</p><figure class="data-table"><figcaption>{title}</figcaption>{TABLE}'
        f'<figcaption class="note">{source}</figcaption></figure><p>{P2}</p><p>{P3}</p></article>'
    )
    assert may_hold_table_titles(page)
    copy = with_table_titles(page)
    assert "<figcaption" not in copy and title in copy
    text = _text(page)
    assert title in text and source in text
    assert "North" in text and all(p in text for p in (P1, P2, P3))


def test_a_photo_s_caption_stays_out() -> None:
    caption = "Workers lay a new main in the northern district last spring."
    page = _page(
        f'<article><p>{P1}</p><figure><img src="/main.jpg" alt=""><figcaption>{caption}'
        f"</figcaption></figure><p>{P2}</p><p>{P3}</p></article>"
    )
    assert not may_hold_table_titles(page)
    assert caption not in _text(page)
    page = _page(
        f'<article><p>{P1}</p><figure><img src="/chart.png" alt="">{TABLE}<figcaption>{caption}'
        f"</figcaption></figure><p>{P2}</p><p>{P3}</p></article>"
    )
    assert "<figcaption" in with_table_titles(page)


LEAD = "The first rise in six years will pay for new mains, the board says."
DESCRIPTION = f'<meta name="description" content="{LEAD}">'


def test_a_lead_field_above_the_byline_that_repeats_the_description_is_the_standfirst() -> None:
    for lead in (
        f'<div class="field field--name-field-lead"><p>{LEAD}</p></div>',
        f'<p class="article__lead">{LEAD}</p>',
    ):
        page = _page(
            f'<article>{lead}<div class="byline">Ana Ruiz · 4 May 2021</div>'
            f'<div class="field--name-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></article>',
            DESCRIPTION,
        )
        body = without_standfirsts(page).split("<body>")[1]
        assert LEAD not in body, lead
        assert all(p in body for p in (P1, P2, P3))


def test_a_lead_paragraph_beside_the_story_s_next_paragraph_stays() -> None:
    lead = (
        "The water board approved a new tariff on Tuesday, the first rise in six years, to pay "
        "for new mains."
    )
    page = _page(
        f'<article><div class="body"><p class="lead">{lead}</p><p>{P1}</p><p>{P2}</p></div>'
        "</article>",
        f'<meta name="description" content="{lead}">',
    )
    assert lead in without_standfirsts(page).split("<body>")[1]
    # no description repeated: a classed lead stays wherever it is
    page = _page(
        f'<article><p class="article__lead">{LEAD}</p><div class="byline">Ana Ruiz</div>'
        f'<div class="body"><p>{P1}</p><p>{P2}</p></div></article>'
    )
    assert LEAD in without_standfirsts(page)


def test_read_also_teasers_in_eight_more_languages() -> None:
    for line in (
        "Ноджы бакӕс: Хъӕуы скъолайӕн ног агъуыст",
        "Эмиэ ааҕыҥ: Ховеркраптар кыһыҥҥы айаҥҥа",
        "Melda tambien: Un diksyonaryo nuevo para los elevos",
        "Lhaih myrgeddin: Bus noa eddyr Rhamsey as Doolish",
        "Wilika talega: Sa tadola na sala vou mai Nakasi",
        "Dubbisaa dabalataa: Daandiin haaraan banamе",
        "Soma ne: Oluguudo lw'e Masaka lutandise",
        "Lee mós: Governu aprova orsamentu foun",
    ):
        assert r.teaser_kind(line) == "line", line


def test_story_sentences_like_a_teaser_or_a_portal_s_prompt_stay() -> None:
    for line in (
        "Soma ne mukwano gwo ebbaluwa eno buli lunaku",
        "Okuyunuz da anlayınız, diye uyardı bakan",
        "Oquñız, balalar, kitaplarnı her kün",
    ):
        assert r.teaser_kind(line) is None, line
    assert r.teaser_kind("Oqunız.") is None  # a sentence, not a header
    assert r.teaser_kind("Oquñız da: Yañı mektep açıldı") == "line"
    assert r.teaser_kind("Oquñız: Taşkentte til kursları açıldı") == "line"
    for line in (
        "Q: How do you stay informed? Catch all the news on BBC Radio 4 every morning, she "
        "says, and then the papers.",
        "Catch all the transfer news on deadline day was the tagline of the ad campaign, which "
        "the regulator banned on Friday.",
    ):
        assert not r.PROMO.search(line), line
    for line in (
        "(What's moving markets? Catch all the business news and updates on The Capital Ledger.)",
        "Catch all the latest news on NDTV.",
    ):
        assert r.PROMO.search(line), line


def test_a_market_page_s_disclaimer_goes_and_a_story_s_sentence_stays() -> None:
    for line in (
        "Markets Meridian does not provide investment advice. Data may be delayed.",
        "Ledgerline provides market data for informational purposes only and is not investment "
        "advice. Quotes delayed at least 15 minutes.",
    ):
        assert r.is_promo_line(line), line
    for line in (
        "The robo-adviser does not provide investment advice to retail clients under the rule.",
        "The app is not investment advice, the regulator said, and its data are delayed.",
    ):
        assert not r.is_promo_line(line), line


def test_a_photo_essay_s_credit_line_is_a_byline() -> None:
    for line in (
        "Text and photographs by Timur Nazarov · 2 December 2022",
        "Words and pictures by Timur Nazarov",
    ):
        assert r.BYLINE.match(line), line
    assert not r.BYLINE.match("Text and photographs were shown at the gallery by the river.")


def test_a_heading_over_a_kept_list_is_put_back() -> None:
    item1 = "The municipality will hold a public meeting on water tariffs on Thursday at 6pm."
    item2 = "A new shopping centre in the north of the city is due to open before Christmas."
    text = "\n".join([P1, P2, f"- {item1}", f"- {item2}", P3])
    for block in (
        f"<ul><li>{item1}</li><li>{item2}</li></ul>",
        f"<div><p>{item1}</p><p>{item2}</p></div>",  # as the copy writes an introduced list
    ):
        page = _page(f"<div><p>{P1}</p><p>{P2}</p><h2>In brief</h2>{block}<p>{P3}</p></div>")
        lines = with_subheads(page, text).split("\n")
        assert lines[lines.index(f"- {item1}") - 1] == "In brief", block
    # a heading over a list the text does not keep stays out
    page = _page(f"<div><p>{P1}</p><h2>Most read</h2><ul><li>{item1}</li></ul><p>{P3}</p></div>")
    assert with_subheads(page, "\n".join([P1, P3])) == "\n".join([P1, P3])


def test_a_fijian_comment_count_heads_the_comments() -> None:
    assert r.COMMENTS_HEADER.match("Vakamacala (2)")


def test_a_release_s_headline_in_an_h2_is_not_put_back_as_a_subhead() -> None:
    head = "Board sets new water tariff for the northern districts"
    page = (
        f"<html><head><title>Press release: {head} - Water Board</title></head><body>"
        f'<div class="pr-head"><p>No. PR-2026-071 | Dated: 14-07-2026</p></div><h2>{head}</h2>'
        f"<div><p>{P1}</p><p>{P2}</p></div></body></html>"
    )
    text = "\n".join(["No. PR-2026-071 | Dated: 14-07-2026", P1, P2])
    assert with_subheads(page, text) == text
    # the same heading is a subhead when the title is another
    page = page.replace(f"Press release: {head}", "Press release: Water Board news")
    assert head in with_subheads(page, text)
