"""The one place a full ingest is composed: reader → stages → store → update steps.

The CLI, the evaluators, and the coming web server and follow mode all ingest through here, so
what they measure and serve is what ingest does. `build_pipeline` gives the per-article stages,
`build_updater` the cross-article update steps (`storyline.update`) of a store, and `ingest` /
`reprocess` run them batch by batch:

- before running the pipeline on an input, its raw bytes are checked against the ingest checkpoint
  (the ``sources`` table, committed with the articles): an input already stored with the same
  bytes is "unchanged" and costs one hash, so a second run writes nothing and a killed run resumes
  where it stopped without redoing committed batches;
- the update steps catch up first (a run killed between a batch's commit and its update steps
  leaves them behind), then run after every committed batch, each from its own mark.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from storyline.article import Article
from storyline.config import shipped
from storyline.pipeline import Pipeline, Stage
from storyline.sources.files import ReadOptions, read_paths, source_key
from storyline.store.articles import Store, WriteResult, raw_hash
from storyline.update import Updater, UpdateReport, default_steps

#: Called with the number of changes an update step took in, and the step's name.
StepProgress = Callable[[int, str], None]


def foundation_stages(settings: dict[str, Any] | None = None) -> list[Stage]:
    """Read, extract, clean, date and identify: the stages every article goes through."""
    from storyline.extract.body import ExtractStage
    from storyline.extract.bylines import BylineStage
    from storyline.extract.clean import CleanStage
    from storyline.extract.dates import DateStage
    from storyline.extract.encoding import DecodeStage
    from storyline.extract.identity import IdentityStage
    from storyline.extract.language import LanguageStage
    from storyline.extract.lead_title import LeadTitleStage

    value = (settings or {}).get("language", {}).get("min_score")
    min_score = float(shipped("language", "min_score")() if value is None else value)
    return [
        DecodeStage(),
        ExtractStage(),
        CleanStage(),
        BylineStage(),
        DateStage(),
        LanguageStage(min_score),
        IdentityStage(),
        LeadTitleStage(),
    ]


class Batches(Protocol):
    """What ingest needs of a pipeline: run the stages over one batch."""

    def run_batch(self, articles: Sequence[Article]) -> list[Article]: ...


class LazyPipeline:
    """A pipeline built on its first batch: an ingest of unchanged, missing or unreadable inputs
    answers without importing the extractors or loading a model (issue 9: start-up)."""

    def __init__(self, build: Callable[[], Pipeline]) -> None:
        self._build = build
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = self._build()
        return self._pipeline

    def run_batch(self, articles: Sequence[Article]) -> list[Article]:
        return self.pipeline.run_batch(articles)


def build_pipeline(settings: dict[str, Any] | None = None, *, strict: bool = False) -> Pipeline:
    """The default ingest pipeline; enrichment stages join it when their capability lands."""
    stages = foundation_stages(settings)
    stages.extend(enrichment_stages(settings))
    budget = (settings or {}).get("ingest", {}).get("stage_seconds")
    return Pipeline(stages, strict=strict, time_budget=None if budget is None else float(budget))


def enrichment_stages(settings: dict[str, Any] | None = None) -> list[Stage]:
    """Stages that add facts: entities, actor keys, places, quotes, events, tone."""
    from storyline.nlp import stages as nlp_stages

    return list(nlp_stages.default_stages(settings))


def build_updater(store: Store, settings: Mapping[str, Any] | None = None) -> Updater:
    """The update steps of a store, in order: copies, actors, stories, dates from context."""
    return Updater(store, default_steps(settings if settings is not None else store.settings))


@dataclass
class IngestReport:
    read: int = 0
    result: WriteResult = field(default_factory=WriteResult)
    updates: UpdateReport = field(default_factory=UpdateReport)
    #: worker processes that ran the stages (1: this process) and their largest peak RSS in MB
    processes: int = 1
    worker_peak_mb: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 all stored, 1 some inputs failed (spaCy/trafilatura style: failures are counted)."""
        return 1 if self.result.failed else 0

    def summary(self) -> dict[str, Any]:
        r = self.result
        workers = (
            {"workers": {"processes": self.processes, "peak_mb": round(self.worker_peak_mb)}}
            if self.processes > 1
            else {}
        )
        return {
            **workers,
            "read": self.read,
            "stored": len(r.stored),
            "updated": len(r.updated),
            "unchanged": len(r.unchanged),
            "skipped": len(r.skipped),
            "failed": len(r.failed),
            "skipped_reasons": dict(Counter(reason for _, reason in r.skipped)),
            "failures": [{"source": s, "reason": reason} for s, reason in r.failed],
            "update_failures": {
                step: [{"key": k, "reason": why} for k, why in sorted(items.items())]
                for step, items in sorted(self.updates.failed.items())
            },
        }


