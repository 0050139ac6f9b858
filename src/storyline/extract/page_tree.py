"""The extractor's copy of a page, edited in one parse.

Why: several passes rewrite the page before trafilatura reads it (embedded posts out, layout
tables into blocks, an article's source lists into text). Each first asks a cheap question of
the HTML string, so most pages are never parsed; the ones that are get parsed and serialised
once for all the passes they need, not once per pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storyline.sources.markup import without_xml_declaration

__all__ = ["drop_outermost", "edited"]


#: An edit of the parsed page: changes the tree in place and says whether it changed anything.
Edit = Callable[[Any], bool]


def edited(html: str, *edits: Edit) -> str:
    """The page after ``edits``, in order, on one parse of it; the page itself when none changed
    anything or it cannot be parsed (what came in stays readable)."""
    if not edits:
        return html
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(without_xml_declaration(html))
    except (etree.ParserError, ValueError):
        return html
    changed = False
    for edit in edits:
        changed = edit(tree) or changed
    if not changed:
        return html
    return str(lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>"))


def drop_outermost(found: list[Any]) -> bool:
    """Remove the elements of ``found`` that no other of them holds (their tail text stays, and
    the ones inside go with them); whether there were any."""
    marked = set(found)
    outer = [el for el in found if not any(a in marked for a in el.iterancestors())]
    for el in outer:
        el.drop_tree()
    return bool(outer)
