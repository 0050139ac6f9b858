"""The `Article` record that flows through every stage, and the facts stages attach to it.

One mutable record per document keeps the pipeline simple: a stage reads the fields it declares
and fills in the ones it adds. Facts (entities, quotes, events) carry character spans into
`Article.text` so an analyst can always click from a number back to the sentence behind it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: What each entity label names, for actor keys ("person:ebrahim-raisi"): the one table of
#: labels that the stages and the update steps share.
LABEL_KINDS = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
#: Labels that name a place (where).
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Labels that name who acts and is not a place: people, organisations, groups.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP"})


def article_date(article: Article) -> str:
    """Sort key for time order: the publication date, else its lower bound, else ''."""
    return (article.published or article.date_not_before or "")[:10]


@dataclass
class Removed:
    """A piece of the input the cleaner dropped, kept so an analyst can see what and why."""

    text: str
    reason: str  # breadcrumb, repeated_headline, promo, teaser, author_box, link_dump, ...
    line: int | None = None  # 1-based line in the decoded input, when known


@dataclass
class Span:
    """A character span into `Article.text` (end exclusive)."""

    start: int
    end: int


def name_of(text: str) -> str:
    """The name a mention's text writes: its span without a leading "the" ("the Foreign Office"
    → "Foreign Office"). Spans keep the "the" the model reads with the name (OntoNotes'
    convention, docs/actors.md); actor names, aliases, keys and display labels use this."""
    return text[4:] if text[:4] in ("the ", "The ") else text


@dataclass
class Mention:
    """An entity mention as recognised in the text, before or after linking to an actor.

    ``text`` is the span as written, with a leading "the" when the model includes it; ``name``
    is the actor's name in it (`name_of`)."""

    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, ...
    start: int
    end: int
    sentence: int = -1  # index into Article.sentences
    actor_id: str | None = None  # canonical actor after linking
    rule: str = "ner"  # which model or rule produced it ("ner", "gazetteer:<name>", ...)
    tone: float | None = None  # tone of the sentence mentioning it, -1..1 (nlp/tone.py)
    link: str = ""  # which actor-linking rule chose actor_id ("gazetteer", "short-form", ...)
    role: str | None = None  # title or role stated next to the mention ("special envoy to X")

    @property
    def name(self) -> str:
        """The name this mention writes, without a leading "the" (`name_of`)."""
        return name_of(self.text)


@dataclass
class Quote:
    """Direct or indirect speech with its speaker."""

    text: str
    start: int
    end: int
    speaker: str | None = None  # surface form of the speaker
    speaker_actor: str | None = None
    cue: str | None = None  # "said", "told reporters", ...
    kind: str = "direct"  # direct | indirect
    sentence: int = -1
    rule: str = ""
    # Where the attribution's parts sit in `Article.text` (-1 when absent): the source expression
    # as written ("he", "the minister"), the cue ("said", "according to"), and the content
    # pieces ([start, end] pairs; two for a quote split around its attribution).
    speaker_start: int = -1
    speaker_end: int = -1
    cue_start: int = -1
    cue_end: int = -1
    parts: list[list[int]] = field(default_factory=list)


@dataclass
class Event:
    """One coded fact: who did what to whom, where and when (PLOVER categories)."""

    type: str  # AGREE, CONSULT, ...
    source: str | None
    target: str | None
    sentence: int
    evidence: str
    start: int = 0
    end: int = 0
    place: str | None = None
    date: str | None = None
    mode: str = ""  # e.g. negated, hypothetical
    rule: str = ""
    source_actor: str | None = None  # canonical actor of the source mention, when linked
    target_actor: str | None = None
    trigger: str = ""  # the words that coded the event ("agreed to", "talks")
    date_precision: str | None = None  # day | week | month | year | article (no date in text)
    date_bound: bool = False  # date resolved against date_not_before: a lower bound


@dataclass
class Article:
    """One document as an outlet published it, plus everything the stages learned about it.

    Reader-set fields: ``source``, ``record``, ``raw``, ``raw_format``, ``fields``.
    """

    source: str  # file path, URL or "<stdin>"
    raw: bytes = b""
    raw_format: str = "txt"  # txt | md | html | json
    record: int | None = None  # line/record index inside a JSON Lines or JSON array input
    fields: dict[str, Any] = field(default_factory=dict)  # the input record (JSON inputs)

    id: str = ""
    content_hash: str = ""
    decoded: str = ""  # the raw input as text, after encoding detection
    encoding: str | None = None
    html: str | None = None
    title: str | None = None
    text: str = ""  # clean body text, paragraphs separated by blank lines
    paragraphs: list[str] = field(default_factory=list)
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    byline: str | None = None
    agencies: list[str] = field(default_factory=list)
    dateline: str | None = None
    published: str | None = None  # ISO date or datetime; never the ingest time
    date_precision: str | None = None  # day | month | year | datetime
    date_source: str | None = None  # html-meta | url | date-line | record | ...
    date_not_before: str | None = None  # lower bound for undated articles, never the date
    date_bound_evidence: str | None = None
    language: str | None = None
    language_score: float | None = None
    removed: list[Removed] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)  # field -> how it was found
    problems: list[str] = field(default_factory=list)  # non-fatal warnings from stages
    failed: str | None = None  # set when a stage failed; later stages skip the article
    skipped: str | None = None  # expected rejection (empty, not text, ...), with its reason
    stages: dict[str, str] = field(default_factory=dict)  # stage name -> version that ran

    # Facts added by enrichment stages.
    sentences: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tone: float | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # stage-specific JSON-able facts

    # Transient, never stored: objects shared between stages in one process (a spaCy Doc...).
    scratch: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.failed is None and self.skipped is None

    def as_dict(self, *, raw: bool = False) -> dict[str, Any]:
        """JSON-able view used by export and the `--json` CLI output."""
        data = asdict(self)
        data.pop("scratch", None)
        data.pop("decoded", None)
        data.pop("html", None)
        if not raw:
            data.pop("raw", None)
        else:
            data["raw"] = self.raw.decode("utf-8", "replace")
        return data


#: Fields a reader sets; every stage may read them.
READER_FIELDS: frozenset[str] = frozenset({"source", "raw", "raw_format", "record", "fields"})
