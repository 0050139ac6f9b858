"""The incremental story clusterer's state as plain values, and back.

Why a module of its own: the store keeps a clusterer between runs (`StoryClusterer.to_state`,
`StoryClusterer.from_state`), so the state's layout is a format with a version: which fields a
story and its recent members are saved with, which older versions can still be read, and the
error (E430) for one that cannot. The clusterer rebuilds its own index from what this returns;
this module never imports the clusterer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields
from typing import Any

import numpy as np

from storyline.cluster.sparse import SparseVector
from storyline.cluster.story_model import ClusterSettings, Features
from storyline.cluster.story_sums import StorySums
from storyline.errors import StoreError

__all__ = [
    "READABLE_STATES",
    "STATE_VERSION",
    "settings_from_state",
    "state_of",
    "stories_from_state",
]

STATE_VERSION = 4
#: 1 lacks signatures, 1-2 recent members, 1-3 their subjects: what is missing starts empty
READABLE_STATES = (1, 2, 3, 4)


def state_of(
    settings: ClusterSettings,
    df: np.ndarray,
    n_docs: int,
    seq: int,
    stories: Iterable[StorySums],
    newest: int | None = None,
) -> dict[str, Any]:
    """Plain dicts, lists and numpy arrays that the readers below restore exactly."""
    nonzero = np.flatnonzero(df)
    rows = []
    for story in sorted(stories, key=lambda s: s.seq):
        rows.append(
            {
                "id": story.id,
                "doc_ids": list(story.doc_ids),
                "term_ids": story.terms.ids.astype(np.int64),
                "term_values": story.terms.values.copy(),
                "name_ids": story.names.ids.astype(np.int64),
                "name_values": story.names.values.copy(),
                "n_terms": story.n_terms,
                "n_names": story.n_names,
                "embedding": None if story.embedding is None else story.embedding.copy(),
                "n_embedding": story.n_embedding,
                "first_day": story.first_day,
                "last_day": story.last_day,
                "keys": list(story.keys),
                "seq": story.seq,
                "signatures": {
                    kind: [[sorted(values), count] for values, count in sets.items()]
                    for kind, sets in story.signatures.items()
                },
                "recent": [_features_state(d, f) for d, f in story.recent],
            }
        )
    return {
        "version": STATE_VERSION,
        "settings": asdict(settings),
        "n_docs": n_docs,
        "df_ids": nonzero.astype(np.int64),
        "df_counts": df[nonzero].astype(np.int64),
        "seq": seq,
        "newest": newest,  # the newest article day seen: what retires stories (None: none yet)
        "stories": rows,
    }


def settings_from_state(state: dict[str, Any]) -> ClusterSettings:
    """The settings a saved state was made with; a state of an unreadable version raises E430.

    Settings saved by another version that this one does not know are left out.
    """
    if state.get("version") not in READABLE_STATES:
        raise StoreError(
            f"story clustering state version {state.get('version')!r} is not supported "
            f"(expected {STATE_VERSION}); rebuild the stories from the articles with "
            "`storyline recluster`",
            code="E430",
        )
    known = {f.name for f in fields(ClusterSettings)}
    return ClusterSettings(**{k: v for k, v in state["settings"].items() if k in known})


def stories_from_state(state: dict[str, Any]) -> list[StorySums]:
    """The saved stories, in the order they were last updated (their ``seq``)."""
    found: list[StorySums] = []
    for raw in sorted(state["stories"], key=lambda s: s["seq"]):
        emb = raw["embedding"]
        story = StorySums(
            id=raw["id"],
            doc_ids=list(raw["doc_ids"]),
            terms=SparseVector.from_arrays(raw["term_ids"], raw["term_values"]),
            names=SparseVector.from_arrays(raw["name_ids"], raw["name_values"]),
            n_terms=int(raw["n_terms"]),
            n_names=int(raw["n_names"]),
            embedding=None if emb is None else np.asarray(emb, dtype=np.float32),
            n_embedding=int(raw["n_embedding"]),
            first_day=raw["first_day"],
            last_day=raw["last_day"],
            keys=[int(k) for k in raw["keys"]],
            seq=int(raw["seq"]),
            signatures={
                str(kind): {frozenset(map(str, values)): int(count) for values, count in sets}
                for kind, sets in (raw.get("signatures") or {}).items()
            },
        )
        story.recent = [_features_from_state(r) for r in raw.get("recent") or ()]
        found.append(story)
    return found


def _features_state(doc_id: str, feats: Features) -> dict[str, Any]:
    """One recent member's features as plain values (see :meth:`StoryClusterer.to_state`)."""
    return {
        "id": doc_id,
        "term_ids": feats.terms.ids.astype(np.int64),
        "term_values": feats.terms.values.copy(),
        "name_ids": feats.names.ids.astype(np.int64),
        "name_values": feats.names.values.copy(),
        "embedding": None if feats.embedding is None else feats.embedding.copy(),
        "day": feats.day,
        "bound": feats.bound,
        "signature": {kind: sorted(values) for kind, values in feats.signature.items()},
        "subject": feats.subject.astype(np.int64),
    }


def _ids(values: Any) -> np.ndarray:
    """Hashed feature ids read back (none when the state predates them); a damaged state's ids
    outside 32 bits raise E430, as the vectors' do (`SparseVector.from_arrays`)."""
    ids = np.asarray(() if values is None else values, dtype=np.int64).ravel()
    return SparseVector.from_arrays(ids, np.zeros(ids.size)).ids.astype(np.int64)


def _features_from_state(raw: dict[str, Any]) -> tuple[str, Features]:
    emb = raw["embedding"]
    return str(raw["id"]), Features(
        terms=SparseVector.from_arrays(raw["term_ids"], raw["term_values"]),
        names=SparseVector.from_arrays(raw["name_ids"], raw["name_values"]),
        embedding=None if emb is None else np.asarray(emb, dtype=np.float32),
        day=None if raw["day"] is None else int(raw["day"]),
        bound=None if raw["bound"] is None else int(raw["bound"]),
        signature={str(k): frozenset(map(str, v)) for k, v in raw["signature"].items()},
        subject=_ids(raw.get("subject")),
    )
