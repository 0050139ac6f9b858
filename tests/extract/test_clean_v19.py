"""Cleaning stage v19, extract stage v12 and date stage v26: a newsletter's sign-up
box, a byline whose tail is a labelled time and its names over a live page's entries, a
columnist's bio closed by the views disclaimer, a caption credit after a colon, a guest book's
count of entries, an obituary's life dates and its paper's note; a Haitian Creole date line
signed by the newsroom. Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract import rules as r
from storyline.extract.clean import clean_text
from storyline.extract.dates import find_date
from storyline.extract.embeds import drop_social_embeds

P1 = (
    "The canal authority raised the maximum draft for the largest ships on Monday after three "
    "months of heavy rain refilled the lake that feeds the locks, officials said."
)
P2 = (
    "Shipping lines had cut cargo on dozens of crossings during the drought, and some had sent "
    "ships around the southern cape of the continent instead."
)
P3 = (
    "The authority said it would keep the auction of extra booking slots for another season "
    "while it studies a new reservoir upstream of the locks."
)


def _page(box: str) -> str:
    return (
        f"<html><body><article><h1>Canal raises draft limit</h1><p>{P1}</p>{box}<p>{P2}</p>"
        f"<p>{P3}</p></article></body></html>"
    )


def test_a_sign_up_box_named_by_its_class_leaves_the_copy() -> None:
    for box in (
        '<div class="NewsletterSignupInline"><h4>Get the Morning Brief</h4><p>The top stories '
        'in your inbox before 7 a.m.</p><form><input type="email"><button>Sign up</button>'
        "</form></div>",
        '<div class="kg-card kg-signup-card"><h2>Get the Dispatch</h2><p>Canal news, three times '
        'a week. Free.</p><form><input type="email"><button>Subscribe</button></form></div>',
    ):
        copy = drop_social_embeds(_page(box))
        assert "Morning Brief" not in copy and "three times" not in copy
        assert all(p in copy for p in (P1, P2, P3))


def test_a_paywall_wrapper_or_a_box_without_a_form_stays() -> None:
    wrapper = (
        '<div class="subscriber-only"><p>Canal members get a weekly digest.</p>'
        "<button>Open</button></div>"
    )
    no_form = '<div class="newsletter-note"><p>Our newsletter reached 40,000 readers.</p></div>'
    long_box = f'<div class="newsletter-signup"><p>{P1} {P2}</p><button>Sign up</button></div>'
    for box, kept in ((wrapper, "weekly digest"), (no_form, "40,000 readers"), (long_box, P1)):
        assert kept in drop_social_embeds(_page(box)), box


def test_a_byline_with_a_labelled_time_and_its_names_over_entries_go() -> None:
    byline = "By Desiree Hinds and Ryan Gittens · Last updated 6:45 p.m."
    lines = [byline, "Desiree Hinds", P1, "Ryan Gittens", P2, "Desiree Hinds", P3]
    cleaned = clean_text("\n".join(lines) + "\n", raw_format="html")
    assert cleaned.paragraphs == [P1, P2, P3]
    # without a byline naming them, a name alone on its line stays
    alone = clean_text("\n".join([P1, "Desiree Hinds", P2]) + "\n", raw_format="html")
    assert "Desiree Hinds" in alone.paragraphs
    assert r.is_date_line("Updated: 18:45 GMT")
    assert not r.is_date_line("6:45 p.m.")


def test_a_columnist_s_bio_closed_by_the_views_disclaimer_goes() -> None:
    bio = (
        "Nilda Ruiz is a parent and former school librarian in Utuado. The views expressed in "
        "this column are her own."
    )
    assert r.is_promo_line(bio)
    quoted = "Critics said the views expressed in this column are his own opinion, not the paper's."
    assert not r.is_promo_line(quoted)
    later = (
        "He wrote that. The views expressed in this column are his own, the editor said in a "
        "letter to readers on Monday."
    )
    assert not r.is_promo_line(later)


def test_a_caption_credit_after_a_colon_and_an_obituary_s_furniture_go() -> None:
    assert r.is_caption("Farmers sort the seed potatoes (Foto: Qhana Aru)", head=False)
    assert r.is_caption("Women sort the seed potatoes. Photo: Radio Llaqta", head=False)
    assert not r.is_caption("The minister spoke to reporters (file).", head=False)
    assert not r.is_caption("He said the photo: it was fake, and that it was old.", head=False)
    assert r.is_date_line("March 2, 1938 – October 11, 2017")
    assert not r.is_date_line("March 2, 1938 – the day the mill closed")
    assert r.is_promo_line("Published in Amandala View on Oct. 12, 2017.")
    messages = [
        "He taught me to sing when I was eight. Rest easy, sir.",
        "Our deepest sympathy to all the family.",
    ]
    obituary = "He is survived by his children and will be buried at the town cemetery on Saturday."
    cleaned = clean_text(
        "\n".join([P1, obituary, "9 entries", *messages]) + "\n", raw_format="html"
    )
    assert cleaned.paragraphs == [P1, obituary]


def _found(html: str) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def test_a_haitian_creole_date_line_signed_by_the_newsroom_is_read() -> None:
    page = (
        '<html lang="ht"><body><article><h1>Lekòl la resevwa 300 nouvo ban</h1>'
        '<p class="dat">Pibliye mèkredi 17 oktòb 2018 · Redaksyon Radyo Kap Nouvèl</p>'
        "<p>Elèv lekòl nasyonal la pap chita atè ankò. Yon gwoup ansyen elèv fè don 300 ban lekòl "
        "ak 40 tablo nwa pou lekòl la, ki te pèdi mèb li yo apre inondasyon an.</p>"
        "</article></body></html>"
    )
    assert _found(page) == ("2018-10-17", "date-line")
    french = page.replace(
        "Pibliye mèkredi 17 oktòb 2018 · Redaksyon Radyo Kap Nouvèl",
        "Publié mercredi 17 octobre 2018 · Rédaction Radio Nord",
    )
    assert _found(french) == ("2018-10-17", "date-line")


def test_a_kicker_above_the_repeated_headline_and_a_data_download_link_go() -> None:
    title = "Canal raises the draft limit for the largest ships"
    cleaned = clean_text(
        "\n".join(["Data story", title, P1, P2, "Download the data (CSV)"]) + "\n",
        title=title,
        raw_format="html",
    )
    assert cleaned.paragraphs == [P1, P2]
    # a short first line not above the headline stays: it may be the story's
    kept = clean_text("\n".join(["Tax.", P1, P2]) + "\n", title=title, raw_format="html")
    assert kept.paragraphs[0] == "Tax."
    assert not r.is_promo_line("Get the data right and the rest follows, she said.")


def test_a_list_s_items_after_its_lead_in_stay_lines_and_page_prompts_go() -> None:
    items = ["the main public library on the Mall", "the library at Model Town"]
    lead_in = "The libraries that will remain open late are:"
    cleaned = clean_text("\n".join([P1, lead_in, *items, P2]) + "\n", raw_format="html")
    assert all(item in cleaned.paragraphs for item in items)
    assert r.is_subscribe(
        "Like Lahore on Facebook, follow @Chronicle on X to stay informed and join in."
    )
    assert not r.is_subscribe("Like Pakistan on Facebook, India has banned the app.")
    assert r.is_promo_line(
        "Write to us: Letters should be no longer than 250 words. Send them to letters@x.example."
    )
    assert not r.is_promo_line("Write to us: we read every letter.")
    assert r.teaser_kind("Leghe puru: Casteddu, sa linea noa de su trenu lestru") == "line"


def test_a_podcast_page_s_label_chapters_and_credits_and_a_corrections_note_go() -> None:
    chapters = [
        "Chapters",
        "- 00:00 Cold open",
        "- 02:14 Leaving the garage",
        "- 11:40 The regulars",
    ]
    credits = (
        "Produced by Priya Desai and Owen Hartt. Sound design by Luc Gagnon. Music by Slow "
        "Lantern. Thanks to the drivers who let us ride along."
    )
    lines = [
        "Season 6 · Episode 142",
        P1,
        P2,
        "The full transcript is available to members.",
        *chapters,
        credits,
    ]
    cleaned = clean_text("\n".join(lines) + "\n", raw_format="html")
    assert cleaned.paragraphs == [P1, P2]
    # time-stamped lines without a chapters header stay (a live page's entries)
    live = clean_text("\n".join([P1, "- 02:14 Crews reach the bridge", P2]) + "\n")
    assert "- 02:14 Crews reach the bridge" in live.paragraphs
    assert not r.is_promo_line("Produced by the BBC. Music by Elgar was played at the event.")
    assert r.is_promo_line("Corrections can be reported by emailing corrections@x.example.")
    assert not r.is_promo_line("Errors can be costly, the auditor said.")
    # a science story's "Journal reference: …" line stays: one labelled set keeps it
    assert not r.is_promo_line("Journal reference: Upland Ecology, DOI: 10.5555/jue.2024.0117")


def test_the_review_s_story_sentences_stay() -> None:
    """Sentences a review of v18-v20 found removed: each is a story's own."""
    for line in (
        "Errors should be reported to the election commission within 48 hours, the chief said.",
        "Corrections can be submitted until Friday, according to the exam board.",
        "The full transcript is available to members of the committee, the clerk said, but not "
        "to the public.",
    ):
        assert not r.is_promo_line(line) and not r.is_subscribe(line), line
    assert not r.is_subscribe(
        "Like Taylor on Instagram, join the fan club and win tickets, the promoter promised."
    )
    assert not r.is_caption(
        "Los rescatistas llegaron tarde. Foto: Nadie sabe cuántos murieron", head=False
    )
    assert r.is_promo_line(
        "Jane Roe is a retired teacher in Utuado. The views expressed here are those of the author."
    )


