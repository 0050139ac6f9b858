"""An article printed in an intro container and a full-text container (Joomla K2) is read whole.

The page is small and written for these tests (a fictional regional paper's market story).
"""

from __future__ import annotations

from storyline.article import Article
from storyline.extract.body import ExtractStage
from storyline.extract.split_body import joined_intro

INTRO = (
    "Tomato prices at the city's main vegetable market tripled this week, traders said, as the "
    "dry-season harvest ran out before the rains brought new crops from the farms in the north."
)
FULL = [
    "A basket that sold for two thousand naira last month now costs six thousand, and several "
    "stalls at the market stood empty on Wednesday for want of stock.",
    "One trader who has sold vegetables there for twenty years said the rains always bring a "
    "short gap, but that a blight on farms in three districts had made this year's far worse.",
    "Traders expect prices to ease within two months, when the rainy-season harvest reaches the "
    "market from the farms around the plateau.",
]


def _k2_page(between: str = "") -> str:
    full = "".join(f"<p>{p}</p>" for p in FULL)
    return (
        "<html><head><title>Tomato prices triple - Northern Voice</title></head><body>"
        '<div id="k2Container" class="itemView"><div class="itemHeader">'
        '<h2 class="itemTitle">Tomato prices triple at the market</h2></div>'
        '<div class="itemBody"><div class="itemImageBlock"><span class="itemImage">'
        '<img src="/media/k2/items/cache/a.jpg" alt="Baskets"></span>'
        '<span class="itemImageCaption">Baskets at the market</span><div class="clr"></div>'
        f'</div><div class="itemIntroText"><p>{INTRO}</p></div>{between}'
        f'<div class="itemFullText">{full}</div></div></div></body></html>'
    )


def _text(html: str) -> str:
    article = Article(source="k2.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def test_a_k2_intro_is_read_with_the_full_text() -> None:
    for page in (_k2_page(), _k2_page("<!-- K2 plugins -->")):
        text = _text(page)
        assert INTRO in text
        assert text.index(INTRO) < text.index(FULL[0])
        assert all(p in text for p in FULL)


def test_trafilatura_alone_loses_the_intro() -> None:
    """Why the join exists: the body finder takes the "fulltext" container for the article."""
    import trafilatura

    assert INTRO not in (trafilatura.extract(_k2_page(), favor_precision=True) or "")


def test_pages_without_both_parts_come_back_as_they_came() -> None:
    plain = f"<html><body><div class='intro-text'><p>{INTRO}</p></div></body></html>"
    assert joined_intro(plain) is plain
    apart = (
        _k2_page()
        .replace('class="itemFullText"', 'class="itemFullText x"')
        .replace('<div class="itemIntroText">', '<div class="itemIntroText"></div><div>')
    )
    assert joined_intro(apart) is apart  # an empty intro: nothing to move


ENTRIES = [
    ("Full time: Rovers 2-1 City", "Rovers are into the semi-finals for the first time in "
     "nineteen years, and the home end is refusing to leave the ground tonight."),
    ("Red card for Brenner", "Brenner, already booked, goes through the back of Adeyemi near "
     "the corner flag and the referee shows him a second yellow card at once."),
    ("GOAL! Dunleavy levels it", "A short corner, a deep cross from the left, and Dunleavy "
     "rises above two defenders to head in off the underside of the bar."),
]  # fmt: skip


def _live_blog(declared: bool) -> str:
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "LiveBlogPosting", "headline": "Rovers v City"}</script>'
        if declared
        else ""
    )
    entries = "".join(
        f'<article class="LiveBlogEntry_entry" id="post-{n}"><header><time>17:0{n}</time>'
        f'</header><div class="LiveBlogEntry_body"><h3 class="LiveBlogEntry_title">{title}</h3>'
        f"<p>{text}</p></div></article>"
        for n, (title, text) in enumerate(ENTRIES)
    )
    return (
        f"<html><head><title>Rovers v City - live</title>{ld}</head><body><main>"
        f"<h1>Rovers v City - live</h1><div class='LiveBlog_body'>{entries}</div></main>"
        "</body></html>"
    )


def test_a_live_blog_s_entries_keep_their_titles() -> None:
    text = _text(_live_blog(declared=True))
    for title, body in ENTRIES:
        assert title in text and body in text
    assert text.index(ENTRIES[0][0]) < text.index(ENTRIES[0][1]) < text.index(ENTRIES[1][0])


def test_trafilatura_alone_drops_the_entry_titles_and_undeclared_pages_stay_as_they_are() -> None:
    import trafilatura

    from storyline.extract.page_tree import edited
    from storyline.extract.split_body import entries_in_tree

    out = trafilatura.extract(_live_blog(declared=True), favor_precision=True) or ""
    assert ENTRIES[1][1] in out and ENTRIES[1][0] not in out
    page = _live_blog(declared=False)
    assert edited(page, entries_in_tree) is page  # no declaration: the articles stay


def test_an_intro_of_bare_text_stays_apart_from_the_full_text() -> None:
    from storyline.extract.split_body import joined_intro

    page = (
        '<html><body><div class="itemIntroText">Intro sentence ends here.</div>'
        '<div class="itemFullText">Full text begins.<p>A paragraph.</p></div></body></html>'
    )
    out = joined_intro(page)
    assert "here.Full" not in out and out.index("Intro sentence") < out.index("Full text")


def test_live_blog_entries_between_comments_are_still_a_run() -> None:
    page = _live_blog(declared=True).replace("</article><article", "</article><!-- ad --><article")
    text = _text(page)
    assert all(title in text for title, _ in ENTRIES)
