"""Indirect speech: speech cues outside quote marks and the clause they report.

``SPEAKER CUE (that) CLAUSE``, ``CLAUSE, SPEAKER CUE``, ``according to SPEAKER, CLAUSE``,
``…, saying CLAUSE`` and ``X stressed the need for …``; when the clause holds quoted fragments
the quote is ``mixed``."""

from __future__ import annotations

import bisect
import re

from storyline.article import Span
from storyline.nlp.quote_context import (
    Attribution,
    QuoteContext,
    Speaker,
    cue_at,
    left_boundary,
    word_spans,
)
from storyline.nlp.quote_lexicon import (
    ADDRESSEE_CUES,
    CUE_RE,
    DATELINE_AFTER_RE,
    FILLERS,
    MAX_SENTENCE,
    NEED_RE,
    PARTICIPLE_CUES,
    STOP_LEFT,
    THAT_RE,
    TIME_PREPS,
    TIME_WORDS,
    TRAILING_PREPS,
    WEAK_CUES,
)
from storyline.nlp.quote_speakers import (
    is_dateline,
    sentence_subject,
    speaker_left,
    speaker_right,
    subject_like,
)


def attribute_indirect(ctx: QuoteContext, used_cues: set[int]) -> list[Attribution]:
    """Speech cues outside quote marks: "X said (that) …", "…, X said", "according to X, …"."""
    found: list[Attribution] = []
    for si, sent in enumerate(ctx.sentences):
        seg = ctx.norm[sent.start : sent.end]
        if len(seg) < 12 or len(seg) > MAX_SENTENCE:  # a 100 KB "sentence" is not prose
            continue
        previous: Attribution | None = None
        for m in CUE_RE.finditer(seg):
            cue = cue_at(ctx, m)
            if cue is None or cue == "quoted":
                continue
            cs, ce = sent.start + m.start(), sent.start + m.end()
            if cs in used_cues or ctx.in_quote(cs):
                continue
            if _adds_a_thing(ctx, cue, cs, ce):
                continue
            attribution = _indirect_one(ctx, si, sent, cue, cs, ce, previous)
            if attribution is not None:
                if previous is not None:
                    _end_before(ctx, previous, attribution)
                found.append(attribution)
                previous = attribution
    return found


#: What joins two reports in one sentence: "…, and its leader warned …", "…; the mayor said …".
_JOIN_RE = re.compile(r"(?:[,;]\s*(?:and|but|while|whereas)?|\s(?:and|but|while|whereas))\s*$")


def _end_before(ctx: QuoteContext, earlier: Attribution, later: Attribution) -> None:
    """End an earlier report where a later one of the same sentence begins with its own speaker
    after a joining word: "The union said fares would hurt workers, and its leader warned
    that …" reports two clauses, not one that holds the second report; so does "Police said two
    were held, the statement added", whose later report holds the earlier. A later report inside
    the clause with no joining word is nested ("said the monitor found that …") and stays in."""
    if len(earlier.parts) != 1 or len(later.parts) != 1:
        return  # a parenthetical later report (", officials warned,") sits inside the clause
    s, e = earlier.parts[0]
    # The later speaker inside the clause, or its cue for a participle that goes on in the
    # earlier speaker's voice ("denied the charge, saying …").
    at = later.speaker.start if s < later.speaker.start < e else later.cue_start
    if not s < at < e or ctx.in_quote(at):
        return
    join = _JOIN_RE.search(ctx.norm[s:at])
    if join is None:
        return
    end = s + join.start()
    while end > s and ctx.text[end - 1] in " ,;\n\t":
        end -= 1
    if len(ctx.text[s:end].split()) >= 2:  # "denied the charge, saying …"
        earlier.parts = [(s, end)]


