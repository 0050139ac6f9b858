"""Copy detection: reprints, edited wire copy and shared paragraphs between articles.

How many independent sources carried a story is the analyst's first question, and wire copy
inflates the count: one AFP story run by twelve outlets is one source, not twelve. This module
finds text reuse between articles at the paragraph level, which whole-document similarity misses
(two different AFP stories that share two background paragraphs are barely similar as wholes).

Method (see ``docs/copies.md`` for measured figures):

* every paragraph of at least `MIN_WORDS` words is normalised and cut into 3-word shingles
  (:mod:`storyline.cluster.shingles`);
* a paragraph already indexed with the same shingles is a candidate at once (a dict probe on a
  digest of the shingles), whatever the rest of the index looks like: reprints are always found;
* near-duplicates come from MinHash LSH: a datasketch `MinHash` of `NUM_PERM` permutations
  (fixed `SEED`, so signatures are reproducible) cut into `LSH_BANDS` bands of `LSH_ROWS` rows,
  held in our own `BandIndex` (:mod:`storyline.cluster.bands`). A band bucket holding more than
  `BUCKET_CAP` paragraphs is a stop-band (its min-hashes come from template sentences or stock
  phrases) and is skipped on its own; the remaining candidates are ranked by the number of bands
  they collide in and the best `MAX_CANDIDATES` are verified, so a lookup's cost is bounded
  (at most ``LSH_BANDS * BUCKET_CAP`` ids read) however large the index grows;
* each candidate is then verified exactly on the shingle sets: Jaccard >= `ACCEPT_JACCARD`, or
  containment (shared / smaller set) >= `ACCEPT_CONTAINMENT` with at least `MIN_SHARED_SHINGLES`
  shared shingles (an edited paragraph that kept most of a shorter one);
* paragraphs are paired one to one (best first); an article pair with at least one verified
  paragraph pair is a copy link, and the longest run of words the two paragraphs share is kept.

Kinds: ``exact`` (the same paragraphs as printed, up to Unicode composition and white space),
``edited_wire`` (more than half of the longer article's paragraphs shared and an agency credited;
or both credit the same agency with no staff byline on either and more than half of the shorter
one's paragraphs are shared, so one is a trimmed agency copy of the other), ``partial`` (anything
else that shares a paragraph: two wire reports repeating the same background are two reports).
Who had it first is decided by dates only, with the reason spelt out; an undated article is
placed only when its lower bound is strictly later than the other's date.
"""

from __future__ import annotations

import difflib
import threading
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from hashlib import blake2b

import numpy as np
from datasketch import MinHash

from storyline.cluster.bands import BandIndex
from storyline.cluster.shingles import shingle_hashes, token_hashes, tokenise

__all__ = [
    "ACCEPT_CONTAINMENT",
    "ACCEPT_JACCARD",
    "BUCKET_CAP",
    "LSH_BANDS",
    "LSH_ROWS",
    "MAX_CANDIDATES",
    "MAX_PARAGRAPHS",
    "MAX_POSTINGS",
    "MAX_VERSIONS",
    "MAX_WORDS",
    "MIN_LONE_SHINGLES",
    "MIN_SHARED_BANDS",
    "MIN_SHARED_SHINGLES",
    "MIN_WORDS",
    "NUM_PERM",
    "SEED",
    "CopyIndex",
    "CopyLink",
    "Paragraph",
    "SharedParagraph",
    "prepare",
    "who_first",
]