def test_a_show_s_count_of_entries_stays_and_a_transcript_keeps_its_speakers() -> None:
    story = [P1, "312 entries", P2, P3]
    assert clean_text("\n".join(story) + "\n", raw_format="html").paragraphs == [
        P1,
        "312 entries",
        P2,
        P3,
    ]
    transcript = [
        "By Jane Doe and John Roe",
        P1,
        "Jane Doe",
        "What changed at the canal this year?",
        "Maria Lopez",
        P2,
        "Jane Doe",
        "And next season?",
        "Maria Lopez",
        P3,
    ]
    kept = clean_text("\n".join(transcript) + "\n", raw_format="html").paragraphs
    assert kept.count("Jane Doe") == 2 and kept.count("Maria Lopez") == 2
    live = ["Timestamps", "- 14:05 Crews reach the bridge", "- 14:30 The road reopens", P1]
    assert "- 14:05 Crews reach the bridge" in clean_text("\n".join(live) + "\n").paragraphs


def test_a_sentence_broken_inside_a_list_is_joined() -> None:
    lines = [
        "The road was closed because of:",
        "fallen trees and a collapsed wall near the",
        "bridge, which the council will rebuild.",
    ]
    cleaned = clean_text("\n".join([P1, *lines]) + "\n", raw_format="html")
    assert "fallen trees and a collapsed wall near the bridge, which the council will rebuild." in (
        cleaned.paragraphs
    )