def _indirect_one(
    ctx: QuoteContext, si: int, sent: Span, cue: str, cs: int, ce: int, previous: Attribution | None
) -> Attribution | None:
    if cue == "according to":
        comma = ctx.norm.find(",", ce, sent.end)
        speaker = speaker_right(ctx, ce, comma if comma > 0 else sent.end)
        if speaker is None:
            return None
        before = ctx.text[sent.start : cs].strip(" ,\n\t")
        if before and len(before.split()) >= 3:
            start, end = _clean_content_end(ctx, _after_dateline(ctx, sent.start), cs)
            rule = "indirect:according-to-after"
        elif comma > 0:
            start, end = _clean_content_end(ctx, comma + 1, sent.end)
            while end > start and ctx.text[end - 1] == ".":
                end -= 1
            rule = "indirect:according-to-before"
        else:
            return None
        if len(ctx.text[start:end].split()) < 3:
            return None
        return Attribution(cs, ce, cue, speaker, si, [(start, end)], rule=rule)
    word = cue
    if word in PARTICIPLE_CUES:
        # ", stressing the need for …": the sentence's first named subject speaks.
        if ctx.norm[max(sent.start, cs - 2) : cs].strip() != ",":
            return None
        # "The minister denied the charge, saying …": the report before goes on in the same
        # voice, and the participle's clause is its own report.
        if previous is not None and any(s < cs < e for s, e in previous.parts):
            speaker = previous.speaker
        else:
            speaker = sentence_subject(ctx, sent.start, cs)
        if speaker is None:
            return None
        start, end = _content_after(ctx, cue, ce, sent.end)
        return _finish(ctx, cs, ce, cue, speaker, si, start, end, "indirect:participle")
    if word.endswith("ing"):
        return None
    tail_text = ctx.text[ce : sent.end].strip(" .\n\t").split()
    at_end = len(tail_text) <= 3 and all(
        w.lower().strip(".,") in FILLERS | TIME_WORDS | TIME_PREPS for w in tail_text
    )
    if word in WEAK_CUES and not at_end and not THAT_RE.match(ctx.norm[ce : ce + 8].lstrip()):
        return None
    boundary = left_boundary(ctx, sent.start, cs)
    left_words = word_spans(ctx.text[boundary:cs], boundary)
    if left_words and left_words[-1][0].lower() == "and" and previous is not None:
        # "… underscored X and emphasised the need for Y": the same speaker goes on.
        speaker = previous.speaker
        start, end = _content_after(ctx, cue, ce, sent.end)
        previous.parts = [(previous.parts[0][0], min(previous.parts[0][1], left_words[-1][1] - 1))]
        return _finish(ctx, cs, ce, cue, speaker, si, start, end, "indirect:coordinated")
    if left_words and left_words[-1][0].lower() == "and" and previous is None:
        # "X condemned the killings and said …": the sentence's named subject speaks.
        subject = next(
            (m for m in ctx.mentions if sent.start <= m.start < cs and m.label == "PERSON"), None
        )
        if subject is not None and subject_like(ctx, subject):
            speaker = Speaker(subject.start, subject.end, "name", subject.text, subject)
            start, end = _content_after(ctx, cue, ce, sent.end)
            return _finish(ctx, cs, ce, cue, speaker, si, start, end, "indirect:coordinated")
    speaker = speaker_left(ctx, boundary, cs)
    if speaker is None:
        return None
    before_words = word_spans(ctx.text[boundary : speaker.start], boundary)
    if (
        len(before_words) > 2
        and before_words[-1][0].lower() not in STOP_LEFT
        and speaker.kind in {"group", "body"}
    ):
        return None
    tail = ctx.text[ce : sent.end].strip(" .\n\t")
    tail_words = tail.split()
    # "…, X said." (or "…, X said on his return") with the clause before the speaker.
    only_fillers = len(tail_words) <= 3 and all(
        w.lower().strip(".,") in FILLERS | TIME_WORDS | TIME_PREPS for w in tail_words
    )
    trailing_pp = (
        bool(tail_words)
        and tail_words[0].lower() in TRAILING_PREPS
        and ctx.norm[max(sent.start, speaker.start - 2) : speaker.start].strip() == ","
        and len(ctx.text[sent.start : speaker.start].split()) >= 4
    )
    if only_fillers or trailing_pp:
        comma = ctx.norm.rfind(",", sent.start, speaker.start)
        if comma <= sent.start:
            return None
        start, end = _clean_content_end(ctx, _after_dateline(ctx, sent.start), comma)
        return _finish(ctx, cs, ce, cue, speaker, si, start, end, "indirect:after")
    # ", he said," in the middle: the clause is both sides of the parenthesis.
    if ctx.norm[speaker.start - 2 : speaker.start].strip() == "," and ctx.norm[ce : ce + 1] == ",":
        s1, e1 = _clean_content_end(ctx, _after_dateline(ctx, sent.start), speaker.start - 2)
        s2, e2 = _clean_content_end(ctx, ce + 1, sent.end)
        while e2 > s2 and ctx.text[e2 - 1] == ".":
            e2 -= 1
        a = _finish(ctx, cs, ce, cue, speaker, si, s1, e2, "indirect:parenthetical")
        if a is not None:
            a.parts = [(s1, e1), (s2, e2)]
        return a
    start, end = _content_after(ctx, cue, ce, sent.end)
    rule = "indirect:need-for" if NEED_RE.match(ctx.text[ce : ce + 30]) else "indirect:before"
    return _finish(ctx, cs, ce, cue, speaker, si, start, end, rule)


