"""The cleaner's fast paths skip work only where the full rule would answer the same.

`clean_text` guards its rules with cheap necessary conditions (a literal the pattern needs, a
length limit). These properties check each guard against the full rule on hostile strings:
mixed case, the characters that IGNORECASE folds specially (İ ı ſ K), controls and odd spaces.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.extract import rules

_PIECES = [
    "copyright", "COPYRIGHT", "©", "(c) 2021", "(C) 1999", "all rights reserved", "Advertisement",
    "advertisment", "Sponsored content", "this article first appeared", "This Story was published",
    "this post ran", "this piece originally appeared", "first published on", "originally published",
    "republished with permission", "reprinted with permission", "ſponſored", "THİS ARTICLE",
    "thıs story", "http://a.example/x", "WWW.EXAMPLE.ORG", "[link](http://x.y)", "](", "://",
    "Facebook", "Twitter", "x", "X", "Share", "share this:", "Tweet", "|", ",", ":", "•",
    " ", "  ", "\u00a0", "\u200b", "\u00ad", "\t", "\x01", "\u2028", "\ufeff", "K", "news", "The",
]  # fmt: skip

texts = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=14).map(
    "".join
)


def _slow_normalise(line: str) -> str:
    return " ".join(line.translate(rules._DELETE).split())


def _slow_is_share(line: str) -> bool:
    if len(line) > 120:
        return False
    toks = [t.strip(",|•·:").casefold() for t in rules.words(line)]
    toks = [t for t in toks if t]
    if toks and all(t in rules.SOCIAL for t in toks) and (len(toks) >= 2 or toks[0] != "x"):
        return True
    m = rules.SHARE.match(line)
    if not m:
        return False
    rest = line[m.end() :].strip(" :.!…")
    if m.group(0).casefold() in {"share", "tweet"}:
        return not rest or all(
            t.strip(",|•·:").casefold() in rules.SOCIAL for t in rules.words(rest)
        )
    return len(rules.words(rest)) <= 8 and not rules.ends_sentence(line)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_promo_guard_never_hides_a_promo_match(text: str) -> None:
    if rules.PROMO.search(text):
        assert rules.may_match_promo(text)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_normalise_fast_path_equals_full_normalisation(text: str) -> None:
    assert rules.normalise_line(text) == _slow_normalise(text)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_share_with_early_exit_equals_full_token_check(text: str) -> None:
    line = rules.normalise_line(text)
    assert rules.is_share(line) == _slow_is_share(line)


@settings(max_examples=600, deadline=None)
@given(texts)
def test_link_dump_guard_never_hides_a_url(text: str) -> None:
    line = rules.normalise_line(text)
    if rules.URL.search(line) or rules.MD_LINK.search(line[:20000]):
        # The guard lets every line with a URL or a Markdown link through to the full rule.
        assert "](" in line[:20000] or "://" in line or "www." in line.lower()


def test_nwords_counts_like_words() -> None:
    for line in ["", "a", "a b", " a", "a  b ", "  "]:
        assert rules.nwords(line) == len(rules.words(line))


def test_odd_folds_are_all_the_letters_ignorecase_adds() -> None:
    # Why the promo guard falls back on these: IGNORECASE matches them to a letter of the
    # literals, str.lower() does not map them to it.
    letters = {c for lit in rules._PROMO_LITERALS for c in lit if c.isalpha() and c.isascii()}
    patterns = [re.compile(letter, re.IGNORECASE) for letter in sorted(letters)]
    odd = {
        chr(c)
        for c in range(0x80, 0x10000)
        if chr(c).lower() not in letters and any(p.fullmatch(chr(c)) for p in patterns)
    }
    assert odd <= set(rules._ODD_FOLDS)


def test_a_chinese_caption_ends_in_its_photographer_in_brackets() -> None:
    """ "图为...（摄影：刘松涛）": the picture's caption with its credit, label first; the form
    without brackets ("记者 张帆 摄") was already read."""
    from storyline.extract.rules import is_caption

    assert is_caption("图为冰块沿着传送带被运上江岸。（摄影：刘松涛）", head=False)
    assert is_caption("市民在公园赏花。(图/王芳)", head=False)
    assert is_caption("新华社记者 李明 摄", head=False)
    # a sentence that only mentions photography is body
    assert not is_caption("他说：“摄影是我一生的爱好（他笑着说）。”", head=False)
    assert not is_caption("展览共展出摄影作品一百二十幅，持续到五月。", head=False)
