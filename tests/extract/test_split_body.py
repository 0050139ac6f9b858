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
