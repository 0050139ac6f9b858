"""A helper's review of cleaning v25 and date stages v33-v34 (2026-12-07), on its own examples:
story sentences the new furniture rules took, the furniture's common variants they missed, a
date line's source that had become too broad, an update's label one element away, a listing's
address written otherwise, and a meta bar's empty field that stopped the date stage. Examples are
our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract import rules as r
from storyline.extract.clean import clean_text
from storyline.extract.dates import find_date

P1 = (
    "The council met on Tuesday evening to discuss the budget for the coming year, and members "
    "argued about the state of the roads for several hours."
)
P2 = (
    "Residents asked many questions about the school buses, the new library and the plans for "
    "the old mill on the river before the vote."
)


def _kept(line: str) -> bool:
    text = clean_text(f"{P1}\n{line}\n{P2}", title="Council budget", raw_format="html").text
    assert P1 in text and P2 in text
    return line in text


def test_story_sentences_the_furniture_rules_took_stay() -> None:
    for line in (
        "Residents need flash flood warnings on their phones, not just sirens.",
        "Night photography often requires flash or a tripod.",
        "Photographs by Dorothea Lange, on loan from the Library of Congress, fill the east "
        "gallery through June.",
        "Images by the new space telescope show a ring of dust around the young star.",
        "- Photos: two recent passport-size pictures, taken within the last six months",
        "We urge the council to reconsider before Tuesday's vote. To respond, write to "
        "letters@paper.example",
        "The draft plan is posted at the library. To comment, email plan@county.example.",
        "Email comments to parks@cityofx.example by Nov. 30; the council will vote on the plan "
        "in December.",
        "Send comments to planning@county.example before the hearing on June 4.",
        "Hits: 9",  # a box score's line
        "No. 1-ranked",
        "Nov-2019",
        "Number: 555-0142",
    ):
        assert _kept(line), line


def test_the_furniture_s_common_variants_go() -> None:
    for line in (
        "FOR IMMEDIATE RELEASE – 14 July 2026",
        "Press Release 2024-17",
        "PRESS RELEASE #24-031",
        "Release No. 24-031",
        "Press Release No. 12 | 14 July 2026",
        "Zugriffe: 1382",
        "Views: 2,417",
        "Adobe Flash Player is required to view this video.",
        "You need to upgrade your Adobe Flash Player to watch this video.",
        "To respond to this editorial, write to letters@paper.example",
        "Photos: Jane Roe and John Doe",
        "- Photos: Hilal al-Busaidi",
    ):
        assert not _kept(line), line
    assert r.RELEASE_LABEL.fullmatch("No. 10") is None


def _found(html: str) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


DE_BODY = (
    "<p>Der Gemeinderat hat am Dienstagabend lange über den Haushalt für das kommende Jahr und "
    "den Zustand der Straßen im Ortsteil diskutiert.</p><p>Die Bürger stellten viele Fragen zu "
    "den Schulbussen, der neuen Bibliothek und der alten Mühle am Fluss.</p>"
)


def test_a_teaser_s_more_link_after_a_date_is_no_source() -> None:
    # "| Mehr" is German for "more": the teaser's date is not the page's date line
    para = (
        "Der Gemeinderat hat am Dienstagabend lange über den Haushalt für das kommende Jahr und "
        "die Straßen diskutiert. "
    )
    page = (
        "<html><head><title>Haushalt</title></head><body><article><h1>Haushalt</h1>"
        f'<p class="info">Stand: 03.03.2010</p><p>{para * 3}</p><p>{para * 3}</p><p>Neue Brücke'
        ' am Fluss eröffnet</p><p>14.05.2009 | <a href="/x">Mehr</a></p></article></body></html>'
    )
    found = _found(page)
    assert found is not None and found[0] == "2010-03-03"


def test_a_meta_bar_with_empty_fields_does_not_stop_the_date_stage() -> None:
    page = f"<html><body><h1>Haushalt</h1><div>| | 3 March 2019</div>{DE_BODY}</body></html>"
    assert _found(page) == ("2019-03-03", "date-line")


ES_BODY = (
    "<p>El ente administrador del puerto anunció que licitará la construcción de una nueva "
    "terminal de granos en la zona sur, sobre terrenos que hoy ocupan depósitos.</p><p>La obra "
    "demandará unos dos años y permitirá recibir buques de mayor calado, según el pliego.</p>"
)


def test_an_update_s_label_one_element_away_from_its_date() -> None:
    for between in (
        '<span class="etiqueta">ACTUALIZADO</span> | <span class="fecha">lunes 9 de julio de 2018'
        "</span>",
        '<span class="etiqueta">Actualizado</span><i class="icon"></i><span class="fecha">lunes 9'
        " de julio de 2018</span>",
        '<span class="label">Actualizado:</span><span class="value"><span class="fecha">lunes 9 '
        "de julio de 2018</span></span>",
        '<span>Actualizado</span> <time datetime="2018-07-09T10:00:00">lunes 9 de julio de 2018'
        "</time>",
    ):
        page = (
            f'<html lang="es"><body><h1>El puerto licitará</h1><div class="meta">{between}</div>'
            f'{ES_BODY}<div class="pie">Publicado <span itemprop="datePublished">2018-07-03'
            "</span></div></body></html>"
        )
        assert _found(page) == ("2018-07-03", "date-line"), between
    # a label before an element marked as the publication does not make it an update
    page = (
        '<html><body><h1>Port</h1><div class="meta"><span class="date updated">Updated</span>'
        f'<span class="date published">3 July 2018</span></div>{ES_BODY}</body></html>'
    )
    assert _found(page) == ("2018-07-03", "date-line")


def test_joomla_s_modified_label_in_other_languages_is_an_update() -> None:
    # the info block under the text: its "created" line, not the modified one, dates the page
    page = (
        f'<html lang="es"><body><h1>El puerto</h1>{ES_BODY}<dl class="article-info"><dd '
        'class="create">Creado: 15 Marzo 2011</dd><dd class="modified">Última actualización: 20 '
        "Marzo 2011</dd></dl></body></html>"
    )
    found = _found(page)
    assert found is not None and found[0] == "2011-03-15"


def test_originally_published_in_portuguese_and_italian_after_the_text() -> None:
    for lang, note in (
        ("pt", "Publicado originalmente em 5 de julho de 2018"),
        ("it", "Pubblicato originariamente il 5 luglio 2018"),
    ):
        page = (
            f'<html lang="{lang}"><body><h1>Porto</h1>{ES_BODY}<div class="nota">{note}</div>'
            "</body></html>"
        )
        assert _found(page) == ("2018-07-05", "date-line"), note


def _listing(head: str) -> str:
    return (
        f"<html><head>{head}</head><body><h1>Castle</h1>"
        '<div class="meta"><span class="date">12 March 2019</span></div>'
        f"{ES_BODY}</body></html>"
    )


def test_a_listing_s_address_written_otherwise_has_no_date() -> None:
    for head in (
        '<link href="https://blog.example/tag/nagoya-castle/" rel="canonical">',
        '<meta content="https://blog.example/tag/nagoya-castle/" property="og:url">',
        "<link rel=canonical href=https://blog.example/tag/nagoya-castle/>",
        '<link rel="canonical" href="https://blog.example/category/news/?page=2">',
        '<link rel="canonical" href="https://blog.example/en/blog/news/tag/nagoya/">',
        '<link rel="canonical" href="https://diario.example/etiqueta/elecciones/">',
        '<link rel="canonical" href="https://blog.example/tag/nagoya-castle/"><script '
        'type="application/ld+json">{"@context":"https://schema.org","@type":"WebSite",'
        '"name":"Blog"}</script>',
    ):
        assert _found(_listing(head)) is None, head
    for head in (  # a story's own address under a category keeps its date
        '<link rel="canonical" href="https://news.example/category/council-approves-budget-12345">',
        '<link rel="canonical" href="https://news.example/news/tags/council-approves-budget.html">',
    ):
        assert _found(_listing(head)) == ("2019-03-12", "date-line"), head
