"""Coded events: who did what to whom, where and when, one sentence at a time (PLOVER categories).

The default pipeline runs spaCy for entities only (no parser, no tagger: see
`storyline.nlp.model`), so this coder works from what is there: the entity mentions, the sentence
spans and the order of words. It is a dictionary coder in the tradition of TABARI and PETRARCH,
without their parse trees:

1. The dictionary (``storyline/data/plover/verbs.toml``) maps verb lemmas and phrases to the 16
   PLOVER categories. Verbs are inflected by suffix rules plus a small table of irregular forms,
   so no lemmatiser is needed. Every word of the article is looked up once in a dict.
2. A trigger's *source* is the nearest actor mention (PERSON, ORG, GPE, NORP) before it in the same
   clause, its *target* the nearest after it; "X was attacked by Y" swaps them, "X and Y agreed"
   with no object makes X the source and Y the target, and "X met Y and signed ..." lends X to
   the second verb. Mentions right after "in", "at", "near" are places, not targets.
3. Words just before the trigger set its mode: ``negated`` ("did not agree", "never recognised"),
   ``hypothetical`` ("could", "would"), ``future`` ("will"), ``intent`` ("ready to cooperate":
   PLOVER codes an expressed intent to cooperate as AGREE and one to attack as THREATEN).
4. A trigger that takes an action as complement ("refused to", "called on ... to", "agreed to")
   absorbs the trigger that follows it: "refused to cooperate" is one REJECT.
5. Nouns ("talks", "sanctions", "an attack by ...") are weak triggers, used only when the sentence
   has no verb trigger and an actor stands right beside them.
6. The date is the date expression nearest the trigger, resolved against the article date
   (`storyline.nlp.event_dates`); without one, the article date with precision ``article``.

An event needs at least one actor. Limits and measured quality: ``docs/events.md``.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from storyline.article import ACTOR_LABELS, PLACE_LABELS, Article, Event, Mention, Span
from storyline.nlp.event_dates import Anchor, anchor_of, find_dates, resolve
from storyline.pipeline import Stage

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
#: Who can be an event's source or target: actors, and countries acting as states ("Iran said").
AGENT_LABELS = ACTOR_LABELS | {"GPE"}
PLACE_WORDS = frozenset({"in", "at", "near", "inside", "outside", "across", "around", "into"})
BE_WORDS = frozenset({"was", "were", "been", "being", "is", "are", "be", "got", "get", "gets"})
#: Tokens a clause never reaches across when looking for a source or target.
HARD_STOPS = frozenset({";", ":", '"', "“", "”", "—", "–", "-", "?", "!"})
#: Words that open another clause: the search for an actor stops there if it has found none.
SOFT_STOPS = frozenset(
    {
        "that",
        "which",
        "whom",
        "whose",
        "because",
        "while",
        "although",
        "though",
        "but",
        "whereas",
        "if",
        "unless",
        "after",
        "before",
        "when",
    }
)
#: Reporting verbs end the search for a target ("condemned the attack and said Pakistan ...").
FORWARD_STOPS = SOFT_STOPS | frozenset({"said", "says", "told", "added", "saying", "stressed"})
#: Between a possessor and the actor it qualifies ("China's Xi Jinping"), none of these.
LINK_WORDS = frozenset(
    {
        "to",
        "of",
        "for",
        "and",
        "or",
        "with",
        "in",
        "on",
        "at",
        "by",
        "from",
        "against",
        "over",
        "about",
        ",",
        "that",
        "which",
        "who",
    }
)
#: Before an -ing form, these make it a verb ("after meeting X"); anything else, a noun.
ING_VERB_BEFORE = BE_WORDS | frozenset(
    {
        "after",
        "before",
        "while",
        "by",
        "of",
        "for",
        "in",
        "on",
        "without",
        "from",
        "about",
        "and",
        ",",
        "not",
        "continue",
        "continues",
        "continued",
        "keep",
        "keeps",
        "kept",
        "started",
        "began",
    }
)
TARGET_PREPS = frozenset(
    {"on", "against", "with", "to", "toward", "towards", "between", "for", "upon", "from"}
)
#: Categories where "X and Y <verb>" codes X -> Y even when an object follows.
SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE"})
GAP = "..."
MAX_GAP = 5
SOURCE_WINDOW = 25
TARGET_WINDOW = 15
ABSORB_WINDOW = 10
MODIFIER_WINDOW = 5
#: Sentences longer than this (tokens) are link dumps or run-ons, not reporting: left uncoded.
MAX_SENTENCE_TOKENS = 200
MAX_EVIDENCE_CHARS = 1000
DATE_WINDOW_CHARS = 160

TOKEN_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


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
            raise ValueError(f"{path or DICTIONARY_PATH}: unknown PLOVER category {category!r}")
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


# -- tokens ---------------------------------------------------------------------------------


@dataclass
class Tokens:
    """The article's words: lower-cased text and character offsets, in parallel lists."""

    lower: list[str]
    text: list[str]
    starts: list[int]
    ends: list[int]


