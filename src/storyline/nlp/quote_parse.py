"""Attribution read from the dependency parse: the verb of saying, its subject and complement.

The surface rules (`quote_direct`, `quote_indirect`) miss long or nominal subjects ("The Velmont
campaign said Tuesday that …", "Doran Pike, the campaign manager, told …", "…," the influential
regional daily wrote) and verbs of showing ("The figures show that …"). This pass parses only the
sentences that hold a cue word (`PARSE_CUES` or "according to"), so the parser's cost is paid on a
fraction of the text, and reads from each cue verb:

- the **source**: its nominal subject (``nsubj``; the ``agent`` of a passive), the whole noun phrase
  (its subtree: determiners, modifiers, appositions: "A spokesman for the regional council"). A
  participle or coordinated verb with no subject of its own ("…, saying …", "X condemned it and
  said …") takes its head's subject. For "according to X", X's phrase.
- the **content**: its clausal complement (``ccomp``, the "that" left out), or, for "according
  to", the clause it modifies without the "according to" phrase.

Never a source: a dateline ("KARSK (Wire) -", cut off the subject), a phrase inside quote marks
(a name in a quote is not who said it), or a subject that is only a pronoun "it"/"there" with no
antecedent sense ("it is said"). Content spans follow the convention of ``docs/quotes.md``: quote
marks and the final period are left out.

The parser is the same en_core_web_sm package's ``tok2vec``, ``tagger`` and ``parser``
(`storyline.nlp.model.load_parser`); the NER pipeline stays as it was.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import Any

from storyline.nlp.quote_context import Attribution, QuoteContext, Speaker
from storyline.nlp.quote_lexicon import (
    BODY_ROLES,
    GROUP_SPEAKERS,
    MAX_SENTENCE,
    PERSON_ROLES,
    PRONOUNS,
    SPEAKER_LABELS,
)

#: Verbs of saying and showing read from the parse, by their base form.
PARSE_CUE_LEMMAS = frozenset(
    """say tell add note explain assert announce declare stress insist warn argue claim urge
    acknowledge admit confirm deny reply respond conclude suggest write tweet post affirm
    reiterate vow pledge predict allege accuse complain caution observe indicate report reveal
    rule
    mention show find estimate state believe think contend testify disclose concede signal
    emphasise emphasize underline underscore remark maintain recall demand""".split()
)
_IRREGULAR = {
    "said": "say",
    "says": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "shown": "show",
    "showed": "show",
    "found": "find",
    "thought": "think",
    "denied": "deny",
    "denies": "deny",
    "replied": "reply",
    "replies": "reply",
    "testified": "testify",
    "testifies": "testify",
}
_SUFFIXES: tuple[tuple[str, str], ...] = (("ies", "y"), ("ied", "y"), ("ing", "e"), ("ing", ""))
_SUFFIXES += (("ed", "e"), ("ed", ""), ("es", ""), ("s", ""), ("d", ""))


def cue_lemma(word: str) -> str | None:
    """The base form of ``word`` when it is an inflection of a parse cue, else None."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w in PARSE_CUE_LEMMAS:
        return w
    for suffix, repl in _SUFFIXES:
        if w.endswith(suffix) and w[: -len(suffix)] + repl in PARSE_CUE_LEMMAS:
            return w[: -len(suffix)] + repl
    # "stopped" → "stop": a doubled final consonant before -ed/-ing.
    for suffix in ("ed", "ing"):
        base = w[: -len(suffix)]
        if w.endswith(suffix) and len(base) > 3 and base[-1] == base[-2]:
            if base[:-1] in PARSE_CUE_LEMMAS:
                return base[:-1]
    return None


_WORD = re.compile(r"[A-Za-z]+")
#: Showing verbs and the like need a clause ("that …"), not an object ("show their anger").
_CLAUSE_ONLY = frozenset("show find estimate believe think signal indicate report".split())
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_NOT_SOURCES = frozenset({"it", "there", "this", "that", "which", "who", "what"})
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z'’.-]+(?: [A-Z][A-Za-z'’.-]+){0,3}(?:, [A-Z][A-Za-z.]+(?: \d{1,2})?)?"
    r"(?: \([A-Za-z .]{1,30}\))? ?(?:--|—|–|-|:) "
)


