"""`storyline bulk`: a large archive's stages on a Dask cluster, then one writer (issue 16).

Three phases, each resumable:

1. **stages on the cluster.** The inputs are read here, in the order `ingest` reads them, and
   cut into partitions of ``bulk.partition`` articles. Each partition is one task: a Dask worker
   runs the default stages over it (`storyline.ingest.build_pipeline`, built once per worker
   process, run by `storyline.pool.run_stages`: the code `ingest --workers` runs) and sends back
   one row per article, which is written here as a Parquet shard (`storyline.scale.shards`). A
   partition whose shard already exists for the same inputs and settings is not sent; nor is one
   whose every input the store's checkpoint already holds. A worker that dies takes its tasks
   with it and Dask runs them again on another; a partition whose task keeps failing is run one
   article per task, and an article whose own task fails is recorded as failed with the reason.
2. **load.** The inputs are read again and handed to `storyline.ingest.ingest_articles`, the
   function `ingest` runs, with a pipeline that answers from the shards instead of running the
   stages: the same checkpoint (an article already stored is skipped), the same batches and the
   same batch writer, so the store holds what `storyline ingest` of the same inputs would.
3. **update steps**: one pass over the change feed from their marks, a write batch at a time,
   each step right after its batch is written, as in `ingest` (steps left to run over the whole
   load at its end would see every article already stored; the storylines' profile weights read
   store-wide counts, so they would differ from ingest's).

The workers need storyline and its models installed (the same version as here) and no shared
folder: inputs go to them in the tasks and rows come back the same way; the shards are written
on this machine.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.article import Article
from storyline.errors import ConfigError
from storyline.ingest import (
    Batches,
    IngestReport,
    LazyPipeline,
    StepProgress,
    build_pipeline,
    build_updater,
    ingest_articles,
)
from storyline.pipeline import Pipeline
from storyline.scale.shards import (
    read_articles,
    settings_token,
    shard_key,
    shard_matches,
    shard_path,
    shard_table,
    write_shard,
)
from storyline.sources.files import ReadOptions, read_paths, source_key
from storyline.store.articles import Store, raw_hash

if TYPE_CHECKING:  # dask loads only when a bulk run starts
    import pyarrow as pa
    from distributed import Client

__all__ = ["BulkReport", "bulk", "dask_client", "run_partition"]

#: Tasks in flight per worker: enough to keep each busy while its last result comes back, few
#: enough that the inputs held here stay bounded.
IN_FLIGHT_PER_WORKER = 2

#: Called with the number of articles whose stages finished (phase 1) or that were loaded.
Advance = Callable[[int], None]


@dataclass
class BulkReport:
    """What a bulk run did: the load's `IngestReport` plus the cluster's part."""

    ingest: IngestReport = field(default_factory=IngestReport)
    partitions: int = 0
    shards_written: int = 0
    shards_reused: int = 0
    #: partitions whose every input the store already held: no task, no shard
    partitions_stored: int = 0
    #: partitions run again one article per task after their task kept failing
    partitions_split: int = 0
    workers: int = 0
    #: the peak resident memory of each worker process that ran a task (address -> MB)
    worker_peak_mb: dict[str, float] = field(default_factory=dict)
    shards: str = ""

    @property
    def exit_code(self) -> int:
        return self.ingest.exit_code

    def summary(self) -> dict[str, Any]:
        peaks = sorted(self.worker_peak_mb.values())
        return {
            "bulk": {
                "workers": self.workers,
                "partitions": self.partitions,
                "shards_written": self.shards_written,
                "shards_reused": self.shards_reused,
                "partitions_already_stored": self.partitions_stored,
                "partitions_split": self.partitions_split,
                "shards": self.shards,
                "worker_peak_mb": round(peaks[-1]) if peaks else 0,
                "worker_processes": len(peaks),
            },
            **self.ingest.summary(),
        }


# -- on the workers ------------------------------------------------------------------------------

_pipelines: dict[str, Pipeline] = {}
_lock = threading.Lock()  # a worker with several threads runs one partition's stages at a time


def _pipeline(token: str, build: Callable[[], Pipeline]) -> Pipeline:
    if token not in _pipelines:
        pipeline = build()
        pipeline.setup()  # the models load once per worker process
        _pipelines[token] = pipeline
    return _pipelines[token]


def run_partition(
    build: Callable[[], Pipeline],
    token: str,
    first: int,
    keys: Sequence[str],
    articles: Sequence[Article],
) -> tuple[pa.Table, int, str]:
    """One task: the stages over a partition's readable articles (unreadable ones pass as they
    are, as in ingest), as one shard's rows; this worker process's peak RSS in KB; and the
    worker's address."""
    from storyline.pool import peak_rss_kb, run_stages

    ran = [a.ok for a in articles]
    live = [a for a in articles if a.ok]
    with _lock:
        done = iter(run_stages(_pipeline(token, build), live) if live else [])
    out = [next(done) if r else a for a, r in zip(articles, ran, strict=True)]
    digests = [raw_hash(a) for a in articles]
    return shard_table(first, keys, digests, out, ran), peak_rss_kb(), _this_worker()


