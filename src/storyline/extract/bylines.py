"""Who wrote an article, for which outlet, from where: agencies, byline, dateline and outlet.

These facts decide how many independent sources a story really has, so the rules lean towards
saying nothing rather than something wrong:

- An agency counts only when it is *credited*: a byline ("By AFP"), a dateline parenthetical
  ("ISLAMABAD (Reuters) -"), a credit line ("AFP/Al Arabiya", "— APP", "Source: Xinhua") or a
  credit at the very end of the text ("... he said. (AFP)"). A mention in running text ("Reuters
  reported", "told AFP") is reporting *about* an agency, not a credit, and is ignored.
- A photo credit ("... pictured in Tehran. (AFP)" in a caption, "REUTERS/Jane Doe") says who took
  the picture, not who wrote the words, so it does not make the text wire copy. Photo agencies are
  kept apart (`find_photo_agencies`, ``article.extras["photo_agencies"]``).
- A dateline needs a strong shape (ALL-CAPS place and a separator, or a place with an agency in
  parentheses), because a title-case "Iran and Pakistan ..." is an ordinary sentence.

The rules run on the clean text *and* on what the cleaner removed (`Article.removed`): the cleaner
takes bylines, credit lines and promo blocks out of the body, but they are exactly the evidence
this stage needs. See docs/metadata.md for the tables and the precedence of outlet sources.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from storyline.article import Article, Removed
from storyline.names import fold
from storyline.pipeline import Stage

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

_ALIAS_TO_AGENCY: dict[str, str] = {
    alias: name for name, aliases in AGENCIES.items() for alias in aliases
}
# Longest first so "Associated Press of Pakistan" wins over "Associated Press".
_AGENCY_ALT = "|".join(re.escape(a) for a in sorted(_ALIAS_TO_AGENCY, key=len, reverse=True))
_AGENCY_RE = re.compile(rf"(?<![\w-])(?:{_AGENCY_ALT})(?![\w-])")
_AGENCY_ONLY_RE = re.compile(rf"(?:{_AGENCY_ALT})")

#: Hosts whose outlet name is not just the domain. Keys are registered domains without "www.".
KNOWN_HOSTS: dict[str, str] = {
    "themoscowtimes.com": "The Moscow Times",
    "alarabiya.net": "Al Arabiya",
    "aljazeera.com": "Al Jazeera",
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "afp.com": "AFP",
    "tehrantimes.com": "Tehran Times",
    "presstv.ir": "Press TV",
    "irna.ir": "IRNA",
    "tasnimnews.com": "Tasnim",
    "dawn.com": "Dawn",
    "tribune.com.pk": "The Express Tribune",
    "thenews.com.pk": "The News International",
    "tolonews.com": "TOLOnews",
    "pajhwok.com": "Pajhwok Afghan News",
    "khaama.com": "Khaama Press",
    "aa.com.tr": "Anadolu Agency",
    "tass.com": "TASS",
    "xinhuanet.com": "Xinhua",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "theguardian.com": "The Guardian",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "trackpersia.com": "Track Persia",
}

# Second-level labels under a country TLD ("tribune.com.pk", "bbc.co.uk").
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "news", "or", "ne"})

#: Authors that are a CMS account, not a person or a desk.
_GENERIC_AUTHORS = frozenset(
    {"admin", "administrator", "editor", "webmaster", "user", "author", "root", "guest",
     "the author", "the authors", "the writer", "the editor", "author info", "author bio"}
)  # fmt: skip

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

_MD_LINK = re.compile(r"\[([^\[\]\n]{0,200}+)\]\([^()\[\]\s]{0,500}+\)")
_MD_MARKS = re.compile(r"[*_`#]+")
_URL_RE = re.compile(r"https?://[^\s<>()\"']{1,2000}")
_BY_RE = re.compile(
    r"^(?:by|written by|posted by|reporting by|author:|words by)\s*[:\-]?\s*(?P<who>.+)$",
    re.IGNORECASE,
)
_BYLINE_TAIL = re.compile(
    r"(?:[|•·]|\s-\s|,\s{0,3}(?:published|updated|posted)\b|\b(?:published|updated|posted)\b)"
    r"(?s:.*)",
    re.IGNORECASE,
)
_CREDIT_PREFIX = re.compile(
    r"^\(?\s*(?:source|sources|credit|courtesy|with inputs? from|additional reporting by|"
    r"compiled by|via|with|avec|selon|d'après|source ?:|quelle|mit material von|mit|con|fuente"
    r"|según|fonte|com)\s*[:\-]?\s*",
    re.IGNORECASE,
)
_CONTRIBUTED = re.compile(r"\b(?:contributed to this report|contributed reporting)\b", re.I)
_PHOTO_WORDS = re.compile(
    r"\b(?:photo|photos|picture|pictured|image|file photo|is seen|are seen|via Getty)\b", re.I
)
_PHOTO_CREDIT_RE = re.compile(
    rf"\((?:(?i:photo|file photo|image)\s*:?\s*)?(?P<a>{_AGENCY_ALT})\)\s*$"
    rf"|(?<![\w-])(?P<b>{_AGENCY_ALT})(?:\s+via\s+Getty Images|/[A-Z][a-z]+)"
    rf"|^(?i:photo|image|file photo)\s*:\s*(?P<c>{_AGENCY_ALT})(?![\w-])"
)
# A credit at the very end of the text: "... he said. (AFP)", "... on Monday.— APP".
_END_CREDIT = re.compile(rf"[.!?\"”’)]\s*(?:[—–-]+\s*|\(\s*)(?P<agency>{_AGENCY_ALT})\s*\)?\.?\s*$")
_PROMO_ABOUT = re.compile(r"^About\s+(?P<name>[^\n]{2,60}?)\s*[.:]?\s*$")

CREDIT_REASONS = frozenset({"byline", "credit", "outlet_name", "date_line", "author_box"})
MAX_CREDIT_LINE = 80


def canonical_agency(alias: str) -> str | None:
    """The canonical name for one spelling of an agency ("Agence France-Presse" -> "AFP")."""
    return _ALIAS_TO_AGENCY.get(alias.strip())


def _agencies_in(snippet: str) -> Iterator[str]:
    for match in _AGENCY_RE.finditer(snippet):
        yield _ALIAS_TO_AGENCY[match.group(0)]


def _demarkdown(line: str) -> str:
    line = _MD_LINK.sub(r"\1", line)
    return _MD_MARKS.sub("", line).strip()


def _lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        line = line.strip()
        if line:
            yield line


def _credit_pieces(line: str) -> list[str] | None:
    """Split a standalone credit line ("AFP/Al Arabiya", "— APP") into names, or None.

    A credit line is short, has no sentence verb to speak of and at least one piece that is
    exactly an agency; this is what tells "AFP/Al Arabiya" from "AFP said on Monday".
    """
    if len(line) > MAX_CREDIT_LINE:
        return None
    body = _CREDIT_PREFIX.sub("", _demarkdown(line))
    body = body.strip(" \t—–-()[].")
    if not body or len(body.split()) > 8:
        return None
    pieces = [
        p.strip(" —–-()[].") for p in re.split(r"\s*(?:[/|,&+]|\b(?:and|et|und|y)\b)\s*", body)
    ]
    pieces = [p for p in pieces if p]
    if not any(p in _ALIAS_TO_AGENCY for p in pieces):
        return None
    return pieces


def _is_photo_line(line: str) -> bool:
    return bool(_PHOTO_WORDS.search(line)) and bool(_PHOTO_CREDIT_RE.search(line))


def find_photo_agencies(text: str, removed: Iterable[Removed]) -> list[str]:
    """Agencies credited for pictures (captions, "REUTERS/Jane Doe"): not text credits."""
    found: list[str] = []
    snippets = [r.text for r in removed if r.reason == "caption"]
    snippets += [line for line in _lines(text) if _is_photo_line(line)]
    for snippet in snippets:
        for match in _PHOTO_CREDIT_RE.finditer(_demarkdown(snippet)):
            alias = match.group("a") or match.group("b") or match.group("c")
            name = _ALIAS_TO_AGENCY[alias]
            if name not in found:
                found.append(name)
    return found


def _dateline_match(text: str) -> re.Match[str] | None:
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
            and place not in _ALIAS_TO_AGENCY
            and any(ch.isalpha() for ch in place)
            and len(place.replace(" ", "")) >= 3
        ):
            return match
    match = _DATELINE_TITLE.match(head)
    if match is not None and _AGENCY_ONLY_RE.fullmatch(match.group("agency").strip()):
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
    for line in _lines(text[:20_000]):
        if len(line.split()) >= 8 and not _META_LINE.match(_demarkdown(line)):
            return line
    return None


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
        snippet = _demarkdown(item.text)
        if item.reason == "author_box" and len(snippet) > MAX_CREDIT_LINE:
            continue
        add(_agencies_in(snippet))
    match = _dateline_match(text)
    if match is not None and match.group("agency"):
        add(_agencies_in(match.group("agency")))
        if match.group("agency") in PERSIAN_AGENCIES:
            add([PERSIAN_AGENCIES[match.group("agency")]])
    for line in _lines(text):
        if len(line) > MAX_CREDIT_LINE:
            continue
        clean = _demarkdown(line)
        by = _BY_RE.match(clean)
        if by is not None or _credit_pieces(clean) is not None or _CONTRIBUTED.search(clean):
            if not _is_photo_line(clean):
                add(_agencies_in(clean))
    tail = text.rstrip()[-300:]
    end = _END_CREDIT.search(tail)
    if end is not None:
        last_line = tail.splitlines()[-1] if tail else ""
        if not _is_photo_line(last_line):
            add([_ALIAS_TO_AGENCY[end.group("agency")]])
    return found


def _clean_byline(raw: str) -> str | None:
    who = _demarkdown(raw)
    by = _BY_RE.match(who)
    if by is not None:
        who = by.group("who")
    who = _BYLINE_TAIL.sub("", who).strip(" \t,;:|-—–")
    who = re.sub(r"\s+", " ", who)
    if not who or len(who) > 100 or who.lower() in _GENERIC_AUTHORS:
        return None
    return _ALIAS_TO_AGENCY.get(who, who)


_NAME_JOINERS = frozenset({"and", "with", "in", "de", "bin", "al", "van", "von", "der", "&"})


def _looks_like_name(who: str) -> bool:
    """True for "Jane Roe", "Web Desk", "Omar Khan and Sara Ahmadi"; not "the end of the day"."""
    words = who.replace(",", " ").split()
    return 0 < len(words) <= 8 and all(w[0].isupper() or w in _NAME_JOINERS for w in words)


def _byline_with_source(removed: list[Removed], text: str) -> tuple[str, str] | None:
    for item in removed:
        if item.reason == "byline":
            who = _clean_byline(item.text)
            if who:
                return who, "byline-line"
    for item in removed:
        if item.reason == "author_box":
            first = _demarkdown(item.text.strip().splitlines()[0]) if item.text.strip() else ""
            about = _PROMO_ABOUT.match(first)
            if about is not None:
                who = _clean_byline(about.group("name"))
                if who:
                    return who, "author-box"
            bio = _BIO_NAME.match(first)
            if bio is not None:
                return bio.group("name"), "author-bio"
    return _head_byline(text)


#: The person a bio opens with: "Mariam Wardak covers water ...", "Bilal Achakzai is the ...".
_BIO_NAME = re.compile(
    r"(?P<name>[A-Z][\w'’-]{1,30}+(?: [A-Z][\w'’-]{1,30}+){1,3}+) (?:is|covers|reports|writes"
    r"|has|was|joined|edits)\b"
)


def _head_byline(text: str) -> tuple[str, str] | None:
    lines = list(_lines(text[:5_000]))
    for line in lines[:5]:
        if len(line) <= MAX_CREDIT_LINE and _BY_RE.match(_demarkdown(line)):
            who = _clean_byline(line)
            if who and _looks_like_name(who):
                return who, "byline-line"
    return None


def find_byline(removed: list[Removed], text: str) -> str | None:
    """The person or agency the article is signed by ("By [AFP](#)" -> "AFP"), or None.

    Sources: a removed byline line, an author box ("About Jane Doe"), or a "By ..." line among the
    first lines of the text. CMS accounts ("admin") are not bylines. A credit line such as
    "AFP/Al Arabiya" is *not* a byline: it goes to `find_agencies` and `find_outlet`.
    """
    found = _byline_with_source(removed, text)
    return found[0] if found else None


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
    match = _dateline_match(text)
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


def _host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url.strip().strip("<>")).hostname
    except ValueError:
        return None
    if not host or re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return None
    return host.lower()


def registered_domain(host: str) -> str:
    """The registrable domain: "english.alarabiya.net" -> "alarabiya.net", "tribune.com.pk"."""
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def article_urls(article: Article) -> list[str]:
    """The URLs known for an article: its own, its canonical one, an "Original url:" line."""
    urls = [u for u in (article.url, article.canonical_url) if u]
    for item in article.removed:
        if item.reason == "original_url":
            urls += _URL_RE.findall(item.text)
    return urls


def outlet_from_url(url: str | None) -> tuple[str | None, bool]:
    """Outlet name for a URL and whether it came from the known-host table."""
    host = _host_of(url)
    if host is None:
        return None, False
    domain = registered_domain(host)
    if domain in KNOWN_HOSTS:
        return KNOWN_HOSTS[domain], True
    return domain, False


def _promo_outlet(removed: list[Removed]) -> str | None:
    for item in removed:
        if item.reason == "promo" and item.text.strip():
            first = _demarkdown(item.text.strip().splitlines()[0])
            about = _PROMO_ABOUT.match(first)
            if about is not None and about.group("name").lower() not in _GENERIC_AUTHORS:
                return about.group("name").strip()
    return None


def _credit_outlet(text: str, removed: list[Removed]) -> str | None:
    lines = [r.text for r in removed if r.reason == "credit"]
    lines += [line for line in _lines(text) if len(line) <= MAX_CREDIT_LINE]
    for line in lines:
        pieces = _credit_pieces(line.strip())
        if pieces is None:
            continue
        for piece in pieces:
            if piece not in _ALIAS_TO_AGENCY and not _BY_RE.match(piece) and len(piece) > 1:
                return piece
    return None


# An outlet's name as written: capitalised words with the joiners names use ("Le Courrier de
# l'Asie centrale" is out of reach: lower-case words end it). Bounded: no backtracking.
_NAME_WORD = r"[A-Z][\w&.-]{0,30}+(?:['’](?!s\b)\w{1,20}+)?"
_NAME = rf"{_NAME_WORD}(?:\s(?:(?:of|the|de|del|al|and|&)\s)?{_NAME_WORD}){{0,5}}"
#: Staff bios: "X is the Quetta Chronicle's correspondent", "covers water for the Kabul Ledger".
_BIO_OUTLET = re.compile(
    rf"\bis\s(?:the|a|an)\s(?P<a>{_NAME})['’]s\s(?:[a-z-]+\s){{0,3}}?"
    r"(?:correspondent|reporter|editor|writer|columnist|contributor|bureau chief|journalist)"
    rf"|\b(?:correspondent|reporter|editor|columnist|contributor|journalist|bureau chief)"
    rf"\s(?:for|at|with)\s(?:the\s)?(?P<b>{_NAME})"
    rf"|\b(?:reports|writes|covers|reported|wrote|covered)\s[^.\n]{{0,100}}?\sfor\s(?:the\s)?"
    rf"(?P<c>{_NAME})"
)
#: "© 2024 Frontier Monitor. All rights reserved.", "Copyright (c) 2019-2024 The Daily X".
_COPYRIGHT = re.compile(
    r"(?:©|&copy;|&#169;|\(c\)|\bCopyright\b)(?:\s*(?:©|&copy;|\(c\)))?\s*"
    r"(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    rf"(?P<name>{_NAME})"
)
_NAME_RUN = re.compile(_NAME)
_HTML_TITLE = re.compile(r"<title[^>]{0,200}>([^<]{1,300})</title>", re.IGNORECASE)
_DOMAIN_LIKE = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_NAME_END_WORDS = frozenset({"All", "Inc", "Ltd", "LLC", "Pvt", "Rights", "Reserved"})
MAX_BIO_CHARS = 400


def _trim_name(name: str) -> str | None:
    words = name.split()
    for i, word in enumerate(words):  # "Helmand Times. All rights": the name ends at its period
        if word.endswith(".") and "." not in word[:-1] and len(word) > 2:
            words = words[: i + 1]
            break
    words = [*words[:-1], words[-1].rstrip(".")] if words else words
    while words and (words[-1].rstrip(".") in _NAME_END_WORDS or words[-1] in {"of", "the", "&"}):
        words.pop()
    name = " ".join(words)
    if not name or name in _ALIAS_TO_AGENCY or len(name) < 3:
        return None
    return name


def _bio_snippets(article: Article) -> list[str]:
    snippets = [r.text for r in article.removed if r.reason in ("author_box", "promo")]
    snippets += list(_lines(article.text[-3_000:]))[-4:]
    return [s for s in snippets if len(s) <= MAX_BIO_CHARS]


def bio_outlet(article: Article) -> str | None:
    """The outlet a staff bio names: "Jane Roe is the Quetta Chronicle's correspondent..."."""
    for snippet in _bio_snippets(article):
        match = _BIO_OUTLET.search(_demarkdown(snippet))
        if match is not None:
            name = _trim_name(match.group("a") or match.group("b") or match.group("c"))
            if name:
                return name.removeprefix("The ") if match.group("a") else name
    return None


def copyright_outlet(article: Article) -> str | None:
    """The owner a copyright line names ("© 2024 Frontier Monitor. All rights reserved.")."""
    snippets = [r.text for r in article.removed if len(r.text) <= MAX_BIO_CHARS]
    snippets += list(_lines(article.text[-3_000:]))[-6:]
    if article.html:
        snippets += re.findall(r"(?:©|&copy;|&#169;|Copyright)[^<]{0,120}", article.html[-200_000:])
    for snippet in snippets:
        match = _COPYRIGHT.search(snippet)
        if match is not None:
            name = _trim_name(match.group("name"))
            if name:
                return name
    return None


def _host_letters(domain: str) -> str:
    """The name part of a registered domain as bare letters: "frontier-monitor.example" ->
    "frontiermonitor"."""
    return fold(registered_domain(domain).split(".")[0], "letters")


def _name_texts(article: Article) -> Iterator[str]:
    yield article.text[:100_000]
    for item in article.removed:
        yield item.text[:2_000]
    if article.html:
        title = _HTML_TITLE.search(article.html[:200_000])
        if title is not None:
            yield title.group(1)
        yield from re.findall(r"(?:©|&copy;|&#169;)[^<]{0,120}", article.html[-200_000:])
        yield from re.findall(
            r'class="[^"]{0,40}logo[^"]{0,40}"[^>]{0,300}>([^<]{1,80})<', article.html[:200_000]
        )


def host_display_name(domain: str, article: Article) -> str | None:
    """The name the article gives the outlet whose web address is ``domain``, or None.

    A bare host ("quettachronicle.example") becomes a display name only when the text, a removed
    line or the page's title, logo or copyright names something whose letters are the host's
    ("Quetta Chronicle", "Frontier Monitor" for "frontier-monitor"), case and spaces aside. We
    never invent the spacing or capitals of a name the article does not write.
    """
    want = _host_letters(domain)
    if len(want) < 4:
        return None
    for text in _name_texts(article):
        if want[:3] not in fold(text, "letters"):
            continue
        for run in _NAME_RUN.finditer(text):
            words = run.group(0).split()
            for i in range(len(words)):
                for j in range(i + 1, len(words) + 1):
                    name = re.sub(r"['’]s$", "", " ".join(words[i:j])).strip(".,'’")
                    letters = fold(name, "letters")
                    if letters == want or (
                        name.startswith("The ") and fold(name[4:], "letters") == want
                    ):
                        return (
                            name.removeprefix("The ") if fold(name[4:], "letters") == want else name
                        )
                    if len(letters) > len(want):
                        break
    return None


def outlet_candidates(article: Article) -> list[tuple[str, str]]:
    """Every outlet name the article offers, with its provenance, best first (see the docs)."""
    found: list[tuple[str, str]] = []
    record = article.fields.get("outlet") if isinstance(article.fields, dict) else None
    if isinstance(record, str) and record.strip():
        found.append((record.strip(), "record"))
    if article.outlet:
        how = article.provenance.get("outlet", "html-meta")
        if _DOMAIN_LIKE.fullmatch(article.outlet.lower()) and not how.startswith("host-name"):
            # trafilatura falls back to the host name for a page's site name.
            named = host_display_name(article.outlet, article)
            if named:
                found.append((named, "host-name"))
        found.append((article.outlet, how))
    by_table: list[tuple[str, str]] = []
    by_domain: list[tuple[str, str]] = []
    for url in article_urls(article):
        name, known = outlet_from_url(url)
        if name and not known:
            named = host_display_name(name, article)
            if named:
                by_domain.append((named, "host-name"))
        if name:
            (by_table if known else by_domain).append((name, "url-host"))
    found += by_table
    promo = _promo_outlet(article.removed)
    if promo:
        found.append((promo, "promo-block"))
    for item in article.removed:
        if item.reason == "outlet_name" and 1 < len(item.text.strip()) <= 60:
            found.append((_demarkdown(item.text.strip()), "outlet-name"))
    owner = copyright_outlet(article)
    if owner:
        found.append((owner, "copyright"))
    found += by_domain
    bio = bio_outlet(article)
    if bio:
        found.append((bio, "staff-bio"))
    credit = _credit_outlet(article.text, article.removed)
    if credit:
        found.append((credit, "credit-line"))
    unique: list[tuple[str, str]] = []
    for name, how in found:
        if all(name != seen for seen, _ in unique):
            unique.append((name, how))
    return unique


def find_outlet(article: Article) -> tuple[str | None, str]:
    """The outlet that published this copy of the article, and how it was found.

    Precedence: input record ``fields["outlet"]`` ("record") > an outlet already set by the HTML
    extractor (its provenance, usually "html-meta"; when that is a bare host name, the name the
    page writes for it comes first, "host-name") > a known URL host ("url-host") > a promo block
    "About <Name>" ("promo-block") > an outlet-name line ("outlet-name") > a copyright line
    ("copyright") > any other URL host, as the name the article writes for it ("host-name") or
    else its registered domain ("url-host") > a staff bio ("staff-bio") > the non-agency part of a
    credit line such as "AFP/Al Arabiya" ("credit-line"). The credit line comes last because it
    names where the *text* came from, which for a reprint is not the outlet that published this
    copy; a bio may be copied with a reprint too. ``(None, "")`` when nothing.
    """
    candidates = outlet_candidates(article)
    if not candidates:
        return None, ""
    return candidates[0]


class BylineStage(Stage):
    """Sets agencies, byline, dateline and outlet, each with its provenance.

    Values a reader or the HTML extractor already set (byline, outlet) are kept. The other outlet
    candidates and the photo agencies go to ``article.extras`` for syndication analysis.
    """

    name = "bylines"
    version = "2"
    reads = ("text", "removed", "url")
    adds = ("agencies", "byline", "dateline", "outlet")

    def process(self, article: Article) -> None:
        agencies = find_agencies(article.text, article.removed)
        if agencies:
            article.agencies = agencies
            article.provenance["agencies"] = "credits"
        photo = find_photo_agencies(article.text, article.removed)
        if photo:
            article.extras["photo_agencies"] = photo
        if not article.byline:
            byline = _byline_with_source(article.removed, article.text)
            if byline is not None:
                article.byline, article.provenance["byline"] = byline
        dateline = find_dateline(article.text)
        if dateline:
            article.dateline = dateline
            article.provenance["dateline"] = "lead"
        candidates = outlet_candidates(article)
        if candidates:
            article.outlet, how = candidates[0]
            article.provenance["outlet"] = how
            if len(candidates) > 1:
                article.extras["outlet_candidates"] = [list(c) for c in candidates]
