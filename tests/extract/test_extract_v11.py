"""Extract stage v11 and cleaning v18: empty inline elements out of the extractor's copy (heading
anchors, a table of contents' markers), subheads put back where the extractor gathered the
paragraphs without their headings, and a list's lead-in and items kept as lines. Examples are
our own."""

from __future__ import annotations

from storyline.article import Article
from storyline.extract.body import ExtractStage
from storyline.extract.clean import clean_text
from storyline.extract.empty_marks import drop_in_tree, may_hold_empty_marks
from storyline.extract.page_tree import edited
from storyline.extract.subheads import with_subheads

P1 = (
    "The river authority opened the new flood gates on Monday after three years of work, and "
    "said the barrier would protect about four thousand homes along the lower valley."
)
P2 = (
    "Engineers tested each gate twice before the opening, raising and lowering the steel panels "
    "while the river was still low after the dry spring months in the region."
)
P3 = (
    "Residents who lost their homes in the floods of the last decade said they would believe in "
    "the barrier once it had held back a real winter storm on the river."
)
P4 = (
    "The authority plans to publish the water levels at each gate every hour on its website, so "
    "farmers upstream can see how much the river is holding back at any time."
)
HEAD1 = "How the gates work"
HEAD2 = "What residents say"


def _text(html: str) -> str:
    article = Article(source="gates.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def _page(body: str) -> str:
    return (
        "<html><head><title>Flood gates open</title></head><body><h1>Flood gates open</h1>"
        f"{body}</body></html>"
    )


def test_a_subhead_with_an_empty_anchor_or_marker_is_read() -> None:
    for head in (
        f'<h2><span class="ez-toc-section" id="How"></span>{HEAD1}<span class="x"></span></h2>',
        f'<h3><a name="how"></a>{HEAD1}</h3>',
        f'<h2>{HEAD1}<a class="anchor" href="#how"></a></h2>',
    ):
        page = _page(f"<article><p>{P1}</p><p>{P2}</p>{head}<p>{P3}</p><p>{P4}</p></article>")
        assert may_hold_empty_marks(page)
        text = _text(page)
        assert HEAD1 in text.split("\n"), head
        assert all(p in text for p in (P1, P2, P3, P4))


def test_only_empty_inline_elements_leave_the_copy_and_their_tail_stays() -> None:
    page = _page(
        f'<article><p><span class="drop"></span>{P1}</p>'
        '<p><a href="https://x.example/"><img src="a.png" alt=""></a>'
        '<a href="https://x.example/icon"><svg viewBox="0 0 1 1"></svg></a>'
        f"<b></b><em>kept words</em>{P2}</p></article>"
    )
    copy = edited(page, drop_in_tree)
    assert '<span class="drop">' not in copy and "<b>" not in copy
    assert "a.png" in copy and "<svg" in copy and "<em>kept words</em>" in copy
    assert P1 in copy and P2 in copy
    assert not may_hold_empty_marks(_page(f"<p><b>{P1}</b></p>"))


def test_subheads_left_out_with_the_paragraphs_gathered_are_put_back() -> None:
    # No container trafilatura knows: it gathers the paragraphs and takes no heading.
    page = _page(
        f'<div class="news-content"><p>{P1}</p><h4 class="sub-head">{HEAD1}</h4><p>{P2}</p>'
        f'<div class="ads-inner"><small>Advertisement</small></div>'
        f'<h4 class="sub-head">{HEAD2}</h4><p>{P3}</p><p>{P4}</p></div>'
    )
    lines = _text(page).split("\n")
    assert lines.index(HEAD1) == lines.index(P2) - 1
    assert lines.index(HEAD2) == lines.index(P3) - 1


def test_only_a_standing_heading_over_a_kept_paragraph_is_put_back() -> None:
    text = "\n".join([P1, P2, P3])
    card = f'<a href="/other"><h6>Another story</h6><p>{P2}</p></a>'
    linked = f'<h3><a href="/other">Another story headline here</a></h3><p>{P2}</p>'
    short = f"<h3>Memorial service</h3><p>Saturday, January 31, 2026, at eleven</p><p>{P2}</p>"
    first = f"<h3>Kicker</h3><p>{P1}</p><p>{P2}</p>"
    kept = f"<p>{P1}</p><h3>{HEAD1}</h3><p>{P2}</p>"
    for markup in (card, linked, short, first):
        assert with_subheads(_page(markup), text) == text, markup
    # a heading already in the text is not written twice
    assert with_subheads(_page(kept), "\n".join([P1, HEAD1, P2])) == "\n".join([P1, HEAD1, P2])
    assert with_subheads(_page(kept), text) == "\n".join([P1, HEAD1, P2, P3])
    long_head = " ".join(["word"] * 30)
    assert with_subheads(_page(f"<p>{P1}</p><h3>{long_head}</h3><p>{P2}</p>"), text) == text


def test_a_list_s_lead_in_and_its_items_stay_lines_of_their_own() -> None:
    lead_in = "Some villages have set up simple warning systems instead:"
    items = [
        "volunteers who read a rain gauge twice a day and call the ward office;",
        "cracks marked with painted pegs so residents can see them widen;",
        "agreed evacuation points on stable ground.",
    ]
    cleaned = clean_text("\n".join([P1, lead_in, *items, P2]) + "\n", raw_format="html")
    assert lead_in in cleaned.paragraphs
    assert all(item in cleaned.paragraphs for item in items)
    # a sentence broken across two lines is still joined
    broken = clean_text(f"{P1}\nThe gates were built by a firm that\nwon the contract in 2021.\n")
    assert "The gates were built by a firm that won the contract in 2021." in broken.paragraphs


def test_a_table_between_double_break_paragraphs_keeps_its_rows() -> None:
    from storyline.extract.br_paragraphs import with_br_paragraphs

    table = (
        "<table><tr><td>Winter</td><td>Whooper</td></tr><tr><td>2005/06</td><td>3,410</td></tr>"
        "<tr><td>2006/07</td><td>3,905</td></tr></table>"
    )
    page = _page(f"<div>{P1}<br><br>{P2}<br><br>{table}<br>{P3}<br><br>{P4}</div>")
    copy = with_br_paragraphs(page)
    assert f"<p>{P1}</p>" in copy and f"<p>{P3}</p>" in copy and "<table>" in copy
    lines = _text(page).split("\n")
    assert any("2005/06" in line and "3,905" not in line for line in lines)


def test_a_space_or_a_break_held_by_an_inline_element_stays() -> None:
    page = _page(
        "<p>Officials from the <b>New</b><span> </span><b>York</b> office arrived<span> </span>on "
        f"Friday.</p><a id='top'></a><div>{P1}<span><br><br></span>{P2}</div>"
    )
    copy = edited(page, drop_in_tree)
    assert "<b>New</b><span> </span><b>York</b>" in copy
    assert "<span><br><br></span>" in copy


def test_subheads_are_put_back_in_one_parse_and_hidden_headings_are_not() -> None:
    text = "\n".join([P1, P2])
    hidden = f'<p>{P1}</p><h2 class="screen-reader-text">Story body</h2><p>{P2}</p>'
    assert with_subheads(_page(hidden), text) == text
    aria = f'<p>{P1}</p><h2 aria-hidden="true">Listen to this article</h2><p>{P2}</p>'
    assert with_subheads(_page(aria), text) == text
    many = "".join(f"<h2>Part {n}</h2><p>{P2} {n}</p>" for n in range(400))
    lines = [P1, *(f"{P2} {n}" for n in range(400))]
    out = with_subheads(_page(f"<p>{P1}</p>{many}"), "\n".join(lines)).split("\n")
    assert out.count("Part 399") == 1 and out.index("Part 399") == out.index(f"{P2} 399") - 1