def _this_worker() -> str:
    """The address of the Dask worker running this task ('' outside one)."""
    from distributed import get_worker

    try:
        return str(get_worker().address)
    except ValueError:
        return ""


# -- the cluster ---------------------------------------------------------------------------------


@contextmanager
def dask_client(
    scheduler: str | None = None, workers: int = 0, memory_limit: str = "auto"
) -> Iterator[Client]:
    """A client of the Dask scheduler at ``scheduler``, or of a `LocalCluster` of ``workers``
    processes (0: one per core) of one thread each, closed after."""
    from distributed import Client, LocalCluster

    from storyline.pool import cores

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ConfigError(
                f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({exc}); start "
                "one with `dask scheduler` and workers with `dask worker ADDRESS`, or leave "
                "--scheduler out for a local cluster",
                code="E530",
                setting="--scheduler",
            ) from exc
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers if workers > 0 else cores(),
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=":0",  # no fixed port: runs side by side
            scheduler_kwargs={"dashboard": False},
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


# -- phase 1: stages on the cluster --------------------------------------------------------------


@dataclass
class _Part:
    index: int
    first: int
    keys: list[str]
    articles: list[Article]

    @property
    def digests(self) -> list[str]:
        return [raw_hash(a) for a in self.articles]


def _partitions(articles: Iterator[Article], size: int) -> Iterator[_Part]:
    from more_itertools import chunked

    first = 0
    for index, chunk in enumerate(chunked(articles, size)):
        yield _Part(index, first, [source_key(a) for a in chunk], chunk)
        first += len(chunk)


def _all_stored(store: Store, part: _Part) -> bool:
    """Whether the checkpoint already holds every input of the partition, unchanged."""
    for key, article in zip(part.keys, part.articles, strict=True):
        known = store.known_source(key)
        if known is None:
            return False
        if article.failed:
            if known["status"] != "failed" or known["reason"] != article.failed:
                return False
        elif known["raw_hash"] != raw_hash(article):
            return False
    return True


def _lost(article: Article, why: BaseException) -> Article:
    """An article whose own task failed (a document that kills or breaks the worker)."""
    said = " ".join(str(why).split())
    said = said if len(said) <= 200 else said[:199] + "…"
    article.failed = (
        f"E310 the stages could not finish on a Dask worker ({type(why).__name__}: {said}); "
        "the run went on without this document"
    )
    return article


def _run_alone(client: Client, run: Callable[..., Any], part: _Part) -> tuple[pa.Table, int, str]:
    """A partition whose task kept failing: one task per article, one at a time (a worker that
    dies takes every task it holds with it, so only the document running is to blame), so only
    the documents that break a worker fail, with the reason, not their neighbours."""
    import pickle

    ran = [a.ok for a in part.articles]
    done: list[Article] = []
    peak, where = 0, ""
    for i, (key, article, live) in enumerate(zip(part.keys, part.articles, ran, strict=True)):
        try:
            future = client.submit(run, part.first + i, [key], [article], pure=False)
            table, kb, where = future.result()
        except Exception as exc:  # the worker died on this document, or a stage escaped
            done.append(_lost(replace(article), exc))
            continue
        blob = table.column("article")[0].as_py()
        done.append(pickle.loads(blob) if live and blob is not None else article)
        peak = max(peak, kb)
    return shard_table(part.first, part.keys, part.digests, done, ran), peak, where


def run_stages_on_cluster(
    client: Client,
    parts: Iterator[_Part],
    store: Store,
    folder: Path,
    token: str,
    build: Callable[[], Pipeline],
    report: BulkReport,
    *,
    progress: Advance | None = None,
    on_shard: Callable[[int], None] | None = None,
) -> list[Path]:
    """Phase 1: send each partition without a shard to the cluster, write the shards; returns
    the shard of every partition that has one, in input order."""
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    report.workers = workers
    run = partial(run_partition, build, token)
    window = as_completed(with_results=False)
    pending: dict[Any, _Part] = {}
    shards: dict[int, Path] = {}
    run_id = uuid.uuid4().hex[:8]  # keys of this run only: never another run's cached result

    def finished(part: _Part, table: pa.Table, peak_kb: int, where: str) -> None:
        path = shard_path(folder, part.index)
        write_shard(path, table, token)
        shards[part.index] = path
        report.shards_written += 1
        if where:
            report.worker_peak_mb[where] = max(report.worker_peak_mb.get(where, 0), peak_kb / 1024)
        if progress:
            progress(len(part.articles))
        if on_shard:
            on_shard(report.shards_written)

    def collect(future: Any) -> None:
        part = pending.pop(future.key)
        try:
            table, peak_kb, where = future.result()
        except Exception:  # the task kept failing (KilledWorker) or raised: article by article
            report.partitions_split += 1
            table, peak_kb, where = _run_alone(client, run, part)
        finished(part, table, peak_kb, where)

    for part in parts:
        report.partitions += 1
        path = shard_path(folder, part.index)
        if shard_matches(path, token, part.keys, part.digests):
            shards[part.index] = path
            report.shards_reused += 1
            if progress:
                progress(len(part.articles))
            continue
        if _all_stored(store, part):
            report.partitions_stored += 1
            if progress:
                progress(len(part.articles))
            continue
        future = client.submit(
            run,
            part.first,
            part.keys,
            part.articles,
            pure=False,
            key=f"bulk-{token}-{run_id}-{part.index}",
        )
        pending[future.key] = part
        window.add(future)
        while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
            collect(next(window))
    for future in window:
        collect(future)
    return [shards[i] for i in sorted(shards)]


