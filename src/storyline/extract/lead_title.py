"""A short title from the lead for an article whose text has no headline.

Some inputs begin with a photo caption or a date line instead of a headline (the caption is removed
by cleaning), so listings would show "(no title)". This stage derives a title from the first
sentence of the first paragraph: the dateline ("KABUL, Aug 27 (AFP) --") is dropped, and a long
sentence is cut at its last clause boundary within `MAX_WORDS` words, or else after `MAX_WORDS`
words with an ellipsis. The title is marked as derived: its provenance is ``lead``. A title an
earlier stage found (the reader, the HTML extractor, the cleaner) is never replaced.

It runs after `IdentityStage`, so an article's id (which hashes the title when there is no URL)
does not change because a title was derived.
"""

from __future__ import annotations

import re

from storyline.article import Article
from storyline.pipeline import Stage

__all__ = ["LEAD", "MAX_WORDS", "LeadTitleStage", "lead_title"]

#: The provenance of a derived title.
LEAD = "lead"
#: Longest derived title, in words.
MAX_WORDS = 14
#: A clause boundary is used as the end only when at least this many words come before it.
MIN_WORDS = 6

_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .'’-]{1,40}?"  # the place, usually in capitals
    r"(?:,[^-–—:()]{0,40})?"  # ", Aug 27" / ", Afghanistan"
    r"\s*(?:\([^)]{1,30}\))?"  # "(AFP)"
    r"\s*(?:--|—|–|-|:)\s+"
)
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])")
_CLAUSE = re.compile(r"[,;:—–]|\s-\s")
_SPACE = re.compile(r"\s+")


def _first_sentence(text: str) -> str:
    """The text up to the first sentence end that is not an abbreviation ("U.S.", "Mr.")."""
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start()].rsplit(None, 1)
        word = before[-1] if before else ""
        if text[match.start()] == "." and (len(word) <= 2 or "." in word):
            continue  # "U.S.", "Mr", "Gen": not the end of a sentence
        return text[: match.end()]
    return text


def lead_title(paragraphs: list[str]) -> str | None:
    """A short title from the first paragraph, or None when there is no usable lead."""
    lead = next((p for p in paragraphs if p.strip()), "")
    lead = _SPACE.sub(" ", lead).strip()
    if not lead:
        return None
    undated = _DATELINE.sub("", lead, count=1)
    if len(undated.split()) >= MIN_WORDS:
        lead = undated
    sentence = _first_sentence(lead).strip().rstrip(".").strip()
    words = sentence.split()
    if len(words) < 2:
        return None
    if len(words) <= MAX_WORDS:
        return sentence
    within = " ".join(words[:MAX_WORDS])
    cuts = [m.start() for m in _CLAUSE.finditer(within)]
    for cut in reversed(cuts):
        head = within[:cut].strip()
        if len(head.split()) >= MIN_WORDS:
            return head
    return " ".join(words[: MAX_WORDS - 2]).rstrip(",;:") + "…"


class LeadTitleStage(Stage):
    """Pipeline stage: a title derived from the lead when no stage found one (provenance
    ``lead``)."""

    name = "lead_title"
    version = "1"
    reads = ("title", "paragraphs", "id")
    adds = ("title",)

    def process(self, article: Article) -> None:
        if article.title and article.title.strip():
            return
        title = lead_title(article.paragraphs)
        if title:
            article.title = title
            article.provenance["title"] = LEAD
