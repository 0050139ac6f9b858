"""Folding names for comparison: one rule for every stage that matches names written differently.

Extraction (outlet names against web addresses, place aliases in other scripts) and NLP (the
places index, actor keys) all compare names with accents and case removed. They live in different
layers, so the rule lives here, below both, instead of in three copies that drift apart. What a
caller keeps differs on purpose, and `fold`'s ``keep`` says which:

``"text"``     the places index key: punctuation and every script kept, curly apostrophes made
               straight, runs of whitespace one space ("Da’ish" -> "da'ish").
``"letters"``  outlet and alias matching: letters and digits of any script and nothing between
               them ("Frontier-Monitor" -> "frontiermonitor", "تهران" stays Persian letters).
``"words"``    actor keys: ASCII letters and digits as words separated by one space; apostrophes
               of every kind vanish inside a word ("O’Brien" -> "obrien"), anything else
               separates words ("Kazemi-Qomi" -> "kazemi qomi").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from storyline.errors import ConfigError

__all__ = ["APOSTROPHES", "Keep", "fold"]

#: Apostrophe look-alikes (curly quotes, backtick, the modifier letters used for ayn and hamza)
#: made the ASCII apostrophe.
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'"})
_CURLY_QUOTES = str.maketrans({"’": "'", "‘": "'"})
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")

Keep = Literal["text", "letters", "words"]


def fold(text: str, keep: Keep = "text") -> str:
    """``text`` with accents removed (NFKD, combining marks dropped) and case folded, keeping
    what ``keep`` says (see the module docstring): "  Tehrān " -> "tehran"."""
    if keep == "words":
        text = text.translate(APOSTROPHES)
    elif keep == "text":
        text = text.translate(_CURLY_QUOTES)
    elif keep != "letters":
        raise ConfigError(
            f"fold(keep=...) must be 'text', 'letters' or 'words', not {keep!r}",
            setting="keep",
            code="E501",
        )
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if keep == "letters":
        return "".join(c for c in folded if c.isalnum())
    if keep == "words":
        return " ".join(_NOT_ASCII_ALNUM.sub(" ", folded.replace("'", "")).split())
    return " ".join(folded.split())
