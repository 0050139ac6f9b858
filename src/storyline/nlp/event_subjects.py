"""Unnamed parties of an event read from the dependency parse: "Truck drivers", "Police", "A court".

The coder finds actors among the entity mentions; a verb trigger with none beside it ("Truck
drivers in Georgia barricaded the road", "Police in Nairobi arrested 40 protesters", "A court
sentenced …") used to be dropped, although the sentence plainly reports an event. Only those
triggers' sentences are parsed (the same parser the quote stage loads,
`storyline.nlp.model.load_parser`), and the trigger verb's grammatical subject is taken as the
source, written as in the text: its noun with the words before it ("Opposition supporters",
"A suicide bomber"), or for a quantity ("Hundreds of farmers", "Thousands of teachers") the noun
it counts. A passive subject ("Three protesters were arrested") is the target. The party is
``NOMINAL``: it names no actor (no coreference, no linking), so `Event.source_actor` stays empty.

Never a party: a pronoun (there is no coreference to say who "they" are), a subject that is
already an entity mention (the coder would have found it), a phrase longer than eight words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storyline.article import Article, Mention

#: The label of a subject that is a common noun phrase ("Truck drivers"): no actor.
NOMINAL = "NOMINAL"
#: The label of a subject written as a name that NER did not find ("Belarus released …").
PARSED_NAME = "NAME"
_SUBJECT = ("nsubj", "nsubjpass")
_PRONOUNS = frozenset(
    "i we you he she it they this that these those who which what there one some all".split()
)
#: Heads that count rather than name: the party is the noun after "of".
_QUANTITY = frozenset(
    """hundreds thousands dozens scores tens millions group groups number crowd crowds
    handful majority members some many most several""".split()
)
_MAX_WORDS = 8


def nominal_subjects(
    parser: Any, articles: Sequence[Article], asked: Sequence[tuple[int, int, int]]
) -> dict[tuple[int, int, int], Mention]:
    """For each (article index, sentence index, trigger offset), the trigger's subject as a
    `Mention` labelled `NOMINAL` (rule ``parse:subject`` or ``parse:subject:passive``)."""
    # A subject stands before its verb, so each sentence is parsed only up to the word after
    # its last asking trigger: about half the words, for half the parser's time.
    reach: dict[tuple[int, int], int] = {}
    for i, si, offset in asked:
        reach[(i, si)] = max(reach.get((i, si), 0), offset)
    keys = sorted(reach)
    texts = []
    for i, si in keys:
        span = articles[i].sentences[si]
        text = articles[i].text or ""
        end = span.end
        cut = reach[(i, si)]
        for _ in range(2):  # the end of the trigger word, then of the word after it
            nxt = text.find(" ", cut + 1, span.end)
            cut = span.end if nxt < 0 else nxt
        texts.append(text[span.start : min(end, cut)])
    docs = dict(zip(keys, parser.pipe(texts, batch_size=64), strict=True))
    out: dict[tuple[int, int, int], Mention] = {}
    for i, si, offset in asked:
        article = articles[i]
        base = article.sentences[si].start
        found = _subject_of(docs[(i, si)], offset - base)
        if found is None:
            continue
        start, end, passive, proper = found
        s, e = base + start, base + end
        if any(m.start < e and s < m.end for m in article.mentions):
            continue  # an entity mention: the coder's own rules decide about it
        rule = "parse:subject" + (":passive" if passive else "")
        label = PARSED_NAME if proper else NOMINAL
        out[(i, si, offset)] = Mention((article.text or "")[s:e], label, s, e, si, rule=rule)
    return out


def _subject_of(doc: Any, char: int) -> tuple[int, int, bool, bool] | None:
    """(start, end, passive, proper) of the subject phrase of the verb at ``char``: character
    offsets, whether the verb is passive, whether the phrase's head is a proper noun."""
    verb = next((t for t in doc if t.idx == char), None)
    if verb is None:
        return None
    for _ in range(3):  # "went on strike", "began to block": the governing verb's subject
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT]
        if subjects or verb.dep_ not in ("xcomp", "conj", "advcl") or verb.head is verb:
            break
        verb = verb.head
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT]
    if not subjects:
        return None
    head = subjects[0]
    if head.lower_ in _QUANTITY:
        counted = [
            g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
        ]
        if counted and counted[0].tag_.startswith("NN"):
            head = counted[0]
    if head.lower_ in _PRONOUNS or not head.tag_.startswith("NN"):  # no attribute_ruler: tags
        return None
    # The noun with the words before it in its phrase: "A suicide bomber", "Opposition
    # supporters" (the prepositional tail, "in Nairobi", is where, not who).
    start = head.i
    while start > 0 and doc[start - 1].head.i == head.i and doc[start - 1].dep_ in _PREMODIFIERS:
        start -= 1
    if subjects[0].i != head.i and subjects[0].i < start:
        start = subjects[0].left_edge.i  # "Hundreds of Kenyan farmers": the whole count
    if head.i + 1 - start > _MAX_WORDS:
        return None
    first, last = doc[start], doc[head.i]
    lead = start + (doc[start].lower_ == "the" and start < head.i)
    proper = all(t.tag_ in ("NNP", "NNPS") for t in doc[lead : head.i + 1])
    return first.idx, last.idx + len(last.text), _passive(subjects[0]), proper


_PREMODIFIERS = frozenset({"det", "amod", "compound", "nummod", "poss", "nmod", "quantmod"})


def _passive(subject: Any) -> bool:
    return bool(subject.dep_ == "nsubjpass")


__all__ = ["NOMINAL", "PARSED_NAME", "nominal_subjects"]
