"""Source and target of a trigger: the nearest actor mentions before and after it in the clause.

"X was attacked by Y" swaps them, "X and Y agreed" makes Y the target, "X met Y and signed ..."
lends X to the second verb; a mention right after "in", "at", "near" is a place, not a target;
a noun trigger takes only the actors right beside it."""

from __future__ import annotations

from storyline.article import PLACE_LABELS, Mention
from storyline.nlp.actor_keys import country_code
from storyline.nlp.event_dictionary import GAP
from storyline.nlp.event_lexicon import (
    BE_WORDS,
    FORWARD_STOPS,
    HARD_STOPS,
    LINK_WORDS,
    PLACE_WORDS,
    SOFT_STOPS,
    SOURCE_WINDOW,
    SYMMETRIC,
    TARGET_PREPS,
    TARGET_WINDOW,
)
from storyline.nlp.event_tokens import Sentence
from storyline.nlp.event_triggers import Trigger


def verb_actors(
    lower: list[str], trigger: Trigger, sentence: Sentence, stop_at: int
) -> tuple[Mention | None, Mention | None]:
    """Source and target of a verb trigger; a passive ("was attacked by") swaps them."""
    before = lower[trigger.first - 1] if trigger.first > sentence.lo else ""
    if before in BE_WORDS and not trigger.pattern.base_form:
        agent = _after_by(lower, trigger.last + 1, sentence)
        patient, _ = _before(lower, trigger.first - 1, sentence)
        trigger.notes.append("passive")
        return agent, patient
    source, partner = _before(lower, trigger.first - 1, sentence)
    # "called on China and Russia to ...": the target sits inside the phrase's gap.
    gapped_frame = trigger.pattern.kind == "frame" and GAP in trigger.pattern.words
    after = trigger.first + 1 if gapped_frame else trigger.last + 1
    target = _after(
        lower,
        after,
        min(stop_at, trigger.last + 1 + TARGET_WINDOW),
        sentence,
        exclude=source,
    )
    if partner is not None and (target is None or trigger.category in SYMMETRIC):
        trigger.notes.append("reciprocal")
        target = partner
    return source, target


def _before(
    lower: list[str], start: int, sentence: Sentence
) -> tuple[Mention | None, Mention | None]:
    """Nearest actor before ``start`` in the clause; with "X and Y", returns (X, Y).

    A mention after "of" ("the governor of Nimroz", "people of Afghanistan") qualifies a noun,
    so an actor further back in the clause is preferred to it.
    """
    lo = max(sentence.lo, start - SOURCE_WINDOW)
    fallback: Mention | None = None
    j = start
    while j >= lo:
        word = lower[j]
        if word in HARD_STOPS:
            break
        mention = sentence.ends.get(j)
        if mention is not None:
            first = _first_token(sentence, mention, j)
            if _placed_subject(lower, first, sentence):
                # "Farmers in Ireland dumped …": Ireland's people; "Police in Dakar": no one;
                # "Militants from Hamas": an organisation, which the rules below take
                country = country_code(mention.text)
                if mention.label in PLACE_LABELS or country is not None:
                    if country is not None:
                        fallback = fallback or mention
                    j = first - 1
                    continue
            if _is_place_slot(lower, first, sentence):
                j = first - 1
                continue
            if first > sentence.lo and lower[first - 1] == "of":
                fallback = fallback or mention
                j = first - 1
                continue
            k = _skip_counterpart(lower, sentence, first - 1)
            other = sentence.ends.get(k - 1) if k > sentence.lo else None
            if (
                other is not None
                and other.text != mention.text
                and (lower[k] == "and" or (lower[k] == "," and other.label == mention.label))
            ):
                return other, mention
            return mention, None
        if word in SOFT_STOPS:
            break
        j -= 1
    return fallback, None


#: "X and his Iranian counterpart Y": the words between "and" and Y that keep X and Y a pair.
_COUNTERPART = frozenset({"his", "her", "its", "their", "counterpart", "counterparts"})


def _skip_counterpart(lower: list[str], sentence: Sentence, k: int) -> int:
    """From token ``k`` back over "his (Iranian) counterpart" to the "and" before it, if any."""
    j = k
    while j > sentence.lo and k - j < 5:
        if lower[j] in _COUNTERPART:
            j -= 1
            continue
        norp = sentence.ends.get(j)
        if norp is not None and norp.label == "NORP":
            j = _first_token(sentence, norp, j) - 1
            continue
        break
    return j if j != k and lower[j] == "and" else k


