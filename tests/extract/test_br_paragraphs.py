"""An article set as one element's text between double line breaks is read from its first
paragraph on.

The page is small and written for these tests (a fictional state government's press release).
"""

from __future__ import annotations

from pathlib import Path

from storyline.article import Article
from storyline.extract.body import ExtractStage
from storyline.extract.br_paragraphs import with_br_paragraphs

DATA = Path(__file__).resolve().parents[1] / "data"
PARAS = [
    "Thiruvananthapuram, Aug 12: The State Cabinet on Friday approved a project to set up "
    "cold-storage facilities and ice plants at eleven fishing harbours along the coast.",
    "Briefing reporters after the meeting, the Fisheries Minister said that nearly a fifth of "
    "the catch landed in the State was lost or sold at distress prices for want of ice.",
    "Women fish vendors will be given insulated boxes and tricycles with ice compartments at "
    "subsidised rates, and about six thousand vendors are expected to benefit this year.",
    "The project will be carried out over three years, and tenders for the first four harbours "
    "will be invited next month, the Minister said.",
]


def _page(content: str) -> str:
    return (
        "<html><head><title>Cabinet approves cold-chain project</title></head><body>"
        "<div class='pr-content'><h3>Cabinet approves cold-chain project</h3>"
        f"{content}</div></body></html>"
    )


def _text(html: str) -> str:
    article = Article(source="release.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def test_the_first_paragraph_before_the_breaks_is_read() -> None:
    """A state government's release on ASP.NET (text_heldout23): the whole text in one
    ``<span>`` with ``<br /><br />`` between paragraphs; precision mode lost the first."""
    page = next((DATA / "text_heldout23" / "html").glob("b2098ae23db9*.html"))
    text = _text(page.read_text(encoding="utf-8"))
    assert "Thiruvananthapuram, Aug 12: The State Cabinet on Friday approved" in text
    assert "create 38 posts of Fisheries Extension Officer." in text


def test_a_single_break_stays_inside_its_paragraph_and_blocks_are_left_alone() -> None:
    lines = PARAS[0] + "<br/>" + PARAS[1] + "<br/><br/>" + "<br/><br/>".join(PARAS[2:])
    out = with_br_paragraphs(_page(f"<span>{lines}</span>"))
    assert out.count("<p>") == 3 and "<br>" in out
    block = "<div>" + "<br/><br/>".join(PARAS) + "<table><tr><td>x</td></tr></table></div>"
    page = _page(block)
    assert with_br_paragraphs(page) is page  # a layout block, not a run of text


def test_a_comment_run_after_its_header_is_left_alone() -> None:
    comments = (
        "<b>Readers' comments (3)</b><br/><font size='1'>"
        + "<br/><br/>".join(f"<b>Reader {n}:</b> {p}" for n, p in enumerate(PARAS))
        + "</font>"
    )
    page = _page(f"<div>{comments}</div>")
    out = with_br_paragraphs(page)
    assert "<p><b>Reader" not in out


def test_a_run_inside_a_paragraph_is_left_as_it_is() -> None:
    """Paragraphs inside a ``<p>`` would close it early and lose the text after the run."""
    inner = "<br/><br/>".join(PARAS[:3])
    page = _page(f"<p><font>{inner}</font> {PARAS[3]}</p>")
    assert with_br_paragraphs(page) is page
    text = _text(page)
    assert PARAS[3] in text
