"""A copy index saved to one file and read back, so a new process does not rebuild it.

Why: the ``find_copies`` step keeps its `CopyIndex` in memory and, at the start of every
process, rebuilt it from the store's ``copy_index`` rows, computing every paragraph's MinHash
signature again: 67 s of CPU at 100,000 stored articles, about ten minutes at a million, paid by
every `storyline ingest` of a single file. Reading the arrays back costs seconds.

The file is an uncompressed NumPy ``.npz`` (a zip of ``.npy`` arrays, read without pickle), with
a JSON header that the caller fills with what the file must match to be used (the update step
puts the store's mark in it). Its layout has a version (`FORMAT`) and records the index's
constants; a file of another version or other constants is not used (`load_index` returns None
with the reason) and the index is rebuilt from the store as before, so an old or damaged file
costs time, never correctness. This module knows the index's layout and nothing of the store.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from storyline.cluster import copy_index as ci
from storyline.cluster.bands import BandIndex
from storyline.cluster.copy_index import CopyIndex, _Arena, _Entry
from storyline.errors import StoreError

__all__ = ["FORMAT", "load_index", "save_index"]

#: Version of the file layout: bump when what `save_index` writes changes, or when what the
#: saved values are derived with changes and no constant in `_constants` shows it (how a staff
#: byline is told, how agencies are normalised): a file written before is then not used.
FORMAT = 1


@cache
def _constants() -> dict[str, Any]:
    """What a saved file depends on: the index's constants, and the band keys of a fixed
    paragraph, which would change if NumPy's random streams (the bands' salts) or datasketch's
    MinHash did in a new version, or the code that derives them (saved keys would then no
    longer meet new ones)."""
    shingles = np.arange(1, 41, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    bands = BandIndex(ci.LSH_BANDS, ci.LSH_ROWS, ci.BUCKET_CAP)
    return {
        "bands": ci.LSH_BANDS,
        "rows": ci.LSH_ROWS,
        "num_perm": ci.NUM_PERM,
        "seed": ci.SEED,
        "bucket_cap": ci.BUCKET_CAP,
        "chunk": _Arena.CHUNK,
        "probe": bands.keys(ci.signature(shingles).hashvalues).tolist(),
        "digest": ci._digest(shingles),
    }


def _json_array(value: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(value, separators=(",", ":")).encode("utf-8"), np.uint8)


def _from_json(array: np.ndarray) -> Any:
    return json.loads(array.tobytes().decode("utf-8"))


def save_index(
    index: CopyIndex,
    path: Path,
    header: Mapping[str, Any],
    like: Path | None = None,
    ready: Callable[[], bool] | None = None,
) -> int:
    """Write ``index`` to ``path`` (replacing it whole: a reader never sees half a file);
    returns the bytes written (0: ``ready`` said no). ``header`` must be JSON; `load_index`
    gives it back. The file takes the permissions of ``like`` (the store's file: whoever may
    read the store may read what it holds). ``ready`` is called once the new file is written
    in full, just before it replaces the old one: the caller makes the header true there (the
    store names the new file), and the old file stays if it returns False or raises."""
    if index.keep_text:
        raise StoreError("a copy index that keeps paragraph texts is not saved", code="E431")
    bands = index.bands
    bands.flush()  # the buffer's dict into the sorted arrays
    entries = list(index.entries.values())
    position = {e.article_id: i for i, e in enumerate(entries)}
    counts = np.empty(len(index.postings), dtype=np.int32)
    art: list[int] = []
    para: list[int] = []
    for pid, post in enumerate(index.postings):
        if post is None:
            counts[pid] = -1
        elif isinstance(post, tuple):
            counts[pid] = 1
            art.append(position[post[0]])
            para.append(post[1])
        else:
            counts[pid] = len(post)
            for article_id, at in post:
                art.append(position[article_id])
                para.append(at)
    columns = {
        "ids": [e.article_id for e in entries],
        "date": [e.date for e in entries],
        "date_source": [e.date_source for e in entries],
        "not_before": [e.not_before for e in entries],
        "agencies": [sorted(e.agencies) for e in entries],
        "outlet": [e.outlet for e in entries],
        "fingerprint": [e.fingerprint for e in entries],
    }
    arena = index.shingles
    chunks = arena._chunks
    used = np.concatenate([*chunks[:-1], chunks[-1][: arena._used]]) if chunks else np.empty(0)
    arrays = {
        "header": _json_array(
            {"format": FORMAT, "constants": _constants(), "caller": dict(header)}
        ),
        "entries": _json_array(columns),
        "staff_byline": np.fromiter((e.staff_byline for e in entries), bool, len(entries)),
        "counted": np.fromiter((e.counted for e in entries), np.int32, len(entries)),
        "digest_counts": np.fromiter((len(e.digests) for e in entries), np.int32, len(entries)),
        "digests": np.array([d for e in entries for d in e.digests], dtype=np.uint64),
        "pid_digests": np.fromiter(index.pids.keys(), np.uint64, len(index.pids)),
        "pid_values": np.fromiter(index.pids.values(), np.int64, len(index.pids)),
        "post_counts": counts,
        "post_articles": np.array(art, dtype=np.int32),
        "post_paragraphs": np.array(para, dtype=np.int32),
        "arena": used.astype(np.uint32, copy=False),
        "arena_where": np.frombuffer(arena._where, dtype=np.uint64),
        "arena_chunks": np.array([len(chunks), arena._used], dtype=np.int64),
        "band_main": bands._main,
        "band_recent": bands._recent,
        "band_dead": np.fromiter(bands._dead, np.uint64, len(bands._dead)),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(glob.escape(path.name) + ".*.part"):  # left by a killed save
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
    handle, temp = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **arrays)  # type: ignore[arg-type]
        if like is not None and like.exists():
            os.chmod(temp, stat.S_IMODE(like.stat().st_mode))
        if ready is not None and not ready():
            Path(temp).unlink(missing_ok=True)
            return 0
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path.stat().st_size


def load_index(
    path: Path, load_text: Callable[[str, int], str] | None = None
) -> tuple[CopyIndex, dict[str, Any]] | tuple[None, str]:
    """The index saved at ``path`` and the caller's header, or (None, why it was not used)."""
    try:
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as data:
            head = _from_json(data["header"])
            if head.get("format") != FORMAT:
                return None, f"file format {head.get('format')!r}, this storyline reads {FORMAT}"
            if head.get("constants") != _constants():
                return None, "saved with other copy-detection constants"
            return _restore(data, load_text), dict(head.get("caller") or {})
    except FileNotFoundError:
        return None, "no saved index"
    except (
        StoreError,
        OSError,
        EOFError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        zipfile.BadZipFile,
    ) as exc:
        return None, f"unreadable ({type(exc).__name__}: {exc})"


