"""Coded events: who did what to whom, where and when, one sentence at a time (PLOVER categories).

The default pipeline runs spaCy for entities only (no parser, no tagger: see
`storyline.nlp.model`), so this coder works from what is there: the entity mentions, the sentence
spans and the order of words. It is a dictionary coder in the tradition of TABARI and PETRARCH,
without their parse trees. Sentence patterns the word order misreads (dissent by obstruction,
demands reported in speech, deals and their brokers, background history) are rewritten first by
`storyline.nlp.event_patterns`:

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

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from storyline.article import Article, Event, Mention, Span
from storyline.nlp.event_actors import coordinated, noun_actors, verb_actors
from storyline.nlp.event_dates import Anchor, anchor_of, find_dates, resolve
from storyline.nlp.event_dictionary import PLOVER_TYPES, Dictionary, inflect, load_dictionary
from storyline.nlp.event_lexicon import (
    DATE_WINDOW_CHARS,
    MAX_EVIDENCE_CHARS,
    PLACE_WORDS,
)
from storyline.nlp.event_patterns import (
    background_clause,
    brokered_deal,
    demand_actors,
    dissent_purpose,
    reported_demand,
)
from storyline.nlp.event_subjects import NOMINAL, nominal_subjects
from storyline.nlp.event_tokens import Sentence, Tokens, tokenize
from storyline.nlp.event_triggers import (
    Trigger,
    absorb,
    apply_modifiers,
    disambiguate,
    sentences_with_triggers,
)
from storyline.pipeline import Stage

__all__ = [
    "PLOVER_TYPES",
    "EventCoder",
    "EventStage",
    "Span",
    "inflect",
    "load_dictionary",
    "tokenize",
]


class EventCoder:
    """The rule-based coder; one per process (the dictionary is loaded once)."""

    def __init__(self, dictionary: Dictionary | None = None) -> None:
        self.book = dictionary or load_dictionary()
        #: (sentence index, trigger offset) → the grammatical subject (or passive subject, as
        #: target) read from the parse, for triggers with no named actor; None asks nothing.
        self.nominal: Callable[[int, int], Mention | None] | None = None

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
        for sentence, triggers in sentences_with_triggers(self.book, article, toks):
            found = self._code_sentence(article, toks, sentence, triggers, anchor)
            if sentence.span.start < lead_end and article.dateline:
                # The dateline is where the reporter files from: it stands for the event's place
                # only when the lead sentence names no place of its own, the event's parties
                # aside ("Iran condemned the strike", filed from Tehran, happened there).
                for event in found:
                    if event.place is None and not _names_a_place(article, sentence.span, event):
                        event.place = article.dateline
                        event.rule += "+dateline"
            events.extend(found)
        return events

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
            disambiguate(self.book, lower, trigger, sentence)
        apply_modifiers(self.book, lower, triggers, sentence)
        dissent_purpose(lower, triggers, sentence)
        background_clause(lower, triggers, sentence)
        triggers = reported_demand(lower, triggers, sentence)
        triggers = brokered_deal(lower, triggers, sentence)
        live = [t for t in triggers if t.category]
        if any(t.strong for t in live):
            live = [t for t in live if t.strong]
        live = absorb(lower, live)
        events: list[Event] = []
        previous: tuple[Trigger, Mention | None, Mention | None] | None = None
        for n, trigger in enumerate(live):
            stop_at = live[n + 1].first if n + 1 < len(live) else sentence.hi
            if "reported-demand" in trigger.notes:
                source, target = demand_actors(lower, trigger, sentence)
            elif trigger.strong:
                source, target = verb_actors(lower, trigger, sentence, stop_at)
                if "under-deal" in trigger.notes and target is not None:
                    target = None if _broker(lower, sentence, target) else target
                if previous is not None and coordinated(lower, trigger, sentence, previous[0]):
                    # "X and Y held talks and agreed ...": the second verb has the same actors.
                    source = previous[1]
                    if (target is None or target is source) and "reciprocal" in previous[0].notes:
                        target = previous[2]
                    trigger.notes.append("shared-subject")
            else:
                source, target = noun_actors(lower, trigger, sentence)
            unnamed = False
            if source is None and trigger.strong and self.nominal is not None:
                # No named source: the verb's own subject, read from the parse. A name NER
                # missed ("Belarus released …") is the source; a common noun phrase ("Truck
                # drivers", "Police", "A court") names no actor, so the event is kept without
                # one (`rule` +unnamed); a passive subject stands for the target.
                found = self.nominal(sentence.index, toks.starts[trigger.first])
                if found is not None and found.label == NOMINAL:
                    unnamed = True
                    trigger.notes.append("unnamed")
                elif found is not None and not found.rule.endswith(":passive"):
                    source = found
                    trigger.notes.append("subject")
                elif found is not None and target is None:
                    target = found
                    trigger.notes.append("subject")
            if source is None and target is None and not unnamed:
                continue
            previous = (trigger, source, target)
            event = self._event(article, toks, sentence, trigger, source, target, anchor)
            if _background_date(event, anchor):
                continue  # "between 1996 and 2001": history told for context, not news
            events.append(event)
        return events

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
            source_actor=_actor(source),
            target_actor=_actor(target),
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
            if trigger.first < first and _clause_break(toks.lower, trigger.first, first):
                # "an attack in Kerman on …, who was killed … in Iraq": the place belongs to a
                # later, subordinate clause (a place before a relative clause still frames it).
                continue
            if best is None or distance < best[0]:
                best = (distance, mention)
        return best[1].text if best else None


def _actor(mention: Mention | None) -> str | None:
    """The actor key of an event party: its linked actor, else its text."""
    if mention is None:
        return None
    return mention.actor_id or mention.text


#: Words that open another clause between a trigger and a place.
_CLAUSE_WORDS = frozenset({"who", "which", "while", "whereas", "whom", "whose", ";"})
#: An event dated this many days or more before the article's date is background.
BACKGROUND_DAYS = 400


def _clause_break(lower: list[str], lo: int, hi: int) -> bool:
    return any(w in _CLAUSE_WORDS for w in lower[lo:hi])


def _names_a_place(article: Article, span: Span, event: Event) -> bool:
    """The sentence names a place (GPE, LOC, FAC) other than the dateline and other than the
    event's source and target: a country acting is a party, not where the act happened."""
    from storyline.article import PLACE_LABELS

    parties = [p for p in (event.source, event.target) if p]
    # The dateline's own name, wherever the model found it ("ISLAMABAD (Reuters) - … since
    # Islamabad launched"), is the dateline, not another place.
    filed_from = (article.dateline or "").split(",")[0].strip(" -—:").casefold()
    # Named places: the model's place mentions, and places the resolver found inside other
    # names ("the border crossing at Tacna").
    named = [
        (m.start, m.text)
        for m in article.mentions
        if m.label in PLACE_LABELS and m.rule != "fix:dateline"
    ]
    named += [
        (int(p["start"]), str(p["name"]))
        for p in article.extras.get("places", [])
        if p.get("rule") != "dateline" and int(p.get("start", -1)) >= 0
    ]
    return any(
        span.start <= start < span.end
        and name.casefold() != filed_from
        and not any(name in party for party in parties)
        for start, name in named
    )


