"""SparseVector must give the same numbers as the dict arithmetic the clusterer used before.

The reference functions below are the clusterer's former dict versions; hypothesis draws the
vectors (hashed feature ids are 20-bit, weights the size of normalised TF-IDF)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.cluster.sparse import SparseVector
from storyline.errors import StoreError

vectors = st.dictionaries(
    st.integers(0, 2**20 - 1),
    st.floats(1e-6, 2.0, allow_nan=False, allow_infinity=False),
    max_size=60,
)


def _accumulate(total: dict[int, float], vector: dict[int, float], cap: int) -> None:
    for k, v in vector.items():
        total[k] = total.get(k, 0.0) + v
    if len(total) > 2 * cap:
        keep = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:cap]
        total.clear()
        total.update(keep)


def _subtract(total: dict[int, float], vector: dict[int, float]) -> None:
    for k, v in vector.items():
        if k in total:
            left = total[k] - v
            if abs(left) < 1e-12:
                del total[k]
            else:
                total[k] = left


@settings(max_examples=300, deadline=None)
@given(st.lists(vectors, min_size=1, max_size=6), st.integers(1, 40))
def test_sums_and_pruning_match_the_dict_version(parts: list[dict[int, float]], cap: int) -> None:
    expected: dict[int, float] = {}
    got = SparseVector()
    for part in parts:
        _accumulate(expected, part, cap)
        got.add(SparseVector.from_mapping(part), cap)
    assert got.to_dict() == expected  # bit for bit, not approximately
    assert list(got.ids) == sorted(got.ids)
    _subtract(expected, parts[0])
    got.subtract(SparseVector.from_mapping(parts[0]))
    assert got.to_dict() == expected


@settings(max_examples=300, deadline=None)
@given(vectors, vectors)
def test_dot_matches(a: dict[int, float], b: dict[int, float]) -> None:
    expected = sum(v * b.get(k, 0.0) for k, v in a.items())
    got = SparseVector.from_mapping(a).dot(SparseVector.from_mapping(b))
    assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-15)


def _intersect_dot(a: SparseVector, b: SparseVector) -> float:
    """The former inner product (np.intersect1d over both id lists)."""
    if not a.ids.size or not b.ids.size:
        return 0.0
    _, mine, theirs = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return float(a.values[mine] @ b.values[theirs]) if mine.size else 0.0


@settings(max_examples=300, deadline=None)
@given(vectors, st.dictionaries(st.integers(0, 2**20 - 1), st.floats(1e-6, 2.0), max_size=600))
def test_dot_by_lookup_is_the_intersection_bit_for_bit(
    a: dict[int, float], big: dict[int, float]
) -> None:
    """An article against a story's much longer sums, either way round, with shared ids at
    both ends of the longer list: the binary-search lookup gives the old sum exactly."""
    short = SparseVector.from_mapping({**a, **dict(list(big.items())[:3])})
    long = SparseVector.from_mapping(big)
    expected = _intersect_dot(short, long)
    assert short.dot(long) == expected
    assert long.dot(short) == expected
    if long:
        top = int(long.ids[-1])  # the largest id: the lookup's edge
        edge = SparseVector.from_mapping({top: 1.0, top + 1: 1.0})
        assert edge.dot(long) == _intersect_dot(edge, long) == float(long.values[-1])


def test_removing_a_member_drops_what_only_it_carried() -> None:
    story = SparseVector.from_mapping({3: 0.5, 7: 0.25})
    member = SparseVector.from_mapping({7: 0.25, 9: 1.0})  # 9 was pruned from the story
    story.subtract(member)
    assert story.to_dict() == {3: 0.5}
    assert story.get(3) == 0.5 and story.get(7) == 0.0


def test_a_vector_handed_out_is_not_changed_by_later_adds() -> None:
    a = SparseVector.from_mapping({1: 1.0})
    ids_before = a.ids
    a.add(SparseVector.from_mapping({2: 1.0}))
    assert list(ids_before) == [1] and list(a.ids) == [1, 2]


def test_ids_outside_32_bits_are_refused() -> None:
    with pytest.raises(StoreError, match=r"^E430 feature ids must fit in 32 unsigned bits"):
        SparseVector.from_arrays(np.array([2**33]), np.array([1.0]))


def test_smaller_than_dicts() -> None:
    """The point of the module: a story-sized vector takes a fraction of a dict's memory."""
    import sys

    mapping = {i * 7919 % (2**20): 1.0 / (i + 1) for i in range(180)}
    as_dict = sys.getsizeof(mapping) + sum(
        sys.getsizeof(k) + sys.getsizeof(v) for k, v in mapping.items()
    )
    vector = SparseVector.from_mapping(mapping)
    assert vector.nbytes() + 2 * 112 < as_dict / 4
