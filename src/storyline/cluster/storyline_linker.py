"""Storylines: link stories into longer threads by shared actors, places and subject over time.

A **storyline** is a thread of stories (weeks to years): the five rounds of Iran-Pakistan talks on
Afghanistan are five stories and one storyline. Stories of one storyline share *who* (actors),
*where* (places) and *what about* (subject terms) more than stories that merely share a region, and
they sit within months of each other.

Each story is summarised by a :class:`StoryProfile`: how many of its articles name each actor,
place and subject term (counts, capped to the strongest features). :class:`StorylineLinker` keeps,
per storyline, the sum of its stories' log-scaled counts, and scores a story against a storyline as
a weighted mean of three cosines (actors, places, terms), each weighed by an IDF counted over
*stories* (a country every story names weighs little), times a slow date decay:

* :meth:`StorylineLinker.place` is incremental: a story joins the best storyline reaching
  ``threshold`` (found through an inverted index over its strongest features, never by scanning),
  or starts one. A story that grows is placed again; it only moves when another storyline beats
  its own by ``move_margin`` (so threads do not flicker as articles arrive).
* :meth:`StorylineLinker.rebuild` places all stories again in a canonical order (by first date,
  then id) with the same rule, so its result depends only on the set of stories.

The linker keeps no profiles in memory (the store holds them); it keeps story-level document
frequencies, each storyline's sums and the story -> storyline map.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from hashlib import blake2b
from typing import Any

from storyline.article import ACTOR_LABELS, PLACE_LABELS, Article
from storyline.cluster.features import text_features
from storyline.config import shipped
from storyline.errors import StoreError

__all__ = [
    "CHANNELS",
    "LINKER_STATE_VERSION",
    "StoryProfile",
    "StorylineLinker",
    "StorylineSettings",
    "article_features",
    "day_number",
    "iso_day",
]

#: The three channels a story is compared on.
CHANNELS = ("actors", "places", "terms")
#: Layout version of `StorylineLinker.to_state`: bump when what it writes changes.
LINKER_STATE_VERSION = 1


@dataclass
class StorylineSettings:
    """Settings of storyline linking (chosen on the sample corpus; see docs/stories.md).

    The fields that are also user settings (``[storylines]``) take their defaults from the
    shipped settings.toml, where they are written once."""

    #: Minimum similarity (0..1) of a story to a storyline for it to join; also the rebuild's cut.
    threshold: float = field(default_factory=shipped("storylines", "threshold"))
    #: Channel weights: who, where, and what about.
    actors_weight: float = 0.35
    places_weight: float = 0.25
    terms_weight: float = 0.40
    #: Stories this many days apart (or closer) from a storyline's range are not penalised.
    grace_days: float = field(default_factory=shipped("storylines", "grace_days"))
    #: Beyond the grace period, similarity halves every this many days.
    half_life_days: float = field(default_factory=shipped("storylines", "half_life_days"))
    #: Stories further than this from a storyline's range never join it.
    max_gap_days: float = field(default_factory=shipped("storylines", "max_gap_days"))
    #: Features per channel that a story is compared on (its strongest by count).
    top_actors: int = 20
    top_places: int = 20
    top_terms: int = 40
    #: Features a storyline's sums keep per channel (the weakest are pruned beyond this).
    max_line_features: int = 400
    #: Storylines kept per index key (most recently grown first); bounds the cost of placing.
    postings_per_key: int = 200
    #: Candidate storylines scored per story (those sharing most index keys).
    candidates: int = 30
    #: A story already in a storyline moves only when another beats it by this much.
    move_margin: float = 0.05


#: How far the number of stories may move before cached storyline norms are recomputed with
#: the new IDF (a relative change; each placement moves the IDF of every feature a little).
NORM_DRIFT = 0.01
#: Passes of :meth:`StorylineLinker.rebuild` that place every story again once all are placed.
REFINE_PASSES = 3


def day_number(value: str | None) -> int | None:
    """Day number of an ISO date or datetime, ``None`` when absent or unreadable."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError:
        return None


