"""Who said what: direct and indirect speech with its speaker, by cheap rules over NER output.

`QuoteStage` works on ``Article.text``, ``Article.sentences`` and ``Article.mentions`` (from the
entities stage, with ``Mention.actor_id`` when the actors stage ran). No parser is needed: the
pipeline runs NER only, so attribution is read from quote marks, a speech-cue lexicon and the
entity mentions around the cue. Every regex here is linear (no nested quantifiers) and each match
is bounded to one sentence, so adversarial input costs time proportional to its length.

How a quote is attributed (details and measured figures in ``docs/quotes.md``):

1. Curly, angle and straight quote marks are mapped to ``"`` and ``'`` in a same-length copy of
   the text, so every offset still points into ``Article.text``.
2. Quote spans are paired within a paragraph. A span followed by ``, SPEAKER CUE`` or
   ``, CUE SPEAKER`` (``"…," he added``; ``"…," said the minister``; ``"…," the website quoted X
   as saying``) or preceded by ``SPEAKER CUE:`` is a direct quote; ``"A," he said, "B"`` is one
   quote in two parts. A long quote standing alone right after an attributed quote continues it.
3. Outside quote marks, ``SPEAKER CUE (that) CLAUSE``, ``CLAUSE, SPEAKER CUE``,
   ``according to SPEAKER, CLAUSE`` and ``X stressed the need for …`` are indirect speech; when the
   clause holds quoted fragments the quote is ``mixed``.
4. The speaker expression is a name, a pronoun (``he``), a role noun (``the minister``) or a
   group (``sources``). Pronouns go to the last named speaker when no new person became a subject
   since, else to the last subject-like person; role nouns to the last person introduced with
   that role (``Taliban spokesman Zabihullah Mujahid``); the article's main person is the last
   resort. A surname resolves to the fullest name of that person in the article.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from storyline.article import Article, Mention, Quote, Span
from storyline.pipeline import Stage

# -- lexicons ---------------------------------------------------------------------------------

#: Speech and statement verbs (all inflections spelled out: no lemmatiser in the pipeline).
CUE_VERBS: frozenset[str] = frozenset(
    """
    say says said saying tell tells told telling add adds added adding states stated
    remark remarks remarked note notes noted explain explains explained assert asserts asserted
    announce announces announced declare declares declared stress stresses stressed stressing
    underline underlines underlined underlining underscore underscores underscored
    emphasise emphasises emphasised emphasising emphasize emphasizes emphasized emphasizing
    insist insists insisted insisting warn warns warned warning argue argues argued claim claims
    claimed maintain maintains maintained urge urges urged acknowledge acknowledged admit admits
    admitted confirm confirms confirmed deny denies denied reply replies replied respond responds
    responded continue continued conclude concluded suggest suggests suggested write writes
    wrote tweet tweets tweeted post posted affirm affirms affirmed reiterate reiterates
    reiterated vow vows vowed pledge pledged promise promised predict predicted allege alleged
    accuse accused complain complained caution cautioned observe observed recall recalled
    indicate indicated report reported reveal revealed mention mentioned
    """.split()
)
#: Cues too common in other senses ("maintained its embassy") to stand without "that" in
#: indirect speech; after a quote they are fine ("…," he continued).
WEAK_CUES = frozenset(
    {
        "maintain",
        "maintains",
        "maintained",
        "report",
        "reported",
        "indicate",
        "indicated",
        "observe",
        "observed",
        "reveal",
        "revealed",
        "post",
        "posted",
        "note",
        "noted",
        "mention",
        "mentioned",
        "promise",
        "promised",
        "continue",
        "continued",
        "predict",
        "predicted",
        "recall",
        "recalled",
        "write",
        "writes",
        "wrote",
        "confirm",
        "confirmed",
        "pledge",
        "pledged",
        "vow",
        "vowed",
        "complain",
        "complained",
        "accuse",
        "accused",
    }
)
#: Cues that take the addressee right after them ("told reporters that ...").
ADDRESSEE_CUES = frozenset(
    {"tell", "tells", "told", "telling", "urge", "urges", "urged", "warn", "warned", "warns"}
)
#: Cues that, alone before a quote, usually continue the previous speaker.
CONTINUATION_CUES = frozenset({"added", "adds", "continued", "concluded", "went"})
#: ``-ing`` cues after a comma take the sentence's subject as speaker.
PARTICIPLE_CUES = frozenset(
    {
        "saying",
        "stressing",
        "adding",
        "noting",
        "warning",
        "insisting",
        "emphasising",
        "emphasizing",
        "underlining",
        "arguing",
        "telling",
    }
)

PRONOUNS: dict[str, str] = {"he": "m", "she": "f", "they": "p", "we": "p", "i": "s", "it": "n"}
#: Person roles: "the minister said" resolves to the last person introduced with that role.
PERSON_ROLES: frozenset[str] = frozenset(
    """
    spokesman spokeswoman spokesperson minister president envoy ambassador official leader chief
    secretary premier chancellor diplomat commander general governor mayor director chairman
    chairwoman chair head representative counterpart deputy adviser advisor lawmaker senator
    mp prosecutor judge cleric king queen prince emir sheikh officer negotiator delegate
    commissioner analyst expert researcher economist professor doctor resident witness farmer
    trader driver activist lawyer founder owner manager executive coordinator administrator
    shopkeeper worker elder pilgrim smuggler student teacher nurse engineer journalist reporter
    source
    """.split()
)
#: Institutions and documents that speak without being a person.
BODY_ROLES: frozenset[str] = frozenset(
    """
    ministry office government statement website presidency embassy agency police army military
    council committee commission court parliament administration department authority
    authorities media report reports newspaper broadcaster tv television radio channel
    spokesperson's communique communiqué announcement release bureau service company group
    organisation organization union party movement mission delegation side team
    """.split()
)
GROUP_SPEAKERS: frozenset[str] = frozenset(
    """
    analysts sources officials experts diplomats observers critics residents witnesses
    people villagers farmers traders activists lawmakers authorities aides researchers
    economists leaders ministers officers reports elders workers pilgrims families
    """.split()
)
#: Words between a speaker and the cue that do not break the attribution.
FILLERS: frozenset[str] = frozenset(
    """
    also further then later earlier again reportedly repeatedly previously once has have had
    was is were are would will had has already recently separately publicly privately however
    too herself himself themselves itself on its part
    """.split()
)
TIME_WORDS: frozenset[str] = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight week weeks
    month months year years day days morning evening afternoon night weekend january february
    march april may june july august september october november december
    """.split()
)
TIME_PREPS = frozenset(
    {"on", "in", "last", "this", "earlier", "late", "early", "over", "during", "recent", "past"}
)
TRAILING_PREPS = frozenset(
    {
        "on",
        "in",
        "at",
        "after",
        "during",
        "before",
        "while",
        "from",
        "following",
        "late",
        "earlier",
        "last",
        "this",
        "yesterday",
        "today",
        "when",
        "as",
    }
)
DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "this", "that"})
#: Determiners of someone not named: "a health official", "one deputy" stay anonymous.
INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "many"})
#: Quantifiers that stand for a group of people: "Several said …", "Many said …".
QUANTIFIERS = frozenset({"several", "many", "some", "others", "most", "few", "both", "all"})
#: Prepositions that put a place after a speaker ("diplomats in Islamabad said"): the place is
#: where the speaker is, not who speaks.
LOCATIVE_PREPS = frozenset({"in", "from", "at", "near", "of", "across", "outside", "inside"})
#: A dateline: a place at the start of a line followed by ":" or "--" (with an optional
#: country and agency: "ZABOL, Iran (AP) —").
DATELINE_AFTER_RE = re.compile(
    r"(?:,\s*[A-Z][\w .]{0,30})?(?:\s*\([A-Za-z ]{1,30}\))?\s*(?::|--|—|–)"
)
STOP_LEFT = frozenset(
    {
        "and",
        "but",
        "or",
        "which",
        "who",
        "what",
        "as",
        "while",
        "because",
        "that",
        "if",
        "when",
        "than",
    }
)

