"""The story clusterer's state in the store: packing it, saving what a batch changed, loading it.

Why a module of its own: the ``cluster_stories`` step (`storyline.update.cluster_stories`) must
resume exactly where the last committed batch left off, in any process, without re-clustering.
The clusterer's state (:meth:`StoryClusterer.to_state`) is kept in two tables so that a batch
writes what it changed, not the whole archive: ``cluster_state`` holds the global part (settings,
document frequencies, counters; a second row holds the storyline linker's sequence counter) and
``cluster_state_stories`` one row per story. The linker is rebuilt from the stories' stored
profiles and the storyline membership. State is packed as JSON plus raw numpy buffers, never
pickle, so loading a store never runs code.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from storyline.cluster.clusterer_state import state_of, stories_from_state
from storyline.cluster.embed import Embedder, load_embedder
from storyline.cluster.story_archive import RetiredStories
from storyline.cluster.story_clusterer import ClusterSettings, StoryClusterer, StoryDoc
from storyline.cluster.story_sums import StorySums
from storyline.cluster.storyline_linker import (
    LINKER_STATE_VERSION,
    StorylineLinker,
    StorylineSettings,
    StoryProfile,
)
from storyline.config import cache_dir
from storyline.errors import StoreError
from storyline.store.db import now

__all__ = [
    "Engine",
    "StoreArchive",
    "cluster_settings",
    "embed_docs",
    "load_engine",
    "pack_state",
    "partial_state",
    "save_linker",
    "save_linker_state",
    "save_state",
    "shared_embedder",
    "story_embedder",
    "storyline_settings",
    "unpack_state",
]


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


def partial_state(clusterer: StoryClusterer, story_ids: Iterable[str]) -> dict[str, Any]:
    """``to_state()`` restricted to some stories: the global part and those stories only.

    ``to_state`` walks every story; at a million articles that is seconds per batch. A shallow
    view of the clusterer holding only the touched stories runs the clusterer's own
    serialisation on them (a test checks the reassembled state equals ``to_state()``).
    """
    stories = clusterer._stories
    view = object.__new__(StoryClusterer)
    view.__dict__.update(clusterer.__dict__)
    view._stories = {sid: stories[sid] for sid in story_ids if sid in stories}
    view._retired = RetiredStories()  # retired stories are in the store already (StoreArchive)
    return view.to_state()


class StoreArchive:
    """Retired stories' sums in ``cluster_state_stories``, the rows a batch writes anyway.

    `put` writes a retired story's row as it is now (a story changed earlier in the same batch
    would otherwise be left out of the batch's save, which writes only stories in memory); `get`
    reads rows back. The rows are written in the step's transaction, so a killed batch leaves
    none of them behind.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def put(self, stories: list[StorySums]) -> None:
        # the clusterer's own per-story format, without the global part (no document counts)
        rows = state_of(ClusterSettings(), np.zeros(1, dtype=np.int32), 0, 0, stories)["stories"]
        self.conn.executemany(
            "INSERT OR REPLACE INTO cluster_state_stories (story_id, state, last_day) "
            "VALUES (?, ?, ?)",
            [(r["id"], pack_state(r), r["last_day"]) for r in rows],
        )

    def get(self, story_ids: list[str]) -> list[StorySums]:
        found: list[StorySums] = []
        for start in range(0, len(story_ids), 500):
            chunk = story_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT state FROM cluster_state_stories WHERE story_id IN ({marks})", chunk
            )
            found.extend(stories_from_state({"stories": [unpack_state(r[0]) for r in rows]}))
        return found


@dataclass
class Engine:
    clusterer: StoryClusterer
    linker: StorylineLinker
    #: where the linker came from: "saved" (`save_linker_state`), "profiles" or "new"
    linker_source: str = "new"


def _configured(cls: type[Any], settings: Mapping[str, Any] | None, section: str) -> Any:
    """``cls`` with the fields that ``settings[section]`` names; the rest default."""
    values = (settings or {}).get(section) or {}
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in known})


