"""Triggers: dictionary words and phrases found in a sentence, with their category and mode.

A bare verb form after a determiner is a noun (weak or dropped); modifier words before a trigger
set its mode (negated, hypothetical, future, intent); a frame ("refused to") absorbs the trigger
in its complement."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from storyline.article import PLACE_LABELS, Article, Mention
from storyline.nlp.event_dictionary import GAP, Dictionary, Pattern
from storyline.nlp.event_lexicon import (
    ABSORB_WINDOW,
    AGENT_LABELS,
    HARD_STOPS,
    ING_VERB_BEFORE,
    MAX_GAP,
    MAX_SENTENCE_TOKENS,
    MODIFIER_WINDOW,
)
from storyline.nlp.event_tokens import Sentence, Tokens, mention_tokens

#: Words of obligation: a sentence holding one may report a demand (`event_patterns`).
#: (and permitting verbs, which may grant something under a deal).
OBLIGATION_WORDS = frozenset({"must", "should", "ought", "allow", "allows", "permit", "permits"})
OBLIGATION_WORDS |= frozenset({"allowed", "permitted", "let", "lets"})
#: "has to", "needs to": obligation only before "to".
OBLIGATION_BEFORE_TO = frozenset({"has", "have", "had", "needs", "need"})


@dataclass
class Trigger:
    """A dictionary match in a sentence, with the category and mode the rules give it."""

    pattern: Pattern
    first: int  # token range, end exclusive
    last: int
    category: str = ""
    mode: str = ""
    strong: bool = True
    notes: list[str] = field(default_factory=list)


def sentences_with_triggers(
    book: Dictionary, article: Article, toks: Tokens
) -> list[tuple[Sentence, list[Trigger]]]:
    """Each sentence that holds a trigger, with its triggers (longest match, no overlaps)."""
    sent_starts = [s.start for s in article.sentences]
    by_sentence: dict[int, list[Trigger]] = {}
    lower = toks.lower
    for i, word in enumerate(lower):
        candidates = book.patterns.get(word)
        if not candidates:
            continue
        if word in book.lowercase_only and not toks.text[i].islower():
            continue
        s = bisect.bisect_right(sent_starts, toks.starts[i]) - 1
        if s < 0:
            continue
        best: Trigger | None = None
        limit = bisect.bisect_left(toks.starts, article.sentences[s].end)
        for pattern in candidates:
            last = match_words(lower, i, pattern.words, limit)
            if last is None:
                continue
            if best is None or _better(pattern, last, best):
                best = Trigger(pattern, i, last, pattern.category, strong=pattern.strong)
        if best is not None:
            by_sentence.setdefault(s, []).append(best)
    for i, word in enumerate(lower):
        # "X said Y must …" codes a REQUEST even when what Y must do is no trigger.
        nxt = lower[i + 1] if i + 1 < len(lower) else ""
        if i > 0 and (word in OBLIGATION_WORDS or (word in OBLIGATION_BEFORE_TO and nxt == "to")):
            s = bisect.bisect_right(sent_starts, toks.starts[i]) - 1
            if s >= 0 and s not in by_sentence:
                by_sentence[s] = []
    out: list[tuple[Sentence, list[Trigger]]] = []
    if not by_sentence:
        return out
    token_spans = mention_tokens(article, toks)
    for s, triggers in sorted(by_sentence.items()):
        span = article.sentences[s]
        lo = bisect.bisect_left(toks.starts, span.start)
        hi = bisect.bisect_left(toks.starts, span.end)
        if hi - lo > MAX_SENTENCE_TOKENS:
            continue
        starts: dict[int, Mention] = {}
        ends: dict[int, Mention] = {}
        places: list[tuple[int, Mention]] = []
        for first, last, mention in token_spans.get(s, []):
            if mention.label in AGENT_LABELS:
                starts[first] = mention
                ends[last] = mention
            if mention.label in PLACE_LABELS:
                places.append((first, mention))
        sentence = Sentence(s, span, lo, hi, starts, ends, places)
        out.append((sentence, _non_overlapping(triggers)))
    return out


def disambiguate(book: Dictionary, lower: list[str], trigger: Trigger, sentence: Sentence) -> None:
    """A bare verb form after a determiner is a noun ("an attack"): weak or dropped."""
    pattern = trigger.pattern
    if pattern.kind == "noun" or not pattern.base_form:
        return
    before = lower[trigger.first - 1] if trigger.first > sentence.lo else ""
    nouns = [p for p in book.patterns.get(lower[trigger.first], []) if p.kind == "noun"]
    nominal = before in book.determiners
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


def apply_modifiers(
    book: Dictionary, lower: list[str], triggers: list[Trigger], sentence: Sentence
) -> None:
    """Set each trigger's mode from the modifier words before it; intent recodes it."""
    for trigger in triggers:
        if not trigger.category:
            continue
        lo = max(sentence.lo, trigger.first - MODIFIER_WINDOW)
        kinds: set[str] = set()
        i = lo
        while i < trigger.first:
            for words, kind in book.modifiers.get(lower[i], ()):
                end = match_words(lower, i, words, trigger.first)
                if end is not None:
                    kinds.add(kind)
            i += 1
        # A modifier phrase that is itself the trigger ("plans to") is not a trigger.
        if any(
            match_words(lower, trigger.first, words, trigger.last + 2) is not None
            for words, kind in book.modifiers.get(lower[trigger.first], ())
            if kind == "intent"
        ):
            trigger.category = ""
            continue
        if "intent" in kinds:
            if trigger.category in book.cooperative:
                trigger.notes.append(f"intent:{trigger.category}")
                trigger.category = "AGREE"
            elif trigger.category in book.hostile:
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


def absorb(lower: list[str], triggers: list[Trigger]) -> list[Trigger]:
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


def match_words(lower: list[str], i: int, words: tuple[str, ...], limit: int) -> int | None:
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
