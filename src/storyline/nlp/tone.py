"""Tone: how positive or negative the wording is, per article and per actor mention, offline.

The lexicon is VADER's (``vader_lexicon.txt``, about 7,500 words rated -4..+4 by ten people
each; Hutto and Gilbert, ICWSM 2014), read from the ``vaderSentiment`` wheel on PyPI, MIT
licence. Only the word list is used: scoring is our own, simpler than VADER's rules, so that it
runs on the text with one compiled regex and dict lookups:

* a sentence's raw score is the sum of its words' valences, with a negator ("not", "never",
  "no", "n't") in the three words before a word flipping and damping it (x -0.74, VADER's
  constant) and a booster ("very", "deeply") in front scaling it by 1.3 (a dampener by 0.7);
* the sum is squashed to -1..1 with VADER's normalisation ``x / sqrt(x*x + 15)``;
* an article's tone is the mean of its sentences' scores, weighted by their number of rated
  words; a mention's tone is the score of the sentence it stands in.

Words in quote marks count as the article's wording: tone is what readers meet, not the
outlet's stance. Limits in ``docs/tone.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar

from storyline.article import Article, Span
from storyline.pipeline import Stage

LEXICON_PACKAGE = "vaderSentiment"
LEXICON_FILE = "vader_lexicon.txt"
NEGATORS = frozenset(
    """
    not no never none nobody nothing neither nor nowhere cannot without n't dont doesnt didnt
    isnt wasnt arent werent wont wouldnt shouldnt couldnt cant hasnt havent hadnt
    """.split()
)
BOOSTERS: dict[str, float] = {
    **dict.fromkeys(
        "very extremely deeply highly hugely most really so totally utterly".split(), 1.3
    ),
    **dict.fromkeys("barely hardly slightly somewhat partly marginally".split(), 0.7),
}
NEGATION_SCALE = -0.74
ALPHA = 15.0
#: News words VADER rates for social media that carry no tone in reporting ("Iran" no, but
#: "like" as a preposition, "please", "ha"): removed from the lexicon.
NEUTRAL_IN_NEWS = frozenset(
    """like please ha lol yes ok okay well pretty party united share shares sharing
    support supported supports ready""".split()
)
TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|n't")


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, float]:
    """VADER's word valences (-4..+4), read once per process from the installed wheel."""
    text = (resources.files(LEXICON_PACKAGE) / LEXICON_FILE).read_text("utf-8")
    lexicon: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha() and parts[0] not in NEUTRAL_IN_NEWS:
            try:
                lexicon[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return lexicon


def normalise(raw: float) -> float:
    """VADER's squash of a sum of valences into -1..1."""
    return raw / math.sqrt(raw * raw + ALPHA) if raw else 0.0


def sentence_score(text: str, lexicon: dict[str, float] | None = None) -> tuple[float, int]:
    """(tone -1..1, number of rated words) of one sentence."""
    lex = lexicon if lexicon is not None else load_lexicon()
    tokens = TOKEN_RE.findall(text.lower().replace("’", "'"))
    total = 0.0
    rated = 0
    for i, tok in enumerate(tokens):
        valence = lex.get(tok)
        if valence is None:
            continue
        rated += 1
        before = tokens[max(0, i - 3) : i]
        if before and before[-1] in BOOSTERS:
            valence *= BOOSTERS[before[-1]]
        if any(b in NEGATORS or b.endswith("n't") for b in before):
            valence *= NEGATION_SCALE
        total += valence
    return round(normalise(total), 4), rated


def article_tone(text: str, sentences: Sequence[Span]) -> tuple[float | None, list[float]]:
    """The article's tone and each sentence's; None when no word of it is rated."""
    lex = load_lexicon()
    spans = list(sentences) or [Span(0, len(text))]
    scores: list[float] = []
    weighted = 0.0
    weight = 0
    for s in spans:
        score, rated = sentence_score(text[s.start : s.end], lex)
        scores.append(score)
        weighted += score * rated
        weight += rated
    return (round(weighted / weight, 4) if weight else None), scores


class ToneStage(Stage):
    """Lexicon tone (VADER's word list, our scoring) per article and per entity mention."""

    name: ClassVar[str] = "tone"
    version: ClassVar[str] = "1"
    reads: ClassVar[tuple[str, ...]] = ("sentences", "mentions")
    adds: ClassVar[tuple[str, ...]] = ("tone",)
    languages: ClassVar[frozenset[str] | None] = frozenset({"en", "und"})

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        pass

    def setup(self) -> None:
        load_lexicon()

    def process(self, article: Article) -> None:
        tone, scores = article_tone(article.text, article.sentences)
        article.tone = tone
        for m in article.mentions:
            m.tone = scores[m.sentence] if 0 <= m.sentence < len(scores) else None