def _broker(lower: list[str], sentence: Sentence, mention: Mention) -> bool:
    """ "UN-brokered", "brokered by Qatar": the mention brokers the deal, it is no party to it."""
    for first, m in sentence.starts.items():
        if m is mention:
            last = first
            while last + 1 < sentence.hi and sentence.ends.get(last) is not m:
                last += 1
            after = " ".join(lower[last : last + 3])  # "un-brokered" is one token
            before = lower[max(sentence.lo, first - 2) : first]
            return (
                "brokered" in after
                or "mediated" in after
                or (before[-1:] == ["by"] and ("brokered" in before or "mediated" in before))
            )
    return False


def _background_date(event: Event, anchor: Anchor | None) -> bool:
    """The event's own date lies more than `BACKGROUND_DAYS` before the article's."""
    import datetime as dt

    if anchor is None or not event.date or event.date_precision in (None, "article"):
        return False
    try:
        year = int(event.date[:4])
        month = int(event.date[5:7]) if len(event.date) >= 7 else 12
        day = int(event.date[8:10]) if len(event.date) >= 10 else 28
        when = dt.date(year, month, day)
    except ValueError:
        return False
    return (anchor.day - when).days >= BACKGROUND_DAYS


class EventStage(Stage):
    """Codes PLOVER events per sentence from entity mentions and a verb dictionary."""

    name: ClassVar[str] = "events"
    # 3: parties read from the parse where NER names none; 4: delivering food or supplies is AID;
    # 5: acts done in protest, parties placed in a country, easing curfews, opening under deals
    version: ClassVar[str] = "5"
    reads: ClassVar[tuple[str, ...]] = ("sentences", "mentions")
    adds: ClassVar[tuple[str, ...]] = ("events",)
    languages: ClassVar[frozenset[str] | None] = frozenset({"en", "und"})

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.coder: EventCoder | None = None
        self.parser: Any = None

    def setup(self) -> None:
        if self.coder is None:
            self.coder = EventCoder()
        if self.parser is None:
            from storyline.nlp.model import load_parser

            self.parser = load_parser()

    def process(self, article: Article) -> None:
        """Code one article; a verb trigger with no named actor asks the parse for its subject
        (inside `process_batch`, whose hook collects the questions for the whole batch)."""
        self.setup()
        coder = self.coder
        assert coder is not None
        if coder.nominal is not None:
            article.events = coder.code(article)
            return
        asked: list[tuple[int, int, int]] = []

        def ask(sentence: int, offset: int) -> Mention | None:
            asked.append((0, sentence, offset))
            return None

        try:
            coder.nominal = ask
            article.events = coder.code(article)
            if asked:
                subjects = nominal_subjects(self.parser, [article], asked)
                coder.nominal = lambda si, off: subjects.get((0, si, off))
                article.events = coder.code(article)
        finally:
            coder.nominal = None

    def process_batch(self, articles: Sequence[Article]) -> None:
        """Code every article; the sentences whose verb trigger found no named actor are then
        parsed for the whole batch at once (`storyline.nlp.event_subjects`) and those articles
        coded again with the verbs' subjects as parties."""
        from storyline.pipeline import run_one

        self.setup()
        coder = self.coder
        assert coder is not None
        asked: list[tuple[int, int, int]] = []
        current = [0]

        def ask(sentence: int, offset: int) -> Mention | None:
            asked.append((current[0], sentence, offset))
            return None

        coder.nominal = ask
        try:
            for n, article in enumerate(articles):
                current[0] = n
                run_one(self, article)
        finally:
            coder.nominal = None
        asked = [k for k in asked if articles[k[0]].ok]
        if not asked:
            return
        subjects = nominal_subjects(self.parser, articles, asked)
        try:
            for i in sorted({i for i, _, _ in asked}):
                coder.nominal = lambda si, off, i=i: subjects.get((i, si, off))
                run_one(self, articles[i])
        finally:
            coder.nominal = None
