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
adding. The linker is saved whole in ``cluster_state`` (row ``linker``, with the mark it is
exact at) with a process's first batch and then whenever the step has spent `LINKER_SAVE_EVERY`
times the last save's cost since: a new process at that mark reads it back (a fraction of a second
at 29,000 stories) instead of rebuilding it from every story's stored profile and the storyline
membership (8 s of CPU there, growing with the stories), which it still does when the saved one is
older than the mark.

The schema and the readers are in :mod:`storyline.store.stories`, which commands that only read
import instead.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from storyline.article import ACTOR_LABELS, PLACE_LABELS, Article, article_date
from storyline.cluster.embed import Embedder
from storyline.cluster.story_clusterer import StoryClusterer, StoryDoc
from storyline.cluster.storyline_linker import (
    REFINE_PASSES,
    StorylineLinker,
    StoryProfile,
    article_features,
    day_number,
)
from storyline.extract.lead_title import LEAD
from storyline.store.articles import read_articles, row_to_article
from storyline.store.changes import latest_seq, mark_of
from storyline.store.db import now
from storyline.store.stories import story_members
from storyline.store.teamwork import move_team_work
from storyline.update.step import StepRun, UpdateStep
from storyline.update.story_rows import (
    article_day,
    profile_from_members,
    refresh_storylines,
    stored_profile,
    write_story,
)
from storyline.update.story_state import (
    Engine,
    StoreArchive,
    cluster_settings,
    embed_docs,
    load_engine,
    save_linker,
    save_linker_state,
    save_state,
    story_embedder,
    storyline_settings,
)

__all__ = ["LINKER_SAVE_EVERY", "REBUILD_LIMIT", "ClusterStories", "add_copies", "story_doc"]

#: Above this many articles `recluster` re-adds them in date order instead of the quadratic,
#: order-independent rebuild.
REBUILD_LIMIT = 20_000
#: The linker is saved with a batch once the step spent this many times the last save's cost
#: since it last saved: saving then costs at most a twentieth of the step (about 0.5 s at
#: 29,000 stories), and a process's first batch always saves.
LINKER_SAVE_EVERY = 20


