"""Who said what: direct and indirect speech with its speaker, by rules over NER output and a parse.

`QuoteStage` works on ``Article.text``, ``Article.sentences`` and ``Article.mentions`` (from the
entities stage, with ``Mention.actor_id`` when the actors stage ran). Cheap rules read quote
marks, a speech-cue lexicon and the entity mentions around the cue; the sentences they leave
unread (or read with a speaker that may be cut short) are parsed, for the whole batch at once,
and `quote_parse` reads the verb of saying, its subject and its complement (step 5). Every regex
here is linear (no nested quantifiers) and each match is bounded to one sentence, so adversarial
input costs time proportional to its length.

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

5. The parse (`storyline.nlp.model.load_parser`) of the unsettled cue sentences: the subject's
   whole noun phrase is the source (never a dateline or a phrase in quote marks; a passive's
   agent), the clausal complement the content; rule speakers grow to the parse's noun phrase.

Each step has its module: `quote_marks` (1), `quote_direct` (2), `quote_indirect` (3),
`quote_speakers` and `quote_resolution` (4), `quote_parse` (5); `quote_lexicon` holds the word
lists and patterns, `quote_context` the per-article lookups they all read. This module runs them
in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from storyline.article import Article, Mention, Quote, Span
from storyline.nlp.quote_context import Attribution, QuoteContext
from storyline.nlp.quote_direct import attribute_direct, continuations
from storyline.nlp.quote_indirect import attribute_indirect
from storyline.nlp.quote_marks import find_quote_spans, normalise_quotes
from storyline.nlp.quote_parse import (
    attributions_from_parse,
    parse_sentences,
    parse_wanted,
    tidy_direct,
    tidy_marks,
    tidy_sources,
)
from storyline.nlp.quote_resolution import SpeakerResolver
from storyline.pipeline import Stage

__all__ = ["QuoteStage", "extract_quotes", "find_quote_spans", "normalise_quotes"]


class QuoteStage(Stage):
    """Direct and indirect quotes with a resolved speaker, from quote marks and speech cues."""

    name: ClassVar[str] = "quotes"
    # 4: "that"/day not content, closing marks kept, described sources; 5: two reports of one
    # sentence end where the next begins, every unread cue parsed, specified roles unresolved
    version: ClassVar[str] = "5"
    reads: ClassVar[tuple[str, ...]] = ("sentences", "mentions")
    adds: ClassVar[tuple[str, ...]] = ("quotes",)
    languages: ClassVar[frozenset[str] | None] = frozenset({"en", "und"})

    def __init__(self, settings: dict[str, object] | None = None) -> None:
        self.parser: Any = None

    def setup(self) -> None:
        from storyline.nlp.model import load_parser

        self.parser = load_parser()

    def process(self, article: Article) -> None:
        self.process_batch([article])

    def process_batch(self, articles: Sequence[Article]) -> None:
        """Rules first; then the sentences they left unread (or read with a cut-short speaker)
        are parsed for the whole batch in one ``nlp.pipe``, and attribution finishes."""
        if self.parser is None:
            self.setup()
        ruled = [_rules(QuoteContext(a.text, a.sentences, a.mentions)) if a.text else None
                 for a in articles]  # fmt: skip
        wanted = [(i, si) for i, r in enumerate(ruled) if r for si in parse_wanted(*r)]
        texts = []
        for i, (si, end) in wanted:
            r = ruled[i]
            assert r is not None
            texts.append(r[0].text[r[0].sentences[si].start : end])
        docs = parse_sentences(self.parser, texts)
        parsed: dict[int, list[tuple[int, Any]]] = {}
        for (i, (si, _)), doc in zip(wanted, docs, strict=True):
            parsed.setdefault(i, []).append((si, doc))
        for i, article in enumerate(articles):
            r = ruled[i]
            article.quotes = [] if r is None else _finish(*r, parsed.get(i, []))
            article.stages[self.name] = self.version


def extract_quotes(
    text: str,
    sentences: Sequence[Span],
    mentions: Sequence[Mention],
    parser: Any = None,
) -> list[Quote]:
    """All attributed quotes of one article, in text order, with resolved speakers.

    With ``parser`` (`storyline.nlp.model.load_parser`), the sentences the rules could not read
    are parsed and `quote_parse` adds what the surface rules missed; without it, the rules alone
    run."""
    if not text:
        return []
    ctx, direct, indirect = _rules(QuoteContext(text, sentences, mentions))
    parsed: list[tuple[int, Any]] = []
    if parser is not None:
        wanted = parse_wanted(ctx, direct, indirect)
        texts = [text[ctx.sentences[si].start : end] for si, end in wanted]
        docs = parse_sentences(parser, texts)
        parsed = [(si, doc) for (si, _), doc in zip(wanted, docs, strict=True)]
    return _finish(ctx, direct, indirect, parsed)


def _rules(ctx: QuoteContext) -> tuple[QuoteContext, list[Attribution], list[Attribution]]:
    """The surface rules: direct speech (with continuations), then indirect speech."""
    direct, used = attribute_direct(ctx)
    direct.extend(continuations(ctx, direct))
    return ctx, direct, attribute_indirect(ctx, used)


def _finish(
    ctx: QuoteContext,
    direct: list[Attribution],
    indirect: list[Attribution],
    parsed: Sequence[tuple[int, Any]],
) -> list[Quote]:
    text = ctx.text
    indirect.extend(attributions_from_parse(ctx, parsed, direct + indirect))
    tidy_direct(ctx, indirect)
    tidy_marks(ctx, indirect)
    tidy_sources(ctx, [*direct, *indirect])
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
