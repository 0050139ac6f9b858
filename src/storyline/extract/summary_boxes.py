"""A story's summary box ("Key points", "Key takeaways"), taken out of the extractor's copy of a
page.

Why: the box lists the story's main points before the story tells them, and every held-out set
whose pages have one leaves it out of the article's text (eight pages of seven sets). The cleaner
removes it when trafilatura keeps its label above the list (`clean._summary_box`); a template that
prints the label in a ``div.field__label`` loses the label to trafilatura and keeps the list, so
the box is recognised by the class its template gives it (``key-takeaways``, ``key-points``,
``story-highlights``) and removed whole when it holds a list and few words.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.page_tree import drop_outermost, edited

__all__ = ["drop_in_tree", "may_hold_summary_box", "without_summary_boxes"]

_BOX = re.compile(
    r"(?<![a-z])(?:key[-_]?(?:points|takeaways|facts)|takeaways|story[-_]?highlights"
    r"|at[-_]a[-_]glance)(?![a-z])",
    re.IGNORECASE,
)
#: A box holding more words than this is not removed (the class was put on content).
MAX_WORDS = 150


def may_hold_summary_box(html: str) -> bool:
    """Whether a class or id naming a summary box may be in the page (one search)."""
    return bool(_BOX.search(html))


def _box(el: Any) -> bool:
    marks = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not _BOX.search(marks) or el.find(".//li") is None:
        return False
    return len(" ".join(el.itertext()).split()) <= MAX_WORDS


def drop_in_tree(tree: Any) -> bool:
    """Remove the summary boxes of a parsed page (their tail text stays); whether there were
    any."""
    boxes = [el for el in tree.iter("div", "section", "aside", "ul") if _box(el)]
    return drop_outermost(boxes)


def without_summary_boxes(html: str) -> str:
    """The page without its summary boxes; the page itself when it has none."""
    return edited(html, drop_in_tree) if may_hold_summary_box(html) else html