def _update(updater: Updater | None, report: IngestReport, progress: StepProgress | None) -> None:
    if updater is None:
        return
    report.updates.extend(updater.run(progress))


def _already_done(known: Any, article: Article, report: IngestReport) -> bool:
    """Whether the checkpoint already holds this input's outcome (then nothing is written).

    Unchanged bytes that were stored or skipped are "unchanged"; unchanged bytes that failed,
    or an input that cannot be read for the reason already recorded, are reported as failed
    again from the checkpoint without being run (``--force`` runs them).
    """
    if article.failed:
        if known["status"] == "failed" and known["reason"] == article.failed:
            report.result.failed.append((article.source, article.failed))
            return True
        return False
    if known["raw_hash"] != raw_hash(article):
        return False
    if known["status"] in ("stored", "skipped"):
        report.result.unchanged.append(article.source)
        return True
    report.result.failed.append((article.source, str(known["reason"])))
    return True


def ingest(
    paths: Sequence[str],
    store: Store,
    pipeline: Batches,
    *,
    updater: Updater | None = None,
    options: ReadOptions | None = None,
    batch_size: int = 64,
    force: bool = False,
    progress: Callable[[Article], None] | None = None,
    step_progress: StepProgress | None = None,
    on_commit: Callable[[WriteResult], None] | None = None,
) -> IngestReport:
    """Read ``paths`` (files, folders, ``-``) and ingest what they hold (`ingest_articles`)."""
    return ingest_articles(
        read_paths(paths, options),
        store,
        pipeline,
        updater=updater,
        batch_size=batch_size,
        force=force,
        progress=progress,
        step_progress=step_progress,
        on_commit=on_commit,
    )


#: Batches whose stages may run ahead of the one being written: with two, a worker that ends
#: its part of a batch early takes up a part of the next one instead of waiting (2,000 articles,
#: 2 workers on 2 cores: 1.45 times one process with one batch ahead; see docs/scale.md).
AHEAD = 2


class _InFlight:
    """Batches whose stages run while the writer commits the batch before them.

    A batch's stages are started (`start`) as soon as it is full, and the batch before it is
    then written and its update steps run (`finish`) while the workers work: with a process
    pipeline the workers would otherwise wait for the one writer. Batches are still written one
    at a time, in input order, each followed by its update steps, so the store ends as the
    sequential run leaves it. A pipeline in this process (no ``submit_batch``) runs a batch's
    stages when it is finished, as before.
    """

    def __init__(self, pipeline: Batches, write: Callable[[list[tuple[str, Article]]], None]):
        self.pipeline = pipeline
        self.write = write
        #: batches left in flight after a flush: none for a pipeline in this process, whose
        #: stages could not run meanwhile (its batches are written as soon as they are full)
        self.ahead = AHEAD if hasattr(pipeline, "submit_batch") else 0
        self.batches: list[tuple[list[tuple[str, Article]], Callable[[], None]]] = []
        self.keys: set[str] = set()

    def start(self, batch: list[tuple[str, Article]]) -> None:
        slots = [i for i, (_, article) in enumerate(batch) if article.ok]
        live = [batch[i][1] for i in slots]
        submit = getattr(self.pipeline, "submit_batch", None)
        pending = submit(live) if submit is not None and live else None

        def land() -> None:
            """The stages' articles into their slots (a process pipeline returns new objects,
            in input order); a batch of unreadable inputs needs no pipeline."""
            if not slots:
                return
            done = pending() if pending is not None else self.pipeline.run_batch(live)
            for i, article in zip(slots, done, strict=True):
                batch[i] = (batch[i][0], article)

        self.batches.append((batch, land))
        self.keys.update(key for key, _ in batch)

    def finish(self, keep: int = 0) -> None:
        """Write the oldest batches until ``keep`` are left in flight."""
        while len(self.batches) > keep:
            batch, land = self.batches.pop(0)
            land()
            self.write(batch)
            self.keys = {key for b, _ in self.batches for key, _ in b}

    def holds(self, key: str) -> bool:
        """Whether an unwritten batch holds this source: what the store knows of it must wait
        until that batch is written."""
        return key in self.keys