def _after(
    lower: list[str],
    start: int,
    stop: int,
    sentence: Sentence,
    exclude: Mention | None = None,
) -> Mention | None:
    """Nearest actor from ``start`` on, before ``stop``; a possessor yields its head."""
    stop = min(stop, sentence.hi)
    j = start
    while j < stop:
        word = lower[j]
        if word in HARD_STOPS or (word in FORWARD_STOPS and j > start):
            return None
        mention = sentence.starts.get(j)
        if mention is None or mention is exclude:
            j += 1
            continue
        end = _last_token(sentence, mention, j)
        head = _possessive_head(lower, sentence, end)
        if _is_place_slot(lower, j, sentence):
            # "in Afghanistan's Helmand province": the possessive head is a place too.
            j = max(end, _last_token(sentence, head, end + 2) if head else end) + 1
            continue
        if _names_a_route(lower, sentence, mention, j, end):
            # "blocked the Pan-American Highway", "reopen the Kulata crossing": the object is
            # a road or a crossing, where the act happens, not a party to it.
            j = end + 1
            continue
        if head is None and mention.label == "NORP":
            # "his Iranian counterpart Hossein Rahmani-Fard": the person, not the adjective.
            head = _apposed(lower, sentence, end)
        return head or mention
    return None


def _after_by(lower: list[str], start: int, sentence: Sentence) -> Mention | None:
    for j in range(start, min(sentence.hi, start + 6)):
        if lower[j] in HARD_STOPS:
            return None
        if lower[j] == "by":
            for k in range(j + 1, min(sentence.hi, j + 4)):
                if k in sentence.starts:
                    return sentence.starts[k]
            return None
    return None


def noun_actors(
    lower: list[str], trigger: Trigger, sentence: Sentence
) -> tuple[Mention | None, Mention | None]:
    """Actors right beside a noun: "Iran's sanctions on X", "talks with Y", "attack by Z"."""
    source = None
    for back in (1, 2):
        j = trigger.first - back
        if j < sentence.lo:
            break
        if j in sentence.ends and (back == 1 or lower[j + 1] == "'s"):
            source = sentence.ends[j]
            break
    target = None
    nxt = trigger.last + 1
    if nxt < sentence.hi and lower[nxt] == "by" and source is None:
        source = _after_by(lower, nxt, sentence)
        nxt = nxt + 1
        while nxt < sentence.hi and nxt not in sentence.starts and nxt < trigger.last + 5:
            nxt += 1
        nxt += 1
    if nxt < sentence.hi and lower[nxt] in TARGET_PREPS:
        for k in range(nxt + 1, min(sentence.hi, nxt + 4)):
            if k in sentence.starts:
                target = sentence.starts[k]
                if lower[nxt] == "between" and source is None:
                    source = target
                    end = _last_token(sentence, target, k)
                    target = None
                    if end + 2 < sentence.hi and lower[end + 1] == "and":
                        target = sentence.starts.get(end + 2)
                break
    return source, target


def coordinated(lower: list[str], trigger: Trigger, sentence: Sentence, previous: Trigger) -> bool:
    """ "X met Y and signed ...": no actor between "and" and the second verb."""
    for k in range(trigger.first - 1, max(previous.last, trigger.first - 4), -1):
        if k in sentence.ends or k in sentence.starts:
            return False
        if lower[k] == "and":
            return True
    return False


def _possessive_head(lower: list[str], sentence: Sentence, end: int) -> Mention | None:
    """The actor a possessor qualifies: "China's Xi Jinping" -> Xi Jinping; else None."""
    if end + 1 >= sentence.hi or lower[end + 1] != "'s":
        return None
    k = end + 2
    while k < min(sentence.hi, end + 8) and lower[k] not in LINK_WORDS:
        if k in sentence.starts:
            return sentence.starts[k]
        k += 1
    return None


def _apposed(lower: list[str], sentence: Sentence, end: int) -> Mention | None:
    """A PERSON or ORG named within three words after a nationality adjective, if any."""
    for k in range(end + 1, min(sentence.hi, end + 4)):
        if lower[k] in LINK_WORDS or lower[k] in HARD_STOPS:
            return None
        mention = sentence.starts.get(k)
        if mention is not None:
            return mention if mention.label in ("PERSON", "ORG") else None
    return None


