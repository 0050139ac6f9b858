"""Actor linking inside one article: every mention gets a deterministic canonical actor key.

Stages never talk to the store, so linking has two halves. This module is the first: `ActorStage`
sets ``Mention.actor_id`` to a key that is the same for the same real-world entity in every article,
and records the rule that chose it in ``Mention.link``. The second half,
`storyline.store.actors`, merges keys across the store (an acronym defined in one article links the
bare acronym everywhere) and applies the analysts' corrections.

Keys, in the order tried:

``gazetteer``   an alias of a gazetteer actor (any spelling whose name key matches) → its id
``acronym``     "Long Form (LF)" in this article: LF, here and later, is the long form's actor
``short-form``  "Qomi" after "Hassan Kazemi-Qomi": the surname of a person named in the article
``demonym``     "Iranian" → the country (gazetteer demonyms, else pycountry name + suffix rules)
``country``     a country name pycountry knows → ``country-xx``
``metonym``     a capital used as an agent ("Tehran never recognized…") → its country; the same
                capital after "in", "to", "from"… stays the city
``name-key``    otherwise a spelling-insensitive key of the name: ``person:hasn-kazm-kum``

The person name key folds transliteration variants: apostrophes and hyphens go, ``q``/``gh`` →
``k``, ``w`` → ``v``, doubled letters collapse, ``h`` after a consonant drops, and all vowels
drop except the class of the first one (a | e,i | o,u), so "Hossein"/"Hussein" and
"Kazemi-Qomi"/"Kazmi Qomi" meet while "Hassan" and "Hossein" stay apart.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, ClassVar

from storyline import names
from storyline.article import LABEL_KINDS, Article, Mention
from storyline.nlp.gazetteer import Gazetteer, default_gazetteer, norm_surface
from storyline.pipeline import Stage

#: Honorifics and ranks stripped before keying a person's name.
HONORIFICS = frozenset(
    """mr mrs ms dr prof president prime minister general gen brigadier colonel col major maj
    captain capt lieutenant lt ambassador ayatollah hojatoleslam sheikh shaykh mullah mawlawi
    maulvi mawlana maulana haji hajji sayyid seyyed syed sir lord dame king queen prince
    inspector sardar""".split()
)
LOCATIVE = frozenset(
    """in to from at near into inside outside across around via toward towards visit visited
    visiting visits reached arrived left leaving capital city streets outskirts""".split()
)
ROLE_NOUNS = (
    r"minister|president|envoy|ambassador|spokesman|spokeswoman|spokesperson|commander|leader|"
    r"diplomat|representative|secretary|adviser|advisor|director|governor|chief|general|head|"
    r"official|premier|king|emir|mayor|judge|speaker|chairman|chairwoman|chair|counterpart"
)
_ROLE_BEFORE = re.compile(
    r"(?:(?:[A-Z][\w.-]*(?:’s|'s)|[A-Z][a-z]+(?:ian|ani|an|ese|ish|i)|U\.S\.|US|UN|Taliban)\s+)?"
    r"(?:(?:[Aa]cting|[Cc]aretaker|[Ii]nterim|[Ff]ormer|[Dd]eputy|[Ss]pecial|[Tt]op|[Ff]irst|"
    r"[Ss]econd|[Ss]enior|[Ff]oreign|[Ii]nterior|[Pp]rime|[Vv]ice|[Mm]ilitary|[Ss]upreme|"
    r"[Dd]efen[cs]e|[Pp]ermanent)[\s-]+)*"
    r"(?i:" + ROLE_NOUNS + r")"
    r"(?:\s+(?:to|on|for|of)\s+(?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)?\s+$"
)
_ROLE_AFTER = re.compile(
    r"^,\s+(?:the|a|an|[A-Z][\w-]*(?:’s|'s))\s+([^,.;:\n“”\"]{3,90}?)(?=,|\.|;|\s+who\s)"
)
_ROLE_NOUN = re.compile(r"\b(?:" + ROLE_NOUNS + r")s?\b", re.IGNORECASE)
#: Where a role phrase cannot reach back across: sentence ends, commas, quotes, line breaks.
_BOUNDARY = re.compile(r"(?:[a-z0-9)][.!?]\s|[,;:“”\"(\n]\s*)")


# -- name keys ---------------------------------------------------------------------------------
def fold(text: str) -> str:
    """The words every key is built from: `storyline.names.fold` keeping ASCII words
    ("Kazemi-Qomi" -> "kazemi qomi", "O’Brien" -> "obrien")."""
    return names.fold(text, "words")


_VOWEL_CLASS = {"a": "a", "e": "i", "i": "i", "y": "i", "o": "u", "u": "u"}


def name_key(name: str) -> str:
    """Spelling-insensitive key of a person's name (see the module docstring)."""
    words = [w for w in fold(name).split() if w not in HONORIFICS]
    if not words:
        return ""
    joined = "".join(words)
    first_vowel = next((_VOWEL_CLASS[c] for c in words[0] if c in _VOWEL_CLASS), "")
    s = joined.replace("gh", "k").replace("q", "k").replace("ck", "k").replace("w", "v")
    s = s.replace("ph", "f").replace("ou", "u").replace("ee", "i")
    head, rest = s[0], s[1:]
    skeleton: list[str] = []
    for c in rest:
        if c in _VOWEL_CLASS or c == "h":
            continue
        if skeleton and skeleton[-1] == c:
            continue
        skeleton.append(c)
    head = _VOWEL_CLASS.get(head, head)
    # The name's last sound: "Khan" and "Ghani" share a skeleton (kn) but not an ending.
    ending = s[:-1] if len(s) > 2 and s[-1] == "h" and s[-2] in _VOWEL_CLASS else s
    final = _VOWEL_CLASS.get(ending[-1], "") if len(ending) > 1 else ""
    return head + first_vowel + "".join(skeleton) + final


