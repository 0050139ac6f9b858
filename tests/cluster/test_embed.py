"""The offline embedders: load without network, shapes, and that meaning shows in cosines."""

import numpy as np
import pytest

from storyline.cluster.embed import Embedder, load_embedder
from storyline.errors import ConfigError


def test_unknown_embedder_name() -> None:
    with pytest.raises(ConfigError, match=r"^E501 unknown embedder 'nope'; choose one of") as info:
        load_embedder("nope")
    assert info.value.setting == "embedder"
    assert load_embedder("none") is None


def test_wordllama_offline(tmp_path, monkeypatch) -> None:
    pytest.importorskip("wordllama", reason="wordllama is not installed")
    from storyline.cluster.embed import WordLlamaEmbedder

    monkeypatch.setenv("STORYLINE_CACHE_DIR", str(tmp_path))
    embedder = WordLlamaEmbedder()
    assert isinstance(embedder, Embedder)
    assert (tmp_path / "wordllama" / "tokenizers" / "l2_supercat_tokenizer_config.json").exists()
    vectors = embedder.embed(
        [
            "The central bank raised interest rates by half a point.",
            "Interest rates were increased by the central bank.",
            "The striker scored twice in the cup final.",
            "",
        ]
    )
    assert vectors.shape == (4, embedder.dim)
    assert vectors.dtype == np.float32
    unit = vectors[:3] / np.linalg.norm(vectors[:3], axis=1, keepdims=True)
    assert unit[0] @ unit[1] > unit[0] @ unit[2]
