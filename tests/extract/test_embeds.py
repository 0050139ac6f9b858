"""Embedded social posts leave the extractor's copy of a page; the article around them stays.

The page is small and written for these tests (a fictional city paper's transport story).
"""

from __future__ import annotations

import pytest

from storyline.article import Article
from storyline.extract.body import ExtractStage
from storyline.extract.embeds import drop_social_embeds

BEFORE = (
    "The council met on Tuesday night to discuss the new bus lane along the harbour road and "
    "heard from many residents who use it every day."
)
BETWEEN = (
    "Residents said the plan would cut journey times but worried about parking on the side "
    "streets near the school and the clinic."
)
AFTER = "The lane opens in April after a month of works on the junctions and the market crossings."
TWEET = (
    '<blockquote class="twitter-tweet"><p lang="en">Buses will run every ten minutes from '
    "Monday, the council says.</p>&mdash; City Council (@citycouncil) "
    '<a href="https://twitter.com/citycouncil/status/1">March 3, 2024</a></blockquote>'
)
INSTAGRAM = (
    '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/a/">'
    '<div><a href="https://www.instagram.com/p/a/">Ver essa foto no Instagram</a></div>'
    "<p>Novos ônibus chegam na semana que vem! #onibus</p>"
    "<p>Uma publicação compartilhada por City Transit (@citytransit)</p></blockquote>"
)


def _page(body: str) -> str:
    head = "<html><head><title>Bus lane</title></head>"
    return f"{head}<body><article><h1>Bus lane</h1>{body}</article></body></html>"


