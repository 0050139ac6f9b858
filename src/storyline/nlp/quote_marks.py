"""Quote marks: a same-length ASCII copy of the text and the quoted spans in it.

Curly, angle and prime marks become ``"`` and ``'`` without moving any offset, so spans found in
the copy point into ``Article.text``. Spans never cross a paragraph."""

from __future__ import annotations

import bisect
import re

#: Same-length normalisation: every quote-like mark becomes one ASCII character.
QUOTE_MAP = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "〝": '"',
        "〞": '"',
        "＂": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "‹": "'",
        "›": "'",
        "′": "'",
    }
)


#: A double-quoted span inside one paragraph (no nested quantifier: linear time).
DOUBLE_RE = re.compile(r'"([^"\n]{1,3000})"')


#: Curly single quotes used as quote marks: the opener follows a non-word character, the
#: closer is not followed by a letter (so "Iran’s" never closes a quote).
SINGLE_RE = re.compile(r"(?<![\w])‘([^‘’\n]{2,600})’(?![A-Za-z])")


def normalise_quotes(text: str) -> str:
    """Map curly, angle and prime quote marks to ASCII without changing any offset."""
    return text.translate(QUOTE_MAP)


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Content spans (inside the marks) of quoted passages, paragraph-bounded, in order."""
    norm = normalise_quotes(text)
    spans = [(m.start(1), m.end(1)) for m in DOUBLE_RE.finditer(norm)]
    opens = [s - 1 for s, _ in spans]
    singles = []
    for m in SINGLE_RE.finditer(text):
        i = bisect.bisect_right(opens, m.start()) - 1
        if i < 0 or not (opens[i] <= m.start() <= spans[i][1]):
            singles.append((m.start(1), m.end(1)))
    spans.extend(singles)
    spans.sort()
    return spans
