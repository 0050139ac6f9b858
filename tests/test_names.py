"""One `fold` for every stage that compares names; what each caller keeps differs on purpose."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import ConfigError
from storyline.names import fold

CASES = [
    # text, keep="text" (places index), keep="letters" (outlets, aliases), keep="words" (actors)
    ("  Tehrān ", "tehran", "tehran", "tehran"),
    ("Da’ish", "da'ish", "daish", "daish"),
    ("O‘Brien", "o'brien", "obrien", "obrien"),
    ("Maʿruf", "maʿruf", "maʿruf", "maruf"),  # the ayn is a letter; actor keys drop it
    ("Kazemi-Qomi", "kazemi-qomi", "kazemiqomi", "kazemi qomi"),
    ("Frontier  Monitor", "frontier monitor", "frontiermonitor", "frontier monitor"),
    ("Téhéran\n2024", "teheran 2024", "teheran2024", "teheran 2024"),
    ("تهران", "تهران", "تهران", ""),  # other scripts: kept, kept, dropped (keys are ASCII)
    ("Strauß", "strauss", "strauss", "strauss"),  # case folding, not lower(): ß is "ss"
    ("ﬁnance", "finance", "finance", "finance"),  # NFKD opens ligatures
    ("St. John's", "st. john's", "stjohns", "st johns"),
]


@pytest.mark.parametrize(("text", "as_text", "as_letters", "as_words"), CASES)
def test_what_each_keep_keeps(text: str, as_text: str, as_letters: str, as_words: str) -> None:
    assert fold(text) == fold(text, "text") == as_text
    assert fold(text, "letters") == as_letters
    assert fold(text, "words") == as_words


def test_an_unknown_keep_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"E501 fold\(keep=...\) must be"):
        fold("Kabul", "word")  # type: ignore[arg-type]


@given(st.text())
def test_folding_is_idempotent_and_the_modes_nest(text: str) -> None:
    for keep in ("text", "letters", "words"):
        once = fold(text, keep)  # type: ignore[arg-type]
        assert fold(once, keep) == once  # type: ignore[arg-type]
    # letters are the text's letters and digits; words are ASCII ones, spaced
    assert fold(text, "letters") == "".join(c for c in fold(text) if c.isalnum())
    assert fold(text, "words").replace(" ", "").isascii()
    assert "  " not in fold(text) and fold(text) == fold(text).strip()


def test_the_stages_use_the_shared_fold() -> None:
    from storyline.extract import datelines, outlets
    from storyline.nlp import actor_keys, places

    assert places.fold is fold
    assert datelines.fold is fold and outlets.fold is fold
    assert actor_keys.fold("O’Brien-Smith") == fold("O’Brien-Smith", "words") == "obrien smith"
