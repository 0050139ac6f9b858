"""A story's summary box ("Key points", "Key takeaways"), taken out of the extractor's copy of a
page.

Why: the box lists the story's main points before the story tells them, and every held-out set
whose pages have one leaves it out of the article's text (eight pages of seven sets). The cleaner
removes it when trafilatura keeps its label above the list (`clean._summary_box`); a template that
prints the label in a ``div.field__label`` loses the label to trafilatura and keeps the list, so
the box is recognised by the class its template gives it (``key-takeaways``, ``key-points``,
``story-highlights``, a tabloid's ``mol-bullets``) and removed whole when it holds a list and few
words; where the class says nothing (a hashed ``css-26b568``), a box that is only a heading
naming a summary ("Key points") and its list goes the same way.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from storyline.extract.page_tree import drop_outermost, edited

__all__ = ["drop_in_tree", "may_hold_summary_box", "without_summary_boxes"]

_BOX = re.compile(
    r"(?<![a-z])(?:key[-_]?(?:points|takeaways|facts|highlights)|takeaways|story[-_]?highlights"
    r"|at[-_]a[-_]glance)(?![a-z])",
    re.IGNORECASE,
)
#: A tabloid's bullets under its headline ("mol-bullets-with-font", "article-bullets"), read as
#: a summary only above the story's first paragraph: a body list styled "bullets" alone, or one
#: of these further down, is the story's.
_BULLETS = re.compile(
    r"(?<![a-z])(?:mol|article|story|summary|intro|lead|headline|top)[-_]?bullets(?![a-z])",
    re.IGNORECASE,
)
#: A paragraph of this many words before the list is the story's.
BODY_WORDS = 12
#: A box holding more words than this is not removed (the class was put on content).
MAX_WORDS = 150


#: The heading of a box that names a summary ("Key points", "Key takeaways", "At a glance"), where
#: the class says nothing (a hashed ``css-26b568``); "Key figures" over a story's people and
#: "Summary" over a section are the story's.
_BOX_LABEL = (
    r"(?:key (?:points|takeaways|facts|findings|highlights)|(?:[\w'’&.-]+ ){0,5}at a glance"
    r"|story highlights"
    r"|the essentials|(?:fast|quick) facts|what you need to know|das wichtigste in kürze"
    r"|l[’']essentiel|lo más importante|in breve|in het kort|w skrócie|главное)\s?:?"
)
_BOX_HEADING = re.compile(_BOX_LABEL, re.IGNORECASE)
#: Such a heading right over a list: the page-wide test.
_LABELLED = re.compile(
    rf"<h[2-6]\b[^<>]{{0,300}}>\s*{_BOX_LABEL}\s*</h[2-6]>\s*<(?:ul|ol)\b", re.IGNORECASE
)


def may_hold_summary_box(html: str) -> bool:
    """Whether a class or id naming a summary box or a tabloid's bullets, or a heading naming
    one over a list, may be in the page (two searches, and a third where "bullets" is written)."""
    bullets = ("ullets" in html or "ULLETS" in html) and _BULLETS.search(html)
    return bool(_BOX.search(html) or bullets or _LABELLED.search(html))


def _box(el: Any) -> bool:
    marks = f"{el.get('class') or ''} {el.get('id') or ''}"
    if el.find(".//li") is None:
        return False
    if not _BOX.search(marks) and not _labelled(el):
        if not _BULLETS.search(marks) or _after_story_paragraph(el):
            return False
    return len(" ".join(el.itertext()).split()) <= MAX_WORDS


def _after_story_paragraph(el: Any) -> bool:
    """Whether a paragraph of `BODY_WORDS` words or more comes before the element, among its
    own and its three nearest ancestors' earlier siblings (the article's column, not the
    page's header far above)."""
    for node in (el, *islice(el.iterancestors(), 3)):
        for before in node.itersiblings(preceding=True):
            if not isinstance(before.tag, str):
                continue
            paragraphs = [before] if before.tag == "p" else before.iter("p")
            if any(len(p.text_content().split()) >= BODY_WORDS for p in paragraphs):
                return True
    return False


def _labelled(el: Any) -> bool:
    """A box that opens with a heading naming a summary and holds a list and nothing else: the
    heading, then the list."""
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) != 2 or children[0].tag not in ("h2", "h3", "h4", "h5", "h6"):
        return False
    if children[1].tag not in ("ul", "ol"):
        return False
    return bool(_BOX_HEADING.fullmatch(" ".join(children[0].text_content().split())))


def drop_in_tree(tree: Any) -> bool:
    """Remove the summary boxes of a parsed page (their tail text stays); whether there were
    any."""
    boxes = [el for el in tree.iter("div", "section", "aside", "ul") if _box(el)]
    return drop_outermost(boxes)


def without_summary_boxes(html: str) -> str:
    """The page without its summary boxes; the page itself when it has none."""
    return edited(html, drop_in_tree) if may_hold_summary_box(html) else html
