"""A story's standfirst (dek, subtitle, summary field) above its first paragraph, taken out of the
extractor's copy of a page.

Why: the standfirst sells the story in a sentence under the headline; it is the page's
description, not its text, and the labelled sets leave it out: of 336 such elements on our 28
sets' pages, 318 are not in the gold, and trafilatura kept 54 of them as the article's first
paragraph. Templates name the element ("story__dek", "ArticleHeader_standfirst", "subtitle",
``field--name-field-standfirst``), so the class is asked, and only above the story's first
paragraph (the first paragraph of a dozen words under the page's ``<h1>``: a cookie banner's
above it is none): a "subtitle" class further down is the story's own subheading. A lead paragraph
marked "intro" or "lead" is the story's first paragraph on many sites (set in bold), and stays,
unless it repeats the page's description and stands apart from the story's paragraphs (in the
header above the byline, the story in a container of its own): of 20 such elements on our 41
sets' pages, 19 are not in the gold.
A template that names its standfirst otherwise (``h2.synopsis``, a site builder's styled block)
still repeats the page's description word for word under the headline: that is asked too, of
every element but a bare ``<p>``, which on many sites is the first paragraph the description
was cut from (16 standfirsts of our sets' pages found so, none of them in the gold).
"""

from __future__ import annotations

import re
from itertools import chain, islice
from typing import Any

from storyline.extract.page_tree import edited
from storyline.extract.rules import KICKER_WORDS

__all__ = ["drop_in_tree", "may_hold_standfirst", "without_standfirsts"]

#: A class word naming a standfirst ("dek", "story-dek", "standfirst", "strapline",
#: "subHeadline", "sub-title", "excerpt", "field--name-field-summary", an Indian daily's
#: ``h2.synopsis``: ten of eleven synopses under our sets' headlines are not in the gold).
_STANDFIRST = re.compile(
    r"(?<![a-z])(?:dek|deck|standfirst|strapline|sub-?headline|sub-?title|excerpt|summary"
    r"|synopsis)(?![a-z])",
    re.IGNORECASE,
)
#: A class attribute that may name one: the page-wide test before a parse.
_STANDFIRST_CLASS = re.compile(
    r"class=[\"']?[^\"'>]{0,200}?(?:dek|deck|standfirst|strapline|sub-?headline|sub-?title"
    r"|excerpt|summary|synopsis)",
    re.IGNORECASE,
)
#: A standfirst is a sentence or two: fewer words than this is a label, more is text.
MIN_WORDS, MAX_WORDS = 4, 60
#: A paragraph of the story has at least this many words (a byline or a date line has fewer).
BODY_WORDS = 12
_TAGS = ("p", "div", "h2", "h3", "h4", "h5", "h6", "span")


#: A page's own description, which a standfirst repeats word for word.
_DESCRIPTION = re.compile(r"description", re.IGNORECASE)
#: The description's fields: the meta tags and the top-level JSON-LD's.
_DESCRIPTION_XPATH = (
    '//meta[@name="description" or @property="og:description" or @name="twitter:description"]'
    "/@content"
)
#: A description shorter than this is a label ("News"), not a standfirst.
MIN_DESCRIPTION_WORDS = 5


def may_hold_standfirst(html: str) -> bool:
    """Whether a class naming a standfirst, or a description the page could repeat, may be in
    the page (two searches)."""
    return bool(_STANDFIRST_CLASS.search(html) or _DESCRIPTION.search(html))


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _descriptions(tree: Any) -> set[str]:
    """The page's descriptions (`_DESCRIPTION_XPATH`, and a JSON-LD block's top-level
    ``description``), normalised, five words or more."""
    import json

    found = {_normal(str(value)) for value in tree.xpath(_DESCRIPTION_XPATH)}
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        for thing in data if isinstance(data, list) else [data]:
            if isinstance(thing, dict) and isinstance(thing.get("description"), str):
                found.add(_normal(thing["description"]))
    # and each without a section's kicker before a colon: "Pune News: Heavy vehicles …"
    found |= {kicked.group(1) for d in found if (kicked := _KICKER.fullmatch(d))}
    return {d for d in found if len(d.split()) >= MIN_DESCRIPTION_WORDS}


#: A description led by its section's name: "pune news: heavy vehicles and …" (normalised).
_KICKER = re.compile(rf"{KICKER_WORDS}: (.+)")


def _named(el: Any) -> bool:
    """A class naming a standfirst (`_STANDFIRST`)."""
    return bool(_STANDFIRST.search(el.get("class") or ""))


#: Class words of a lead paragraph that is the story's first (set in bold on many sites).
_LEAD_PARAGRAPH = re.compile(r"(?<![a-z])(?:intro|lead|lede)(?![a-z])", re.IGNORECASE)


def _repeats_description(el: Any, descriptions: set[str]) -> str | None:
    """Whether the element repeats the page's description word for word and is dressed as no
    paragraph of the story: "standfirst" for a heading, or a classed block or paragraph whose
    class no lead paragraph's is (`_LEAD_PARAGRAPH`); "lead" for a lead paragraph, which is a
    standfirst only when the story's first paragraph is not beside it (`drop_in_tree`). A bare
    ``<p>`` or ``<div>`` that repeats it is the story's first paragraph, which many sites cut
    their description from; `_like_the_body` then asks that the class is not the body's own."""
    if not descriptions or _normal(el.text_content()) not in descriptions:
        return None
    if el.tag in ("h2", "h3", "h4", "h5", "h6"):
        return "standfirst"
    classes = el.get("class") or ""
    if not classes.strip():
        return None
    return "lead" if _LEAD_PARAGRAPH.search(classes) else "standfirst"


