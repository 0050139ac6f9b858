"""Update step ``cluster_stories``: stories and storylines kept up to date in the store.

After ``find_copies`` (whose links it reads to mark copies and count independent sources), it keeps
one story clusterer and one storyline linker per process, adds each new article of a batch to the
clusterer, replays after each add the clusterer's repair moves and then its merges (so
``story_articles`` always equals the clusterer's ``stories()``), places each changed story in a
storyline, and writes the assignments, the refreshed story and storyline rows and the clusterer's
state in the step's transaction, with its mark: a restart resumes exactly where the last committed
batch left off and never re-clusters. It logs a ``story`` change for every story it touched or
removed and a ``storyline`` change for every storyline it refreshed.

The clusterer's state (:meth:`StoryClusterer.to_state`) is kept in two tables so that a batch
writes what it changed, not the whole archive: ``cluster_state`` holds the global part (settings,
document frequencies, counters) and ``cluster_state_stories`` one row per story (its term sums and
index keys); a batch rewrites the global row and the rows of the stories it touched. A process
whose step mark is behind the store's (another process ran the step meanwhile) reloads before
adding. The linker needs no state of its own: it is rebuilt from the stories' stored profiles and
the storyline membership.

The schema and the readers are in :mod:`storyline.store.stories`, which commands that only read
import instead.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from storyline.article import ACTOR_LABELS, PLACE_LABELS, Article, article_date
from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer, StoryDoc
from storyline.cluster.storyline_linker import (
    StorylineLinker,
    StorylineSettings,
    StoryProfile,
    article_features,
    day_number,
    iso_day,
)
from storyline.cluster.summaries import (
    story_title,
    storyline_summary,
    summarise,
)
from storyline.errors import StoreError
from storyline.store.articles import read_articles, row_to_article
from storyline.store.copies import copies_among, source_count
from storyline.store.db import now
from storyline.store.stories import actor_names, story_members
from storyline.update.step import StepRun, UpdateStep

__all__ = [
    "ClusterStories",
    "cluster_settings",
    "pack_state",
    "story_doc",
    "storyline_settings",
    "unpack_state",
]

#: Articles read to title and summarise one story (the earliest and the latest): bounds the
#: cost of refreshing a story that has grown to hundreds of reports.
SUMMARY_ARTICLES = (30, 10)
#: Above this many articles a story is refreshed from its new articles, its summary's and a few
#: first ones (see `_large_story`), so the cost of a batch does not grow with the story.
LARGE_STORY = 200
#: Above this many articles `recluster` re-adds them in date order instead of the quadratic,
#: order-independent rebuild.
REBUILD_LIMIT = 20_000
#: A storyline's summary is the lead sentence of this many of its largest stories.
STORYLINE_SUMMARY_STORIES = 6
#: Latest stories of a storyline searched first for the display labels of its features.
LABEL_STORIES = 50


# -- packing the clusterer state (JSON + raw arrays; never pickle) --------------------------------

_PACK_VERSION = 1


def pack_state(value: Any) -> bytes:
    """Plain dicts, lists, numbers and numpy arrays as compressed bytes (safe to load)."""
    buffers: list[bytes] = []
    offset = 0

    def encode(x: Any) -> Any:
        nonlocal offset
        if isinstance(x, np.ndarray):
            raw = np.ascontiguousarray(x).tobytes()
            buffers.append(raw)
            marker = {"__nd__": offset, "dtype": x.dtype.str, "shape": list(x.shape)}
            offset += len(raw)
            return marker
        if isinstance(x, dict):
            return {str(k): encode(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [encode(v) for v in x]
        if isinstance(x, np.generic):
            return x.item()
        return x

    head = json.dumps(encode(value), separators=(",", ":")).encode("utf-8")
    return zlib.compress(struct.pack("<II", _PACK_VERSION, len(head)) + head + b"".join(buffers), 1)


def unpack_state(blob: bytes) -> Any:
    """Inverse of :func:`pack_state`."""
    data = zlib.decompress(blob)
    version, size = struct.unpack_from("<II", data)
    if version != _PACK_VERSION:
        raise StoreError(
            f"stored story state has packing version {version}, which this storyline cannot "
            "read; run `storyline recluster` to rebuild it",
            code="E430",
        )
    body = memoryview(data)[8 + size :]

    def decode(x: Any) -> Any:
        if isinstance(x, dict):
            if "__nd__" in x:
                dtype = np.dtype(x["dtype"])
                count = int(np.prod(x["shape"])) if x["shape"] else 1
                at = int(x["__nd__"])
                arr = np.frombuffer(body[at : at + count * dtype.itemsize], dtype=dtype)
                return arr.reshape(x["shape"]).copy()
            return {k: decode(v) for k, v in x.items()}
        if isinstance(x, list):
            return [decode(v) for v in x]
        return x

    return decode(json.loads(bytes(data[8 : 8 + size]).decode("utf-8")))


def _partial_state(clusterer: StoryClusterer, story_ids: Iterable[str]) -> dict[str, Any]:
    """``to_state()`` restricted to some stories: the global part and those stories only.

    ``to_state`` walks every story; at a million articles that is seconds per batch. A shallow
    view of the clusterer holding only the touched stories runs the clusterer's own
    serialisation on them (a test checks the reassembled state equals ``to_state()``).
    """
    stories = clusterer._stories
    view = object.__new__(StoryClusterer)
    view.__dict__.update(clusterer.__dict__)
    view._stories = {sid: stories[sid] for sid in story_ids if sid in stories}
    return view.to_state()


# -- per-store engine ---------------------------------------------------------------------------


@dataclass
class _Engine:
    clusterer: StoryClusterer
    linker: StorylineLinker


def _configured(cls: type[Any], settings: Mapping[str, Any] | None, section: str) -> Any:
    """``cls`` with the fields that ``settings[section]`` names; the rest default."""
    values = (settings or {}).get(section) or {}
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in known})


def cluster_settings(settings: Mapping[str, Any] | None = None) -> ClusterSettings:
    """Story clustering settings: ``[stories]`` of the merged settings over the defaults."""
    return _configured(ClusterSettings, settings, "stories")


def storyline_settings(settings: Mapping[str, Any] | None = None) -> StorylineSettings:
    """Storyline linking settings: ``[storylines]`` of the merged settings over the defaults."""
    return _configured(StorylineSettings, settings, "storylines")


def _load_engine(conn: sqlite3.Connection, settings: Mapping[str, Any] | None) -> _Engine:
    """Restore the clusterer and linker from the store (once per process, or after others wrote).

    The settings in force are the given ones, not those saved with the state: a changed
    threshold applies to the articles added from now on (a rebuild applies it to all of them).
    """
    row = conn.execute("SELECT state FROM cluster_state WHERE name = 'stories'").fetchone()
    if row is None:
        clusterer = StoryClusterer(cluster_settings(settings))
    else:
        state = unpack_state(row["state"])
        state["stories"] = [
            unpack_state(r[0]) for r in conn.execute("SELECT state FROM cluster_state_stories")
        ]
        clusterer = StoryClusterer.from_state(state)
        clusterer.settings = cluster_settings(settings)
    profiles = (
        StoryProfile.from_dict(json.loads(r[0]))
        for r in conn.execute("SELECT profile FROM stories WHERE profile != '{}'")
    )
    membership = {
        r[0]: r[1] for r in conn.execute("SELECT story_id, storyline_id FROM storyline_stories")
    }
    order = {r[0]: int(r[1]) for r in conn.execute("SELECT id, seq FROM storylines")}
    saved = conn.execute("SELECT state FROM cluster_state WHERE name = 'storylines'").fetchone()
    counter = int(unpack_state(saved[0])["counter"]) if saved else None
    linker = StorylineLinker.from_profiles(
        profiles, membership, storyline_settings(settings), order, counter
    )
    return _Engine(clusterer, linker)


def story_doc(article: Article) -> StoryDoc:
    """What story clustering reads from a stored or freshly processed article."""
    actors: list[str] = []
    places: list[str] = []
    for mention in article.mentions:
        key = mention.actor_id or mention.text
        if mention.label in PLACE_LABELS:
            places.append(key)
        elif mention.label in ACTOR_LABELS:
            actors.append(key)
    return StoryDoc(
        id=article.id,
        text=article.text,
        title=article.title or "",
        date=article.published,
        date_not_before=None if article.published else article.date_not_before,
        actors=sorted(set(actors)),
        places=sorted(set(places)),
    )


class ClusterStories(UpdateStep):
    """Stories (one happening, many reports) and the storylines that thread them."""

    name = "cluster_stories"
    version = "1"
    follows = ("article", "copies")
    emits = ("story", "storyline")
    reads = ("articles", "copy_links", "actors")
    writes = (
        "story_articles",
        "stories",
        "storyline_stories",
        "storylines",
        "cluster_state",
        "cluster_state_stories",
    )

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        super().__init__(settings)
        self.engine: _Engine | None = None

    def forget(self) -> None:
        self.engine = None

    def apply(self, run: StepRun) -> None:
        """New articles join a story (or start one); changed, deleted and re-linked ones
        refresh the rows of the story they are in."""
        conn = run.conn
        if self.engine is None:
            self.engine = _load_engine(conn, self.settings)
        clusterer = self.engine.clusterer
        articles, gone = run.articles(run.keys("article"))
        refresh: set[str] = set()
        for article_id in gone:
            left = clusterer.forget_doc(article_id)
            if left:
                refresh.add(left)
        for article_id in run.keys("copies"):  # copy links changed: sources are recounted
            story_id = clusterer.story_of(article_id)
            if story_id:
                refresh.add(story_id)
        docs: dict[str, StoryDoc] = {}
        for article in articles:
            if clusterer.story_of(article.id) is None:
                with run.each(article.id):
                    docs[article.id] = story_doc(article)
        touched, removed, lines = _add(conn, self.engine, articles, docs, refresh)
        run.emit("story", sorted(touched | set(removed)))
        run.emit("storyline", sorted(lines))

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Every story and storyline again from the stored articles (evaluation and repair).

        Up to `REBUILD_LIMIT` articles the stories come from the clusterer's order-independent
        rebuild; beyond, articles are re-added in date order (linear, deterministic). Storylines
        are always rebuilt order-independently. The result depends only on the stored articles
        and copy links, not on the store's history.
        """
        conn = run.conn
        before_stories = {r[0] for r in conn.execute("SELECT id FROM stories")}
        before_lines = {r[0] for r in conn.execute("SELECT id FROM storylines")}
        rows = conn.execute("SELECT * FROM articles")
        articles = sorted(
            map(row_to_article, rows), key=lambda a: (article_date(a) or "9999", a.id)
        )
        clusterer = StoryClusterer(cluster_settings(self.settings))
        docs = [story_doc(a) for a in articles]
        if len(docs) <= REBUILD_LIMIT:
            assignment = clusterer.rebuild(docs)
        else:
            for doc in docs:
                clusterer.add(doc)
            # repairs and merges may have moved earlier articles: ask for the final stories
            assignment = {doc.id: str(clusterer.story_of(doc.id)) for doc in docs}
        clusterer.take_moves()  # already reflected in `assignment`
        clusterer.take_merges()
        by_story: dict[str, list[Article]] = {}
        for article in articles:
            by_story.setdefault(assignment[article.id], []).append(article)
        profiles: dict[str, StoryProfile] = {}
        for story_id, members in by_story.items():
            profile = StoryProfile(story_id)
            for article in members:
                profile.add_article(article_features(article), _day(article))
            profiles[story_id] = profile
        linker = StorylineLinker(storyline_settings(self.settings))
        line_of = linker.rebuild(list(profiles.values()))
        engine = _Engine(clusterer, linker)
        for table in (
            "story_articles",
            "stories",
            "storyline_stories",
            "storylines",
            "cluster_state_stories",
        ):
            conn.execute(f"DELETE FROM {table}")
        stamp = now()
        conn.executemany(
            "INSERT INTO story_articles (article_id, story_id, joined_at) VALUES (?, ?, ?)",
            sorted((a, s, stamp) for a, s in assignment.items()),
        )
        conn.executemany(
            "INSERT INTO storyline_stories (story_id, storyline_id, joined_at, score) "
            "VALUES (?, ?, ?, ?)",
            [
                (s, line, stamp, round(linker.score(profiles[s], line), 4))
                for s, line in sorted(line_of.items())
            ],
        )
        _save_state(conn, engine, by_story)
        for story_id in sorted(by_story):
            _write_story(conn, story_id, profiles[story_id], line_of[story_id], recount=True)
        _refresh_storylines(conn, linker, set(line_of.values()))
        _save_linker(conn, linker)
        run.emit("story", sorted(before_stories | set(by_story)))
        run.emit("storyline", sorted(before_lines | set(line_of.values())))
        self.engine = engine
        return {
            "articles": len(assignment),
            "stories": len(by_story),
            "storylines": len(set(line_of.values())),
        }