def tokenize(text: str) -> Tokens:
    """Words and punctuation, with "'s" and "n't" split off as spaCy does."""
    lower: list[str] = []
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in TOKEN_RE.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        low = word.lower().replace("’", "'")
        cut = 0
        if len(low) > 2 and low.endswith("'s"):
            cut = 2
        elif len(low) > 3 and low.endswith("n't"):
            cut = 3
        if cut:
            lower += [low[:-cut], low[-cut:]]
            words += [word[:-cut], word[-cut:]]
            starts += [start, end - cut]
            ends += [end - cut, end]
        else:
            lower.append(low)
            words.append(word)
            starts.append(start)
            ends.append(end)
    return Tokens(lower, words, starts, ends)


@dataclass
class Trigger:
    pattern: Pattern
    first: int  # token range, end exclusive
    last: int
    category: str = ""
    mode: str = ""
    strong: bool = True
    notes: list[str] = field(default_factory=list)


@dataclass
class Sentence:
    """One sentence's tokens and actor mentions, by token position."""

    index: int
    span: Span
    lo: int
    hi: int  # token range, end exclusive
    starts: dict[int, Mention]  # first token -> mention
    ends: dict[int, Mention]  # last token -> mention
    places: list[tuple[int, Mention]]  # (first token, mention) for place-labelled mentions


