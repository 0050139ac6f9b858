"""Text set between double line breaks, made paragraphs in the extractor's copy of a page.

Why: old CMSs and government sites print a whole article as one element's text with ``<br><br>``
between its paragraphs (an ASP.NET label's ``<span>``, a table cell, a ``<font>``).
trafilatura's precision mode then lost the first paragraph, the element's own text before the
first break (a press release's opening "Thiruvananthapuram, Aug 12: The State Cabinet …"), while
its default mode kept it. Mozilla's Readability turns such runs into paragraphs before it reads a
page; so does this pass, for an element holding only text and inline markup, three paragraphs or
more, and a few dozen words.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.layout_tables import is_layout_table
from storyline.extract.page_tree import edited
from storyline.extract.rules import COMMENTS, COMMENTS_HEADER

__all__ = ["may_hold_br_paragraphs", "paragraphs_in_tree", "with_br_paragraphs"]

#: Two line breaks with only spaces between them.
_DOUBLE_BR = re.compile(r"<br\s*/?>(?:&nbsp;|\s)*<br\s*/?>", re.IGNORECASE)
#: Inline elements a run of text may hold; any other child means the element is a layout block.
_INLINE = frozenset(
    "a abbr b bdi bdo cite code em font i kbd mark q s samp small span strong sub sup time tt u "
    "img wbr".split()
)
#: Blocks a run may hold between its paragraphs, kept as they are: a data table (not a layout
#: one, `layout_tables.is_layout_table`) set between two breaks (trafilatura read the whole run as
#: one text and the table's rows as one line). Lists are not: a run with a list was a parish
#: page's notice with its readers' comments under it.
BLOCKS_BETWEEN = frozenset({"table"})
#: A run of this many paragraphs, and this many words, is an article set between breaks.
MIN_PARAGRAPHS = 3
MIN_WORDS = 60


def may_hold_br_paragraphs(html: str) -> bool:
    """Whether two line breaks follow each other anywhere in the page (one search)."""
    return bool(_DOUBLE_BR.search(html))


def _segments(el: Any) -> list[list[Any]] | None:
    """The element's content cut at each run of two or more ``<br>``: each segment a list of
    texts and inline children (a single break stays in its segment), a table between them a
    segment of its own; None when a child is another block."""
    tokens: list[Any] = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            tokens.append(child.tail or "")  # a comment: dropped, its tail kept
            continue
        if child.tag in BLOCKS_BETWEEN:
            if is_layout_table(child):
                return None  # a layout table inside: the element is a layout block
        elif child.tag != "br" and child.tag not in _INLINE:
            return None
        tokens.append(child)
        tokens.append(child.tail or "")
    segments: list[list[Any]] = [[]]
    breaks: list[Any] = []  # the breaks seen since the last content
    for token in tokens:
        if isinstance(token, str):
            if not token.strip():
                if token and not breaks:
                    segments[-1].append(token)
                continue
        elif token.tag == "br":
            breaks.append(token)
            continue
        elif token.tag in BLOCKS_BETWEEN:  # a table between the paragraphs: a block of its own
            segments.append([token])
            segments.append([])
            breaks = []
            continue
        if len(breaks) >= 2 and segments[-1]:
            segments.append([])
        elif len(breaks) == 1 and segments[-1]:
            segments[-1].append(breaks[0])  # a line break inside the paragraph stays one
        breaks = []
        segments[-1].append(token)
    return [seg for seg in segments if any(not isinstance(t, str) or t.strip() for t in seg)]


def _after_comments_header(el: Any) -> bool:
    """Whether a comment section's header ("Readers' comments (7)", "Leave a reply") or its
    anchor stands just before the element: the run is the readers', not the article's."""
    node = el.getprevious()
    for _ in range(3):
        if node is None:
            return False
        if not isinstance(node.tag, str):
            node = node.getprevious()
            continue
        marks = f"{node.get('name') or ''} {node.get('id') or ''} {node.get('class') or ''}"
        text = " ".join(node.text_content().split())
        if _COMMENT_MARK.search(marks) or (
            text and (COMMENTS_HEADER.match(text) or COMMENTS.match(text))
        ):
            return True
        node = node.getprevious()
    return False


_COMMENT_MARK = re.compile(r"(?<![a-z])(?:comments?|repl(?:y|ies)|respond)(?![a-z])", re.IGNORECASE)


def paragraphs_in_tree(tree: Any) -> bool:
    """Turn each element whose text runs between double line breaks into paragraphs; whether
    any changed."""
    from lxml import etree

    changed = False
    for el in list(tree.iter("span", "div", "td", "font")):
        if sum(1 for child in el if child.tag == "br") < 2 * (MIN_PARAGRAPHS - 1):
            continue
        if any(a.tag == "p" or a.tag in _INLINE for a in el.iterancestors()):
            continue  # paragraphs inside a paragraph or a link would be closed early
        segments = _segments(el)
        if segments is None or len(segments) < MIN_PARAGRAPHS:
            continue
        if _COMMENT_MARK.search(f"{el.get('id') or ''} {el.get('class') or ''}"):
            continue
        if _after_comments_header(el):
            continue
        if len(" ".join(el.itertext()).split()) < MIN_WORDS:
            continue
        tail = el.tail
        for child in list(el):
            el.remove(child)
        el.text = None
        for segment in segments:
            if len(segment) == 1 and not isinstance(segment[0], str):
                if segment[0].tag in BLOCKS_BETWEEN:
                    segment[0].tail = None
                    el.append(segment[0])
                    continue
            paragraph = etree.SubElement(el, "p")
            last = None
            for token in segment:
                if isinstance(token, str):
                    if last is None:
                        paragraph.text = (paragraph.text or "") + token
                    else:
                        last.tail = (last.tail or "") + token
                else:
                    token.tail = None
                    paragraph.append(token)
                    last = token
            paragraph.text = (paragraph.text or "").lstrip() or None
        el.tag = "div" if el.tag in ("span", "font") else el.tag
        el.tail = tail
        changed = True
    return changed


def with_br_paragraphs(html: str) -> str:
    """The page with its break-separated runs as paragraphs; the page itself when it has none."""
    return edited(html, paragraphs_in_tree) if may_hold_br_paragraphs(html) else html