def candidate_sentences(ctx: QuoteContext) -> list[int]:
    """Indices of the sentences worth parsing: a cue word or "according to", and prose length."""
    out = []
    for i, sent in enumerate(ctx.sentences):
        seg = ctx.text[sent.start : sent.end]
        if len(seg) < 12 or len(seg) > MAX_SENTENCE:
            continue
        lower = seg.lower()
        if "according to" in lower or any(_cue_word(m) for m in _WORD.finditer(lower)):
            out.append(i)
    return out


#: Cues that are as often nouns ("the state", "a post", "reports"): in their base or -s form
#: they make a sentence worth parsing only when "that" follows.
_NOUN_LIKE = frozenset(
    """state post report note find demand estimate signal mention recall tweet reply
    remark pledge vow caution""".split()
)


def _cue_word(m: re.Match[str]) -> bool:
    lemma = cue_lemma(m.group())
    if lemma is None:
        return False
    if lemma in _NOUN_LIKE and not m.group().endswith(("ed", "ing")):
        return m.string[m.end() : m.end() + 6] == " that "
    return True


def parse_wanted(
    ctx: QuoteContext, direct: Sequence[Attribution], indirect: Sequence[Attribution]
) -> list[tuple[int, int]]:
    """(sentence, end offset) of the candidate sentences the rules did not settle.

    A sentence with no attribution is parsed whole (end = the sentence's end). One whose rule
    speaker may be cut short (a word, not punctuation or the sentence start, right before it:
    "the transport ministry" read as "transport ministry") is parsed only up to the end of its
    cue and speaker, which is all the speaker's noun phrase needs. Why: news is mostly speech, so
    parsing every cue sentence whole costs most of NER's time again (docs/quotes.md, Speed)."""
    settled: dict[int, bool] = {}
    reach: dict[int, int] = {}
    for a in [*direct, *indirect]:
        si = ctx.sentence_of(a.speaker.start)
        start = ctx.sentences[si].start
        k = a.speaker.start
        while k > start and ctx.text[k - 1] in " \t":
            k -= 1
        whole = k <= start or not (ctx.text[k - 1].isalnum() or ctx.text[k - 1] in "'’")
        it = a.speaker.word == "it"  # "It was announced by …": the agent speaks, parse it all
        for sj in {si, a.sentence}:
            settled[sj] = settled.get(sj, True) and whole and not it
            if not whole or it:
                end = ctx.sentences[sj].end if it else max(a.cue_end, a.speaker.end)
                reach[sj] = max(reach.get(sj, 0), end)
    read = {a.cue_start for a in [*direct, *indirect]}
    out = []
    for si in candidate_sentences(ctx):
        sent = ctx.sentences[si]
        if si in settled and _unread_cue(ctx, si, read):
            # "The harbour board said …, while customs officers reported …": the rules read one
            # report of the sentence; the parse reads the one whose speaker they could not.
            settled[si], reach[si] = False, sent.end
        if si not in settled:
            out.append((si, sent.end))
        elif not settled[si]:
            # Up to the end of the word after the cue and speaker ("… said the minister,").
            end = min(reach.get(si, sent.end), sent.end)
            nxt = ctx.text.find(" ", end + 1, sent.end)
            out.append((si, sent.end if nxt < 0 else nxt))
    return out


def _unread_cue(ctx: QuoteContext, si: int, read: set[int]) -> bool:
    """Whether sentence ``si`` holds a cue word, outside quote marks, that no rule read."""
    sent = ctx.sentences[si]
    seg = ctx.text[sent.start : sent.end].lower()
    return any(
        _cue_word(m)
        and sent.start + m.start() not in read
        and not ctx.in_quote(sent.start + m.start())
        for m in _WORD.finditer(seg)
    )


def parse_sentences(nlp: Any, texts: Sequence[str], batch_size: int = 64) -> list[Any]:
    """The parsed ``Doc`` of each sentence text, in order."""
    return list(nlp.pipe(texts, batch_size=batch_size))