def iso_day(day: int | None) -> str | None:
    """ISO date of a day number."""
    return None if day is None else date.fromordinal(day).isoformat()


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def article_features(article: Article) -> dict[str, dict[str, str]]:
    """Actors, places and subject terms of one article, each key with a display label.

    Actors and places come from the entity and actor-linking stages (``Mention.actor_id``, else
    the mention's text); when an article has no mentions (enrichment not run, or a language the
    entity model does not read), capitalised names from the text stand in as actors.
    """
    actors: dict[str, str] = {}
    places: dict[str, str] = {}
    for mention in article.mentions:
        key = mention.actor_id or _key(mention.name)
        if not key:
            continue
        if mention.label in PLACE_LABELS:
            places.setdefault(key, mention.name)
        elif mention.label in ACTOR_LABELS:
            actors.setdefault(key, mention.name)
    top_terms, top_names = _top_features(f"{article.title or ''}\n\n{article.text}")
    if not article.mentions:
        for name in top_names:
            if not name.startswith("#") and len(name) > 3:
                actors.setdefault("name:" + name, name.title())
    terms = {t: t for t in top_terms if not t[0].isdigit()}
    return {"actors": actors, "places": places, "terms": terms}


#: The text part of `article_features` for recent texts, by digest: a story that changes has its
#: profile recomputed from every member (`storyline.update.story_rows.profile_from_members`), so
#: the same texts were tokenised again and again (10 times per article over an 800-article
#: ingest, 15 % of the update steps' time). Mentions, which linking may change, are not kept.
_TOP: OrderedDict[bytes, tuple[list[str], list[str]]] = OrderedDict()
_TOP_SIZE = 2048
_TOP_LOCK = threading.Lock()


def _top_features(text: str) -> tuple[list[str], list[str]]:
    """The 80 commonest terms and 30 commonest names of a text, in `Counter.most_common` order."""
    key = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    with _TOP_LOCK:
        kept = _TOP.get(key)
        if kept is not None:
            _TOP.move_to_end(key)
            return kept
    terms_counts, names = text_features(text)
    found = ([t for t, _ in terms_counts.most_common(80)], [n for n, _ in names.most_common(30)])
    with _TOP_LOCK:
        _TOP[key] = found
        while len(_TOP) > _TOP_SIZE:
            _TOP.popitem(last=False)
    return found


