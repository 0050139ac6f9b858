"""Speaker expressions next to a speech cue: a name, a pronoun, a role noun or a group.

`speaker_left` reads the words before a cue (``the minister said``), `speaker_right` those after
it (``said the minister``), `sentence_subject` the subject of ``…, saying …``. A dateline place or
a place after a preposition (``diplomats in Islamabad``) is never the speaker."""

from __future__ import annotations

import bisect
import re

from storyline.article import Mention
from storyline.nlp.quote_context import QuoteContext, Speaker, word_spans
from storyline.nlp.quote_lexicon import (
    BODY_ROLES,
    CAP_NAME_RE,
    DATELINE_AFTER_RE,
    DETERMINERS,
    FILLERS,
    GROUP_SPEAKERS,
    LOCATIVE_PREPS,
    MAX_SPEAKER_WORDS,
    PERSON_ROLES,
    PRONOUNS,
    QUANTIFIERS,
    SPEAKER_LABELS,
    STOP_LEFT,
    TIME_PREPS,
    TIME_WORDS,
)


def _strip_fillers(words: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Drop adverbials between speaker and cue: "Raisi on Wednesday", "Iran has … in recent
    months"."""
    out = list(words)
    changed = True
    while out and changed:
        changed = False
        last = out[-1][0].lower()
        if last in FILLERS or last == ",":
            out.pop()
            changed = True
            continue
        if last in TIME_WORDS or last.isdigit():
            for back in range(2, 6):
                if len(out) >= back and out[-back][0].lower() in TIME_PREPS:
                    # "in recent months": step over the whole phrase.
                    k = len(out) - back
                    while k > 0 and out[k - 1][0].lower() in TIME_PREPS:
                        k -= 1
                    del out[k:]
                    changed = True
                    break
        if not changed and len(out) >= 2 and last == "part" and out[-2][0].lower() == "his":
            del out[-3:]
            changed = True
    return out


def speaker_left(ctx: QuoteContext, left_start: int, cue_start: int) -> Speaker | None:
    """The source expression that ends right before the cue, if the words there are one."""
    seg = ctx.text[left_start:cue_start]
    words = _strip_fillers(word_spans(seg, left_start))
    if not words:
        return None
    end = words[-1][2]
    # A recognised mention ending there (NER found "Ebrahim Raisi", or "Iran").
    mention = ctx.mention_ending(end)
    if mention is not None and mention.start >= left_start and not is_dateline(ctx, mention):
        before = _place_preposition(ctx, left_start, mention)
        if before is not None:
            # "Afghan diplomats in Islamabad said": the speaker is before the preposition.
            return speaker_left(ctx, left_start, before) if before > left_start else None
        return Speaker(mention.start, mention.end, "name", mention.text, mention)
    if mention is not None and is_dateline(ctx, mention):
        return None
    last = words[-1][0].lower()
    if last in PRONOUNS:
        if len(words) >= 2 and words[-2][0].lower() in {"that", "which"} | DETERMINERS - {"the"}:
            pass  # "which he said": still a pronoun subject.
        return Speaker(words[-1][1], end, "pronoun", words[-1][0], word=last)
    # Role and institution noun phrases: "the top Afghan official", "A statement issued by …".
    for kind, lexicon in (("role", PERSON_ROLES), ("body", BODY_ROLES), ("group", GROUP_SPEAKERS)):
        if last in lexicon or (
            kind == "role"
            and last.endswith("s")
            and last[:-1] in PERSON_ROLES
            and last not in GROUP_SPEAKERS
        ):
            first_i = len(words) - 1
            while first_i > 0 and len(words) - first_i < MAX_SPEAKER_WORDS:
                prev = words[first_i - 1][0]
                if prev.lower() in STOP_LEFT or not prev[:1].isalnum():
                    break
                first_i -= 1
            start_i = next(
                (i for i in range(first_i, len(words)) if words[i][0].lower() in DETERMINERS),
                first_i,
            )
            if kind == "group" and start_i < len(words) - 3:
                start_i = len(words) - 1
            if kind == "role" and last not in PERSON_ROLES:
                kind = "group"  # "Drivers said": a plural role noun is a group, not a person
            start = words[start_i][1]
            phrase_mention = None
            for m in ctx.mentions[bisect.bisect_left(ctx.mention_starts, start) :]:
                if m.start >= end:
                    break
                if m.label in SPEAKER_LABELS:
                    phrase_mention = m
            return Speaker(start, end, kind, ctx.text[start:end], phrase_mention, word=last)
    # An unrecognised capitalised name right before the cue ("Xi said").
    cap = CAP_NAME_RE.search(seg[: end - left_start])
    if cap and cap.group() and cap.group()[0].isupper() and cap.group().lower() not in STOP_LEFT:
        first = cap.group().split()[0].lower()
        if first not in DETERMINERS and first not in FILLERS:
            s = left_start + cap.start()
            if _plural_common(ctx, s, ctx.text[s:end]):
                return Speaker(s, end, "group", ctx.text[s:end], word=last)
            return Speaker(s, end, "name", ctx.text[s:end])
    return None


def _head_noun_after(ctx: QuoteContext, m: Mention, limit: int) -> tuple[str, int, str] | None:
    """A body or role noun within two words after a name ("Chagai district administration",
    "Balochistan government"): the name only modifies it."""
    for w, _, e in word_spans(ctx.text[m.end : limit], m.end)[:2]:
        lw = w.lower()
        if lw in BODY_ROLES:
            return "body", e, lw
        if lw in PERSON_ROLES:
            return "role", e, lw
        if not w[:1].isalpha():
            return None
    return None


def is_dateline(ctx: QuoteContext, m: Mention) -> bool:
    """A dateline place ("ZARANJ:", "KABUL --") opens a story; it never speaks."""
    if m.rule == "fix:dateline":
        return True
    line_start = ctx.text.rfind("\n", 0, m.start) + 1
    return not ctx.text[line_start : m.start].strip() and bool(
        DATELINE_AFTER_RE.match(ctx.text, m.end)
    )


def _place_preposition(ctx: QuoteContext, left_start: int, m: Mention) -> int | None:
    """Where the locative preposition before a place mention starts ("… in Islamabad",
    "… in Mashhad and Karbala"), or None when the place is not introduced by one."""
    start = m.start
    while True:
        words = word_spans(ctx.text[left_start:start], left_start)
        if not words:
            return None
        word, ws, _ = words[-1]
        if word.lower() in LOCATIVE_PREPS and (
            word.lower() != "of" or m.label in ("GPE", "LOC", "FAC")
        ):
            return ws
        if word.lower() in {"and", ","}:
            # "in Mashhad and Karbala": step back over the first place of the pair.
            prev = ctx.mention_ending(words[-2][2]) if len(words) >= 2 else None
            if prev is None or prev.label not in ("GPE", "LOC", "FAC"):
                return None
            start = prev.start
            continue
        return None


def _plural_common(ctx: QuoteContext, start: int, phrase: str) -> bool:
    """One capitalised word opening its sentence that is a plural common noun or a quantifier
    ("Elders said", "Several said"): a group of people, not a name."""
    words = phrase.split()
    if len(words) != 1:
        return False
    word = words[0].lower()
    if word in QUANTIFIERS:
        return True
    before = ctx.text[max(0, start - 3) : start]
    opens_sentence = (
        start == 0
        or before.endswith(("\n", ". ", '." ', "! ", "? "))
        or (ctx.sentence_bounds(start)[0] == start)
    )
    return (
        opens_sentence
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and not any(m.start <= start < m.end for m in ctx.mentions)
    )


def speaker_right(ctx: QuoteContext, after: int, limit: int) -> Speaker | None:
    """The source expression right after the cue: "said Raisi", "said the minister"."""
    seg = ctx.text[after:limit]
    words = word_spans(seg, after)[:MAX_SPEAKER_WORDS]
    if not words:
        return None
    first = words[0][0].lower()
    if first in PRONOUNS:
        return Speaker(words[0][1], words[0][2], "pronoun", words[0][0], word=first)
    for m in ctx.mentions[bisect.bisect_left(ctx.mention_starts, words[0][1]) :]:
        if m.start > words[min(3, len(words) - 1)][1]:
            break
        if m.label in SPEAKER_LABELS and not is_dateline(ctx, m):
            if _place_preposition(ctx, words[0][1], m) is not None:
                continue  # "said a shopkeeper in Zabol": Zabol is where, not who
            head = _head_noun_after(ctx, m, limit)
            if head is not None:
                # "according to the Balochistan government": the government speaks.
                kind, end_at, word = head
                return Speaker(
                    words[0][1], end_at, kind, ctx.text[words[0][1] : end_at], m, word=word
                )
            return Speaker(m.start, m.end, "name", m.text, m)
    # "said the minister", "said a statement issued by ..."
    for i, (w, _, e) in enumerate(words):
        lw = w.lower()
        if w in {",", ".", ";", ":", '"'}:
            break
        if lw in PERSON_ROLES or lw in BODY_ROLES or lw in GROUP_SPEAKERS:
            kind = "role" if lw in PERSON_ROLES else "body" if lw in BODY_ROLES else "group"
            return Speaker(words[0][1], e, kind, ctx.text[words[0][1] : e], word=lw)
        if i >= 5:
            break
    cap = re.match(r"(?:[A-Z][\w'’\-]*\s){0,2}[A-Z][\w'’\-]*", seg.lstrip())
    if cap:
        s = after + (len(seg) - len(seg.lstrip())) + cap.start()
        return Speaker(s, s + len(cap.group()), "name", cap.group())
    return None


def sentence_subject(ctx: QuoteContext, sent_start: int, cs: int) -> Speaker | None:
    """Who speaks in ", saying …": the sentence's subject. A dateline opening the sentence is
    skipped; a subject that is a group noun ("Farmers in Nimroz …") is that group; otherwise the
    first name that is not a place introduced by a preposition."""
    start = sent_start
    for m in ctx.mentions[bisect.bisect_left(ctx.mention_starts, sent_start) :]:
        if m.start >= cs:
            break
        if is_dateline(ctx, m):
            after = DATELINE_AFTER_RE.match(ctx.text, m.end)
            start = after.end() if after else m.end
    words = word_spans(ctx.text[start:cs], start)
    words = [w for w in words if w[0].isalnum()]
    if words:
        i = 1 if words[0][0].lower() in DETERMINERS and len(words) > 1 else 0
        head = words[i][0].lower()
        plural = (
            i == 0
            and words[0][0][:1].isupper()
            and head.endswith("s")
            and not head.endswith(("ss", "us", "is"))
            and not any(m.start <= words[0][1] < m.end for m in ctx.mentions)
        )
        if head in GROUP_SPEAKERS or head in QUANTIFIERS or plural:
            return Speaker(
                words[0][1], words[i][2], "group", ctx.text[words[0][1] : words[i][2]], word=head
            )
    for m in ctx.mentions[bisect.bisect_left(ctx.mention_starts, start) :]:
        if m.start >= cs:
            break
        if m.label not in SPEAKER_LABELS or is_dateline(ctx, m):
            continue
        if _place_preposition(ctx, start, m) is not None:
            continue
        return Speaker(m.start, m.end, "name", m.text, m)
    return None


def subject_like(ctx: QuoteContext, m: Mention) -> bool:
    """A person named before the sentence's first verb-ish point: first person, early on."""
    s, _ = ctx.sentence_bounds(m.start)
    if m.start - s > 200 or ctx.in_quote(m.start):
        return False
    head = ctx.text[s : m.start]
    if "," in head[-3:]:
        return False
    i = bisect.bisect_left(ctx.person_starts, m.start)
    earlier = i > 0 and ctx.persons[i - 1].start >= s
    return not earlier and len(head.split()) <= 8
