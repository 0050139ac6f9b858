"""Copy detection at scale: stop-bands, bounded lookups and recall on template-heavy news.

The realistic generator (`storyline.testing.generate(..., realistic=True)`) writes every
sentence from a few phrase tables, so random paragraph pairs share 4-10% of their shingles and
every article ends with the same dated boilerplate sentence: the conditions under which a loose
LSH banding returned thousands of candidates per lookup and reprints went unfound.
"""

from __future__ import annotations

import numpy as np
import pytest

from storyline.cluster.bands import BandIndex
from storyline.cluster.copy_index import (
    BUCKET_CAP,
    LSH_BANDS,
    MAX_CANDIDATES,
    MAX_POSTINGS,
    CopyIndex,
    prepare,
)
from storyline.testing import generate

N = 2500


@pytest.fixture(scope="module")
def template_run() -> tuple[CopyIndex, list, dict[str, set[str]]]:
    corpus = generate(N, seed=11, realistic=True)
    index = CopyIndex(keep_text=False)
    linked: dict[str, set[str]] = {}
    for s in corpus:
        for link in index.add(s.name, s.body.split("\n\n"), None, None, [], s.outlet):
            linked.setdefault(link.a, set()).add(link.b)
            linked.setdefault(link.b, set()).add(link.a)
    return index, corpus, linked


def test_every_reprint_in_a_template_heavy_corpus_is_linked_to_its_source(template_run) -> None:  # type: ignore[no-untyped-def]
    _, corpus, linked = template_run
    reprints = [s for s in corpus if s.copy_of]
    assert len(reprints) > 300
    missed = [s.name for s in reprints if s.copy_of not in linked.get(s.name, set())]
    assert missed == []


def test_lookups_stay_bounded_and_template_buckets_are_skipped(template_run) -> None:  # type: ignore[no-untyped-def]
    index, _, _ = template_run
    assert index.skipped_buckets > 0  # the boilerplate sentence and stock phrases
    ranked = []
    for s in generate(N + 100, seed=11, realistic=True)[N:]:
        for p in prepare(s.body.split("\n\n"))[0]:
            ids, _ = index.bands.query(index._keys(p))
            assert len(ids) <= LSH_BANDS * BUCKET_CAP
            ranked.append(len(index.candidates(p.shingles)))
    assert max(ranked) <= MAX_CANDIDATES
    # Unrelated paragraphs rarely collide: most lookups verify a handful, not thousands.
    assert float(np.median(ranked)) < 50


def test_template_sentence_with_a_changing_number_links_nothing() -> None:
    index = CopyIndex()
    template = (
        "The talks were first announced on March 5, 2024, by officials of the district "
        "council and the water board, record number {}."
    )
    for i in range(MAX_POSTINGS + 10):
        own = (
            f"Report {i}: the committee for district {i} met on day {i} to review budget "
            f"line {i}, road {i} and the school in village {i}."
        )
        index.add(f"page{i:04d}", [own, template.format(1000 + i)])
    mine = "An entirely different report about the weather in the hills and the rain expected."
    assert index.add("last", [mine, template.format(99999)]) == []
    assert index.skipped_boilerplate > 0


def test_a_few_near_duplicates_of_a_paragraph_still_link() -> None:
    index = CopyIndex()
    text = (
        "Officials on both sides of the frontier agreed on Sunday to reopen the main crossing "
        "for trucks carrying fruit and medicine after a week of closure, record {}."
    )
    other = "A district council member said the council would ask for cold storage near the market."
    index.add("one", [text.format(1), other])
    index.add(
        "two", [text.format(2), "Schools in the district reopened on Monday after the break."]
    )
    links = index.add("three", [text.format(3), "The weather office expects light rain later."])
    assert sorted((x.a, x.b) for x in links) == [("one", "three"), ("three", "two")]


# -- the band index ------------------------------------------------------------------------------


def keys_with(band_value: int | None, seed: int, bands: int = 8) -> np.ndarray:
    """Random band keys; band 0 set to ``band_value`` when given."""
    keys = np.random.default_rng(seed).integers(0, 2**32, size=bands, dtype=np.uint64)
    if band_value is not None:
        keys[0] = np.uint64(band_value)
    return keys


@pytest.mark.parametrize("buffer_size", [1, 3, 4096])  # sorted arrays, merges, buffer only
def test_over_full_bucket_is_a_stop_band_and_the_others_still_answer(buffer_size: int) -> None:
    index = BandIndex(bands=8, rows=4, cap=5, buffer_size=buffer_size)
    for pid in range(6):  # six paragraphs share band 0's bucket: one more than the cap
        index.insert(pid, keys_with(7, seed=pid))
    query = keys_with(7, seed=100)
    ids, _ = index.query(query)
    assert ids.tolist() == [] and index.skipped_buckets == 1
    query[3] = keys_with(None, seed=2)[3]  # also collides with paragraph 2 in band 3
    ids, counts = index.query(query)
    assert ids.tolist() == [2] and counts.tolist() == [1] and index.skipped_buckets == 2