@dataclass
class StoryProfile:
    """What a storyline knows of one story: per channel, how many articles carry each feature."""

    id: str
    actors: dict[str, float] = field(default_factory=dict)
    places: dict[str, float] = field(default_factory=dict)
    terms: dict[str, float] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # feature key -> how it was written
    first_day: int | None = None
    last_day: int | None = None
    n_articles: int = 0

    #: Counts kept per channel in the stored profile (more than compared, so growth is smooth).
    KEEP = 120

    def add_article(self, features: Mapping[str, Mapping[str, str]], day: int | None) -> None:
        """Count one more article of the story (features from :func:`article_features`)."""
        for channel in CHANNELS:
            counts: dict[str, float] = getattr(self, channel)
            for key, label in features.get(channel, {}).items():
                counts[key] = counts.get(key, 0.0) + 1.0
                if channel != "terms":
                    self.labels.setdefault(key, label)
            if len(counts) > 2 * self.KEEP:
                keep = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: self.KEEP]
                counts.clear()
                counts.update(keep)
        if day is not None:
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)
        self.n_articles += 1
        live = set(self.actors) | set(self.places)
        self.labels = {k: v for k, v in self.labels.items() if k in live}

    def remove_article(self, features: Mapping[str, Mapping[str, str]], day: int | None) -> bool:
        """Count one article less (a repair moved it to another story).

        Exact while no channel has pruned; after a prune a weak feature's count can be short,
        and it drops out when it reaches zero: the same approximation the pruning itself makes,
        at the cost of one article rather than of re-reading every member. Returns whether the
        first or last day may have moved with it (the caller reads them from the members).
        """
        for channel in CHANNELS:
            counts: dict[str, float] = getattr(self, channel)
            for key in features.get(channel, {}):
                left = counts.get(key, 0.0) - 1.0
                if left > 0:
                    counts[key] = left
                else:
                    counts.pop(key, None)
        self.n_articles = max(0, self.n_articles - 1)
        live = set(self.actors) | set(self.places)
        self.labels = {k: v for k, v in self.labels.items() if k in live}
        return day is not None and day in (self.first_day, self.last_day)

    def merge(self, other: StoryProfile) -> None:
        """Fold another story's profile into this one (two stories found to be one)."""
        for channel in CHANNELS:
            mine: dict[str, float] = getattr(self, channel)
            for key, value in getattr(other, channel).items():
                mine[key] = mine.get(key, 0.0) + value
        for key, label in other.labels.items():
            self.labels.setdefault(key, label)
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d]
        if days:
            self.first_day, self.last_day = min(days), max(days)
        self.n_articles += other.n_articles

    def top(self, channel: str, settings: StorylineSettings) -> dict[str, float]:
        """The features compared: the strongest ``top_<channel>`` by count (ties by key)."""
        limit = getattr(settings, "top_" + channel)
        counts: dict[str, float] = getattr(self, channel)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return {k: 1.0 + math.log(v) for k, v in ranked if v > 0}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "actors": self.actors,
            "places": self.places,
            "terms": self.terms,
            "labels": self.labels,
            "first_day": self.first_day,
            "last_day": self.last_day,
            "n_articles": self.n_articles,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoryProfile:
        return cls(
            id=str(data["id"]),
            actors={k: float(v) for k, v in data.get("actors", {}).items()},
            places={k: float(v) for k, v in data.get("places", {}).items()},
            terms={k: float(v) for k, v in data.get("terms", {}).items()},
            labels=dict(data.get("labels", {})),
            first_day=data.get("first_day"),
            last_day=data.get("last_day"),
            n_articles=int(data.get("n_articles", 0)),
        )


@dataclass
class _Line:
    """A storyline's running sums (per channel, log-scaled counts summed over its stories)."""

    id: str
    sums: dict[str, dict[str, float]] = field(default_factory=lambda: {c: {} for c in CHANNELS})
    days: Counter[int] = field(default_factory=Counter)  # story first/last days, for the range
    n_stories: int = 0
    seq: int = 0
    version: int = 0  # bumped whenever the sums change (invalidates cached norms)

    @property
    def first_day(self) -> int | None:
        return min(self.days) if self.days else None

    @property
    def last_day(self) -> int | None:
        return max(self.days) if self.days else None


def _gap(
    a_first: int | None, a_last: int | None, b_first: int | None, b_last: int | None
) -> int | None:
    if None in (a_first, a_last, b_first, b_last):
        return None
    return max(0, a_first - b_last, b_first - a_last)  # type: ignore[operator]


