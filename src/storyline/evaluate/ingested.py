"""What the evaluators run: what ingest runs, composed by `storyline.ingest`, with its settings.

Two ways in, so that every figure measures the product:

- `temporary_ingest`: a full ingest (`storyline.ingest.ingest_paths`: the default stages, the
  update steps, ``[store] batch_size``) into a throwaway store, for evaluators whose gold names
  input files (metadata, copies, actors). The stored articles and links are then scored.
- `enrich`: the enrichment stages of the default pipeline (`storyline.ingest.enrichment_stages`,
  same settings, same batches, the pipeline's language gate and failure handling) over labelled
  text handed over as is, for evaluators whose gold is character offsets or sentences (entities,
  quotes, events, the entity facts of story clustering). The reading stages are left out on
  purpose: they would re-clean the text and move the offsets the gold refers to; a stand-in stage
  declares what they would add, and the language stage still runs unless the caller sets the
  language.

Settings are the merged settings (`storyline.config.load`, or what the CLI resolved); None loads
them as the CLI does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from storyline.article import Article
from storyline.errors import PipelineError
from storyline.ingest import IngestReport
from storyline.pipeline import Pipeline, Stage
from storyline.sources.files import ReadOptions
from storyline.store.articles import Store

__all__ = [
    "Ingested",
    "enrich",
    "enrichment_pipeline",
    "merged_settings",
    "read_options",
    "temporary_ingest",
]


def merged_settings(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The given merged settings, or those `storyline` commands load (defaults < file < env)."""
    from storyline import config

    return dict(settings) if settings is not None else config.load()


def read_options(settings: Mapping[str, Any], exclude: Sequence[str] = ()) -> ReadOptions:
    """The reader options `storyline ingest` uses (``[ingest]``), plus ``exclude`` globs."""
    section = settings["ingest"]
    return ReadOptions(
        max_bytes=int(section["max_bytes"]),
        include=list(section["include"]),
        exclude=[*exclude, *section["exclude"]],
        max_records=int(section["max_records"]),
    )


@dataclass
class Ingested:
    """A temporary store after an ingest, and every input read, in the order read."""

    store: Store
    report: IngestReport
    read: list[Article] = field(default_factory=list)

    def stored(self, article: Article) -> Article | None:
        """An article read, as a reader of the store sees it after the update steps (a lower
        date bound from context included), or None when the input was not stored (failed,
        skipped). Keeps the read article's ``source`` and ``record``."""
        from storyline.store.articles import read_articles

        if not article.ok or not article.id:
            return None
        found = read_articles(self.store.conn, [article.id], context=True)
        if not found:
            return None
        stored = found[0]
        stored.source, stored.record = article.source, article.record
        return stored


@contextmanager
def temporary_ingest(
    paths: Sequence[str | Path],
    settings: Mapping[str, Any] | None = None,
    *,
    exclude: Sequence[str] = (),
    foundation_only: bool = False,
) -> Iterator[Ingested]:
    """Ingest ``paths`` into a store in a temporary folder, as `storyline ingest` does, and yield
    it; the store and folder are removed afterwards.

    ``foundation_only``: only the reading stages (`storyline.ingest.foundation_stages`) run, then
    the same update steps; faster, for measuring what the update steps add to the foundation.
    """
    from storyline.ingest import build_updater, foundation_stages, ingest, ingest_paths

    merged = merged_settings(settings)
    options = read_options(merged, exclude)
    inputs = [str(p) for p in paths]
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        store = Store(Path(tmp) / "eval.db", int(merged["store"]["busy_timeout_ms"]), merged)
        read: list[Article] = []
        try:
            if foundation_only:
                report = ingest(
                    inputs,
                    store,
                    Pipeline(foundation_stages(merged)),
                    updater=build_updater(store, merged),
                    options=options,
                    batch_size=int(merged["store"]["batch_size"]),
                    progress=read.append,
                )
            else:
                report = ingest_paths(inputs, store, merged, options=options, progress=read.append)
            yield Ingested(store, report, read)
        finally:
            store.close()


class GivenText(Stage):
    """Stands for the reading stages when labelled text is handed over as is: it declares the
    fields they add (text, title, dates, credits...) and changes nothing, so the offsets the gold
    refers to stay valid."""

    name: ClassVar[str] = "given_text"
    version: ClassVar[str] = "1"

    def process(self, article: Article) -> None:
        pass


def enrichment_pipeline(
    settings: Mapping[str, Any] | None = None,
    *,
    until: str | None = None,
    detect_language: bool = True,
) -> Pipeline:
    """The default pipeline's enrichment stages (up to and including the stage named ``until``)
    behind `GivenText`; the language stage of ingest first when ``detect_language``."""
    from storyline.ingest import enrichment_stages, foundation_stages

    merged = merged_settings(settings)
    foundation = foundation_stages(merged)
    given = type(
        "GivenText", (GivenText,), {"adds": tuple({f: 0 for s in foundation for f in s.adds})}
    )
    stages: list[Stage] = [given()]
    if detect_language:
        stages += [s for s in foundation if s.name == "language"]
    enrichment = enrichment_stages(merged)
    if until is not None:
        names = [s.name for s in enrichment]
        if until not in names:
            raise PipelineError(f"no enrichment stage named {until!r}; the stages are {names}")
        enrichment = enrichment[: names.index(until) + 1]
    return Pipeline([*stages, *enrichment])


def enrich(
    articles: Sequence[Article],
    settings: Mapping[str, Any] | None = None,
    *,
    until: str | None = None,
    detect_language: bool = True,
) -> list[Article]:
    """Run `enrichment_pipeline` over ``articles`` in place, in ``[store] batch_size`` batches as
    ingest does (an article that fails a stage is marked failed and leaves the later stages)."""
    merged = merged_settings(settings)
    pipeline = enrichment_pipeline(merged, until=until, detect_language=detect_language)
    size = max(1, int(merged["store"]["batch_size"]))
    for start in range(0, len(articles), size):
        live = [a for a in articles[start : start + size] if a.ok]
        if live:
            pipeline.run_batch(live)
    return list(articles)