def _damaged(what: str) -> StoreError:
    return StoreError(f"saved copy index is damaged: {what}", code="E431")


def _restore(data: Any, load_text: Callable[[str, int], str] | None) -> CopyIndex:
    index = CopyIndex(keep_text=False, load_text=load_text)
    columns = _from_json(data["entries"])
    ids = columns["ids"]
    staff = data["staff_byline"].tolist()
    counted = data["counted"].tolist()
    digest_counts = data["digest_counts"]
    digests = data["digests"].tolist()
    if not len(ids) == len(staff) == len(counted) == digest_counts.size:
        raise _damaged("entry columns of different lengths")
    if int(digest_counts.sum()) != len(digests):
        raise _damaged("digest counts do not add up")
    at = 0
    entries = index.entries
    for i, article_id in enumerate(ids):
        n = int(digest_counts[i])
        entry = _Entry(
            article_id=article_id,
            date=columns["date"][i],
            date_source=columns["date_source"][i],
            not_before=columns["not_before"][i],
            agencies=frozenset(columns["agencies"][i]),
            outlet=columns["outlet"][i],
            staff_byline=bool(staff[i]),
            fingerprint=columns["fingerprint"][i],
            counted=int(counted[i]),
            digests=digests[at : at + n],
        )
        at += n
        entries[article_id] = entry
        index.by_fingerprint.setdefault(entry.fingerprint, []).append(article_id)
    index.pids = dict(zip(data["pid_digests"].tolist(), data["pid_values"].tolist(), strict=True))
    counts = data["post_counts"].tolist()
    arts = data["post_articles"].tolist()
    paras = data["post_paragraphs"].tolist()
    postings: list[tuple[str, int] | list[tuple[str, int]] | None] = []
    at = 0
    for n in counts:
        if n < 0:
            postings.append(None)
        elif n == 1:
            postings.append((ids[arts[at]], paras[at]))
        else:
            postings.append([(ids[arts[k]], paras[k]) for k in range(at, at + n)])
        at += max(n, 0)
    if at != len(arts):
        raise _damaged("postings do not add up")
    index.postings = postings
    arena = index.shingles
    n_chunks, used = (int(x) for x in data["arena_chunks"])
    flat = data["arena"]
    chunk = _Arena.CHUNK
    arena._chunks = [flat[k * chunk : (k + 1) * chunk].copy() for k in range(max(n_chunks - 1, 0))]
    if n_chunks:
        last = np.empty(chunk, dtype=np.uint32)
        last[:used] = flat[(n_chunks - 1) * chunk : (n_chunks - 1) * chunk + used]
        arena._chunks.append(last)
    arena._used = used
    arena._where.frombytes(data["arena_where"].astype("<u8").tobytes())
    if len(arena._where) != len(postings):
        raise _damaged("arena and postings disagree")
    bands: BandIndex = index.bands
    bands._main = data["band_main"]
    bands._recent = data["band_recent"]
    bands._dead = set(data["band_dead"].tolist())
    return index