# -- regexes ----------------------------------------------------------------------------------

#: Same-length normalisation: every quote-like mark becomes one ASCII character.
QUOTE_MAP = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "〝": '"',
        "〞": '"',
        "＂": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "‹": "'",
        "›": "'",
        "′": "'",
    }
)
#: A double-quoted span inside one paragraph (no nested quantifier: linear time).
DOUBLE_RE = re.compile(r'"([^"\n]{1,3000})"')
#: Curly single quotes used as quote marks: the opener follows a non-word character, the
#: closer is not followed by a letter (so "Iran’s" never closes a quote).
SINGLE_RE = re.compile(r"(?<![\w])‘([^‘’\n]{2,600})’(?![A-Za-z])")
WORD_RE = re.compile(r"[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F'’.\-]*|\d[\d.,]*|[^\w\s]")
CUE_RE = re.compile(r"\b(?:according\s+to|quoted|[A-Za-z]+)\b", re.IGNORECASE)
THAT_RE = re.compile(r"\bthat\b", re.IGNORECASE)
AS_SAYING_RE = re.compile(r"\bas\s+(?:saying|telling)\b", re.IGNORECASE)
NEED_RE = re.compile(r"\s*the\s+(?:need|importance|necessity)\b", re.IGNORECASE)
CAP_NAME_RE = re.compile(r"(?:[A-Z][\w'’\-]*\s){0,2}[A-Z][\w'’\-]*$")

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
MAX_SPEAKER_WORDS = 9
#: How far left of a cue or quote a speaker phrase is looked for, and the longest sentence
#: read for indirect speech: bounds that keep hostile input linear.
LEFT_WINDOW = 300
MAX_SENTENCE = 3000


