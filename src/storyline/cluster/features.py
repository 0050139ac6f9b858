"""Text features for story clustering: tokens, names and numbers, hashed into one space.

Everything here is a pure function of one text, so it can run in any worker and gives the same
result in every process (hashes are CRC32, not Python's salted ``hash``).

Two channels come out of a text:

* **terms**: lower-cased word tokens without stop words and web debris (``http``, ``www``), with a
  light plural stemmer, plus numbers. TF-IDF over these says what the article is about.
* **names**: what tells two happenings of the same kind apart: capitalised names that do not merely
  open a sentence (``Tara Reid``, ``Promises``, ``Gulf of Aden``), and numbers with a distinguishing
  value (``6.1``, ``23``, ``2013``). The pipeline's recognised actors and places are added to this
  channel by :mod:`storyline.cluster.story_clusterer`.

A third, sparse output is the **happening signature** (:func:`signature`): values of a few kinds
that one happening fixes and a second happening of the same kind almost always changes (the years
mentioned, a person's age, an earthquake's magnitude, a death toll). Two reports that both state a
value of one kind and share none are evidence of two happenings; the clusterer turns that into a
penalty (a soft "cannot link").
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from storyline.cluster.stop_words import ENGLISH_STOP_WORDS

#: Tokens that are markup or address debris, not content (URLs pasted into text, bylines).
WEB_DEBRIS = frozenset(
    """http https www com org net html htm php asp aspx jsp cgi shtml index article articles news
    story co uk nl de fr au ca us cnn bbc nytimes reuters ap afp said says say told tell reported
    report reports according year years day days week weeks month months time times new just like
    mr mrs ms dr st jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday
    thursday friday saturday sunday today yesterday tomorrow""".split()
)
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | WEB_DEBRIS

#: Words that are capitalised at the start of a sentence or in headlines without being names.
_NOT_NAMES = STOP_WORDS | frozenset(
    """a an the i it he she they we you his her their our this that these those there here
    but and or if when while after before as at by for from in into of on to with without
    update breaking exclusive photos video watch read more""".split()
)

#: Capitalised titles and offices: they open names ("Foreign Minister Jalil Abbas Jilani",
#: "President Ebrahim Raisi") but say nothing about which happening, and two happenings of one
#: topic share them. Story clustering drops them from name runs, so "Ebrahim Raisi" matches
#: either way.
TITLE_WORDS = frozenset(
    """president vice minister ministers foreign prime deputy secretary ambassador envoy special
    representative spokesman spokeswoman spokesperson chief general governor mayor senator
    chairman chairwoman director commander officer caretaker acting interim premier chancellor
    king queen prince princess sheikh pope judge justice attorney sen rep gov gen col lt sgt
    capt""".split()
)
_TOKEN = re.compile(r"[^\W\d_]\w*(?:['’\-]\w+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$|\n\s*$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

#: Signature kinds: a value each report of one happening repeats (see :func:`signature`).
_YEAR = re.compile(r"(?<![\d.,$€£])(?:19[5-9]\d|20[0-4]\d)(?![\d%]|[.,]\d)")
_AGE = re.compile(r"\b(\d{1,3})\s*-?\s*years?\s*-?\s*old\b", re.IGNORECASE)
#: Ages stated with a death or with "aged": "died Thursday at 95", "dead at 75", "aged 61".
_AGE_AT = re.compile(
    r"\b(?:(?:died|dies|dead|death)\s+(?:\w+\s+){0,2}?at\s+(?:the\s+age\s+of\s+)?|aged\s+)"
    r"(\d{1,3})\b",
    re.IGNORECASE,
)
_MAGNITUDE = re.compile(
    r"\bmagnitude\s*(?:of\s*)?-?\s*(\d(?:\.\d)?)\b|\b(\d\.\d)\s*-?\s*magnitude\b",
    re.IGNORECASE,
)
_TOLL = re.compile(
    r"\b(\d[\d,]*)\s+(?:people\s+|persons\s+)?(?:were\s+|have\s+been\s+)?"
    r"(?:killed|dead|died|deaths)\b",
    re.IGNORECASE,
)
_TOLL_AFTER = re.compile(
    r"\b(?:killing|killed|kills|claimed\s+the\s+lives\s+of)\s+(?:at\s+least\s+|some\s+)?"
    r"(\d[\d,]*)\b",
    re.IGNORECASE,
)
_LEAD_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"“‘'(A-Z0-9])|\n+")

#: Size of the hashed feature space (2**20: collisions are rare for news vocabularies).
HASH_BITS = 20
_MASK = (1 << HASH_BITS) - 1


@lru_cache(maxsize=1 << 18)
def feature_id(key: str) -> int:
    """Stable hashed id of one feature key in ``[0, 2**HASH_BITS)``."""
    return zlib.crc32(key.encode("utf-8")) & _MASK


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """A light English stemmer: plural and possessive endings only (fast and predictable)."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _is_distinct_number(token: str) -> bool:
    """Numbers worth matching: not 0-9 alone (too common) unless they carry a decimal part."""
    digits = token.replace(",", "").replace(".", "")
    return len(digits) >= 2 or "." in token


