"""A document that kills the Dask worker running it (issue 16): the run goes on, that document is
a recorded failure with the reason, and its neighbours are stored."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline import config
from storyline.article import Article
from storyline.ingest import foundation_stages
from storyline.pipeline import Pipeline, Stage
from storyline.scale.bulk import bulk
from storyline.store import Store
from storyline.testing import write_corpus

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")
cloudpickle = pytest.importorskip("cloudpickle", reason="cloudpickle comes with dask")
# the workers cannot import this test module: the crashing stage travels by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])

MARK = "zqxj-poison-document"


class CrashOnMark(Stage):
    """Kills its process on an article that carries `MARK`, as a segfault or the OOM killer
    would: no exception, no result."""

    name = "crash_on_mark"
    reads = ("text",)

    def process(self, article: Article) -> None:
        if MARK in article.text:
            os._exit(70)


def crashing_stages() -> Pipeline:
    """The foundation stages (no models to load: workers restart fast) and the crashing one."""
    return Pipeline([*foundation_stages(None), CrashOnMark()])


@pytest.fixture
def client() -> Iterator[Any]:
    import dask

    # give up on a task at its first worker death, so the test sees the split quickly
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            memory_limit="1GiB",
            dashboard_address=":0",
            scheduler_kwargs={"dashboard": False},
        ) as cluster,
        distributed.Client(cluster) as made,
    ):
        yield made


@pytest.mark.slow
def test_a_document_that_kills_its_worker_fails_alone(tmp_path: Path, client: Any) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 7, fmt="txt", seed=4)
    poison = corpus / "d-poison.txt"  # sorted among the others: read fourth or so
    poison.write_text(f"A headline\n\nThis paragraph carries {MARK} and kills its reader.\n")
    db = tmp_path / "s.db"
    settings = config.load(None, {"bulk": {"partition": 3}}, environ={})
    with Store(db, settings=settings) as store:
        report = bulk([str(corpus)], store, settings, client=client, build=crashing_stages)
    summary = report.summary()
    assert summary["read"] == 8
    # the 7 others are stored (write_corpus reprints one article word for word: "unchanged")
    assert summary["stored"] + summary["unchanged"] == 7, summary
    assert summary["bulk"]["partitions_split"] >= 1
    [(source, reason)] = [(f["source"], f["reason"]) for f in summary["failures"]]
    assert source.endswith("d-poison.txt")
    assert reason.startswith("E310 the stages could not finish on a Dask worker"), reason
    assert report.exit_code == 1
