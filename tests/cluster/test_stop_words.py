"""The stop-word copy equals scikit-learn's list, so story features and summaries are unchanged."""

from __future__ import annotations

import pytest

from storyline.cluster.stop_words import ENGLISH_STOP_WORDS


def test_copy_matches_scikit_learn() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    assert ENGLISH_STOP_WORDS == frozenset(text.ENGLISH_STOP_WORDS)
