"""The time budget per article and stage: a stage that never ends fails that article only."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from storyline.article import Article
from storyline.pipeline import Pipeline, Stage, budget_for


class Spin(Stage):
    name = "spin"
    reads = ("raw",)
    adds = ("text",)

    def process(self, article: Article) -> None:
        while article.raw == b"forever":  # pure Python: the timer interrupts it
            pass
        article.text = article.raw.decode()


class SpinBatch(Spin):
    name = "spin_batch"

    def process_batch(self, articles: Sequence[Article]) -> None:
        for article in articles:
            self.process(article)
            article.stages[self.name] = self.version


class Slow(Spin):
    name = "slow"

    def process(self, article: Article) -> None:
        if article.raw == b"forever":
            time.sleep(0.3)
        article.text = article.raw.decode()


def _batch() -> list[Article]:
    return [Article("a", raw=b"one"), Article("b", raw=b"forever"), Article("c", raw=b"three")]


def test_a_stage_over_its_budget_fails_that_article_and_the_batch_goes_on() -> None:
    for stage in (Spin(), SpinBatch()):
        arts = _batch()
        Pipeline([stage], time_budget=0.2).run_batch(arts)
        assert [a.text for a in arts] == ["one", "", "three"]
        assert arts[1].failed is not None
        assert arts[1].failed.startswith(f"stage {stage.name} stopped after ")
        assert "over its time budget (ingest.stage_seconds" in arts[1].failed
        assert stage.name not in arts[1].stages and arts[2].stages == {stage.name: "1"}


def test_outside_the_main_thread_the_budget_is_checked_afterwards() -> None:
    arts = _batch()
    thread = threading.Thread(target=Pipeline([Slow()], time_budget=0.1).run_batch, args=(arts,))
    thread.start()
    thread.join()
    assert arts[1].failed is not None and "stage slow stopped after" in arts[1].failed
    assert arts[0].ok and arts[2].ok


def test_the_budget_grows_with_the_size_of_the_article_and_can_be_off() -> None:
    assert budget_for(Article("a", raw=b"x"), 60) == 60
    assert budget_for(Article("a", raw=b"x" * 2_500_000), 60) == 180
    arts = [Article("a", raw=b"one")]
    Pipeline([Spin()], time_budget=0).run_batch(arts)
    assert arts[0].text == "one"
