"""Cleaning stage v25 and date stage v33 (from text_heldout43 and dates_heldout54, scored once
against 000c7c7): a gallery's plural photo credits as list items, a release's label and number
alone on their lines, a letters page's address and box title, an editorial's invitation to
respond, an old CMS's hit counter and Flash player notice; a tag's or category's listing by its
own address. Examples are our own."""

from __future__ import annotations

from typing import Any

from storyline.article import Article
from storyline.extract import rules as r
from storyline.extract.clean import clean_text
from storyline.extract.dates import find_date

P1 = (
    "The port authority said on Monday that container traffic rose by a fifth in the first half "
    "of the year, helped by new shipping lines calling at the terminal."
)
P2 = (
    "Officials expect the second berth, due to open next spring, to double the number of ships "
    "the port can handle at the same time."
)


def test_release_furniture_and_a_letters_page_s_box_go() -> None:
    for line in (
        "FOR IMMEDIATE RELEASE",
        "Press Release No. KCSDB/PR/2011/37",
        "No. PR-2026-071 | Dated: 14-07-2026",
        "Write to us",
        "- Photos: Hilal al-Busaidi",
        "Hits: 1382",
        "Click to play. Requires Adobe Flash Player. Video: Naqibullah Sherzad",
        "Send your letters to letters@courier.example. Please include your full name and town.",
        "Gulf Morning editorials represent the view of the newspaper. To respond, write to "
        "letters@gulfmorning.example",
    ):
        text = clean_text(f"{P1}\n{line}\n{P2}", title="Port traffic", raw_format="html").text
        assert line not in text and P1 in text and P2 in text, line


def test_story_lines_like_them_stay() -> None:
    for line in (
        "No. 10",  # a ranking's heading
        "Number 7 bus",
        "The site still requires Adobe Flash, which was retired in 2020, the auditors said in "
        "a report on its systems.",
        "She told reporters that to respond, write to the mayor@city.example was not enough.",
    ):
        text = clean_text(f"{P1}\n{line}\n{P2}", title="Port traffic", raw_format="html").text
        assert line in text, line
    assert not r.RELEASE_LABEL.fullmatch("No. 10")


def _found(html: str) -> tuple[str, str] | None:
    article = Article(source="page.html", raw_format="html")
    article.html = html
    found: Any = find_date(article)
    return (found.day, found.source) if found else None


def test_a_tag_listing_by_its_own_address_has_no_date() -> None:
    def page(url: str) -> str:
        return (
            f'<html><head><link rel="canonical" href="{url}"></head><body><main><h1>Tag: Castle'
            '</h1><div class="teaser"><span class="d">2023年6月12日 20:15</span><a href="/a/1">'
            f"Castle gate reopens</a><p>{P1}</p></div><div class=teaser><span class=d>2023年6月"
            f'10日 09:00</span><a href="/a/2">Garden tours</a><p>{P2}</p></div></main>'
            "</body></html>"
        )

    assert _found(page("https://news.example/tag/nagoya-castle/")) is None
    assert _found(page("https://news.example/category/local/page/2/")) is None
    # a story filed under a category, or a forum's topic, keeps its date
    assert _found(page("https://news.example/category/local/castle-gate-reopens/")) is not None
    assert _found(page("https://forum.example/topic/8812-castle-gate/")) is not None