@dataclass
class Speaker:
    """A source expression found next to a cue, before resolution."""

    start: int
    end: int
    kind: str  # name | pronoun | role | body | group | phrase
    text: str
    mention: Mention | None = None
    word: str = ""  # the pronoun or role noun


@dataclass
class Attribution:
    """A cue with its speaker and content spans, before it becomes a `Quote`."""

    cue_start: int
    cue_end: int
    cue: str
    speaker: Speaker
    sentence: int
    parts: list[tuple[int, int]] = field(default_factory=list)
    kind: str = "indirect"
    rule: str = ""


def normalise_quotes(text: str) -> str:
    """Map curly, angle and prime quote marks to ASCII without changing any offset."""
    return text.translate(QUOTE_MAP)


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Content spans (inside the marks) of quoted passages, paragraph-bounded, in order."""
    norm = normalise_quotes(text)
    spans = [(m.start(1), m.end(1)) for m in DOUBLE_RE.finditer(norm)]
    opens = [s - 1 for s, _ in spans]
    singles = []
    for m in SINGLE_RE.finditer(text):
        i = bisect.bisect_right(opens, m.start()) - 1
        if i < 0 or not (opens[i] <= m.start() <= spans[i][1]):
            singles.append((m.start(1), m.end(1)))
    spans.extend(singles)
    spans.sort()
    return spans


class QuoteStage(Stage):
    """Direct and indirect quotes with a resolved speaker, from quote marks and speech cues."""

    name: ClassVar[str] = "quotes"
    version: ClassVar[str] = "2"
    reads: ClassVar[tuple[str, ...]] = ("sentences", "mentions")
    adds: ClassVar[tuple[str, ...]] = ("quotes",)
    languages: ClassVar[frozenset[str] | None] = frozenset({"en", "und"})

    def __init__(self, settings: dict[str, object] | None = None) -> None:
        pass

    def process(self, article: Article) -> None:
        article.quotes = extract_quotes(article.text, article.sentences, article.mentions)


# -- the extractor ----------------------------------------------------------------------------


class _Context:
    """Per-article lookups: sentence of an offset, mentions by end offset, quote membership."""

    def __init__(self, text: str, sentences: Sequence[Span], mentions: Sequence[Mention]) -> None:
        self.text = text
        self.norm = normalise_quotes(text)
        self.sentences = list(sentences) or [Span(0, len(text))]
        self.starts = [s.start for s in self.sentences]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.by_end: dict[int, Mention] = {}
        for m in self.mentions:
            if m.label in SPEAKER_LABELS:
                old = self.by_end.get(m.end)
                if old is None or old.start > m.start:
                    self.by_end[m.end] = m
        self.quotes = find_quote_spans(text)
        self.quote_starts = [s for s, _ in self.quotes]
        self.persons = [m for m in self.mentions if m.label == "PERSON"]
        self.person_starts = [m.start for m in self.persons]

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        s = self.sentences[self.sentence_of(offset)]
        return s.start, s.end

    def in_quote(self, offset: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, offset) - 1
        return i >= 0 and self.quotes[i][0] <= offset < self.quotes[i][1]

    def mention_ending(self, end: int) -> Mention | None:
        return self.by_end.get(end)


def _words(text: str, offset: int) -> list[tuple[str, int, int]]:
    """Word tokens with offsets; a sentence-final period leaves the word ("U.S." keeps its)."""
    out = []
    for m in WORD_RE.finditer(text):
        w, s, e = m.group(), offset + m.start(), offset + m.end()
        if len(w) > 2 and w.endswith(".") and w.count(".") == 1:
            out.append((w[:-1], s, e - 1))
            out.append((".", e - 1, e))
        else:
            out.append((w, s, e))
    return out


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


def _speaker_left(ctx: _Context, left_start: int, cue_start: int) -> Speaker | None:
    """The source expression that ends right before the cue, if the words there are one."""
    seg = ctx.text[left_start:cue_start]
    words = _strip_fillers(_words(seg, left_start))
    if not words:
        return None
    end = words[-1][2]
    # A recognised mention ending there (NER found "Ebrahim Raisi", or "Iran").
    mention = ctx.mention_ending(end)
    if mention is not None and mention.start >= left_start and not _is_dateline(ctx, mention):
        before = _place_preposition(ctx, left_start, mention)
        if before is not None:
            # "Afghan diplomats in Islamabad said": the speaker is before the preposition.
            return _speaker_left(ctx, left_start, before) if before > left_start else None
        return Speaker(mention.start, mention.end, "name", mention.text, mention)
    if mention is not None and _is_dateline(ctx, mention):
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


def _head_noun_after(ctx: _Context, m: Mention, limit: int) -> tuple[str, int, str] | None:
    """A body or role noun within two words after a name ("Chagai district administration",
    "Balochistan government"): the name only modifies it."""
    for w, _, e in _words(ctx.text[m.end : limit], m.end)[:2]:
        lw = w.lower()
        if lw in BODY_ROLES:
            return "body", e, lw
        if lw in PERSON_ROLES:
            return "role", e, lw
        if not w[:1].isalpha():
            return None
    return None


def _is_dateline(ctx: _Context, m: Mention) -> bool:
    """A dateline place ("ZARANJ:", "KABUL --") opens a story; it never speaks."""
    if m.rule == "fix:dateline":
        return True
    line_start = ctx.text.rfind("\n", 0, m.start) + 1
    return not ctx.text[line_start : m.start].strip() and bool(
        DATELINE_AFTER_RE.match(ctx.text, m.end)
    )


def _place_preposition(ctx: _Context, left_start: int, m: Mention) -> int | None:
    """Where the locative preposition before a place mention starts ("… in Islamabad",
    "… in Mashhad and Karbala"), or None when the place is not introduced by one."""
    start = m.start
    while True:
        words = _words(ctx.text[left_start:start], left_start)
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


def _plural_common(ctx: _Context, start: int, phrase: str) -> bool:
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


def _speaker_right(ctx: _Context, after: int, limit: int) -> Speaker | None:
    """The source expression right after the cue: "said Raisi", "said the minister"."""
    seg = ctx.text[after:limit]
    words = _words(seg, after)[:MAX_SPEAKER_WORDS]
    if not words:
        return None
    first = words[0][0].lower()
    if first in PRONOUNS:
        return Speaker(words[0][1], words[0][2], "pronoun", words[0][0], word=first)
    for m in ctx.mentions[bisect.bisect_left(ctx.mention_starts, words[0][1]) :]:
        if m.start > words[min(3, len(words) - 1)][1]:
            break
        if m.label in SPEAKER_LABELS and not _is_dateline(ctx, m):
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


def _cue_at(ctx: _Context, m: re.Match[str]) -> str | None:
    word = m.group()
    if word[:1] in "Aa" and word.lower().startswith("according"):
        return "according to"
    if word == "quoted":
        return "quoted"
    # Cues are lower case: "United States", "Iran Says …" headlines are not attributions.
    if word in CUE_VERBS:
        return word
    return None


def _content_after(ctx: _Context, cue: str, cue_end: int, sent_end: int) -> tuple[int, int]:
    """The reported clause after the cue: skip the addressee of "told …" up to "that"."""
    seg = ctx.norm[cue_end:sent_end]
    start = cue_end
    that = THAT_RE.search(seg[:90])
    if that and (cue in ADDRESSEE_CUES or len(seg[: that.start()].split()) <= 6):
        start = cue_end + that.end()
    elif cue in ADDRESSEE_CUES:
        # "told reporters the ...": drop the addressee (a mention or one word).
        words = _words(seg[:60], cue_end)
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


def _clean_content_end(ctx: _Context, start: int, end: int) -> tuple[int, int]:
    while end > start and ctx.norm[end - 1] in " \n\t,;\"'":
        end -= 1
    while start < end and ctx.text[start] in " \n\t,:":
        start += 1
    return start, end


def _attribute_direct(ctx: _Context) -> tuple[list[Attribution], set[int]]:
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


def _trailing(ctx: _Context, qs: int, qe: int) -> Attribution | None:
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
        cue = _cue_at(ctx, m)
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
            speaker = _speaker_left(ctx, ce, ce + as_saying.start())
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
            speaker = _speaker_right(ctx, ce, limit)
            if speaker is None:
                return None
            return Attribution(
                cs, ce, cue, speaker, sentence, kind="direct", rule="direct:according-to"
            )
        left_text = ctx.text[after:cs].strip(" ,\n\t")
        if left_text:
            speaker = _speaker_left(ctx, after, cs)
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
        speaker = _speaker_right(ctx, ce, limit)
        if speaker is None:
            return None
        return Attribution(
            cs, ce, cue, speaker, sentence, kind="direct", rule="direct:after-inverted"
        )
    return None


def _leading(ctx: _Context, qs: int, qe: int) -> Attribution | None:
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
        cue = _cue_at(ctx, m)
        if cue is None:
            continue
        cs, ce = sent_start + m.start(), sent_start + m.end()
        rest = stripped[m.end() :]
        sentence = ctx.sentence_of(cs)
        if cue == "according to":
            speaker = _speaker_right(ctx, ce, sent_start + len(stripped))
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
            speaker = _speaker_left(ctx, sent_start + q + 6, as_at)
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
        speaker = _speaker_left(ctx, _left_boundary(ctx, sent_start, cs), cs)
        if speaker is None:
            return None
        return Attribution(cs, ce, cue, speaker, sentence, kind="direct", rule="direct:before")
    return None


def _left_boundary(ctx: _Context, sent_start: int, cue_start: int) -> int:
    """Where the speaker phrase before a cue may start: after the last comma, quote or "that"."""
    sent_start = max(sent_start, cue_start - LEFT_WINDOW)
    seg = ctx.norm[sent_start:cue_start]
    cut = max(seg.rfind(","), seg.rfind('"'), seg.rfind(";"), seg.rfind(":"))
    that = [m.end() for m in THAT_RE.finditer(seg)]
    if that:
        cut = max(cut, that[-1] - 1)
    return sent_start + cut + 1 if cut >= 0 else sent_start


def _attribute_indirect(ctx: _Context, used_cues: set[int]) -> list[Attribution]:
    """Speech cues outside quote marks: "X said (that) …", "…, X said", "according to X, …"."""
    found: list[Attribution] = []
    for si, sent in enumerate(ctx.sentences):
        seg = ctx.norm[sent.start : sent.end]
        if len(seg) < 12 or len(seg) > MAX_SENTENCE:  # a 100 KB "sentence" is not prose
            continue
        previous: Attribution | None = None
        for m in CUE_RE.finditer(seg):
            cue = _cue_at(ctx, m)
            if cue is None or cue == "quoted":
                continue
            cs, ce = sent.start + m.start(), sent.start + m.end()
            if cs in used_cues or ctx.in_quote(cs):
                continue
            attribution = _indirect_one(ctx, si, sent, cue, cs, ce, previous)
            if attribution is not None:
                found.append(attribution)
                previous = attribution
    return found


def _sentence_subject(ctx: _Context, sent_start: int, cs: int) -> Speaker | None:
    """Who speaks in ", saying …": the sentence's subject. A dateline opening the sentence is
    skipped; a subject that is a group noun ("Farmers in Nimroz …") is that group; otherwise the
    first name that is not a place introduced by a preposition."""
    start = sent_start
    for m in ctx.mentions[bisect.bisect_left(ctx.mention_starts, sent_start) :]:
        if m.start >= cs:
            break
        if _is_dateline(ctx, m):
            after = DATELINE_AFTER_RE.match(ctx.text, m.end)
            start = after.end() if after else m.end
    words = _words(ctx.text[start:cs], start)
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
        if m.label not in SPEAKER_LABELS or _is_dateline(ctx, m):
            continue
        if _place_preposition(ctx, start, m) is not None:
            continue
        return Speaker(m.start, m.end, "name", m.text, m)
    return None


def _indirect_one(
    ctx: _Context, si: int, sent: Span, cue: str, cs: int, ce: int, previous: Attribution | None
) -> Attribution | None:
    if cue == "according to":
        comma = ctx.norm.find(",", ce, sent.end)
        speaker = _speaker_right(ctx, ce, comma if comma > 0 else sent.end)
        if speaker is None:
            return None
        before = ctx.text[sent.start : cs].strip(" ,\n\t")
        if before and len(before.split()) >= 3:
            start, end = _clean_content_end(ctx, sent.start, cs)
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
        speaker = _sentence_subject(ctx, sent.start, cs)
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
    boundary = _left_boundary(ctx, sent.start, cs)
    left_words = _words(ctx.text[boundary:cs], boundary)
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
        if subject is not None and _subject_like(ctx, subject):
            speaker = Speaker(subject.start, subject.end, "name", subject.text, subject)
            start, end = _content_after(ctx, cue, ce, sent.end)
            return _finish(ctx, cs, ce, cue, speaker, si, start, end, "indirect:coordinated")
    speaker = _speaker_left(ctx, boundary, cs)
    if speaker is None:
        return None
    before_words = _words(ctx.text[boundary : speaker.start], boundary)
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
        start, end = _clean_content_end(ctx, sent.start, comma)
        return _finish(ctx, cs, ce, cue, speaker, si, start, end, "indirect:after")
    # ", he said," in the middle: the clause is both sides of the parenthesis.
    if ctx.norm[speaker.start - 2 : speaker.start].strip() == "," and ctx.norm[ce : ce + 1] == ",":
        s1, e1 = _clean_content_end(ctx, sent.start, speaker.start - 2)
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
    ctx: _Context,
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


def _continuations(ctx: _Context, direct: list[Attribution]) -> list[Attribution]:
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


# -- speaker resolution -----------------------------------------------------------------------


class _Resolver:
    """Turns speaker expressions into named speakers, walking the article in text order."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        persons = ctx.persons
        self.fullest: dict[str, Mention] = {}
        for m in persons:
            for key in _name_keys(m.text):
                cur = self.fullest.get(key)
                if cur is None or len(m.text) > len(cur.text):
                    self.fullest[key] = m
        actors = Counter(_person_key(m) for m in persons)
        self.main = None
        if actors:
            key = actors.most_common(1)[0][0]
            self.main = next(m for m in persons if _person_key(m) == key)
        self.subject_like = [m for m in persons if _subject_like(ctx, m)]
        self.subject_ends = [m.end for m in self.subject_like]
        self.person_ends = [m.end for m in persons]
        self.last_person_speaker: tuple[int, Mention] | None = None
        self.last_body_speaker: tuple[int, str, Mention | None] | None = None

    def canonical(self, mention: Mention) -> Mention:
        """The fullest PERSON mention sharing this mention's surname (or actor)."""
        if mention.actor_id:
            same = [m for m in self.ctx.persons if m.actor_id == mention.actor_id]
            if same:
                return max(same, key=lambda m: len(m.text))
        keys = _name_keys(mention.text)
        if keys and keys[-1] in self.fullest:
            best = self.fullest[keys[-1]]
            if mention.label == "PERSON" or len(mention.text.split()) == 1:
                return best if len(best.text) >= len(mention.text) else mention
        return mention

    def resolve(self, a: Attribution) -> tuple[str, str | None, str]:
        sp = a.speaker
        at = a.cue_start if a.cue_start < sp.start else sp.start
        note = ""
        person: Mention | None = None
        if sp.kind == "name":
            if sp.mention is not None:
                person = self.canonical(sp.mention)
                if person.label != "PERSON":
                    self.last_body_speaker = (a.sentence, person.text, person)
                    return person.text, person.actor_id, ""
            else:
                key = _name_keys(sp.text)
                person = self.fullest.get(key[-1]) if key else None
                if person is None:
                    return sp.text, None, ""
        elif sp.kind == "pronoun":
            if sp.word in {"it", "they", "we"}:
                if self.last_body_speaker and a.sentence - self.last_body_speaker[0] <= 3:
                    _, name, m = self.last_body_speaker
                    return name, m.actor_id if m else None, ":pronoun"
                return sp.text, None, ":unresolved"
            person = self._pronoun(a, at)
            note = ":pronoun"
        elif sp.kind == "role":
            if sp.text.split()[0].lower() in INDEFINITE:
                # "A health official in Zaranj told …": someone unnamed, not the last person.
                return sp.text, None, ":role:anonymous"
            person = self._role(sp.word, sp.text, at) or self._recent_person(at)
            note = ":role"
        else:
            m = sp.mention
            self.last_body_speaker = (a.sentence, sp.text, m)
            return sp.text, m.actor_id if m else None, ""
        if person is None:
            return sp.text, None, note + ":unresolved"
        person = self.canonical(person)
        self.last_person_speaker = (at, person)
        return person.text, person.actor_id, note

    def _pronoun(self, a: Attribution, at: int) -> Mention | None:
        last = self.last_person_speaker
        subj = self.subject_like[: bisect.bisect_right(self.subject_ends, at)]
        recent_subject = subj[-1] if subj else None
        continuing = a.cue in CONTINUATION_CUES
        if last is not None and self.ctx.sentence_of(at) - self.ctx.sentence_of(last[0]) <= 4:
            if continuing or recent_subject is None or recent_subject.start <= last[0]:
                return last[1]
        if recent_subject is not None:
            return recent_subject
        return self._recent_person(at) or self.main

    def _role(self, role: str, phrase: str, at: int) -> Mention | None:
        """The last person introduced with this role ("Taliban spokesman Zabihullah Mujahid");
        a nationality in the phrase ("the top Afghan official") picks among people."""
        role = role.rstrip("s") if role not in PERSON_ROLES else role
        role_re = re.compile(rf"\b{re.escape(role)}s?\b")
        hints = [
            w[:5].lower()
            for w in re.findall(r"[A-Z][a-z]{3,}", phrase)[0:3]
            if w.lower() not in DETERMINERS
        ]
        by_role = by_hint = None
        previous_end = 0
        for m in self.ctx.persons[max(0, bisect.bisect_right(self.person_ends, at) - 200) :]:
            if m.end > at:
                break
            sent_start, _ = self.ctx.sentence_bounds(m.start)
            window = self.ctx.text[max(previous_end, sent_start, m.start - 80) : m.start].lower()
            previous_end = m.end
            if role_re.search(window):
                by_role = m
            if hints and all(h in window for h in hints):
                by_hint = m
        if (
            hints
            and by_hint is not None
            and (
                by_role is None
                or by_hint.start > by_role.start
                or not role_re.search(
                    self.ctx.text[max(0, by_role.start - 80) : by_role.start].lower()
                )
            )
        ):
            return by_hint
        return by_role or by_hint

    def _recent_person(self, at: int) -> Mention | None:
        i = bisect.bisect_right(self.person_ends, at)
        for m in reversed(self.ctx.persons[max(0, i - 50) : i]):
            if not self.ctx.in_quote(m.start):
                return m
        return self.main


