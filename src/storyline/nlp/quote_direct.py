"""Direct speech: quote-mark spans with a speaker and cue on either side.

``"…," SPEAKER CUE``, ``"…," CUE SPEAKER``, ``"…," X quoted Y as saying`` and ``SPEAKER CUE: "…"``
are direct quotes; ``"A," he said, "B"`` is one quote in two parts; a long quote standing alone
right after an attributed one continues it."""

from __future__ import annotations

from storyline.nlp.quote_context import Attribution, QuoteContext, cue_at, left_boundary
from storyline.nlp.quote_lexicon import (
    AS_SAYING_RE,
    CUE_RE,
    LEFT_WINDOW,
    MAX_SENTENCE,
)
from storyline.nlp.quote_speakers import speaker_left, speaker_right


def attribute_direct(ctx: QuoteContext) -> tuple[list[Attribution], set[int]]:
    """Quote-mark spans with a speaker on either side; returns them and the used cue starts."""
    found: list[Attribution] = []
    used_cues: set[int] = set()
    consumed: set[int] = set()
    spans = ctx.quotes
    for qi, (qs, qe) in enumerate(spans):
        if qi in consumed:
            continue
        attribution = _trailing(ctx, qs, qe) or _leading(ctx, qs, qe)
        if attribution is None:
            continue
        attribution.parts = [(qs, qe)]
        # "A," he said, "B": the next quote right after the attribution is its second part.
        if qi + 1 < len(spans) and attribution.cue_start > qe:
            ns, ne = spans[qi + 1]
            gap = ctx.norm[max(attribution.cue_end, attribution.speaker.end) : ns - 1]
            if len(gap) <= 60 and gap.strip().endswith(",") and not (set(gap) & set('".;')):
                attribution.parts.append((ns, ne))
                attribution.rule = "direct:split"
                consumed.add(qi + 1)
        found.append(attribution)
        used_cues.add(attribution.cue_start)
    return found, used_cues


def _trailing(ctx: QuoteContext, qs: int, qe: int) -> Attribution | None:
    """``"…," SPEAKER CUE`` / ``"…," CUE SPEAKER`` / ``"…," X quoted Y as saying``."""
    _, sent_end = ctx.sentence_bounds(max(qe - 1, qs))
    after = qe + 1
    limit = min(sent_end, after + 160)
    if limit <= after:
        # The closing mark ended the sentence: the attribution may start the next one.
        nxt = ctx.sentence_of(after)
        if nxt + 1 < len(ctx.sentences) and ctx.sentences[nxt].start < after:
            s = ctx.sentences[nxt + 1]
            after, limit = s.start, min(s.end, s.start + 160)
        else:
            after, limit = after, min(len(ctx.text), after + 160)
    seg = ctx.norm[after:limit]
    if seg.lstrip()[:1] not in {",", ""} and not seg[:1].isspace():
        return None
    for m in CUE_RE.finditer(seg):
        cue = cue_at(ctx, m)
        if cue is None:
            if '"' in seg[: m.start()]:
                return None
            continue
        cs, ce = after + m.start(), after + m.end()
        sentence = ctx.sentence_of(cs)
        if cue == "quoted":
            tail = ctx.norm[ce:limit]
            as_saying = AS_SAYING_RE.search(tail[:120])
            if not as_saying:
                return None
            speaker = speaker_left(ctx, ce, ce + as_saying.start())
            if speaker is None:
                return None
            return Attribution(
                cs,
                ce,
                "quoted as saying",
                speaker,
                sentence,
                kind="direct",
                rule="direct:quoted-as-saying",
            )
        if cue == "according to":
            speaker = speaker_right(ctx, ce, limit)
            if speaker is None:
                return None
            return Attribution(
                cs, ce, cue, speaker, sentence, kind="direct", rule="direct:according-to"
            )
        left_text = ctx.text[after:cs].strip(" ,\n\t")
        if left_text:
            speaker = speaker_left(ctx, after, cs)
            # The speaker must start the attribution: '"…" role which he said' is not one.
            lead = len(ctx.text[after:cs]) - len(ctx.text[after:cs].lstrip(" ,\n\t"))
            if speaker is None:
                return None
            between = ctx.text[after + lead : speaker.start].rstrip()
            # Only an appositive may come first: '"…," the commander, General X, told …'.
            if between and not (
                "," in between
                and len(between.split()) <= 10
                and '"' not in ctx.norm[after + lead : speaker.start]
            ):
                return None
            return Attribution(cs, ce, cue, speaker, sentence, kind="direct", rule="direct:after")
        speaker = speaker_right(ctx, ce, limit)
        if speaker is None:
            return None
        return Attribution(
            cs, ce, cue, speaker, sentence, kind="direct", rule="direct:after-inverted"
        )
    return None