def story_doc(article: Article) -> StoryDoc:
    """What story clustering reads from a stored or freshly processed article.

    A title derived from the lead (provenance ``lead``: the text had no headline) is left out:
    it repeats the first sentence, which the clusterer already counts again as the lead, and
    counting it as a title too would give that sentence four times the weight of the rest
    (round 13 in docs/clustering.md).
    """
    actors: list[str] = []
    places: list[str] = []
    for mention in article.mentions:
        key = mention.actor_id or mention.name
        if mention.label in PLACE_LABELS:
            places.append(key)
        elif mention.label in ACTOR_LABELS:
            actors.append(key)
    return StoryDoc(
        id=article.id,
        text=article.text,
        title="" if article.provenance.get("title") == LEAD else article.title or "",
        date=article.published,
        date_not_before=None if article.published else article.date_not_before,
        actors=sorted(set(actors)),
        places=sorted(set(places)),
        language=article.language,
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
        self.engine: Engine | None = None
        self.save_cost: float | None = None  # seconds the last save of the linker took
        self.since_save = 0.0  # seconds spent in the step since
        self.saved_at: int | None = None  # the mark the linker was last saved at

    def embedder(self) -> Embedder | None:
        """The ``[stories] embedder`` (None: not used or not installed), loaded once a process
        (`storyline.update.story_state.shared_embedder`)."""
        return story_embedder(self.settings)

    def forget(self) -> None:
        self.engine = None
        self.save_cost = self.saved_at = None
        self.since_save = 0.0

    def holds_unsaved(self) -> bool:
        return self.engine is not None and self.saved_at != self.synced

    def checkpoint(self, conn: sqlite3.Connection, position: int) -> None:
        """The linker, saved at the mark a run came to rest at (an ingest's last batch is
        seldom one the cost rule in `apply` saves)."""
        if self.engine is not None:
            self._save_linker(conn, position)

    def apply(self, run: StepRun) -> None:
        """New articles join a story (or start one); changed, deleted and re-linked ones
        refresh the rows of the story they are in."""
        started = time.perf_counter()
        conn = run.conn
        if self.engine is None:
            position = mark_of(conn, self.name, self.version)
            self.engine = load_engine(conn, self.settings, position, self.version)
        clusterer = self.engine.clusterer
        clusterer.archive = StoreArchive(conn)  # retired stories are read and written here
        articles, gone = run.articles(run.keys("article"))
        refresh: set[str] = set()
        # a story that lost an article recounts its profile from its members: keeping the gone
        # article's actors and terms would count a deleted or hidden article in its storyline's
        # weights
        lost: set[str] = set()
        if clusterer.has_retired and any(clusterer.story_of(a) is None for a in gone):
            clusterer.claim_members(_short_stories(conn))
        for article_id in gone:
            left = clusterer.forget_doc(article_id)
            if left:
                lost.add(left)
        # copy links changed: the story's sources are recounted; its profile (which counts the
        # members' features, not their links) stays, so no member is read back for it
        recount: set[str] = set()
        for article_id in run.keys("copies"):
            story_id = clusterer.story_of(article_id)
            if story_id:
                recount.add(story_id)
        refresh |= lost | recount
        docs: dict[str, StoryDoc] = {}
        for article in articles:
            if clusterer.story_of(article.id) is None:
                with run.each(article.id):
                    docs[article.id] = story_doc(article)
        add_copies(conn, docs)
        embed_docs(docs.values(), self.embedder())
        touched, removed, lines = _add(conn, self.engine, articles, docs, refresh, lost, recount)
        run.emit("story", sorted(touched | set(removed)))
        run.emit("storyline", sorted(lines))
        self.since_save += time.perf_counter() - started
        if not run.failed and (
            self.save_cost is None or self.since_save >= LINKER_SAVE_EVERY * self.save_cost
        ):  # a failed article may have left the linker ahead of the store: not saved then
            self._save_linker(conn, run.changes[-1].seq)

    def _save_linker(self, conn: sqlite3.Connection, position: int) -> None:
        assert self.engine is not None
        started = time.perf_counter()
        save_linker_state(conn, self.engine.linker, position, self.version)
        self.save_cost, self.since_save = time.perf_counter() - started, 0.0
        self.saved_at = position

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
        for table in (
            "story_articles",
            "stories",
            "storyline_stories",
            "storylines",
            "cluster_state_stories",
        ):
            conn.execute(f"DELETE FROM {table}")
        clusterer = StoryClusterer(cluster_settings(self.settings))
        clusterer.archive = StoreArchive(conn)  # stories retired while re-adding are written
        docs = [story_doc(a) for a in articles]
        embed_docs(docs, self.embedder())
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
                profile.add_article(article_features(article), article_day(article))
            profiles[story_id] = profile
        linker = StorylineLinker(storyline_settings(self.settings))
        line_of = linker.rebuild(list(profiles.values()))
        engine = Engine(clusterer, linker)
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
        save_state(conn, engine, by_story)
        for story_id in sorted(by_story):
            write_story(conn, story_id, profiles[story_id], line_of[story_id], recount=True)
        refresh_storylines(conn, linker, set(line_of.values()))
        save_linker(conn, linker)
        run.emit("story", sorted(before_stories | set(by_story)))
        run.emit("storyline", sorted(before_lines | set(line_of.values())))
        self.engine = engine
        self._save_linker(conn, latest_seq(conn))  # the mark the runner gives a rebuild
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
    arrive. A repair move that takes out an article which came in during this batch replays the
    story's profile from the batch's start and the arrivals that stayed: the same profile as if
    it had never joined. One that takes out an article stored before the batch counts it out
    (`StoryProfile.remove_article`: exact until a channel has pruned, then as approximate as the
    pruning). Recomputing every such story from its members cost 70 % of the step at 5,000
    articles and grew with the story (265 of 371 s). A story reborn after it was absorbed is
    marked ``stale`` and recomputed from its members at the end.
    """

    def __init__(self, conn: sqlite3.Connection, known: Mapping[str, Article]) -> None:
        self.conn = conn
        self.known = dict(known)  # articles in hand (this batch), by id
        self.profiles: dict[str, StoryProfile] = {}
        #: each story's profile as the batch found it, while nothing was merged into it: what a
        #: move of an article that arrived in this batch is replayed from (see `move`)
        self.base: dict[str, StoryProfile] = {}
        self.arrived: dict[str, list[str]] = {}  # articles that joined, moved or merged in
        self.stale: set[str] = set()  # lost a member by a delete, or reborn: recomputed
        self.recount: set[str] = set()  # counts and sources recounted from members
        self.seen: set[str] = set()
        self.gone: set[str] = set()  # absorbed during this batch (may come back)
        #: where each story's articles went (moves one by one, a merge all at once): the heir
        #: of a story that is removed gets the team's notes, tags and collection places
        self.went: dict[str, Counter[str]] = {}
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
            stored = stored_profile(self.conn, story_id)
            profile = stored or StoryProfile(story_id)
            self.base[story_id] = StoryProfile.from_dict(profile.as_dict())
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
                self._features[article_id] = (article_features(article), article_day(article))
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
        self.went.setdefault(old, Counter())[new] += 1
        self.profile(old)
        arrived = self.arrived.get(old, [])
        replay = old in self.base and old not in self.stale and article_id in arrived
        if article_id in arrived:
            arrived.remove(article_id)
        if replay:  # it came in during this batch: the profile as if it never had
            profile = StoryProfile.from_dict(self.base[old].as_dict())
            for kept in arrived:
                profile.add_article(*self.features(kept))
            self.profiles[old] = profile
        elif old not in self.stale:  # stored before this batch: counted out of the profile
            profile = self.profiles[old]
            if profile.remove_article(*self.features(article_id)):
                profile.first_day, profile.last_day = _member_days(self.conn, old)
            self.recount.add(old)
            self.base.pop(old, None)
        self._arrive(new, article_id)

    def merge(self, absorbed: str, survivor: str) -> None:
        """Every article of ``absorbed`` now belongs to ``survivor``."""
        self.conn.execute(
            "UPDATE story_articles SET story_id = ? WHERE story_id = ?", (survivor, absorbed)
        )
        gone = self.profile(absorbed)
        self.profile(survivor).merge(gone)
        self.base.pop(survivor, None)  # its profile now holds another story's articles
        self.base.pop(absorbed, None)
        self.went.setdefault(absorbed, Counter())[survivor] += 1 + gone.n_articles
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

    def heir(self, story_id: str, alive: Callable[[str], bool]) -> str | None:
        """The live story that took most of a removed story's articles (following a chain of
        removals), or None when they went nowhere (deleted)."""
        seen = {story_id}
        current = story_id
        while True:
            went = self.went.get(current)
            if not went:
                return None
            current = went.most_common(1)[0][0]
            if alive(current):
                return current
            if current in seen:
                return None
            seen.add(current)


def _member_days(conn: sqlite3.Connection, story_id: str) -> tuple[int | None, int | None]:
    """A story's first and last day from its members' dates (no text read)."""
    days = [
        day_number(r["published"] or r["date_not_before"]) for r in story_members(conn, story_id)
    ]
    known = [d for d in days if d is not None]
    return (min(known), max(known)) if known else (None, None)


def add_copies(conn: sqlite3.Connection, docs: Mapping[str, StoryDoc]) -> None:
    """Name the copies of each undated article: their stories stay within its reach."""
    for doc in docs.values():
        if doc.date is None and doc.date_not_before is None:
            doc.copies = [
                r[0]
                for r in conn.execute(
                    "SELECT b FROM copy_links WHERE a = ? "
                    "UNION SELECT a FROM copy_links WHERE b = ?",
                    (doc.id, doc.id),
                )
            ]


def _short_stories(conn: sqlite3.Connection) -> list[str]:
    """Stories holding fewer articles than their row says: those that lost a member by a delete
    (or hide) that cascaded before this step ran (`claim_members` keeps the retired ones)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT s.id FROM stories s WHERE s.n_articles > "
            "(SELECT COUNT(*) FROM story_articles a WHERE a.story_id = s.id)"
        )
    ]


