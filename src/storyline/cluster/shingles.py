"""Paragraph normalisation and word shingles for copy detection.

Two outlets running the same wire paragraph rarely print the same bytes: one has curly quotes,
another British spelling, a third upper-cases the dateline. Copy detection compares *normalised*
tokens so that these edits do not hide a reprint:

1. each word is taken from the original paragraph with its character offsets (so a shared span
   can be shown in the outlet's own text), apostrophes inside a word kept with it;
2. the word is NFKC-normalised (full-width letters, ligatures), case-folded, and stripped of
   apostrophes and other punctuation (``Taliban’s`` and ``Taliban's`` both become ``talibans``);
3. British spellings are mapped to American ones with the table below (``neighbouring`` →
   ``neighboring``), so a re-spelt reprint shares its shingles with the original.

A shingle is three consecutive normalised words, hashed to 64 bits. Hashes are computed from a
stable token hash (BLAKE2b), never Python's salted ``hash``, so they are identical across
processes and can be stored.
"""

from __future__ import annotations

import re
import unicodedata
from hashlib import blake2b
from typing import NamedTuple

import numpy as np

__all__ = [
    "SHINGLE_WORDS",
    "SPELLING",
    "Token",
    "normalise_token",
    "shingle_hashes",
    "token_hashes",
    "tokenise",
]

#: Words per shingle. Three words separate a copied paragraph from one that merely reports the
#: same facts (shared names and stock phrases give few 3-word runs); longer shingles lose recall
#: on edited copies because every edit breaks ``SHINGLE_WORDS`` shingles.
SHINGLE_WORDS = 3

# A word: letters, digits and the combining marks that belong to letters (Latin accents, Arabic
# and Persian vowel signs, the Persian zero-width non-joiner), with inner apostrophes. A plain
# character class with no nested repetition: linear time on any input.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
_WORD = re.compile(rf"(?:[^\W_]|[{_MARKS}])+(?:['’‘`´](?:[^\W_]|[{_MARKS}])+)*")
_STRIP = re.compile(rf"[^\w{_MARKS}]|_")

#: British → American spellings (whole normalised words). Both sides of a comparison go through
#: the same table, so the direction does not matter; what matters is that a reprint re-spelt by
#: a British or American desk keeps its shingles. Word families are generated from the stems
#: below; ``-ise``/``-isation`` verbs are handled by the rule in `_american` rather than listed.
_OUR_STEMS = (
    "ardour armour behaviour candour clamour colour endeavour favour fervour flavour harbour "
    "honour humour labour neighbour odour parlour rancour rigour rumour savour splendour "
    "tumour valour vapour vigour"
).split()
_OUR_SUFFIXES = (
    "",
    "s",
    "ed",
    "ing",
    "able",
    "ably",
    "ite",
    "ites",
    "hood",
    "hoods",
    "ful",
    "er",
    "ers",
    "ly",
    "ings",
    "less",
    "ist",
    "ists",
    "ism",
)
_RE_STEMS = "centre fibre litre lustre metre sabre sombre spectre theatre calibre meagre".split()
_RE_SUFFIXES = ("", "s", "d")
_WORDS = {
    "defence": "defense",
    "defences": "defenses",
    "offence": "offense",
    "offences": "offenses",
    "licence": "license",
    "licences": "licenses",
    "pretence": "pretense",
    "programme": "program",
    "programmes": "programs",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "dialogue": "dialog",
    "dialogues": "dialogs",
    "analogue": "analog",
    "travelled": "traveled",
    "travelling": "traveling",
    "traveller": "traveler",
    "travellers": "travelers",
    "cancelled": "canceled",
    "cancelling": "canceling",
    "labelled": "labeled",
    "labelling": "labeling",
    "modelled": "modeled",
    "modelling": "modeling",
    "fuelled": "fueled",
    "fuelling": "fueling",
    "signalled": "signaled",
    "signalling": "signaling",
    "channelled": "channeled",
    "levelled": "leveled",
    "counselled": "counseled",
    "counsellor": "counselor",
    "counsellors": "counselors",
    "totalled": "totaled",
    "marshalled": "marshaled",
    "quarrelled": "quarreled",
    "jewellery": "jewelry",
    "judgement": "judgment",
    "judgements": "judgments",
    "ageing": "aging",
    "grey": "gray",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "aluminium": "aluminum",
    "tyre": "tire",
    "tyres": "tires",
    "cheque": "check",
    "cheques": "checks",
    "sceptical": "skeptical",
    "sceptic": "skeptic",
    "sceptics": "skeptics",
    "mould": "mold",
    "plough": "plow",
    "fulfil": "fulfill",
    "fulfilment": "fulfillment",
    "enrol": "enroll",
    "enrolment": "enrollment",
    "instalment": "installment",
    "practise": "practice",
    "practised": "practiced",
    "practising": "practicing",
    "paediatric": "pediatric",
    "anaemia": "anemia",
    "haemorrhage": "hemorrhage",
    "oestrogen": "estrogen",
    "foetus": "fetus",
    "analyse": "analyze",
    "analysed": "analyzed",
    "analysing": "analyzing",
    "paralyse": "paralyze",
    "paralysed": "paralyzed",
    "kilometre": "kilometer",
    "kilometres": "kilometers",
    "towards": "toward",
    "amongst": "among",
    "whilst": "while",
    "storey": "story",
    "storeys": "stories",
    "pyjamas": "pajamas",
    "moustache": "mustache",
}
#: The whole table, for documentation and tests: ``SPELLING["neighbouring"] == "neighboring"``.
SPELLING: dict[str, str] = dict(_WORDS)
for _stem in _OUR_STEMS:
    for _suffix in _OUR_SUFFIXES:
        SPELLING[_stem + _suffix] = _stem[:-2] + "r" + _suffix
