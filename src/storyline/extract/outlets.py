"""The outlet that published this copy of an article, with where its name was found.

Why a module of its own: the outlet has more sources than any other credit (the record, the
page's metadata, the URL host, promo and outlet-name lines, a copyright line, a staff bio, a credit
line) and a precedence among them (`find_outlet`); a bare host name becomes a display name only
when the article itself writes that name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from storyline.article import Article, Removed
from storyline.extract.credits import (
    ALIAS_TO_AGENCY,
    BY_RE,
    GENERIC_AUTHORS,
    MAX_CREDIT_LINE,
    PROMO_ABOUT,
    credit_pieces,
    demarkdown,
    text_lines,
)
from storyline.names import fold

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

# Second-level labels under a country TLD ("tribune.com.pk", "bbc.co.uk", "gob.mx", "city.lg.jp");
# elsewhere the last two labels are the site ("wiadomosci.wp.pl" and "sport.wp.pl" are "wp.pl").
_SECOND_LEVEL = frozenset(
    "co com org net gov gouv edu ac news or ne go gob gv govt mil nic ltd plc sch nhs lg".split()
)

_URL_RE = re.compile(r"https?://[^\s<>()\"']{1,2000}")


def host_of(url: str | None) -> str | None:
    """The lower-cased host of a URL; None when it has none or is an IP address."""
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
    host = host_of(url)
    if host is None:
        return None, False
    domain = registered_domain(host)
    if domain in KNOWN_HOSTS:
        return KNOWN_HOSTS[domain], True
    return domain, False


def _promo_outlet(removed: list[Removed]) -> str | None:
    for item in removed:
        if item.reason == "promo" and item.text.strip():
            first = demarkdown(item.text.strip().splitlines()[0])
            about = PROMO_ABOUT.match(first)
            if about is not None and about.group("name").lower() not in GENERIC_AUTHORS:
                return about.group("name").strip()
    return None


def _credit_outlet(text: str, removed: list[Removed]) -> str | None:
    lines = [r.text for r in removed if r.reason == "credit"]
    lines += [line for line in text_lines(text) if len(line) <= MAX_CREDIT_LINE]
    for line in lines:
        pieces = credit_pieces(line.strip())
        if pieces is None:
            continue
        for piece in pieces:
            if piece not in ALIAS_TO_AGENCY and not BY_RE.match(piece) and len(piece) > 1:
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
    if not name or name in ALIAS_TO_AGENCY or len(name) < 3:
        return None
    return name


def _bio_snippets(article: Article) -> list[str]:
    snippets = [r.text for r in article.removed if r.reason in ("author_box", "promo")]
    snippets += list(text_lines(article.text[-3_000:]))[-4:]
    return [s for s in snippets if len(s) <= MAX_BIO_CHARS]


def bio_outlet(article: Article) -> str | None:
    """The outlet a staff bio names: "Jane Roe is the Quetta Chronicle's correspondent..."."""
    for snippet in _bio_snippets(article):
        match = _BIO_OUTLET.search(demarkdown(snippet))
        if match is not None:
            name = _trim_name(match.group("a") or match.group("b") or match.group("c"))
            if name:
                return name.removeprefix("The ") if match.group("a") else name
    return None


def copyright_outlet(article: Article) -> str | None:
    """The owner a copyright line names ("© 2024 Frontier Monitor. All rights reserved.")."""
    snippets = [r.text for r in article.removed if len(r.text) <= MAX_BIO_CHARS]
    snippets += list(text_lines(article.text[-3_000:]))[-6:]
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
            found.append((demarkdown(item.text.strip()), "outlet-name"))
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