def _classed(word: str) -> str:
    """A word with the key's spelling folds but its vowels kept by class, runs collapsed:
    "Kazemi-Qomi" → kazimikumi, "Khan" → kan, "Ghani" → kani."""
    s = word.replace("gh", "k").replace("q", "k").replace("ck", "k").replace("w", "v")
    s = s.replace("ph", "f").replace("ou", "u").replace("ee", "i").replace("h", "")
    s = "".join(_VOWEL_CLASS.get(c, c) for c in s)
    return re.sub(r"(.)\1+", r"\1", s)


def surnames_agree(a: str, b: str) -> bool:
    """Two spellings of one person's name end in the same surname, vowels included.

    The name key drops inner vowels and word breaks, so it cannot tell "Ayesha Rauf Khan" from
    "Ashraf Ghani"; this check can. Each name's last word must end the other name (word breaks
    aside: "Rahmani-Fard" / "Rahmanifard", "Kazemi-Qomi" / "Kazmi Qomi" agree).
    """
    pa, pb = _name_parts(a), _name_parts(b)
    if not pa or not pb:
        return False
    ja, jb = _classed("".join(pa)), _classed("".join(pb))
    return ja.endswith(_classed(pb[-1])) and jb.endswith(_classed(pa[-1]))


def phrase_key(name: str) -> str:
    """Key of an organisation or place: folded words, vowels classed, doubles collapsed."""
    words = fold(name).split()
    if words[:1] == ["the"]:
        words = words[1:]
    out = []
    for w in words:
        w = w.replace("gh", "k").replace("q", "k").replace("w", "v")
        w = "".join(_VOWEL_CLASS.get(c, c) for c in w)
        w = re.sub(r"(.)\1+", r"\1", w)
        out.append(w)
    return "-".join(out)


def mention_key(text: str, label: str) -> str | None:
    """The key a mention gets when nothing better is known; None for non-actor labels."""
    kind = LABEL_KINDS.get(label)
    if kind is None:
        return None
    if kind == "person":
        key = name_key(text)
    elif kind == "org" and text.isupper() and len(text) <= 8:
        key = fold(text).replace(" ", "")
    else:
        if kind == "group" and text.endswith("s") and not text.endswith(("ss", "ese")):
            text = text[:-1]  # "Sunnis" and "Sunni" are one group
        key = phrase_key(text)
    return f"{kind}:{key}" if key else None


