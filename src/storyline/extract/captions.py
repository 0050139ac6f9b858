"""A photo's caption set as a classed paragraph under its image, taken out of the extractor's copy
of a page.

Why: trafilatura leaves out a ``<figcaption>`` but keeps a caption that a template writes as a
paragraph (``<div class="mol-img"><img></div><p class="imageCaption">…</p>``, the tabloid
layout), and every labelled set leaves captions out of the article's text: three pages of three
sets had two captions each read as paragraphs. The template names the paragraph with the word
"caption" and sets it beside its picture, so both are asked: a classed paragraph with no picture
near it is left alone. A gallery's captions are its text (a photo essay's slides), so nothing
inside a gallery, a slide show or a ``<figcaption>`` is touched.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from storyline.extract.page_tree import drop_outermost, edited

__all__ = ["drop_in_tree", "may_hold_captions", "without_captions"]

#: A class word naming a caption ("imageCaption", "image-caption", "photo_caption", "caption",
#: "wp-caption-text", "caption-text").
_CAPTION = re.compile(
    r"^(?:wp-)?(?:(?:image|img|photo|picture|pic|media)[-_]?)?caption(?:[-_]?text)?$",
    re.IGNORECASE,
)
#: A class attribute that may name one: the page-wide test before a parse.
_CAPTION_CLASS = re.compile(r"class=[\"']?[^\"'>]{0,200}?caption", re.IGNORECASE)
#: Class words of a gallery or slide show, whose captions are the page's text.
_GALLERY = re.compile(r"gallery|slide|carousel|lightbox", re.IGNORECASE)
#: A caption holding more words than this is not removed (the class was put on the article).
MAX_WORDS = 80
#: How many ancestors up a picture may stand beside the caption (its figure's wrapper).
NEAR = 2


def may_hold_captions(html: str) -> bool:
    """Whether a class naming a caption may be in the page (one search)."""
    return bool(_CAPTION_CLASS.search(html))


#: How many earlier siblings are asked for the picture (a caption sits right under it, perhaps
#: after its credit): a page of thousands of classed paragraphs costs a few looks each.
SIBLINGS = 2


def _pictured(el: Any) -> bool:
    """Whether a picture stands right before the element: in one of its nearest earlier
    siblings, or in one of its parent's or grandparent's (the figure's wrapper)."""
    node = el
    for _ in range(NEAR):
        siblings = (s for s in node.itersiblings(preceding=True) if isinstance(s.tag, str))
        for sibling in islice(siblings, SIBLINGS):
            if sibling.tag in ("img", "picture") or sibling.find(".//img") is not None:
                return True
        node = node.getparent()
        if node is None:
            return False
    return False


#: A slide's caption in a gallery inside a story ("slide-caption", "gallery__caption").
_SLIDE_CAPTION = re.compile(r"^(?:slide|gallery|slideshow|carousel)[-_]{0,2}caption$", re.I)


def _caption(el: Any) -> bool:
    slide = _is_slide_caption(el)
    if not slide and not any(_CAPTION.match(c) for c in (el.get("class") or "").split()):
        return False
    if len(" ".join(el.itertext()).split()) > MAX_WORDS or not _pictured(el):
        return False
    if slide:
        return True
    for node in el.iterancestors():
        if node.tag == "figcaption" or _GALLERY.search(node.get("class") or ""):
            return False
    return True


def drop_in_tree(tree: Any) -> bool:
    """Remove the classed captions under their pictures (their tail text stays); whether there
    were any. A gallery's slide captions go only where the story has paragraphs of its own
    outside the gallery: an "In pictures" page whose text is its captions keeps them."""
    found = [el for el in tree.iter("p", "div", "span") if _caption(el)]
    slides = {el for el in found if _is_slide_caption(el)}
    if slides and not _story_outside_galleries(tree):
        found = [el for el in found if el not in slides]
    return drop_outermost(found)


def _is_slide_caption(el: Any) -> bool:
    return any(_SLIDE_CAPTION.match(c) for c in (el.get("class") or "").split())


#: The story outside its galleries has at least this many paragraphs of a dozen words.
STORY_PARAGRAPHS, PARAGRAPH_WORDS = 2, 12


def _story_outside_galleries(tree: Any) -> bool:
    """Whether two blocks of the page's text stand outside its galleries: a paragraph, or a
    ``<div>`` holding its text itself (a radio site's ``div.rte``), of a dozen words."""
    count = 0
    for p in tree.iter("p", "div"):
        own = p.text_content() if p.tag == "p" else (p.text or "")
        if len(own.split()) < PARAGRAPH_WORDS:
            continue
        if any(_GALLERY.search(a.get("class") or "") for a in p.iterancestors()):
            continue
        count += 1
        if count >= STORY_PARAGRAPHS:
            return True
    return False


def without_captions(html: str) -> str:
    """The page without its classed captions; the page itself when it has none."""
    return edited(html, drop_in_tree) if may_hold_captions(html) else html