for _stem in _RE_STEMS:
    for _suffix in _RE_SUFFIXES:
        SPELLING[_stem + _suffix] = _stem[:-2] + "er" + _suffix

# -ise/-ize (organise, organisation, recognised...): applied to any word of 6+ letters. Words
# that only exist with -ise (advise, surprise) are mapped too, harmlessly: both sides are.
_ISE = re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations|er|ers)$")


def _american(word: str) -> str:
    mapped = SPELLING.get(word)
    if mapped is not None:
        return mapped
    if len(word) >= 6 and "is" in word:
        return _ISE.sub(r"iz\1", word)
    return word


#: Memo of word → (normalised word, hash); cleared when full so hostile input cannot grow it.
_MEMO: dict[str, tuple[str, int]] = {}
_MEMO_MAX = 1 << 18


def _normalise(raw: str) -> tuple[str, int]:
    hit = _MEMO.get(raw)
    if hit is None:
        word = _american(_STRIP.sub("", unicodedata.normalize("NFKC", raw).casefold()))
        digest = int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        hit = _MEMO[raw] = (word, digest)
    return hit


def normalise_token(raw: str) -> str:
    """One word as copy detection compares it (``Neighbouring`` → ``neighboring``)."""
    return _normalise(raw)[0]


class Token(NamedTuple):
    """A normalised word with its place in the original paragraph."""

    norm: str
    hash: int
    start: int
    end: int


def tokenise(text: str, limit: int | None = None) -> list[Token]:
    """Normalised words of a paragraph, with character offsets into ``text``.

    ``limit`` caps the number of words read, so a hostile megabyte-long paragraph costs bounded
    time and memory.
    """
    out: list[Token] = []
    for match in _WORD.finditer(text):
        word, digest = _normalise(match.group())
        if word:
            out.append(Token(word, digest, match.start(), match.end()))
            if limit is not None and len(out) >= limit:
                break
    return out


def token_hashes(text: str, limit: int) -> np.ndarray:
    """The hashes of a paragraph's first ``limit`` normalised words (the fast path of
    `tokenise`, without offsets: used for every paragraph, while offsets are only needed to show
    a shared span)."""
    words = _WORD.findall(text[: limit * 64])[:limit]
    memo = _MEMO.get
    hashes = [pair[1] for pair in (memo(w) or _normalise(w) for w in words) if pair[0]]
    return np.array(hashes, dtype=np.uint64)


_K1 = np.uint64(0x9E3779B97F4A7C15)
_K2 = np.uint64(0xC2B2AE3D27D4EB4F)
_M = np.uint64(0xFF51AFD7ED558CCD)
_S33 = np.uint64(33)


def shingle_hashes(token_hashes: np.ndarray) -> np.ndarray:
    """Sorted unique 64-bit hashes of the ``SHINGLE_WORDS``-word shingles of one paragraph.

    ``token_hashes`` is a uint64 array of `Token.hash` values; fewer than three words give an
    empty array (such a paragraph cannot be matched).
    """
    n = len(token_hashes) - SHINGLE_WORDS + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    t = token_hashes.astype(np.uint64, copy=False)
    # Arrays (never numpy scalars) wrap silently on overflow: this is arithmetic mod 2**64.
    h = t[:n] * _K1
    h = (h ^ (h >> _S33)) + t[1 : n + 1] * _K2
    h = (h ^ (h >> _S33)) + t[2 : n + 2]
    h = (h ^ (h >> _S33)) * _M
    h ^= h >> _S33
    return np.unique(h)