# -- phase 2: load -------------------------------------------------------------------------------


class ShardLookup:
    """A `Batches` for `ingest_articles` that answers from the shards, in input order: the
    articles the stages already processed on the cluster. An article no shard holds (shards
    removed meanwhile) runs through ``fallback``, the stages in this process."""

    def __init__(self, shards: Sequence[Path], token: str, fallback: Batches) -> None:
        self.shards = list(shards)
        self.token = token
        self.fallback = fallback
        self._next = 0
        self._rows: dict[tuple[str, str], deque[tuple[int, Article]]] = {}
        self.ran_here = 0

    def _load_next(self) -> bool:
        if self._next >= len(self.shards):
            return False
        index = self._next
        self._next += 1
        # input order: rows of shards two behind the one loaded now are never asked for again
        for wanted in [k for k, rows in self._rows.items() if rows[0][0] < index - 1]:
            del self._rows[wanted]
        for key, digest, article in read_articles(self.shards[index], self.token):
            self._rows.setdefault((key, digest), deque()).append((index, article))
        return True

    def _find(self, article: Article) -> Article | None:
        wanted = (shard_key(source_key(article)), raw_hash(article))
        while wanted not in self._rows:
            if not self._load_next():
                return None
        rows = self._rows[wanted]
        found = rows.popleft()[1]
        if not rows:
            del self._rows[wanted]
        return found

    def run_batch(self, articles: Sequence[Article]) -> list[Article]:
        found = [self._find(a) for a in articles]
        missing = [a for a, f in zip(articles, found, strict=True) if f is None]
        if missing:
            self.ran_here += len(missing)
            ran = iter(self.fallback.run_batch(missing))
            found = [f if f is not None else next(ran) for f in found]
        return [f for f in found if f is not None]


# -- the whole run -------------------------------------------------------------------------------


def bulk(
    paths: Sequence[str],
    store: Store,
    settings: Mapping[str, Any],
    *,
    client: Client | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    shards: str | Path | None = None,
    options: ReadOptions | None = None,
    stage_progress: Advance | None = None,
    progress: Callable[[Article], None] | None = None,
    step_progress: StepProgress | None = None,
    on_shard: Callable[[int], None] | None = None,
    on_commit: Callable[[Any], None] | None = None,
    build: Callable[[], Pipeline] | None = None,
) -> BulkReport:
    """Ingest ``paths`` with the stages on a Dask cluster (module docstring): ``client``, else
    the scheduler at ``scheduler``, else a local cluster of ``workers`` processes (``bulk.workers``
    when None). Shards go to ``shards`` (``bulk.shards``, else ``<store>.shards``).
    ``on_shard`` (after each shard written) and ``on_commit`` (after each batch loaded) are the
    seams tests kill the run at; ``build`` makes the stages on each worker (a picklable
    callable; default `build_pipeline` of the settings: tests add a stage that crashes)."""
    merged = dict(settings)
    conf = merged["bulk"]
    folder = Path(shards or conf["shards"] or f"{store.path}.shards")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"--shards {folder}: cannot make the shard folder ({exc.strerror or exc})",
            code="E531",
            setting="bulk.shards",
        ) from exc
    token = settings_token(merged)
    build = build or partial(build_pipeline, merged)
    report = BulkReport(shards=str(folder))
    parts = _partitions(read_paths(paths, options), max(1, int(conf["partition"])))
    if client is not None:
        written = run_stages_on_cluster(
            client, parts, store, folder, token, build, report,
            progress=stage_progress, on_shard=on_shard,
        )  # fmt: skip
    else:
        count = int(conf["workers"]) if workers is None else workers
        with dask_client(scheduler, count, str(conf["memory_limit"])) as made:
            written = run_stages_on_cluster(
                made, parts, store, folder, token, build, report,
                progress=stage_progress, on_shard=on_shard,
            )  # fmt: skip
    lookup = ShardLookup(written, token, LazyPipeline(build))
    report.ingest = ingest_articles(
        read_paths(paths, options),
        store,
        lookup,
        updater=build_updater(store, merged),
        batch_size=int(merged["store"]["batch_size"]),
        progress=progress,
        step_progress=step_progress,
        on_commit=on_commit,
    )
    return report
