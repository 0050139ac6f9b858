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


def _caption(el: Any) -> bool:
    if not any(_CAPTION.match(c) for c in (el.get("class") or "").split()):
        return False
    if len(" ".join(el.itertext()).split()) > MAX_WORDS or not _pictured(el):
        return False
    for node in el.iterancestors():
        if node.tag == "figcaption" or _GALLERY.search(node.get("class") or ""):
            return False
    return True


def drop_in_tree(tree: Any) -> bool:
    """Remove the classed captions under their pictures (their tail text stays); whether there
    were any."""
    found = [el for el in tree.iter("p", "div", "span") if _caption(el)]
    return drop_outermost(found)


def without_captions(html: str) -> str:
    """The page without its classed captions; the page itself when it has none."""
    return edited(html, drop_in_tree) if may_hold_captions(html) else html
