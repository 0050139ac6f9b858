"""A pull quote (a line of the story set again in large type beside it), taken out of the
extractor's copy of a page.

Why: a pull quote repeats a sentence the story already tells, and every labelled set leaves it out
of the article's text; trafilatura keeps it as a paragraph or a quotation. On our 41 text sets,
22 pages of 16 sets had the quote twice (or a paraphrase of it once) where the gold has it once or
not at all, and no page's gold kept a pull quote. Templates name the element for what it is
(``wp-block-pullquote``, ``pull-quote``, ``td_pull_quote``, ``graf--pullquote``, ``c-pullquote``,
``PullQuoteWrapper-…``), so the class is asked, of block elements only and only while the block
holds a sentence or two: a class put on a whole section of text is left alone.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.page_tree import drop_outermost, edited

__all__ = ["drop_in_tree", "may_hold_pull_quotes", "without_pull_quotes"]

#: A class naming a pull quote ("pullquote", "pull-quote", "td_pull_quote", "PullQuoteWrapper",
#: and a theme's misspelt "pullqoute").
_PULL_QUOTE = re.compile(r"pull[-_]?(?:quote|qoute)", re.IGNORECASE)
#: A class attribute that may name one: the page-wide test before a parse.
_PULL_QUOTE_CLASS = re.compile(r"class=[\"']?[^\"'>]{0,200}?" + _PULL_QUOTE.pattern, re.I)
#: The block elements a template sets a pull quote in.
_TAGS = ("blockquote", "aside", "figure", "div", "p", "section")
#: A pull quote holding more words than this is not removed (the class was put on the text).
MAX_WORDS = 80


def may_hold_pull_quotes(html: str) -> bool:
    """Whether a class naming a pull quote may be in the page (one search)."""
    return bool(_PULL_QUOTE_CLASS.search(html))


#: A class word that names the element's neighbour or the page's features, not the element:
#: Medium's paragraph after a pull quote is ``graf-after--pullquote``, a theme's text wrapper
#: ``entry-content has-pullquotes``.
_NEIGHBOUR = re.compile(r"after|before|follow|next|prev|has-|with-|pullquotes", re.IGNORECASE)
#: A pull quote is a sentence or two: a block holding more paragraphs is a wrapper of the text.
MAX_PARAGRAPHS = 2


def _pull_quote(el: Any) -> bool:
    words = (el.get("class") or "").split()
    if not any(_PULL_QUOTE.search(w) and not _NEIGHBOUR.search(w) for w in words):
        return False
    if sum(1 for _ in el.iter("p")) > MAX_PARAGRAPHS:
        return False
    return len(" ".join(el.itertext()).split()) <= MAX_WORDS


def drop_in_tree(tree: Any) -> bool:
    """Remove the pull quotes of a parsed page (their tail text stays); whether there were any."""
    body = tree.find("body")
    if body is None:
        return False
    return drop_outermost([el for el in body.iter(*_TAGS) if _pull_quote(el)])


def without_pull_quotes(html: str) -> str:
    """The page without its pull quotes; the page itself when it has none."""
    return edited(html, drop_in_tree) if may_hold_pull_quotes(html) else html