class EventCoder:
    """The rule-based coder; one per process (the dictionary is loaded once)."""

    def __init__(self, dictionary: Dictionary | None = None) -> None:
        self.book = dictionary or load_dictionary()

    # -- public -----------------------------------------------------------------------------
    def code(self, article: Article) -> list[Event]:
        """All events of an article, in text order."""
        text = article.text or ""
        if not text or not article.sentences:
            return []
        toks = tokenize(text)
        anchor = anchor_of(article.published, article.date_not_before)
        lead_end = text.find("\n\n")
        lead_end = len(text) if lead_end < 0 else lead_end
        events: list[Event] = []
        for sentence, triggers in self._sentences_with_triggers(article, toks):
            found = self._code_sentence(article, toks, sentence, triggers, anchor)
            if sentence.span.start < lead_end and article.dateline:
                for event in found:
                    if event.place is None:
                        event.place = article.dateline
                        event.rule += "+dateline"
            events.extend(found)
        return events

    # -- finding triggers -------------------------------------------------------------------
    def _sentences_with_triggers(
        self, article: Article, toks: Tokens
    ) -> list[tuple[Sentence, list[Trigger]]]:
        sent_starts = [s.start for s in article.sentences]
        by_sentence: dict[int, list[Trigger]] = {}
        lower = toks.lower
        for i, word in enumerate(lower):
            candidates = self.book.patterns.get(word)
            if not candidates:
                continue
            if word in self.book.lowercase_only and not toks.text[i].islower():
                continue
            s = bisect.bisect_right(sent_starts, toks.starts[i]) - 1
            if s < 0:
                continue
            best: Trigger | None = None
            limit = bisect.bisect_left(toks.starts, article.sentences[s].end)
            for pattern in candidates:
                last = _match(lower, i, pattern.words, limit)
                if last is None:
                    continue
                if best is None or _better(pattern, last, best):
                    best = Trigger(pattern, i, last, pattern.category, strong=pattern.strong)
            if best is not None:
                by_sentence.setdefault(s, []).append(best)
        out: list[tuple[Sentence, list[Trigger]]] = []
        if not by_sentence:
            return out
        mention_tokens = self._mention_tokens(article, toks)
        for s, triggers in by_sentence.items():
            span = article.sentences[s]
            lo = bisect.bisect_left(toks.starts, span.start)
            hi = bisect.bisect_left(toks.starts, span.end)
            if hi - lo > MAX_SENTENCE_TOKENS:
                continue
            starts: dict[int, Mention] = {}
            ends: dict[int, Mention] = {}
            places: list[tuple[int, Mention]] = []
            for first, last, mention in mention_tokens.get(s, []):
                if mention.label in AGENT_LABELS:
                    starts[first] = mention
                    ends[last] = mention
                if mention.label in PLACE_LABELS:
                    places.append((first, mention))
            sentence = Sentence(s, span, lo, hi, starts, ends, places)
            out.append((sentence, _non_overlapping(triggers)))
        return out

    @staticmethod
    def _mention_tokens(
        article: Article, toks: Tokens
    ) -> dict[int, list[tuple[int, int, Mention]]]:
        found: dict[int, list[tuple[int, int, Mention]]] = {}
        for mention in article.mentions:
            first = bisect.bisect_left(toks.starts, mention.start)
            last = bisect.bisect_left(toks.starts, mention.end) - 1
            if first > last or first >= len(toks.starts):
                continue
            found.setdefault(mention.sentence, []).append((first, last, mention))
        return found

    # -- one sentence -----------------------------------------------------------------------
    def _code_sentence(
        self,
        article: Article,
        toks: Tokens,
        sentence: Sentence,
        triggers: list[Trigger],
        anchor: Anchor | None,
    ) -> list[Event]:
        lower = toks.lower
        for trigger in triggers:
            self._disambiguate(lower, trigger, sentence)
        self._apply_modifiers(lower, triggers, sentence)
        live = [t for t in triggers if t.category]
        if any(t.strong for t in live):
            live = [t for t in live if t.strong]
        live = self._absorb(lower, live)
        events: list[Event] = []
        previous: tuple[Trigger, Mention | None, Mention | None] | None = None
        for n, trigger in enumerate(live):
            stop_at = live[n + 1].first if n + 1 < len(live) else sentence.hi
            if trigger.strong:
                source, target = self._verb_actors(lower, trigger, sentence, stop_at)
                if previous is not None and _coordinated(lower, trigger, sentence, previous[0]):
                    # "X and Y held talks and agreed ...": the second verb has the same actors.
                    source = previous[1]
                    if (target is None or target is source) and "reciprocal" in previous[0].notes:
                        target = previous[2]
                    trigger.notes.append("shared-subject")
            else:
                source, target = self._noun_actors(lower, trigger, sentence)
            if source is None and target is None:
                continue
            previous = (trigger, source, target)
            events.append(self._event(article, toks, sentence, trigger, source, target, anchor))
        return events

    def _disambiguate(self, lower: list[str], trigger: Trigger, sentence: Sentence) -> None:
        """A bare verb form after a determiner is a noun ("an attack"): weak or dropped."""
        pattern = trigger.pattern
        if pattern.kind == "noun" or not pattern.base_form:
            return
        before = lower[trigger.first - 1] if trigger.first > sentence.lo else ""
        nouns = [p for p in self.book.patterns.get(lower[trigger.first], []) if p.kind == "noun"]
        nominal = before in self.book.determiners
        if nouns and lower[trigger.first].endswith("ing") and before not in ING_VERB_BEFORE:
            nominal = True  # "extraordinary meeting"; but "asking Kabul to" stays a verb
        if nominal:
            if nouns:
                trigger.pattern = nouns[0]
                trigger.category = nouns[0].category
                trigger.last = trigger.first
                trigger.strong = False
            else:
                trigger.category = ""

    def _apply_modifiers(
        self, lower: list[str], triggers: list[Trigger], sentence: Sentence
    ) -> None:
        for trigger in triggers:
            if not trigger.category:
                continue
            lo = max(sentence.lo, trigger.first - MODIFIER_WINDOW)
            kinds: set[str] = set()
            i = lo
            while i < trigger.first:
                for words, kind in self.book.modifiers.get(lower[i], ()):
                    end = _match(lower, i, words, trigger.first)
                    if end is not None:
                        kinds.add(kind)
                i += 1
            # A modifier phrase that is itself the trigger ("plans to") is not a trigger.
            if any(
                _match(lower, trigger.first, words, trigger.last + 2) is not None
                for words, kind in self.book.modifiers.get(lower[trigger.first], ())
                if kind == "intent"
            ):
                trigger.category = ""
                continue
            if "intent" in kinds:
                if trigger.category in self.book.cooperative:
                    trigger.notes.append(f"intent:{trigger.category}")
                    trigger.category = "AGREE"
                elif trigger.category in self.book.hostile:
                    trigger.notes.append(f"intent:{trigger.category}")
                    trigger.category = "THREATEN"
                trigger.strong = True
            for kind, mode in (
                ("negation", "negated"),
                ("hypothetical", "hypothetical"),
                ("intent", "intent"),
                ("future", "future"),
            ):
                if kind in kinds:
                    trigger.mode = mode
                    break

    @staticmethod
    def _absorb(lower: list[str], triggers: list[Trigger]) -> list[Trigger]:
        """Drop triggers inside the complement of a frame ("refused to [cooperate]")."""
        kept: list[Trigger] = []
        for trigger in triggers:
            head = kept[-1] if kept else None
            if (
                head is not None
                and head.pattern.kind == "frame"
                and trigger.first - head.last <= ABSORB_WINDOW
                and not any(w in HARD_STOPS for w in lower[head.last + 1 : trigger.first])
            ):
                head.notes.append(f"absorbs:{trigger.pattern.entry}")
                continue
            kept.append(trigger)
        return kept

    # -- actors -----------------------------------------------------------------------------
    def _verb_actors(
        self, lower: list[str], trigger: Trigger, sentence: Sentence, stop_at: int
    ) -> tuple[Mention | None, Mention | None]:
        before = lower[trigger.first - 1] if trigger.first > sentence.lo else ""
        if before in BE_WORDS and not trigger.pattern.base_form:
            agent = self._after_by(lower, trigger.last + 1, sentence)
            patient, _ = self._before(lower, trigger.first - 1, sentence)
            trigger.notes.append("passive")
            return agent, patient
        source, partner = self._before(lower, trigger.first - 1, sentence)
        # "called on China and Russia to ...": the target sits inside the phrase's gap.
        gapped_frame = trigger.pattern.kind == "frame" and GAP in trigger.pattern.words
        after = trigger.first + 1 if gapped_frame else trigger.last + 1
        target = self._after(
            lower,
            after,
            min(stop_at, trigger.last + 1 + TARGET_WINDOW),
            sentence,
            exclude=source,
        )
        if partner is not None and (target is None or trigger.category in SYMMETRIC):
            trigger.notes.append("reciprocal")
            target = partner
        return source, target

    def _before(
        self, lower: list[str], start: int, sentence: Sentence
    ) -> tuple[Mention | None, Mention | None]:
        """Nearest actor before ``start`` in the clause; with "X and Y", returns (X, Y).

        A mention after "of" ("the governor of Nimroz", "people of Afghanistan") qualifies a noun,
        so an actor further back in the clause is preferred to it.
        """
        lo = max(sentence.lo, start - SOURCE_WINDOW)
        fallback: Mention | None = None
        j = start
        while j >= lo:
            word = lower[j]
            if word in HARD_STOPS:
                break
            mention = sentence.ends.get(j)
            if mention is not None:
                first = _first_token(sentence, mention, j)
                if _is_place_slot(lower, first, sentence):
                    j = first - 1
                    continue
                if first > sentence.lo and lower[first - 1] == "of":
                    fallback = fallback or mention
                    j = first - 1
                    continue
                k = first - 1
                other = sentence.ends.get(k - 1) if k > sentence.lo else None
                if (
                    other is not None
                    and other.text != mention.text
                    and (lower[k] == "and" or (lower[k] == "," and other.label == mention.label))
                ):
                    return other, mention
                return mention, None
            if word in SOFT_STOPS:
                break
            j -= 1
        return fallback, None

    def _after(
        self,
        lower: list[str],
        start: int,
        stop: int,
        sentence: Sentence,
        exclude: Mention | None = None,
    ) -> Mention | None:
        """Nearest actor from ``start`` on, before ``stop``; a possessor yields its head."""
        stop = min(stop, sentence.hi)
        j = start
        while j < stop:
            word = lower[j]
            if word in HARD_STOPS or (word in FORWARD_STOPS and j > start):
                return None
            mention = sentence.starts.get(j)
            if mention is None or mention is exclude:
                j += 1
                continue
            end = _last_token(sentence, mention, j)
            head = _possessive_head(lower, sentence, end)
            if _is_place_slot(lower, j, sentence):
                # "in Afghanistan's Helmand province": the possessive head is a place too.
                j = max(end, _last_token(sentence, head, end + 2) if head else end) + 1
                continue
            if head is None and mention.label == "NORP":
                # "his Iranian counterpart Hossein Rahmani-Fard": the person, not the adjective.
                head = _apposed(lower, sentence, end)
            return head or mention
        return None

    def _after_by(self, lower: list[str], start: int, sentence: Sentence) -> Mention | None:
        for j in range(start, min(sentence.hi, start + 6)):
            if lower[j] in HARD_STOPS:
                return None
            if lower[j] == "by":
                for k in range(j + 1, min(sentence.hi, j + 4)):
                    if k in sentence.starts:
                        return sentence.starts[k]
                return None
        return None

    def _noun_actors(
        self, lower: list[str], trigger: Trigger, sentence: Sentence
    ) -> tuple[Mention | None, Mention | None]:
        """Actors right beside a noun: "Iran's sanctions on X", "talks with Y", "attack by Z"."""
        source = None
        for back in (1, 2):
            j = trigger.first - back
            if j < sentence.lo:
                break
            if j in sentence.ends and (back == 1 or lower[j + 1] == "'s"):
                source = sentence.ends[j]
                break
        target = None
        nxt = trigger.last + 1
        if nxt < sentence.hi and lower[nxt] == "by" and source is None:
            source = self._after_by(lower, nxt, sentence)
            nxt = nxt + 1
            while nxt < sentence.hi and nxt not in sentence.starts and nxt < trigger.last + 5:
                nxt += 1
            nxt += 1
        if nxt < sentence.hi and lower[nxt] in TARGET_PREPS:
            for k in range(nxt + 1, min(sentence.hi, nxt + 4)):
                if k in sentence.starts:
                    target = sentence.starts[k]
                    if lower[nxt] == "between" and source is None:
                        source = target
                        end = _last_token(sentence, target, k)
                        target = None
                        if end + 2 < sentence.hi and lower[end + 1] == "and":
                            target = sentence.starts.get(end + 2)
                    break
        return source, target

    # -- assembling -------------------------------------------------------------------------
    def _event(
        self,
        article: Article,
        toks: Tokens,
        sentence: Sentence,
        trigger: Trigger,
        source: Mention | None,
        target: Mention | None,
        anchor: Anchor | None,
    ) -> Event:
        text = article.text
        span = sentence.span
        t_start, t_end = toks.starts[trigger.first], toks.ends[trigger.last]
        evidence = text[span.start : span.end].strip()
        if len(evidence) > MAX_EVIDENCE_CHARS:
            evidence = evidence[:MAX_EVIDENCE_CHARS] + "…"
        date_value, precision, bound = self._date(
            text, span, t_start, t_end, anchor, future=trigger.mode == "future"
        )
        kind = trigger.pattern.kind
        rule = f"{kind}:{trigger.pattern.entry}" + "".join(f"+{n}" for n in trigger.notes)
        return Event(
            type=trigger.category,
            source=source.text if source else None,
            target=target.text if target else None,
            sentence=sentence.index,
            evidence=evidence,
            start=span.start,
            end=span.end,
            place=self._place(toks, sentence, trigger, source, target),
            date=date_value,
            mode=trigger.mode,
            rule=rule,
            source_actor=(source.actor_id or source.text) if source else None,
            target_actor=(target.actor_id or target.text) if target else None,
            trigger=text[t_start:t_end],
            date_precision=precision,
            date_bound=bound,
        )

    @staticmethod
    def _date(
        text: str, span: Span, t_start: int, t_end: int, anchor: Anchor | None, *, future: bool
    ) -> tuple[str | None, str | None, bool]:
        lo = max(span.start, t_start - DATE_WINDOW_CHARS)
        hi = min(span.end, t_end + DATE_WINDOW_CHARS)
        window = text[lo:hi]
        best = None
        best_distance = 0
        for match in find_dates(window):
            resolved = resolve(match, anchor, future=future)
            if resolved is None:
                continue
            a, b = lo + match.start(), lo + match.end()
            distance = t_start - b if b <= t_start else max(0, a - t_end)
            if best is None or distance < best_distance:
                best, best_distance = resolved, distance
        if best is not None:
            return best.value, best.precision, best.bound
        if anchor is not None:
            return anchor.day.isoformat(), "article", anchor.bound
        return None, None, False

    @staticmethod
    def _place(
        toks: Tokens,
        sentence: Sentence,
        trigger: Trigger,
        source: Mention | None,
        target: Mention | None,
    ) -> str | None:
        best: tuple[int, Mention] | None = None
        for first, mention in sentence.places:
            if mention is source or mention is target or first <= sentence.lo:
                continue
            if toks.lower[first - 1] not in PLACE_WORDS:
                continue
            distance = abs(first - trigger.first)
            if distance > 40:
                continue
            if best is None or distance < best[0]:
                best = (distance, mention)
        return best[1].text if best else None


