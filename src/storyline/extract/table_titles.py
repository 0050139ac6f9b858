"""A data table's title and source note, written as the caption of the figure that holds the
table, kept in the extractor's copy of a page as paragraphs.

Why: trafilatura leaves out every ``<figcaption>`` (rightly for a photo's caption), but a figure
that holds a table and no picture captions it with the table's title ("Table 1: Reported impact
by district") or its source ("Source: city council"), which the labelled sets keep with the rows:
on our 41 text sets, all eight such captions of six pages are in the gold, and all were lost.
So in a figure with a ``<table>`` and nothing shown (no image, picture, video or canvas), the
caption becomes a paragraph where it stands and the figure a block; a photo's figure is left
alone, and so is a caption of more words than a title or a note has.
"""

from __future__ import annotations

import re
from typing import Any

from storyline.extract.page_tree import edited

__all__ = [
    "code_figures_in_tree",
    "keep_in_tree",
    "may_hold_code_figures",
    "may_hold_table_titles",
    "with_table_titles",
]

#: A figure caption and a table in the page: the page-wide test before a parse.
_FIGCAPTION = re.compile(r"<figcaption\b", re.IGNORECASE)
_TABLE = re.compile(r"<table\b", re.IGNORECASE)
#: What a figure of a photo, a chart drawn in a picture or a video holds.
_SHOWN = ("img", "picture", "svg", "video", "audio", "iframe", "object", "embed", "canvas")
#: A caption of more words than this is not a title or a source note.
MAX_WORDS = 60


def may_hold_table_titles(html: str) -> bool:
    """Whether a figure caption and a table may both be in the page (two searches)."""
    return bool(_FIGCAPTION.search(html) and _TABLE.search(html))


def keep_in_tree(tree: Any) -> bool:
    """Turn the captions of the figures that hold a table and show nothing into paragraphs (and
    their figures into blocks); whether there were any."""
    changed = False
    for figure in list(tree.iter("figure")):
        if figure.find(".//table") is None or next(figure.iter(*_SHOWN), None) is not None:
            continue
        captions = [
            c for c in figure.iter("figcaption") if len(" ".join(c.itertext()).split()) <= MAX_WORDS
        ]
        for caption in captions:
            caption.tag = "p"
        if captions:
            figure.tag = "div"
            changed = True
    return changed


def with_table_titles(html: str) -> str:
    """The page with its tables' figure captions as paragraphs; the page itself when none."""
    return edited(html, keep_in_tree) if may_hold_table_titles(html) else html


#: A figure that opens with a block of code: the page-wide test before a parse.
_CODE_FIGURE = re.compile(r"<figure\b[^>]{0,300}>\s*(?:<div\b[^>]{0,200}>\s*)?<pre\b", re.I)


def may_hold_code_figures(html: str) -> bool:
    """Whether a figure may hold a block of code (one search)."""
    return bool(_CODE_FIGURE.search(html))


def code_figures_in_tree(tree: Any) -> bool:
    """Make the figures that hold a block of code and show nothing blocks; whether there were
    any.

    Why: a tutorial's code is set in a figure by Ghost (``figure.kg-code-card``) and by
    WordPress's code blocks, and trafilatura drops the whole figure, where it keeps a bare
    ``<pre>``: a how-to's backup script was lost while the one-line command after it stayed."""
    changed = False
    for figure in list(tree.iter("figure")):
        if figure.find(".//pre") is None or next(figure.iter(*_SHOWN), None) is not None:
            continue
        figure.tag = "div"
        changed = True
    return changed
