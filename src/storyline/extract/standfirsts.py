"""A story's standfirst (dek, subtitle, summary field) above its first paragraph, taken out of the
extractor's copy of a page.

Why: the standfirst sells the story in a sentence under the headline; it is the page's
description, not its text, and the labelled sets leave it out: of 336 such elements on our 28
sets' pages, 318 are not in the gold, and trafilatura kept 54 of them as the article's first
paragraph. Templates name the element ("story__dek", "ArticleHeader_standfirst", "subtitle",
``field--name-field-standfirst``), so the class is asked, and only above the story's first
paragraph (the first paragraph of a dozen words under the page's ``<h1>``: a cookie banner's
above it is none): a "subtitle" class further down is the story's own subheading. A lead paragraph
marked "intro" or "lead" is the story's first paragraph on many sites (set in bold), and stays.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.page_tree import edited

__all__ = ["drop_in_tree", "may_hold_standfirst", "without_standfirsts"]

#: A class word naming a standfirst ("dek", "story-dek", "standfirst", "strapline",
#: "subHeadline", "sub-title", "excerpt", "field--name-field-summary").
_STANDFIRST = re.compile(
    r"(?<![a-z])(?:dek|deck|standfirst|strapline|sub-?headline|sub-?title|excerpt|summary)"
    r"(?![a-z])",
    re.IGNORECASE,
)
#: A class attribute that may name one: the page-wide test before a parse.
_STANDFIRST_CLASS = re.compile(
    r"class=[\"']?[^\"'>]{0,200}?(?:dek|deck|standfirst|strapline|sub-?headline|sub-?title"
    r"|excerpt|summary)",
    re.IGNORECASE,
)
#: A standfirst is a sentence or two: fewer words than this is a label, more is text.
MIN_WORDS, MAX_WORDS = 4, 60
#: A paragraph of the story has at least this many words (a byline or a date line has fewer).
BODY_WORDS = 12
_TAGS = ("p", "div", "h2", "h3", "h4", "span")


def may_hold_standfirst(html: str) -> bool:
    """Whether a class naming a standfirst may be in the page (one search)."""
    return bool(_STANDFIRST_CLASS.search(html))


def _marked(el: Any) -> bool:
    return bool(_STANDFIRST.search(el.get("class") or ""))


def _words(el: Any) -> int:
    return len(" ".join(el.itertext()).split())


def drop_in_tree(tree: Any) -> bool:
    """Remove the standfirsts above the story's first paragraph (their tail text stays); whether
    there were any. Nothing is removed from a page where no paragraph of the story follows."""
    found: list[Any] = []
    headline = tree.find(".//h1") is None  # the story begins under the headline, when it has one
    for el in tree.iter("h1", *_TAGS):
        if el.tag == "h1":
            headline = True
            continue
        if any(a in found for a in el.iterancestors()):
            continue
        if _marked(el) and MIN_WORDS <= _words(el) <= MAX_WORDS:
            found.append(el)
            continue
        if headline and el.tag == "p" and len((el.text_content() or "").split()) >= BODY_WORDS:
            for standfirst in found:
                standfirst.drop_tree()
            return bool(found)
    return False


def without_standfirsts(html: str) -> str:
    """The page without the standfirst above its story; the page itself when it has none."""
    return edited(html, drop_in_tree) if may_hold_standfirst(html) else html
