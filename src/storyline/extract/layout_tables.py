"""Tables used for page layout, turned into plain blocks before the main text is extracted.

Why: pages built before CSS layout (and many regional portals and HTML e-mails still) put the
navigation column, the article and the "other headlines" column into the cells of one table.
trafilatura keeps tables (we ask for them: a results table is content), so such a page came out
whole, each row a line of cells: 610 words for a 92-word story. Mozilla's Readability tells layout
tables from data tables and reads layout cells as ordinary blocks; this module does the same
before trafilatura sees the page, so its own scoring picks the article's cell. The rules follow
Readability's ``_markDataTables``, simplified: a table is data when it says so (a caption,
``<th>``, ``<thead>`` or ``<tfoot>``, a ``summary``) or by its size (ten rows or more, or more
than four columns: a results or figures table, even when a CMS wraps its cells in paragraphs),
and layout when it says so (``role="presentation"``), when it has a single column (a stack of
navigation links or of other headlines) or tables in its cells (both checked before the size),
or when a cell holds what data cells never hold:
blocks (paragraphs, lists, headings, nested tables), paragraph breaks (two ``<br>``) or more
than 60 words.

Only the copy given to the extractor changes; the article keeps the page as it came. One pass
over the page gives every row, cell and mark its own table, so the work is linear in the page
however deeply tables nest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storyline.extract.page_tree import edited

__all__ = ["is_layout_table", "may_hold_layout_tables", "unwrap_in_tree", "unwrap_layout_tables"]

#: Elements that make a cell a block of the page rather than a datum.
_BLOCKS = frozenset(
    {"p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "article"}
)
#: More words than this in one cell: a column of text, not a datum.
CELL_WORDS = 60
#: Readability's size rule: this many rows or more, or more columns than ``DATA_COLUMNS``, is data.
DATA_ROWS = 10
DATA_COLUMNS = 4
_DATA_MARKS = frozenset({"caption", "thead", "tfoot", "th"})
_TABLE_PARTS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"})


@dataclass
class _Table:
    """What one pass over the page learns of one table (its own rows and cells only)."""

    element: Any
    marked_data: bool = False
    rows: list[Any] = field(default_factory=list)
    parts: list[Any] = field(default_factory=list)
    cells: list[Any] = field(default_factory=list)
    blocky: set[int] = field(default_factory=set)  # ids of cells holding a block
    nests: bool = False  # a table inside one of its cells
    breaks: dict[int, int] = field(default_factory=dict)  # cell id -> <br> count


def _survey(root: Any) -> list[_Table]:
    """Every table under ``root`` with its own rows, cells and marks, in document order."""
    tables: dict[int, _Table] = {}
    table_of: dict[int, _Table | None] = {}  # element id -> nearest table above (not itself)
    cell_of: dict[int, Any] = {}  # element id -> nearest cell above
    # lxml hands out a new proxy object for a node whenever no other is alive, and a freed
    # proxy's id() may be reused by another node's: holding every proxy keeps the ids unique.
    alive: list[Any] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        alive.append(el)
        parent = el.getparent()
        if parent is None:
            owner, cell = None, None
        else:
            pid = id(parent)
            owner = tables.get(pid) if parent.tag == "table" else table_of.get(pid)
            cell = parent if parent.tag in ("td", "th") else cell_of.get(pid)
        table_of[id(el)], cell_of[id(el)] = owner, cell
        if el.tag == "table":
            tables[id(el)] = _Table(el)
        if owner is not None:
            if el.tag in _DATA_MARKS:
                owner.marked_data = True
            if el.tag in _TABLE_PARTS:
                owner.parts.append(el)
            if el.tag == "tr":
                owner.rows.append(el)
            elif el.tag == "td":
                owner.cells.append(el)
        if cell is not None:
            holder = table_of.get(id(cell))
            if holder is not None:
                if el.tag in _BLOCKS:
                    holder.blocky.add(id(cell))
                    holder.nests = holder.nests or el.tag == "table"
                elif el.tag == "br":
                    holder.breaks[id(cell)] = holder.breaks.get(id(cell), 0) + 1
    return list(tables.values())


def _is_layout(table: _Table) -> bool:
    el = table.element
    if (el.get("role") or "").lower() == "presentation":
        return True
    if el.get("summary") or table.marked_data:
        return False
    columns = [sum(1 for c in row if c.tag in ("td", "th")) for row in table.rows]
    if columns and max(columns) <= 1:
        return True  # one column: a stack of blocks (a navigation column, other headlines)
    if table.nests:
        return True  # tables inside its cells: Readability's first layout sign
    if len(table.rows) >= DATA_ROWS or (columns and max(columns) > DATA_COLUMNS):
        return False
    for cell in table.cells:
        if id(cell) in table.blocky or table.breaks.get(id(cell), 0) >= 2:
            return True
        if len(cell.text_content().split()) > CELL_WORDS:
            return True
    return False


def is_layout_table(table: Any) -> bool:
    """Whether an lxml ``<table>`` element lays out the page rather than holding data."""
    return _is_layout(next(t for t in _survey(table) if t.element is table))


def may_hold_layout_tables(html: str) -> bool:
    """Whether the page has a table at all (one substring search)."""
    return "<table" in html or "<TABLE" in html


def unwrap_in_tree(tree: Any) -> bool:
    """Turn the layout tables of a parsed page into ``<div>`` blocks; whether there were any."""
    layout = [t for t in _survey(tree) if _is_layout(t)]
    for table in layout:  # a data table nested in a layout cell stays a table
        for el in (table.element, *table.parts):
            el.tag = "div"
    return bool(layout)


def unwrap_layout_tables(html: str) -> str:
    """The page with its layout tables turned into ``<div>`` blocks; the page itself when it has
    none (or cannot be parsed), so a page without tables costs one substring search."""
    return edited(html, unwrap_in_tree) if may_hold_layout_tables(html) else html