#: MinHash permutations: `LSH_BANDS` * `LSH_ROWS`. The error of a single Jaccard estimate does not
#: matter: every candidate is verified on the exact shingle sets.
NUM_PERM = 128
#: Seed of the MinHash permutations: fixed, so signatures are the same in every process.
SEED = 20210818
#: LSH banding. A pair at Jaccard J collides in a band with probability J**r, so in about
#: b * J**r of the b bands, and becomes a candidate with probability 1 - (1 - J**r)**b:
#:   J            0.05   0.1    0.2    0.3    0.41   0.5    0.7
#:   64 x 2       0.15   0.47   0.93   1.00   1.00   1.00   1.00   (bands shared at J: 64 J**2)
#:   42 x 3       0.005  0.04   0.29   0.68   0.95   1.00   1.00
#:   32 x 4       0.0002 0.003  0.05   0.23   0.60   0.87   1.00
#: Rows per band trade recall on edited paragraphs for fewer chance collisions. 32 x 4 is the
#: cheapest (14 candidates per lookup at 10,000 realistic articles against 465 for 64 x 2) but
#: misses the seed pair that the acceptance rule keeps by containment (Jaccard 0.41, 0 of 32
#: bands shared), as does 42 x 3 (0 of 42): containment pairs sit at low Jaccard, where only two
#: rows per band still collide (7 of 64 bands for that pair). Chance collisions are then paid for
#: by ranking (a pair at J 0.1 shares ~0.6 bands, an edited copy at J 0.7 ~31) and stop-bands.
#: Exact reprints do not depend on the banding at all (the digest probe finds them).
LSH_BANDS, LSH_ROWS = 64, 2
#: A candidate must share at least this many bands (the same paragraph needs none). With 64 x 2
#: this is the real S-curve, P(at least 2 of 64 bands): J 0.05: 0.01, 0.1: 0.13, 0.2: 0.72,
#: 0.3: 0.98, 0.41: 0.9998, 0.5 and up: 1.00. One shared band is what chance gives a pair at J
#: 0.1 (0.64 expected); an edited copy shares ten or more.
MIN_SHARED_BANDS = 2
#: A band bucket holding more paragraphs than this is a stop-band and is skipped (counted in
#: `CopyIndex.skipped_buckets`); the lookup goes on with the other bands.
BUCKET_CAP = 100
#: Paragraphs shorter than this are not compared: datelines, credits ("AFP/Al Arabiya"), dates,
#: "Read more" teasers and captions would otherwise link unrelated articles.
MIN_WORDS = 8
#: Words read per paragraph and paragraphs per article: bounds time and memory on hostile input.
MAX_WORDS = 2000
MAX_PARAGRAPHS = 2000
#: Candidate paragraphs verified per paragraph lookup: the best ranked (the same paragraph
#: first, then the most bands shared); the rest are dropped and the lookup counted in
#: `CopyIndex.truncated_lookups`.
MAX_CANDIDATES = 200
#: Articles compared per matching paragraph: those printing its closest versions, first indexed
#: first (the original is among them). A paragraph printed by more articles than this, counting
#: its verified near-duplicates (a template with a changing name or number), is "widely
#: repeated": a link made of a single such paragraph is boilerplate (a footer, a cookie notice)
#: and is not kept, while a story syndicated to hundreds of outlets shares many paragraphs and
#: is still linked.
MAX_POSTINGS = 50
#: A paragraph with more distinct verified near-duplicates than this is a template sentence
#: (a dated boilerplate line, a results table row with changing numbers), not wire copy, which
#: a few outlets reprint verbatim or lightly edited: it counts as widely repeated.
MAX_VERSIONS = 10
#: Exact verification of a candidate paragraph pair (on shingle sets).
ACCEPT_JACCARD = 0.5
ACCEPT_CONTAINMENT = 0.6
MIN_SHARED_SHINGLES = 8
#: Shingles that a link resting on a single paragraph pair must share (about 20 words): two
#: one-sentence paragraphs of the same stock phrasing ("In X, the ministry announced new measures
#: after talks with Y, officials said") pass the Jaccard test without one copying the other.
MIN_LONE_SHINGLES = 18
#: Shortest run of shared words kept as a shared span.
MIN_SPAN_WORDS = 3
#: Words aligned when locating a shared span (the alignment is quadratic in the worst case).
SPAN_ALIGN_WORDS = 400
#: Paragraphs whose words `shared_span` keeps (at most `SPAN_ALIGN_WORDS` words each).
SPAN_CACHE = 4096
#: "Most paragraphs shared", for edited wire copy: share of the longer article's paragraphs.
MOST = 0.5


@dataclass(frozen=True)
class SharedParagraph:
    """One paragraph of ``a`` found again in ``b``, with the span of ``a``'s text they share."""

    para_a: int
    para_b: int
    similarity: float  # Jaccard of the two paragraphs' shingle sets
    text: str  # the shared stretch of a's paragraph, first to last shared word run


