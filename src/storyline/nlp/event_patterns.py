"""Sentence-level patterns the word-by-word coder reads wrongly, each a general rule of news prose.

- **Dissent by obstruction** (`dissent_purpose`): "blocked a road to show their disapproval",
  "occupied the square in protest at …": a blocking act whose stated purpose is dissent is PROTEST,
  not COERCE (PLOVER codes civilian obstruction as protest); the protest word in the purpose is the
  same event.
- **A demand reported in speech** (`reported_demand`): "X said (that) Y must/should/has to …":
  X asks Y to act, a REQUEST from X to Y; what Y must do has not happened and is not coded.
- **A deal's broker is not its party** (`brokered_deal`): "Turkey will allow … as part of a
  UN-brokered deal": the permitting clause's subject agrees; "UN" only brokered.
- **Background** (`background_clause`): a verb in a non-restrictive relative clause (", who was
  killed in …", ", which …") describes a mention's past, not the news of the sentence.

Each rule only rewrites the sentence's triggers; `storyline.nlp.events` then finds actors as
usual, and the rewritten triggers carry a note in ``Event.rule``."""

from __future__ import annotations

from dataclasses import replace

from storyline.article import Mention
from storyline.nlp.event_dictionary import Pattern
from storyline.nlp.event_lexicon import HARD_STOPS
from storyline.nlp.event_tokens import Sentence
from storyline.nlp.event_triggers import Trigger

#: Acts that obstruct; with a purpose of dissent they are a protest.
OBSTRUCTING = frozenset(
    """block blocks blocked blocking blockade blockaded occupy occupies occupied occupying
    barricade barricaded shut closed close boycott boycotted""".split()
)
#: "to show/voice … their anger": the purpose verbs and the feelings of dissent.
PURPOSE_VERBS = frozenset("show voice express register vent signal demonstrate air".split())
DISSENT_NOUNS = frozenset(
    """anger disapproval opposition discontent frustration displeasure dissatisfaction outrage
    protest fury resentment objection objections rejection""".split()
)
DISSENT_VERBS = frozenset("protest denounce condemn oppose decry".split())
#: Verbs of coming together: "gathered outside city hall to denounce …" is a demonstration.
GATHERING = frozenset(
    """gather gathers gathered gathering assemble assembled assembling converge converged
    converging march marched marching rally rallied rallying""".split()
)
#: Reporting verbs before a reported demand.
SPEECH = frozenset(
    """said says say told tells insisted insists stated states demanded demands declared
    declares added adds stressed stresses warned warns argued argues saying telling""".split()
)
#: Modal phrases of obligation: what a speaker demands of the subject.
OBLIGATION: tuple[tuple[str, ...], ...] = (("must",), ("should",), ("has", "to"), ("have", "to"))
OBLIGATION += (("needs", "to"),)
OBLIGATION += (("need", "to"), ("ought", "to"))
OBLIGATION += (("had", "to"),)  # reported speech shifts "must" back: "said Y had to …"
#: Verbs of permitting: "X will allow/let/permit …" is X agreeing to something.
PERMITTING = frozenset("allow allows allowed let lets permit permits permitted".split())
#: Verbs of granting something, which a deal binds the same way ("X will grant visas under …").
PERMITTING |= frozenset("grant grants granted waive waives waived".split())
#: Verbs of opening, bound by a deal only when what opens is a way in ("Greece will reopen the
#: crossing as part of a deal", "X will open its ports to Y under an agreement"); "opened fire"
#: or "opened an investigation" under a deal stay what they are.
OPENING = frozenset("open opens opened reopen reopens reopened".split())
WAYS_IN = frozenset(
    """border borders crossing crossings port ports airspace market markets route routes
    corridor corridors embassy consulate road roads checkpoint checkpoints gates waters
    airport airports""".split()
)
#: A name after one of these is no speaker ("returned from Islamabad, saying …").
_PREPOSITIONS = frozenset("from in at to of near with into for on by".split())
DEAL_NOUNS = frozenset("deal agreement accord arrangement pact".split())

