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


#: A picture set as a definition list's first term, its caption in the next terms or
#: definitions: old WordPress's ``dl.wp-caption``, SPIP's ``dl.spip_documents`` with its
#: ``dt.spip_doc_titre``.
_PICTURE_LIST = re.compile(
    r"<dl\b[^>]{0,300}>\s*<dt\b[^>]{0,300}>\s*(?:<a\b[^>]{0,500}>\s*)?<img\b", re.I
)


#: A picture, then an italic line under it (in the same paragraph after a break, or in the
#: next block): the page-wide test of `_italic_captions`.
_ITALIC_UNDER_PICTURE = re.compile(
    r"<img\b[^>]{0,500}>\s*(?:</a>\s*)?(?:<br\s*/?>\s*)?"
    r"(?:(?:</(?:div|p)>\s*)?<(?:div|p)\b[^>]{0,300}>\s*)?"
    r"<(?:i|em)>",
    re.IGNORECASE,
)


def may_hold_captions(html: str) -> bool:
    """Whether a class naming a caption, a picture set as a definition list, or an italic line
    under a picture may be in the page (three searches)."""
    return bool(
        _CAPTION_CLASS.search(html)
        or _PICTURE_LIST.search(html)
        or _ITALIC_UNDER_PICTURE.search(html)
    )


#: An italic caption is a line: at most this many words.
ITALIC_WORDS = 30


def _italic_captions(tree: Any) -> list[Any]:
    """Italic lines that are all of their block's text right under a picture: a blog's
    ``<div class=separator><a><img></a></div><div><i>caption</i></div>`` (Blogger), an old
    WordPress post's ``<p><img><br><em>caption</em></p>``. A template with no caption class
    sets its captions so, and trafilatura keeps them as paragraphs. A caption is a line: a
    sentence of more than a dozen words ending in its full stop is an italic paragraph (a blog's
    opening lines under its header photo), and an emoji or an icon is no picture."""
    found: list[Any] = []
    for em in tree.iter("i", "em"):
        block = em.getparent()
        if block is None or block.tag not in ("p", "div") or len(block) > CAPTION_BLOCK_CHILDREN:
            continue  # (a transcript's thousand italic speakers in one block are not asked)
        if (block.text or "").strip() or (em.tail or "").strip():
            continue
        text = " ".join(em.text_content().split())
        words = len(text.split())
        if not 2 <= words <= ITALIC_WORDS or (words > 12 and text.endswith((".", "!", "?"))):
            continue
        before = [s for s in em.itersiblings(preceding=True) if isinstance(s.tag, str)]
        if any(" ".join(s.itertext()).strip() or (s.tail or "").strip() for s in before):
            continue  # the block holds more than the italic line
        if any(" ".join(s.itertext()).strip() for s in em.itersiblings() if isinstance(s.tag, str)):
            continue
        pictured = any(_picture(s) for s in before)
        if not pictured and not before:
            previous = next(
                (s for s in block.itersiblings(preceding=True) if isinstance(s.tag, str)), None
            )
            pictured = (
                previous is not None
                and _picture(previous)
                and not " ".join(previous.itertext()).strip()
            )
        if pictured:
            found.append(em)
    return found


#: A block with more children than this holds more than a picture's caption.
CAPTION_BLOCK_CHILDREN = 4
#: Classes of small images that are no picture: an emoji, a smiley, an icon, an avatar.
_NOT_A_PICTURE = re.compile(r"emoji|smiley|icon|avatar|logo", re.IGNORECASE)


def _picture(el: Any) -> bool:
    """An image, or an element holding one, that is a picture: not an emoji or an icon, not
    drawn under 80 pixels wide."""
    images = [el] if el.tag == "img" else list(islice(el.iter("img"), 2))
    for img in images:
        width = (img.get("width") or "").strip()
        if _NOT_A_PICTURE.search(f"{img.get('class') or ''} {img.get('src') or ''}"):
            continue
        if width.isdigit() and int(width) < 80:
            continue
        return True
    return False


#: Class words of a picture's definition list (old WordPress's ``wp-caption``, SPIP's
#: ``spip_documents`` and ``spip_doc_titre``, a gallery's ``figure`` or ``photo``).
_PICTURE_LIST_CLASS = re.compile(r"caption|spip_doc|figure|photo|image|img|picture", re.I)


def _picture_list_captions(tree: Any) -> list[Any]:
    """The captions of pictures set as definition lists: every term and definition after the
    first, which holds the picture and no text; a list of more than one picture or of more than
    ``MAX_WORDS`` words is some other list."""
    found: list[Any] = []
    for dl in tree.iter("dl"):
        marks = " ".join(
            f"{node.get('class') or ''} {node.get('id') or ''}"
            for node in dl.iter("dl", "dt", "dd")
        )
        if not _PICTURE_LIST_CLASS.search(marks):
            continue  # a list of people or questions with a portrait first is no picture's
        parts = [child for child in dl if isinstance(child.tag, str)]
        if len(parts) < 2 or parts[0].tag != "dt" or any(p.tag not in ("dt", "dd") for p in parts):
            continue
        if parts[0].find(".//img") is None or " ".join(parts[0].itertext()).strip():
            continue
        if len(dl.findall(".//img")) != 1 or len(" ".join(dl.itertext()).split()) > MAX_WORDS:
            continue
        found += parts[1:]
    return found


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
    found += _picture_list_captions(tree) + _italic_captions(tree)
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
