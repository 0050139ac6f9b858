"""Cleaning stage v8: an author's bio at the foot without an "About" line, a gallery's link label
and an affiliate disclosure (the seventh blind text set). Examples are our own."""

from __future__ import annotations

import pytest

from storyline.extract import rules as r
from storyline.extract.clean import clean_text

L1 = (
    "The council voted on Tuesday to close the old library on Corso Mazzini after eighty years, "
    "citing the cost of repairs to its roof and heating."
)
L2 = (
    "Residents said they would petition the region to keep the building open as a reading room "
    "for students and older people who have nowhere else to go."
)


def _reasons(text: str) -> dict[str, str]:
    return {item.text: item.reason for item in clean_text(text).removed}


@pytest.mark.parametrize(
    "tail",
    [
        ["Jane Roe is a reporter at the Harbour Herald. She covers city politics and culture."],
        ["Kerstin Haubold ist Redakteurin in der Lokalredaktion. Sie schreibt über Stadtpolitik."],
        ["Ana Ruiz es periodista y cubre la política municipal desde 2019."],
        ["Jane Roe covers city hall for the Harbour Herald."],
        ["Ilaria Brancaleoni", "Giornalista, si occupa di città.", "Tutti gli articoli"],
        ["Tomás Ferreira", "Jornalista, escreve sobre cultura.", "Ver todos"],
    ],
)
def test_an_authors_bio_at_the_foot_is_removed(tail: list[str]) -> None:
    text = "\n\n".join([L1, L2, *tail])
    cleaned = clean_text(text)
    assert cleaned.text.strip().endswith("nowhere else to go.")
    assert all(_reasons(text)[line] == "author_box" for line in tail)


@pytest.mark.parametrize(
    "last",
    [
        # a sentence of the story that names a reporter, with more of the story after it
        ["Jane Roe is a reporter at the Harbour Herald.", L2],
        # the story's own last paragraph about a reporter, not a bio of its writer
        ["Police said the attack on Jane Roe, a reporter, is being investigated by the city."],
        # a name line over a paragraph that does not open with a role
        ["Ilaria Brancaleoni", "Reporters were kept outside the hall during the vote."],
    ],
)
def test_story_paragraphs_about_reporters_stay(last: list[str]) -> None:
    text = "\n\n".join([L1, *last])
    cleaned = clean_text(text)
    assert cleaned.text.strip().endswith(last[-1])


def test_a_gallery_label_is_a_widget() -> None:
    for line in [
        "Bildergalerie: Der Christkindelmarkt 2026 (6 Bilder)",
        "Photo gallery: the flood in pictures",
        "The flood in pictures (12 photos)",
    ]:
        assert r.is_widget(line), line
    for line in ["The council approved a gallery: the new wing opens", "Gallery owners agreed."]:
        assert not r.is_widget(line), line


def test_an_affiliate_disclosure_is_a_promo() -> None:
    for line in [
        "Wayfarer Weekly may earn a commission if you book through links on this page.",
        "This post contains affiliate links.",
        "We may earn a small commission from purchases made through links in this article.",
    ]:
        assert r.is_promo_line(line), line
    assert not r.is_promo_line("Brokers may earn a commission of 3% on each sale.")


@pytest.mark.parametrize(
    "last",
    [
        "Daniel Roe was a reporter for the Harbour Herald when he disappeared in the hills.",
        "Prime Minister Jane Doe is a journalist by training and spoke to the press on Monday.",
        "The European Commission reports on member states' progress each spring.",
        "The Insurance Scheme covers workers who lose their jobs to the closure.",
    ],
)
def test_review_last_paragraphs_that_are_no_bio_stay(last: str) -> None:
    assert clean_text("\n\n".join([L1, L2, last])).text.strip().endswith(last)


def test_review_an_editors_note_under_a_subhead_stays() -> None:
    note = "Editor's note: an earlier version of this story misnamed the street."
    text = "\n\n".join([L1, L2, "Climate Talks", note])
    assert clean_text(text).text.strip().endswith(note)