def text_features(text: str, strip_titles: bool = False) -> tuple[Counter[str], Counter[str]]:
    """Term counts and name/number counts of one text (see the module docstring).

    ``strip_titles`` drops :data:`TITLE_WORDS` from name runs (story clustering does; storylines,
    which link stories of one topic, keep them).
    """
    terms: Counter[str] = Counter()
    names: Counter[str] = Counter()
    run: list[str] = []
    run_opens_sentence = False
    prev_end = 0
    sentence_start = True

    def flush() -> None:
        # A lone capitalised word that opens a sentence is usually not a name ("Another day").
        if run and not (run_opens_sentence and len(run) == 1):
            words = [w for w in run if w not in TITLE_WORDS] if strip_titles else run
            if words:
                names[" ".join(words)] += 1
                if len(words) > 1:
                    for word in words:
                        names[word] += 1
        run.clear()

    for match in _TOKEN.finditer(text):
        token = match.group()
        gap = text[prev_end : match.start()]
        if prev_end and _SENTENCE_END.search(gap):
            sentence_start = True
        if run and gap.strip(" -'’"):
            flush()
        prev_end = match.end()
        if token[0].isdigit():
            flush()
            if _is_distinct_number(token):
                terms[token] += 1
                names["#" + token] += 1
            sentence_start = False
            continue
        lower = token.lower()
        if token[0].isupper() and lower not in _NOT_NAMES:
            if not run:
                run_opens_sentence = sentence_start
            run.append(lower)
        else:
            flush()
        sentence_start = False
        if len(lower) > 1 and lower not in STOP_WORDS:
            terms[_stem(lower)] += 1
    flush()
    return terms, names


def weigh(counts: Counter[str], prefix: str, df: np.ndarray, n_docs: int) -> dict[int, float]:
    """Sub-linear TF times smoothed IDF over hashed ids, L2-normalised.

    ``df`` holds document frequencies by hashed id and ``n_docs`` the number of documents counted;
    the IDF is scikit-learn's smoothed one, ``ln((1 + n) / (1 + df)) + 1``.
    """
    vector: dict[int, float] = {}
    log_n = math.log(1.0 + n_docs)
    for key, count in counts.items():
        fid = feature_id(prefix + key)
        idf = log_n - math.log(1.0 + float(df[fid])) + 1.0
        vector[fid] = vector.get(fid, 0.0) + (1.0 + math.log(count)) * idf
    norm = math.sqrt(sum(v * v for v in vector.values()))
    if norm > 0:
        for fid in vector:
            vector[fid] /= norm
    return vector


def signature(text: str, year: int | None = None) -> dict[str, frozenset[str]]:
    """Values that pin down one happening, by kind: ``year``, ``age``, ``magnitude``, ``toll``.

    Two happenings of one kind (two earthquakes, two arrests of athletes, two deaths of former
    officials) share their topic words but not these values; reports of one happening repeat
    them. ``year`` is the publication year when known: it joins the mentioned years so that two
    dated reports of the same year never conflict on background years they happen to cite.
    Only kinds present in the text appear in the result.
    """
    found: dict[str, set[str]] = {}
    years = set(_YEAR.findall(text))
    if year is not None:
        years.add(str(year))
    if years:
        found["year"] = years
    ages = set(_AGE.findall(text)) | set(_AGE_AT.findall(text))
    if ages:
        found["age"] = ages
    mags = {a or b for a, b in _MAGNITUDE.findall(text)}
    if mags:
        found["magnitude"] = mags
    tolls = {t.replace(",", "") for t in [*_TOLL.findall(text), *_TOLL_AFTER.findall(text)]}
    tolls -= set(_YEAR.findall(text))  # "in 2019 killed 31": the year is not a toll
    tolls -= ages  # "aged 44, died": the age is not a toll
    if tolls:
        found["toll"] = tolls
    return {kind: frozenset(values) for kind, values in found.items()}


def lead(text: str, sentences: int) -> str:
    """The first ``sentences`` sentences (or lines) of a text: where news states the happening."""
    if sentences <= 0:
        return ""
    parts = []
    for part in _LEAD_SPLIT.split(text.strip(), maxsplit=sentences + 2):
        if part.strip() and "http" not in part and "www." not in part:  # pasted addresses
            parts.append(part)
    return " ".join(parts[:sentences])


def people_signature(actors: Iterable[str]) -> dict[str, frozenset[str]]:
    """The people an article names, by the country they act for: kind ``people:XX``.

    Two meetings of one pair of countries share every topic word (the countries, the region, the
    militant group they discuss) and often one participant, but rarely the whole cast: when Iran
    sends its president to one meeting and its foreign minister to another, the Iranian side
    differs. ``actors`` are the pipeline's linked actor ids; only persons the gazetteer ties to a
    country count (unlinked names and organisations carry no country), so an article without
    linked people adds nothing and can never conflict.
    """
    from storyline.nlp.gazetteer import default_gazetteer

    entries = default_gazetteer().entries
    found: dict[str, set[str]] = {}
    for actor in actors:
        entry = entries.get(actor)
        if entry is not None and entry.type == "person" and entry.country:
            found.setdefault("people:" + entry.country, set()).add(actor)
    return {kind: frozenset(values) for kind, values in found.items()}
