"""Date stage v35 (from dates_heldout57, scored once against bc7a3a3): a sidebar's list of other
stories set before the article dates those stories, not the page; Drupal's RDFa creation date
(``property="dc:date dc:created" content=…``) is read. Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import html_header_lines
from storyline.extract.dates import find_date

BODY = (
    "<p>Gårdlauget har bedt kommunen om lov til at bygge et nyt legeområde i karréen, med "
    "gynger, en sandkasse og bænke til bedsteforældrene.</p><p>Forslaget skal behandles på "
    "generalforsamlingen, og bestyrelsen håber at kunne begynde arbejdet til sommer.</p>"
)
SIDEBAR = (
    '<div id="sidebar-first" class="column sidebar"><h2>Seneste nyheder</h2><ul><li><a '
    'href="/nyheder/loppemarked">Loppemarked i foråret – sæt kryds</a> <span '
    'class="date-display-single">05/03/2015</span></li><li><a href="/nyheder/cykler">Ny '
    'cykelparkering ved Ingerslev Plads</a> <span class="date-display-single">17/02/2015</span>'
    "</li></ul></div>"
)


def _found(html: str) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def test_a_sidebar_s_other_stories_before_the_article_do_not_date_it() -> None:
    page = (
        f'<html lang="da"><body>{SIDEBAR}<div id="content"><h1>Nyt legeområde</h1><div '
        'class="meta submitted">Indsendt af Lise den tor, 29/01/2015 - 13:20</div>'
        f"{BODY}</div></body></html>"
    )
    assert not any("05/03/2015" in line for line in html_header_lines(page))
    found = _found(page)
    assert found is not None and found[0] == "2015-01-29"
    # an author's link beside the page's own date in a list item is no other story
    byline = (
        '<html lang="da"><body><h1>Nyt legeområde</h1><ul class="meta"><li><a href="/u/lise">'
        'Lise Dahl</a> <span class="date">29/01/2015</span></li></ul>'
        f"{BODY}</body></html>"
    )
    assert _found(byline) == ("2015-01-29", "date-line")


def test_drupal_s_rdfa_creation_date_is_read() -> None:
    page = (
        '<html lang="da"><body><h1>Nyt legeområde</h1><div class="node"><span property="dc:date '
        'dc:created" content="2015-01-29T13:20:11+01:00" datatype="xsd:dateTime">Indsendt af '
        f"Lise</span>{BODY}</div></body></html>"
    )
    found = _found(page)
    assert found is not None and found[0] == "2015-01-29"
    assert any(line.startswith("2015-01-29T13:20") for line in html_header_lines(page))