# -- countries and demonyms --------------------------------------------------------------------
@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Folded country names (pycountry name, common and official names) → alpha-2 code."""
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(fold(value), c.alpha_2)
                short = value.split(",")[0]
                names.setdefault(fold(short), c.alpha_2)
    return names


def country_code(name: str, gazetteer: Gazetteer | None = None) -> str | None:
    """ISO alpha-2 of a country name ("Iran", "the United States", "Tajikistan"), else None."""
    gaz = gazetteer or default_gazetteer()
    entry = gaz.lookup(name)
    if entry is not None:
        return entry.country if entry.type == "country" else None
    folded = fold(name)
    if folded.startswith("the "):
        folded = folded[4:]
    return _countries().get(folded)


def demonym_country(word: str, gazetteer: Gazetteer | None = None) -> str | None:
    """Country of a demonym: the gazetteer's list, else suffix rules over pycountry names.

    "Iranian" → Iran + "ian", "Pakistani" → Pakistan + "i", "Tajik" → Tajik + "istan",
    "Chinese" → Chin(a) + "ese". pycountry has no demonyms, hence the rules.
    """
    gaz = gazetteer or default_gazetteer()
    entry = gaz.by_demonym.get(norm_surface(word))
    if entry is not None:
        return entry.country
    w = fold(word)
    if w.endswith("s") and not w.endswith(("ss", "ese")):
        w = w[:-1]
    countries = _countries()
    candidates = [w + "istan", w + "stan", w + "ia"]
    for suffix, repl in (
        ("ian", ""),
        ("ian", "ia"),
        ("an", ""),
        ("an", "a"),
        ("i", ""),
        ("ese", "a"),
        ("ese", ""),
        ("ish", ""),
    ):
        if w.endswith(suffix):
            candidates.append(w[: -len(suffix)] + repl)
    for c in candidates:
        if c in countries:
            return countries[c]
    return None


# -- the stage ---------------------------------------------------------------------------------
class ActorStage(Stage):
    """Links each mention to a canonical actor key and reads the role stated next to it."""

    name: ClassVar[str] = "actors"
    version: ClassVar[str] = "2"
    reads: ClassVar[tuple[str, ...]] = ("mentions",)
    adds: ClassVar[tuple[str, ...]] = ("mentions",)

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.gazetteer: Gazetteer | None = None

    def setup(self) -> None:
        self.gazetteer = default_gazetteer()
        _gazetteer_key_aliases(self.gazetteer)
        _countries()

    def process(self, article: Article) -> None:
        if self.gazetteer is None:
            self.setup()
        assert self.gazetteer is not None
        link_mentions(article.text, article.mentions, self.gazetteer)


@lru_cache(maxsize=4)
def _gazetteer_keys(gaz: Gazetteer) -> dict[str, str]:
    """Name keys of every gazetteer alias → entry id, so any spelling finds the entry."""
    return {key: entry_id for key, (entry_id, _) in _gazetteer_key_aliases(gaz).items()}


@lru_cache(maxsize=4)
def _gazetteer_key_aliases(gaz: Gazetteer) -> dict[str, tuple[str, str]]:
    """Name keys → (entry id, the alias that gave the key), so a key match on a person can be
    checked against the alias it matched."""
    keys: dict[str, tuple[str, str]] = {}
    for entry in gaz.entries.values():
        kind = {"person": "PERSON", "organisation": "ORG"}.get(entry.type, "GPE")
        for alias in (entry.name, *entry.aliases):
            key = mention_key(alias, kind)
            if key:
                keys.setdefault(key, (entry.id, alias))
    return keys


def link_mentions(text: str, mentions: Sequence[Mention], gaz: Gazetteer) -> None:
    """Set ``actor_id``, ``link`` and ``role`` on every mention of one article."""
    gkeys = _gazetteer_key_aliases(gaz)
    people = _People()  # full names seen so far, found by the keys of their parts
    acronyms: dict[str, str] = {}
    previous: Mention | None = None
    for m in mentions:
        m.actor_id, m.link = None, ""
        actor, link = _link_one(text, m, gaz, gkeys, people, acronyms, previous)
        m.actor_id, m.link = actor, link
        if m.label == "PERSON":
            parts = _name_parts(m.text)
            if len(parts) >= 2 and m.actor_id:
                people.add(m, parts)
            m.role = role_of(text, m)
        previous = m
    # Short forms that come before their full name ("Qomi … Hassan Kazemi-Qomi" is rare, but
    # headlines do it): a second pass links them to the first full name that follows.
    for m in mentions:
        if m.label == "PERSON" and m.link == "name-key" and len(_name_parts(m.text)) <= 2:
            full = people.nearest(m, after=True)
            if full is not None:
                m.actor_id, m.link = full.actor_id, "short-form"


def _link_one(
    text: str,
    m: Mention,
    gaz: Gazetteer,
    gkeys: dict[str, tuple[str, str]],
    people: _People,
    acronyms: dict[str, str],
    previous: Mention | None,
) -> tuple[str | None, str]:
    surface = norm_surface(m.text)
    if m.label not in LABEL_KINDS:
        return None, ""
    # An acronym defined right here: "Long Form (LF)", when LF spells the long form. A credit
    # such as "ZABOL, Iran (AP)" puts an agency's acronym after a place it does not spell.
    if (
        m.label == "ORG"
        and _acronym_like(surface)
        and previous is not None
        and previous.actor_id
        and text[previous.end : m.start].strip() == "("
        and spells(surface, norm_surface(previous.text))
    ):
        acronyms[surface] = previous.actor_id
        return previous.actor_id, "acronym"
    if surface in acronyms:
        return acronyms[surface], "acronym"
    entry = gaz.lookup(surface)
    if entry is not None and (entry.label == m.label or _compatible(entry.label, m.label)):
        if entry.capital_of and _metonymic(text, m):
            return f"country-{entry.capital_of.lower()}", "metonym"
        return entry.id, "gazetteer"
    if m.label == "NORP":
        code = demonym_country(surface, gaz)
        if code:
            return f"country-{code.lower()}", "demonym"
        if not surface.endswith("s") and re.match(r"\s+[a-z]", text[m.end : m.end + 3]):
            # An adjective ("the wider Islamic world", "Sunni militants"): it describes the
            # noun after it, which is the actor if any; the adjective alone is none.
            return None, ""
    if m.label in ("GPE", "LOC"):
        code = country_code(surface, gaz)
        if code:
            return f"country-{code.lower()}", "country"
    if m.label == "PERSON":
        full = people.nearest(m, after=False)
        if full is not None:
            return full.actor_id, "short-form"
    key = mention_key(surface, m.label)
    if key is None:
        return None, ""
    if key in gkeys:
        entry_id, alias = gkeys[key]
        # Same key is not enough for people: the surname must agree, vowels included.
        if m.label != "PERSON" or surnames_agree(surface, alias):
            return entry_id, "gazetteer"
    return key, "name-key"


def _acronym_like(surface: str) -> bool:
    """One word, capital first, two capitals or more: "TTP", "PoR", "IS-K"."""
    return " " not in surface and surface[:1].isupper() and sum(c.isupper() for c in surface) >= 2


def spells(acronym: str, long_form: str) -> bool:
    """The acronym's capitals are the initials of the long form's words, in order, starting
    with the first: TTP ← Tehreek-e-Taliban Pakistan, PoR ← Proof of Registration, ISKP ←
    Islamic State Khorasan Province; AP is not spelled by "Iran"."""
    letters = [c for c in acronym if c.isupper()]
    initials = [w[0].upper() for w in re.split(r"[\s\-]+", long_form) if w[:1].isupper()]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    i = 0
    for c in initials:
        if i < len(letters) and c == letters[i]:
            i += 1
    return i == len(letters)


def _compatible(expected: str, found: str) -> bool:
    places = {"GPE", "LOC", "FAC"}
    return expected in places and found in places


def _metonymic(text: str, m: Mention) -> bool:
    """A capital used as an agent: not after a locative word, not a dateline."""
    if m.rule == "fix:dateline":
        return False
    start = m.start + 4 if m.text[:4].lower() == "the " else m.start  # the name, after "the"
    before = text[max(0, start - 30) : start].split()
    word = before[-1].lower().strip(",") if before else ""
    # "the Tehran talks": a capital naming a meeting or deal is the city, not the state.
    return word not in LOCATIVE and word != "the"


def _name_parts(name: str) -> list[str]:
    """Name words without honorifics, hyphenated parts split: "Kazemi-Qomi" → kazemi, qomi."""
    name = norm_surface(name)  # a span keeps its leading "the"; the name does not
    return [w for w in fold(name.replace("-", " ")).split() if w not in HONORIFICS]


class _People:
    """Full names of people in one article, found by the name keys of their parts.

    A short form is the nearest full name whose last one or two words spell it (by name key),
    or whose first words do when the short form has two or more ("Ayesha Rauf" → "Ayesha Rauf
    Khan"). Why an index: comparing every short form with every full name is quadratic, and a
    page of bylines has thousands of both (issue 15).
    """

    def __init__(self) -> None:
        # key -> number of parts of the full name -> (starts, order added, mentions), by start
        self._index: dict[tuple[Any, ...], dict[int, tuple[list[int], list[int], list[Mention]]]]
        self._index = {}
        self._added = 0

    def add(self, full: Mention, parts: list[str]) -> None:
        keys: set[tuple[Any, ...]] = {
            ("tail", name_key(" ".join(parts[-k:]))) for k in (1, 2) if k <= len(parts)
        }
        keys |= {("head", j, name_key(" ".join(parts[:j]))) for j in range(2, len(parts))}
        for key in keys:
            starts, order, mentions = self._index.setdefault(key, {}).setdefault(
                len(parts), ([], [], [])
            )
            i = bisect.bisect_right(starts, full.start)
            starts.insert(i, full.start)
            order.insert(i, self._added)
            mentions.insert(i, full)
        self._added += 1

    def nearest(self, m: Mention, *, after: bool) -> Mention | None:
        """The nearest full name for the short form ``m``, after it or at or before it."""
        parts = _name_parts(m.text)
        short = name_key(" ".join(parts))
        if not short:
            return None
        groups = [g for n, g in self._index.get(("tail", short), {}).items() if n > len(parts)]
        if len(parts) >= 2:
            groups += list(self._index.get(("head", len(parts), short), {}).values())
        best: tuple[int, int, Mention] | None = None
        for starts, order, mentions in groups:
            i = bisect.bisect_right(starts, m.start)
            if after:
                if i < len(starts):
                    # several names may start at one offset (hand-built lists): first added wins
                    j = min(range(i, bisect.bisect_right(starts, starts[i])), key=order.__getitem__)
                    found = (starts[j] - m.start, order[j], mentions[j])
                    best = found if best is None or found[:2] < best[:2] else best
                continue
            j = i - 1
            while j >= 0 and mentions[j] is m:
                j -= 1
            if j >= 0:
                first = bisect.bisect_left(starts, starts[j])
                k = min(
                    (x for x in range(first, j + 1) if mentions[x] is not m),
                    key=order.__getitem__,
                )
                found = (m.start - starts[k], order[k], mentions[k])
                best = found if best is None or found[:2] < best[:2] else best
        return best[2] if best is not None else None


def role_of(text: str, m: Mention) -> str | None:
    """The title written right before the name, or in an apposition right after it."""
    before = text[max(0, m.start - 90) : m.start]
    cuts = [m.end() for m in _BOUNDARY.finditer(before)]
    if cuts:
        before = before[cuts[-1] :]
    match = _ROLE_BEFORE.search(before + " ") if before else None
    if match and match.group(0).strip():
        return " ".join(match.group(0).split())
    after = _ROLE_AFTER.match(text[m.end : m.end + 120])
    if after and _ROLE_NOUN.search(after.group(1)):
        return " ".join(after.group(1).split())
    return None