# -- helpers --------------------------------------------------------------------------------


def _match(lower: list[str], i: int, words: tuple[str, ...], limit: int) -> int | None:
    """Index of the last token when ``words`` match from token ``i`` (gaps allowed), else None."""
    if lower[i] != words[0]:
        return None
    j = i
    w = 1
    while w < len(words):
        word = words[w]
        if word == GAP:
            nxt = words[w + 1]
            for k in range(j + 1, min(limit, j + 2 + MAX_GAP)):
                if lower[k] == nxt:
                    j = k
                    break
                if lower[k] in HARD_STOPS or lower[k] in (".", ","):
                    return None
            else:
                return None
            w += 2
            continue
        j += 1
        if j >= limit or lower[j] != word:
            return None
        w += 1
    return j


def _better(pattern: Pattern, last: int, best: Trigger) -> bool:
    """Prefer the longer match, then a frame or verb over a noun."""
    if last != best.last:
        return last > best.last
    rank = {"blocked": 3, "frame": 2, "verb": 1, "noun": 0}
    return rank[pattern.kind] > rank[best.pattern.kind]


def _non_overlapping(triggers: list[Trigger]) -> list[Trigger]:
    kept: list[Trigger] = []
    for trigger in triggers:
        if kept and trigger.first <= kept[-1].last:
            continue
        kept.append(trigger)
    return kept