_REQUEST = Pattern("REQUEST", ("must",), "frame", "reported demand")
_AGREE = Pattern("AGREE", ("allow",), "verb", "allow ... under deal")


def dissent_purpose(lower: list[str], triggers: list[Trigger], sentence: Sentence) -> None:
    """Recode an obstructing COERCE trigger as PROTEST when a purpose of dissent follows it.

    "in protest" codes the act it follows as a protest only when that act is no event of its
    own: "Algeria recalled its ambassador in protest at …" stays one SANCTION, "two ministers
    resigned in protest" one CONCEDE."""
    for trigger in triggers:
        if trigger.pattern.entry != "=in protest" or trigger.category != "PROTEST":
            continue
        if any(o is not trigger and o.category and o.strong and o.first < trigger.first
               for o in triggers):  # fmt: skip
            trigger.category = ""
    for trigger in triggers:
        if trigger.category != "COERCE" or lower[trigger.first] not in OBSTRUCTING:
            continue
        end = _purpose_end(lower, trigger.last + 1, min(sentence.hi, trigger.last + 14))
        if end is None:
            continue
        trigger.category = "PROTEST"
        trigger.notes.append("purpose:dissent")
        for other in triggers:
            if other is not trigger and trigger.last < other.first <= end:
                other.category = ""  # "to protest against …" is the same protest
    for trigger in triggers:
        # "Protesters gathered outside the city hall to denounce …": the denouncing is what the
        # gathering is for, a demonstration rather than an official accusation.
        first = trigger.first
        if trigger.category != "ACCUSE" or first < 2 or lower[first - 1] != "to":
            continue
        if lower[first] not in _DISSENT_FORMS:
            continue
        before = range(max(sentence.lo, first - 10), first - 1)
        if any(lower[j] in GATHERING for j in before) and not any(
            lower[j] in HARD_STOPS for j in before
        ):
            trigger.category = "PROTEST"
            trigger.notes.append("purpose:gathering")


_DISSENT_FORMS = frozenset(DISSENT_VERBS)


def _purpose_end(lower: list[str], start: int, stop: int) -> int | None:
    """The last token of "to show their anger" / "to protest" / "in protest" from ``start``."""
    for j in range(start, stop):
        word = lower[j]
        if word in HARD_STOPS or word in {".", ";"}:
            return None
        nxt = lower[j + 1] if j + 1 < stop else ""
        if word == "in" and nxt == "protest":
            return j + 1
        if word != "to":
            continue
        if nxt in DISSENT_VERBS:
            return j + 1
        if nxt in PURPOSE_VERBS:
            for k in range(j + 2, min(stop, j + 6)):
                if lower[k] in DISSENT_NOUNS:
                    return k
    return None


def reported_demand(lower: list[str], triggers: list[Trigger], sentence: Sentence) -> list[Trigger]:
    """ "X said Y must …": one REQUEST trigger at the modal; triggers in the demand are dropped.

    Returns the sentence's triggers, rewritten (the REQUEST takes the place of what Y must do)."""
    for cue in range(sentence.lo, sentence.hi):
        if lower[cue] not in SPEECH:
            continue
        j = cue + 1
        if j < sentence.hi and lower[j] == "that":
            j += 1
        for k in range(j, min(sentence.hi, j + 12)):
            if lower[k] in HARD_STOPS or lower[k] in {".", ";"}:
                break
            words = _obligation_at(lower, k, sentence.hi)
            if words is None:
                continue
            subject = sentence.ends.get(k - 1)
            if subject is None:
                break
            modal_end = k + len(words) - 1
            demand = Trigger(_REQUEST, k, modal_end, "REQUEST", strong=True)
            demand.notes.append("reported-demand")
            clause_end = _clause_end(lower, modal_end + 1, sentence.hi)
            kept = [t for t in triggers if not (k <= t.first < clause_end)]
            kept.append(demand)
            kept.sort(key=lambda t: t.first)
            return kept
    return triggers