def attributions_from_parse(
    ctx: QuoteContext, parsed: Iterable[tuple[int, Any]], taken: Sequence[Attribution]
) -> list[Attribution]:
    """Attributions for cues the surface rules did not read; ``parsed`` is (sentence, doc).

    Cues already used by ``taken`` are skipped, but their speaker span grows to the whole noun
    phrase the parse gives ("transport ministry" → "the transport ministry").
    """
    by_cue = {a.cue_start: a for a in taken}
    covered = [(s, e) for a in taken for s, e in a.parts]
    found: list[Attribution] = []
    for si, doc in parsed:
        sent = ctx.sentences[si]
        base = sent.start
        dateline = _dateline_end(doc.text)
        if base + len(doc.text) < sent.end:  # a prefix, parsed for the rules' speakers only
            _grow_only(ctx, doc, base, dateline, by_cue)
            continue
        for tok in doc:
            offset = base + tok.idx
            if tok.text.lower() == "according" and tok.i + 1 < len(doc):
                if doc[tok.i + 1].lower_ == "to":
                    a = _according(ctx, doc, tok, base, si, dateline)
                    if a is not None and not _overlaps_taken(a, by_cue, covered):
                        found.append(a)
                continue
            if not tok.tag_.startswith("VB") or cue_lemma(tok.text) is None:
                continue
            if ctx.in_quote(offset):
                continue
            a = _verb(ctx, doc, tok, base, si, dateline)
            if a is None:
                continue
            old = by_cue.get(offset)
            if old is not None and a.rule == "parse:passive":
                old.speaker = a.speaker  # "It was announced by the ministry": the agent speaks
            elif old is not None:
                _grow_speaker(ctx, old, a.speaker)
                _mend_content(ctx, old, a)
                continue
            if not _overlaps_taken(a, by_cue, covered):
                found.append(a)
    return found


def _grow_only(
    ctx: QuoteContext, doc: Any, base: int, dateline: int, by_cue: dict[int, Attribution]
) -> None:
    """Widen the rules' speakers to the subject phrase of their cue in a parsed prefix."""
    for tok in doc:
        old = by_cue.get(base + tok.idx)
        if old is None or not tok.tag_.startswith("VB"):
            continue
        subject = _subject(tok, dateline)
        phrase = _phrase(doc, subject, dateline) if subject is not None else None
        if subject is None or phrase is None:
            continue
        start = base + doc[phrase[0]].idx
        end = base + doc[phrase[1] - 1].idx + len(doc[phrase[1] - 1].text)
        if not ctx.in_quote(start):
            _grow_speaker(ctx, old, _speaker(ctx, start, end, subject, base + subject.idx))


def _overlaps_taken(
    a: Attribution, by_cue: dict[int, Attribution], covered: list[tuple[int, int]]
) -> bool:
    if a.cue_start in by_cue:
        return True
    return any(s < e2 and s2 < e for s, e in a.parts for s2, e2 in covered)


def _grow_speaker(ctx: QuoteContext, old: Attribution, new: Speaker) -> None:
    """Widen a rule's speaker span to the parse's noun phrase when that phrase contains it."""
    sp = old.speaker
    if new.start <= sp.start and sp.end <= new.end and (new.start, new.end) != (sp.start, sp.end):
        if new.end - new.start > 120 or ctx.in_quote(new.start):
            return
        headed_by_person = new.mention is not None and new.mention.label == "PERSON"
        if headed_by_person and (sp.mention is None or sp.mention.label != "PERSON"):
            # "Spokesman Ahmad Ghaznavi of the ministry said": the rules took the ministry that
            # ends the phrase; the person heading it speaks.
            old.speaker = new
        else:
            sp.start, sp.end = new.start, new.end  # the span grows; the speaker's name stays


def _mend_content(ctx: QuoteContext, old: Attribution, new: Attribution) -> None:
    """Take the parse's start of an indirect clause when both end together: "warned the strike
    could spread" keeps "the" (the rules drop a word after "warned" as its addressee). Only
    ever earlier: a parse that starts the clause later has misread its subject as the cue's
    object ("say drought, not dams, explains …" parsed as "say drought")."""
    if old.kind != "indirect" or new.kind != "indirect" or len(old.parts) != 1:
        return
    (s1, e1), (s2, e2) = old.parts[0], new.parts[0]
    if abs(e1 - e2) <= 2 and s2 < s1 and s1 - s2 <= 30:
        old.parts = [(s2, e1)]
    elif abs(s1 - s2) <= 30 and s1 < e2 < e1 and _COORDINATED.match(ctx.text, e2, e1):
        # "told supporters that the race was far from over and accused his rival of …": the
        # speaker's second act is not part of what was said; the parse ends the clause there.
        old.parts = [(s1, e2)]


#: What follows a reported clause when the main verb's subject goes on to a second act.
_COORDINATED = re.compile(r"\s*,?\s*(?:and|but)\s")