def _coordinated(lower: list[str], trigger: Trigger, sentence: Sentence, previous: Trigger) -> bool:
    """ "X met Y and signed ...": no actor between "and" and the second verb."""
    for k in range(trigger.first - 1, max(previous.last, trigger.first - 4), -1):
        if k in sentence.ends or k in sentence.starts:
            return False
        if lower[k] == "and":
            return True
    return False


def _possessive_head(lower: list[str], sentence: Sentence, end: int) -> Mention | None:
    """The actor a possessor qualifies: "China's Xi Jinping" -> Xi Jinping; else None."""
    if end + 1 >= sentence.hi or lower[end + 1] != "'s":
        return None
    k = end + 2
    while k < min(sentence.hi, end + 8) and lower[k] not in LINK_WORDS:
        if k in sentence.starts:
            return sentence.starts[k]
        k += 1
    return None


def _apposed(lower: list[str], sentence: Sentence, end: int) -> Mention | None:
    """A PERSON or ORG named within three words after a nationality adjective, if any."""
    for k in range(end + 1, min(sentence.hi, end + 4)):
        if lower[k] in LINK_WORDS or lower[k] in HARD_STOPS:
            return None
        mention = sentence.starts.get(k)
        if mention is not None:
            return mention if mention.label in ("PERSON", "ORG") else None
    return None