class StorylineLinker:
    """Incremental storyline linking with an order-independent rebuild (see the module doc)."""

    def __init__(self, settings: StorylineSettings | None = None) -> None:
        self.settings = settings or StorylineSettings()
        self._df: Counter[str] = Counter()  # "<channel>:<key>" -> stories carrying it
        self._n_stories = 0
        self._lines: dict[str, _Line] = {}
        self._story_line: dict[str, str] = {}
        self._postings: dict[str, dict[str, None]] = {}
        self._seq = 0
        self._idf2_cache: dict[str, dict[str, float]] = {}
        self._idf2_n = 0  # the number of stories the cached squared IDFs were computed with
        self._idf2_by_df: dict[int, float] = {}  # squared IDF per document count, same number
        # Storyline norms under the IDF of an "epoch": the counts when it began. A new epoch
        # starts once the number of stories has moved by more than `NORM_DRIFT` (every change
        # while there are fewer than 100), so a cached norm is at most that stale.
        self._epoch = 0
        self._epoch_n = 0
        self._norms: dict[tuple[str, str], tuple[int, int, float]] = {}

    # -- weights ------------------------------------------------------------------------------

    def _idf(self, fid: str) -> float:
        return math.log((1.0 + self._n_stories) / (1.0 + self._df.get(fid, 0))) + 1.0

    def _idf2_table(self, channel: str) -> dict[str, float]:
        """The channel's cached squared IDFs: scoring one story against thirty storylines looks
        the same common features up hundreds of times. The cache holds for one number of
        stories (a story placed again takes itself out and back in, so the number is the same
        after); a feature whose count moves leaves it (`_count`)."""
        if self._idf2_n != self._n_stories:
            self._idf2_cache.clear()
            self._idf2_by_df.clear()
            self._idf2_n = self._n_stories
        return self._idf2_cache.setdefault(channel, {})

    def _idf2_miss(self, channel: str, key: str, cache: dict[str, float]) -> float:
        """A squared IDF not cached: every story added clears the cache, so a storyline's norm
        looks most features up again; features of one document count share the value, which
        is computed once per count (the same expression as `_idf`, so the same float)."""
        df = self._df.get(f"{channel}:{key}", 0)
        found = self._idf2_by_df.get(df)
        if found is None:
            found = self._idf2_by_df[df] = (
                math.log((1.0 + self._n_stories) / (1.0 + df)) + 1.0
            ) ** 2
        cache[key] = found
        return found

    def _vectors(self, profile: StoryProfile) -> dict[str, dict[str, float]]:
        return {c: profile.top(c, self.settings) for c in CHANNELS}

    def _count(self, vectors: Mapping[str, Mapping[str, float]], sign: int) -> None:
        for channel, vec in vectors.items():
            cache = self._idf2_cache.get(channel, {})
            for key in vec:
                fid = f"{channel}:{key}"
                self._df[fid] += sign
                if self._df[fid] <= 0:
                    del self._df[fid]
                cache.pop(key, None)
        self._n_stories += sign
        if (
            self._n_stories < 100
            or abs(self._n_stories - self._epoch_n) > NORM_DRIFT * self._epoch_n
        ):
            self._epoch += 1
            self._epoch_n = self._n_stories
            self._norms.clear()

    def _channel_cosine(self, channel: str, vec: Mapping[str, float], line: _Line) -> float | None:
        sums = line.sums[channel]
        if not vec or not sums:
            return None
        dot = na = nb = 0.0
        cache = self._idf2_table(channel)
        miss = self._idf2_miss
        for key, value in vec.items():
            w = cache.get(key)
            if w is None:
                w = miss(channel, key, cache)
            na += value * value * w
            other = sums.get(key)
            if other:
                dot += value * other * w
        cached = self._norms.get((line.id, channel))
        if cached is not None and cached[0] == line.version and cached[1] == self._epoch:
            nb = cached[2]
        else:
            # the storyline's side is the costly one (up to 2 x max_line_features features)
            for key, value in sums.items():
                w = cache.get(key)
                if w is None:
                    w = miss(channel, key, cache)
                nb += value * value * w
            self._norms[(line.id, channel)] = (line.version, self._epoch, nb)
        return dot / math.sqrt(na * nb) if na > 0 and nb > 0 else 0.0

    def date_factor(self, gap_days: float | None) -> float:
        """Multiplier in [0, 1] for the days between a story and a storyline (None: neutral)."""
        s = self.settings
        if gap_days is None:
            return 1.0
        if gap_days > s.max_gap_days:
            return 0.0
        excess = gap_days - s.grace_days
        return 1.0 if excess <= 0 else 0.5 ** (excess / s.half_life_days)

    def _combine(self, scores: Mapping[str, float | None], gap: int | None) -> float:
        total = weight = 0.0
        for channel, score in scores.items():
            w = getattr(self.settings, channel + "_weight")
            if score is not None and w > 0:
                total += w * score
                weight += w
        return (total / weight if weight else 0.0) * self.date_factor(gap)

    def _score(
        self, vectors: Mapping[str, Mapping[str, float]], profile: StoryProfile, line: _Line
    ) -> float:
        scores = {c: self._channel_cosine(c, vectors[c], line) for c in CHANNELS}
        gap = _gap(profile.first_day, profile.last_day, line.first_day, line.last_day)
        return self._combine(scores, gap)

    # -- incremental ----------------------------------------------------------------------------

    def _keys(self, vectors: Mapping[str, Mapping[str, float]]) -> list[str]:
        """Every compared feature of a story: stories of one storyline share some, rarely the
        most distinctive ones, so the index cannot be limited to those."""
        return [f"{c}:{k}" for c, vec in vectors.items() for k in vec]

    def _candidates(self, keys: Sequence[str]) -> list[_Line]:
        """Storylines sharing the most (IDF-weighted) features with a story."""
        hits: dict[str, float] = {}
        for key in keys:
            posting = self._postings.get(key)
            if not posting:
                continue
            weight = self._idf(key)
            for line_id in posting:
                hits[line_id] = hits.get(line_id, 0.0) + weight
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
        return [self._lines[i] for i, _ in ranked[: self.settings.candidates] if i in self._lines]

    def _attach(
        self,
        line: _Line,
        vectors: Mapping[str, Mapping[str, float]],
        profile: StoryProfile,
        sign: int,
    ) -> None:
        cap = self.settings.max_line_features
        for channel, vec in vectors.items():
            sums = line.sums[channel]
            for key, value in vec.items():
                new = sums.get(key, 0.0) + sign * value
                if new > 1e-9:
                    sums[key] = new
                else:
                    sums.pop(key, None)
            if len(sums) > 2 * cap:
                keep = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))[:cap]
                sums.clear()
                sums.update(keep)
        for day in {profile.first_day, profile.last_day} - {None}:
            line.days[day] += sign  # type: ignore[index]
            if line.days[day] <= 0:  # type: ignore[index]
                del line.days[day]  # type: ignore[arg-type]
        line.n_stories += sign
        line.version += 1
        if sign > 0:
            self._seq += 1
            line.seq = self._seq
            for key in self._keys(vectors):
                posting = self._postings.setdefault(key, {})
                posting.pop(line.id, None)
                posting[line.id] = None
                while len(posting) > self.settings.postings_per_key:
                    posting.pop(next(iter(posting)))

    def place(
        self, profile: StoryProfile, previous: StoryProfile | None = None
    ) -> tuple[str, float]:
        """Put a new or grown story in its storyline; returns (storyline id, similarity).

        ``previous`` is the profile the story had when it was last placed (the store keeps
        profiles; the linker does not), required for a story placed before: its contribution is
        taken out before the story is scored again. A story that starts a storyline scores 1.0.
        """
        settings = self.settings
        current_id = self._story_line.get(profile.id)
        current = self._lines.get(current_id) if current_id else None
        if current_id is not None:
            if previous is None:
                raise StoreError(
                    f"story {profile.id} was placed in storyline {current_id} before, but no "
                    "previous profile came with it (the store keeps them): pass it, or rebuild "
                    "the storylines with `storyline recluster`",
                    code="E430",
                )
            old = self._vectors(previous)
            self._count(old, -1)
            if current is not None:
                self._attach(current, old, previous, -1)
        vectors = self._vectors(profile)
        self._count(vectors, +1)
        scored = {
            line.id: self._score(vectors, profile, line)
            for line in self._candidates(self._keys(vectors))
            if line.n_stories > 0
        }
        alive = current is not None and current.n_stories > 0
        if alive and current.id not in scored:  # type: ignore[union-attr]
            scored[current.id] = self._score(vectors, profile, current)  # type: ignore[union-attr,arg-type]
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
        target_id, score = None, 1.0
        if ranked and ranked[0][1] >= settings.threshold:
            target_id, score = ranked[0]
        if alive:
            mine = scored[current.id]  # type: ignore[union-attr]
            if mine >= settings.threshold - settings.move_margin and (
                target_id is None or score <= mine + settings.move_margin
            ):
                target_id, score = current.id, mine  # type: ignore[union-attr]
        if target_id is None:
            if current is not None:  # it was alone in its storyline: keep the storyline's id
                target_id = current.id
            else:
                target_id = "sl_" + profile.id.removeprefix("st_")
                while target_id in self._lines:
                    target_id += "+"
                self._lines[target_id] = _Line(id=target_id)
            score = 1.0
        target = self._lines[target_id]
        if current is not None and current.id != target.id and current.n_stories <= 0:
            del self._lines[current.id]
        self._attach(target, vectors, profile, +1)
        self._story_line[profile.id] = target.id
        return target.id, score

    def forget(self, profile: StoryProfile) -> str | None:
        """Take a story out (it was merged into another); returns the storyline it left."""
        line_id = self._story_line.pop(profile.id, None)
        vectors = self._vectors(profile)
        self._count(vectors, -1)
        if line_id and line_id in self._lines:
            line = self._lines[line_id]
            self._attach(line, vectors, profile, -1)
            if line.n_stories <= 0:
                del self._lines[line_id]
        return line_id

    # -- results ----------------------------------------------------------------------------

    def storyline_of(self, story_id: str) -> str | None:
        return self._story_line.get(story_id)

    def storylines(self) -> dict[str, list[str]]:
        """Storyline id -> its story ids (sorted)."""
        out: dict[str, list[str]] = {}
        for story_id, line_id in self._story_line.items():
            out.setdefault(line_id, []).append(story_id)
        return {k: sorted(v) for k, v in sorted(out.items())}

    def describe(
        self, line_id: str, labels: Mapping[str, str] | None = None, n: int = 3
    ) -> dict[str, list[dict[str, Any]]]:
        """The most central actors, places and terms of a storyline (weight = sum x IDF)."""
        line = self._lines[line_id]
        out: dict[str, list[dict[str, Any]]] = {}
        for channel in CHANNELS:
            # ranked on weights rounded to 6 places: sums rebuilt from stored profiles (a resumed
            # process) and sums kept in memory differ in the last float bits, and equal weights
            # must fall to the key, not to that noise
            ranked = sorted(
                ((v * self._idf(f"{channel}:{k}"), k) for k, v in line.sums[channel].items()),
                key=lambda x: (-round(x[0], 6), x[1]),
            )[:n]
            out[channel] = [
                {"key": k, "name": (labels or {}).get(k, k), "weight": round(w, 3)}
                for w, k in ranked
            ]
        return out

    def sequence(self, line_id: str) -> int | None:
        """When a storyline last gained a story (larger is later); None if it does not exist."""
        line = self._lines.get(line_id)
        return line.seq if line is not None and line.n_stories > 0 else None

    def score(self, profile: StoryProfile, line_id: str) -> float:
        """Similarity of a story to a storyline as it stands (for explanations and tests)."""
        return self._score(self._vectors(profile), profile, self._lines[line_id])

    # -- loading and rebuilding ---------------------------------------------------------------

    @classmethod
    def from_profiles(
        cls,
        profiles: Iterable[StoryProfile],
        membership: Mapping[str, str],
        settings: StorylineSettings | None = None,
        order: Mapping[str, int] | None = None,
        counter: int | None = None,
    ) -> StorylineLinker:
        """Restore a linker from stored profiles and story -> storyline membership.

        ``order`` (storyline id -> sequence) restores which storylines were updated last, for the
        index's bounded postings, and each storyline's sequence exactly; ``counter`` is the last
        sequence handed out (`counter` of the saved linker), so a restarted process numbers the
        next update as the one that never stopped would.
        """
        self = cls(settings)
        pending: list[tuple[int, str, dict[str, dict[str, float]], StoryProfile]] = []
        for profile in profiles:
            line_id = membership.get(profile.id)
            vectors = self._vectors(profile)
            self._count(vectors, +1)
            if line_id is None:
                continue
            pending.append(((order or {}).get(line_id, 0), line_id, vectors, profile))
        for _, line_id, vectors, profile in sorted(pending, key=lambda p: (p[0], p[1], p[3].id)):
            line = self._lines.setdefault(line_id, _Line(id=line_id))
            self._attach(line, vectors, profile, +1)
            self._story_line[profile.id] = line_id
        for line_id, line in self._lines.items():
            line.seq = (order or {}).get(line_id, line.seq)
        known = max((line.seq for line in self._lines.values()), default=0)
        self._seq = max(counter or 0, known) if order is not None else self._seq
        return self

    @property
    def counter(self) -> int:
        """The last sequence number handed out (saved with the stories, see `from_profiles`)."""
        return self._seq

    def to_state(self) -> dict[str, Any]:
        """Everything the linker holds, as plain values that `from_state` restores exactly.

        Why, when `from_profiles` rebuilds it: that replay reads every stored profile (8 s of
        CPU at 29,000 stories, growing with them) and gives sums pruned in the replay's order,
        not in the order the stories came; the saved state is the linker as it was. The caches
        of squared IDFs are left out (recomputed to the same floats); the cached storyline norms
        are kept, since a norm cached in an earlier epoch is what the running linker scores with.
        """
        return {
            "version": LINKER_STATE_VERSION,
            "settings": asdict(self.settings),
            "df": dict(self._df),
            "n_stories": self._n_stories,
            "seq": self._seq,
            "epoch": [self._epoch, self._epoch_n],
            "story_line": self._story_line,
            "postings": [[key, list(lines)] for key, lines in self._postings.items()],
            "lines": [
                [
                    line.id,
                    line.sums,
                    [[d, n] for d, n in line.days.items()],
                    line.n_stories,
                    line.seq,
                    line.version,
                ]
                for line in self._lines.values()
            ],
            "norms": [[line, channel, *value] for (line, channel), value in self._norms.items()],
        }

    @classmethod
    def from_state(
        cls, state: Mapping[str, Any], settings: StorylineSettings | None = None
    ) -> StorylineLinker:
        """The linker `to_state` described, or StoreError E430 for another layout version or
        other settings (pruned sums and bounded postings depend on them: `from_profiles` then)."""
        settings = settings or StorylineSettings()
        if state.get("version") != LINKER_STATE_VERSION:
            raise StoreError(
                f"saved storyline linker has layout {state.get('version')!r}, this storyline "
                f"reads {LINKER_STATE_VERSION}",
                code="E430",
            )
        if state.get("settings") != asdict(settings):
            raise StoreError("saved storyline linker has other settings", code="E430")
        self = cls(settings)
        self._df = Counter(state["df"])
        self._n_stories = int(state["n_stories"])
        self._seq = int(state["seq"])
        self._epoch, self._epoch_n = (int(x) for x in state["epoch"])
        self._story_line = dict(state["story_line"])
        self._postings = {key: dict.fromkeys(lines) for key, lines in state["postings"]}
        for line_id, sums, days, n_stories, seq, version in state["lines"]:
            self._lines[line_id] = _Line(
                id=line_id,
                sums={c: dict(sums.get(c, {})) for c in CHANNELS},
                days=Counter({int(d): int(n) for d, n in days}),
                n_stories=int(n_stories),
                seq=int(seq),
                version=int(version),
            )
        self._norms = {
            (line, channel): (int(version), int(epoch), float(norm))
            for line, channel, version, epoch, norm in state["norms"]
        }
        return self

    def rebuild(self, profiles: Sequence[StoryProfile]) -> dict[str, str]:
        """Link all stories from scratch, independently of their input order; replaces the state.

        Stories are placed one by one in a canonical order (first date, undated last, then id),
        by the same rule as :meth:`place`: the result depends only on the set of profiles, and
        a storyline grows the way it would have if its stories had arrived in date order. Then
        each story is placed again, in the same order, against the storylines as they ended up
        (at most `REFINE_PASSES` passes, until nothing moves): an early story that started a
        storyline of its own because the thread it belongs to had not formed yet joins it now.
        Cost is linear in the number of stories per pass.
        """
        fresh = StorylineLinker(self.settings)
        unique = {p.id: p for p in profiles}.values()
        ordered = sorted(unique, key=lambda p: (p.first_day is None, p.first_day or 0, p.id))
        assignment = {p.id: fresh.place(p)[0] for p in ordered}
        for _ in range(REFINE_PASSES):
            moved = False
            for p in ordered:
                line_id = fresh.place(p, p)[0]
                moved |= line_id != assignment[p.id]
                assignment[p.id] = line_id
            if not moved:
                break
        self.__dict__.update(fresh.__dict__)
        return assignment
