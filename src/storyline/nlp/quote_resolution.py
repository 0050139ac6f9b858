"""Speaker resolution: from "he", "the minister" or a surname to the person who spoke.

Pronouns go to the last named speaker when no new person became a subject since, else to the
last subject-like person; role nouns to the last person introduced with that role; the
article's main person is the last resort. A surname resolves to the fullest name of that person
in the article."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from storyline.article import Mention
from storyline.nlp.quote_context import Attribution, QuoteContext
from storyline.nlp.quote_lexicon import (
    CONTINUATION_CUES,
    DETERMINERS,
    INDEFINITE,
    PERSON_ROLES,
)
from storyline.nlp.quote_speakers import subject_like


class SpeakerResolver:
    """Turns speaker expressions into named speakers, walking the article in text order."""

    def __init__(self, ctx: QuoteContext) -> None:
        self.ctx = ctx
        persons = ctx.persons
        self.fullest: dict[str, Mention] = {}
        for m in persons:
            for key in _name_keys(m.text):
                cur = self.fullest.get(key)
                if cur is None or len(m.text) > len(cur.text):
                    self.fullest[key] = m
        actors = Counter(_person_key(m) for m in persons)
        self.main = None
        if actors:
            key = actors.most_common(1)[0][0]
            self.main = next(m for m in persons if _person_key(m) == key)
        self.subject_like = [m for m in persons if subject_like(ctx, m)]
        self.subject_ends = [m.end for m in self.subject_like]
        self.person_ends = [m.end for m in persons]
        self.last_person_speaker: tuple[int, Mention] | None = None
        self.last_body_speaker: tuple[int, str, Mention | None] | None = None

    def canonical(self, mention: Mention) -> Mention:
        """The fullest PERSON mention sharing this mention's surname (or actor)."""
        if mention.actor_id:
            same = [m for m in self.ctx.persons if m.actor_id == mention.actor_id]
            if same:
                return max(same, key=lambda m: len(m.text))
        keys = _name_keys(mention.text)
        if keys and keys[-1] in self.fullest:
            best = self.fullest[keys[-1]]
            if mention.label == "PERSON" or len(mention.text.split()) == 1:
                return best if len(best.text) >= len(mention.text) else mention
        return mention

    def resolve(self, a: Attribution) -> tuple[str, str | None, str]:
        sp = a.speaker
        at = a.cue_start if a.cue_start < sp.start else sp.start
        note = ""
        person: Mention | None = None
        if sp.kind == "name":
            if sp.mention is not None:
                person = self.canonical(sp.mention)
                if person.label != "PERSON":
                    self.last_body_speaker = (a.sentence, person.text, person)
                    return person.text, person.actor_id, ""
            else:
                key = _name_keys(sp.text)
                person = self.fullest.get(key[-1]) if key else None
                if person is None:
                    return sp.text, None, ""
        elif sp.kind == "pronoun":
            if sp.word in {"it", "they", "we"}:
                if self.last_body_speaker and a.sentence - self.last_body_speaker[0] <= 3:
                    _, name, m = self.last_body_speaker
                    return name, m.actor_id if m else None, ":pronoun"
                return sp.text, None, ":unresolved"
            person = self._pronoun(a, at)
            note = ":pronoun"
        elif sp.kind == "role":
            if sp.text.split()[0].lower() in INDEFINITE:
                # "A health official in Zaranj told …": someone unnamed, not the last person.
                return sp.text, None, ":role:anonymous"
            person = self._role(sp.word, sp.text, at)
            if person is None and not _specified(sp.text, sp.word):
                person = self._recent_person(at)  # "the minister said", just after naming her
            note = ":role"
        else:
            m = sp.mention
            self.last_body_speaker = (a.sentence, sp.text, m)
            return sp.text, m.actor_id if m else None, ""
        if person is None:
            return sp.text, None, note + ":unresolved"
        person = self.canonical(person)
        self.last_person_speaker = (at, person)
        return person.text, person.actor_id, note

    def _pronoun(self, a: Attribution, at: int) -> Mention | None:
        last = self.last_person_speaker
        subj = self.subject_like[: bisect.bisect_right(self.subject_ends, at)]
        recent_subject = subj[-1] if subj else None
        continuing = a.cue in CONTINUATION_CUES
        if last is not None and self.ctx.sentence_of(at) - self.ctx.sentence_of(last[0]) <= 4:
            if continuing or recent_subject is None or recent_subject.start <= last[0]:
                return last[1]
        if recent_subject is not None:
            return recent_subject
        return self._recent_person(at) or self.main

    def _role(self, role: str, phrase: str, at: int) -> Mention | None:
        """The last person introduced with this role ("Taliban spokesman Zabihullah Mujahid");
        a nationality in the phrase ("the top Afghan official") picks among people."""
        role = role.rstrip("s") if role not in PERSON_ROLES else role
        role_re = re.compile(rf"\b{re.escape(role)}s?\b")
        hints = [
            w[:5].lower()
            for w in re.findall(r"[A-Z][a-z]{3,}", phrase)[0:3]
            if w.lower() not in DETERMINERS
        ]
        by_role = by_hint = None
        previous_end = 0
        for m in self.ctx.persons[max(0, bisect.bisect_right(self.person_ends, at) - 200) :]:
            if m.end > at:
                break
            sent_start, _ = self.ctx.sentence_bounds(m.start)
            window = self.ctx.text[max(previous_end, sent_start, m.start - 80) : m.start].lower()
            previous_end = m.end
            if role_re.search(window):
                by_role = m
            if hints and all(h in window for h in hints):
                by_hint = m
        if (
            hints
            and by_hint is not None
            and (
                by_role is None
                or by_hint.start > by_role.start
                or not role_re.search(
                    self.ctx.text[max(0, by_role.start - 80) : by_role.start].lower()
                )
            )
        ):
            return by_hint
        return by_role or by_hint

    def _recent_person(self, at: int) -> Mention | None:
        i = bisect.bisect_right(self.person_ends, at)
        for m in reversed(self.ctx.persons[max(0, i - 50) : i]):
            if not self.ctx.in_quote(m.start):
                return m
        return self.main


#: A role followed by its own specifier ("the chairman of the rival bloc", "the envoy to Kabul")
#: describes someone in full, perhaps someone new: not the last person named.
_SPECIFIER_RE = re.compile(r"\s+(?:of|for|at|to|from|in|with)\s+\S")


def _specified(phrase: str, role: str) -> bool:
    """Whether the role word itself (whole, perhaps plural: "chair" is not in "chairman") is
    followed by a specifier."""
    for found in re.finditer(rf"\b{re.escape(role)}s?\b", phrase, re.IGNORECASE):
        if _SPECIFIER_RE.match(phrase, found.end()) is not None:
            return True
    return False


def _name_keys(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w'’\-]+", text) if w[:1].isupper()]


def _person_key(m: Mention) -> str:
    if m.actor_id:
        return m.actor_id
    keys = _name_keys(m.text)
    return keys[-1] if keys else m.text.lower()
