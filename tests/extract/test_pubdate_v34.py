"""Date stage v34 (from dates_heldout55, scored once against eb2173c): Joomla's "created" label
in its language packs, an "originally published" line in Spanish word order after the text, and
an update's label set in its own element just before the date element. Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.date_sources import date_line_values
from storyline.extract.dates import find_date

BODY = (
    "<p>El ente administrador del puerto anunció que licitará la construcción de una nueva "
    "terminal de granos en la zona sur, sobre terrenos que hoy ocupan depósitos en desuso.</p>"
    "<p>La obra demandará unos dos años y permitirá recibir buques de mayor calado, según el "
    "pliego que se publicará la semana próxima en el boletín oficial de la provincia.</p>"
)


def _found(html: str) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def test_joomla_s_created_label_in_other_languages() -> None:
    for line, day in (
        ("Creado en Martes, 15 Marzo 2011 19:20", "2011-03-15"),
        ("Criado em 15 Março 2011", "2011-03-15"),
        ("Créé le mardi 15 mars 2011 19:20", "2011-03-15"),
        ("Creato il 15 marzo 2011", "2011-03-15"),
    ):
        assert [v[0][:10] for v in date_line_values(line)] == [day], line
    assert date_line_values("Creado por el ayuntamiento en 2011") == []


def test_an_update_banner_gives_way_to_the_original_publication_line() -> None:
    page = (
        '<html lang="es"><head><meta property="article:modified_time" '
        'content="2018-07-09T18:40:00-03:00"></head><body><header><h1>El puerto licitará una '
        'nueva terminal</h1><div class="banner"><span class="etiqueta">ACTUALIZADO</span> '
        '<span class="fecha-grande">lunes 9 de julio de 2018 - 18:40</span></div></header>'
        f'<div class="article-body">{BODY}</div><p class="nota"><small>Publicado originalmente '
        "el 05/07/2018</small></p></body></html>"
    )
    assert _found(page) == ("2018-07-05", "date-line")


def test_a_comment_before_a_date_element_is_no_label() -> None:
    page = (
        '<html lang="de"><body><h1>Kita-Fest im Sommer</h1><!-- meta --><span class="date">'
        "15.03.2018</span><p>Die Kita lädt alle Familien zum Sommerfest ein, mit Spielen, "
        "Musik und einem Kuchenbuffet, das die Eltern selbst gebacken haben.</p></body></html>"
    )
    assert _found(page) == ("2018-03-15", "date-line")