def _text(html: str) -> str:
    article = Article(source="bus.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def test_embedded_posts_go_and_the_article_around_them_stays() -> None:
    page = _page(f"<p>{BEFORE}</p>{TWEET}<p>{BETWEEN}</p>{INSTAGRAM}<p>{AFTER}</p>")
    text = _text(page)
    assert BEFORE in text and BETWEEN in text and AFTER in text
    for gone in (
        "every ten minutes",
        "@citycouncil",
        "Ver essa foto",
        "Novos ônibus",
        "@citytransit",
    ):
        assert gone not in text
    # trafilatura alone keeps them as paragraphs: the rule is what takes them out
    import trafilatura

    assert "Novos ônibus" in (trafilatura.extract(page) or "")


def test_text_after_an_embed_in_the_same_block_stays() -> None:
    page = _page(f"<div><p>{BEFORE}</p>{INSTAGRAM}{AFTER}</div><p>{BETWEEN}</p>")
    out = drop_social_embeds(page)
    assert "instagram-media" not in out and AFTER in out


def test_pages_without_embeds_are_returned_as_they_came() -> None:
    page = _page(f"<p>{BEFORE}</p><p>{AFTER}</p>")
    assert drop_social_embeds(page) is page
    mention = _page('<p class="x">We write about the twitter-tweet class here.</p>')
    assert drop_social_embeds(mention) is mention  # no element carries it


def test_the_page_passes_share_one_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """An embed inside a layout table: both passes apply, on one parse of the page; a page that
    needs neither is never parsed and comes back as it came."""
    import lxml.html

    from storyline.extract.body import extractor_copy
    from storyline.extract.page_tree import edited

    parses = []
    real = lxml.html.document_fromstring

    def counting(html: str) -> object:
        parses.append(1)
        return real(html)

    monkeypatch.setattr(lxml.html, "document_fromstring", counting)
    cell = f"<p>{BEFORE}</p><p>{BETWEEN}</p>{INSTAGRAM}<p>{AFTER}</p>"
    page = _page(f'<table><tr><td><a href="/">Home</a></td><td>{cell}</td></tr></table>')
    out = extractor_copy(page, "https://city.example/bus-lane")
    assert "instagram-media" not in out and "<table" not in out and AFTER in out
    assert len(parses) == 1
    plain = _page(f"<p>{BEFORE}</p><p>{AFTER}</p>")
    assert extractor_copy(plain, None) is plain and len(parses) == 1
    assert edited("", lambda tree: True) == ""  # a page lxml refuses comes back as it came
    assert edited(plain, lambda tree: False) is plain


SLOT = (
    '<div class="ad-inarticle" id="div-gpt-ad-1187-2"><script>googletag.cmd.push(function()'
    '{googletag.display("div-gpt-ad-1187-2")});</script></div>'
)
ADSENSE = '<ins class="adsbygoogle" style="display:block" data-ad-slot="42"></ins>'
MORE = [
    "Shop owners on the market street said deliveries would have to move to the early morning, "
    "before the lane's hours begin, and asked for two loading bays near the square.",
    "The transport committee will publish the final drawings next month and take comments for "
    "six weeks before the works are put out to tender.",
    "A cycling group welcomed the plan but asked for a separated track on the bridge, where the "
    "road narrows to two lanes.",
]


def test_text_after_an_ad_slot_between_line_breaks_stays() -> None:
    """An article set as text between ``<br><br>`` with ad slots in the run (a common city-news
    layout): precision mode used to drop the paragraph after each slot (the slot's tail)."""
    body = (
        f'<div class="story-text">{BEFORE}<br><br>{BETWEEN}<br><br>{SLOT}\n{MORE[0]}<br><br>'
        f"{AFTER}<br><br>{ADSENSE}\n{MORE[1]}<br><br>{MORE[2]}<br><br></div>"
    )
    text = _text(_page(body))
    for paragraph in (BEFORE, BETWEEN, MORE[0], AFTER, MORE[1], MORE[2]):
        assert paragraph in text, paragraph[:40]
    assert "googletag" not in text


def test_a_marked_ad_slot_holding_text_is_kept() -> None:
    """A page that puts the slot's marker on a block of its own text keeps that text."""
    held = f'<div id="div-gpt-ad-main">{MORE[0]} {MORE[1]}</div>'
    text = _text(_page(f"<p>{BEFORE}</p>{held}<p>{AFTER}</p>"))
    assert MORE[0] in text and MORE[1] in text


def test_a_template_s_ad_box_and_its_label_go() -> None:
    """A template's own ad boxes ("block-advert", "advert advert--leaderboard") with a label in
    the page's language ("Isikhangiso", Zulu for "Advertisement") between paragraphs."""
    box = (
        '<div class="block-advert"><p class="advert-label">Isikhangiso</p>'
        '<div class="advert-slot" data-size="300x250"></div></div>'
    )
    text = _text(_page(f"<p>{BEFORE}</p>{box}<p>{BETWEEN}</p>{box}<p>{AFTER}</p>"))
    assert BEFORE in text and BETWEEN in text and AFTER in text
    assert "Isikhangiso" not in text
    held = f'<div class="advertorial-note">{MORE[0]}</div><div class="advert">{MORE[1]}</div>'
    text = _text(_page(f"<p>{BEFORE}</p>{held}<p>{AFTER}</p>"))
    assert MORE[0] in text and MORE[1] in text  # no ad box's name; a box holding text


def test_share_bars_in_a_live_blog_s_entries_go_and_the_entries_stay() -> None:
    """A share bar in each entry ("Copy link Share") made trafilatura drop the entries."""
    bar = (
        '<div class="liveBlog_share"><a href="#e">Copy link</a> '
        '<a href="https://x.com/intent/post?url=x">Share</a></div>'
    )
    entries = "".join(
        f'<div class="liveBlog_entry"><h3>Update {n}</h3><p>{text}</p>{bar}</div>'
        for n, text in enumerate([BEFORE, BETWEEN, AFTER, *MORE])
    )
    text = _text(_page(entries))
    for paragraph in (BEFORE, BETWEEN, AFTER, *MORE):
        assert paragraph in text, paragraph[:40]
    assert "Copy link" not in text
    held = f'<div class="share-story">{MORE[0]}</div>'  # a class on content: no links, many words
    assert MORE[0] in _text(_page(f"<p>{BEFORE}</p>{held}<p>{AFTER}</p>"))
