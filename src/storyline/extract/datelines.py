"""The dateline: the place a report was filed from, read from the lead paragraph.

Why a module of its own: a dateline needs a strong shape ("TEHRAN --", "Islamabad (Reuters) -",
"زابل - ...") because a title-case "Iran and Pakistan ..." is an ordinary sentence; the shapes,
the labels that only look like places and the gazetteer's spellings of places are this module's
whole job. The agencies (`storyline.extract.agencies`) read the dateline's parenthetical credit.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from storyline.extract.credits import AGENCY_ONLY_RE, ALIAS_TO_AGENCY, demarkdown, text_lines
from storyline.names import fold

#: ALL-CAPS lead-ins that look like datelines but are labels.
_NOT_PLACES = frozenset(
    {
        "BREAKING",
        "BREAKING NEWS",
        "UPDATE",
        "UPDATED",
        "EXCLUSIVE",
        "WATCH",
        "VIDEO",
        "PHOTO",
        "PHOTOS",
        "LIVE",
        "ANALYSIS",
        "OPINION",
        "EDITORIAL",
        "COMMENT",
        "FILE",
        "NOTE",
        "EDITOR'S NOTE",
        "CORRECTION",
        "READ",
        "ALSO READ",
        "READ MORE",
        "FACT CHECK",
        "FEATURE",
        "INTERVIEW",
        "REVIEW",
        "URGENT",
        "FLASH",
        "ALERT",
        "NEW",
        "SPONSORED",
        "ADVERTISEMENT",
        "PRESS RELEASE",
        "Q&A",
        "FAQ",
        "WARNING",
        "SOURCE",
        "SOURCES",
        "REPORT",
        "NEWS",
        "TOP NEWS",
        "UPDATE 1",
        "UPDATE 2",
        "EXPLAINER",
        "THE",
        "US",
        "UK",
        "UN",
        "EU",
        "NATO",
        "PS",
        "NB",
    }
)

_SMALL_WORDS = frozenset(
    {"of", "de", "la", "le", "es", "el", "du", "des", "da", "do", "dos", "and"}
)

_SEP = r"(?:--|[—–]|-(?=\s)|:)"
# Word lengths are bounded so a 100 KB run of capitals cannot make the engine backtrack.
# Possessive: a word cannot end half-way through its letters, so no backtracking.
_UP = "A-ZÀ-ÖØ-Þ" + "".join(chr(c) for c in range(0x100, 0x17F) if chr(c).isupper())
_CAPS_WORD = rf"[{_UP}][{_UP}'.]{{0,24}}+(?:-[{_UP}][{_UP}'.]{{0,24}}+){{0,3}}+"
_TITLE_WORD = r"[A-Z][a-z'.]{1,24}+(?:-[A-Za-z][a-z'.]{0,24}+){0,3}+"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_BIT = rf"(?:,\s*{_MONTH_ABBR}\s+\d{{1,2}}(?:,\s*\d{{4}})?)"
_PAREN = r"\((?P<agency>[^()\n]{1,40})\)"

# "TEHRAN --", "NEW DELHI, Aug 5 (PTI) -", "QUETTA, Pakistan —", "ISLAMABAD/KABUL (Reuters) -"
_DATELINE_CAPS = re.compile(
    rf"(?<![\w'.-])(?P<place>{_CAPS_WORD}(?: {_CAPS_WORD}){{0,3}})"
    rf"(?:/{_CAPS_WORD}(?: {_CAPS_WORD}){{0,2}})?"
    rf"(?:,\s*(?:{_TITLE_WORD}|{_CAPS_WORD})(?: (?:{_TITLE_WORD}|{_CAPS_WORD})){{0,2}})?"
    rf"{_DATE_BIT}?"
    rf"(?:\s*{_PAREN})?"
    rf"\s*{_SEP}\s+(?=\S)"
)
# "زابل - ..." / "تهران- ایرنا- ...": one or two Arabic-script words, then a dash. Persian and
# Urdu agencies write their datelines this way; a dash this early in a lead is not prose.
_ARABIC_WORD = r"[\u0600-\u06FF\u200c]{2,24}+"
_DATELINE_ARABIC = re.compile(
    rf"(?P<place>{_ARABIC_WORD}(?: {_ARABIC_WORD})?)\s?[-–—]\s?"
    rf"(?:(?P<agency>{_ARABIC_WORD})\s?[-–—]\s?)?(?=\S)"
)
#: Agencies as Persian credits name them in a dateline ("تهران- ایرنا-").
PERSIAN_AGENCIES: dict[str, str] = {
    "ایرنا": "IRNA", "ایسنا": "ISNA", "تسنیم": "Tasnim", "فارس": "Fars", "مهر": "Mehr",
    "ایلنا": "ILNA", "باختر": "Bakhtar", "پژواک": "Pajhwok",
}  # fmt: skip
# "Tehran, Aug 5 (IRNA) –", "Islamabad (Reuters) -", "Quetta, Pakistan (AP) —": agency required.
_DATELINE_TITLE = re.compile(
    rf"(?<![\w'.-])(?P<place>{_TITLE_WORD}(?: {_TITLE_WORD}){{0,2}})"
    rf"(?:,\s*{_TITLE_WORD}(?: {_TITLE_WORD}){{0,2}})?"
    rf"{_DATE_BIT}?"
    rf"\s*{_PAREN}"
    rf"\s*{_SEP}?\s+(?=\S)"
)


def dateline_match(text: str) -> re.Match[str] | None:
    lead = _lead_paragraph(text)
    if lead is None:
        return None
    head = lead[:200]
    match = _DATELINE_CAPS.match(head)
    if match is not None:
        place = match.group("place").strip()
        if (
            place.upper() == place
            and place not in _NOT_PLACES
            and place not in ALIAS_TO_AGENCY
            and any(ch.isalpha() for ch in place)
            and len(place.replace(" ", "")) >= 3
        ):
            return match
    match = _DATELINE_TITLE.match(head)
    if match is not None and AGENCY_ONLY_RE.fullmatch(match.group("agency").strip()):
        return match
    match = _DATELINE_ARABIC.match(head)
    if match is not None and len(head[match.end() :].split()) >= 8:
        agency = match.group("agency")
        if agency is None or agency in PERSIAN_AGENCIES:
            return match
    return None


_META_LINE = re.compile(
    r"^(?:posted|published|updated|last updated|by|written by|filed|first published)\b", re.I
)


def _lead_paragraph(text: str) -> str | None:
    """The first line with eight words or more: titles, bylines and date lines are shorter.

    A "Posted on June 19, 2024 by Staff Reporter" line can reach eight words; lines that open
    like a date or byline line are passed over.
    """
    for line in text_lines(text[:20_000]):
        if len(line.split()) >= 8 and not _META_LINE.match(demarkdown(line)):
            return line
    return None


def _title_case_place(place: str) -> str:
    words = []
    for i, word in enumerate(place.split()):
        lower = word.lower()
        if i and lower in _SMALL_WORDS:
            words.append(lower)
            continue
        words.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(words)


def find_dateline(text: str) -> str | None:
    """The place a report was filed from, in title case ("TEHRAN --" -> "Tehran"), or None.

    Only the lead paragraph is read. Accepted shapes: an ALL-CAPS place with an optional
    ", Country", date and "(Agency)" before a separator ("--", "—", "–", " - ", ":"), or a
    title-case place that carries an agency in parentheses ("Islamabad (Reuters) -"). The first of
    several places ("ISLAMABAD/KABUL") is returned. Labels such as "BREAKING:" are not places.
    """
    match = dateline_match(text)
    if match is None:
        return None
    place = match.group("place").strip().rstrip(".")
    if place.isascii():
        return _title_case_place(place)
    # "TÉHÉRAN", "زابل": the gazetteer's English name when it knows the spelling.
    return place_name(place) or _title_case_place(place)


@lru_cache(maxsize=1)
def _place_aliases() -> dict[str, str]:
    """Folded alias -> canonical name for every place in the shipped gazetteer."""
    path = resources.files("storyline").joinpath("data/gazetteer/actors.jsonl")
    table: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        if entry.get("type") != "place":
            continue
        for alias in [entry["name"], *entry.get("aliases", [])]:
            table.setdefault(fold(alias, "letters"), entry["name"])
    return table


def place_name(place: str) -> str | None:
    """The gazetteer's canonical name for a place written in another language or script."""
    return _place_aliases().get(fold(place, "letters"))