class _Changes:
    """What one batch did to the stories, replayed from the clusterer's answers in order.

    After each ``add()`` the clusterer reports repair moves, then merges (docs/clustering.md);
    replaying them one add at a time keeps the store's assignments equal to ``stories()`` even
    when a story id goes away and comes back within a batch (a merged story's founding article
    evicted later starts ``st_<it>`` again). Each story's profile is kept up to date as articles
    arrive; a story that lost an article is marked ``stale`` and recomputed from its members at
    the end (a profile keeps pruned counts, so subtracting an article is not exact).
    """

    def __init__(self, conn: sqlite3.Connection, known: Mapping[str, Article]) -> None:
        self.conn = conn
        self.known = dict(known)  # articles in hand (this batch), by id
        self.profiles: dict[str, StoryProfile] = {}
        self.arrived: dict[str, list[str]] = {}  # articles that joined, moved or merged in
        self.stale: set[str] = set()  # lost an article: profile recomputed from members
        self.recount: set[str] = set()  # counts and sources recounted from members
        self.seen: set[str] = set()
        self.gone: set[str] = set()  # absorbed during this batch (may come back)
        self._features: dict[str, tuple[dict[str, dict[str, str]], int | None]] = {}

    def profile(self, story_id: str) -> StoryProfile:
        """The story's working profile: its stored one, or empty for a new (or reborn) story."""
        found = self.profiles.get(story_id)
        if found is not None:
            return found
        self.seen.add(story_id)
        if story_id in self.gone:  # reborn after it was absorbed: it starts from its members
            self.gone.discard(story_id)
            self.stale.add(story_id)
            profile = StoryProfile(story_id)
        else:
            stored = _stored_profile(self.conn, story_id)
            profile = StoryProfile.from_dict(stored.as_dict()) if stored else StoryProfile(story_id)
        self.profiles[story_id] = profile
        return profile

    def features(self, article_id: str) -> tuple[dict[str, dict[str, str]], int | None]:
        if article_id not in self._features:
            article = self.known.get(article_id)
            if article is None:
                article = next(iter(read_articles(self.conn, [article_id])), None)
            if article is None:  # deleted meanwhile: nothing to count
                self._features[article_id] = ({}, None)
            else:
                self._features[article_id] = (article_features(article), _day(article))
        return self._features[article_id]

    def _arrive(self, story_id: str, article_id: str) -> None:
        features, day = self.features(article_id)
        self.profile(story_id).add_article(features, day)
        self.arrived.setdefault(story_id, []).append(article_id)

    def join(self, story_id: str, article: Article, stamp: str) -> None:
        """A new article joined (or started) a story."""
        self.known[article.id] = article
        self.conn.execute(
            "INSERT OR REPLACE INTO story_articles (article_id, story_id, joined_at) "
            "VALUES (?, ?, ?)",
            (article.id, story_id, stamp),
        )
        self._arrive(story_id, article.id)

    def move(self, article_id: str, old: str, new: str, stamp: str) -> None:
        """A repair moved one article: both stories changed; the old one lost a member."""
        self.conn.execute(
            "UPDATE story_articles SET story_id = ?, joined_at = ?, score = NULL "
            "WHERE article_id = ?",
            (new, stamp, article_id),
        )
        self.profile(old)
        self.stale.add(old)
        self.recount.add(old)
        if article_id in self.arrived.get(old, []):
            self.arrived[old].remove(article_id)
        self._arrive(new, article_id)

    def merge(self, absorbed: str, survivor: str) -> None:
        """Every article of ``absorbed`` now belongs to ``survivor``."""
        self.conn.execute(
            "UPDATE story_articles SET story_id = ? WHERE story_id = ?", (survivor, absorbed)
        )
        gone = self.profile(absorbed)
        self.profile(survivor).merge(gone)
        if absorbed in self.stale:
            self.stale.add(survivor)
        self.recount.add(survivor)  # the absorbed story's stored members are not in `arrived`
        self.arrived.setdefault(survivor, []).extend(self.arrived.pop(absorbed, []))
        del self.profiles[absorbed]
        self.stale.discard(absorbed)
        self.recount.discard(absorbed)
        self.gone.add(absorbed)

    def changed(self, story_id: str) -> bool:
        return story_id in self.profiles


