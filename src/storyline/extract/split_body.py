"""An article body printed in parts, put back together in the extractor's copy of a page.

Why, for an intro and a full text: Joomla's K2 component, which many regional news sites run,
prints a story's first paragraph in ``div.itemIntroText`` and the rest in the sibling
``div.itemFullText``. trafilatura's body finder takes the first element whose class says
"fulltext" for the whole article, so the first paragraph was lost (two held-out pages from two
sets, recall .87 and .90). The intro's content is moved to the head of the full-text container,
where it is read with the rest.

Why, for a live blog: its entries are sibling ``<article>`` elements, and trafilatura reads a
heading inside a run of articles as a teaser card's title and drops it, so every entry's title
("GOAL! Dunleavy levels it", "Half time: …") was lost (a held-out live blog, recall .86). On a
page that declares itself a ``LiveBlogPosting`` (schema.org, as live blogs do for search engines),
the entries become plain blocks.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from storyline.extract.page_tree import edited

__all__ = [
    "entries_in_tree",
    "join_in_tree",
    "joined_intro",
    "may_be_live_blog",
    "may_hold_split_body",
]

_INTRO = re.compile(r"intro-?text", re.IGNORECASE)
_FULL = re.compile(r"full-?text", re.IGNORECASE)


def may_hold_split_body(html: str) -> bool:
    """Whether an intro container and a full-text container may both be in the page."""
    return bool(_INTRO.search(html) and _FULL.search(html))


def _classed(el: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(el.tag, str) and any(
        pattern.search(c) for c in (el.get("class") or "").split()
    )


def _element_sibling(el: Any, step: int) -> Any:
    """The next (1) or previous (-1) sibling that is an element, past comments."""
    node = el.getnext() if step > 0 else el.getprevious()
    while node is not None and not isinstance(node.tag, str):
        node = node.getnext() if step > 0 else node.getprevious()
    return node


def join_in_tree(tree: Any) -> bool:
    """Move each intro container's content to the head of the full-text container that follows
    it as its next element sibling; whether any moved."""
    moved = False
    for full in list(tree.iter("div", "section")):
        if not _classed(full, _FULL):
            continue
        intro = _element_sibling(full, -1)  # past a comment between them
        if intro is None or not _classed(intro, _INTRO) or not "".join(intro.itertext()).strip():
            continue
        # the intro's content, whole, in a block of its own at the head of the full text; the
        # text between the two containers and the full text's own first text follow it
        block = etree.Element("div")
        block.text, intro.text = intro.text, None
        for child in list(intro):
            block.append(child)
        block.tail = " ".join(t for t in (intro.tail, full.text) if t and t.strip()) or None
        intro.tail, full.text = None, None
        full.insert(0, block)
        moved = True
    return moved


def joined_intro(html: str) -> str:
    """The page with its intro joined to its full text; the page itself when it has none."""
    return edited(html, join_in_tree) if may_hold_split_body(html) else html


_LIVE_BLOG = re.compile(r"LiveBlogPosting")


def may_be_live_blog(html: str) -> bool:
    """Whether the page may declare itself a live blog (JSON-LD or microdata)."""
    return bool(_LIVE_BLOG.search(html))


def entries_in_tree(tree: Any) -> bool:
    """On a page that declares a ``LiveBlogPosting``, each ``<article>`` that stands in a run of
    sibling articles (the live blog's entries) becomes a ``<div>``; whether any did. A page whose
    declaration is only a word in its text changes nothing: no run of articles."""
    if not any(
        "LiveBlogPosting" in (script.text or "")
        for script in tree.iter("script")
        if "ld+json" in (script.get("type") or "")
    ) and not any("LiveBlogPosting" in (el.get("itemtype") or "") for el in tree.iter()):
        return False
    entries = [
        article
        for article in tree.iter("article")
        if any(
            s is not None and s.tag == "article"
            for s in (_element_sibling(article, -1), _element_sibling(article, 1))
        )
    ]
    for article in entries:  # renamed after the runs are known: a renamed one ends no run
        article.tag = "div"
    return bool(entries)