def test_a_post_s_category_class_or_another_sign_up_is_no_newsletter_box() -> None:
    post = (
        '<div class="post category-newsletter"><p>The canal newsletter turns ten.</p>'
        "<button>Share</button></div>"
    )
    event = (
        '<div class="event-signup"><p>Give blood at the town hall on Friday.</p>'
        "<button>Sign up</button></div>"
    )
    for box, kept in ((post, "turns ten"), (event, "Give blood")):
        assert kept in drop_social_embeds(_page(box)), box
    ghost = (
        '<div class="kg-signup-card"><p>Canal news, weekly.</p>'
        '<input type="email" placeholder="Your email"><button>Subscribe</button></div>'
    )
    assert "Canal news, weekly" not in drop_social_embeds(_page(ghost))


def test_a_release_s_end_mark_a_contact_a_portal_s_prompt_and_a_local_time_go() -> None:
    """Cleaning stage v22."""
    lines = [
        "Last updated: 18 January 2026, 18:42 Kabul time",
        P1,
        P2,
        "*ENDS*",
        "For further information, please contact: Returns unit, Kabul, returns@urco.example",
        "(What’s moving markets? Catch all the business news and updates on The Harbour Times.)",
    ]
    assert clean_text("\n".join(lines) + "\n", raw_format="html").paragraphs == [P1, P2]
    assert r.teaser_kind("Oquñız: Taşkentte qırımtatar tili kursları açıldı") == "line"
    assert not r.is_promo_line("Catch all the fish you can, the minister told the fishermen.")