def tidy_direct(ctx: QuoteContext, found: Sequence[Attribution]) -> None:
    """An "indirect" clause that is one whole quotation ('"We will not …," union leader X
    said') is a direct quote: its content is the text inside the marks."""
    for a in found:
        if a.kind == "direct" or len(a.parts) != 1:
            continue
        start, end = a.parts[0]
        i = bisect.bisect_left(ctx.quote_starts, start - 1)
        for qs, qe in ctx.quotes[i : i + 3]:  # quotes starting at start-1 … start+1
            if qs - 1 <= start <= qs + 1 and qe - 2 <= end <= qe + 1:
                a.parts, a.kind, a.rule = [(qs, qe)], "direct", a.rule + ":marks"
                break


def tidy_marks(ctx: QuoteContext, found: Sequence[Attribution]) -> None:
    """Reported content that ends on a quoted fragment keeps its closing mark, as it keeps the
    opening one: 'the deal was “a first step, not a solution”' (docs/quotes.md, content spans)."""
    for a in found:
        if a.kind == "direct" or not a.parts:
            continue
        start, end = a.parts[-1]
        i = bisect.bisect_right(ctx.quote_starts, end) - 1
        if i < 0:
            continue
        qs, qe = ctx.quotes[i]
        if start < qs and qe == end and end < len(ctx.norm) and ctx.norm[end] in "\"'":
            a.parts[-1] = (start, end + 1)


#: ", a security analyst at …" / ", whose son was …": an apposition or relative clause that
#: describes a source named after its cue and runs to the end of the sentence.
_TRAILING_DESCRIPTION = re.compile(
    r", (?:a|an|the|who|whose|one of|head of|chief of) [^\"'\n]{3,160}$"
)


def tidy_sources(ctx: QuoteContext, found: Sequence[Attribution]) -> None:
    """A source written after its cue keeps its description, as the labelled convention of the
    whole noun phrase asks: '"…," said Ada Lorn, a nurse who travels to the island hospital.'
    Only a description that ends the sentence is taken (no clause of its own can follow)."""
    for a in found:
        sp = a.speaker
        if sp.start < a.cue_start or sp.kind in ("pronoun",):
            continue
        si = ctx.sentence_of(sp.start)
        end = ctx.sentences[si].end
        while end > sp.end and ctx.norm[end - 1] in " \n\t.":
            end -= 1
        m = _TRAILING_DESCRIPTION.match(ctx.norm[sp.end : end])
        if m is not None and not any(s < end and sp.end < e for s, e in a.parts):
            sp.end = end


def _dateline_end(text: str) -> int:
    m = _DATELINE.match(text)
    if m is None:
        return 0
    head = m.group(0)
    # A dateline is written in capitals or followed by an agency: "KARSK -", "Karsk (Wire) -".
    words = [w for w in _WORD.findall(head) if w[:1].isupper()]
    if "(" in head or (words and all(w.isupper() for w in words[:1])):
        return m.end()
    return 0


def _verb(
    ctx: QuoteContext, doc: Any, verb: Any, base: int, si: int, dateline: int
) -> Attribution | None:
    lemma = cue_lemma(verb.text) or ""
    content = [c for c in verb.children if c.dep_ == "ccomp"]
    if not content:
        return None
    clause = content[0]
    subject = _subject(verb, dateline)
    if subject is None:
        return None
    source = _phrase(doc, subject, dateline)
    if source is None:
        return None
    s_start, s_end = source
    if ctx.in_quote(base + doc[s_start].idx):
        return None  # a name inside quote marks is not who said them
    c_start, c_end = _content_tokens(doc, clause, verb)
    if c_start is None or c_end is None:
        return None
    if lemma in _CLAUSE_ONLY and not _has_verb(clause):
        return None
    a = _build(ctx, doc, base, si, verb, (s_start, s_end), (c_start, c_end), subject)
    if a is not None and subject.head.dep_ == "agent":
        a.rule = "parse:passive"
    return a


def _has_verb(clause: Any) -> bool:
    return bool(clause.tag_.startswith(("VB", "MD")))


