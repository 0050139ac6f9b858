"""Extract stage v22 and cleaning v31 (from text_heldout60, 61 and 62, scored once against
6f8e4e1): a dateline's bold place cut from its paragraph, Romance photo credits, comment headers
in more languages, Dutch tip asks and video labels, a broadcaster's programme note, reader-revenue
appeals and their buttons, funders' and withheld correspondents' credits, views disclaimers of a
section or of columns, a citation box's style tabs, news agencies' end marks, a tabloid's bullets.
Examples are our own."""

from __future__ import annotations

from storyline.article import Article
from storyline.evaluate.ingested import merged_settings
from storyline.extract import body
from storyline.extract.body import extractor_copy
from storyline.extract.clean import clean_text
from storyline.ingest import foundation_stages

P1 = (
    "The harbour board voted on Thursday to raise mooring fees by a tenth from April, the first "
    "increase in six years, after a long debate about the cost of dredging the channel."
)
P2 = (
    "Fishermen said the rise would hit the smallest boats hardest and asked the board to phase "
    "it in over two years, a request the chairman said would be considered in March."
)


def _clean(text: str) -> str:
    return clean_text(text, title="Harbour fees", raw_format="html").text


def _extracted(html: str) -> str:
    article = Article(source="page.html", raw=html.encode(), raw_format="html")
    for stage in foundation_stages(merged_settings(None))[:2]:  # decode, extract
        stage.process(article)
    return article.text or ""


def test_a_dateline_s_bold_place_stays_with_its_paragraph() -> None:
    figure = "<div class='foto'><img src='/a.jpg' alt=''><br><span>Il porto</span></div>"
    page = (
        "<html><body><h1>Porto, tariffe in aumento</h1><div id='testo' class='testo'>\n"
        f"<b>GENOVA</b> – Il consiglio del porto ha votato giovedì l'aumento delle tariffe di "
        "ormeggio del dieci per cento, il primo in sei anni.<br /><br />\nI pescatori dicono "
        f"che l'aumento colpirà le barche più piccole.<br /><br />{figure}\nIl presidente ha "
        "detto che la richiesta sarà esaminata a marzo.<br /><br /></div></body></html>"
    )
    text = _extracted(page)
    assert text.startswith("GENOVA – Il consiglio del porto")
    # a heading in capitals over a list, or over a quoted line, keeps its own line
    assert body._SPLIT_DATELINE.sub(r"\1 \2", "INGREDIENTS\n- 2 eggs") == "INGREDIENTS\n- 2 eggs"
    assert body._SPLIT_DATELINE.sub(r"\1 \2", "NOTES\n– a quote") == "NOTES\n– a quote"


def test_photo_credits_in_romance_languages() -> None:
    text = _clean(f"{P1}\nLa vendemmia a Barolo lunedì mattina (foto di Enrico Sacco)\n{P2}")
    assert "Enrico Sacco" not in text
    text = _clean(f"{P1}\nLo ha detto il sindaco in piazza ieri (foto di archivio)\n{P2}")
    assert "foto di archivio" in text  # no photographer named: the story's


def test_comment_headers_in_more_languages() -> None:
    text = _clean(f"{P1}\n{P2}\nКомментарии (7)\nА рейсов только два? Раньше было три.")
    assert "Комментарии" not in text and "Раньше" not in text and P2 in text


def test_dutch_tip_asks_and_video_labels() -> None:
    text = _clean(
        f"{P1}\nBekijk de beelden van de berging op de A6\n{P2}\nHeb jij een tip?\nHeb je iets "
        "gezien of meegemaakt? Stuur je tip, foto of video naar de redactie via WhatsApp."
    )
    assert "Bekijk" not in text and "tip" not in text and P2 in text
    story = (
        "Bekijk de beelden die de politie vrijgaf, zei de woordvoerder, want de zaak is nog "
        "niet opgelost en er worden getuigen gezocht."
    )
    assert story in _clean(f"{P1}\n{story}\n{P2}")