def _first_token(sentence: Sentence, mention: Mention, last: int) -> int:
    j = last
    while j > sentence.lo and sentence.starts.get(j) is not mention:
        j -= 1
    return j


def _last_token(sentence: Sentence, mention: Mention, first: int) -> int:
    j = first
    while j < sentence.hi - 1 and sentence.ends.get(j) is not mention:
        j += 1
    return j


def _is_place_slot(lower: list[str], first: int, sentence: Sentence) -> bool:
    """A place-like mention right after "in", "at", "near": where, not whom."""
    mention = sentence.starts.get(first)
    if mention is not None and mention.label not in PLACE_LABELS:
        return False
    return first > sentence.lo and lower[first - 1] in PLACE_WORDS


#: Tokens that end a dateline or an introduction before the subject ("KITWE, May 3 – Miners …").
_CLAUSE_OPENERS = frozenset({"-", "–", "—", ":", ";"})
#: Words of a subject phrase before "in COUNTRY" at most ("Hundreds of striking farmers in …").
_SUBJECT_WORDS = 6


def _placed_subject(lower: list[str], first: int, sentence: Sentence) -> bool:
    """ "Farmers in Ireland dumped …", "Police in Dakar arrested …": the name at ``first``
    follows "in" or "from" after a common noun of people at the head of its clause. When it is
    a place it says where the party is; a country there acts for that country's people, so the
    caller keeps it as the source when no named actor is closer (PLOVER and ICEWS code such
    parties by their country). Not for happenings ("Floods in Pakistan killed …") or armed
    groups ("Gunmen in …"); the caller leaves an organisation ("Militants from Hamas") alone."""
    if first - 1 <= sentence.lo or lower[first - 1] not in ("in", "from"):
        return False
    head = lower[first - 2]
    if head in _ARMED or not (head in _PEOPLE or head.endswith(_PEOPLE_ENDINGS)):
        return False
    j = first - 2
    words = 0
    while j >= sentence.lo and lower[j] not in _CLAUSE_OPENERS:
        if not lower[j].isalpha() or sentence.ends.get(j) is not None or words >= _SUBJECT_WORDS:
            return False
        words += 1
        j -= 1
    return words > 0


#: Plural nouns of people by their ending ("farmers", "prosecutors", "civilians", "residents",
#: "fishermen") and by name: the parties a place can stand for.
_PEOPLE_ENDINGS = ("ers", "ors", "ists", "ians", "ants", "ents", "ees", "men", "ics")
_PEOPLE = frozenset(
    """police people troops officials nurses authorities families children youths women
    mourners crowds crowd pilgrims refugees migrants voters unions""".split()
)
#: Armed parties are not the country's people: "Gunmen in Pakistan" are not Pakistan.
_ARMED = frozenset(
    """gunmen militants insurgents rebels attackers bombers fighters jihadists extremists
    terrorists kidnappers raiders assailants""".split()
)


#: Nouns of roads, crossings and installations: "the Kulata crossing", "the Pan-American
#: Highway" name the thing acted on, not a party.
_ROUTES = frozenset(
    """crossing crossings border highway motorway expressway road bridge port harbour harbor
    airport pipeline railway tunnel dam checkpoint corridor""".split()
)
#: Words that make a name a road whatever NER calls it ("the Interoceanic Highway").
_ROAD_NAMES = frozenset("highway motorway expressway road".split())


def _names_a_route(
    lower: list[str], sentence: Sentence, mention: Mention, first: int, last: int
) -> bool:
    """A named road or crossing after "the": "blocked the Pan-American Highway", "reopen the
    Kulata crossing". Without "the" a name before such a noun is a party ("Greece border
    guards"), and an organisation named for one is a party too ("Colonial Pipeline")."""
    if mention.label not in PLACE_LABELS and mention.label != "ORG":
        return False
    if not (mention.text.lower().startswith("the ") or (first > 0 and lower[first - 1] == "the")):
        return False
    following = lower[last + 1] if last + 1 < sentence.hi else ""
    if following in _ROUTES:
        return True
    inside = {lower[k] for k in range(first, last + 1)}
    if mention.label == "ORG":
        return bool(inside & _ROAD_NAMES)
    return lower[last] in _ROUTES
