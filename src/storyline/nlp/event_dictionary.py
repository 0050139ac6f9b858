"""The PLOVER event dictionary: verb, frame and noun patterns read from ``verbs.toml``.

Verbs are inflected by suffix rules plus a small table of irregular forms, so no lemmatiser is
needed; `load_dictionary` expands the file once per process into patterns keyed by first word."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from storyline.errors import InputError

DICTIONARY_PATH = Path(__file__).resolve().parents[1] / "data" / "plover" / "verbs.toml"

#: The PLOVER event types, in the order of the ontology.
PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "COOPERATE",
    "AID",
    "CONCEDE",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
#: A gap of up to a few words inside a pattern ("called on ... to").
GAP = "..."


@dataclass(frozen=True)
class Pattern:
    """One dictionary entry: a word sequence (``...`` is a gap) coding to a PLOVER category."""

    category: str
    words: tuple[str, ...]
    kind: str  # verb | frame | noun | blocked (looks like a trigger, is none)
    entry: str  # as written in the dictionary, for Event.rule
    base_form: bool = False  # first word is the lemma, its -s or -ing form (could be a noun)

    @property
    def strong(self) -> bool:
        return self.kind != "noun"


@dataclass
class Dictionary:
    """The loaded dictionary: patterns by first word, modifiers, and word lists."""

    patterns: dict[str, list[Pattern]] = field(default_factory=dict)
    modifiers: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    determiners: frozenset[str] = frozenset()
    cooperative: frozenset[str] = frozenset()
    hostile: frozenset[str] = frozenset()
    lowercase_only: frozenset[str] = frozenset()
    version: str = "1"

    def add(self, pattern: Pattern) -> None:
        self.patterns.setdefault(pattern.words[0], []).append(pattern)


def inflect(lemma: str, irregular: dict[str, list[str]] | None = None) -> dict[str, bool]:
    """Forms of a verb lemma by English suffix rules, mapped to whether they could be a noun.

    ``agree`` gives agree, agrees, agreed, agreeing; ``deny`` denies, denied, denying. Doubled
    consonants and strong verbs (met, held, banned) come from ``irregular``.
    """
    forms: dict[str, bool] = {lemma: True}
    if lemma.endswith("ee"):
        extra = [lemma + "s", lemma + "d", lemma + "ing"]
    elif lemma.endswith("e"):
        extra = [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    elif lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in "aeiou":
        extra = [lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        extra = [lemma + "es", lemma + "ed", lemma + "ing"]
    else:
        extra = [lemma + "s", lemma + "ed", lemma + "ing"]
    forms[extra[0]] = True  # "attacks", "talks": a plural noun too
    forms.setdefault(extra[1], False)
    forms[extra[2]] = True  # "meeting", "freezing": a noun too
    for form in (irregular or {}).get(lemma, []):
        forms.setdefault(form, False)
    return forms


def _phrase_words(text: str) -> list[str]:
    return [w.replace("’", "'") for w in text.lower().split()]


@lru_cache(maxsize=4)
def load_dictionary(path: str | None = None) -> Dictionary:
    """Read and expand the TOML dictionary once per process."""
    with open(path or DICTIONARY_PATH, "rb") as handle:
        data = tomllib.load(handle)
    irregular = data.get("irregular", {})
    book = Dictionary(version=str(data.get("version", "1")))
    for category, spec in data["categories"].items():
        if category not in PLOVER_TYPES:
            raise InputError(
                str(path or DICTIONARY_PATH),
                f"unknown PLOVER category {category!r}; use one of {', '.join(PLOVER_TYPES)}",
            )
        for kind in ("verbs", "frames"):
            for entry in spec.get(kind, []):
                literal = entry.startswith("=")
                words = _phrase_words(entry.lstrip("="))
                firsts = {words[0]: False} if literal else inflect(words[0], irregular)
                for first, base in firsts.items():
                    book.add(Pattern(category, (first, *words[1:]), kind[:-1], entry, base))
        for entry in spec.get("nouns", []):
            words = _phrase_words(entry)
            last = words[-1]
            plural = last + ("es" if last.endswith(("s", "sh", "ch", "x")) else "s")
            for form in {last, plural}:
                book.add(Pattern(category, (*words[:-1], form), "noun", entry))
    for entry in data.get("blocked", {}).get("phrases", []):
        literal = entry.startswith("=")
        words = _phrase_words(entry.lstrip("="))
        firsts = {words[0]: False} if literal else inflect(words[0], irregular)
        for first in firsts:
            book.add(Pattern("", (first, *words[1:]), "blocked", entry))
    for kind, phrases in data.get("modifiers", {}).items():
        for phrase in phrases:
            sequence = tuple(_phrase_words(phrase))
            book.modifiers.setdefault(sequence[0], []).append((sequence, kind))
    groups = data.get("groups", {})
    book.cooperative = frozenset(groups.get("cooperative", []))
    book.hostile = frozenset(groups.get("hostile", []))
    book.determiners = frozenset(
        _phrase_words(" ".join(data.get("nouns", {}).get("determiners", [])))
    )
    book.lowercase_only = frozenset(data.get("rules", {}).get("lowercase_only", []))
    return book