@dataclass
class CopyLink:
    """Two articles that share text. ``a`` had it first when that is known (``first``)."""

    a: str
    b: str
    kind: str  # exact | edited_wire | partial
    shared: list[SharedParagraph]
    first: str  # the id of the article that had it first, or "unknown"
    first_reason: str
    score: float  # share of the longer article's compared paragraphs found in the other

    def as_dict(self) -> dict[str, object]:
        return {
            "a": self.a,
            "b": self.b,
            "kind": self.kind,
            "first": self.first,
            "first_reason": self.first_reason,
            "score": round(self.score, 4),
            "shared": [
                {
                    "para_a": s.para_a,
                    "para_b": s.para_b,
                    "similarity": round(s.similarity, 4),
                    "text": s.text,
                }
                for s in self.shared
            ],
        }


@dataclass
class Paragraph:
    """A compared paragraph: its index in the article and its sorted unique shingle hashes."""

    index: int
    shingles: np.ndarray


@dataclass(slots=True)
class _Entry:
    article_id: str
    date: str | None
    date_source: str | None
    not_before: str | None
    agencies: frozenset[str]
    outlet: str | None
    staff_byline: bool
    fingerprint: str
    counted: int  # paragraphs compared (>= MIN_WORDS words)
    digests: list[int] = field(default_factory=list)  # of the compared paragraphs
    texts: list[str] | None = None


# -- preparing paragraphs ------------------------------------------------------------------------


def prepare(paragraphs: Sequence[str]) -> tuple[list[Paragraph], str]:
    """Shingle an article's paragraphs; return those long enough to compare and a fingerprint.

    The fingerprint hashes the paragraphs as printed, up to Unicode composition (NFC) and white
    space: two articles with the same fingerprint are exact reprints. Curly quotes, re-spelling or
    a changed word are editorial edits and make edited copy instead (the shingles, which normalise
    them away, still find it).
    """
    digest = blake2b(digest_size=16)
    out: list[Paragraph] = []
    seen: set[bytes] = set()
    for index, text in enumerate(paragraphs[:MAX_PARAGRAPHS]):
        printed = " ".join(unicodedata.normalize("NFC", text[: MAX_WORDS * 32]).split())
        if printed:
            digest.update(printed.encode("utf-8", "replace") + b"\n")
        hashes = token_hashes(text, MAX_WORDS)
        if hashes.size < MIN_WORDS:
            continue
        shingles = shingle_hashes(hashes)
        key = shingles.tobytes()
        if key in seen:  # the same paragraph twice in one article counts once
            continue
        seen.add(key)
        out.append(Paragraph(index, shingles))
    return out, digest.hexdigest()


_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine64").permutations


def _identity(value: int) -> int:
    return value


def signature(shingles: np.ndarray) -> MinHash:
    """The datasketch MinHash of one paragraph's shingle hashes (already 64-bit hashes)."""
    m = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=_identity,
        permutations=_PERMUTATIONS,
        scheme="affine64",
    )
    m.update_batch(shingles.tolist())
    return m


def _overlap(x: np.ndarray, y: np.ndarray) -> tuple[int, float, float]:
    inter = int(np.intersect1d(x, y, assume_unique=True).size)
    if not inter:
        return 0, 0.0, 0.0
    return inter, inter / (x.size + y.size - inter), inter / min(x.size, y.size)


def _accept(inter: int, jaccard: float, containment: float) -> bool:
    return jaccard >= ACCEPT_JACCARD or (
        containment >= ACCEPT_CONTAINMENT and inter >= MIN_SHARED_SHINGLES
    )


_Words = tuple[tuple[str, ...], array, array]


def _span_words(text: str) -> _Words:
    """A paragraph's first `SPAN_ALIGN_WORDS` normalised words with their offsets, kept for the
    last `SPAN_CACHE` paragraphs: a wire paragraph printed by many outlets meets every copy of it
    in turn, and tokenising it again for each link was most of the cost of finding spans. Kept
    by digest, not by text, so the cache holds at most `SPAN_CACHE` times the words of
    `SPAN_ALIGN_WORDS` (about 5 MB for news paragraphs, 40 MB at worst) whatever the
    paragraphs' length."""
    key = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    hit = _SPAN_WORDS.get(key)
    if hit is None:
        words = tokenise(text, SPAN_ALIGN_WORDS)
        hit = (
            tuple(t.norm for t in words),
            array("l", [t.start for t in words]),
            array("l", [t.end for t in words]),
        )
        with _SPAN_LOCK:  # evict and insert as one step, so threads cannot overfill it
            while len(_SPAN_WORDS) >= SPAN_CACHE:
                del _SPAN_WORDS[next(iter(_SPAN_WORDS))]  # the oldest: first in, first out
            _SPAN_WORDS[key] = hit
    return hit