def _first_token(sentence: Sentence, mention: Mention, last: int) -> int:
    j = last
    while j > sentence.lo and sentence.starts.get(j) is not mention:
        j -= 1
    return j


def _last_token(sentence: Sentence, mention: Mention, first: int) -> int:
    j = first
    while j < sentence.hi - 1 and sentence.ends.get(j) is not mention:
        j += 1
    return j


def _is_place_slot(lower: list[str], first: int, sentence: Sentence) -> bool:
    """A place-like mention right after "in", "at", "near": where, not whom."""
    mention = sentence.starts.get(first)
    if mention is not None and mention.label not in PLACE_LABELS:
        return False
    return first > sentence.lo and lower[first - 1] in PLACE_WORDS


class EventStage(Stage):
    """Codes PLOVER events per sentence from entity mentions and a verb dictionary."""

    name: ClassVar[str] = "events"
    version: ClassVar[str] = "1"
    reads: ClassVar[tuple[str, ...]] = ("sentences", "mentions")
    adds: ClassVar[tuple[str, ...]] = ("events",)
    languages: ClassVar[frozenset[str] | None] = frozenset({"en", "und"})

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.coder: EventCoder | None = None

    def setup(self) -> None:
        if self.coder is None:
            self.coder = EventCoder()

    def process(self, article: Article) -> None:
        self.setup()
        assert self.coder is not None
        article.events = self.coder.code(article)

    def process_batch(self, articles: Sequence[Article]) -> None:
        from storyline.pipeline import run_one

        self.setup()
        for article in articles:
            run_one(self, article)