@pytest.mark.parametrize("buffer_size", [1, 7, 4096])
def test_candidates_rank_by_shared_bands_across_buffer_and_merges(buffer_size: int) -> None:
    index = BandIndex(bands=8, rows=4, cap=100, buffer_size=buffer_size)
    base = keys_with(None, seed=1)
    for pid in range(50):
        keys = keys_with(None, seed=1000 + pid)
        shared = pid % 5  # paragraph pid shares its first pid % 5 bands with ``base``
        keys[:shared] = base[:shared]
        index.insert(pid, keys)
    ids, counts = index.query(base)
    assert counts.tolist() == sorted(counts.tolist(), reverse=True)
    assert ids[:10].tolist() == [4, 9, 14, 19, 24, 29, 34, 39, 44, 49]  # 4 bands, oldest first
    assert len(ids) == 40  # pid % 5 == 0 share nothing
    index.remove(4)
    index.flush()
    ids, _ = index.query(base)
    assert 4 not in ids.tolist() and len(ids) == 39
    assert len(index) == 49


@pytest.mark.parametrize("buffer_size", [1, 5, 64, 4096])
def test_lookups_equal_reading_every_entry_for_buckets_of_every_size(buffer_size: int) -> None:
    """Buckets from empty to past the cap (a bucket's end is read from the entries after its
    start, or searched for when it runs longer), in the sorted arrays, the buffer and both: a
    lookup gives what reading every inserted entry gives. (Removal has its own test above: a
    removed paragraph still counts towards the cap until the next merge.)"""
    rng = np.random.default_rng(buffer_size)
    bands, cap = 6, 20
    index = BandIndex(bands=bands, rows=2, cap=cap, buffer_size=buffer_size)
    # few distinct keys, drawn unevenly, so bucket sizes range from 1 to about 60
    space = rng.integers(0, 2**32, size=40, dtype=np.uint64)
    weights = 1.0 / np.arange(1, 41)
    entries: dict[int, np.ndarray] = {}
    for pid in range(400):
        keys = rng.choice(space, size=bands, p=weights / weights.sum())
        if pid % 7 == 0:  # some keys only this paragraph has, some at the top of the range
            keys[0] = np.uint64(2**32 - 1 - pid)
        index.insert(pid, keys)
        entries[pid] = keys
    for _ in range(60):
        query = rng.choice(np.concatenate([space, [np.uint64(2**32 - 1)]]), size=bands)
        found: list[int] = []
        for key in query.tolist():
            bucket = [pid for pid, keys in entries.items() for k in keys.tolist() if k == key]
            total = sum(1 for keys in entries.values() for k in keys.tolist() if k == key)
            if total <= cap:
                found.extend(bucket)
        ids, counts = index.query(query)
        want_ids, want_counts = np.unique(np.array(found, dtype=np.int64), return_counts=True)
        order = np.lexsort((want_ids, -want_counts))
        assert ids.tolist() == want_ids[order].tolist()
        assert counts.tolist() == want_counts[order].tolist()


def test_loading_in_one_block_equals_inserting_one_by_one() -> None:
    """A saved index loaded again (`BandIndex.loading`) answers every lookup as the same
    paragraphs inserted one at a time, also after a removal and later inserts."""
    rng = np.random.default_rng(5)
    space = rng.integers(0, 2**32, size=300, dtype=np.uint64)
    rows = [rng.choice(space, size=8) for _ in range(900)]
    one, block = (BandIndex(bands=8, rows=2, cap=12, buffer_size=64) for _ in range(2))
    for pid, keys in enumerate(rows[:600]):
        one.insert(pid, keys)
    with block.loading():
        for pid, keys in enumerate(rows[:600]):
            block.insert(pid, keys)
        with block.loading():  # nested: sorted in by the outer block
            pass
    assert len(block) == len(one) == 600
    for index in (one, block):
        index.remove(17)
        for pid, keys in enumerate(rows[600:], start=600):
            index.insert(pid, keys)
    for _ in range(200):
        query = rng.choice(space, size=8)
        a, b = one.query(query), block.query(query)
        assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist()
    assert one.skipped_buckets == block.skipped_buckets > 0


def test_band_keys_are_stable_and_depend_on_every_row() -> None:
    index = BandIndex(bands=4, rows=3, cap=10)
    values = np.arange(12, dtype=np.uint64) * np.uint64(2654435761)
    keys = index.keys(values)
    assert keys.tolist() == BandIndex(bands=4, rows=3, cap=10).keys(values).tolist()
    assert all(k < 2**32 for k in keys.tolist()) and len(set(keys.tolist())) == 4
    changed = values.copy()
    changed[4] += np.uint64(1)  # band 1, row 1
    assert (index.keys(changed) != keys).tolist() == [False, True, False, False]
