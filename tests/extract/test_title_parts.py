"""The article's title is the part of the page's <title> that its body repeats.

The pages are small and written for these tests (a fictional shore authority's release and a
fictional regional paper).
"""

from __future__ import annotations

from storyline.article import Article
from storyline.extract.body import ExtractStage, headline_in_title

BODY = (
    "<p>OCEAN CITY – The shore authority will begin pumping sand onto the beach between 27th "
    "Street and 62nd Street on March 2, weather permitting, and expects the work to last about "
    "ten weeks.</p>"
    "<p>Crews will work in 1,000-foot segments, closing only the stretch of beach in front of the "
    "pipeline while the rest stays open to walkers and anglers.</p>"
    "<p>The boardwalk will remain open throughout, and no parking spaces will be lost during the "
    "project, the authority said.</p>"
)
HEADLINE = "Beach Renourishment from 27th to 62nd Street to Begin March 2"


def _page(title: str, headline: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><div><p><b>{headline}</b></p>"
        f"{BODY}</div></body></html>"
    )


def _article(html: str) -> Article:
    article = Article(source="release.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article


def test_the_part_the_body_repeats_is_the_title() -> None:
    page = _page(f"Shore Authority - News Release - {HEADLINE}", HEADLINE)
    article = _article(page)
    assert article.title == HEADLINE
    assert article.provenance["title"] == "html-meta"


def test_a_title_the_body_does_not_repeat_is_left_to_the_extractor() -> None:
    assert (
        headline_in_title(_page(f"Shore Authority - {HEADLINE}", "x"), "Other words", None) is None
    )
    text = f"{HEADLINE}\n\nThe shore authority will begin pumping sand."
    # the part already chosen, or a title without parts of four words, changes nothing
    assert headline_in_title(_page(HEADLINE, HEADLINE), text, HEADLINE) is None
    assert headline_in_title(_page("News - Home", HEADLINE), text, "News") is None
    # a headline cut at its colon by the extractor comes back whole when the body prints it so
    whole = "Jordan counts every drop: 'We are the driest country, yet we still waste'"
    text = f"{whole}\n\nAmman's water utility said on Monday ..."
    found = headline_in_title(_page(f"{whole} | Daily Courier", whole), text, "Jordan counts")
    assert found == whole


def test_a_masthead_line_never_replaces_a_title_the_body_prints() -> None:
    title = "Big Fire Destroys the Old Market Hall"
    page = _page(f"{title} | The Valley Morning Herald", title)
    text = f"The Valley Morning Herald\n\n{title}\n\nFire crews fought the blaze for six hours."
    assert headline_in_title(page, text, title) is None
    text = "The Valley Morning Herald\n\nFire crews fought the blaze for six hours."
    assert headline_in_title(page, text, "Big Fire", "The Valley Morning Herald") is None


def test_a_kicker_a_section_or_the_site_never_becomes_the_title() -> None:
    headline = "Fire destroys warehouse on Main Street"
    page = _page(f"{headline} - Local News and Events - Springfield Herald", "x")
    text = "Local News and Events\n\nFire crews fought the blaze for six hours."
    assert headline_in_title(page, text, headline) is None  # og:title or h1 gave the headline
    page = _page(f"{headline} | The Kansas City Star", "x")
    text = "The Kansas City Star\n\nFire crews fought the blaze for six hours."
    assert headline_in_title(page, text, headline, "Kansas City Star") is None
    page = _page(f"Shore Authority - Latest News and Updates - {HEADLINE}", "x")
    text = f"Latest News and Updates\n\n{HEADLINE}\n\nThe shore authority will begin."
    assert headline_in_title(page, text, "Shore Authority") == HEADLINE
