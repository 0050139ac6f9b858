"""Extract stage v19 and cleaning v28 (from text_heldout49 and text_heldout50, scored once
against e79a868): a tutorial's code set in a figure, a dek that repeats a description led by its
section's name, a "What you need to know" box, an affiliate note whose links are "on our site",
a fact check's tip box, a news alerts box, a news tip box that says "Tell us", an "end of
article" mark, Manila's "READ:" teasers and "With a report from" credits, the metadata's
authors over a live page's entries. Examples are our own."""

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


def test_code_in_a_figure_is_read() -> None:
    page = (
        f"<html><body><article><h1>Back up a Pi</h1><p>{P1}</p><figure class='kg-card "
        "kg-code-card'><pre><code>#!/bin/bash\nrsync -aAXv / backup@host:/srv/pi</code></pre>"
        f"<figcaption>pi-backup.sh</figcaption></figure><p>{P2}</p></article></body></html>"
    )
    copy = extractor_copy(page, None)
    assert "<figure" not in copy and "rsync -aAXv" in copy
    photo = (
        f"<html><body><p>{P1}</p><figure><img src='/a.jpg'><pre>ascii art</pre></figure>"
        "</body></html>"
    )
    assert "<figure" in extractor_copy(photo, None)


def test_a_dek_repeating_a_description_led_by_its_section() -> None:
    dek = "Heavy vehicles and private buses barred from the stretch till work is completed"
    page = (
        f'<html><head><meta name="description" content="Pune News: {dek}"></head><body><h1>Night '
        f"closure on Karve Road</h1><div><h2 class='_1ffw3'>{dek}</h2></div><p>{P1}</p><p>{P2}</p>"
        "</body></html>"
    )
    assert dek not in extractor_copy(page, None).split("<body>")[1]


def test_boxes_and_labels_of_local_papers_go() -> None:
    text = clean_text(
        f"What you need to know:\n- The project has a borehole.\n- The contractor left in 2019."
        f"\n{P1}\n{P2}",
        title="Water project",
        raw_format="html",
    ).text
    assert "borehole" not in text and P1 in text
    for line in (
        "GearBench is reader-supported. When you buy through links on our site, we may earn an "
        "affiliate commission.",
        "Have a claim you want us to check? Email tips@claimdesk.example or message us.",
        "Have a story? Tell us. Send your news tips to tips@daily.example or call 0700 555 013.",
        "Get breaking news alerts",
        "Sign up for texts when news breaks in the Omaha metro.",
        "end of article",
        "READ: Town bans cutting of mangroves, sets fines",
        "—With a report from Joy M. Sarabia",
    ):
        assert not _kept(line), line
    for line in (
        "Sign up for the texts of the new law at the library, the clerk said.",
        "Read the full statement below, the council said in its notice.",
        "The end of the article was cut by the editors, she said.",
    ):
        assert _kept(line), line
    assert r.teaser_kind("READ: Town bans cutting of mangroves") == "line"


def test_the_metadata_s_authors_over_a_live_page_s_entries_go() -> None:
    names = "\n".join(["Dominique Terrell", P1, "Rafael Quist", P2] * 2)
    text = clean_text(
        names,
        title="Live: water main break",
        raw_format="html",
        author="Rafael Quist and Dominique Terrell",
    ).text
    assert "Dominique Terrell" not in text and P1 in text
    # without the metadata's names, a name alone on its line is the story's
    kept = clean_text(names, title="Live: water main break", raw_format="html").text
    assert "Dominique Terrell" in kept


def test_a_fifth_review_s_mends() -> None:
    for line in (
        "With a report from the coroner expected next week, the family waits for answers.",
        "The ferry runs between two states. (New York/New Jersey)",
        "The views expressed in the report are those of the author, Professor Lee, and not the "
        "ministry's, the minister said.",
        "Read: 'We will not back down,' the mayor wrote in her letter to the board on Friday.",
    ):
        assert _kept(line), line
    for line in ("—With a report from Joy M. Sarabia", "End of article."):
        assert not _kept(line), line