def _add(
    conn: sqlite3.Connection,
    engine: Engine,
    batch: Sequence[Article],
    docs: Mapping[str, StoryDoc],
    refresh: set[str],
    lost: set[str] | None = None,
    recount: set[str] | None = None,
) -> tuple[set[str], list[str], set[str]]:
    """Add the batch's new articles (``docs``), replay each add's moves then merges, write what
    changed. ``lost``: stories whose profile is recomputed from their members; ``recount``:
    whose counts and sources are. Returns the stories touched, the stories removed, and the
    storylines refreshed."""
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
    # the whole batch is in: each of its articles is asked again where it belongs (`settle`),
    # its moves and merges replayed the same way
    clusterer.settle(a.id for a in batch if a.id in docs)
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
    for story_id in removed:  # a story id that reclustering retired: its team work follows
        heir = changes.heir(story_id, clusterer.has_story)
        if heir:
            move_team_work(conn, "story", story_id, heir)
    lines = _remove_stories(conn, engine.linker, removed)
    save_state(conn, engine, touched, removed=removed)
    changes.stale |= (lost or set()) & touched
    changes.recount |= ((lost or set()) | (recount or set())) & touched
    lines |= _refresh_stories(conn, engine, touched, changes)
    refresh_storylines(conn, engine.linker, lines)
    save_linker(conn, engine.linker)
    return touched, removed, lines


