"""Extract stage v18 and cleaning v27 (from text_heldout47, scored once against 9525607) and a
fourth review of the rules of extract v17 and cleaning v26: an editor's note on the print issue,
a fact box headed "<Name> at a glance", a caption's photographer and paper after its sentence, a
reporter's telephone, an ad's "Story continues below", the headline under a title that names the
site; and the review's mends to the italic and definition-list captions, the standfirst's story
paragraph, plural photo credits and the new house-note rules. Examples are our own."""

from __future__ import annotations

from storyline.article import Article
from storyline.extract.body import ExtractStage, extractor_copy
from storyline.extract.captions import without_captions
from storyline.extract.clean import clean_text
from storyline.extract.summary_boxes import without_summary_boxes

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


def _kept(line: str, title: str = "Harbour fees") -> bool:
    text = clean_text(f"{P1}\n{line}\n{P2}", title=title, raw_format="html").text
    assert P1 in text and P2 in text
    return line in text


def test_notes_credits_and_labels_of_this_set_go() -> None:
    for line in (
        "Editor’s note: This article appears in the June 2019 issue of Ledgerline under the "
        "headline “Rising to the Occasion.”",
        "The upper levels of the ramp have been closed since November. (Ross Vandehei/Fox River "
        "Courier)",
        "Contact Kendra Liebl at 920-555-0142 or kliebl@courier.example. Follow her on Twitter.",
        "Story continues below",
    ):
        assert not _kept(line), line
    for line in (
        "Commuters now drive to the other side of the region (New York/New Jersey).",
        "Contact Lens Services said the clinic would reopen on Monday.",
        "This article appears in the latest issue of Nature, where researchers describe the find.",
    ):
        assert _kept(line), line


def test_the_headline_under_a_title_that_names_the_site_goes() -> None:
    headline = "Seven Ways to Keep Your Houseplants Happy Through Winter"
    text = clean_text(
        f"{headline}\n{P1}\n{P2}", title=f"{headline} — Hearth & Field", raw_format="html"
    ).text
    assert headline not in text and P1 in text
    # a longer tail is no site's name: the first line stays
    text = clean_text(
        f"{headline}\n{P1}\n{P2}",
        title=f"{headline} — and what to do when the leaves turn brown in spring",
        raw_format="html",
    ).text
    assert headline in text


def test_a_fact_box_headed_with_its_subject_at_a_glance_goes() -> None:
    page = (
        f"<html><body><article><h1>Bakery</h1><p>{P1}</p><div class=css-9a><h3>Kessler Family "
        "Bakeries at a glance</h3><ul><li>Founded: 1949</li><li>Employees: 210</li></ul></div>"
        f"<p>{P2}</p></article></body></html>"
    )
    assert "Founded: 1949" not in without_summary_boxes(page)


def test_italic_and_definition_list_captions_need_a_picture_and_a_caption_s_shape() -> None:
    emoji = (
        f'<html><body><div class=entry><p>{P1}</p><p><img class="emoji" alt="🙂" src="/e.png"> '
        f"<em>She never came back to the quay.</em></p><p>{P2}</p></div></body></html>"
    )
    assert "never came back" in without_captions(emoji)
    opening = (
        '<html><body><div class=post><div class=separator><img src="/ferry.jpg"></div><p><i>Last '
        "week I took the early ferry to the island, and this is what I found there.</i></p>"
        f"<p>{P1}</p></div></body></html>"
    )
    assert "early ferry" in without_captions(opening)
    bare = (
        f'<html><body><div class=entry><p>{P1}</p><img src="/quay.jpg"><p><em>The quay at dawn'
        f"</em></p><p>{P2}</p></div></body></html>"
    )
    assert "quay at dawn" not in without_captions(bare)
    voices = (
        f"<html><body><p>{P1}</p><dl class=voices><dt><img src=/ola.jpg></dt><dd>Ola Nordmann "
        "has run the harbour kiosk for twenty years and says the fees will close it.</dd></dl>"
        "</body></html>"
    )
    assert "Ola Nordmann" in without_captions(voices)


