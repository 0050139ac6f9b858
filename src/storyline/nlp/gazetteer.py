"""The region's recurring actors, and the rules that correct the small English model.

The gazetteer (``storyline/data/gazetteer/actors.jsonl``) lists canonical actors with their type,
NER label, country and aliases (spelling and transliteration variants, acronyms, demonyms). It is
matched with spaCy's ``PhraseMatcher`` (a hash lookup per token, no regex alternation) and used to:

- relabel what the model got wrong ("Da'ish" PERSON → ORG, "Kerman" NORP → GPE);
- extend or split spans ("Amir Khan" → "Amir Khan Muttaqi"; "U.S. Using Daesh" → "U.S." + "Daesh");
- add names the model missed (only aliases of 3+ characters; two-letter ones only relabel).

`EntityFixer.fix` then applies cheap text rules, each recorded in ``Mention.rule``:

- ``fix:dateline``: "TEHRAN --", "KABUL:" at the start of a line is a place; a section or sports
  header ("SOCCER -", "NHL ICE HOCKEY -", "BUSINESS:") is not, nor is a line whose rest is
  all capitals (a headline after a section label, not a dateline before prose);
- ``fix:section``: a mention the model glued across such a label ("TENNIS - Marlen Ostrova")
  loses the label; one that is only label and dash ("HOCKEY - WEEKEND") is dropped;
- ``fix:acronym``: "Organization of Islamic Cooperation (OIC) Council…" becomes the long form and
  the acronym; a broken "(FO" is repaired;
- ``fix:role-word``: an ORG made only of role words ("Caretaker", "Special Representative") is a
  title, not an organisation, and is dropped;
- ``fix:headline``: in a Title Case line, a span of verbs and adjectives ("Destabilize",
  "Imports Drop") is a headline fragment and is dropped;
- ``fix:breadcrumb``: "Home / Latest Updates /" is navigation, dropped;
- ``fix:whole-name``: "Persia" right after "Track", when "Track Persia" is a name elsewhere in
  the article, is that name;
- ``fix:short-form``: a surname of a person named earlier ("Mortazavi", "Raisi") is a PERSON,
  whatever the model said, and is added where the model missed it.

A gazetteer alias inside a longer proper-noun span never cuts it short: the model's "North
America", "China Steel" or "NEW DELHI" stays whole, and an alias written next to other
capitalised name words is not added on its own (``_inside_longer_name``).

Spans stay as written: a leading "the" the model includes ("the Foreign Office", "the United
States", "the Islamic Emirate", as OntoNotes, its training data, does) stays in the mention, and a
gazetteer match or fix rule inside such a span keeps it (`_core_start`), and a multi-word name
the gazetteer adds or completes is written the same way (`_with_the`). Only the actor is
normalised: lookups (`norm_surface`), actor keys and alias names leave the "the" out, so "the
Afghan Taliban" and "Afghan Taliban" are one actor (docs/actors.md, "Mention spans").
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from storyline.article import Article, Mention
from storyline.errors import InputError, PipelineError
from storyline.names import APOSTROPHES

#: Words that make a title, not a name: an ORG made only of these is a role.
ROLE_WORDS = frozenset(
    """acting caretaker interim former deputy special top first second third senior chief head
    foreign interior defence defense prime vice president minister ministers envoy ambassador
    spokesman spokeswoman spokesperson commander general leader diplomat representative
    secretary adviser advisor director governor official officials supreme military army
    national security affairs state executive permanent""".split()
)
#: Capitalised words that start sentences or headlines but are never entities on their own.
GENERIC_WORDS = frozenset(
    """media sources officials analysts home latest updates read more check also about admin
    platform statement reports report news breaking covid covid-19 coronavirus pandemic""".split()
)
FUNCTION_WORDS = frozenset("a an the of and or to in on for by with at from as".split())


@dataclass(frozen=True)
class GazetteerEntry:
    """One canonical actor of the region."""

    id: str
    name: str
    type: str  # person | organisation | country | place
    label: str  # the NER label its mentions should carry
    country: str | None = None  # ISO 3166-1 alpha-2
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital_of: str | None = None
    roles: tuple[dict[str, Any], ...] = ()


@dataclass(eq=False)
class Gazetteer:
    """Entries by id, and by alias surface form (apostrophes normalised)."""

    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    by_alias: dict[str, GazetteerEntry] = field(default_factory=dict)
    by_demonym: dict[str, GazetteerEntry] = field(default_factory=dict)
    by_country: dict[str, GazetteerEntry] = field(default_factory=dict)

    @classmethod
    def from_records(
        cls, records: Iterable[dict[str, Any]], source: str = "gazetteer records"
    ) -> Gazetteer:
        """Index the records; ``source`` names the file in the `InputError` a bad one raises."""
        gaz = cls()
        for rec in records:
            entry = GazetteerEntry(
                id=rec["id"],
                name=rec["name"],
                type=rec["type"],
                label=rec["label"],
                country=rec.get("country"),
                aliases=tuple(rec.get("aliases", ())),
                demonyms=tuple(rec.get("demonyms", ())),
                capital_of=rec.get("capital_of"),
                roles=tuple(rec.get("roles", ())),
            )
            if entry.id in gaz.entries:
                raise InputError(
                    source, f"gazetteer id {entry.id!r} appears twice; keep one record per id"
                )
            gaz.entries[entry.id] = entry
            for alias in (entry.name, *entry.aliases):
                gaz.by_alias.setdefault(norm_surface(alias), entry)
            for demonym in entry.demonyms:
                gaz.by_demonym.setdefault(norm_surface(demonym), entry)
            if entry.type == "country" and entry.country:
                gaz.by_country[entry.country] = entry
        return gaz

    def lookup(self, surface: str) -> GazetteerEntry | None:
        text = norm_surface(surface)
        return self.by_alias.get(text) or self.by_alias.get(_title(text))


def _title(text: str) -> str:
    """ "TEHRAN" → "Tehran", so all-caps datelines find their place."""
    return text.title() if text.isupper() and len(text) > 3 else text


def norm_surface(text: str) -> str:
    """Surface form for exact lookups: apostrophes unified, spaces collapsed, no leading "the"."""
    text = " ".join(text.translate(APOSTROPHES).split())
    if text[:4].lower() == "the ":
        text = text[4:]
    return text


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once per process."""
    path = resources.files("storyline").joinpath("data/gazetteer/actors.jsonl")
    lines = path.read_text("utf-8").splitlines()
    return Gazetteer.from_records((json.loads(line) for line in lines if line.strip()), str(path))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Verbs, adjectives and adverbs of English (the model's own lemmatizer tables).

    Nouns are left out on purpose: WordNet's noun list holds proper names ("iran", "khan").
    """
    import importlib

    from spacy.lookups import Lookups

    from storyline.nlp.model import MODEL_PACKAGE

    module = importlib.import_module(MODEL_PACKAGE)
    base = resources.files(module)
    folder = next(p for p in base.iterdir() if p.is_dir() and p.name.startswith("en_core"))
    lookups = Lookups().from_disk(str(folder / "lemmatizer" / "lookups"))
    index = lookups.get_table("lemma_index")
    words: set[str] = set()
    for pos in ("verb", "adj", "adv"):
        words.update(w for w in index[pos] if "_" not in w)
    return frozenset(words)


def is_common(word: str) -> bool:
    """A lowercase English verb/adjective/adverb, allowing simple inflections."""
    w = word.lower().translate(APOSTROPHES)
    words = common_words()
    if w in words or w in FUNCTION_WORDS:
        return True
    for suffix, repl in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ing", ""),
        ("ing", "e"),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2 and w[: -len(suffix)] + repl in words:
            return True
    return False


DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2})"
    r"(?:, [A-Z][A-Za-z.]+(?: [A-Z0-9][A-Za-z0-9.]*)?)?"
    r"(?: \([A-Za-z ]{1,30}\))? ?(?:--|—|–|:| -) ",
    re.MULTILINE,
)
#: Section and sports labels that open wire lines like datelines do ("SOCCER -", "NHL ICE HOCKEY -",
#: "BUSINESS:"): a word of these in the would-be place makes the line a header, not a dateline.
SECTION_WORDS = frozenset(
    """soccer football tennis golf cricket rugby baseball basketball hockey ice boxing cycling
    athletics swimming skiing motor racing motorcycling formula one sailing rowing wrestling
    judo squash badminton volleyball handball snooker darts horse equestrian olympics olympic
    nfl nba nhl mlb nascar fifa uefa league union sport sports results result standings scores
    business markets market finance economy world politics opinion editorial analysis feature
    features update breaking exclusive watch weather entertainment technology tech health
    science culture travel obituary correction corrected refile advisory preview factbox
    wrapup roundup""".split()
)
ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,6})\)?")
WORD = re.compile(r"[A-Za-z][\w'’.]*")


class EntityFixer:
    """Applies the gazetteer and the fix rules to the model's mentions of one article."""

    def __init__(self, gazetteer: Gazetteer, nlp: Any) -> None:
        from spacy.matcher import PhraseMatcher

        self.gazetteer = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._keys: dict[int, tuple[GazetteerEntry, bool]] = {}
        patterns: dict[str, tuple[GazetteerEntry, bool]] = {}
        for entry in gazetteer.entries.values():
            for alias in (entry.name, *entry.aliases):
                for variant in _variants(alias):
                    # Two-letter aliases ("IS", "FC") only relabel what the model found.
                    patterns.setdefault(variant, (entry, len(alias) >= 3))
        for text, (entry, addable) in patterns.items():
            label = f"gz:{entry.id}:{int(addable)}"
            self._keys[nlp.vocab.strings.add(label)] = (entry, addable)
            self.matcher.add(label, [nlp.make_doc(text)])

    @classmethod
    def default(cls, nlp: Any) -> EntityFixer:
        return cls(default_gazetteer(), nlp)

    # -- the rules -------------------------------------------------------------------------
    def fix(self, article: Article, doc: Any, mentions: list[Mention]) -> list[Mention]:
        text = article.text
        mentions = [_strip_title(_trim(m)) for m in mentions]
        mentions = [m for m in mentions if m.end > m.start]
        mentions = self._acronyms(text, mentions)
        mentions = self._gazetteer(doc, mentions)
        mentions = self._datelines(text, mentions)
        mentions = self._drop_non_entities(text, mentions)
        mentions = self._short_forms(text, mentions)
        mentions = _whole_names(text, mentions)
        mentions.sort(key=lambda m: (m.start, -m.end))
        return _dedupe(mentions)

    def _gazetteer(self, doc: Any, mentions: list[Mention]) -> list[Mention]:
        matches = []
        for key, start, end in self.matcher(doc):
            entry, addable = self._keys[key]
            span = doc[start:end]
            matches.append((span.start_char, span.end_char, entry, addable, span.text, start, end))
        # Longest first, then leftmost; overlapping shorter matches are dropped. Matches are
        # token spans, so a flag per token says what is taken: linear in the matches, not
        # quadratic (a page listing place names has thousands; issue 15).
        matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken = bytearray(len(doc))
        chosen = []
        for match in matches:
            if any(taken[match[5] : match[6]]):
                continue
            taken[match[5] : match[6]] = b"\x01" * (match[6] - match[5])
            chosen.append(match[:5])
        inside = _Inside(chosen)
        out = _MentionIndex(mentions)
        text = text_of(doc)  # once: a Doc joins its tokens on every .text (issue 15)
        for start, end, entry, addable, _ in chosen:
            overlapping = out.overlapping(start, end)
            rule = f"gazetteer:{entry.id}"
            if not overlapping:
                if addable and not _inside_longer_name(doc, text, start, end, inside):
                    begin = _with_the(text, start, end, entry.label)
                    out.add(Mention(text[begin:end], entry.label, begin, end, rule=rule))
                continue
            for m in overlapping:
                core = _core_start(m)
                if core == start and m.end == end:
                    # The name itself, or "the" and the name ("the Islamic Emirate"): as written.
                    if m.label != entry.label:
                        m.label, m.rule = entry.label, rule
                elif start <= core and m.end <= end:
                    # The model found part of the name ("Amir Khan"): take the whole alias,
                    # with the "the" it was written with when the name starts where it did.
                    begin = (
                        m.start
                        if m.start < core == start
                        else _with_the(text, start, end, entry.label)
                    )
                    out.move(m, begin, end)
                    m.text, m.label, m.rule = text[begin:end], entry.label, rule
                elif (
                    m.start <= start
                    and end <= m.end
                    and _only_filler(m, inside)
                    and not _one_name_in_longer(m, inside)
                ):
                    # The model glued words around the name ("U.S. Using Daesh"): keep names only.
                    out.remove(m)
                    for a, b, e, _, s in inside.within(m.start, m.end):
                        out.add(Mention(s, e.label, a, b, rule=f"gazetteer:{e.id}"))
        return out.mentions()

    def _acronyms(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Split "Long Form (LF) Rest" into the long form and the acronym; repair "(LF"."""
        out = list(mentions)
        for match in ACRONYM.finditer(text):
            acronym = match.group(1)
            long_start = _long_form_start(text, match.start(), acronym)
            if long_start is None:
                continue
            long_end = match.start() - 1 if text[match.start() - 1] == " " else match.start()
            acr_start, acr_end = match.start(1), match.end(1)
            covering = [m for m in out if m.start < match.end() and long_start < m.end]
            if any(_core_start(m) == long_start != m.start for m in covering):
                long_start -= 4  # "the Organization of Islamic Cooperation (OIC)", as written
            label = "ORG"
            for m in covering:
                if m.label in ("ORG", "GPE", "FAC", "LOC", "PRODUCT", "LAW", "EVENT"):
                    label = m.label
                out.remove(m)
                tail_start = match.end() + 1
                if m.end > tail_start and _has_name(text[tail_start : m.end]):
                    tail = _trim(Mention(text[tail_start : m.end], m.label, tail_start, m.end))
                    tail.rule = "fix:acronym"
                    out.append(tail)
            out.append(
                Mention(text[long_start:long_end], label, long_start, long_end, rule="fix:acronym")
            )
            out.append(Mention(acronym, label, acr_start, acr_end, rule="fix:acronym"))
        return out

    def _datelines(self, text: str, mentions: list[Mention]) -> list[Mention]:
        out = list(mentions)
        for match in DATELINE.finditer(text):
            start, end = match.span("place")
            place = match.group("place")
            if place in ("AT", "AP", "AFP", "UPDATE", "BREAKING", "EXCLUSIVE", "WATCH"):
                continue
            if _section_header(text, place, match.end()):
                # The model glues the label to what follows ("TENNIS - Marlen Ostrova" ORG,
                # "HOCKEY - WEEKEND"): cut the label off, drop what is only label and dash.
                for m in [m for m in out if m.start < match.end() and start <= m.start]:
                    if m.end > match.end() and m.start < end:
                        m.start, m.text, m.rule = (
                            match.end(),
                            text[match.end() : m.end],
                            "fix:section",
                        )
                    elif m.end > end:
                        out.remove(m)
                continue
            for m in [m for m in out if m.start < end and start < m.end]:
                out.remove(m)
            out.append(Mention(place, "GPE", start, end, rule="fix:dateline"))
        return out

    def _drop_non_entities(self, text: str, mentions: list[Mention]) -> list[Mention]:
        out = []
        for m in mentions:
            words = WORD.findall(m.text)
            if m.rule.startswith(("gazetteer", "fix:dateline", "fix:acronym")):
                out.append(m)
                continue
            if " / " in m.text or m.text.endswith(" /"):
                continue  # fix:breadcrumb
            lowered = [w.lower().translate(APOSTROPHES) for w in words]
            if (
                m.label in ("ORG", "PERSON", "WORK_OF_ART", "GPE")
                and lowered
                and all(
                    w in ROLE_WORDS or w in GENERIC_WORDS or w in FUNCTION_WORDS for w in lowered
                )
            ):
                continue  # fix:role-word ("Caretaker", "Special Representative", "Media")
            if m.label in ("ORG", "PERSON", "GPE", "NORP") and words:
                if all(is_common(w) for w in words) and _in_headline(text, m):
                    continue  # fix:headline ("Destabilize", "Imports Drop")
            out.append(m)
        return out

    def _short_forms(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Surnames of people named in the article are people too, wherever they appear."""
        surnames: set[str] = set()
        for m in mentions:
            if m.label != "PERSON":
                continue
            parts = norm_surface(m.text).split()
            if is_common(parts[0]) and m.rule == "ner":
                # "Track Persia" (a website) is no person: its last word is no surname.
                continue
            if len(parts) >= 2:
                last = parts[-1]
                surnames.add(last)
                if "-" in last:
                    surnames.update(p for p in last.split("-") if len(p) >= 4)
        surnames = {s for s in surnames if len(s) >= 4 and s[0].isupper()}
        if not surnames:
            return mentions
        out = []
        for m in mentions:
            if m.label != "PERSON" and norm_surface(m.text) in surnames:
                # Whatever the model said ("Mousavi-Nejad" as WORK_OF_ART), a surname is a person.
                m.label, m.rule = "PERSON", "fix:short-form"
            out.append(m)
        pattern = re.compile(
            r"(?<![\w'’-])("
            + "|".join(re.escape(s) for s in sorted(surnames, key=len, reverse=True))
            + r")(?![\w-])"
        )
        for match in pattern.finditer(text.translate(APOSTROPHES)):
            start, end = match.span(1)
            if not any(m.start < end and start < m.end for m in out):
                out.append(Mention(text[start:end], "PERSON", start, end, rule="fix:short-form"))
        return out


def _section_header(text: str, place: str, after: int) -> bool:
    """ "SOCCER - JAPAN WIN" or "NHL ICE HOCKEY - Results": a section label, not a dateline.

    Why: wire and sports copy opens lines with a section label and a dash, exactly as a dateline
    does; a label word, or a rest of line in capitals (a headline), tells them apart."""
    if any(w.strip(".'’-").lower() in SECTION_WORDS for w in place.split()):
        return True
    line_end = text.find("\n", after)
    rest = text[after : line_end if line_end != -1 else len(text)]
    letters = [c for c in rest if c.isalpha()]
    return len(letters) >= 8 and all(c.isupper() for c in letters)


def _whole_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """A mention that is the tail of a longer name found elsewhere in the article, and written
    right after that name's other words, is that name: "About Track Persia" is the site "Track
    Persia" the model found in the next line, not the country "Persia"."""
    names = {}
    for m in mentions:
        name = m.text[_core_start(m) - m.start :]  # "the Taliban" is no longer name of "Taliban"
        if " " in name and m.rule == "ner":
            names[name] = m.label
    for m in mentions:
        for name, label in names.items():
            start = m.end - len(name)
            if (
                name != m.text
                and name.endswith(" " + m.text)
                and start >= 0
                and text[start : m.end] == name
                and (start == 0 or not text[start - 1].isalnum())
            ):
                m.text, m.start, m.label, m.rule = name, start, label, "fix:whole-name"
                break
    return mentions


def _variants(alias: str) -> set[str]:
    variants = {alias, alias.replace("'", "’")}
    if alias[:1].isupper() and " " not in alias and len(alias) > 3 and not alias.isupper():
        variants.add(alias.upper())  # datelines: "TEHRAN"
    elif " " in alias and all(w[:1].isupper() for w in alias.split()) and not alias.isupper():
        variants.add(alias.upper())  # "NEW DELHI", whole, before its "DELHI" can match alone
    return variants


def _trim(m: Mention) -> Mention:
    """Drop surrounding spaces and stray brackets from a span. A leading "the" stays: the span
    is kept as written (module docstring); only the actor's name leaves it out."""
    text, start = m.text, m.start
    stripped = text.lstrip(" (\n")
    start += len(text) - len(stripped)
    text = stripped.rstrip(" (\n")
    m.text, m.start, m.end = text, start, start + len(text)
    return m


#: Labels whose multi-word names the model reads with their "the" ("the Arabian Sea").
_THE_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC"})
#: Words after a name that show it heads its phrase ("the Helmand river said", "… was").
_AFTER_HEAD = FUNCTION_WORDS | frozenset(
    "is was are were has have had will would could can may might should must said says".split()
)


def _with_the(text: str, start: int, end: int, label: str) -> int:
    """Where a name the gazetteer adds or completes starts, written as the model would: with the
    "the" before it when it is a multi-word name of a place or organisation that heads its phrase
    ("the Helmand river, …", "the Kamal Khan dam in …"); not when it modifies a noun after it
    ("the Islamic State group") or is one word ("the Taliban", "the OIC"): the model leaves
    "the" out of those (docs/actors.md, "Mention spans")."""
    if label not in _THE_LABELS or " " not in text[start:end] or text[start:end].isupper():
        return start
    if text[max(0, start - 4) : start] not in ("the ", "The "):
        return start
    if start > 4 and text[start - 5].isalnum():
        return start
    after = re.match(r"\s*([A-Za-z]+)", text[end : end + 30])
    if after and text[end : end + 1] == " " and after.group(1) not in _AFTER_HEAD:
        return start  # a word follows: the name may modify it ("the Islamic State group")
    return start - 4


def _core_start(m: Mention) -> int:
    """Where the name in ``m`` begins: after a leading "the"/"The" written with it."""
    return m.start + 4 if m.text[:4] in ("the ", "The ") else m.start


#: Honorifics and ranks that are not part of a person's name ("Mawlawi", "Brigadier General").
TITLES = frozenset(
    """mr mrs ms dr prof ayatollah hojatoleslam sheikh shaykh mullah mawlawi maulvi mawlana
    maulana haji hajji sayyid seyyed syed sir dame brigadier general gen colonel col major
    captain lieutenant ambassador president minister inspector""".split()
)


def _is_title_word(word: str) -> bool:
    """An honorific or a role word ("Spokeswoman", "Vice-President"), not part of a name."""
    parts = word.rstrip(".,").lower().split("-")
    return all(p in TITLES or p in ROLE_WORDS for p in parts)


def _strip_title(m: Mention) -> Mention:
    """ "Mawlawi Ahmadullah Ghaznawi" → "Ahmadullah Ghaznawi", "Spokeswoman Ayesha Rauf Khan" →
    "Ayesha Rauf Khan": titles and role words are roles, not names."""
    if m.label != "PERSON":
        return m
    words = m.text.split(" ")
    i = 0
    while i < len(words) - 1 and _is_title_word(words[i]):
        i += 1
    if i and words[i][:1].isupper():
        cut = len(" ".join(words[:i])) + 1
        m.text, m.start = m.text[cut:], m.start + cut
        m.rule = "fix:title" if m.rule == "ner" else m.rule
    return m


def _long_form_start(text: str, paren: int, acronym: str) -> int | None:
    """Where the words whose initials spell ``acronym`` begin, just before ``(``; else None."""
    letters = [c for c in acronym if c.isupper()]
    before = text[max(0, paren - 120) : paren]
    tokens = list(re.finditer(r"[A-Za-z][A-Za-z'’]*", before))
    i = len(letters) - 1
    start = None
    for tok in reversed(tokens):
        word = tok.group(0)
        if i < 0:
            break
        if word.lower() in FUNCTION_WORDS or word[0].islower():
            if word.lower() in ("e", "i", "ul", "al", "el") or word.lower() in FUNCTION_WORDS:
                continue
            return None
        if word[0].upper() != letters[i]:
            return None
        i -= 1
        start = tok.start()
    if i >= 0 or start is None:
        return None
    return max(0, paren - 120) + start


def _has_name(text: str) -> bool:
    return sum(1 for w in WORD.findall(text) if w[0].isupper()) >= 2


def _in_headline(text: str, m: Mention) -> bool:
    """The mention sits in a short Title Case line (a headline, not prose)."""
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    words = [w for w in WORD.findall(line) if len(w) > 3]
    if len(words) < 3 or len(line) > 200:
        return False
    return sum(1 for w in words if w[0].isupper()) / len(words) >= 0.7


def text_of(doc: Any) -> str:
    """The text the model read (the article's text, same offsets)."""
    return str(doc.text)


#: Capitalised words that may stand next to a name without being part of it.
_NEXT_TO_NAME = FUNCTION_WORDS | ROLE_WORDS | TITLES


def _inside_longer_name(doc: Any, text: str, start: int, end: int, inside: _Inside) -> bool:
    """The alias at [start, end) is written inside a longer proper-noun run ("North America",
    "China Steel", "NEW DELHI"): a capitalised word, not a title, not another gazetteer name and
    not opening the sentence, touches it. Adding the alias alone would cut that name short."""
    before = re.search(r"([A-Za-z][\w'’.-]*) $", text[max(0, start - 40) : start])
    after = re.match(r" ([A-Za-z][\w'’-]*)", text[end : end + 40])
    for word, at in ((before, "before"), (after, "after")):
        if word is None:
            continue
        w = word.group(1)
        if not w[:1].isupper() or w.lower().rstrip(".") in _NEXT_TO_NAME:
            continue
        pos = start - 1 - len(w) if at == "before" else end + 1
        if inside.covers(pos):
            continue  # "Iran Pakistan" lists two names
        if at == "before":
            head = text[max(0, pos - 3) : pos]
            if pos == 0 or head.endswith(("\n", ". ", '" ', "? ", "! ")):
                if not text[start:end].isupper():
                    continue  # "Officials China …": a capitalised word opening a sentence
        return True
    return False


def _one_name_in_longer(m: Mention, inside: _Inside) -> bool:
    """The model's span holds one gazetteer name plus capitalised words ("North America",
    "China Steel", "NEW DELHI"): the span is a longer name, not names glued to filler."""
    names = inside.within(m.start, m.end)
    if len(names) != 1:
        return False
    a, b = names[0][:2]
    rest = m.text[: a - m.start] + " " + m.text[b - m.start :]
    return any(w[:1].isupper() and w.lower() not in FUNCTION_WORDS for w in WORD.findall(rest))


def _only_filler(m: Mention, inside: _Inside) -> bool:
    """Everything in ``m`` outside gazetteer names is lowercase or common words."""
    rest, pos = [], m.start
    for a, b, *_ in sorted(inside.within(m.start, m.end), key=lambda c: c[0]):
        rest.append(m.text[pos - m.start : a - m.start])
        pos = b
    rest.append(m.text[pos - m.start :])
    words = WORD.findall(" ".join(rest))
    return all(w[0].islower() or is_common(w) for w in words)


class _Inside:
    """The chosen gazetteer matches (disjoint spans) found by position, in their own order."""

    def __init__(self, chosen: Sequence[Any]) -> None:
        self.chosen = chosen
        self.order = sorted(range(len(chosen)), key=lambda i: chosen[i][0])
        self.starts = [chosen[i][0] for i in self.order]

    def covers(self, pos: int) -> bool:
        """Whether a match spans ``pos`` (the spans are disjoint: only the last one starting at
        or before it can)."""
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.chosen[self.order[k]][1]

    def within(self, start: int, end: int) -> list[Any]:
        """The matches inside [start, end), in the order they were chosen."""
        found = []
        for k in range(bisect.bisect_left(self.starts, start), len(self.starts)):
            a, b = self.chosen[self.order[k]][:2]
            if a >= end:
                break
            if b <= end:
                found.append(self.order[k])
        return [self.chosen[i] for i in sorted(found)]


class _MentionIndex:
    """Mentions kept in list order, found by overlap through buckets of positions.

    Why: asking every mention whether it overlaps every gazetteer match is quadratic; a mention
    spans a few buckets, so each question costs what overlaps it. Order is kept (insertion order,
    removals leave the rest in place) because the fix rules' later sort is stable.
    """

    SIZE = 64

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self._alive: dict[int, Mention] = {}
        self._buckets: dict[int, list[int]] = {}
        self._spans: dict[int, tuple[int, int]] = {}
        self._next = 0
        for m in mentions:
            self.add(m)

    def add(self, m: Mention) -> None:
        seq, self._next = self._next, self._next + 1
        self._alive[seq] = m
        self._index(seq, m.start, m.end)

    def _index(self, seq: int, start: int, end: int) -> None:
        self._spans[seq] = (start, end)
        for b in range(start // self.SIZE, max(end - 1, start) // self.SIZE + 1):
            self._buckets.setdefault(b, []).append(seq)

    def _seq(self, m: Mention) -> int:
        for seq in self._buckets.get(m.start // self.SIZE, ()):
            if self._alive.get(seq) is m:
                return seq
        raise PipelineError(f"gazetteer: mention {m!r} is not tracked", code="E310")

    def move(self, m: Mention, start: int, end: int) -> None:
        seq = self._seq(m)
        m.start, m.end = start, end
        self._index(seq, start, end)  # stale bucket entries are filtered by the spans

    def remove(self, m: Mention) -> None:
        del self._alive[self._seq(m)]

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The live mentions overlapping [start, end), in list order."""
        found: set[int] = set()
        for b in range(start // self.SIZE, max(end - 1, start) // self.SIZE + 1):
            for seq in self._buckets.get(b, ()):
                m = self._alive.get(seq)
                if m is not None and m.start < end and start < m.end:
                    found.add(seq)
        return [self._alive[seq] for seq in sorted(found)]

    def mentions(self) -> list[Mention]:
        return list(self._alive.values())


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """Drop exact duplicates and mentions nested inside an earlier, longer one."""
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
