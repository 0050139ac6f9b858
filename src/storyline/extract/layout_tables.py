"""Tables used for page layout, turned into plain blocks before the main text is extracted.

Why: pages built before CSS layout (and many regional portals and HTML e-mails still) put the
navigation column, the article and the "other headlines" column into the cells of one table.
trafilatura keeps tables (we ask for them: a results table is content), so such a page came out
whole, each row a line of cells: 610 words for a 92-word story. Mozilla's Readability tells layout
tables from data tables and reads layout cells as ordinary blocks; this module does the same
before trafilatura sees the page, so its own scoring picks the article's cell. The rules follow
Readability's ``_markDataTables``, simplified: a table is data when it says so (a caption,
``<th>``, ``<thead>`` or ``<tfoot>``, a ``summary``) and layout when it says so
(``role="presentation"``), when it has a single column (a stack of navigation links or of other
headlines), or when a cell holds what data cells never hold: blocks (paragraphs, lists,
headings, nested tables), paragraph breaks (two ``<br>``) or more than 60 words.

Only the copy given to the extractor changes; the article keeps the page as it came.
"""

from __future__ import annotations

from typing import Any

__all__ = ["is_layout_table", "unwrap_layout_tables"]

#: Elements that make a cell a block of the page rather than a datum.
_BLOCKS = frozenset(
    {"p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article"}
)
#: More words than this in one cell: a column of text, not a datum.
CELL_WORDS = 60
_TABLE_PARTS = ("tbody", "thead", "tfoot", "tr", "td", "th")


def is_layout_table(table: Any) -> bool:
    """Whether an lxml ``<table>`` element lays out the page rather than holding data."""
    if (table.get("role") or "").lower() == "presentation":
        return True
    own = [el for el in table.iter("caption", "thead", "tfoot", "th") if _owner(el) is table]
    if table.get("summary") or own:
        return False
    rows = [r for r in table.iter("tr") if _owner(r) is table]
    if rows and all(len([c for c in r if c.tag in ("td", "th")]) <= 1 for r in rows):
        return True  # one column: a stack of blocks (a navigation column, other headlines)
    for cell in table.iter("td"):
        breaks = 0
        for el in cell.iterdescendants():
            if not isinstance(el.tag, str):
                continue
            if el.tag in _BLOCKS:
                return True
            breaks += el.tag == "br"
        if breaks >= 2 or len(cell.text_content().split()) > CELL_WORDS:
            return True
    return False


def unwrap_layout_tables(html: str) -> str:
    """The page with its layout tables turned into ``<div>`` blocks; the page itself when it has
    none (or cannot be parsed), so a page without tables costs one substring search."""
    if "<table" not in html and "<TABLE" not in html:
        return html
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    layout = [t for t in tree.iter("table") if is_layout_table(t)]
    if not layout:
        return html
    for table in layout:
        # a data table nested in a layout cell stays a table
        parts = [p for p in table.iter(*_TABLE_PARTS) if _owner(p) is table]
        for el in (table, *parts):
            el.tag = "div"
    return str(lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>"))


def _owner(el: Any) -> Any:
    """The nearest ``<table>`` above a row or cell (None if there is none)."""
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent
