"""What every quote rule reads: the article's sentences, mentions and quote spans, by offset.

`QuoteContext` answers "which sentence holds this offset", "which mention ends here" and "is this
inside quote marks"; `Speaker` and `Attribution` are what the rules find before a speaker is
resolved and an `Attribution` becomes a `storyline.article.Quote`."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from storyline.article import Mention, Span
from storyline.nlp.quote_lexicon import (
    CUE_VERBS,
    LEFT_WINDOW,
    SPEAKER_LABELS,
    THAT_RE,
    WORD_RE,
)
from storyline.nlp.quote_marks import find_quote_spans, normalise_quotes


@dataclass
class Speaker:
    """A source expression found next to a cue, before resolution."""

    start: int
    end: int
    kind: str  # name | pronoun | role | body | group | phrase
    text: str
    mention: Mention | None = None
    word: str = ""  # the pronoun or role noun


@dataclass
class Attribution:
    """A cue with its speaker and content spans, before it becomes a `Quote`."""

    cue_start: int
    cue_end: int
    cue: str
    speaker: Speaker
    sentence: int
    parts: list[tuple[int, int]] = field(default_factory=list)
    kind: str = "indirect"
    rule: str = ""


class QuoteContext:
    """Per-article lookups: sentence of an offset, mentions by end offset, quote membership."""

    def __init__(self, text: str, sentences: Sequence[Span], mentions: Sequence[Mention]) -> None:
        self.text = text
        self.norm = normalise_quotes(text)
        self.sentences = list(sentences) or [Span(0, len(text))]
        self.starts = [s.start for s in self.sentences]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.by_end: dict[int, Mention] = {}
        for m in self.mentions:
            if m.label in SPEAKER_LABELS:
                old = self.by_end.get(m.end)
                if old is None or old.start > m.start:
                    self.by_end[m.end] = m
        self.quotes = find_quote_spans(text)
        self.quote_starts = [s for s, _ in self.quotes]
        self.persons = [m for m in self.mentions if m.label == "PERSON"]
        self.person_starts = [m.start for m in self.persons]

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        s = self.sentences[self.sentence_of(offset)]
        return s.start, s.end

    def in_quote(self, offset: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, offset) - 1
        return i >= 0 and self.quotes[i][0] <= offset < self.quotes[i][1]

    def mention_ending(self, end: int) -> Mention | None:
        return self.by_end.get(end)


def word_spans(text: str, offset: int) -> list[tuple[str, int, int]]:
    """Word tokens with offsets; a sentence-final period leaves the word ("U.S." keeps its)."""
    out = []
    for m in WORD_RE.finditer(text):
        w, s, e = m.group(), offset + m.start(), offset + m.end()
        if len(w) > 2 and w.endswith(".") and w.count(".") == 1:
            out.append((w[:-1], s, e - 1))
            out.append((".", e - 1, e))
        else:
            out.append((w, s, e))
    return out


def cue_at(ctx: QuoteContext, m: re.Match[str]) -> str | None:
    word = m.group()
    if word[:1] in "Aa" and word.lower().startswith("according"):
        return "according to"
    if word == "quoted":
        return "quoted"
    # Cues are lower case: "United States", "Iran Says …" headlines are not attributions.
    if word in CUE_VERBS:
        return word
    return None


def left_boundary(ctx: QuoteContext, sent_start: int, cue_start: int) -> int:
    """Where the speaker phrase before a cue may start: after the last comma, quote or "that"."""
    sent_start = max(sent_start, cue_start - LEFT_WINDOW)
    seg = ctx.norm[sent_start:cue_start]
    cut = max(seg.rfind(","), seg.rfind('"'), seg.rfind(";"), seg.rfind(":"))
    that = [m.end() for m in THAT_RE.finditer(seg)]
    if that:
        cut = max(cut, that[-1] - 1)
    return sent_start + cut + 1 if cut >= 0 else sent_start