def cluster_settings(settings: Mapping[str, Any] | None = None) -> ClusterSettings:
    """Story clustering settings: ``[stories]`` of the merged settings over the defaults."""
    return _configured(ClusterSettings, settings, "stories")


def story_embedder(settings: Mapping[str, Any] | None = None) -> Embedder | None:
    """The embedder the store gives story clustering (``[stories] embedder``), or None when the
    clusterer would not use embeddings or none is installed: the same-week boost then stays
    flat."""
    chosen = cluster_settings(settings)
    if chosen.embed_weight <= 0 and chosen.near_embed_boost <= 0:
        return None
    return shared_embedder(chosen.embedder, settings)


def shared_embedder(name: str, settings: Mapping[str, Any] | None = None) -> Embedder | None:
    """`load_embedder`, loaded once a process (0.1-0.9 s) and shared by every store and
    evaluation in it."""
    key = (name, str(cache_dir(settings)))
    with _EMBEDDERS_LOCK:
        if key not in _EMBEDDERS:
            _EMBEDDERS[key] = load_embedder(name, settings)
        return _EMBEDDERS[key]


_EMBEDDERS: dict[tuple[str, str], Embedder | None] = {}
_EMBEDDERS_LOCK = threading.Lock()


def embed_docs(docs: Iterable[StoryDoc], embedder: Embedder | None) -> None:
    """Give each document its embedding (title and text), when the embedder knows its language.

    WordLlama and MiniLM are English models: texts of other languages all score 0.8-0.99 with
    each other, which would give every same-week pair of them the full boost, so a document
    whose language is not among the embedder's ``languages`` (or unknown) keeps none and is
    boosted flat, as before round 12."""
    if embedder is None:
        return
    known = getattr(embedder, "languages", None)
    docs = [
        d
        for d in docs
        if d.embedding is None
        and (known is None or (d.language or "").split("-")[0].lower() in known)  # en-GB: en
    ]
    for start in range(0, len(docs), EMBED_BATCH):  # `recluster` passes every stored article
        chunk = docs[start : start + EMBED_BATCH]
        vectors = embedder.embed([(d.title + "\n" + d.text).strip() for d in chunk])
        for doc, vector in zip(chunk, vectors, strict=True):
            doc.embedding = vector


#: Articles embedded at once: one tokenised batch of WordLlama is held in memory whole.
EMBED_BATCH = 256


def storyline_settings(settings: Mapping[str, Any] | None = None) -> StorylineSettings:
    """Storyline linking settings: ``[storylines]`` of the merged settings over the defaults."""
    return _configured(StorylineSettings, settings, "storylines")