def demand_actors(
    lower: list[str], trigger: Trigger, sentence: Sentence
) -> tuple[Mention | None, Mention | None]:
    """Source (the speaker before the reporting verb) and target (the subject of the modal)."""
    target = sentence.ends.get(trigger.first - 1)
    source = None
    for j in range(trigger.first - 1, sentence.lo - 1, -1):
        if lower[j] in SPEECH:
            k = j - 1
            while k >= max(sentence.lo, j - 25):
                m = sentence.ends.get(k)
                if m is None:
                    k -= 1
                    continue
                first = k
                while first > sentence.lo and sentence.starts.get(first) is not m:
                    first -= 1
                if first > sentence.lo and lower[first - 1] in _PREPOSITIONS:
                    k = first - 1  # "returned from Islamabad saying": a place, not the speaker
                    continue
                source = m
                break
            break
    return source, target


def brokered_deal(lower: list[str], triggers: list[Trigger], sentence: Sentence) -> list[Trigger]:
    """ "X will allow … as part of / under a (Y-brokered) deal": AGREE at the permitting verb.

    The deal noun is dropped; its source is the permitting clause's subject (found as for any
    verb), never the broker."""
    for i in range(sentence.lo, sentence.hi):
        if lower[i] in OPENING:
            if not any(w in WAYS_IN for w in lower[i + 1 : min(sentence.hi, i + 5)]):
                continue
        elif lower[i] not in PERMITTING:
            continue
        for k in range(i + 1, min(sentence.hi, i + 25)):
            if lower[k] in HARD_STOPS:
                break
            if lower[k] in DEAL_NOUNS and _under_deal(lower, i + 1, k):
                agree = Trigger(replace(_AGREE), i, i, "AGREE", strong=True)
                agree.notes.append("under-deal")
                kept = [t for t in triggers if not (i <= t.first <= k)]
                kept.append(agree)
                kept.sort(key=lambda t: t.first)
                return kept
    return triggers


def _under_deal(lower: list[str], lo: int, deal: int) -> bool:
    """ "as part of a …", "under a …", "in line with the …" within four words before the deal."""
    window = lower[max(lo, deal - 6) : deal]
    text = " ".join(window)
    return "as part of" in text or "under" in window or "in line with" in text


def background_clause(lower: list[str], triggers: list[Trigger], sentence: Sentence) -> None:
    """Drop triggers inside ", who …" / ", which …" relative clauses when the sentence has a
    trigger outside them: the clause describes a mention's past, not the sentence's news."""
    spans = []
    for j in range(sentence.lo + 1, sentence.hi):
        # ", who was killed …", ", which had …": a past told about a mention (", who also met
        # X" is the news itself, and stays).
        if lower[j] in {"who", "which"} and lower[j - 1] == "," and _past_after(lower, j + 1):
            spans.append((j, _relative_end(lower, j + 1, sentence.hi)))
    if not spans:
        return
    live = [t for t in triggers if t.category]
    inside = [t for t in live if any(a < t.first < b for a, b in spans)]
    if inside and len(inside) < len(live):
        for trigger in inside:
            trigger.category = ""


def _past_after(lower: list[str], j: int) -> bool:
    return j < len(lower) and lower[j] in {"was", "were", "had"}


def _relative_end(lower: list[str], start: int, hi: int) -> int:
    for j in range(start, hi):
        if lower[j] in HARD_STOPS or lower[j] in {",", ";", "."}:
            return j
    return hi


def _obligation_at(lower: list[str], k: int, hi: int) -> tuple[str, ...] | None:
    for words in OBLIGATION:
        if tuple(lower[k : min(hi, k + len(words))]) == words:
            return words
    return None


def _clause_end(lower: list[str], start: int, hi: int) -> int:
    for j in range(start, hi):
        if lower[j] in HARD_STOPS or lower[j] in {";", "but", "while", "whereas"}:
            return j
        if lower[j] == "," and j + 1 < hi and lower[j + 1] in {"and", "but", "while", "as"}:
            return j
    return hi
