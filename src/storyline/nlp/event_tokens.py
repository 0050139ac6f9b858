"""The article's words with their offsets, and one sentence's token range and mentions.

Tokens split off "'s" and "n't" as spaCy does; a `Sentence` indexes its actor mentions by first
and last token so the rules can step word by word."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from storyline.article import Article, Mention, Span

TOKEN_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


@dataclass
class Tokens:
    """The article's words: lower-cased text and character offsets, in parallel lists."""

    lower: list[str]
    text: list[str]
    starts: list[int]
    ends: list[int]


def tokenize(text: str) -> Tokens:
    """Words and punctuation, with "'s" and "n't" split off as spaCy does."""
    lower: list[str] = []
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in TOKEN_RE.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        low = word.lower().replace("’", "'")
        cut = 0
        if len(low) > 2 and low.endswith("'s"):
            cut = 2
        elif len(low) > 3 and low.endswith("n't"):
            cut = 3
        if cut:
            lower += [low[:-cut], low[-cut:]]
            words += [word[:-cut], word[-cut:]]
            starts += [start, end - cut]
            ends += [end - cut, end]
        else:
            lower.append(low)
            words.append(word)
            starts.append(start)
            ends.append(end)
    return Tokens(lower, words, starts, ends)


@dataclass
class Sentence:
    """One sentence's tokens and actor mentions, by token position."""

    index: int
    span: Span
    lo: int
    hi: int  # token range, end exclusive
    starts: dict[int, Mention]  # first token -> mention
    ends: dict[int, Mention]  # last token -> mention
    places: list[tuple[int, Mention]]  # (first token, mention) for place-labelled mentions


def mention_tokens(article: Article, toks: Tokens) -> dict[int, list[tuple[int, int, Mention]]]:
    """Each mention's first and last token, grouped by the mention's sentence."""
    found: dict[int, list[tuple[int, int, Mention]]] = {}
    for mention in article.mentions:
        first = bisect.bisect_left(toks.starts, mention.start)
        last = bisect.bisect_left(toks.starts, mention.end) - 1
        if first > last or first >= len(toks.starts):
            continue
        found.setdefault(mention.sentence, []).append((first, last, mention))
    return found
