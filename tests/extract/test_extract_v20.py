"""Extract stage v20 and cleaning v29 (from text_heldout52, 53 and 54, each scored once against
b319a9d): a data table under its title in an embed's wrapper, a pull quote whose class names
nothing, "synopsis" standfirsts, "Key Highlights" boxes; newsletter boxes' blurbs and buttons,
"Originally published at", "Edited by:" and "with … wires" credits, disclaimers under a label,
a science page's source and citation boxes, a photo platform's embed, a columnist's bio that
names the column, "Read also" in five more languages, "photo" in more languages' caption
credits, a byline with a text-size tool, funders', corrections' and reprint notes,
messaging-channel boxes, fact-check verdicts, a dated line over a repeated headline, Drupal's
node links, a newsroom's byline. Examples are our own."""

from __future__ import annotations

from storyline.extract import rules as r
from storyline.extract.body import extractor_copy
from storyline.extract.clean import clean_text

P1 = (
    "The harbour board voted on Thursday to raise mooring fees by a tenth from April, the first "
    "increase in six years, after a long debate about the cost of dredging the channel."
)
P2 = (
    "Fishermen said the rise would hit the smallest boats hardest and asked the board to phase "
    "it in over two years, a request the chairman said would be considered in March."
)


def _kept(line: str) -> bool:
    text = clean_text(f"{P1}\n{line}\n{P2}", title="Harbour fees", raw_format="html").text
    assert P1 in text and P2 in text
    return line in text


def _page(inner: str) -> str:
    return (
        f"<html><body><article><h1>Harbour fees</h1><p>{P1}</p>{inner}<p>{P2}</p></article>"
        "</body></html>"
    )


def test_a_table_under_its_title_in_an_embed_wrapper() -> None:
    table = (
        "<div class='trb_embed trb_embed_table'><h4>Fees by berth</h4><table><tr><th>Berth</th>"
        "<th>Fee</th></tr><tr><td>North quay</td><td>£40</td></tr><tr><td>South quay</td>"
        "<td>£35</td></tr></table></div>"
    )
    copy = extractor_copy(_page(table), None)
    assert "trb_embed_table" not in copy and "North quay" in copy
    video = (
        "<div class='trb_embed'><h4>Watch</h4><iframe src='/v'></iframe><table><tr><td>a</td>"
        "</tr><tr><td>b</td></tr></table></div>"
    )
    assert "trb_embed" in extractor_copy(_page(video), None)


def test_a_pull_quote_whose_class_names_nothing() -> None:
    quote = (
        "<blockquote class='kt ku'><p>The smallest boats would be hit hardest by the rise.</p>"
        "</blockquote>"
    )
    story = (
        f"<html><body><article><p>{P1}</p><p>Fishermen said the smallest boats would be hit "
        f"hardest by the rise, and asked for time.</p>{quote}<p>{P2}</p></article></body></html>"
    )
    assert "<blockquote" not in extractor_copy(story, None)
    # a speaker under it and other punctuation: "… mar lit.”" set again from "… mar lit,” seit"
    said = (
        f"<html><body><p>{P1}</p><p>“Boats are our living, whatever the board says,” said Ann Lee. "
        "“We will be there in March.”</p><blockquote><p>“Boats are our living, whatever the board "
        f"says.”</p><footer>Ann Lee</footer></blockquote><p>{P2}</p></body></html>"
    )
    assert "<blockquote" not in extractor_copy(said, None)
    # a quotation the story cites is kept
    cited = (
        f"<html><body><p>{P1}</p><blockquote><p>No vessel shall be charged more than the published "
        f"rate for its berth.</p></blockquote><p>{P2}</p></body></html>"
    )
    assert "<blockquote" in extractor_copy(cited, None)


def test_synopsis_and_key_highlights() -> None:
    page = (
        "<html><body><article><h1>Harbour fees</h1><h2 class='synopsis'>Mooring fees rise by a "
        f"tenth from April as dredging costs double</h2><p>{P1}</p><p>{P2}</p></article>"
        "</body></html>"
    )
    assert "dredging costs double" not in extractor_copy(page, None)
    box = (
        "<section class='key-highlights'><h2>Key Highlights</h2><ul><li>Fees up a tenth</li>"
        "<li>Vote on Thursday</li></ul></section>"
    )
    assert "Fees up a tenth" not in extractor_copy(_page(box), None)