def test_a_broadcaster_s_programme_note_with_its_slot() -> None:
    text = _clean(f"{P1}\n{P2}\nDieses Thema im Programm:\nNDR Info | 10.03.2026 | 19:30 Uhr")
    assert "Programm" not in text and "NDR Info" not in text
    listing = "NDR Info | 10.03.2026 | 19:30 Uhr"
    assert listing in _clean(f"{P1}\n{listing}\n{P2}")  # alone, a listing the story gives


def test_reader_revenue_appeals_and_their_buttons() -> None:
    text = _clean(
        f"{P1}\n{P2}\nSupport independent Harbour journalism\nMillions of readers turn to the "
        "Harbour Times for open reporting. We have no shareholders and no billionaire owner.\n"
        "Every contribution, however big or small, powers our journalism. Support the Harbour "
        "Times from as little as £1.\nGive $10 Give $25 Other amount\nYour gift can help"
    )
    assert text.strip() == f"{P1}\n\n{P2}"
    story = "The fund's director said every contribution had gone to the lifeboat crews."
    assert story in _clean(f"{P1}\n{story}\n{P2}")


def test_funders_and_withheld_correspondents() -> None:
    text = _clean(
        f"{P1}\n{P2}\nThis project is supported by the Northern Lights Foundation and "
        "individual donors.\nThis report was produced by a Harbour Times correspondent in the "
        "region whose name is withheld for safety reasons."
    )
    assert "Foundation" not in text and "withheld" not in text
    story = (
        "This project is supported by the Northern Lights Foundation, which gave $5m last year, "
        "and will be finished in 2027, officials said."
    )
    assert story in _clean(f"{P1}\n{story}\n{P2}")
    story = "This report was produced by the ministry's auditors, who found the fees unpaid."
    assert story in _clean(f"{P1}\n{story}\n{P2}")


def test_views_disclaimers_of_a_section_or_of_columns() -> None:
    text = _clean(
        f"{P1}\n{P2}\nAnn Byrne is a retired librarian who lives in Cobh. Columns reflect the "
        "views of their authors, not necessarily those of the Harbour Times."
    )
    assert "retired librarian" not in text
    text = _clean(
        f"{P1}\n{P2}\nThe writer is a former harbour master.\nX: @annbyrne\nDisclaimer: Views "
        "expressed by writers in this section are their own and do not necessarily reflect the "
        "Harbour Times’s point of view."
    )
    assert text.strip() == f"{P1}\n\n{P2}"


def test_a_citation_box_s_style_tabs() -> None:
    text = _clean(
        f"{P1}\n{P2}\nCite This Page:\n- APA\n- MLA\n- Chicago\nHarbour Times. “Mooring fees "
        "rise by a tenth.” Harbour Times, 14 May 2020."
    )
    assert "MLA" not in text and "Chicago" not in text and "14 May 2020" not in text


def test_news_agencies_end_marks() -> None:
    assert "/3321/" not in _clean(f"{P1}\n{P2}\n/3321/ 2945")
    assert "انتهای" not in _clean(f"{P1}\n{P2}\nانتهای پیام/")
    assert "open 24/7" in _clean(f"{P1}\n{P2}\nThe quay is open 24/7")


def test_a_tabloid_s_bullets_under_its_headline() -> None:
    page = (
        "<html><body><article><h2>Harbour fees rise</h2><ul class='mol-bullets-with-font'><li>"
        "Mooring fees rise by a tenth from April</li><li>The first increase in six years</li>"
        f"</ul><div itemprop='articleBody'><p>{P1}</p><p>{P2}</p><ul class='bullets'><li>Fees "
        "for boats under 8m: €400</li></ul></div></article></body></html>"
    )
    copy = extractor_copy(page, None)
    assert "first increase in six years</li>" not in copy and "under 8m" in copy
