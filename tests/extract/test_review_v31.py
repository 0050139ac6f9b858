"""An eighth review's findings on extract v22, cleaning v31 and date stage v40 (7dee4ff), each
mended: appeals, funders' credits, tip asks, programme slots, end marks and teasers no longer
take story sentences; a tabloid's bullets only above the story; a citation box stops at other
furniture; the sticky-post test asks only above the page's headline and compares addresses by
their last part; a bracketed dateline needs its place in capitals; a UTC stamp gives way only
to the metadata's reading of the same moment. Examples are the reviewer's and our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract.body import extractor_copy
from storyline.extract.clean import clean_text
from storyline.extract.dates import find_date

P1 = (
    "The harbour board voted on Thursday to raise mooring fees by a tenth from April, the first "
    "increase in six years, after a long debate about the cost of dredging the channel."
)
P2 = (
    "Fishermen said the rise would hit the smallest boats hardest and asked the board to phase "
    "it in over two years, a request the chairman said would be considered in March."
)


def _kept(line: str) -> bool:
    return line in clean_text(f"{P1}\n{line}\n{P2}", title="Harbour fees", raw_format="html").text


def _found(html: str, text: str = "") -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html, article.text = html, text
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def test_appeals_words_in_a_story_stay() -> None:
    for line in (
        "“Every contribution, however big or small, makes a difference,” said Maria Lopez, who "
        "organised the appeal for flood victims.",
        "Every contribution, however big or small, helped us survive the war years, the "
        "publisher said at the dinner.",
        "Fans can support the team from as little as £10 a season through the new supporters' "
        "trust, the chairman said.",
        "As a mutual, we have no shareholders, so profits go back to members, chief executive "
        "Anne Hill said.",
        "Unlike its rivals, the club has no billionaire owner and relies on ticket sales, the "
        "report found.",
        "Support Ukrainian journalism",
    ):
        assert _kept(line), line


def test_a_project_s_funder_in_a_story_stays() -> None:
    assert _kept(
        "This project is funded by the National Lottery Heritage Fund and Historic England."
    )
    assert _kept("This project was supported by the Rural Development Fund.")


def test_a_police_witness_appeal_and_a_video_archive_stay() -> None:
    assert _kept("Heb jij iets gezien of gehoord? Laat het de politie weten via 0900-8844.")
    assert _kept(
        "Bekijk het video-archief van de gemeente, zegt de burgemeester, want daar staat alles in."
    )


def test_a_sentence_with_a_time_after_a_programme_note_stays() -> None:
    text = clean_text(
        f"{P1}\n{P2}\nDieses Thema im Programm:\nDer Rat beschloss um 19:30",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert "Der Rat beschloss um 19:30" in text


def test_short_fractions_are_no_end_marks() -> None:
    for line in ("/2024/ 12", "/12/ 15", "/15/ 20/ 30"):
        assert _kept(line), line


def test_a_citation_box_stops_at_other_furniture() -> None:
    story = 'The council met on Tuesday, and the budget for 2021 was "approved" by all members.'
    text = clean_text(
        f"{P1}\n{P2}\nCite This Page\n- MLA\nAdvertisement\n{story}\nOfficials said the library "
        "would open next spring.",
        title="Harbour fees",
        raw_format="html",
    ).text
    assert story in text


def test_bullets_inside_the_story_stay() -> None:
    page = (
        f"<html><body><article><h1>Library options</h1><div class='body'><p>{P1}</p><ul "
        "class='article-bullets'><li>Refurbish the old building</li><li>Move the library to the "
        f"market hall</li><li>Build a new library</li></ul><p>{P2}</p></div></article></body>"
        "</html>"
    )
    assert "Move the library to the market hall" in extractor_copy(page, None)


ASIDE = (
    "<aside><ul><li><a href='/news/old-story'>Old story about the ferry</a> <span class='date'>"
    "January 12, 2020</span></li></ul></aside>"
)
BODY = f"<p>{P1}</p><p>{P2}</p>"


def test_the_page_s_own_post_headed_by_a_link_to_itself() -> None:
    for href in (
        "council-budget/",
        "/news/Council-Budget/",
        "https://paper.example/news/council-budget/amp/",
        "https://mirror.example/council-budget/",
    ):
        page = (
            "<html><head><link rel='canonical' href='https://paper.example/news/council-budget/'>"
            f"</head><body><article class='post'><h2 class='entry-title'><a href='{href}'>Council "
            "approves budget</a></h2><time class='entry-date published' datetime='2021-03-04T09:"
            f"00:00+00:00'>March 4, 2021</time>{BODY}</article>{ASIDE}</body></html>"
        )
        found = _found(page)
        assert found is not None and found[0] == "2021-03-04", href
    # the headline outside the post, a subhead in the body that links elsewhere
    page = (
        "<html><head><link rel='canonical' href='https://paper.example/news/council-budget/'>"
        "</head><body><header><h1>Council approves budget</h1></header><main><article><time "
        f"class='published' datetime='2021-03-04T09:00:00+00:00'>March 4, 2021</time>{BODY}<h2>"
        "<a href='https://council.example/budget-2021.pdf'>What the budget contains</a></h2>"
        f"<p>{P2}</p></article></main>{ASIDE}</body></html>"
    )
    found = _found(page)
    assert found is not None and found[0] == "2021-03-04"


def test_a_story_s_history_in_brackets_is_no_dateline() -> None:
    text = (
        "Woodstock (Aug. 15, 1969) — half a million people gathered on a dairy farm for three "
        f"days of music, and the town still marks the day every summer.\n{P1}"
    )
    page = (
        "<html><head><meta property='article:published_time' content='2024-08-15T10:00:00+02:00'>"
        f"</head><body><h1>Festival town</h1><p>{text}</p></body></html>"
    )
    found = _found(page, text)
    assert found is not None and found[0] == "2024-08-15"


def test_a_utc_stamp_gives_way_only_to_its_own_moment() -> None:
    page = (
        "<html lang='en-AU'><head><meta property='og:locale' content='en_AU'><meta "
        "property='article:published_time' content='2021-11-30T23:05:00Z'></head><body><h1>"
        "Ferry fares</h1><p class='byline'>By Ana Ruiz <time class='published' datetime='2021-11-"
        f'30T02:00:00Z\'></time></p>{BODY}<script>window.__STATE__={{"publishedAt":"2021-11-30'
        'T02:00:00Z"}};</script></body></html>'
    )
    found = _found(page)
    assert found is not None and found[0] == "2021-11-30"
