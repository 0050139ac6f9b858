from __future__ import annotations

from collections.abc import Iterator

import pytest

from storyline.article import Article
from storyline.errors import PipelineError, Skip
from storyline.pipeline import Pipeline, Stage


class Upper(Stage):
    name = "upper"
    reads = ("raw",)
    adds = ("text",)

    def process(self, article: Article) -> None:
        if article.raw == b"boom":
            raise RuntimeError("exploded")
        if article.raw == b"skip":
            raise Skip("nothing to see")
        article.text = article.raw.decode().upper()


class Count(Stage):
    name = "count"
    reads = ("text",)
    adds = ("extras",)

    def process(self, article: Article) -> None:
        article.extras["n"] = len(article.text)


def test_order_is_checked_before_running() -> None:
    with pytest.raises(PipelineError) as info:
        Pipeline([Count(), Upper()])
    message = str(info.value)
    assert "E303" in message and "'count' reads ['text']" in message


def test_duplicate_stage_names_are_refused() -> None:
    with pytest.raises(PipelineError, match="E302"):
        Pipeline([Upper(), Upper()])


def test_one_bad_article_does_not_stop_the_batch() -> None:
    arts = [
        Article("a", raw=b"ok"),
        Article("b", raw=b"boom"),
        Article("c", raw=b"skip"),
        Article("d", raw=b"fine"),
    ]
    Pipeline([Upper(), Count()]).run_batch(arts)
    assert arts[0].text == "OK" and arts[0].extras == {"n": 2}
    assert arts[1].failed is not None and "RuntimeError: exploded" in arts[1].failed
    assert "stage upper failed" in arts[1].failed
    assert arts[2].skipped == "nothing to see" and "count" not in arts[2].stages
    assert arts[3].extras == {"n": 4}
    assert arts[3].stages == {"upper": "1", "count": "1"}


def test_strict_makes_failures_fatal() -> None:
    with pytest.raises(PipelineError, match="exploded"):
        Pipeline([Upper()], strict=True).run_batch([Article("b", raw=b"boom")])


def test_run_yields_every_article_in_batches() -> None:
    seen: list[int] = []
    arts = [Article(str(i), raw=b"x" * i) for i in range(1, 8)]
    done = list(Pipeline([Upper()]).run(arts, batch_size=3, on_batch=lambda b: seen.append(len(b))))
    assert [a.source for a in done] == [str(i) for i in range(1, 8)]
    assert seen == [3, 3, 1]


@pytest.mark.parametrize(
    ("batch_size", "sizes"),
    [(1, [1] * 7), (3, [3, 3, 1]), (7, [7]), (10, [7]), (0, [1] * 7), (-2, [1] * 7)],
)
def test_run_batches_lazily(batch_size: int, sizes: list[int]) -> None:
    """Batches hold up to batch_size articles (below 1: one), and a batch is processed before
    the next articles are read: ingest streams its sources."""
    pulled: list[int] = []

    def articles() -> Iterator[Article]:
        for i in range(1, 8):
            pulled.append(i)
            yield Article(str(i), raw=b"x" * i)

    seen: list[int] = []
    run = Pipeline([Upper()]).run(articles(), batch_size, on_batch=lambda b: seen.append(len(b)))
    first = next(run)
    assert first.source == "1" and len(pulled) == sizes[0]
    assert [first.source] + [a.source for a in run] == [str(i) for i in range(1, 8)]
    assert seen == sizes


class EnglishOnly(Stage):
    name = "english"
    reads = ("text",)
    adds = ("tone",)
    languages = frozenset({"en"})

    def process(self, article: Article) -> None:
        article.tone = 1.0


def test_stages_pass_by_languages_they_cannot_read() -> None:
    en, fr = Article("a", raw=b"hello"), Article("b", raw=b"bonjour")
    en.language, fr.language = "en", "fr"
    Pipeline([Upper(), EnglishOnly(), Count()]).run_batch([en, fr])
    assert en.tone == 1.0 and fr.tone is None
    assert fr.problems == ["english: not run on language fr (handles en)"]
    assert fr.ok and fr.extras == {"n": 7}  # later stages still run


class CutShort(Stage):
    """Ctrl-C landing inside a lazily imported C extension, as Python reports it: the import's
    ImportError, with the KeyboardInterrupt as its cause."""

    name = "cut_short"
    reads = ("raw",)
    adds = ("text",)

    def process(self, article: Article) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise ImportError("initialization failed") from exc


def test_ctrl_c_inside_a_stage_stops_the_run_and_fails_no_article() -> None:
    arts = [Article("a", raw=b"ok")]
    with pytest.raises(KeyboardInterrupt):
        Pipeline([CutShort()]).run_batch(arts)
    assert arts[0].failed is None and arts[0].stages == {}
