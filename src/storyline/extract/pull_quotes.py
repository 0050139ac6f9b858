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
    """Whether a class naming a pull quote, or a quotation block that may repeat the story, may
    be in the page (three searches)."""
    return bool(_PULL_QUOTE_CLASS.search(html)) or "<blockquote" in html or "<aside" in html


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


#: A quotation block this short is a line, not a sentence set again (`_repeats_story`).
MIN_REPEAT_WORDS = 6


def _words(text: str) -> str:
    """The text's words, casefolded, one space apart and one on each side: a quotation set again
    may change its punctuation ("… mar lit,” seit Sybrandy" in the story, "… mar lit.”" in the
    box)."""
    return " " + " ".join(_PUNCTUATION.sub(" ", text).split()).casefold() + " "


_PUNCTUATION = re.compile(r"[^\w\s]")


def _own_text(el: Any) -> str:
    """The block's text without its attribution (``<footer>``, ``<cite>``, ``<figcaption>``)."""
    from copy import deepcopy

    own = deepcopy(el)
    for credit in [x for x in own.iter("footer", "cite", "figcaption") if x is not own]:
        credit.drop_tree()
    return " ".join(own.itertext())


def _repeats_story(el: Any, paragraphs: str) -> bool:
    """A quotation block (``<blockquote>``, ``<aside>``) of a sentence or two whose words stand
    in a paragraph of the page outside it (``paragraphs``: every ``<p>``'s words, one a line,
    `_words`): a pull quote whose class names nothing (Medium's hashed ``blockquote.kt``, a
    Drupal paragraph's ``blockquote.sitaat`` with its speaker in a ``<footer>``). A quotation
    the story cites is not also in one of its paragraphs."""
    own = [_words(" ".join(p.itertext())) for p in el.iter("p")]
    if len(own) > MAX_PARAGRAPHS:
        return False
    text = _words(_own_text(el))
    if not MIN_REPEAT_WORDS <= len(text.split()) <= MAX_WORDS:
        return False
    return paragraphs.count(text) > sum(1 for p in own if text in p)


#: Quotation blocks asked whether they repeat the story, at most (a forum's thread quotes
#: hundreds of posts; an article's pull quotes are a few).
MAX_QUOTES = 40


def drop_in_tree(tree: Any) -> bool:
    """Remove the pull quotes of a parsed page (their tail text stays): blocks whose class names
    one (`_pull_quote`) and quotation blocks that repeat a paragraph's words (`_repeats_story`);
    whether there were any."""
    body = tree.find("body")
    if body is None:
        return False
    found = [el for el in body.iter(*_TAGS) if _pull_quote(el)]
    quotes = [el for el in body.iter("blockquote", "aside") if el not in found][:MAX_QUOTES]
    if quotes:
        paragraphs = "\n".join(_words(" ".join(p.itertext())) for p in body.iter("p"))
        found += [el for el in quotes if _repeats_story(el, paragraphs)]
    return drop_outermost(found)


def without_pull_quotes(html: str) -> str:
    """The page without its pull quotes; the page itself when it has none."""
    return edited(html, drop_in_tree) if may_hold_pull_quotes(html) else html
