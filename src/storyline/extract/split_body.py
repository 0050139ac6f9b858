"""An article body printed in two containers, an intro and a full text, joined in the extractor's
copy of a page.

Why: Joomla's K2 component, which many regional news sites run, prints a story's first paragraph
in ``div.itemIntroText`` and the rest in the sibling ``div.itemFullText``. trafilatura's body
finder takes the first element whose class says "fulltext" for the whole article, so the first
paragraph was lost (two held-out pages from two sets, recall .87 and .90). The intro's content is
moved to the head of the full-text container, where it is read with the rest.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.page_tree import edited

__all__ = ["join_in_tree", "joined_intro", "may_hold_split_body"]

_INTRO = re.compile(r"intro-?text", re.IGNORECASE)
_FULL = re.compile(r"full-?text", re.IGNORECASE)


def may_hold_split_body(html: str) -> bool:
    """Whether an intro container and a full-text container may both be in the page."""
    return bool(_INTRO.search(html) and _FULL.search(html))


def _classed(el: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(el.tag, str) and any(
        pattern.search(c) for c in (el.get("class") or "").split()
    )


def join_in_tree(tree: Any) -> bool:
    """Move each intro container's content to the head of the full-text container that follows
    it as its next element sibling; whether any moved."""
    moved = False
    for full in list(tree.iter("div", "section")):
        if not _classed(full, _FULL):
            continue
        intro = full.getprevious()
        while intro is not None and not isinstance(intro.tag, str):
            intro = intro.getprevious()  # a comment between them
        if intro is None or not _classed(intro, _INTRO) or not "".join(intro.itertext()).strip():
            continue
        first = full.text
        full.text = intro.text
        intro.text = None
        children = list(intro)
        for k, child in enumerate(children):
            full.insert(k, child)
        if children:
            children[-1].tail = (children[-1].tail or "") + (first or "")
        else:
            full.text = (full.text or "") + (first or "")
        moved = True
    return moved


def joined_intro(html: str) -> str:
    """The page with its intro joined to its full text; the page itself when it has none."""
    return edited(html, join_in_tree) if may_hold_split_body(html) else html
