"""Lists of links to other sites that an article gives its readers, kept as its text.

Why: trafilatura drops a list whose text is mostly link text (its link-density test, in every
mode), which is right for navigation, "related" boxes and tag clouds but loses the article whose
content is a list of sources: a column's "Where to get help" list of agencies, a release's
downloads, a wire story's list of documents. Such a list differs from furniture in where it
stands and where it points: it sits in the article's own column between its paragraphs, it is
introduced (a subheading, or a sentence ending in a colon), and its links leave the site, where
navigation, archives and "related" boxes point inside it. For those lists the link elements are
unwrapped in the extractor's copy of the page (their text stays, the link goes), so the list
reads as text; the cleaner's rules for link dumps and teasers still apply to what comes out.

The same tests of place (introduced, in the article's column, not furniture) decide two more
list edits of the extractor's copy: an article's own list of sentences becomes paragraphs
(`prose_lists_in_tree`), and a table of contents, links to anchors on the page, goes
(`contents_in_tree`).
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.outlets import host_of, registered_domain
from storyline.extract.page_tree import edited
from storyline.extract.rules import SOCIAL, TEASER, teaser_kind

__all__ = [
    "contents_in_tree",
    "keep_in_tree",
    "keep_source_lists",
    "may_hold_contents",
    "may_hold_prose_lists",
    "may_hold_related_tables",
    "may_hold_source_lists",
    "prose_lists_in_tree",
    "related_tables_in_tree",
]

#: A list needs at least this many items, each one link.
MIN_ITEMS = 3
#: An item is "one link" when the link's text is at least this share of the item's text.
LINK_SHARE = 0.6
#: At least this share of the items must point to another site.
OFFSITE_SHARE = 0.6
#: The column around the list must hold at least this many paragraphs of ``BODY_WORDS`` words.
BODY_PARAGRAPHS = 2
BODY_WORDS = 15
#: Larger pages are left as they are (lxml stops reading a text node over 10 MB).
MAX_CHARS = 5_000_000
#: Short names of the platforms in share bars and profile links ("t" is t.me, "bsky" bsky.app):
#: with the social names the cleaner knows, never an article's sources.
_SOCIAL_SITES = SOCIAL | {"t", "bsky", "youtu"}
#: Class or id words of furniture, each the start of one word of the list's or its column's
#: marks ("sidebar-links", "related_posts"): such a list is never the article's.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:side|widget|related|recommend|teaser|promo|menu|nav|footer|share|social"
    r"|comment|archive|tag|categor|breadcrumb|popular|trending|sponsor|advert|newsletter)",
    re.IGNORECASE,
)
#: Elements whose lists are never the article's, however far up.
_FURNITURE_TAGS = frozenset({"nav", "aside", "footer"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
#: A list right after a subheading or a paragraph ending in a colon whose first item opens with
#: an absolute link, somewhere in the page: the cheap test that spares most pages the parse.
_CANDIDATE = re.compile(
    r"(?:</h[2-6]\s*>|:\s*</(?:p|div)\s*>)\s*<(?:ul|ol)\b[^>]{0,200}>\s*<li\b[^>]{0,200}>\s*"
    r"<a\s[^>]{0,200}?href\s*=\s*[\"']?(?:https?:)?//",
    re.IGNORECASE,
)


def _page_host(tree: Any, url: str | None) -> str | None:
    host = host_of(url)
    if host:
        return host
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = tree.xpath(xpath)
        if found:
            host = host_of(str(found[0]))
            if host:
                return host
    return None


def _words(text: str) -> int:
    return len(text.split())


def _furniture(element: Any) -> bool:
    """Inside a nav, aside or footer, or hidden; or the list or its column marked as furniture
    (only those two: a page wrapper's "has-sidebar" says nothing of the article)."""
    parent = element.getparent()  # held, so the proxy met below is this very object
    for node in element.iterancestors():
        if not isinstance(node.tag, str):
            continue
        if node.tag in _FURNITURE_TAGS:
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if node is parent and marks.strip() and _FURNITURE.search(marks):
            return True
        style = (node.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style or node.get("hidden"):
            return True
    return False


def _marked(element: Any) -> bool:
    marks = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(marks.strip() and _FURNITURE.search(marks))


def _previous(element: Any) -> Any:
    node = element.getprevious()
    while node is not None and not isinstance(node.tag, str):
        node = node.getprevious()
    return node


def _introduced(element: Any) -> bool:
    """A subheading (not a teaser header such as "Related") or a sentence ending in a colon
    right before the list."""
    before = _previous(element)
    if before is None:
        return False
    text = " ".join(before.text_content().split())
    if not text or TEASER.match(text):
        return False
    if before.tag in _HEADINGS or _bold_subheading(before, text):
        return _words(text) <= 15
    return before.tag in {"p", "div"} and text.endswith(":") and _words(text) >= 3


def _bold_subheading(element: Any, text: str) -> bool:
    """A paragraph that is a subheading in an old page's markup: all of its text bold
    (``<p><font><b>What we are providing</b></font></p>``), short, not a sentence."""
    if element.tag != "p" or _words(text) > 10 or text.endswith((".", "!", "?")):
        return False
    bold = " ".join(
        " ".join(b.text_content().split()) for b in element.iter("b", "strong") if b is not element
    )
    return bold == text


def _in_body(element: Any) -> bool:
    parent = element.getparent()
    if parent is None:
        return False
    paragraphs = sum(
        1
        for child in parent
        if isinstance(child.tag, str)
        and child.tag == "p"
        and _words(child.text_content()) >= BODY_WORDS
    )
    return paragraphs >= BODY_PARAGRAPHS


def _source_links(items: list[Any], site: str) -> list[Any] | None:
    """The items' links when every item is one link and most leave the site (None otherwise)."""
    links, offsite = [], 0
    for item in items:
        anchors = item.xpath(".//a[@href]")
        text = " ".join(item.text_content().split())
        if len(anchors) != 1 or not text:
            return None
        anchor = anchors[0]
        if len(" ".join(anchor.text_content().split())) < LINK_SHARE * len(text):
            return None
        href = anchor.get("href", "").strip()
        absolute = href.lower().startswith(("http://", "https://", "//"))
        host = host_of("https:" + href if href.startswith("//") else href) if absolute else None
        domain = registered_domain(host) if host else ""
        if domain and domain.split(".")[0] in _SOCIAL_SITES:
            return None
        if domain and domain != site:
            offsite += 1
        links.append(anchor)
    return links if offsite >= OFFSITE_SHARE * len(items) else None


#: A list right after a subheading or a paragraph ending in a colon, somewhere in the page.
_INTRODUCED_LIST = re.compile(
    r"(?:</h[2-6]\s*>|[:：]\s*</(?:p|div)\s*>|</(?:b|strong)\s*>\s*(?:</font\s*>\s*)?</p\s*>)"
    r"\s*<(?:ul|ol)\b",
    re.IGNORECASE,
)
#: An item of an article's own list is prose: this many words at least, and no more than
#: ``PROSE_LINK_SHARE`` of its text in links.
PROSE_ITEM_WORDS = 4
PROSE_LINK_SHARE = 0.3


def may_hold_prose_lists(html: str) -> bool:
    """Whether the page has a list right after a subheading or a colon (one search)."""
    return len(html) <= MAX_CHARS and bool(_INTRODUCED_LIST.search(html))


def prose_lists_in_tree(tree: Any) -> bool:
    """Make the items of a parsed page's introduced lists of prose paragraphs; whether there
    were any.

    Why: where no container of the page looks like an article to trafilatura, it gathers the
    text from the page's paragraphs and leaves lists out (they come back only in its recall
    mode, with every menu): a council's "The measures are:" over three numbered measures lost
    them. An article's own list stands in its column between its paragraphs, is introduced (a
    subheading, or a sentence ending in a colon) and holds sentences, not links; as paragraphs
    it is read on every path, one item a line, as the benchmarks' gold writes it."""
    changed = False
    for listing in list(tree.iter("ul", "ol")):
        items = [child for child in listing if isinstance(child.tag, str)]
        if len(items) < 2 or any(item.tag != "li" for item in items):
            continue
        if not _introduced(listing) or not _in_body(listing):
            continue
        if _furniture(listing) or _marked(listing):
            continue
        prose = True
        for item in items:
            text = " ".join(item.text_content().split())
            linked = sum(len(" ".join(a.text_content().split())) for a in item.iter("a"))
            if _words(text) < PROSE_ITEM_WORDS or linked > PROSE_LINK_SHARE * len(text):
                prose = False
                break
            if item.xpath(".//ul|.//ol|.//p|.//div"):
                prose = False  # nested blocks: left to the extractor as they are
                break
        if not prose:
            continue
        for item in items:
            item.tag = "p"
        listing.tag = "div"
        changed = True
    return changed


#: An item that opens with a link to a place on the same page: a table of contents' entry.
_ANCHOR_ITEM = re.compile(r"<li\b[^>]{0,200}>\s*<a\b[^>]{0,200}?href\s*=\s*[\"']#\w", re.I)
#: A table of contents' own title beside its list ("Contents", "Table of contents") is short.
CONTENTS_TITLE_CHARS = 40


#: Joomla's index of a story split over pages by its page-break plugin: a table (1.5) or a box
#: (2.5 on) of links to the story's pages, each marked ``toclink`` ("Article Index", the pages'
#: titles, "All Pages").
_PAGES_INDEX = (
    '//*[contains(concat(" ", normalize-space(@class), " "), " contenttoc ")'
    ' or @id="article-index"'
    ' or contains(concat(" ", normalize-space(@class), " "), " article-index ")]'
    '[.//a[contains(concat(" ", normalize-space(@class), " "), " toclink ")'
    ' or contains(@href, "limitstart=") or contains(@href, "showall=")]]'
)


def may_hold_contents(html: str) -> bool:
    """Whether the page has a list item opening with a link to an anchor on the page, or a
    link of a split story's index (`_PAGES_INDEX`)."""
    return len(html) <= MAX_CHARS and (
        bool(_ANCHOR_ITEM.search(html)) or "toclink" in html or "article-index" in html
    )


def contents_in_tree(tree: Any) -> bool:
    """Drop a parsed page's tables of contents (with their short title); whether there were
    any.

    Why: a table of contents is navigation, and its entries repeat the article's subheadings;
    trafilatura, given both, kept the "Contents" title and dropped the subheadings themselves
    (a WordPress plugin's `ez-toc` box over a how-to's "Step 1: ..." headings). A list of at
    least ``MIN_ITEMS`` items, each one link to an anchor on the page, is one; so is the index
    of a story split over pages (`_PAGES_INDEX`), whose links are the story's pages."""
    changed = False
    for index in tree.xpath(_PAGES_INDEX):
        if index.getparent() is not None:
            index.drop_tree()
            changed = True
    for listing in list(tree.iter("ul", "ol")):
        items = [child for child in listing if isinstance(child.tag, str)]
        if len(items) < MIN_ITEMS or any(item.tag != "li" for item in items):
            continue
        links = [item.xpath("./a[@href] | ./*/a[@href]") for item in items]
        if not all(len(found) == 1 for found in links):
            continue
        if not all(found[0].get("href", "").startswith("#") for found in links):
            continue
        listed = len(" ".join(listing.text_content().split()))
        box = listing
        for node in listing.iterancestors():
            if not isinstance(node.tag, str) or node.tag in {"body", "article", "main"}:
                break
            if len(" ".join(node.text_content().split())) - listed > CONTENTS_TITLE_CHARS:
                break
            box = node
        parent = box.getparent()
        if parent is None:
            continue
        box.drop_tree()  # its tail text stays
        changed = True
    return changed


def may_hold_source_lists(html: str) -> bool:
    """Whether the page has a list right after a subheading or a colon whose first item opens
    with an absolute link (one search; most pages have none and are never parsed)."""
    return len(html) <= MAX_CHARS and bool(_CANDIDATE.search(html))


def keep_in_tree(tree: Any, url: str | None = None) -> bool:
    """Unwrap the links of a parsed page's introduced, off-site source lists; whether there
    were any."""
    host = _page_host(tree, url)
    if not host:
        return False  # without the page's own address, "another site" cannot be told
    site = registered_domain(host)
    unwrapped = False
    for listing in tree.iter("ul", "ol"):
        items = [child for child in listing if isinstance(child.tag, str) and child.tag == "li"]
        if len(items) < MIN_ITEMS or not _introduced(listing) or not _in_body(listing):
            continue
        links = _source_links(items, site)
        if links is None or _furniture(listing) or _marked(listing):
            continue
        for anchor in links:
            anchor.drop_tag()
        unwrapped = True
    return unwrapped


def keep_source_lists(html: str, url: str | None = None) -> str:
    """The page with the links of its introduced, off-site source lists unwrapped; the page
    itself when it has none (or cannot be parsed)."""
    if not may_hold_source_lists(html):
        return html
    return edited(html, lambda tree: keep_in_tree(tree, url))


#: A table cell opening with "Similar", "Related", "Recent", "More" …: the cheap question before a
#: parse (a police department's "Recent Press Releases" box of dated links).
_RELATED_CELL = re.compile(
    r"<t[hd]\b[^>]{0,200}>\s*(?:<[^>]{1,200}>\s*){0,3}(?:similar|related|recent|more|other"
    r"|latest|popular|most)\b",
    re.I,
)


def may_hold_related_tables(html: str) -> bool:
    """Whether a table cell of the page may open with a "related" box's title."""
    return len(html) <= MAX_CHARS and bool(_RELATED_CELL.search(html))


#: A related item's row is a headline and its details: at most this many words.
ROW_WORDS = 30


def related_tables_in_tree(tree: Any) -> bool:
    """Drop a parsed page's tables of other stories or threads; whether there were any.

    Why: an old layout's or a forum's box of related items is a table whose first row is its
    title ("Similar Threads", "Related Stories": a teaser header, `rules.teaser_kind`) and whose
    other rows link to the items (vBulletin's thread, forum and replies columns); trafilatura
    keeps a table's rows, and the cleaner sees them as table rows, not as a teaser's blurbs.
    Every row after the title but a header row of column names must hold a link."""
    changed = False
    for table in list(tree.iter("table")):
        rows = [row for row in table.iter("tr") if next(row.iterancestors("table")) is table]
        if len(rows) < MIN_ITEMS:
            continue
        title = " ".join(rows[0].text_content().split())
        if not title or teaser_kind(title) != "header":
            continue
        if any(len(row.text_content().split()) > ROW_WORDS for row in rows):
            continue  # a row of text: a layout table, perhaps the story's own
        linked = [row.find(".//a[@href]") is not None for row in rows[1:]]
        if sum(linked) < MIN_ITEMS - 1 or linked[1:].count(False):
            continue
        if table.getparent() is not None:
            table.drop_tree()
            changed = True
    return changed