def _subject(verb: Any, dateline: int) -> Any | None:
    """The cue's subject: its own (the last before the verb outside the dateline), else the
    subject of the verb it hangs on ("…, saying"; "condemned it and said")."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    own = [c for c in subjects if c.idx >= dateline]
    if not own:
        # "KARSK (Wire) - The Northern Ledger … endorsed": the parser made the dateline the
        # subject and hung the real one on it as an apposition.
        own = [a for c in subjects for a in c.children if a.dep_ == "appos" and a.idx >= dateline]
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        # Passive: "It was announced by the ministry" speaks through its agent; without one
        # ("Rescue teams were told that …") the subject is the addressee and no source is said.
        for agent in (c for c in verb.children if c.dep_ == "agent"):
            objs = [c for c in agent.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
        return None
    if own and own[-1].lower_ in {"who", "that", "which"} and verb.dep_ == "relcl":
        return verb.head  # "opposition lawmakers, who said …": the noun the clause modifies
    if own:
        before = [c for c in own if c.i < verb.i]
        return (before or own)[-1]
    frame = _quoted_as_saying(verb)
    if frame is not None:
        return frame
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
        if verb.dep_ == "advcl" and not verb.tag_ == "VBG":
            return None
        return _subject(verb.head, dateline)
    return None


def _quoted_as_saying(verb: Any) -> Any | None:
    """The one quoted in "X was quoted (by Y) as saying …" (the passive's subject) or in
    "Y quoted X as saying …" (the object); Y, who quotes, is not the source."""
    prep = verb.head
    if verb.dep_ != "pcomp" or prep.lower_ != "as" or not prep.head.lower_.startswith("quot"):
        return None
    quoted = prep.head
    for dep in ("nsubjpass", "dobj"):
        found = [c for c in quoted.children if c.dep_ == dep]
        if found:
            return found[0]
    return None


def _phrase(doc: Any, head: Any, dateline: int) -> tuple[int, int] | None:
    """Token range [start, end) of the noun phrase under ``head``, without the dateline, a
    relative clause trailing after a comma, or edge punctuation."""
    if head.lower_ in _NOT_SOURCES:
        return None
    start, end = head.left_edge.i, head.right_edge.i + 1
    while start < head.i and doc[start].idx < dateline:
        start += 1
    # "Doran Pike, the campaign manager, told": keep the apposition, drop a ", who …" clause.
    for child in head.children:
        if child.i > head.i and _temporal(child):
            end = min(end, child.left_edge.i)  # "Raisi on Monday said": "on Monday" is when
        if child.dep_ in ("relcl", "acl") and child.i > head.i:
            left = child.left_edge.i
            if left > start and doc[left - 1].text == ",":
                end = min(end, left - 1)
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    if end - start > 20:
        return None
    return start, end


#: Words of time: a phrase of them after the subject's head says when, not who.
_TIME = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight week
    month year weekend morning afternoon evening night january february march april may june
    july august september october november december earlier later""".split()
)


def _temporal(child: Any) -> bool:
    if child.dep_ in ("npadvmod", "advmod"):
        return True
    return child.dep_ == "prep" and any(
        t.lower_ in _TIME or t.like_num for t in child.subtree if t is not child
    )


def _content_tokens(doc: Any, clause: Any, verb: Any) -> tuple[int | None, int | None]:
    """The clause's tokens without a leading "that", quote marks or edge punctuation."""
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    if start < verb.i < end:
        return None, None
    for child in clause.children:
        # "… fell by a fifth, while customs officers reported that …": a report of its own,
        # with its own subject, hung on the clause; this clause ends before it.
        if (
            child.i > clause.i
            and child.dep_ in ("advcl", "conj", "parataxis")
            and cue_lemma(child.text) is not None
            and any(c.dep_ in _SUBJECTS for c in child.children)
        ):
            end = min(end, child.left_edge.i)
    while start < end and (
        doc[start].is_punct or doc[start].is_space or doc[start].lower_ in {"that", "whether"}
    ):
        # "that" opening the clause is its mark; parsed as a determiner ("said that work on
        # the pipeline …" read as "that work") it is still the complementiser in reported speech.
        if doc[start].dep_ in ("mark", "det") or doc[start].is_punct or doc[start].is_space:
            start += 1
        else:
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - start < 3:
        return None, None
    return start, end


