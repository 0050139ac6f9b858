"""Subheads the extractor left out, put back above the body paragraph they head.

Why: when trafilatura finds no container it knows for the article (a ``div.news-content`` of a
custom CMS), it gathers the page's paragraphs one by one and takes no heading at all, so an
explainer's five numbered questions or a guide's steps vanish while every paragraph under them is
kept (18 of 741 subheads in our labelled sets were lost so). A heading the page sets directly
above a paragraph that the text keeps (or above a list whose first item it keeps), and not above
the text's first line (a headline, a kicker), is that paragraph's subhead. A heading over a box
of links or teasers has no kept paragraph right under it, so it stays out; the cleaner still
reads every line put back.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from storyline.extract.rules import BULLET
from storyline.sources.markup import without_xml_declaration

__all__ = ["MAX_WORDS", "PARAGRAPH_WORDS", "with_subheads"]

#: A heading of this many words or more that the page's title holds is its headline.
HEADLINE_WORDS = 4
#: ... and most of one part of the title: "What happens to the books now" under "Elm Street
#: library to close: what happens to the books now | Daily Post" is a subhead.
HEADLINE_SHARE = 0.75
#: The separators between a page title's parts ("Headline | Site", "Headline - Site").
_TITLE_PARTS = re.compile(r"\s[|–—-]\s")
#: A heading of more words than this is not a subhead.
MAX_WORDS = 25
#: The paragraph under a subhead holds at least this many words (an event's date and time under
#: its name, a comment box's one-line prompt under "Read next" are not a story's paragraphs).
PARAGRAPH_WORDS = 10
#: A heading (h2 to h6) and the paragraph right after it, white space between. The paragraph's
#: text runs to its first block tag, so a paragraph holding a list or a box is not matched whole.
_HEADED = re.compile(
    r"<h([2-6])\b[^<>]{0,500}>(?P<head>(?:(?!</?h[1-6]\b)[\s\S]){1,600}?)</h\1\s*>\s*"
    # the paragraph, or the first item of a list right under the heading (a newsletter's "In
    # brief" over its items, which the copy may have made a block of paragraphs)
    r"(?:(?:<div\b[^<>]{0,500}>\s*)?<p\b[^<>]{0,500}>|<(?:ul|ol)\b[^<>]{0,500}>\s*<li\b[^<>]{0,500}>)"
    r"(?P<para>(?:(?!</?(?:p|li|div|h[1-6]|ul|ol|table|section|article)\b)"
    r"[\s\S]){1,20000}?)</(?:p|li)\s*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^<>]*>")
_MAY_HOLD = re.compile(r"<h[2-6]\b", re.IGNORECASE)


def _plain(markup: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", markup)).split())


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


#: Classes that hide an element from the eye (a screen reader's labels).
_HIDDEN_CLASS = re.compile(
    r"screen-reader|sr-only|visually-?hidden|visuallyhidden|a11y|offscreen|hidden", re.IGNORECASE
)


def _hidden(el: Any) -> bool:
    """Whether the element or one of its containers is hidden from the eye."""
    for node in (el, *el.iterancestors()):
        if node.get("hidden") is not None or node.get("aria-hidden") == "true":
            return True
        if _HIDDEN_CLASS.search(node.get("class") or ""):
            return True
        if "display:none" in (node.get("style") or "").replace(" ", "").lower():
            return True
    return False


def _standing(page: str) -> set[str]:
    """The texts of the page's headings that stand on their own: not inside a link or a list item
    (a teaser card's title over its summary), not themselves mostly a link, and not the page's
    headline (a release's title set in an ``<h2>`` above its first paragraph, which the page's
    ``<title>`` or ``og:title`` repeats)."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(without_xml_declaration(page))
    except (etree.ParserError, ValueError):
        return set()
    titles = [" ".join(t.text_content().split()) for t in tree.iter("title")]
    titles += [str(c) for c in tree.xpath('//meta[@property="og:title"]/@content')]
    headlines = [_key(part) for t in titles for part in _TITLE_PARTS.split(t) if part.strip()]
    standing: set[str] = set()
    for heading in tree.iter("h2", "h3", "h4", "h5", "h6"):
        if any(a.tag in ("a", "li") for a in heading.iterancestors()):
            continue
        if _hidden(heading):
            continue  # a screen reader's "Story body", "Listen to this article"
        words = " ".join(heading.text_content().split())
        linked = sum(len(" ".join(a.text_content().split())) for a in heading.iter("a"))
        if len(words.split()) >= HEADLINE_WORDS and any(
            _key(words) in t and len(words) >= HEADLINE_SHARE * len(t) for t in headlines
        ):
            continue  # the page's headline (most of one of its title's parts)
        if words and linked * 2 < len(words):
            standing.add(_key(words))
    return standing


def with_subheads(page: str, text: str) -> str:
    """``text`` with each left-out subhead of ``page`` as a line of its own above the paragraph
    it heads (module doc); ``text`` itself when none was left out."""
    if not text or not _MAY_HOLD.search(page):
        return text
    lines = text.split("\n")
    where = {
        _key(BULLET.sub("", line)): i  # a list item as the text writes it ("- …")
        for i, line in reversed(list(enumerate(lines)))
        if line.strip()
    }
    kept = {_key(line) for line in lines}
    above: dict[int, str] = {}
    for found in _HEADED.finditer(page):
        head = _plain(found.group("head"))
        if not head or len(head.split()) > MAX_WORDS or _key(head) in kept:
            continue
        para = _plain(found.group("para"))
        if len(para.split()) < PARAGRAPH_WORDS:
            continue
        at = where.get(_key(para))
        if at is None or at == 0 or at in above:
            continue
        above[at] = head
    if above:
        standing = _standing(page)  # one parse, whatever the number of headings
        above = {at: head for at, head in above.items() if _key(head) in standing}
    if not above:
        return text
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in above:
            out.append(above[i])
        out.append(line)
    return "\n".join(out)