def _stored_profile(conn: sqlite3.Connection, story_id: str) -> StoryProfile | None:
    """The profile last written for a story: the one the storyline linker holds for it."""
    row = conn.execute("SELECT profile FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row and row[0] != "{}":
        return StoryProfile.from_dict(json.loads(row[0]))
    return None


def _profile_fromstory_members(conn: sqlite3.Connection, story_id: str) -> StoryProfile:
    """A story's profile recomputed from its stored articles, in one SQL pass.

    Needed when a story lost an article (a repair move): profiles keep pruned counts, so taking
    an article out is not exact. The cost is linear in the story's size (reading, decoding and
    featurising each member: about 0.37 ms per 1.9 KB article here, docs/stories.md); repairs only
    move an article that joined recently, so this runs for the few stories a batch moved
    articles out of.
    """
    from storyline.store.articles import row_to_article

    profile = StoryProfile(story_id)
    rows = conn.execute(
        "SELECT a.* FROM story_articles s JOIN articles a ON a.id = s.article_id "
        "WHERE s.story_id = ? "
        "ORDER BY COALESCE(substr(a.published, 1, 10), a.date_not_before, '9999'), a.id",
        (story_id,),
    )
    for row in rows:
        article = row_to_article(row)
        profile.add_article(article_features(article), _day(article))
    return profile


def _add(
    conn: sqlite3.Connection,
    engine: _Engine,
    batch: Sequence[Article],
    docs: Mapping[str, StoryDoc],
    refresh: set[str],
) -> tuple[set[str], list[str], set[str]]:
    """Add the batch's new articles (``docs``), replay each add's moves then merges, write what
    changed. Returns the stories touched, the stories removed, and the storylines refreshed."""
    clusterer = engine.clusterer
    stamp = now()
    changes = _Changes(conn, {a.id: a for a in batch})
    # The whole batch's document frequencies are counted before its first add, so a young
    # store weighs its first articles with more than their own counts (see `observe`).
    clusterer.observe(docs.values())
    for article in batch:
        if article.id not in docs or clusterer.story_of(article.id) is not None:
            continue
        changes.join(clusterer.add(docs[article.id]), article, stamp)
        for article_id, old, new in clusterer.take_moves():
            changes.move(article_id, old, new, stamp)
        for absorbed, survivor in clusterer.take_merges():
            changes.merge(absorbed, survivor)
    refresh = set(refresh)
    for article in batch:  # re-ingested or updated articles: refresh their story's rows
        story_id = clusterer.story_of(article.id)
        if story_id:
            refresh.add(story_id)
    mentioned = changes.seen | changes.gone | refresh
    touched = {sid for sid in mentioned if clusterer.has_story(sid)}
    removed = sorted(mentioned - touched)
    lines = _remove_stories(conn, engine.linker, removed)
    _save_state(conn, engine, touched, removed=removed)
    lines |= _refresh_stories(conn, engine, touched, changes)
    _refresh_storylines(conn, engine.linker, lines)
    _save_linker(conn, engine.linker)
    return touched, removed, lines


def _remove_stories(
    conn: sqlite3.Connection, linker: StorylineLinker, story_ids: Iterable[str]
) -> set[str]:
    """Drop stories that no longer exist (absorbed or emptied); returns the storylines they left."""
    lines: set[str] = set()
    for story_id in story_ids:
        stored = _stored_profile(conn, story_id)
        if stored is not None and linker.storyline_of(story_id):
            left = linker.forget(stored)
            if left:
                lines.add(left)
        for sql in (
            "DELETE FROM stories WHERE id = ?",
            "DELETE FROM storyline_stories WHERE story_id = ?",
            "DELETE FROM cluster_state_stories WHERE story_id = ?",
        ):
            conn.execute(sql, (story_id,))
    return lines


def _save_linker(conn: sqlite3.Connection, linker: StorylineLinker) -> None:
    """The linker's sequence counter (everything else of it is rebuilt from the stories)."""
    conn.execute(
        "INSERT INTO cluster_state (name, version, generation, n_articles, state, updated_at) "
        "VALUES ('storylines', 1, 0, 0, ?, ?) ON CONFLICT(name) DO UPDATE SET "
        "state=excluded.state, updated_at=excluded.updated_at",
        (pack_state({"counter": linker.counter}), now()),
    )


def _save_state(
    conn: sqlite3.Connection, engine: _Engine, touched: Iterable[str], removed: Iterable[str] = ()
) -> None:
    partial = _partial_state(engine.clusterer, touched)
    stories = partial.pop("stories")
    conn.execute(
        "INSERT INTO cluster_state (name, version, generation, n_articles, state, updated_at) "
        "VALUES ('stories', ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
        "version=excluded.version, generation=excluded.generation, "
        "n_articles=excluded.n_articles, state=excluded.state, updated_at=excluded.updated_at",
        (
            int(partial["version"]),
            0,  # kept for old stores; the step's mark says how far the state goes
            len(engine.clusterer),
            pack_state(partial),
            now(),
        ),
    )
    conn.executemany(
        "DELETE FROM cluster_state_stories WHERE story_id = ?", [(r,) for r in removed]
    )
    conn.executemany(
        "INSERT OR REPLACE INTO cluster_state_stories (story_id, state) VALUES (?, ?)",
        [(story["id"], pack_state(story)) for story in stories],
    )


def _refresh_stories(
    conn: sqlite3.Connection, engine: _Engine, touched: Iterable[str], changes: _Changes
) -> set[str]:
    """Update the profile, storyline, title and summary of each touched story; returns lines."""
    lines: set[str] = set()
    linker = engine.linker
    for story_id in sorted(touched):
        previous = _stored_profile(conn, story_id)
        changed = changes.changed(story_id)
        if story_id in changes.stale or (previous is None and not changed):
            profile = _profile_fromstory_members(conn, story_id)
            changed = True
        elif changed:
            profile = changes.profiles[story_id]
        else:
            profile = previous  # type: ignore[assignment]
        old_line = linker.storyline_of(story_id)
        if old_line is None or changed:
            line_id, score = linker.place(profile, previous if old_line else None)
            conn.execute(
                "INSERT INTO storyline_stories (story_id, storyline_id, joined_at, score) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(story_id) DO UPDATE SET "
                "storyline_id=excluded.storyline_id, score=excluded.score, "
                "joined_at=CASE WHEN storyline_id = excluded.storyline_id THEN joined_at "
                "ELSE excluded.joined_at END",
                (story_id, line_id, now(), round(score, 4)),
            )
        else:
            line_id = old_line
        lines |= {line_id} | ({old_line} if old_line else set())
        _write_story(
            conn,
            story_id,
            profile,
            line_id,
            changes.arrived.get(story_id, []),
            recount=story_id in changes.recount,
        )
    return lines


def _day(article: Article) -> int | None:
    return day_number(article.published or article.date_not_before)


def _large_story(
    conn: sqlite3.Connection, story_id: str, profile: StoryProfile, joined: Sequence[str]
) -> tuple[list[str], int, list[str], int]:
    """Bounded refresh of a story past `LARGE_STORY` articles: counts move by the new articles.

    The summary is chosen again from the articles it cites, the newly joined ones and a few of
    the first; a new article adds an independent source unless it copies one of the story's.
    Returns (pool ids, n_articles, dates, n_sources).
    """
    old = conn.execute("SELECT n_sources, summary FROM stories WHERE id = ?", (story_id,))
    row = old.fetchone()
    cited = [s["article_id"] for s in json.loads(row["summary"])] if row else []
    first = [
        r[0]
        for r in conn.execute(
            "SELECT article_id FROM story_articles WHERE story_id = ? LIMIT ?",
            (story_id, SUMMARY_ARTICLES[1]),
        )
    ]
    pool = list(dict.fromkeys([*cited, *joined, *first]))
    copied = 0
    for article_id in joined:
        hit = conn.execute(
            "SELECT 1 FROM copy_links c JOIN story_articles s ON s.article_id = "
            "CASE WHEN c.a = ? THEN c.b ELSE c.a END WHERE (c.a = ? OR c.b = ?) "
            "AND c.kind != 'partial' AND s.story_id = ? LIMIT 1",
            (article_id, article_id, article_id, story_id),
        ).fetchone()
        copied += bool(hit)
    sources = (int(row["n_sources"]) if row else 0) + len(joined) - copied
    days = [d for d in (iso_day(profile.first_day), iso_day(profile.last_day)) if d]
    return pool, profile.n_articles, days, sources


def _write_story(
    conn: sqlite3.Connection,
    story_id: str,
    profile: StoryProfile,
    line_id: str | None,
    joined: Sequence[str] = (),
    recount: bool = False,
) -> None:
    """Write a story's row: title, dates, counts, summary, profile, storyline.

    ``joined`` are the articles that came into the story since its row was written. A story past
    `LARGE_STORY` that only grew is refreshed in bounded time (`_large_story`); one that lost
    or absorbed articles (``recount``) is counted again from its members: one SQL pass over their
    ids, dates and copy links, with at most ``sum(SUMMARY_ARTICLES)`` articles read.
    """
    if profile.n_articles > LARGE_STORY and not recount:
        chosen, n_articles, days, n_sources = _large_story(conn, story_id, profile, joined)
        copies = copies_among(conn, chosen)
    else:
        members = story_members(conn, story_id)
        ids = [r["id"] for r in members]
        if not ids:
            conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
            return
        days = [(r["published"] or r["date_not_before"] or "")[:10] for r in members]
        days = [d for d in days if d]
        early, late = SUMMARY_ARTICLES
        chosen = ids if len(ids) <= early + late else ids[:early] + ids[-late:]
        copies = copies_among(conn, ids)
        n_articles, n_sources = len(ids), source_count(conn, ids)
    articles = read_articles(conn, chosen)
    summary = [s.as_dict() for s in summarise(articles, copies)]
    from storyline.cluster.summaries import centrality

    for article_id, score in centrality(articles, copies).items():
        conn.execute(
            "UPDATE story_articles SET score = ? WHERE article_id = ?",
            (round(score, 4), article_id),
        )
    conn.execute(
        "INSERT INTO stories (id, title, first_seen, last_seen, n_articles, n_sources, summary, "
        "profile, storyline_id, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO "
        "UPDATE SET title=excluded.title, first_seen=excluded.first_seen, "
        "last_seen=excluded.last_seen, n_articles=excluded.n_articles, "
        "n_sources=excluded.n_sources, summary=excluded.summary, profile=excluded.profile, "
        "storyline_id=excluded.storyline_id, updated_at=excluded.updated_at",
        (
            story_id,
            story_title(articles, copies),
            min(days) if days else None,
            max(days) if days else None,
            n_articles,
            n_sources,
            json.dumps(summary, ensure_ascii=False),
            json.dumps(profile.as_dict(), ensure_ascii=False, sort_keys=True),
            line_id,
            now(),
        ),
    )


def _labels(conn: sqlite3.Connection, line_id: str, keys: Sequence[str]) -> dict[str, str]:
    """Display labels the storyline's stories recorded for ``keys`` (first story first)."""
    if not keys:
        return {}
    out: dict[str, str] = {}
    # The storyline's strongest features are almost always in its latest stories: look there
    # first, and through every story only for what is still missing (a long storyline's JSON
    # scan cost 50 ms a batch at 10,000 articles).
    for limit in (LABEL_STORIES, -1):
        missing = [k for k in keys if k not in out]
        if not missing:
            break
        marks = ",".join("?" * len(missing))
        for key, label in conn.execute(
            "SELECT j.key, j.value FROM (SELECT profile FROM stories WHERE storyline_id = ? "
            "ORDER BY rowid DESC LIMIT ?) AS s, json_each(s.profile, '$.labels') AS j "
            f"WHERE j.key IN ({marks})",
            (line_id, limit, *missing),
        ):
            out.setdefault(key, label)
    return out


def storyline_title(described: Mapping[str, list[dict[str, Any]]]) -> str:
    """Who and where, then what about: a storyline's most central actors, places and terms.

    A storyline of one story is titled by that story instead (see `_refresh_storylines`).
    """
    ranked = sorted(
        [*described.get("places", [])[:3], *described.get("actors", [])[:3]],
        key=lambda x: -x["weight"],
    )
    who: list[str] = []
    for item in ranked:
        if item["name"] not in who and len(who) < 3:
            who.append(item["name"])
    what = [x["name"] for x in described.get("terms", [])[:3]]
    if who and what:
        return f"{', '.join(who)}: {', '.join(what)}"
    return ", ".join(who or what)


def _refresh_storylines(
    conn: sqlite3.Connection, linker: StorylineLinker, line_ids: Iterable[str]
) -> None:
    for line_id in sorted(line_ids):
        # Aggregates and the few rows the summary needs come from SQL, so a storyline of
        # thousands of stories costs no more per batch than a small one (no per-story JSON).
        count, first_seen, last_seen, n_articles, only_title = conn.execute(
            "SELECT COUNT(*), MIN(first_seen), MAX(last_seen), SUM(n_articles), MIN(title) "
            "FROM stories WHERE storyline_id = ?",
            (line_id,),
        ).fetchone()
        if not count or linker.sequence(line_id) is None:
            conn.execute("DELETE FROM storylines WHERE id = ?", (line_id,))
            continue
        main = [
            {**dict(r), "summary": json.loads(r["summary"])}
            for r in conn.execute(
                "SELECT id, first_seen, n_articles, summary FROM stories WHERE storyline_id = ? "
                "AND json_array_length(summary) > 0 ORDER BY n_articles DESC, id LIMIT ?",
                (line_id, STORYLINE_SUMMARY_STORIES),
            )
        ]
        described = linker.describe(line_id, None, n=8)
        keys = [x["key"] for c in ("actors", "places") for x in described[c]]
        names = actor_names(conn, keys)
        labels = _labels(conn, line_id, [k for k in keys if k not in names])
        words: set[str] = set()
        for channel in ("actors", "places"):
            for item in described[channel]:
                item["name"] = names.get(item["key"], labels.get(item["key"], item["key"]))
                words.update(w.lower() for w in item["name"].replace("-", " ").split())
        # subject terms say what about, not again who: drop words of the actors' names
        described["terms"] = [x for x in described["terms"] if x["key"] not in words]
        conn.execute(
            "INSERT INTO storylines (id, title, first_seen, last_seen, n_stories, n_articles, "
            "actors, summary, seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO "
            "UPDATE SET title=excluded.title, first_seen=excluded.first_seen, "
            "last_seen=excluded.last_seen, n_stories=excluded.n_stories, "
            "n_articles=excluded.n_articles, actors=excluded.actors, summary=excluded.summary, "
            "seq=excluded.seq, updated_at=excluded.updated_at",
            (
                line_id,
                storyline_title(described) if count > 1 else only_title,
                first_seen,
                last_seen,
                count,
                int(n_articles or 0),
                json.dumps(described, ensure_ascii=False),
                json.dumps(
                    storyline_summary(main, max_sentences=STORYLINE_SUMMARY_STORIES),
                    ensure_ascii=False,
                ),
                linker.sequence(line_id) or 0,
                now(),
            ),
        )
