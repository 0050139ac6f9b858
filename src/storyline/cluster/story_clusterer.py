"""Story clustering: group articles that report the same real-world happening.

Two modes share one similarity (see ``docs/clustering.md``):

* :meth:`StoryClusterer.add` is incremental. A new article is compared with the few stories that
  an inverted index over its strongest terms and names returns (restricted to recent postings and,
  when dated, to a date window), never with every story; it joins the best one whose similarity
  reaches ``ClusterSettings.threshold`` or starts a new story. A bounded local repair then
  re-scores the recent members of that story and of its closest rivals and moves those that now
  fit elsewhere (reported by :meth:`StoryClusterer.take_moves`).
* :meth:`StoryClusterer.rebuild` is a full, order-independent clustering: documents are sorted by
  id, weighed with IDF over the whole set, and grouped by average-link agglomerative clustering
  cut at the same threshold.

Similarity of an article to a story is the average over the story's articles (average link) of a
weighted mean of channel cosines: TF-IDF over terms, TF-IDF over names and numbers (plus the
pipeline's actors and places), and embeddings when present. Channels missing on either side drop
out of the mean. When both sides are dated the score decays with the gap in days.

IDF strategy: document frequencies are counted incrementally in a hashed feature space (CRC32,
``2**20`` slots). Each article is weighed with the IDF known when it arrives (its own counts
included), and its normalised vector is added to its story's sum, so story centroids never need
re-weighing; the rebuild uses the IDF of the whole set.

This module is the clusterer: its index, the joins, the local repair and the merges. A story's
running sums and the scores read from them are in `storyline.cluster.story_sums`, the saved
state's format in `storyline.cluster.clusterer_state`, the rebuild's clustering in
`storyline.cluster.story_rebuild` and what they all share in `storyline.cluster.story_model`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np

from storyline.cluster.clusterer_state import settings_from_state, state_of, stories_from_state
from storyline.cluster.features import (
    HASH_BITS,
    lead,
    people_signature,
    signature,
    text_features,
    weigh,
)
from storyline.cluster.sparse import SparseVector
from storyline.cluster.story_archive import MemoryArchive, RetiredStories, StoryArchive
from storyline.cluster.story_model import (
    ClusterSettings,
    Features,
    StoryDoc,
    date_factor,
    day_number,
    far_reach,
    interval_gap,
    near_days,
    reach_days,
)
from storyline.cluster.story_regroup import regroup, story_ids_for
from storyline.cluster.story_split import split_group
from storyline.cluster.story_sums import (
    StorySums,
    article_score,
    member_fit,
    pair_similarity,
    span_days,
    story_similarity,
)

__all__ = ["ClusterSettings", "StoryClusterer", "StoryDoc", "date_factor", "pair_similarity"]


def _normalise(vector: np.ndarray | None) -> np.ndarray | None:
    if vector is None:
        return None
    arr = np.asarray(vector, dtype=np.float32).ravel()
    norm = float(np.linalg.norm(arr))
    return arr / norm if norm > 0 else None


class StoryClusterer:
    """Incremental story clustering with an order-independent full rebuild.

    >>> clusterer = StoryClusterer()
    >>> story_id = clusterer.add(StoryDoc(id="a1", text="..."))
    """

    def __init__(self, settings: ClusterSettings | None = None) -> None:
        self.settings = settings or ClusterSettings()
        self._df = np.zeros(1 << HASH_BITS, dtype=np.int32)
        self._n_docs = 0
        self._stories: dict[str, StorySums] = {}
        self._doc_story: dict[str, str] = {}
        self._postings: dict[int, dict[str, None]] = {}
        #: day -> the stories whose newest member is of that day, most recently updated last
        #: (ids of stories since merged, retired or moved on to a later day are skipped)
        self._by_day: dict[int, dict[str, None]] = {}
        self._seq = 0
        self._merges: list[tuple[str, str]] = []
        self._moves: list[tuple[str, str, str]] = []
        #: counts of articles announced by :meth:`observe` and not added yet (not saved)
        self._observed: dict[str, tuple[Any, Any, set[str]]] = {}
        #: where retired stories go (`storyline.cluster.story_archive`); the store sets its own
        self.archive: StoryArchive = MemoryArchive()
        self._retired = RetiredStories()
        #: the newest article day seen: the clock that retires stories (never the wall clock)
        self._newest: int | None = None

    # -- features ---------------------------------------------------------------------------

    def _counts(self, doc: StoryDoc) -> tuple[Any, Any, set[str]]:
        """Term and name counts (the lead and title counted again), and the subject: the names
        of the title and lead, numbers left out (`Features.subject`)."""
        strip = self.settings.strip_titles
        terms, names = text_features(doc.text, strip)
        subject: set[str] = set()
        if self.settings.lead_sentences > 0:
            l_terms, l_names = text_features(lead(doc.text, self.settings.lead_sentences), strip)
            terms.update(l_terms)
            names.update(l_names)
            subject.update(l_names)
        if doc.title:
            t_terms, t_names = text_features(doc.title, strip)
            for _ in range(self.settings.title_repeat):
                terms.update(t_terms)
                names.update(t_names)
            subject.update(t_names)
        subject = {key for key in subject if not key.startswith("#")}  # numbers: the signature
        for entity in [*doc.actors, *doc.places]:
            key = " ".join(entity.lower().split())
            if key:
                names[key] += 1
        return terms, names, subject

    def _count_df(self, terms: Any, names: Any) -> None:
        ids = {_fid("t:", k) for k in terms} | {_fid("n:", k) for k in names}
        if ids:
            self._df[np.fromiter(ids, dtype=np.int64)] += 1
        self._n_docs += 1

    def _weigh(self, doc: StoryDoc, terms: Any, names: Any, subject: set[str]) -> Features:
        day = day_number(doc.date)
        bound = day_number(doc.date_not_before)
        year = date.fromordinal(day).year if day is not None else None
        reach: frozenset[str] = frozenset()
        if day is None and bound is None and doc.copies:
            reach = frozenset(s for c in doc.copies if (s := self._doc_story.get(c)) is not None)
        return Features(
            terms=SparseVector.from_mapping(weigh(terms, "t:", self._df, self._n_docs)),
            names=SparseVector.from_mapping(weigh(names, "n:", self._df, self._n_docs)),
            embedding=_normalise(doc.embedding),
            day=day,
            bound=bound,
            signature=self._signature(doc, year),
            subject=self._subject(subject),
            reach=reach,
        )

    def _subject(self, keys: set[str]) -> np.ndarray:
        """The title's and lead's names as name-channel ids, sorted (none when the subject test
        is off)."""
        if self.settings.subject_min_group <= 0:
            return np.empty(0, dtype=np.int64)
        return np.array(sorted({_fid("n:", key) for key in keys}), dtype=np.int64)

    def _signature(self, doc: StoryDoc, year: int | None) -> dict[str, frozenset[str]]:
        """Values of the happening (see :func:`signature`), plus its people by country."""
        if self.settings.conflict_penalty <= 0:
            return {}
        found = signature(f"{doc.title}\n{doc.text}", year)
        if self.settings.people_conflicts:
            found.update(people_signature(doc.actors))
        return found

    # -- incremental ------------------------------------------------------------------------

    def observe(self, docs: Iterable[StoryDoc]) -> None:
        """Count the document frequencies of a batch before its articles are :meth:`add`-ed.

        An article is weighed with the IDF known when it arrives. When a store is young, that
        IDF is counted over a handful of articles and cannot tell topic words from names: the
        first article of an empty store is weighed by term frequency alone, so two reports on one
        broad topic (Iran, Pakistan, Afghanistan) look alike. A batch arrives together, so every
        article of it can be weighed with the whole batch's counts: call this with the batch,
        then :meth:`add` each article (in any order). Articles already clustered are ignored.
        The counts wait in memory until their article is added; they are not part of
        :meth:`to_state`, so observe and add within one session.
        """
        for doc in docs:
            if doc.id in self._doc_story or doc.id in self._observed:
                continue
            counts = self._counts(doc)
            self._count_df(counts[0], counts[1])
            self._observed[doc.id] = counts

    def add(self, doc: StoryDoc) -> str:
        """Assign one new article to the best story above the threshold, or start a story."""
        if doc.id in self._doc_story:
            return self._doc_story[doc.id]
        if doc.id in self._observed:  # its document frequencies are already counted
            counts = self._observed.pop(doc.id)
        else:
            counts = self._counts(doc)
            self._count_df(counts[0], counts[1])
        feats = self._weigh(doc, *counts)
        if feats.day is not None and (self._newest is None or feats.day > self._newest):
            self._newest = feats.day
            self.retire()
        if "st_" + doc.id in self._retired:  # the id its own story would take (re-added)
            self._bring_back(["st_" + doc.id])
        best_id, best_score = None, -1.0
        scored: list[tuple[float, StorySums]] = []
        for story in self._candidates(feats):
            score = article_score(feats, story, self.settings)
            scored.append((score, story))
            score -= self.settings.small_story_margin / len(story.doc_ids)
            if score > best_score or (score == best_score and best_id and story.id < best_id):
                best_id, best_score = story.id, score
        if best_id is not None and best_score >= self.settings.threshold:
            story = self._stories[best_id]
        else:
            story = StorySums(id="st_" + doc.id)
            self._stories[story.id] = story
        self._join(story, doc.id, feats)
        if self.settings.repair_members > 0 and self.settings.repair_candidates > 0:
            self._repair(story, scored)
        if self.settings.merge_stories or self.settings.merge_dated:
            probe = self.settings.threshold * self.settings.merge_probe
            for score, other in sorted(scored, key=lambda so: (-so[0], so[1].id)):
                if score < probe:
                    break
                if other.id != story.id and self._live(other) and self._mergeable(story, other):
                    story = self._merge(story, other)
        return story.id

    def _mergeable(self, a: StorySums, b: StorySums) -> bool:
        """Whether two stories an article reaches are one: their average link reaches the
        threshold (`merge_stories`), or, with `merge_dated`, both are dated, no more than
        ``merge_gap_days`` apart, and their average link reaches it without the same-week boost.
        The boost is for a report among the reports of its days; between two stories it would
        join two look-alike happenings of one week (docs/clustering.md rounds 19 and 20)."""
        s = self.settings
        if s.merge_stories:
            return story_similarity(a, b, s, floor=s.threshold) >= s.threshold
        if a.first_day is None or b.first_day is None:
            return False
        gap = max(0, a.first_day - b.last_day, b.first_day - a.last_day)  # type: ignore[operator]
        if gap > s.merge_gap_days:
            return False
        return story_similarity(a, b, s, boost=False, floor=s.threshold) >= s.threshold

    def settle(self, doc_ids: Iterable[str]) -> int:
        """Ask each article of a finished batch again where it belongs; returns the moves made.

        ``add`` decides with what was known when the article arrived: the later articles of its
        batch were not there yet, so the first reports of a happening can join a neighbouring
        story that the rest of the batch then outgrows, and the decision depends on the order of
        the batch. Once the batch is in, each of its articles still held by its story (the
        ``repair_members`` most recent) is scored again against the candidate stories its own
        index keys return, with ``add``'s rule against its own story without itself (the local
        repair's `_maybe_move`); passes repeat until nothing moves, at most ``settle_passes``.
        A lone article that still fits no story by that rule may join its clearly best story
        (`_adopt`), unless it is undated and its own story may be out of view
        (`_stories_out_of_view`). Moves and merges are reported as the repair's are
        (`take_moves`, then `take_merges`). Work is bounded by ``settle_passes * candidates``
        scores per article of the batch. Before the passes, the batch's neighbourhood of
        undated and mostly undated stories is clustered again with the rebuild's average link
        (`_regroup`; ``regroup_dated`` includes dated ones); when turned on (off by default),
        each story the batch touched gets the split test after them (`_split_touched`). Both
        report moves.
        """
        wanted = list(dict.fromkeys(doc_ids))
        moved = 0
        # an article changes story at most once per settle: the store replays the moves before
        # the merges, so an adopted (merged) article must not also be moved afterwards
        changed: set[str] = set()
        hidden: bool | None = None  # whether stories are out of an undated article's view
        if self.settings.regroup_rivals >= 0 and self.settings.regroup_max_articles > 0:
            moved += self._regroup(wanted, changed)
        revisit = self.settings.settle_revisit and self.settings.settle_lone < 1.0
        batch = set(wanted)
        #: lone stories of earlier batches among the batch's candidates (`_revisit_lone`)
        lone: dict[str, None] = {}
        for _ in range(self.settings.settle_passes):
            before = moved
            for doc_id in wanted:
                story_id = self._doc_story.get(doc_id)
                if story_id is None or doc_id in changed:
                    continue
                if story_id in self._retired:  # retired since it joined (a newer day came)
                    self._bring_back([story_id])
                home = self._stories[story_id]
                feats = next((f for d, f in home.recent if d == doc_id), None)
                if feats is None:
                    continue
                others = [s for s in self._candidates(feats) if s is not home]
                if revisit:
                    lone.update(
                        (s.id, None)
                        for s in others
                        if len(s.doc_ids) == 1 and s.doc_ids[0] not in batch
                    )
                if not others:
                    continue
                scores: dict[str, float] = {}  # each candidate scored once for both rules
                if self._maybe_move(doc_id, feats, home, others, evict=False, scores=scores):
                    moved += 1
                    changed.add(doc_id)
                elif len(home.doc_ids) == 1 and self.settings.settle_lone < 1.0:
                    if hidden is None:
                        hidden = self._stories_out_of_view()
                    seen = feats.day is not None or feats.bound is not None or not hidden
                    if seen and self._adopt(doc_id, feats, home, others, scores):
                        moved += 1
                        changed.add(doc_id)
            if moved == before:
                break
        if lone:
            moved += self._revisit_lone(lone, changed, hidden)
        if self.settings.split_min_group > 0:
            moved += self._split_touched(wanted, changed)
        return moved

    def _revisit_lone(self, lone: Iterable[str], changed: set[str], hidden: bool | None) -> int:
        """Ask the lone articles of earlier batches that the batch's articles had among their
        candidates (``lone``: their one-article stories) again where they belong, with the
        settle's rules (a move, else an adoption): a report left alone when its happening had
        one or two reports may fit the story the batch grew, and nothing else would ever ask
        it again. Only undated articles are asked (`_in_view`). Bounded by ``settle_passes *
        candidates`` lone stories an article of the batch (each lone story once), each scored
        against its own ``candidates``. ``hidden``: `_stories_out_of_view` as the passes found
        it (None: not asked yet)."""
        moved = 0
        if hidden is None:  # not yet asked by the settle's passes
            hidden = self._stories_out_of_view()
        for story_id in lone:
            home = self._stories.get(story_id)
            if home is None or len(home.doc_ids) != 1:
                continue
            doc_id = home.doc_ids[0]
            feats = next((f for d, f in home.recent if d == doc_id), None)
            if feats is None or doc_id in changed or not self._in_view(feats):
                continue
            others = [s for s in self._candidates(feats) if s is not home]
            if not others:
                continue
            # an undated article is adopted only while no story is out of its view (`settle`)
            scores: dict[str, float] = {}
            if self._maybe_move(doc_id, feats, home, others, evict=False, scores=scores) or (
                not hidden and self._adopt(doc_id, feats, home, others, scores)
            ):
                moved += 1
                changed.add(doc_id)
        return moved

    def _in_view(self, feats: Features) -> bool:
        """Whether an article may be asked again by `_revisit_lone`: undated and without a lower
        bound, so its candidates are the active stories whether or not older ones are in memory
        (`_candidates`), and none of its copies' stories retired. A dated article could reach
        retired stories, and bringing them back for a revisit would undo retiring (memory) or,
        left out, decide otherwise than a clusterer that keeps every story."""
        if feats.day is not None or feats.bound is not None:
            return False
        return not (feats.reach and feats.reach & self._retired.last_day.keys())

    def _regroupable(self, story: StorySums) -> bool:
        """Whether ``story`` may start or join a regroup's neighbourhood (its members' vectors
        are all kept: the caller checks). Unless ``regroup_dated``, at most
        ``regroup_dated_share`` of its members may be dated: the rebuild is the better answer
        only where the same-week boost, which the incremental mode applies against a story's
        days, has little to say."""
        if self.settings.regroup_dated or story.first_day is None:
            return True
        dated = sum(1 for _, feats in story.recent if feats.day is not None)
        return dated <= self.settings.regroup_dated_share * len(story.recent)

    def _regroup(self, doc_ids: list[str], changed: set[str]) -> int:
        """Cluster the batch's neighbourhood again with the rebuild's average link
        (`storyline.cluster.story_regroup`) and move the articles whose group changed.

        Only stories that are `_regroupable` take part."""
        hood: dict[str, StorySums] = {}
        size = 0
        limit = self.settings.regroup_max_articles
        for doc_id in doc_ids:
            story_id = self._doc_story.get(doc_id)
            if story_id is None:
                continue
            if story_id in self._retired:  # retired since it joined (a newer day came)
                self._bring_back([story_id])
            home = self._stories[story_id]
            if len(home.recent) != len(home.doc_ids) or size >= limit:
                continue  # its story cannot be regrouped (older members' vectors are gone)
            if not self._regroupable(home):
                continue
            feats = next((f for d, f in home.recent if d == doc_id), None)
            if feats is None:
                continue
            scored = sorted(
                (
                    (article_score(feats, o, self.settings), o.id, o)
                    for o in self._candidates(feats)
                    if o is not home
                ),
                key=lambda t: (-t[0], t[1]),
            )
            probe = self.settings.threshold * self.settings.regroup_probe
            near = [o for score, _, o in scored[: self.settings.regroup_rivals] if score >= probe]
            for story in (home, *near):
                if story.id in hood or len(story.recent) != len(story.doc_ids):
                    continue
                if not self._regroupable(story):
                    continue
                if size + len(story.doc_ids) > limit:
                    continue
                hood[story.id] = story
                size += len(story.doc_ids)
        if len(hood) < 1 or size < 2:
            return 0
        stories = list(hood.values())
        groups = regroup(stories, self.settings)
        current = {d: s.id for s in stories for d in s.doc_ids}
        feats_of = {d: f for s in stories for d, f in s.recent}
        new_ids = story_ids_for(groups, current, {s.id: s.id[3:] for s in stories})
        moved = 0
        for group, story_id in zip(groups, new_ids, strict=True):
            if any(current[d] != story_id and d in changed for d in group):
                continue
            if story_id not in hood and story_id in self._stories:
                continue  # an id taken outside the neighbourhood (a deleted founder's)
            for doc_id in group:
                old = self._doc_story[doc_id]
                if old == story_id:
                    continue
                target = self._stories.get(story_id)
                if target is None:
                    target = self._stories[story_id] = StorySums(id=story_id)
                self._leave(self._stories[old], doc_id, feats_of[doc_id])
                self._join(target, doc_id, feats_of[doc_id])
                self._moves.append((doc_id, old, story_id))
                changed.add(doc_id)
                moved += 1
        return moved

    def _split_touched(self, doc_ids: list[str], changed: set[str]) -> int:
        """Split test (`storyline.cluster.story_split`) of each story the batch touched: a group
        of recent members forming a second happening leaves to a story of its own, reported as
        moves. Articles that already changed story in this settle stay (one change each)."""
        moved = 0
        touched = dict.fromkeys(s for d in doc_ids if (s := self._doc_story.get(d)) is not None)
        for story_id in touched:
            story = self._stories.get(story_id)
            if story is None:
                continue
            group = split_group(story, self.settings)
            if not group or changed.intersection(group):
                continue
            fresh = StorySums(id="st_" + group[0])
            if fresh.id in self._stories or fresh.id in self._retired:
                continue
            self._stories[fresh.id] = fresh
            recent = dict(story.recent)
            for doc_id in group:
                self._leave(story, doc_id, recent[doc_id])
                self._join(fresh, doc_id, recent[doc_id])
                self._moves.append((doc_id, story.id, fresh.id))
                changed.add(doc_id)
                moved += 1
        return moved

    def _stories_out_of_view(self) -> bool:
        """Whether some story is older than the horizon (retired, or brought back for a late
        article), and so out of an undated article's view.

        A dated article (or one with a lower bound) brings back the retired stories its date
        reaches; an undated one is compared with the active stories only, so once stories are
        that old its own happening may be among them, and a clear lead over the candidates it
        sees says nothing (the sample's undated report of one dam visit, its story past the
        horizon, led the next dam story by far). One pass over the stories in memory per batch.
        """
        horizon = self.horizon
        if horizon is None:
            return False
        if len(self._retired):
            return True
        return any(s.last_day is not None and s.last_day < horizon for s in self._stories.values())

    def _adopt(
        self,
        doc_id: str,
        feats: Features,
        home: StorySums,
        others: list[StorySums],
        scores: dict[str, float] | None = None,
    ) -> bool:
        """A lone article joins the story it scores clearly best with, below the threshold.

        ``add`` leaves an article alone when no story reaches the threshold; many such articles
        are reports of a known happening in other words (a paraphrase shares fewer terms). Once
        its batch is in, a lone article joins its best story of two or more articles when that
        story reaches ``settle_lone`` times the threshold and beats every other candidate by the
        factor ``settle_ratio``: one clear home, not a choice between two happenings of one
        topic (those score alike). Reported as a merge of its one-article story. ``scores``:
        the article's scores by story id, filled and reused (`_maybe_move` just scored them).
        """
        scored = sorted(
            ((self._scored(feats, o, scores), o.id, o) for o in others),
            key=lambda t: (-t[0], t[1]),
        )
        best, _, story = scored[0]
        second = scored[1][0] if len(scored) > 1 else 0.0
        if len(story.doc_ids) < 2 or best < self.settings.threshold * self.settings.settle_lone:
            return False
        if best < second * self.settings.settle_ratio:
            return False
        self._leave(home, doc_id, feats)
        self._join(story, doc_id, feats)
        self._merges.append((home.id, story.id))
        return True

    def _merge(self, a: StorySums, b: StorySums) -> StorySums:
        """Fold the smaller story into the larger (ties: the smaller id survives)."""
        if (len(b.doc_ids), a.id) > (len(a.doc_ids), b.id):
            a, b = b, a
        cap = self.settings.max_story_terms
        a.doc_ids.extend(b.doc_ids)
        for doc_id in b.doc_ids:
            self._doc_story[doc_id] = a.id
        _accumulate(a.terms, b.terms, cap)
        _accumulate(a.names, b.names, cap)
        a.n_terms += b.n_terms
        a.n_names += b.n_names
        if b.embedding is not None:
            a.embedding = b.embedding.copy() if a.embedding is None else a.embedding + b.embedding
            a.n_embedding += b.n_embedding
        days = [d for d in (a.first_day, a.last_day, b.first_day, b.last_day) if d is not None]
        if days:
            a.first_day, a.last_day = min(days), max(days)
        for kind, sets in b.signatures.items():
            mine = a.signatures.setdefault(kind, {})
            for values, count in sets.items():
                mine[values] = mine.get(values, 0) + count
            _cap_signatures(mine, self.settings.max_story_signatures)
        for key in b.keys:
            self._postings.get(key, {}).pop(b.id, None)
        known = set(a.keys)
        a.keys.extend(k for k in b.keys if k not in known)
        self._seq += 1
        a.seq = self._seq
        self._index_day(a)
        for key in a.keys:
            posting = self._postings.setdefault(key, {})
            posting.pop(a.id, None)
            posting[a.id] = None
            while len(posting) > self.settings.postings_per_key:
                posting.pop(next(iter(posting)))
        del self._stories[b.id]
        self._merges.append((b.id, a.id))
        return a

    def take_merges(self) -> list[tuple[str, str]]:
        """(absorbed story id, surviving story id) for merges since the last call; clears them.

        An article can reveal that two stories are one happening; the store should then move the
        absorbed story's articles to the survivor.
        """
        merges, self._merges = self._merges, []
        return merges

    def take_moves(self) -> list[tuple[str, str, str]]:
        """(article id, old story id, new story id) for repair moves since the last call; clears.

        The local repair (``repair_members``) can move a recent article to a story that now fits
        it better; a story left empty by a move no longer exists in :meth:`stories`. Moves are
        listed in the order they happened (an article can move more than once).
        """
        moves, self._moves = self._moves, []
        return moves

    # -- local repair -----------------------------------------------------------------------

    def _repair(self, story: StorySums, scored: list[tuple[float, StorySums]]) -> None:
        """Re-score the recent members of the joined story and of its closest rivals.

        A single pass cannot undo an early wrong join; this bounded step can. Rivals are the
        stories that scored best for the new article besides the one it joined (they are the
        ones the new article could have tipped). Each recent member of a rival moves to the
        joined story when it now scores higher there (with the same small-story margin as
        ``add``) than in its own story without itself; each recent member of the joined story
        moves to the rival where it scores highest, on the same test. Work is bounded by
        ``repair_candidates * repair_members`` scores.
        """
        rivals = [
            other
            for _, other in sorted(scored, key=lambda so: (-so[0], so[1].id))
            if other.id != story.id and self._live(other)
        ][: self.settings.repair_candidates]
        if not rivals:
            return
        arrived: set[str] = set()  # moved in just now: not moved again (replay order, below)
        for rival in rivals:
            for doc_id, feats in list(rival.recent):
                if self._live(rival) and self._live(story):
                    if self._maybe_move(doc_id, feats, rival, [story]):
                        arrived.add(doc_id)
        # the store replays an add's moves before its merges: an article that arrived as a
        # merge (a one-article rival) and then moved on would be replayed out of order
        for doc_id, feats in list(story.recent[:-1]):
            if self._live(story) and doc_id not in arrived:
                alive = [r for r in rivals if self._live(r)]
                self._maybe_move(doc_id, feats, story, alive)

    def _live(self, story: StorySums) -> bool:
        """Still a story: an emptied story is dropped, and its id may since have been reused by
        a new story (an evicted founding article starts ``st_<its id>`` again), so compare
        objects, not ids."""
        return self._stories.get(story.id) is story

    def _maybe_move(
        self,
        doc_id: str,
        feats: Features,
        home: StorySums,
        others: list[StorySums],
        evict: bool = True,
        scores: dict[str, float] | None = None,
    ) -> bool:
        """Move one member to the story of ``others`` it fits best, when that beats its own
        story without it (``add``'s rule); ``evict``: else start a story of its own when it no
        longer reaches its own story's threshold. Returns whether it moved. ``scores``: as
        `_adopt`'s."""
        alone = len(home.doc_ids) == 1
        if home.id == "st_" + doc_id and not alone:
            return False  # a story's founding article anchors its id (the store relies on it)
        own = member_fit(feats, home, self.settings, doc_id)
        best, best_score = None, max(own, self.settings.threshold)
        rival = 0.0  # the best other story's score, without the margin
        for other in others:
            raw = self._scored(feats, other, scores)
            rival = max(rival, raw)
            score = raw - self.settings.small_story_margin / len(other.doc_ids)
            if score > best_score + 1e-9:
                best, best_score = other, score
        if best is None:
            if (
                alone
                or own >= self.settings.threshold
                or not (evict and self.settings.repair_evict)
                or self._adoptable(feats, home, own, rival)
            ):
                return False
            # it no longer reaches its own story and fits no rival: it starts a story, as it
            # would have had it arrived now
            best = StorySums(id="st_" + doc_id)
            if best.id in self._stories or best.id in self._retired:
                return False
            self._stories[best.id] = best
        self._leave(home, doc_id, feats)
        self._join(best, doc_id, feats)
        if alone:  # the whole story moved: that is a merge, which the store already applies
            self._merges.append((home.id, best.id))
        else:
            self._moves.append((doc_id, home.id, best.id))
        return True

    def _scored(self, feats: Features, story: StorySums, scores: dict[str, float] | None) -> float:
        """``article_score``, kept in ``scores`` (when given) for the next rule that asks."""
        if scores is None:
            return article_score(feats, story, self.settings)
        if story.id not in scores:
            scores[story.id] = article_score(feats, story, self.settings)
        return scores[story.id]

    def _adoptable(self, feats: Features, home: StorySums, own: float, rival: float) -> bool:
        """Whether a member below the threshold would be adopted by ``home`` now (`_adopt`'s
        rule: ``home`` without it scores ``own``, the best rival ``rival``), so eviction must
        leave it: else every repair that visits the story undoes the adoption of the settle
        before it. Only an undated member or one within two grace periods of every day of its
        story (`near_days`, the same-week test; the story's days include the member's own and
        only grow): a burst's report. A dated report weeks away from the rest joins on
        `date_strong` content or not at all, and keeping it below the threshold bridged two
        happenings of one company weeks apart (docs/clustering.md round 18). `_adopt` has no
        such guard: a dated lone report is still adopted by its batch's settle."""
        s = self.settings
        if not s.evict_adopted or s.settle_lone >= 1.0 or len(home.doc_ids) - 1 < 2:
            return False
        if feats.day is not None and not near_days(feats.day, home.first_day, home.last_day, s):
            return False
        return own >= s.threshold * s.settle_lone and own >= rival * s.settle_ratio

    def _leave(self, story: StorySums, doc_id: str, feats: Features) -> None:
        """Take one recent member's vectors out of its story (drop the story when empty)."""
        story.doc_ids.remove(doc_id)
        story.recent = [(d, f) for d, f in story.recent if d != doc_id]
        if not story.doc_ids:
            for key in story.keys:
                self._postings.get(key, {}).pop(story.id, None)
            del self._stories[story.id]
            return
        if feats.terms:
            _subtract(story.terms, feats.terms)
            story.n_terms -= 1
        if feats.names:
            _subtract(story.names, feats.names)
            story.n_names -= 1
        if feats.embedding is not None and story.embedding is not None:
            story.n_embedding -= 1
            # the last embedded member gone (the others are in languages not embedded): none left
            story.embedding = story.embedding - feats.embedding if story.n_embedding else None
        for kind, values in feats.signature.items():
            sets = story.signatures.get(kind, {})
            if values in sets:
                sets[values] -= 1
                if sets[values] <= 0:
                    del sets[values]

    def _keys(self, feats: Features, count: int | None = None) -> list[int]:
        """The article's strongest terms and names: ``index_keys`` of them (its story is indexed
        by these) unless ``count`` says otherwise."""
        ranked = sorted(
            [*feats.terms.items(), *feats.names.items()], key=lambda kv: (-kv[1], kv[0])
        )
        return [k for k, _ in ranked[: self.settings.index_keys if count is None else count]]

    def _candidates(self, feats: Features) -> list[StorySums]:
        """The ``candidates`` stories sharing most index keys with the article, among those its
        date can reach (retired ones it reaches are brought back first), then the stories of its
        own days its embedding is closest to (`_near_stories`)."""
        self._bring_back_for(feats)
        copied = feats.reach & self._retired.last_day.keys()  # the stories of its copies
        if copied:
            self._bring_back(sorted(copied))
        hits: dict[str, int] = {}
        for key in self._keys(feats, max(self.settings.lookup_keys, self.settings.index_keys)):
            for story_id in self._postings.get(key, ()):
                hits[story_id] = hits.get(story_id, 0) + 1
        # and the stories of its own days that its embedding is closest to (round 12)
        near = self._near_stories(feats) if self.settings.near_candidates > 0 else []
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
        # out of reach is dropped before the cut to ``candidates``: a story the date rules out
        # must not take the place of one it allows (and retiring the first must not change it)
        horizon = self.horizon
        out: list[StorySums] = []
        for story_id, _ in ranked:
            story = self._stories[story_id]
            gap = interval_gap(feats.day, feats.bound, story.first_day, story.last_day)
            if gap is None:
                # an undated article is compared with the active stories only: the same set
                # whether or not older ones are still in memory; the stories of its copies too
                old = horizon is not None and (story.last_day or horizon) < horizon
                if old and story.id not in feats.reach:
                    continue
            elif gap > far_reach(self.settings, len(story.doc_ids), span_days(story)):
                continue
            out.append(story)
            if len(out) == self.settings.candidates:
                break
        if near:
            have = {story.id for story in out}
            out.extend(self._stories[sid] for sid in near if sid not in have)
        return out

    def _near_stories(self, feats: Features) -> list[str]:
        """The ``near_candidates`` stories whose newest day is within the grace period of the
        article's and whose mean embedding is closest to its own (cosine at least
        ``near_embed_low``, the least the same-week boost reads). At most ``near_scan`` stories
        are read: the article's own day first, then the days around it, each day's most recently
        updated first. Empty without an embedding or a date."""
        s = self.settings
        if feats.embedding is None or feats.day is None or s.near_embed_boost <= 0:
            return []
        grace = int(s.date_grace_days)
        scored: list[tuple[float, str]] = []
        read = 0
        for offset in sorted(range(-grace, grace + 1), key=lambda o: (abs(o), o)):
            day = feats.day + offset
            for story_id in reversed(self._by_day.get(day, {})):
                if read >= s.near_scan:
                    break
                story = self._stories.get(story_id)
                if story is None or story.last_day != day:
                    continue
                read += 1
                if story.embedding is None or not story.n_embedding:
                    continue
                cosine = float(feats.embedding @ story.embedding) / story.n_embedding
                if cosine >= s.near_embed_low:
                    scored.append((cosine, story_id))
        scored.sort(key=lambda cs: (-cs[0], cs[1]))
        return [story_id for _, story_id in scored[: s.near_candidates]]

    # -- retiring old stories (`storyline.cluster.story_archive`) ------------------------------

    @property
    def horizon(self) -> int | None:
        """Stories whose newest article is dated before this day are retired (None: none are)."""
        if self.settings.active_days <= 0 or self._newest is None:
            return None
        # a window shorter than the date rule would bring stories back for every article
        keep = max(self.settings.active_days, reach_days(self.settings) + 1)
        return self._newest - int(keep)

    def retire(self) -> int:
        """Move the stories older than the horizon out of memory into the archive.

        Runs whenever a newer article day arrives; returns how many stories left. Their articles
        keep their story (`story_of`), and a late article that reaches their dates brings them
        back (`_bring_back_for`).
        """
        horizon = self.horizon
        if horizon is None:
            return 0
        old = [s for s in self._stories.values() if s.last_day is not None and s.last_day < horizon]
        if not old:
            return 0
        self.archive.put(old)
        for story in old:
            for key in story.keys:
                posting = self._postings.get(key)
                if posting is not None:
                    posting.pop(story.id, None)
                    if not posting:
                        del self._postings[key]
            del self._stories[story.id]
            self._retired.add(story.id, int(story.last_day))  # type: ignore[arg-type]
        for day in [d for d in self._by_day if d < horizon]:  # every story filed there left
            del self._by_day[day]
        return len(old)

    def mark_retired(self, last_days: dict[str, int], members: Iterable[tuple[str, str]]) -> None:
        """Stories the archive already holds (a store reopened): retired, not loaded.

        ``members``: (article id, story id) of their articles, so `story_of` still answers.
        """
        for story_id, day in last_days.items():
            if story_id not in self._stories:
                self._retired.add(story_id, int(day))
        for doc_id, story_id in members:
            if story_id in self._retired:
                self._doc_story[doc_id] = story_id

    def claim_members(self, story_ids: Iterable[str]) -> int:
        """Read the members of these retired stories back from the archive; returns how many
        articles got their story back.

        A store reopened learns a retired story's members from ``story_articles``; an article
        deleted before that (a hide cascades) is missing there, and only the archived sums still
        name its story, so `forget_doc` could not take it out.
        """
        wanted = sorted(s for s in story_ids if s in self._retired)
        found = 0
        for story in self.archive.get(wanted) if wanted else []:
            for doc_id in story.doc_ids:
                if doc_id not in self._doc_story:
                    self._doc_story[doc_id] = story.id
                    found += 1
        return found

    @property
    def has_retired(self) -> bool:
        """Whether any story is retired (held by the archive, not in memory)."""
        return len(self._retired) > 0

    def _bring_back_for(self, feats: Features) -> None:
        """Bring back the retired stories an article's date (or lower bound) can reach."""
        horizon = self.horizon
        day = feats.day if feats.day is not None else feats.bound
        if horizon is None or day is None or not self._retired:
            return
        since = day - int(reach_days(self.settings)) - 1
        if since < horizon:
            due = self._retired.due(since, horizon)
            if due:
                self._bring_back(due)

    def _bring_back(self, story_ids: list[str]) -> None:
        """Put retired stories back into memory and the index, in their update order."""
        stories = sorted(self.archive.get(story_ids), key=lambda s: s.seq)
        touched: set[int] = set()
        days: set[int] = set()
        for story in stories:
            self._retired.discard(story.id)
            self._stories[story.id] = story
            self._index_day(story)
            if story.last_day is not None:
                days.add(story.last_day)
            for key in story.keys:
                self._postings.setdefault(key, {})[story.id] = None
                touched.add(key)
        # a day's stories too, as a clusterer that never retired them would hold them
        for day in days:
            live = [sid for sid in self._by_day.get(day, {}) if sid in self._stories]
            self._by_day[day] = dict.fromkeys(sorted(live, key=lambda sid: self._stories[sid].seq))
        # a posting lists its stories least recently updated first (its cap drops those first);
        # a story brought back takes its place by its own update time, not as the newest
        cap = self.settings.postings_per_key
        for key in touched:
            posting = self._postings[key]
            order = sorted(posting, key=lambda sid: self._stories[sid].seq)
            self._postings[key] = dict.fromkeys(order[-cap:])

    def _index_day(self, story: StorySums) -> None:
        """File a story under its newest day, as the most recently updated there; a day keeps
        its ``near_scan`` most recent stories (bounds memory and the lookup)."""
        if story.last_day is None:
            return
        day = story.last_day
        stories = self._by_day.setdefault(day, {})
        stories.pop(story.id, None)
        stories[story.id] = None
        if len(stories) > self.settings.near_scan:  # stale ids (merged, moved on) go first
            for stale in [
                sid
                for sid in stories
                if sid not in self._stories or self._stories[sid].last_day != day
            ]:
                del stories[stale]
        while len(stories) > self.settings.near_scan:
            stories.pop(next(iter(stories)))

    def _join(self, story: StorySums, doc_id: str, feats: Features) -> None:
        story.doc_ids.append(doc_id)
        self._doc_story[doc_id] = story.id
        if feats.terms:
            _accumulate(story.terms, feats.terms, self.settings.max_story_terms)
            story.n_terms += 1
        if feats.names:
            _accumulate(story.names, feats.names, self.settings.max_story_terms)
            story.n_names += 1
        if feats.embedding is not None:
            story.embedding = (
                feats.embedding.copy()
                if story.embedding is None
                else story.embedding + feats.embedding
            )
            story.n_embedding += 1
        for kind, values in feats.signature.items():
            sets = story.signatures.setdefault(kind, {})
            sets[values] = sets.get(values, 0) + 1
            _cap_signatures(sets, self.settings.max_story_signatures)
        if self.settings.repair_members > 0:
            story.recent.append((doc_id, feats))
            del story.recent[: -self.settings.repair_members]
        if feats.day is not None:
            story.first_day = (
                feats.day if story.first_day is None else min(story.first_day, feats.day)
            )
            story.last_day = feats.day if story.last_day is None else max(story.last_day, feats.day)
        self._seq += 1
        self._index_day(story)
        story.seq = self._seq
        cap = self.settings.postings_per_key
        known = set(story.keys)
        for key in self._keys(feats):
            if key not in known:
                story.keys.append(key)
        for key in story.keys:
            posting = self._postings.setdefault(key, {})
            posting.pop(story.id, None)
            posting[story.id] = None  # most recently updated last
            while len(posting) > cap:
                posting.pop(next(iter(posting)))

    # -- results ----------------------------------------------------------------------------

    def stories(self) -> dict[str, list[str]]:
        """Story id -> ids of its articles, in the order they joined (retired stories too)."""
        return {sid: list(story.doc_ids) for sid, story in self._all_stories().items()}

    def _all_stories(self) -> dict[str, StorySums]:
        """The stories in memory and the retired ones (read back from the archive)."""
        found = dict(self._stories)
        if self._retired:
            for story in self.archive.get(sorted(self._retired.last_day)):
                found[story.id] = story
        return found

    def story_of(self, doc_id: str) -> str | None:
        """The story an article was assigned to, if it was."""
        return self._doc_story.get(doc_id)

    def has_story(self, story_id: str) -> bool:
        """Whether a story exists now (it may have been absorbed or emptied; retired counts)."""
        return story_id in self._stories or story_id in self._retired

    def forget_doc(self, doc_id: str) -> str | None:
        """Take a deleted article out of its story; returns that story's id (None if unknown).

        A recent member's vectors are subtracted exactly; an older member's are no longer held,
        so its trace stays in the story's sums until a rebuild (its membership goes at once).
        """
        story_id = self._doc_story.pop(doc_id, None)
        if story_id is None:
            return None
        if story_id in self._retired:
            self._bring_back([story_id])
        story = self._stories[story_id]
        recent = dict(story.recent)
        if doc_id in recent:
            self._leave(story, doc_id, recent[doc_id])
        else:
            story.doc_ids.remove(doc_id)
            if not story.doc_ids:
                for key in story.keys:
                    self._postings.get(key, {}).pop(story.id, None)
                del self._stories[story.id]
        return story_id

    def __len__(self) -> int:
        return len(self._doc_story)

    # -- full rebuild -----------------------------------------------------------------------

    def rebuild(self, docs: list[StoryDoc]) -> dict[str, str]:
        """Cluster ``docs`` from scratch, independently of their order; replaces the state.

        Average-link agglomerative clustering over the same similarity as :meth:`add`, cut at the
        threshold. Memory and time grow with the square of the number of articles: use it for
        evaluation and repair, not as the way to keep up with a feed.
        """
        from storyline.cluster.story_rebuild import average_link_clusters

        unique = {doc.id: doc for doc in docs}
        ordered = [unique[k] for k in sorted(unique)]
        fresh = StoryClusterer(self.settings)
        counts = [fresh._counts(doc) for doc in ordered]
        for terms, names, _ in counts:
            fresh._count_df(terms, names)
        feats = [fresh._weigh(d, *c) for d, c in zip(ordered, counts, strict=True)]
        days = [f.day for f in feats if f.day is not None]
        fresh._newest = max(days) if days else None
        groups = average_link_clusters(feats, self.settings)
        assignment: dict[str, str] = {}
        for members in sorted(groups, key=lambda m: min(ordered[i].id for i in m)):
            members = sorted(members, key=lambda i: ordered[i].id)
            story = StorySums(id="st_" + ordered[members[0]].id)
            fresh._stories[story.id] = story
            for i in members:
                fresh._join(story, ordered[i].id, feats[i])
                assignment[ordered[i].id] = story.id
        fresh.archive = self.archive
        self.__dict__.update(fresh.__dict__)
        return assignment

    # -- persistence (the format: `storyline.cluster.clusterer_state`) -----------------------

    def to_state(self) -> dict[str, Any]:
        """Plain dicts, lists and numpy arrays that :meth:`from_state` restores exactly."""
        return state_of(
            self.settings,
            self._df,
            self._n_docs,
            self._seq,
            self._all_stories().values(),
            newest=self._newest,
        )

    @classmethod
    def from_state(
        cls, state: dict[str, Any], archive: StoryArchive | None = None
    ) -> StoryClusterer:
        """Restore a clusterer saved with :meth:`to_state` (its old stories retired again).

        ``archive``: where retired stories go and come back from (default: in memory). A store
        passes only its active stories and marks the others retired (:meth:`mark_retired`).
        """
        settings = settings_from_state(state)
        self = cls(settings)
        if archive is not None:
            self.archive = archive
        newest = state.get("newest")
        self._newest = None if newest is None else int(newest)
        self._n_docs = int(state["n_docs"])
        self._df[np.asarray(state["df_ids"], dtype=np.int64)] = np.asarray(state["df_counts"])
        self._seq = int(state["seq"])
        for story in stories_from_state(state):
            self._stories[story.id] = story
            for doc_id in story.doc_ids:
                self._doc_story[doc_id] = story.id
            for key in story.keys:
                posting = self._postings.setdefault(key, {})
                posting[story.id] = None
                while len(posting) > settings.postings_per_key:
                    posting.pop(next(iter(posting)))
        for story in sorted(self._stories.values(), key=lambda s: s.seq):  # in update order
            self._index_day(story)
        self.retire()
        return self


def _fid(prefix: str, key: str) -> int:
    from storyline.cluster.features import feature_id

    return feature_id(prefix + key)


def _accumulate(total: SparseVector, vector: SparseVector, cap: int) -> None:
    total.add(vector, cap)


def _subtract(total: SparseVector, vector: SparseVector) -> None:
    """Remove one member's vector from a story sum (keys pruned meanwhile stay absent)."""
    total.subtract(vector)


def _cap_signatures(sets: dict[frozenset[str], int], cap: int) -> None:
    """Keep the ``cap`` most common value sets of one kind (ties: the smaller sorted values)."""
    if len(sets) > cap:
        keep = sorted(sets.items(), key=lambda kv: (-kv[1], sorted(kv[0])))[:cap]
        sets.clear()
        sets.update(keep)