def _leading(ctx: QuoteContext, qs: int, qe: int) -> Attribution | None:
    """``SPEAKER CUE: "…"`` or ``according to SPEAKER, "…"``."""
    sent_start, _ = ctx.sentence_bounds(qs)
    sent_start = max(sent_start, qs - LEFT_WINDOW)
    seg = ctx.norm[sent_start : max(sent_start, qs - 1)]
    if not seg or not (seg[-1].isspace() or seg[-1] in ",:"):
        return None  # 'said "' or 'said: "' only; '"a"a"a' never gets further
    stripped = seg.rstrip(" ,:\n\t")
    if not stripped:
        return None
    # Only the last words can hold the cue ("said:", "quoted X as saying:", "according to X,").
    skip = max(0, len(stripped) - 100)
    cues = [m for m in CUE_RE.finditer(stripped, skip) if m.start() > skip or skip == 0]
    for m in reversed(cues[-4:]):
        cue = cue_at(ctx, m)
        if cue is None:
            continue
        cs, ce = sent_start + m.start(), sent_start + m.end()
        rest = stripped[m.end() :]
        sentence = ctx.sentence_of(cs)
        if cue == "according to":
            speaker = speaker_right(ctx, ce, sent_start + len(stripped))
            if speaker:
                return Attribution(
                    cs, ce, cue, speaker, sentence, kind="direct", rule="direct:according-to"
                )
            return None
        if cue == "saying" and stripped[: m.start()].rstrip().endswith(" as"):
            # '… quoted X as saying: "…"'
            q = stripped.rfind("quoted", 0, m.start())
            if q < 0 or m.start() - q > 120:
                return None
            as_at = sent_start + stripped.rstrip()[: m.start()].rstrip().rfind(" as")
            speaker = speaker_left(ctx, sent_start + q + 6, as_at)
            if speaker is None:
                return None
            return Attribution(
                sent_start + q,
                ce,
                "quoted as saying",
                speaker,
                sentence,
                kind="direct",
                rule="direct:quoted-as-saying",
            )
        # The quote must follow the cue at once ("said:", "said that", "told reporters:").
        rest_words = rest.split()
        if not (
            not rest_words
            or rest_words == ["that"]
            or (seg.rstrip().endswith(":") and len(rest_words) <= 3)
        ):
            return None
        speaker = speaker_left(ctx, left_boundary(ctx, sent_start, cs), cs)
        if speaker is None:
            return None
        return Attribution(cs, ce, cue, speaker, sentence, kind="direct", rule="direct:before")
    return None


def continuations(ctx: QuoteContext, direct: list[Attribution]) -> list[Attribution]:
    """A long quote standing alone right after an attributed one continues the same speaker."""
    by_part = {a.parts[-1][1]: a for a in direct}
    taken = {p for a in direct for p in a.parts}
    out: list[Attribution] = []
    last: Attribution | None = None
    for qs, qe in ctx.quotes:
        if (qs, qe) in taken:
            last = by_part.get(qe, last)
            continue
        if last is None or ctx.sentence_of(qs) - ctx.sentence_of(last.parts[-1][1]) > 2:
            continue
        sent_start, sent_end = ctx.sentence_bounds(qs)
        if sent_end - sent_start > MAX_SENTENCE:
            continue
        outside = (
            ctx.text[sent_start : max(sent_start, qs - 1)] + ctx.text[qe + 1 : sent_end]
        ).strip(" .,\n\t")
        if outside or len(ctx.text[qs:qe].split()) < 6:
            continue
        a = Attribution(
            last.cue_start,
            last.cue_end,
            last.cue,
            last.speaker,
            ctx.sentence_of(qs),
            [(qs, qe)],
            kind="direct",
            rule="direct:continued",
        )
        out.append(a)
        last = a
    return out
