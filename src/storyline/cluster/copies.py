"""Copy detection: reprints, edited wire copy and shared paragraphs between articles.

How many independent sources carried a story is the analyst's first question, and wire copy
inflates the count: one AFP story run by twelve outlets is one source, not twelve. This module
finds text reuse between articles at the paragraph level, which whole-document similarity misses
(two different AFP stories that share two background paragraphs are barely similar as wholes).

Method (see ``docs/copies.md`` for measured figures):

* every paragraph of at least `MIN_WORDS` words is normalised and cut into 3-word shingles
  (:mod:`storyline.cluster.shingles`), then summarised by a datasketch `MinHash` of `NUM_PERM`
  permutations (fixed `SEED`, so signatures are reproducible);
* a `MinHashLSH` index with `LSH_BANDS` bands of `LSH_ROWS` rows returns, for each paragraph of a
  new article, the indexed paragraphs likely to share at least ~30% of their shingles (a paragraph
  pair at Jaccard 0.42 is returned with probability 0.96, one at 0.1 with 0.04): one lookup per
  paragraph, independent of the size of the index;
* each candidate is then verified exactly on the shingle sets: Jaccard >= `ACCEPT_JACCARD`, or
  containment (shared / smaller set) >= `ACCEPT_CONTAINMENT` with at least `MIN_SHARED_SHINGLES`
  shared shingles (an edited paragraph that kept most of a shorter one);
* paragraphs are paired one to one (best first); an article pair with at least one verified
  paragraph pair is a copy link, and the longest run of words the two paragraphs share is kept.

Kinds: ``exact`` (the same paragraphs as printed, up to Unicode composition and white space),
``edited_wire`` (more than half of the longer article's paragraphs shared and an agency credited;
or both credit the same agency with no staff byline on either, so both are the agency's copy and
what they share is the agency's text), ``partial`` (anything else that shares a paragraph).
Who had it first is decided by dates only, with the reason spelt out; an undated article is
placed only when its lower bound is strictly later than the other's date.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from hashlib import blake2b

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.cluster.shingles import shingle_hashes, token_hashes, tokenise

__all__ = [
    "ACCEPT_CONTAINMENT",
    "ACCEPT_JACCARD",
    "LSH_BANDS",
    "LSH_ROWS",
    "MAX_CANDIDATES",
    "MAX_PARAGRAPHS",
    "MAX_POSTINGS",
    "MAX_WORDS",
    "MIN_SHARED_SHINGLES",
    "MIN_WORDS",
    "NUM_PERM",
    "SEED",
    "CopyIndex",
    "CopyLink",
    "Paragraph",
    "SharedParagraph",
    "independent_sources",
    "prepare",
    "who_first",
]

#: MinHash permutations. 128 leaves room for 42 bands of 3 rows; the error of a single Jaccard
#: estimate does not matter because every candidate is verified on the exact shingle sets.
NUM_PERM = 64
#: Seed of the MinHash permutations: fixed, so signatures are the same in every process.
SEED = 20210818
#: LSH banding. r=3 keeps paragraphs that share only stock phrases (Jaccard < 0.1) out of the
#: candidates; b=42 still returns edited paragraphs (Jaccard 0.4) 96% of the time.
LSH_BANDS, LSH_ROWS = 16, 2
#: Paragraphs shorter than this are not compared: datelines, credits ("AFP/Al Arabiya"), dates,
#: "Read more" teasers and captions would otherwise link unrelated articles.
MIN_WORDS = 8
#: Words read per paragraph and paragraphs per article: bounds time and memory on hostile input.
MAX_WORDS = 2000
MAX_PARAGRAPHS = 2000
#: A paragraph whose lookup returns more distinct near-duplicate paragraphs than this is skipped
#: (a template with a changing number, repeated across the collection).
MAX_CANDIDATES = 200
#: Articles compared per matching paragraph: the first indexed ones (the original is among
#: them). A paragraph printed by more articles than this is "widely repeated": a link made of a
#: single such paragraph is boilerplate (a footer, a cookie notice) and is not kept, while a
#: story syndicated to hundreds of outlets shares many paragraphs and is still linked.
MAX_POSTINGS = 50
#: Exact verification of a candidate paragraph pair (on shingle sets).
ACCEPT_JACCARD = 0.5
ACCEPT_CONTAINMENT = 0.6
MIN_SHARED_SHINGLES = 8
#: Shortest run of shared words kept as a shared span.
MIN_SPAN_WORDS = 3
#: Words aligned when locating a shared span (the alignment is quadratic in the worst case).
SPAN_ALIGN_WORDS = 400
#: "Most paragraphs shared", for edited wire copy: share of the longer article's paragraphs.
MOST = 0.5

_LSH_PARAMS = (LSH_BANDS, LSH_ROWS)


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


@dataclass
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
    paragraphs: list[Paragraph] = field(default_factory=list)
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


def shared_span(text_a: str, text_b: str) -> str:
    """The stretch of ``text_a`` that ``text_b`` repeats: from the first to the last run of at
    least `MIN_SPAN_WORDS` normalised words the two have in common (edits in between kept)."""
    ta = tokenise(text_a, SPAN_ALIGN_WORDS)
    tb = tokenise(text_b, SPAN_ALIGN_WORDS)
    matcher = difflib.SequenceMatcher(
        None, [t.norm for t in ta], [t.norm for t in tb], autojunk=False
    )
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= MIN_SPAN_WORDS]
    if not blocks:
        return ""
    return text_a[ta[blocks[0].a].start : ta[blocks[-1].a + blocks[-1].size - 1].end]


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
    """(id of the article that had it first, or "unknown"; the reason, in words)."""
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

    `add` compares a new article with everything indexed so far (one LSH lookup per paragraph)
    and then indexes it. Keep the paragraph texts (``keep_text=True``) for shared spans, or pass
    ``load_text(article_id, para_index)`` to fetch them from a store when a link is found.
    """

    def __init__(
        self, *, keep_text: bool = True, load_text: Callable[[str, int], str] | None = None
    ) -> None:
        # The LSH holds each distinct paragraph once (keyed by a digest of its shingles); the
        # articles that print it are its postings, in the order they were indexed.
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=_LSH_PARAMS)
        self.canon: dict[bytes, np.ndarray] = {}
        self.postings: dict[bytes, list[tuple[str, int]]] = {}
        self.entries: dict[str, _Entry] = {}
        self.by_fingerprint: dict[str, list[str]] = {}
        self.keep_text = keep_text
        self.load_text = load_text
        self.skipped_lookups = 0  # paragraph lookups with too many distinct candidates
        self.skipped_boilerplate = 0  # article pairs sharing only widely repeated paragraphs

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.entries

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
            paragraphs=paras,
            texts=list(paragraphs[:MAX_PARAGRAPHS]) if self.keep_text else None,
        )
        digests = [_digest(p.shingles) for p in paras]
        signatures = [signature(p.shingles) for p in paras]
        links = self._find(entry, signatures, paragraphs) if find else []
        self.entries[article_id] = entry
        self.by_fingerprint.setdefault(fingerprint, []).append(article_id)
        for p, digest, sig in zip(paras, digests, signatures, strict=True):
            if digest not in self.canon:
                self.canon[digest] = p.shingles
                self.lsh.insert(digest, sig, check_duplication=False)
            self.postings.setdefault(digest, []).append((article_id, p.index))
        return links

    def remove(self, article_id: str) -> None:
        """Forget an article (its text changed or it was deleted)."""
        entry = self.entries.pop(article_id, None)
        if entry is None:
            return
        for p in entry.paragraphs:
            digest = _digest(p.shingles)
            post = [x for x in self.postings.get(digest, []) if x[0] != article_id]
            if post:
                self.postings[digest] = post
            elif digest in self.canon:
                del self.postings[digest], self.canon[digest]
                self.lsh.remove(digest)
        group = [x for x in self.by_fingerprint.get(entry.fingerprint, []) if x != article_id]
        if group:
            self.by_fingerprint[entry.fingerprint] = group
        else:
            self.by_fingerprint.pop(entry.fingerprint, None)

    # -- finding ---------------------------------------------------------------------------------
    def _find(
        self,
        new: _Entry,
        signatures: list[MinHash],
        texts: Sequence[str],
    ) -> list[CopyLink]:
        exact = set(self.by_fingerprint.get(new.fingerprint, [])[:MAX_POSTINGS])
        pairs: dict[str, list[tuple[float, int, int, bool]]] = {}
        for p, sig in zip(new.paragraphs, signatures, strict=True):
            candidates = self.lsh.query(sig)
            if len(candidates) > MAX_CANDIDATES:
                self.skipped_lookups += 1
                continue
            for candidate in candidates:
                inter, jaccard, containment = _overlap(p.shingles, self.canon[candidate])
                if not (inter and _accept(inter, jaccard, containment)):
                    continue
                post = self.postings[candidate]
                common = len(post) > MAX_POSTINGS
                for other_id, other_index in post[:MAX_POSTINGS]:
                    if other_id != new.article_id:
                        pairs.setdefault(other_id, []).append(
                            (jaccard, p.index, other_index, common)
                        )
        links = []
        for other_id in sorted(pairs):
            matched = _one_to_one(pairs[other_id])
            if len(matched) < 2 and all(m[3] for m in matched):
                self.skipped_boilerplate += 1  # one widely repeated paragraph: boilerplate
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
        kind = "exact" if exact else _kind(a, b, score)
        return CopyLink(a.article_id, b.article_id, kind, shared, first, reason, score)


