"""Compact sparse vectors for the story clusterer: sorted feature ids and their weights.

The clusterer keeps, for every story, the sum of its articles' TF-IDF vectors (about 120 term
and 60 name features), and the vectors of its most recent members for the local repair. As
Python dicts of int to float these cost about 90 bytes a feature (the hash table, an int object
and a float object per entry), which put the clusterer at 23 KB per stored article: a million
articles would not fit in the memory of a laptop. Two NumPy arrays (uint32 ids, float64 weights)
cost 12 bytes a feature and give the same sums bit for bit: addition of two floats does not
depend on the order of the operands, and pruning sorts by (weight, id) exactly as before.
SciPy's sparse matrices carry far more per-object overhead for vectors this small, hence this
module.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from storyline.errors import StoreError

__all__ = ["SparseVector"]

_IDS = np.uint32
_EMPTY_IDS = np.zeros(0, dtype=_IDS)
_EMPTY_VALUES = np.zeros(0, dtype=np.float64)


class SparseVector:
    """Feature id -> weight, stored as sorted unique ids and their weights.

    Mutable in place (``add``, ``subtract``) because a story's sums change as articles join and
    leave; the arrays are replaced, never resized in place, so a vector handed out before stays
    valid.
    """

    __slots__ = ("ids", "values")

    def __init__(self, ids: np.ndarray | None = None, values: np.ndarray | None = None) -> None:
        self.ids: np.ndarray = _EMPTY_IDS if ids is None else ids
        self.values: np.ndarray = _EMPTY_VALUES if values is None else values

    @classmethod
    def from_mapping(cls, mapping: Mapping[int, float]) -> SparseVector:
        """From a dict (any key order); keys must fit in 32 bits (hashed feature ids)."""
        if not mapping:
            return cls()
        ids = np.fromiter(mapping.keys(), dtype=np.int64, count=len(mapping))
        values = np.fromiter(mapping.values(), dtype=np.float64, count=len(mapping))
        return cls.from_arrays(ids, values)

    @classmethod
    def from_arrays(cls, ids: np.ndarray, values: np.ndarray) -> SparseVector:
        """From parallel arrays of unique ids (any order) and weights.

        Hashed features always fit in 32 bits, so ids outside them come from a damaged stored
        story state: that raises `StoreError` E430 (rebuild), never a silent wrap-around.
        """
        ids = np.asarray(ids)
        if ids.size == 0:
            return cls()
        if ids.min() < 0 or ids.max() > np.iinfo(_IDS).max:
            raise StoreError(
                f"feature ids must fit in 32 unsigned bits, got {ids.min()}..{ids.max()}: the "
                "stored story state is damaged; rebuild it with `storyline recluster`",
                code="E430",
            )
        order = np.argsort(ids, kind="stable")
        return cls(ids[order].astype(_IDS), np.asarray(values, dtype=np.float64)[order])

    # -- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.ids.size)

    def __bool__(self) -> bool:
        return self.ids.size > 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SparseVector):
            return NotImplemented
        return np.array_equal(self.ids, other.ids) and np.array_equal(self.values, other.values)

    def __repr__(self) -> str:
        return f"SparseVector({len(self)} features)"

    def items(self) -> Iterator[tuple[int, float]]:
        return zip(self.ids.tolist(), self.values.tolist(), strict=True)

    def to_dict(self) -> dict[int, float]:
        return dict(self.items())

    def get(self, key: int, default: float = 0.0) -> float:
        at = int(np.searchsorted(self.ids, key))
        if at < self.ids.size and int(self.ids[at]) == key:
            return float(self.values[at])
        return default

    def dot(self, other: SparseVector) -> float:
        """Inner product (0.0 when no feature is shared).

        The shorter vector's ids are looked up in the longer one's (binary search): an article
        (~150 features) against a story's sums (up to 3,000) costs 7 us instead of the 12-18 of
        `np.intersect1d`, which sorts both. The shared features come in id order either way, so
        the sum is the same bit for bit.
        """
        short, long = (self, other) if self.ids.size <= other.ids.size else (other, self)
        if not short.ids.size:
            return 0.0
        at = np.searchsorted(long.ids, short.ids)
        at[at == long.ids.size] = 0
        shared = long.ids[at] == short.ids
        if not shared.any():
            return 0.0
        return float(short.values[shared] @ long.values[at[shared]])

    # -- changing ------------------------------------------------------------------------------

    def add(self, other: SparseVector, cap: int | None = None) -> None:
        """Add ``other`` in place; past ``2 * cap`` features keep the ``cap`` heaviest.

        Ties in pruning go to the smaller id, as the dict version sorted ``(-weight, id)``.
        """
        if not other.ids.size:
            return
        if not self.ids.size:
            ids, values = other.ids.copy(), other.values.copy()
        else:
            both = np.concatenate([self.ids, other.ids])
            ids, where = np.unique(both, return_inverse=True)
            values = np.bincount(
                where, weights=np.concatenate([self.values, other.values]), minlength=ids.size
            )
        if cap is not None and ids.size > 2 * cap:
            keep = np.lexsort((ids, -values))[:cap]
            keep.sort()
            ids, values = ids[keep], values[keep]
        self.ids, self.values = ids.astype(_IDS, copy=False), values

    def subtract(self, other: SparseVector, tolerance: float = 1e-12) -> None:
        """Take ``other`` out in place. Features pruned meanwhile stay absent, and a feature left
        within ``tolerance`` of zero is dropped (it came from the article being removed)."""
        if not self.ids.size or not other.ids.size:
            return
        _, mine, theirs = np.intersect1d(
            self.ids, other.ids, assume_unique=True, return_indices=True
        )
        if not mine.size:
            return
        values = self.values.copy()
        values[mine] -= other.values[theirs]
        gone = np.zeros(values.size, dtype=bool)
        gone[mine] = np.abs(values[mine]) < tolerance
        self.ids, self.values = self.ids[~gone], values[~gone]

    def copy(self) -> SparseVector:
        return SparseVector(self.ids.copy(), self.values.copy())

    def nbytes(self) -> int:
        """Memory held by the arrays (for benchmarks)."""
        return int(self.ids.nbytes + self.values.nbytes)
