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

This module finds the byline and runs the stage. The other finders live next to it: `credits`
(the agency table and how credit lines read), `agencies`, `datelines` and `outlets`; their public
names are re-exported here.
"""

from __future__ import annotations

import re

from storyline.article import Article, Removed
from storyline.extract.agencies import CREDIT_REASONS, find_agencies, find_photo_agencies
from storyline.extract.credits import (
    AGENCIES,
    ALIAS_TO_AGENCY,
    BY_RE,
    GENERIC_AUTHORS,
    MAX_CREDIT_LINE,
    PROMO_ABOUT,
    canonical_agency,
    demarkdown,
    text_lines,
)
from storyline.extract.datelines import PERSIAN_AGENCIES, find_dateline, place_name
from storyline.extract.outlets import (
    KNOWN_HOSTS,
    MAX_BIO_CHARS,
    article_urls,
    bio_outlet,
    copyright_outlet,
    find_outlet,
    host_display_name,
    outlet_candidates,
    outlet_from_url,
    registered_domain,
)
from storyline.pipeline import Stage

__all__ = [
    "AGENCIES",
    "CREDIT_REASONS",
    "KNOWN_HOSTS",
    "MAX_BIO_CHARS",
    "MAX_CREDIT_LINE",
    "PERSIAN_AGENCIES",
    "BylineStage",
    "article_urls",
    "bio_outlet",
    "canonical_agency",
    "copyright_outlet",
    "find_agencies",
    "find_byline",
    "find_dateline",
    "find_outlet",
    "find_photo_agencies",
    "host_display_name",
    "outlet_candidates",
    "outlet_from_url",
    "place_name",
    "registered_domain",
]

_BYLINE_TAIL = re.compile(
    r"(?:[|•·]|\s[-–—]\s|,\s{0,3}(?:published|updated|posted)\b|\b(?:published|updated|posted)\b"
    r"|,\s{0,3}\d|\bpubli[ée]e?\b|\bver[öo]ffentlicht\b|\bpublicad[oa]\b|\bmis en ligne\b)"
    r"(?s:.*)",
    re.IGNORECASE,
)


def _clean_byline(raw: str) -> str | None:
    who = demarkdown(raw)
    by = BY_RE.match(who)
    if by is not None:
        who = by.group("who")
    who = _BYLINE_TAIL.sub("", who).strip(" \t,;:|-—–")
    who = re.sub(r"\s+", " ", who)
    if not who or len(who) > 100 or who.lower() in GENERIC_AUTHORS:
        return None
    return ALIAS_TO_AGENCY.get(who, who)


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
            first = demarkdown(item.text.strip().splitlines()[0]) if item.text.strip() else ""
            about = PROMO_ABOUT.match(first)
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
    lines = list(text_lines(text[:5_000]))
    for line in lines[:5]:
        if len(line) <= MAX_CREDIT_LINE and BY_RE.match(demarkdown(line)):
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


class BylineStage(Stage):
    """Sets agencies, byline, dateline and outlet, each with its provenance.

    Values a reader or the HTML extractor already set (byline, outlet) are kept. The other outlet
    candidates and the photo agencies go to ``article.extras`` for syndication analysis.
    """

    name = "bylines"
    version = "3"
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
