"""How a credit is written: the wire agencies' spellings, "By ..." lines, standalone credit lines.

Why a module of its own: the agencies (`storyline.extract.agencies`), the byline
(`storyline.extract.bylines`) and the outlet (`storyline.extract.outlets`) all read the same
credit evidence, the lines the cleaner removed as bylines, credits and promo blocks, and must
agree on what an agency's name, a "By ..." line or a line such as "AFP/Al Arabiya" is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Canonical agency name -> the spellings that credit it (matched case-sensitively, whole words).
#: Ambiguous short forms ("AA", "Mehr", "Fars") are safe here because only credit contexts are
#: searched, never running text. Outlets that are not agencies (Tolo News, Al Jazeera) are not here.
AGENCIES: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "Reuters": ("Reuters", "REUTERS", "Thomson Reuters"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "APP": ("APP", "Associated Press of Pakistan"),
    "IRNA": ("IRNA", "Islamic Republic News Agency"),
    "ANI": ("ANI", "Asian News International"),
    "Xinhua": ("Xinhua", "XINHUA", "Xinhua News Agency"),
    "Anadolu": ("Anadolu Agency", "Anadolu", "AA"),
    "TASS": ("TASS", "ITAR-TASS", "Tass"),
    "ISNA": ("ISNA", "Iranian Students' News Agency"),
    "Tasnim": ("Tasnim", "Tasnim News Agency"),
    "Mehr": ("Mehr News Agency", "Mehr", "MNA"),
    "Fars": ("Fars News Agency", "Fars", "FNA"),
    "PTI": ("PTI", "Press Trust of India"),
    "IANS": ("IANS", "Indo-Asian News Service"),
    "UPI": ("UPI", "United Press International"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "Bakhtar": ("Bakhtar", "Bakhtar News Agency"),
    "Pajhwok": ("Pajhwok", "Pajhwok Afghan News"),
    "Sputnik": ("Sputnik",),
    "RIA Novosti": ("RIA Novosti",),
    "Interfax": ("Interfax",),
    "ANSA": ("ANSA",),
    "Bernama": ("Bernama",),
    "Antara": ("Antara",),
    "KUNA": ("KUNA",),
    "WAM": ("WAM",),
    "SPA": ("SPA", "Saudi Press Agency"),
    "QNA": ("QNA",),
    "BSS": ("BSS",),
    "AAP": ("AAP", "Australian Associated Press"),
}

ALIAS_TO_AGENCY: dict[str, str] = {
    alias: name for name, aliases in AGENCIES.items() for alias in aliases
}
# Longest first so "Associated Press of Pakistan" wins over "Associated Press".
AGENCY_ALT = "|".join(re.escape(a) for a in sorted(ALIAS_TO_AGENCY, key=len, reverse=True))
AGENCY_RE = re.compile(rf"(?<![\w-])(?:{AGENCY_ALT})(?![\w-])")
AGENCY_ONLY_RE = re.compile(rf"(?:{AGENCY_ALT})")

#: Authors that are a CMS account, not a person or a desk.
GENERIC_AUTHORS = frozenset(
    {"admin", "administrator", "editor", "webmaster", "user", "author", "root", "guest",
     "the author", "the authors", "the writer", "the editor", "author info", "author bio"}
)  # fmt: skip

_MD_LINK = re.compile(r"\[([^\[\]\n]{0,200}+)\]\([^()\[\]\s]{0,500}+\)")
_MD_MARKS = re.compile(r"[*_`#]+")
BY_RE = re.compile(
    r"^(?:by|written by|posted by|reporting by|author:|words by"
    r"|(?:par|von|por|door)\b|auteur:|autor:)\s*[:\-]?\s*(?P<who>.+)$",
    re.IGNORECASE,
)
_CREDIT_PREFIX = re.compile(
    r"^\(?\s*(?:source|sources|credit|courtesy|with inputs? from|additional reporting by|"
    r"compiled by|via|with|avec|selon|d'après|source ?:|quelle|mit material von|mit|con|fuente"
    r"|según|fonte|com)\s*[:\-]?\s*",
    re.IGNORECASE,
)
PROMO_ABOUT = re.compile(r"^About\s+(?P<name>[^\n]{2,60}?)\s*[.:]?\s*$")
MAX_CREDIT_LINE = 80


def canonical_agency(alias: str) -> str | None:
    """The canonical name for one spelling of an agency ("Agence France-Presse" -> "AFP")."""
    return ALIAS_TO_AGENCY.get(alias.strip())


def demarkdown(line: str) -> str:
    """The line without Markdown links and emphasis marks: "By [AFP](#)" -> "By AFP"."""
    line = _MD_LINK.sub(r"\1", line)
    return _MD_MARKS.sub("", line).strip()


def text_lines(text: str) -> Iterator[str]:
    """The text's non-blank lines, stripped."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            yield line


def credit_pieces(line: str) -> list[str] | None:
    """Split a standalone credit line ("AFP/Al Arabiya", "— APP") into names, or None.

    A credit line is short, has no sentence verb to speak of and at least one piece that is
    exactly an agency; this is what tells "AFP/Al Arabiya" from "AFP said on Monday".
    """
    if len(line) > MAX_CREDIT_LINE:
        return None
    body = _CREDIT_PREFIX.sub("", demarkdown(line))
    body = body.strip(" \t—–-()[].")
    if not body or len(body.split()) > 8:
        return None
    pieces = [
        p.strip(" —–-()[].") for p in re.split(r"\s*(?:[/|,&+]|\b(?:and|et|und|y)\b)\s*", body)
    ]
    pieces = [p for p in pieces if p]
    if not any(p in ALIAS_TO_AGENCY for p in pieces):
        return None
    return pieces
