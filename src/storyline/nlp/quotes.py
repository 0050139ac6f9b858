"""Who said what: direct and indirect speech with its speaker, by cheap rules over NER output.

`QuoteStage` works on ``Article.text``, ``Article.sentences`` and ``Article.mentions`` (from the
entities stage, with ``Mention.actor_id`` when the actors stage ran). No parser is needed: the
pipeline runs NER only, so attribution is read from quote marks, a speech-cue lexicon and the
entity mentions around the cue. Every regex here is linear (no nested quantifiers) and each match
is bounded to one sentence, so adversarial input costs time proportional to its length.

How a quote is attributed (details and measured figures in ``docs/quotes.md``):

1. Curly, angle and straight quote marks are mapped to ``"`` and ``'`` in a same-length copy of
   the text, so every offset still points into ``Article.text``.
2. Quote spans are paired within a paragraph. A span followed by ``, SPEAKER CUE`` or
   ``, CUE SPEAKER`` (``"…," he added``; ``"…," said the minister``; ``"…," the website quoted X
   as saying``) or preceded by ``SPEAKER CUE:`` is a direct quote; ``"A," he said, "B"`` is one
   quote in two parts. A long quote standing alone right after an attributed quote continues it.
3. Outside quote marks, ``SPEAKER CUE (that) CLAUSE``, ``CLAUSE, SPEAKER CUE``,
   ``according to SPEAKER, CLAUSE`` and ``X stressed the need for …`` are indirect speech; when the
   clause holds quoted fragments the quote is ``mixed``.
4. The speaker expression is a name, a pronoun (``he``), a role noun (``the minister``) or a
   group (``sources``). Pronouns go to the last named speaker when no new person became a subject
   since, else to the last subject-like person; role nouns to the last person introduced with
   that role (``Taliban spokesman Zabihullah Mujahid``); the article's main person is the last
   resort. A surname resolves to the fullest name of that person in the article.

Each step has its module: `quote_marks` (1), `quote_direct` (2), `quote_indirect` (3),
`quote_speakers` and `quote_resolution` (4); `quote_lexicon` holds the word lists and patterns,
`quote_context` the per-article lookups they all read. This module runs them in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from storyline.article import Article, Mention, Quote, Span
from storyline.nlp.quote_context import QuoteContext
from storyline.nlp.quote_direct import attribute_direct, continuations
from storyline.nlp.quote_indirect import attribute_indirect
from storyline.nlp.quote_marks import find_quote_spans, normalise_quotes
from storyline.nlp.quote_resolution import SpeakerResolver
from storyline.pipeline import Stage

__all__ = ["QuoteStage", "extract_quotes", "find_quote_spans", "normalise_quotes"]


class QuoteStage(Stage):
    """Direct and indirect quotes with a resolved speaker, from quote marks and speech cues."""

    name: ClassVar[str] = "quotes"
    version: ClassVar[str] = "2"
    reads: ClassVar[tuple[str, ...]] = ("sentences", "mentions")
    adds: ClassVar[tuple[str, ...]] = ("quotes",)
    languages: ClassVar[frozenset[str] | None] = frozenset({"en", "und"})

    def __init__(self, settings: dict[str, object] | None = None) -> None:
        pass

    def process(self, article: Article) -> None:
        article.quotes = extract_quotes(article.text, article.sentences, article.mentions)


def extract_quotes(
    text: str, sentences: Sequence[Span], mentions: Sequence[Mention]
) -> list[Quote]:
    """All attributed quotes of one article, in text order, with resolved speakers."""
    if not text:
        return []
    ctx = QuoteContext(text, sentences, mentions)
    direct, used = attribute_direct(ctx)
    direct.extend(continuations(ctx, direct))
    indirect = attribute_indirect(ctx, used)
    # Indirect content that is only a direct quote already found adds nothing.
    direct_parts = {p for a in direct for p in a.parts}
    indirect = [
        a
        for a in indirect
        if not any(
            s <= ds and de <= e and (e - s) - (de - ds) < 4
            for s, e in a.parts
            for ds, de in direct_parts
        )
    ]
    everything = sorted(direct + indirect, key=lambda a: (a.parts[0][0], a.cue_start))
    resolver = SpeakerResolver(ctx)
    # Resolve in order of the attribution (the cue), which is the order a reader meets them.
    quotes: list[tuple[int, Quote]] = []
    for a in sorted(everything, key=lambda a: (min(a.cue_start, a.speaker.start), a.parts[0][0])):
        name, actor, note = resolver.resolve(a)
        start, end = a.parts[0][0], a.parts[-1][1]
        content = " ".join(text[s:e] for s, e in a.parts)
        quotes.append(
            (
                start,
                Quote(
                    text=content,
                    start=start,
                    end=end,
                    speaker=name,
                    speaker_actor=actor,
                    cue=text[a.cue_start : a.cue_end] if a.cue != "quoted as saying" else a.cue,
                    kind=a.kind,
                    sentence=a.sentence,
                    rule=a.rule + note,
                    speaker_start=a.speaker.start,
                    speaker_end=a.speaker.end,
                    cue_start=a.cue_start,
                    cue_end=a.cue_end,
                    parts=[[s, e] for s, e in a.parts],
                ),
            )
        )
    quotes.sort(key=lambda q: (q[0], q[1].cue_start))
    return [q for _, q in quotes]