def _finish(
    ctx: QuoteContext,
    cs: int,
    ce: int,
    cue: str,
    speaker: Speaker,
    si: int,
    start: int,
    end: int,
    rule: str,
) -> Attribution | None:
    if end - start < 8 or len(ctx.text[start:end].split()) < 3:
        return None
    kind = "mixed" if any(start <= q < end for q, _ in ctx.quotes) else "indirect"
    return Attribution(cs, ce, cue, speaker, si, [(start, end)], kind=kind, rule=rule)


def _content_after(ctx: QuoteContext, cue: str, cue_end: int, sent_end: int) -> tuple[int, int]:
    """The reported clause after the cue: skip the addressee of "told …" up to "that", and a
    bare day ("said Tuesday the …": the day is when it was said, not what)."""
    day = LEADING_DAY_RE.match(ctx.norm, cue_end, sent_end)
    if day is not None:
        cue_end = day.end()
    seg = ctx.norm[cue_end:sent_end]
    start = cue_end
    that = THAT_RE.search(seg[:90])
    before = seg[: that.start()].split() if that else []
    if that and (
        cue in ADDRESSEE_CUES
        or (len(before) <= 6 and not any(w.lower() in CLAUSE_VERBS for w in before))
    ):
        # "said on Monday that …", "told reporters that …"; but not the "that" inside the
        # reported clause ("said the city had shown that …": the clause starts at "the").
        start = cue_end + that.end()
    elif cue in ADDRESSEE_CUES:
        # "told reporters the ...": drop the addressee (a mention or one word).
        words = word_spans(seg[:60], cue_end)
        if words:
            m = ctx.mention_ending(words[0][2]) if words else None
            nxt = next((x for x in ctx.mentions if x.start == words[0][1]), m)
            start = nxt.end if nxt is not None else words[0][2]
    end = sent_end
    # A quote mark opening the next sentence may hang on this one ('released. "').
    while end > start and ctx.norm[end - 1] in " \n\t.;\"'":
        if ctx.norm[end - 1] in "\"'" and ctx.in_quote(end - 2):
            break
        end -= 1
    while start < end and ctx.text[start] in " ,:\n\t":
        start += 1
    return start, end


#: Auxiliaries and modals: a word before "that" with one of these is already the reported clause.
CLAUSE_VERBS = frozenset(
    """is are was were be been has have had would will could can should may might must did
    does do""".split()
)
#: A day right after the cue, with no "on": "said Tuesday that …".
LEADING_DAY_RE = re.compile(
    r"\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)\b,?(?=\s)"
)
#: Modals and "to" before "add": adding a thing ("would add a surcharge"), not words.
_ADD_BEFORE = frozenset({"would", "will", "could", "can", "to", "may", "might", "should"})


def _adds_a_thing(ctx: QuoteContext, cue: str, cs: int, ce: int) -> bool:
    """ "They would add a surcharge": "add" after a modal, with no "that" or quote, is no cue."""
    if cue not in {"add", "adds", "added"}:
        return False
    before = ctx.norm[max(0, cs - 12) : cs].split()
    if not before or before[-1].lower() not in _ADD_BEFORE:
        return False
    after = ctx.norm[ce : ce + 8].lstrip()
    return not after.lower().startswith("that") and not after.startswith(('"', "'"))


def _after_dateline(ctx: QuoteContext, start: int) -> int:
    """Where reported content opening a sentence begins: after a dateline ("KABUL: …, the
    ministry said"), which no one says."""
    i = bisect.bisect_left(ctx.mention_starts, start)
    if (
        i < len(ctx.mentions)
        and ctx.mentions[i].start == start
        and is_dateline(ctx, ctx.mentions[i])
    ):
        after = DATELINE_AFTER_RE.match(ctx.text, ctx.mentions[i].end)
        return after.end() if after else start
    return start


def _clean_content_end(ctx: QuoteContext, start: int, end: int) -> tuple[int, int]:
    while end > start and ctx.norm[end - 1] in " \n\t,;\"'":
        end -= 1
    while start < end and ctx.text[start] in " \n\t,:":
        start += 1
    return start, end