def test_newsletter_boxes_lose_their_blurb_and_button() -> None:
    text = clean_text(
        f"{P1}\nGet the Courier’s Harbour newsletter\nWhat’s happening on the waterfront, every "
        f"Thursday.\nSign up\n{P2}\nThe board meets every Thursday.",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert "every Thursday." not in text.split(P2)[0] and "Sign up" not in text
    assert "The board meets every Thursday." in text  # a sentence, not under a box's heading
    assert not _kept("Want more stories like this? Subscribe to the Courier for unlimited access.")
    assert _kept("Want more berths? The board says there is no room left at either quay.")


def test_credits_and_notes_under_the_story() -> None:
    for line in (
        "Originally published at harbourwatch.example on January 14, 2020.",
        "Edited by: Ann Lee, Senior Deputy Editor",
        "— with Courier wires",
        "Written by Ann Lee in Cork based on reporting by Tom Burke in Cobh.",
        "Medical disclaimer: This article is for information only and is not a substitute for "
        "advice from your GP or another qualified health professional.",
        "Materials provided by the Harbour Institute. Note: Content may be edited for style and "
        "length.",
        "This investigation was supported by a reporting grant from the Coastal Journalism Fund.",
        "Spotted an error? Contact our corrections desk.",
        "Reprinting of materials is permitted only with an active hyperlink to Harbour Times.",
        "Comments are open for 24 hours. Read our guidelines.",
        "Rating: Misleading",
    ):
        assert not _kept(line), line
    for line in (
        "Written by hand, the petition was signed by 400 fishermen and sent to the minister.",
        "Doctors said the app is not a substitute for advice from your GP, the study found.",
        "With the wires down after the storm, the harbour office ran on a generator for a week.",
        "The rating agency said the harbour's debt was misleading investors, the report said.",
    ):
        assert _kept(line), line


def test_citation_and_source_boxes() -> None:
    text = clean_text(
        f"{P1}\n{P2}\nStory Source\nMaterials provided by the Harbour Institute. Note: Content may "
        "be edited for style and length.\nCite This Page\nMLA\nHarbour Wire. “Harbour fees.” 18 "
        "February 2020.",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert text.strip().endswith(P2.strip())


def test_a_photo_platform_s_embed() -> None:
    text = clean_text(
        f"{P1}\nView this post on Snapframe\nForty boats at the north quay this morning. #harbour\n"
        f"A post shared by Quay Watch (@quaywatch) on Oct 19, 2019 at 2:11pm PDT\n{P2}",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert "Snapframe" not in text and "Forty boats" not in text and "Quay Watch" not in text


def test_a_columnist_s_bio_naming_the_column() -> None:
    text = clean_text(
        f"{P1}\n{P2}\nAnn Lee is a former harbour master. She writes a fortnightly column on the "
        "sea.",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert "fortnightly column" not in text and P2 in text


def test_other_languages_teasers_captions_and_bylines() -> None:
    for line in (
        "Werengani zina: Mvula yowononga ipha ziweto ku Kasungu",
        "Bala gape: Metse ya Boteti e tlhaela metsi",
        "Kenkan bio: Kwan a ɛfiri Goaso kɔ Kukuom",
    ):
        assert not _kept(line), line
    assert r.is_caption("Alimi akudikira pa msika ku Mchinji (Chithunzi: Mchinji News)", head=False)
    assert r.is_byline("vun Redaktioun", foreign=True)
    assert not r.is_byline("Von Berlin", foreign=True)
    assert not _kept(
        "By Ann Lee | Monday, 25 July 2022 06:20 PM | Text size: A-AA+ | Print | Email"
    )


def test_messaging_channel_boxes() -> None:
    assert not _kept("Harbour Times is on Telegram. Follow our channel for daily news.")
    assert not _kept("Tiverei paWhatsApp: Joinai chiteshi chedu che WhatsApp. Dzvanya pano")
    assert _kept("The minister is on Telegram every night, aides said, answering questions.")
    assert _kept("Via WhatsApp: the minister wrote that the talks on the fees had failed.")


def test_a_dated_line_over_the_repeated_headline() -> None:
    text = clean_text(
        f"Lomiafi: 19 Iuni 2023\nHarbour fees rise\n{P1}\n{P2}",
        title="Harbour fees rise",
        raw_format="html",
    ).text
    assert text.startswith(P1)


def test_drupal_s_node_links() -> None:
    text = clean_text(
        f"{P1}\n{P2}\n- Add new comment\n- 638 reads", title="Harbour fees", raw_format="html"
    ).text
    assert "Add new comment" not in text and "638 reads" not in text
