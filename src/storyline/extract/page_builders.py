"""A page builder's text widgets renamed in the extractor's copy of a page, so the extractor
reads them as the article they are.

Why: trafilatura discards every block whose class holds the word "widget" (sidebars' widgets),
and Elementor, the most used WordPress page builder, wraps a post's own text in
``<div class="elementor-widget elementor-widget-text-editor"><div
class="elementor-widget-container">`` (``elementor-widget-theme-post-content`` on a theme built
with it). Its paragraphs came back by another route, its subheads and lists did not: on a
labelled report page the list of causes under "Why pumps stay broken" was lost. Only the text
widgets are renamed; a builder's posts, menus, forms and share widgets keep the word and go as
before.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["may_hold_text_widgets", "text_widgets_in_tree"]

#: Class words of a builder's widget that holds the article's own text.
TEXT_WIDGETS = frozenset({"elementor-widget-text-editor", "elementor-widget-theme-post-content"})
_ASK = re.compile(r"elementor-widget-(?:text-editor|theme-post-content)\b")
#: The word a renamed class loses ("elementor-widget-container" becomes "elementor-w-container").
_WORD = re.compile(r"^elementor-widget(?=-|$)")


def may_hold_text_widgets(html: str) -> bool:
    """Whether the page may hold a builder's text widget (one search)."""
    return bool(_ASK.search(html))


def _renamed(el: Any) -> bool:
    words = (el.get("class") or "").split()
    new = [_WORD.sub("elementor-w", word) for word in words]
    if new == words:
        return False
    el.set("class", " ".join(new))
    return True


def text_widgets_in_tree(tree: Any) -> bool:
    """Rename the text widgets' "widget" class words and those of the containers inside them;
    whether any was renamed."""
    changed = False
    for el in tree.iter():
        if not isinstance(el.tag, str) or not TEXT_WIDGETS.intersection(
            (el.get("class") or "").split()
        ):
            continue
        changed = _renamed(el) or changed
        for inner in el.iter():
            if inner is not el and isinstance(inner.tag, str):
                changed = _renamed(inner) or changed
    return changed