#: How many of a lead's next siblings are asked for the story's next paragraph.
NEXT_SIBLINGS = 8


def _beside_story(lead: Any) -> bool:
    """Whether a paragraph of the story follows the lead among its next siblings: a ``<p>`` of a
    dozen words, or a block holding exactly one (a quotation's ``<blockquote>``, a paragraph's
    own ``<div class="paragraph">``). A lead above the byline whose story stands in a container
    of many paragraphs (Drupal's ``field--name-body``) has none."""
    for sibling in islice(lead.itersiblings(), NEXT_SIBLINGS):
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag == "p":
            if len(sibling.text_content().split()) >= BODY_WORDS:
                return True
            continue
        paragraphs = list(islice(sibling.iter("p"), 2))
        if len(paragraphs) == 2:
            return False  # the story's own container: the lead stands apart from it
        if paragraphs and len(paragraphs[0].text_content().split()) >= BODY_WORDS:
            return True  # a block of one paragraph: a quotation, a "div.paragraph"
    return False


def _signature(el: Any) -> tuple[str, str]:
    return el.tag, " ".join((el.get("class") or "").split())


def _like_the_body(el: Any, body: Any) -> bool:
    """Whether the element is dressed as the story's first paragraph or one of its two
    containers are (``<p class="story-text">`` on every paragraph, ``<div class="para"><p>``):
    then it is a paragraph of the story that the description repeats."""
    kinds = {_signature(node) for node in islice(chain([body], body.iterancestors()), 3)}
    return _signature(el) in kinds


def _words(el: Any) -> int:
    return len(" ".join(el.itertext()).split())


def _story_paragraph(el: Any) -> bool:
    """A paragraph of the story: a ``<p>`` of a dozen words, or a block whose own run of text
    before its first line break has one, an old CMS's story set between line breaks in one
    ``<span>`` or ``<div>`` (an ASP.NET label's ``lblStory``): two breaks at least, its text and
    its inline children's up to the first break or block child (a standfirst among them left
    out), not in a page's footer, navigation or aside."""
    if el.tag == "p":
        return len((el.text_content() or "").split()) >= BODY_WORDS
    if el.tag not in ("div", "span") or len(el.findall("br")) < 2:
        return False  # only a story set between line breaks: not a title's <span>, a byline
    if _FURNITURE.search(f"{el.get('class') or ''} {el.get('id') or ''}") or any(
        a.tag in ("footer", "nav", "aside") for a in el.iterancestors()
    ):
        return False
    own = el.text or ""
    for child in el:
        if child.tag == "br" or (isinstance(child.tag, str) and child.tag not in _INLINE):
            break  # the first paragraph ends at the first break or block
        if isinstance(child.tag, str) and not _named(child):
            own += " " + child.text_content()
        own += " " + (child.tail or "")
    return len(own.split()) >= BODY_WORDS


#: Class or id words of a page's furniture, whose text between breaks is no story.
_FURNITURE = re.compile(r"footer|copyright|nav|menu|sidebar|widget|comment", re.IGNORECASE)
#: Inline elements whose text is part of a paragraph set between line breaks.
_INLINE = frozenset({"a", "b", "i", "em", "strong", "font", "span", "small", "u", "abbr", "q"})


def drop_in_tree(tree: Any) -> bool:
    """Remove the standfirsts above the story's first paragraph (their tail text stays); whether
    there were any. Nothing is removed from a page where no paragraph of the story follows."""
    named: list[Any] = []  # by a class naming a standfirst
    repeated: list[Any] = []  # by the description they repeat
    leads: list[Any] = []  # lead paragraphs that repeat it: the story's first, or a standfirst
    taken: set[Any] = set()
    headline = tree.find(".//h1") is None  # the story begins under the headline, when it has one
    descriptions = _descriptions(tree)
    for el in tree.iter("h1", *_TAGS):
        if el.tag == "h1":
            headline = True
            continue
        if any(a in taken for a in el.iterancestors()):
            continue
        if MIN_WORDS <= _words(el) <= MAX_WORDS:
            if _named(el):
                named.append(el)
                taken.add(el)
                continue
            kind = _repeats_description(el, descriptions) if headline else None
            if kind:  # a description is repeated under the <h1>
                (leads if kind == "lead" else repeated).append(el)
                taken.add(el)
                continue
        if headline and _story_paragraph(el):
            # a lead paragraph apart from the story (the Drupal field "field--name-field-lead"
            # above the byline, the story in its own container) is the standfirst; one beside
            # the story's next paragraph is its first
            repeated += [lead for lead in leads if not _beside_story(lead)]
            gone = named + [r for r in repeated if not _like_the_body(r, el)]
            for standfirst in gone:
                standfirst.drop_tree()
            return bool(gone)
    return False


def without_standfirsts(html: str) -> str:
    """The page without the standfirst above its story; the page itself when it has none."""
    return edited(html, drop_in_tree) if may_hold_standfirst(html) else html