def ingest_articles(
    articles: Iterable[Article],
    store: Store,
    pipeline: Batches,
    *,
    updater: Updater | None = None,
    batch_size: int = 64,
    force: bool = False,
    progress: Callable[[Article], None] | None = None,
    step_progress: StepProgress | None = None,
    on_commit: Callable[[WriteResult], None] | None = None,
    checkpoint: bool = True,
) -> IngestReport:
    """Run the pipeline on the new or changed ``articles`` (raw inputs from any reader: files,
    web archives, fetched pages), store them batch by batch, and bring the ``updater``'s steps up
    to date after each batch (None: articles only).

    ``on_commit`` is called after each batch's commit and before its update steps (follow mode
    marks its items done there; tests kill the process there). ``checkpoint``: let the steps
    save what they hold at the end (`Updater.checkpoint`); a caller that ingests batch after
    batch (follow mode) does it once it has taken everything in.
    """
    report = IngestReport()
    batch: list[tuple[str, Article]] = []
    _update(updater, report, step_progress)  # a killed run may have left them behind

    def write(done: list[tuple[str, Article]]) -> None:
        written = store.write_batch(done)
        report.result.add(written)
        if on_commit is not None:
            on_commit(written)
        _update(updater, report, step_progress)

    flight = _InFlight(pipeline, write)

    def flush() -> None:
        if not batch:
            return
        flight.start(list(batch))
        batch.clear()
        flight.finish(keep=flight.ahead)  # the batches before, while these ones' stages run

    for article in articles:
        report.read += 1
        key = source_key(article)
        if flight.holds(key):  # the same source twice: ask the store once the first is in it
            flight.finish()
        known = None if force else store.known_source(key)
        if known is not None and _already_done(known, article, report):
            if progress:
                progress(article)
            continue
        batch.append((key, article))
        if progress:
            progress(article)
        # Inputs that failed to be read take no slot: batches then hold the same articles on
        # every run, so a resumed run hands the update steps the batches a clean run would.
        if sum(1 for _, a in batch if not a.failed) >= batch_size:
            flush()
    flush()
    flight.finish()
    if updater is not None and checkpoint:
        updater.checkpoint()  # what the steps hold, saved for the next process
    return report


def reprocess(
    store: Store,
    pipeline: Batches,
    *,
    updater: Updater | None = None,
    batch_size: int = 64,
    progress: Callable[[Article], None] | None = None,
    step_progress: StepProgress | None = None,
) -> IngestReport:
    """Re-run the pipeline on every stored raw input, so improved stages need no original files;
    the update steps then take in every article that changed."""
    report = IngestReport()
    keys = {
        row["article_id"]: row["key"]
        for row in store.conn.execute("SELECT key, article_id FROM sources WHERE status='stored'")
    }
    batch: list[tuple[str, Article]] = []
    _update(updater, report, step_progress)

    def write(done: list[tuple[str, Article]]) -> None:
        report.result.add(store.write_batch(done))
        _update(updater, report, step_progress)

    flight = _InFlight(pipeline, write)

    def flush() -> None:
        flight.start(list(batch))
        batch.clear()
        flight.finish(keep=flight.ahead)

    for article in store.raw_inputs():
        report.read += 1
        previous = article.scratch["previous_id"]
        batch.append((keys.get(previous, f"reprocess:{previous}"), article))
        if progress:
            progress(article)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    flight.finish()
    if updater is not None:
        updater.checkpoint()
    return report


def ingest_paths(
    paths: Sequence[str],
    store: Store,
    settings: Mapping[str, Any] | None = None,
    *,
    options: ReadOptions | None = None,
    strict: bool = False,
    force: bool = False,
    progress: Callable[[Article], None] | None = None,
    step_progress: StepProgress | None = None,
    workers: int = 1,
) -> IngestReport:
    """A full ingest as the CLI runs it, with the store's (or the given) settings: the default
    stages (in ``workers`` processes when above one), the default update steps,
    ``[store] batch_size``."""
    from storyline import config

    merged = dict(settings if settings is not None else (store.settings or config.load()))
    with stages_for(merged, workers, strict=strict) as pipeline:
        report = ingest(
            paths,
            store,
            pipeline,
            updater=build_updater(store, merged),
            options=options,
            batch_size=int(merged["store"]["batch_size"]),
            force=force,
            progress=progress,
            step_progress=step_progress,
        )
        report.processes = getattr(pipeline, "workers", 1)
        report.worker_peak_mb = getattr(pipeline, "worker_peak_mb", 0.0)
    return report


@contextmanager
def stages_for(
    settings: Mapping[str, Any], workers: int = 1, *, strict: bool = False
) -> Iterator[Batches]:
    """The default stages, run here (built on the first batch that needs them) or, with
    ``workers`` above one, in that many worker processes (`storyline.pool`), shut down after."""
    build = partial(build_pipeline, dict(settings), strict=strict)
    if workers <= 1:
        yield LazyPipeline(build)
        return
    from storyline.pool import ProcessPipeline

    with ProcessPipeline(build, workers) as pool:
        yield pool
