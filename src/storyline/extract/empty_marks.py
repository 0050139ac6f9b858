"""Empty inline elements (heading anchors, icon holders, a table of contents' markers) taken out
of the extractor's copy of a page.

Why: trafilatura in precision mode loses a block whose text comes after an empty inline element
or ends with an empty link. ``<h2><span class="ez-toc-section" id="Step_1"></span>Step 1: …</h2>``
(the markers a WordPress table-of-contents plugin writes into every subhead),
``<h3><a name="s2"></a>…</h3>``, ``<h2>…<a class="anchor" href="#x"></a></h2>``, ``<li><span
class="bullet"></span>…</li>`` all came out without their text: an empty link counts as a block
made only of links, and an empty leading span takes the text after it along when it is pruned.
Three subheads of one labelled page were lost so. The elements hold no text and no picture, so
taking them out (their tail text stays) changes nothing a reader sees.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.page_tree import drop_outermost

__all__ = ["drop_in_tree", "may_hold_empty_marks"]

#: Inline elements that hold only formatting or a place to link to.
INLINE = ("a", "span", "i", "b", "em", "strong", "font", "small", "u", "s", "sup", "sub", "mark")
#: An inline element with nothing in it: the page-wide test before a parse.
_EMPTY = re.compile(r"<(a|span|i|b|em|strong|font|small|u|s|sup|sub|mark)\b[^<>]{0,500}></\1>")
#: What an element without text may still show, and so keeps it (an icon drawn as SVG or a
#: picture inside a link is what the link shows).
_SHOWN = ("img", "picture", "svg", "video", "audio", "iframe", "object", "embed", "canvas", "input")


def may_hold_empty_marks(html: str) -> bool:
    """Whether an empty inline element may be in the page (one search)."""
    return bool(_EMPTY.search(html))


def _empty(el: Any) -> bool:
    """No text at all, not even a space (`<span> </span>` between two words is their space), no
    line break and nothing shown inside."""
    if el.text:
        return False
    if len(el) == 0:
        return True
    if el.text_content():
        return False
    return next(el.iter("br", *_SHOWN), None) is None


def drop_in_tree(tree: Any) -> bool:
    """Remove the inline elements that hold no text and show nothing (their tail text stays);
    whether there were any."""
    body = tree.find("body")
    if body is None:
        return False
    return drop_outermost([el for el in body.iter(*INLINE) if _empty(el)])
