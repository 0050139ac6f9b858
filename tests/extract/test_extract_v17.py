"""Extract stage v17 and cleaning v26 (from text_heldout45 and text_heldout46, each scored once
against bc7a3a3): a dek above a story set between line breaks, a split story's page index and
pager, a forum's table of similar threads, PHP-Nuke's post line with no year, a byline's desk
with its date, pictures captioned as definition lists or in italics, a reader's photo credit, an
affiliate's product card, a comment box's house rules, a magazine's print-issue note, a letters
page's rules, a company blog's hiring pitch, "read also" in Papiamento. Examples are our own."""

from __future__ import annotations

from storyline.article import Article
from storyline.extract import rules as r
from storyline.extract.body import ExtractStage, extractor_copy
from storyline.extract.clean import clean_text

P1 = (
    "The harbour board voted on Thursday to raise mooring fees by a tenth from April, the first "
    "increase in six years, after a long debate about the cost of dredging the channel."
)
P2 = (
    "Fishermen said the rise would hit the smallest boats hardest and asked the board to phase "
    "it in over two years, a request the chairman said would be considered in March."
)
P3 = (
    "The board also approved plans for a new slipway on the north quay, paid for by a grant "
    "from the regional development fund and due to open before the summer season."
)


def _text(html: str) -> str:
    article = Article(source="harbour.html", raw_format="html", decoded=html)
    ExtractStage().process(article)
    return article.text


def _kept(line: str) -> bool:
    text = clean_text(f"{P1}\n{line}\n{P2}", title="Harbour fees", raw_format="html").text
    assert P1 in text and P2 in text
    return line in text


def test_a_dek_above_a_story_set_between_line_breaks_goes() -> None:
    dek = "Fishermen fear the smallest boats will pay most as the first rise in six years lands"
    page = (
        "<html><body><div class=article><h1><span id=lblHeadline>Harbour board raises mooring "
        f'fees</span></h1><h2><span id=lblSummary class="summary">{dek}</span></h2><span '
        'class="byline">By Staff Reporter</span><span id="lblStory" class="story">'
        f"{P1}<br><br>{P2}<br><br>{P3}</span></div></body></html>"
    )
    copy = extractor_copy(page, None)
    assert dek not in copy and P1 in copy
    # a headline's own span of a dozen words is no paragraph of the story: the dek above
    # a Drupal body still goes
    long_title = "Harbour board votes to raise the mooring fees by a tenth from April after debate"
    drupal = (
        f"<html><body><article><h1><span>{long_title}</span></h1><div class="
        f'"field field--name-field-summary"><p>{dek}</p></div><div class="body"><p>{P1}</p>'
        f"<p>{P2}</p></div></article></body></html>"
    )
    assert dek not in extractor_copy(drupal, None)


def test_a_split_story_s_page_index_and_pager_go() -> None:
    page = (
        "<html><body><div class=article><h1>Harbour fees</h1><table align=right "
        'class="contenttoc"><tr><th>Article Index</th></tr><tr><td><a href="/a?id=4" '
        'class="toclink">Harbour fees rise</a></td></tr><tr><td><a href="/a?id=4&amp;limitstart=1" '
        'class="toclink">Page 2</a></td></tr><tr><td><a href="/a?id=4&amp;showall=1" '
        f'class="toclink">All Pages</a></td></tr></table><p>{P1}</p><p>{P2}</p><p>{P3}</p>'
        "</div></body></html>"
    )
    copy = extractor_copy(page, None)
    assert "Article Index" not in copy and "All Pages" not in copy and P1 in copy
    for line in ("< Prev Next >", "« Previous | Next »", "← Older posts Newer posts →"):
        assert not _kept(line), line
    for line in ("Next, the board turned to the slipway.", "Previous owners of the quay"):
        assert _kept(line), line


def test_a_forum_s_table_of_similar_threads_goes() -> None:
    rows = "".join(
        f'<tr><td><a href="showthread.php?t={n}">{title}</a></td><td>Harbour talk</td>'
        f"<td>{n % 17}</td></tr>"
        for n, title in ((101, "Mooring fees 2008"), (102, "North quay slipway"), (103, "Dredging"))
    )
    page = (
        f"<html><body><div class=post><h1>Fees vote</h1><p>{P1}</p><p>{P2}</p></div>"
        '<table class="tborder"><thead><tr><td class="tcat" colspan="3">Similar Threads</td></tr>'
        "<tr><td>Thread</td><td>Forum</td><td>Replies</td></tr></thead>"
        f"<tbody>{rows}</tbody></table></body></html>"
    )
    copy = extractor_copy(page, None)
    assert "Similar Threads" not in copy and "North quay slipway" not in copy and P2 in copy
    # a table of the story's own figures under a "related" word stays
    figures = (
        f"<html><body><p>{P1}</p><table><tr><th>Related costs</th></tr><tr><td>Dredging</td>"
        "<td>£2m</td></tr><tr><td>Slipway</td><td>£0.4m</td></tr></table></body></html>"
    )
    assert "Slipway" in extractor_copy(figures, None)