def _digest(shingles: np.ndarray) -> bytes:
    return blake2b(shingles.tobytes(), digest_size=16).digest()


def _one_to_one(
    pairs: list[tuple[float, int, int, bool]],
) -> list[tuple[float, int, int, bool]]:
    """Greedy best-first pairing: each paragraph of either article is used once."""
    used_new: set[int] = set()
    used_old: set[int] = set()
    out = []
    for item in sorted(pairs, key=lambda m: (-m[0], m[1], m[2])):
        _, new_index, old_index, _ = item
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


def _kind(a: _Entry, b: _Entry, coverage: float) -> str:
    credited = a.agencies | b.agencies
    if credited and coverage > MOST:
        return "edited_wire"
    if (a.agencies & b.agencies) and not a.staff_byline and not b.staff_byline:
        return "edited_wire"
    return "partial"


def independent_sources(
    article_ids: Iterable[str], links: Iterable[CopyLink | tuple[str, str]]
) -> int:
    """How many independent sources ``article_ids`` represent: copies count once.

    Articles joined by copy links (directly or through a chain) form one source. ``links`` are
    `CopyLink` objects or plain ``(a, b)`` pairs (as read from the store).
    """
    ids = set(article_ids)
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        a, b = (link.a, link.b) if isinstance(link, CopyLink) else link
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return len({find(i) for i in ids})