def _name_keys(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w'’\-]+", text) if w[:1].isupper()]


def _person_key(m: Mention) -> str:
    if m.actor_id:
        return m.actor_id
    keys = _name_keys(m.text)
    return keys[-1] if keys else m.text.lower()


def _subject_like(ctx: _Context, m: Mention) -> bool:
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


# -- entry point ------------------------------------------------------------------------------


def extract_quotes(
    text: str, sentences: Sequence[Span], mentions: Sequence[Mention]
) -> list[Quote]:
    """All attributed quotes of one article, in text order, with resolved speakers."""
    if not text:
        return []
    ctx = _Context(text, sentences, mentions)
    direct, used = _attribute_direct(ctx)
    direct.extend(_continuations(ctx, direct))
    indirect = _attribute_indirect(ctx, used)
    # Indirect content that is only a direct quote already found adds nothing.
    direct_parts = {p for a in direct for p in a.parts}
    indirect = [
        a
        for a in indirect
        if not any(
            s <= ds and de <= e and (e - s) - (de - ds) < 4
            for s, e in a.parts
            for ds, de in direct_parts
        )
    ]
    everything = sorted(direct + indirect, key=lambda a: (a.parts[0][0], a.cue_start))
    resolver = _Resolver(ctx)
    # Resolve in order of the attribution (the cue), which is the order a reader meets them.
    quotes: list[tuple[int, Quote]] = []
    for a in sorted(everything, key=lambda a: (min(a.cue_start, a.speaker.start), a.parts[0][0])):
        name, actor, note = resolver.resolve(a)
        start, end = a.parts[0][0], a.parts[-1][1]
        content = " ".join(text[s:e] for s, e in a.parts)
        quotes.append(
            (
                start,
                Quote(
                    text=content,
                    start=start,
                    end=end,
                    speaker=name,
                    speaker_actor=actor,
                    cue=text[a.cue_start : a.cue_end] if a.cue != "quoted as saying" else a.cue,
                    kind=a.kind,
                    sentence=a.sentence,
                    rule=a.rule + note,
                    speaker_start=a.speaker.start,
                    speaker_end=a.speaker.end,
                    cue_start=a.cue_start,
                    cue_end=a.cue_end,
                    parts=[[s, e] for s, e in a.parts],
                ),
            )
        )
    quotes.sort(key=lambda q: (q[0], q[1].cue_start))
    return [q for _, q in quotes]
