"""The wire agencies credited for an article's text, and those credited only for its pictures.

Why a module of its own: how many independent sources a story has depends on these credits, so
an agency counts only when it is credited (a byline, a dateline's parenthetical, a credit line, a
credit at the very end of the text), never when running text mentions it, and a photo credit
never makes the text wire copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from storyline.article import Removed
from storyline.extract.credits import (
    AGENCY_ALT,
    AGENCY_RE,
    ALIAS_TO_AGENCY,
    BY_RE,
    MAX_CREDIT_LINE,
    credit_pieces,
    demarkdown,
    text_lines,
)
from storyline.extract.datelines import PERSIAN_AGENCIES, dateline_match

_CONTRIBUTED = re.compile(r"\b(?:contributed to this report|contributed reporting)\b", re.I)
_PHOTO_WORDS = re.compile(
    r"\b(?:photo|photos|picture|pictured|image|file photo|is seen|are seen|via Getty)\b", re.I
)
_PHOTO_CREDIT_RE = re.compile(
    rf"\((?:(?i:photo|file photo|image)\s*:?\s*)?(?P<a>{AGENCY_ALT})\)\s*$"
    rf"|(?<![\w-])(?P<b>{AGENCY_ALT})(?:\s+via\s+Getty Images|/[A-Z][a-z]+)"
    rf"|^(?i:photo|image|file photo)\s*:\s*(?P<c>{AGENCY_ALT})(?![\w-])"
)
# A credit at the very end of the text: "... he said. (AFP)", "... on Monday.— APP".
_END_CREDIT = re.compile(rf"[.!?\"”’)]\s*(?:[—–-]+\s*|\(\s*)(?P<agency>{AGENCY_ALT})\s*\)?\.?\s*$")

CREDIT_REASONS = frozenset({"byline", "credit", "outlet_name", "date_line", "author_box"})


def _agencies_in(snippet: str) -> Iterator[str]:
    for match in AGENCY_RE.finditer(snippet):
        yield ALIAS_TO_AGENCY[match.group(0)]


def _is_photo_line(line: str) -> bool:
    return bool(_PHOTO_WORDS.search(line)) and bool(_PHOTO_CREDIT_RE.search(line))


def find_photo_agencies(text: str, removed: Iterable[Removed]) -> list[str]:
    """Agencies credited for pictures (captions, "REUTERS/Jane Doe"): not text credits."""
    found: list[str] = []
    snippets = [r.text for r in removed if r.reason == "caption"]
    snippets += [line for line in text_lines(text) if _is_photo_line(line)]
    for snippet in snippets:
        for match in _PHOTO_CREDIT_RE.finditer(demarkdown(snippet)):
            alias = match.group("a") or match.group("b") or match.group("c")
            name = ALIAS_TO_AGENCY[alias]
            if name not in found:
                found.append(name)
    return found


def find_agencies(text: str, removed: list[Removed]) -> list[str]:
    """Canonical names of the wire agencies *credited* for the text, in order of appearance.

    Looks at removed bylines and credit lines, the dateline parenthetical of the lead, short
    standalone credit lines in the text and a credit at the very end of the text. Running-text
    mentions ("Reuters reported") and photo credits are not text credits and are left out.
    """
    found: list[str] = []

    def add(names: Iterable[str]) -> None:
        for name in names:
            if name not in found:
                found.append(name)

    for item in removed:
        if item.reason not in CREDIT_REASONS or len(item.text) > 300:
            continue
        snippet = demarkdown(item.text)
        if item.reason == "author_box" and len(snippet) > MAX_CREDIT_LINE:
            continue
        add(_agencies_in(snippet))
    match = dateline_match(text)
    if match is not None and match.group("agency"):
        add(_agencies_in(match.group("agency")))
        if match.group("agency") in PERSIAN_AGENCIES:
            add([PERSIAN_AGENCIES[match.group("agency")]])
    for line in text_lines(text):
        if len(line) > MAX_CREDIT_LINE:
            continue
        clean = demarkdown(line)
        by = BY_RE.match(clean)
        if by is not None or credit_pieces(clean) is not None or _CONTRIBUTED.search(clean):
            if not _is_photo_line(clean):
                add(_agencies_in(clean))
    tail = text.rstrip()[-300:]
    end = _END_CREDIT.search(tail)
    if end is not None:
        last_line = tail.splitlines()[-1] if tail else ""
        if not _is_photo_line(last_line):
            add([ALIAS_TO_AGENCY[end.group("agency")]])
    return found