def _remove_stories(
    conn: sqlite3.Connection, linker: StorylineLinker, story_ids: Iterable[str]
) -> set[str]:
    """Drop stories that no longer exist (absorbed or emptied); returns the storylines they left."""
    lines: set[str] = set()
    for story_id in story_ids:
        stored = stored_profile(conn, story_id)
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


def _refresh_stories(
    conn: sqlite3.Connection, engine: Engine, touched: Iterable[str], changes: _Changes
) -> set[str]:
    """Update the profile, storyline, title and summary of each touched story; returns lines."""
    lines: set[str] = set()
    linker = engine.linker
    todo: list[tuple[str, StoryProfile, StoryProfile | None, bool]] = []
    for story_id in sorted(touched):
        previous = stored_profile(conn, story_id)
        changed = changes.changed(story_id)
        if story_id in changes.stale or (previous is None and not changed):
            profile = profile_from_members(conn, story_id)
            changed = True
        elif changed:
            profile = changes.profiles[story_id]
        else:
            profile = previous  # type: ignore[assignment]
        todo.append((story_id, profile, previous, changed))
    # placed in the rebuild's order (first day, undated last, then id): a storyline grows as it
    # would have had its stories arrived in date order, not in the order of their hashed ids
    todo.sort(key=lambda t: (t[1].first_day is None, t[1].first_day or 0, t[0]))
    placed: dict[str, tuple[str, float]] = {}
    for story_id, profile, previous, changed in todo:
        old_line = linker.storyline_of(story_id)
        if old_line is None or changed:
            placed[story_id] = linker.place(profile, previous if old_line else None)
            lines.add(placed[story_id][0])
        if old_line:
            lines.add(old_line)
    # then, as the rebuild does, each placed story is asked again against the storylines as the
    # batch left them: a story that started a storyline because its thread's other stories came
    # later in the batch joins them now (a move still needs `move_margin`)
    again = [(sid, profile) for sid, profile, _, _ in todo if sid in placed]
    for _ in range(REFINE_PASSES if len(again) > 1 else 0):
        moved = False
        for story_id, profile in again:
            line_id, score = linker.place(profile, profile)
            moved |= line_id != placed[story_id][0]
            placed[story_id] = (line_id, score)
            lines.add(line_id)
        if not moved:
            break
    for story_id, profile, _, _ in todo:
        if story_id in placed:
            line_id, score = placed[story_id]
            conn.execute(
                "INSERT INTO storyline_stories (story_id, storyline_id, joined_at, score) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(story_id) DO UPDATE SET "
                "storyline_id=excluded.storyline_id, score=excluded.score, "
                "joined_at=CASE WHEN storyline_id = excluded.storyline_id THEN joined_at "
                "ELSE excluded.joined_at END",
                (story_id, line_id, now(), round(score, 4)),
            )
        else:
            line_id = linker.storyline_of(story_id)  # type: ignore[assignment]
        write_story(
            conn,
            story_id,
            profile,
            line_id,
            changes.arrived.get(story_id, []),
            recount=story_id in changes.recount,
        )
    return lines