def test_a_transcript_s_italic_speakers_under_a_picture_stay() -> None:
    # a block of many italics is no caption's (and is not asked: `CAPTION_BLOCK_CHILDREN`)
    lines = "".join(f"<i>Speaker {n % 3}:</i> a line of the transcript<br>" for n in range(60))
    page = (
        '<html><body><div class=separator><a href=/a.jpg><img src="/a.jpg"></a></div>'
        f"<div>{lines}</div></body></html>"
    )
    assert without_captions(page).count("<i>Speaker") == 60


def test_the_story_paragraph_between_breaks_is_its_own_text() -> None:
    dek = "A dek of a dozen words or more that sells the story under its headline here"
    for page in (
        f"<html><body><h1>T</h1><div class=entry><div class=dek>{dek}</div>{P1}<br><p>{P2}</p>"
        "</div></body></html>",
        f"<html><body><h1>T</h1><div class=article-body><span class=subtitle>{dek}</span><br>"
        f"<p>{P1}</p><p>{P2}</p></div></body></html>",
    ):
        copy = extractor_copy(page, None)
        assert dek not in copy and P1 in copy
    summary_only = (
        f"<html><body><h1>T</h1><div class=summary>{P1}</div><div class=footer>Copyright 2019 "
        "The Harbour Times and all of its contributors, all rights reserved<br>Contact<br>Jobs"
        "</div></body></html>"
    )
    assert P1 in extractor_copy(summary_only, None)


def test_credits_and_house_notes_after_the_review() -> None:
    for line in (
        "- Photo: Jane Doe",
        "Photos: supplied",
        "Photos by staff",
        "Photos: Łukasz Żak",
        "Comments are moderated before they appear.",
        "Letters may be edited for length.",
        "We are hiring: see our jobs page.",
        "Requires Adobe Flash Player",
    ):
        assert not _kept(line), line
    for line in (
        "Low-light shots require flash.",
        "You'll need to enable flash.",
        "Comments are handled by the city clerk. The deadline is March 3.",
        "Comments will be reviewed by the planning board. A decision is expected in May.",
        "Letters must be sent by Friday to count, the elections office warned.",
        "We are hiring. About 200 people will start at the new plant next month, the company said.",
        "This report appears in the annual edition of the council's budget book, released Tuesday.",
        "Published May 22 by Penguin",
        "Similar topics came up at the second meeting",
        "Treffer: 12",
        "Send letters to letters@paper.example by Friday; the best will be printed, the editor "
        "said.",
    ):
        assert _kept(line), line


def test_a_report_s_and_a_podcast_s_furniture_from_the_forty_eighth_set() -> None:
    for line in (
        "The views expressed in MIAS commentaries are those of the author.",
        "Borderlands Dispatch is produced by Leila Farhadi and Owen Pritchard. Sound design by "
        "Tamsin Hoel. Music by The Kabul Street Quartet. Our theme is “Caravan” by Idris Mahmoodi.",
    ):
        assert not _kept(line), line
    for line in (
        "The views expressed in the debate are those of the opposition.",
        "The film is produced by Leila Farhadi. Music was composed for it by a local band.",
    ):
        assert _kept(line), line
    page = (
        f"<html><body><article><h1>Border markets</h1><div class=box><h2>Key findings</h2><ul>"
        f"<li>Four markets studied</li><li>Closed on 11 of 52 days</li></ul></div><p>{P1}</p>"
        f"<p>{P2}</p></article></body></html>"
    )
    assert "Four markets studied" not in without_summary_boxes(page)
    crumbs = "| Home > Records > Development Assistance Committee > Minutes of Evidence | | |"
    text = clean_text(f"{crumbs}\n{P1}\n{P2}", title="Minutes", raw_format="html").text
    assert "Minutes of Evidence" not in text and P1 in text