def _build(
    ctx: QuoteContext,
    doc: Any,
    base: int,
    si: int,
    cue: Any,
    source: tuple[int, int],
    content: tuple[int, int],
    head: Any,
    cue_text: str | None = None,
    cue_end: int | None = None,
) -> Attribution | None:
    s_start = base + doc[source[0]].idx
    s_end = base + doc[source[1] - 1].idx + len(doc[source[1] - 1].text)
    c_start = base + doc[content[0]].idx
    c_end = base + doc[content[1] - 1].idx + len(doc[content[1] - 1].text)
    c_start = max(c_start, base + _dateline_end(doc.text))  # "TEHRAN, Feb 12 (AFP) - …"
    if c_end - c_start < 8:
        return None
    speaker = _speaker(ctx, s_start, s_end, head, base + head.idx)
    cs = base + cue.idx
    ce = cue_end if cue_end is not None else cs + len(cue.text)
    near = ctx.quotes[
        max(0, bisect.bisect_right(ctx.quote_starts, c_start + 1) - 1) : bisect.bisect_right(
            ctx.quote_starts, c_end
        )
    ]
    quoted = [q for q in near if c_start <= q[0] and q[1] <= c_end + 1]
    whole_quote = next(
        (q for q in near if q[0] <= c_start + 1 and c_end - 1 <= q[1] and q[0] < c_end), None
    )
    kind = "direct" if whole_quote is not None else "mixed" if quoted else "indirect"
    if whole_quote is not None:
        # Direct content is all the text inside the marks, its punctuation included.
        c_start, c_end = whole_quote
    return Attribution(
        cs,
        ce,
        cue_text or cue.text.lower(),
        speaker,
        si,
        [(c_start, c_end)],
        kind=kind,
        rule="parse:" + ("according-to" if cue_text else cue.dep_ or "cue"),
    )


def _speaker(ctx: QuoteContext, start: int, end: int, head: Any, head_at: int) -> Speaker:
    """The source phrase as a `Speaker`: a pronoun, a name (its mention), a role or a group.

    A person names the phrase only when the phrase's head word is in that person's name
    ("Spokesman Ahmad Ghaznavi of the ministry"), not when the person only modifies another
    head ("Imran Khan's spokesman", "the lawyer of Imran Khan")."""
    text = ctx.text[start:end]
    word = head.lower_
    if word in PRONOUNS and end - start == len(head.text):
        return Speaker(start, end, "pronoun", text, word=word)
    mentions = [
        m for m in ctx.mentions if start <= m.start and m.end <= end and m.label in SPEAKER_LABELS
    ]
    if word in PERSON_ROLES and text.split()[0].lower() in {"the", "a", "an", "another"}:
        return Speaker(start, end, "role", text, mentions[0] if mentions else None, word=word)
    people = [m for m in mentions if m.label == "PERSON" and m.start <= head_at < m.end]
    if people:
        return Speaker(start, end, "name", text, people[0])
    if mentions and len(mentions[0].text) >= len(text) - 4:
        return Speaker(start, end, "name", text, mentions[0])
    kind = "body" if word in BODY_ROLES else "group" if word in GROUP_SPEAKERS else "phrase"
    return Speaker(start, end, kind, text, mentions[0] if mentions else None, word=word)


def _according(
    ctx: QuoteContext, doc: Any, according: Any, base: int, si: int, dateline: int
) -> Attribution | None:
    to = doc[according.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [
        c for c in according.children if c.dep_ == "pobj"
    ]
    if not objs:
        return None
    source = _phrase(doc, objs[0], dateline)
    if source is None:
        return None
    phrase_start, phrase_end = according.i, max(according.right_edge.i, to.right_edge.i) + 1
    clause = according.head
    if clause is according:
        return None
    lo, hi = clause.left_edge.i, clause.right_edge.i + 1
    lo = max(lo, next((t.i for t in doc if t.idx >= dateline), lo))
    # The clause without the "according to" phrase: the longer side of it.
    left, right = (lo, phrase_start), (phrase_end, hi)
    span = right if right[1] - right[0] >= left[1] - left[0] else left
    start, end = span
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end - start < 3:
        return None
    cue_end = base + to.idx + len(to.text)
    return _build(
        ctx,
        doc,
        base,
        si,
        according,
        source,
        (start, end),
        objs[0],
        cue_text="according to",
        cue_end=cue_end,
    )


__all__ = [
    "PARSE_CUE_LEMMAS",
    "attributions_from_parse",
    "candidate_sentences",
    "cue_lemma",
    "parse_sentences",
    "parse_wanted",
    "tidy_direct",
    "tidy_marks",
    "tidy_sources",
]