def test_post_lines_and_a_byline_s_desk_with_its_date_go() -> None:
    for line in (
        "Posted on Monday, May 22 @ 10:15:32 SAST by ntokozo",
        "Posted on May 22 at 10:15 by admin",
    ):
        assert r.is_date_line(line), line
        assert not _kept(line), line
    assert r.is_byline("By Ray Hruby, Courier Staff Writer Posted Wednesday, June 7, 2017")
    assert not r.is_byline("By Ray Hruby, Courier Staff Writer said the council had voted")
    assert _kept("Posted on Monday, May 22, the notice gave residents a week to object.")


def test_pictures_captioned_in_a_definition_list_or_in_italics_lose_their_captions() -> None:
    dl = (
        f"<html><body><article><h1>Harbour</h1><p>{P1}</p><dl class=spip_documents><dt><img "
        'src="/q.jpg"></dt><dt class=spip_doc_titre><strong>The north quay at low tide</strong>'
        f"</dt></dl><p>{P2}</p></article></body></html>"
    )
    assert "north quay at low tide" not in _text(dl)
    blogger = (
        f"<html><body><div class=post-body>{P1}<br><br><div class=separator><a href=/q.jpg>"
        '<img src="/q-s320.jpg"></a></div><div style="text-align:center"><i>Boats moored by the '
        f"north quay</i></div><br>{P2}<br><br>{P3}</div></body></html>"
    )
    assert "Boats moored" not in _text(blogger)
    wordpress = (
        f'<html><body><div class=entry><p>{P1}</p><p><a href=/q.jpg><img src="/q.jpg"></a><br>'
        f"<em>Shingle on the quay this morning</em></p><p>{P2}</p></div></body></html>"
    )
    assert "Shingle on the quay" not in _text(wordpress)
    # an italic paragraph with no picture above it is the story's (a note, a quotation)
    note = (
        f"<html><body><div class=entry><p>{P1}</p><p><em>{P3}</em></p><p>{P2}</p></div>"
        "</body></html>"
    )
    assert P3 in _text(note)
    assert not _kept("Shingle on Marine Terrace this morning (photo: reader Dafydd Rees)")


def test_an_affiliate_s_product_card_goes() -> None:
    card = (
        '<div class="wp-block-lazyblock-product-card"><div class="ph-product-card"><h4>Harbour '
        'Direct Savings</h4><p><strong>2.15%</strong> APY</p><a rel="sponsored nofollow" '
        'href="https://bank.example/go">Open Account</a><p>Member FDIC.</p></div></div>'
    )
    page = (
        f"<html><body><article><h1>Saving</h1><p>{P1}</p>{card}<p>{P2}</p></article></body></html>"
    )
    copy = extractor_copy(page, None)
    assert "Harbour Direct Savings" not in copy and P2 in copy
    # a story's paragraph with a sponsored link in it stays
    story = (
        f'<html><body><article><p class="product-card">{P1} <a rel="sponsored" '
        f'href="https://shop.example/x">the boots</a></p><p>{P2}</p></article></body></html>'
    )
    assert "the boots" in extractor_copy(story, None)


def test_house_notes_go_and_sentences_like_them_stay() -> None:
    for line in (
        "Comments are posted through Facebook. Please keep it civil.",
        "Please keep it civil.",
        "This piece appears in Issue 14 of The Harbour Review. Photographs by Ana Ruiz.",
        "This story appears in the Winter 2026 issue of Quayside. Subscribe to the magazine.",
        "Letters should be brief and include the writer's full name and address. The editor "
        "reserves the right to shorten letters. Write to letters@harbour.example.",
        "We're hiring! If problems like this sound like fun, take a look at our open roles.",
        "Lesa tambe: Skol nobo ta habri su porta",
    ):
        assert not _kept(line), line
    for line in (
        "Comments are welcome until Friday, the harbour master said.",
        "This report appears in the annual review of the board, which found that costs rose.",
        "Letters from the 1890s show the quay was first dredged by hand.",
        "We are hiring more wardens for the summer, the chairman said.",
    ):
        assert _kept(line), line