_SPAN_WORDS: dict[bytes, _Words] = {}
_SPAN_LOCK = threading.Lock()


def shared_span(text_a: str, text_b: str) -> str:
    """The stretch of ``text_a`` that ``text_b`` repeats: from the first to the last run of at
    least `MIN_SPAN_WORDS` normalised words the two have in common (edits in between kept)."""
    norms_a, starts, ends = _span_words(text_a)
    norms_b = _span_words(text_b)[0]
    if norms_a == norms_b:  # the same words as printed: one block, no alignment to find
        if len(norms_a) < MIN_SPAN_WORDS:
            return ""
        return text_a[starts[0] : ends[-1]]
    matcher = difflib.SequenceMatcher(None, norms_a, norms_b, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= MIN_SPAN_WORDS]
    if not blocks:
        return ""
    return text_a[starts[blocks[0].a] : ends[blocks[-1].a + blocks[-1].size - 1]]


# -- who had it first ----------------------------------------------------------------------------


def _day(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else None


def _describe(e: _Entry) -> str:
    if e.date:
        return f"{e.article_id} dated {e.date} ({e.date_source or 'source unknown'})"
    if e.not_before:
        return f"{e.article_id} undated, not before {e.not_before}"
    return f"{e.article_id} undated"


def who_first(x: _Entry, y: _Entry) -> tuple[str, str]:
    """(id of the article that had it first, or "unknown"; the reason, in words).

    Symmetric: the answer and its wording do not depend on which of the two was indexed first
    (when neither can be placed, the two are described in id order).
    """
    if y.article_id < x.article_id:
        x, y = y, x
    dx, dy = _day(x.date), _day(y.date)
    if dx and dy:
        if dx != dy:
            early, late = (x, y) if dx < dy else (y, x)
            return early.article_id, f"{_describe(early)}, before {_describe(late)}"
        if x.date and y.date and len(x.date) > 10 and len(y.date) > 10 and x.date != y.date:
            early, late = (x, y) if x.date < y.date else (y, x)
            return early.article_id, f"{_describe(early)}, before {_describe(late)}"
        return "unknown", f"same day: {_describe(x)}; {_describe(y)}"
    for dated, undated in ((x, y), (y, x)):
        d, bound = _day(dated.date), _day(undated.not_before)
        if d and not _day(undated.date) and bound and d < bound:
            return dated.article_id, (
                f"{_describe(dated)}, before {_describe(undated)} (a strict lower bound)"
            )
    return "unknown", f"cannot order: {_describe(x)}; {_describe(y)}"


# -- the index -----------------------------------------------------------------------------------


class CopyIndex:
    """Incremental copy detection over an ever-growing collection.

    `add` compares a new article with everything indexed so far (per paragraph: one exact-match
    probe and one band lookup) and then indexes it. Keep the paragraph texts (``keep_text=True``)
    for shared spans, or pass ``load_text(article_id, para_index)`` to fetch them from a store
    when a link is found.

    Each distinct paragraph (by a digest of its shingles) is held once, under a paragraph id:
    its shingles (as uint32, see `_Arena`), its band keys (`BandIndex`) and its postings, the
    articles that print it in the order they were indexed.
    """

    def __init__(
        self, *, keep_text: bool = True, load_text: Callable[[str, int], str] | None = None
    ) -> None:
        self.bands = BandIndex(LSH_BANDS, LSH_ROWS, BUCKET_CAP)
        self.pids: dict[int, int] = {}  # shingle digest -> paragraph id
        self.shingles = _Arena()
        # paragraph id -> its postings: one (article id, paragraph index) or a list of them;
        # None once every article printing it is removed
        self.postings: list[tuple[str, int] | list[tuple[str, int]] | None] = []
        self.entries: dict[str, _Entry] = {}
        self.by_fingerprint: dict[str, list[str]] = {}
        self.keep_text = keep_text
        self.load_text = load_text
        self.truncated_lookups = 0  # lookups with more than MAX_CANDIDATES ranked candidates
        self.skipped_boilerplate = 0  # article pairs sharing only widely repeated paragraphs
        self.skipped_short = 0  # article pairs sharing only one short paragraph

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.entries

    @property
    def distinct_paragraphs(self) -> int:
        """Distinct paragraphs indexed (a reprinted paragraph counts once)."""
        return len(self.pids)

    @property
    def skipped_buckets(self) -> int:
        """Over-full band buckets (stop-bands) passed over by lookups so far."""
        return self.bands.skipped_buckets

    def add(
        self,
        article_id: str,
        paragraphs: Sequence[str],
        date: str | None = None,
        date_source: str | None = None,
        agencies: Iterable[str] = (),
        outlet: str | None = None,
        *,
        not_before: str | None = None,
        byline: str | None = None,
        find: bool = True,
        prepared: tuple[list[Paragraph], str] | None = None,
    ) -> list[CopyLink]:
        """Index one article; return its copy links with the articles indexed before it.

        Adding an article again with the same text finds nothing new; with changed text it
        replaces the old version. ``find=False`` only indexes (to rebuild a saved index).
        """
        paras, fingerprint = prepared if prepared is not None else prepare(paragraphs)
        old = self.entries.get(article_id)
        if old is not None:
            if old.fingerprint == fingerprint:
                return []
            self.remove(article_id)
        agency_set = frozenset(a.strip().casefold() for a in agencies if a and a.strip())
        digests = [_digest(p.shingles) for p in paras]
        entry = _Entry(
            article_id=article_id,
            date=date,
            date_source=date_source,
            not_before=not_before,
            agencies=agency_set,
            outlet=outlet,
            staff_byline=_is_staff_byline(byline, agency_set),
            fingerprint=fingerprint,
            counted=len(paras),
            digests=digests,
            texts=list(paragraphs[:MAX_PARAGRAPHS]) if self.keep_text else None,
        )
        # Band keys only for paragraphs not indexed yet, or for every paragraph when finding:
        # a reprinted paragraph may also be a near-duplicate of other indexed versions.
        keys: list[np.ndarray | None] = [
            self.bands.keys(signature(p.shingles).hashvalues)
            if find or d not in self.pids
            else None
            for p, d in zip(paras, digests, strict=True)
        ]
        links = self._find(entry, paras, digests, keys, paragraphs) if find else []
        self.entries[article_id] = entry
        self.by_fingerprint.setdefault(fingerprint, []).append(article_id)
        for p, digest, key in zip(paras, digests, keys, strict=True):
            pid = self.pids.get(digest)
            if pid is None:
                pid = self.pids[digest] = len(self.postings)
                self.shingles.append(p.shingles)
                self.postings.append((article_id, p.index))
                self.bands.insert(pid, key if key is not None else self._keys(p))
                continue
            post = self.postings[pid]
            if isinstance(post, tuple):
                self.postings[pid] = [post, (article_id, p.index)]
            elif post is not None:
                post.append((article_id, p.index))
        return links

    def loading(self) -> AbstractContextManager[None]:
        """A block of `add` calls with ``find=False`` (a saved index loaded again): their band
        entries are sorted in once at the end (`BandIndex.loading`)."""
        return self.bands.loading()

    def _keys(self, p: Paragraph) -> np.ndarray:
        return self.bands.keys(signature(p.shingles).hashvalues)

    def remove(self, article_id: str) -> None:
        """Forget an article (its text changed or it was deleted)."""
        entry = self.entries.pop(article_id, None)
        if entry is None:
            return
        for digest in entry.digests:
            pid = self.pids.get(digest)
            if pid is None:
                continue
            post = [x for x in _posted(self.postings[pid]) if x[0] != article_id]
            if post:
                self.postings[pid] = post[0] if len(post) == 1 else post
            else:  # nobody prints it any more: drop it (its shingles stay in the arena)
                self.postings[pid] = None
                del self.pids[digest]
                self.bands.remove(pid)
        group = [x for x in self.by_fingerprint.get(entry.fingerprint, []) if x != article_id]
        if group:
            self.by_fingerprint[entry.fingerprint] = group
        else:
            self.by_fingerprint.pop(entry.fingerprint, None)

    # -- finding ---------------------------------------------------------------------------------
    def candidates(self, shingles: np.ndarray) -> list[int]:
        """Paragraph ids worth verifying against a paragraph's shingles, best first, at most
        `MAX_CANDIDATES`: the same paragraph if indexed, then those sharing at least
        `MIN_SHARED_BANDS` bands, most shared first."""
        return self._ranked(_digest(shingles), self._keys(Paragraph(0, shingles)))

    def _ranked(self, digest: int, keys: np.ndarray) -> list[int]:
        exact = self.pids.get(digest)
        ids, counts = self.bands.query(keys)
        ranked = ids[counts >= MIN_SHARED_BANDS].tolist()
        if exact is not None:
            ranked = [exact] + [x for x in ranked if x != exact]
        if len(ranked) > MAX_CANDIDATES:
            self.truncated_lookups += 1
            ranked = ranked[:MAX_CANDIDATES]
        return ranked

    def _verified(self, shingles: np.ndarray, pids: list[int]) -> list[tuple[int, float, int]]:
        """The candidates that pass `_accept`, with their Jaccard and shared shingles (one
        vectorised pass)."""
        if not pids:
            return []
        arrays = [self.shingles.get(pid) for pid in pids]
        sizes = np.fromiter((a.size for a in arrays), np.int64, len(arrays))
        query = shingles.astype(np.uint32)  # the arena's width; sorted order not needed here
        query = np.unique(query)
        hits = np.isin(np.concatenate(arrays), query)
        starts = np.zeros(len(arrays), dtype=np.int64)
        np.cumsum(sizes[:-1], out=starts[1:])
        inter = np.add.reduceat(hits.astype(np.int64), starts)
        union = sizes + query.size - inter
        jaccard = inter / union
        containment = inter / np.minimum(sizes, query.size)
        ok = (jaccard >= ACCEPT_JACCARD) | (
            (containment >= ACCEPT_CONTAINMENT) & (inter >= MIN_SHARED_SHINGLES)
        )
        return [
            (pids[i], float(jaccard[i]), int(inter[i]))
            for i in np.flatnonzero(ok & (inter > 0)).tolist()
        ]

    def _find(
        self,
        new: _Entry,
        paras: list[Paragraph],
        digests: list[int],
        keys: list[np.ndarray | None],
        texts: Sequence[str],
    ) -> list[CopyLink]:
        exact = set(self.by_fingerprint.get(new.fingerprint, [])[:MAX_POSTINGS])
        pairs: dict[str, list[tuple[float, int, int, bool, int]]] = {}
        for p, digest, key in zip(paras, digests, keys, strict=True):
            ranked = self._ranked(digest, key if key is not None else self._keys(p))
            verified = self._verified(p.shingles, ranked)
            verified.sort(key=lambda v: -v[1])  # stable: ties keep the ranking
            posts = [_posted(self.postings[pid]) for pid, _, _ in verified]
            # Widely repeated: printed by more than MAX_POSTINGS articles, or in more than
            # MAX_VERSIONS distinct versions (a template with a changing name, date or number).
            common = len(verified) > MAX_VERSIONS or sum(map(len, posts)) > MAX_POSTINGS
            budget = MAX_POSTINGS  # articles compared per paragraph, closest versions first
            for (_, jaccard, inter), post in zip(verified, posts, strict=True):
                for other_id, other_index in post[:budget]:
                    if other_id != new.article_id:
                        pairs.setdefault(other_id, []).append(
                            (jaccard, p.index, other_index, common, inter)
                        )
                budget -= min(budget, len(post))
                if not budget:
                    break
        links = []
        for other_id in sorted(pairs):
            matched = _one_to_one(pairs[other_id])
            if len(matched) < 2 and all(m[3] for m in matched):
                self.skipped_boilerplate += 1  # one widely repeated paragraph: boilerplate
                continue
            if len(matched) == 1 and matched[0][4] < MIN_LONE_SHINGLES and other_id not in exact:
                self.skipped_short += 1  # one short paragraph alike: stock phrasing, not a copy
                continue
            other = self.entries[other_id]
            links.append(self._link(other, new, [m[:3] for m in matched], texts, other_id in exact))
        return links

    def _text(self, entry: _Entry, index: int, texts: Sequence[str] | None = None) -> str:
        if texts is not None:
            return texts[index]
        if entry.texts is not None:
            return entry.texts[index]
        if self.load_text is not None:
            return self.load_text(entry.article_id, index)
        return ""

    def _link(
        self,
        old: _Entry,
        new: _Entry,
        matched: list[tuple[float, int, int]],
        new_texts: Sequence[str],
        exact: bool,
    ) -> CopyLink:
        first, reason = who_first(old, new)
        # Orient the link: a is whoever had it first, else the smaller id (order-independent).
        old_is_a = first == old.article_id or (
            first == "unknown" and old.article_id < new.article_id
        )
        a, b = (old, new) if old_is_a else (new, old)
        shared = []
        for jaccard, new_index, old_index in sorted(matched, key=lambda m: (m[2], m[1])):
            old_text = self._text(old, old_index)
            new_text = new_texts[new_index]
            if old_is_a:
                item = (old_index, new_index, old_text, new_text)
            else:
                item = (new_index, old_index, new_text, old_text)
            shared.append(SharedParagraph(item[0], item[1], jaccard, shared_span(item[2], item[3])))
        shared.sort(key=lambda s: (s.para_a, s.para_b))
        longer = max(old.counted, new.counted, 1)
        score = 1.0 if exact else len(matched) / longer
        of_shorter = len(matched) / max(min(old.counted, new.counted), 1)
        kind = "exact" if exact else _kind(a, b, score, of_shorter)
        return CopyLink(a.article_id, b.article_id, kind, shared, first, reason, score)


def _digest(shingles: np.ndarray) -> int:
    """A paragraph's identity: 64 bits of BLAKE2b over its shingles (a chance collision is
    about 1 in a million at 5 million distinct paragraphs)."""
    return int.from_bytes(blake2b(shingles.tobytes(), digest_size=8).digest(), "little")


def _posted(post: tuple[str, int] | list[tuple[str, int]] | None) -> list[tuple[str, int]]:
    if post is None:
        return []
    return [post] if isinstance(post, tuple) else post


class _Arena:
    """The shingles of every distinct paragraph, as uint32, packed in 16 MB chunks.

    Why: a numpy array per paragraph costs ~110 bytes of header on top of its data, more than
    half of a short paragraph's weight; 32-bit hashes halve the data (two different shingles of
    two ~60-shingle paragraphs share a low half with probability ~1e-6: no measurable effect on
    verification). A paragraph's place is one uint64: chunk, start, count.
    """

    CHUNK = 1 << 22

    def __init__(self) -> None:
        self._chunks: list[np.ndarray] = []
        self._used = 0
        self._where = array("Q")

    def append(self, shingles: np.ndarray) -> None:
        data = np.unique(shingles.astype(np.uint32))
        n = int(data.size)
        if not self._chunks or self._used + n > self.CHUNK:
            self._chunks.append(np.empty(self.CHUNK, dtype=np.uint32))
            self._used = 0
        self._chunks[-1][self._used : self._used + n] = data
        self._where.append((len(self._chunks) - 1) << 40 | self._used << 16 | n)
        self._used += n

    def get(self, pid: int) -> np.ndarray:
        where = self._where[pid]
        start = (where >> 16) & 0xFFFFFF
        return self._chunks[where >> 40][start : start + (where & 0xFFFF)]

    @property
    def nbytes(self) -> int:
        return sum(c.nbytes for c in self._chunks[:-1]) + self._used * 4 + len(self._where) * 8


def _one_to_one(
    pairs: list[tuple[float, int, int, bool, int]],
) -> list[tuple[float, int, int, bool, int]]:
    """Greedy best-first pairing: each paragraph of either article is used once."""
    used_new: set[int] = set()
    used_old: set[int] = set()
    out = []
    for item in sorted(pairs, key=lambda m: (-m[0], m[1], m[2])):
        _, new_index, old_index = item[:3]
        if new_index in used_new or old_index in used_old:
            continue
        used_new.add(new_index)
        used_old.add(old_index)
        out.append(item)
    return out


def _is_staff_byline(byline: str | None, agencies: frozenset[str]) -> bool:
    """A byline naming someone other than a credited agency (a staff reporter)."""
    if not byline or not byline.strip():
        return False
    name = byline.strip().casefold()
    for prefix in ("by ", "from "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return not any(agency in name or name in agency for agency in agencies)


def _kind(a: _Entry, b: _Entry, coverage: float, of_shorter: float) -> str:
    credited = a.agencies | b.agencies
    if credited and coverage > MOST:
        return "edited_wire"
    if (
        (a.agencies & b.agencies)
        and not a.staff_byline
        and not b.staff_byline
        and of_shorter > MOST
    ):
        return "edited_wire"
    return "partial"