def load_engine(
    conn: sqlite3.Connection,
    settings: Mapping[str, Any] | None,
    position: int | None = None,
    step_version: str = "",
) -> Engine:
    """Restore the clusterer and linker from the store (once per process, or after others wrote).

    The settings in force are the given ones, not those saved with the state: a changed
    threshold applies to the articles added from now on (a rebuild applies it to all of them).
    The linker is the one saved at the step's mark ``position`` by the same version of the step
    (`save_linker_state`) when there is one and the storyline settings are the same; otherwise
    it is rebuilt from the stored profiles.
    """
    row = conn.execute("SELECT state FROM cluster_state WHERE name = 'stories'").fetchone()
    if row is None:
        clusterer = StoryClusterer(cluster_settings(settings))
        clusterer.archive = StoreArchive(conn)
    else:
        state = unpack_state(row["state"])
        # only the stories inside the window are read; the others stay in the store, retired
        probe = StoryClusterer(cluster_settings(settings))
        newest = state.get("newest")
        probe._newest = None if newest is None else int(newest)
        horizon = probe.horizon
        members: list[tuple[str, str]] = []
        if horizon is None:
            rows = conn.execute("SELECT state FROM cluster_state_stories")
            retired = {}
        else:
            # the articles of retired stories keep their story (`story_of`) without loading it
            members = conn.execute(
                "SELECT s.article_id, s.story_id FROM story_articles s JOIN "
                "cluster_state_stories c ON c.story_id = s.story_id WHERE c.last_day < ?",
                (horizon,),
            ).fetchall()
            rows = conn.execute(
                "SELECT state FROM cluster_state_stories WHERE last_day IS NULL OR last_day >= ?",
                (horizon,),
            )
            retired = dict(
                conn.execute(
                    "SELECT story_id, last_day FROM cluster_state_stories WHERE last_day < ?",
                    (horizon,),
                ).fetchall()
            )
        state["stories"] = [unpack_state(r[0]) for r in rows]
        # the settings in force (a changed window) retire with the given settings, not the saved
        state["settings"] = {
            **state["settings"],
            "active_days": probe.settings.active_days,
            "max_gap_days": probe.settings.max_gap_days,
        }
        clusterer = StoryClusterer.from_state(state, StoreArchive(conn))
        clusterer.mark_retired(retired, members)
        clusterer.settings = cluster_settings(settings)
    linker = _saved_linker(conn, storyline_settings(settings), position, step_version)
    if linker is not None:
        return Engine(clusterer, linker, "saved")
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
    return Engine(clusterer, linker, "profiles")


def _saved_linker(
    conn: sqlite3.Connection, settings: StorylineSettings, position: int | None, step_version: str
) -> StorylineLinker | None:
    """The linker saved at mark ``position`` by this version of the step, if there is one
    (None: rebuild it from the profiles)."""
    if position is None:
        return None
    row = conn.execute(
        "SELECT generation, state FROM cluster_state WHERE name = 'linker'"
    ).fetchone()
    if row is None or int(row[0]) != position:  # saved at another mark, or never
        return None
    try:
        state = unpack_state(row[1])
        if state.get("step_version") != step_version:  # a mark of the step's earlier version
            return None
        return StorylineLinker.from_state(state, settings)
    except StoreError:  # another layout or other settings
        return None


def save_linker_state(
    conn: sqlite3.Connection, linker: StorylineLinker, position: int, step_version: str
) -> None:
    """The whole linker, as of the step's mark ``position`` (inside the step's transaction, so
    it lands with the mark or not at all): a new process reads it instead of rebuilding the
    linker from every stored profile (`load_engine`)."""
    state = {**linker.to_state(), "step_version": step_version}
    conn.execute(
        "INSERT INTO cluster_state (name, version, generation, n_articles, state, updated_at) "
        "VALUES ('linker', ?, ?, 0, ?, ?) ON CONFLICT(name) DO UPDATE SET "
        "version=excluded.version, generation=excluded.generation, state=excluded.state, "
        "updated_at=excluded.updated_at",
        (LINKER_STATE_VERSION, position, pack_state(state), now()),
    )


def save_linker(conn: sqlite3.Connection, linker: StorylineLinker) -> None:
    """The linker's sequence counter (everything else of it is rebuilt from the stories)."""
    conn.execute(
        "INSERT INTO cluster_state (name, version, generation, n_articles, state, updated_at) "
        "VALUES ('storylines', 1, 0, 0, ?, ?) ON CONFLICT(name) DO UPDATE SET "
        "state=excluded.state, updated_at=excluded.updated_at",
        (pack_state({"counter": linker.counter}), now()),
    )


def save_state(
    conn: sqlite3.Connection, engine: Engine, touched: Iterable[str], removed: Iterable[str] = ()
) -> None:
    partial = partial_state(engine.clusterer, touched)
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
        "INSERT OR REPLACE INTO cluster_state_stories (story_id, state, last_day) VALUES (?, ?, ?)",
        [(story["id"], pack_state(story), story["last_day"]) for story in stories],
    )
