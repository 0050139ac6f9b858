"""`storyline bulk`: a large archive's stages on a Dask cluster, one writer beside it (issue 16).

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
2. **load**, while phase 1 runs: the inputs are read again and handed to
   `storyline.ingest.ingest_articles`, the function `ingest` runs, with a pipeline that answers
   from the shards instead of running the stages (`ShardLookup`, which waits for the next
   partition's shard when the cluster has not written it yet): the same checkpoint (an article
   already stored is skipped), the same batches and the same batch writer, so the store holds
   what `storyline ingest` of the same inputs would. Phase 1 runs in a thread beside it (a local
   cluster is closed as soon as the last shard is written), so the load does not wait for the
   whole archive's stages, only for the partition it is at: on a cluster the stages' time hides
   behind the one writer's, and on one machine the writer's core no longer idles while the
   workers work.
3. **update steps**: one pass over the change feed from their marks, a write batch at a time,
   each step right after its batch is written, as in `ingest` (steps left to run over the whole
   load at its end would see every article already stored; the storylines' profile weights read
   store-wide counts, so they would differ from ingest's).

A failure on either side stops both: an error of phase 1 (a hook, the cluster) is raised by the
load when it next needs a shard (once the load has had every shard it needs, the run stands and
its report names the error); an error of the load stops phase 1 and cancels its tasks in flight.
Either way what was written stays, and the next run resumes from the shards and the checkpoint.

The workers need storyline and its models installed (the same version as here) and no shared
folder: inputs go to them in the tasks and rows come back the same way; the shards are written
on this machine.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from contextlib import contextmanager, nullcontext
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
from storyline.pool import WORKER_NICE
from storyline.scale.shards import (
    load_article,
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
    #: an error of the stages after the load had every shard it needed ("" when none)
    stages_error: str = ""

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
                "stages_error": self.stages_error,
            },
            **self.ingest.summary(),
        }


# -- on the workers ------------------------------------------------------------------------------

_pipelines: dict[str, Pipeline] = {}
_lock = threading.Lock()  # a worker with several threads runs one partition's stages at a time
_niced = [False]


def _nice_process(nice: int) -> None:
    """Make every thread of this process ``nice`` nicer. Linux sets the priority per thread
    (`os.nice` moves the calling thread alone), and a Dask worker already runs its event loop,
    which (un)pickles the partitions, in threads of its own; threads started later inherit it."""
    try:
        tids = [int(t) for t in os.listdir("/proc/self/task")]
    except OSError:  # not Linux: the process-wide call
        if hasattr(os, "nice"):
            os.nice(nice)
        return
    for tid in tids:
        try:
            now = os.getpriority(os.PRIO_PROCESS, tid)
            os.setpriority(os.PRIO_PROCESS, tid, min(19, now + nice))
        except OSError:  # the thread ended meanwhile
            continue


def _pipeline(token: str, build: Callable[[], Pipeline], nice: int = 0) -> Pipeline:
    if nice and not _niced[0]:
        _nice_process(nice)  # once per worker process (see `run_stages_on_cluster`)
        _niced[0] = True
    if token not in _pipelines:
        pipeline = build()
        pipeline.setup()  # the models load once per worker process
        _pipelines[token] = pipeline
    return _pipelines[token]


def run_partition(
    build: Callable[[], Pipeline],
    token: str,
    nice: int,
    first: int,
    keys: Sequence[str],
    articles: Sequence[Article],
) -> tuple[pa.Table, int, str]:
    """One task: the stages over a partition's readable articles (unreadable ones pass as they
    are, as in ingest), as one shard's rows; this worker process's peak RSS in KB; and the
    worker's address. ``nice``: how much nicer than it started the worker process runs."""
    from storyline.pool import peak_rss_kb, run_stages

    ran = [a.ok for a in articles]
    live = [a for a in articles if a.ok]
    with _lock:
        done = iter(run_stages(_pipeline(token, build, nice), live) if live else [])
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


#: The share of the machine's memory a local cluster's workers hold together when
#: ``bulk.memory_limit`` is ``auto``: the load runs beside them in this process, and its
#: in-memory indexes grow with the store (1.9 GB at 100,000 stored; the copy index alone about
#: 6 GB at a million), so Dask's own ``auto`` (the whole machine for each worker's share) would
#: promise the workers memory the writer needs.
LOCAL_WORKERS_MEMORY = 0.5


def local_memory_limit(setting: str, workers: int) -> str:
    """Each local worker's memory limit: ``setting`` as given (``2GiB``), or for ``auto``
    `LOCAL_WORKERS_MEMORY` of the memory this process may use (the machine's, or its
    container's or rlimit's cap, as Dask reads it) shared among the ``workers``."""
    if setting.strip().lower() != "auto":
        return setting
    from distributed.system import MEMORY_LIMIT  # the machine's, or a container's cap

    return f"{int(MEMORY_LIMIT * LOCAL_WORKERS_MEMORY / max(1, workers)) // 2**20}MiB"


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
    count = workers if workers > 0 else cores()
    with (
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            memory_limit=local_memory_limit(memory_limit, count),
            dashboard_address=":0",  # no fixed port: runs side by side
            scheduler_kwargs={"dashboard": False},
        ) as cluster,
        Client(cluster) as client,
    ):
        from storyline.scale.local_workers import IgnoreInterrupt

        client.register_plugin(IgnoreInterrupt())
        yield client


# -- between the phases ---------------------------------------------------------------------------


class _End:
    """No partition at this index: phase 1 is over."""


END = _End()


class ShardFeed:
    """What phase 1 decided for each partition, as it decides: its shard, or None (every input
    already stored: no shard), so the load can take each partition as soon as it is ready and
    wait only for the one it is at. Shards come back in any order; the load asks in input
    order."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._decided: dict[int, Path | None] = {}
        # phase 1's end, and its error carried to the load's thread (raised there by `result`)
        self._outcome: Future[None] = Future()

    @property
    def error(self) -> BaseException | None:
        """What phase 1 stopped on (None: it has not ended, or ended well)."""
        return self._outcome.exception() if self._outcome.done() else None

    def put(self, index: int, shard: Path | None) -> None:
        with self._ready:
            self._decided[index] = shard
            self._ready.notify_all()

    def end(self, error: BaseException | None = None) -> None:
        """Phase 1 is over (``error``: it stopped on this)."""
        with self._ready:
            if error is not None:
                self._outcome.set_exception(error)
            else:
                self._outcome.set_result(None)
            self._ready.notify_all()

    def get(self, index: int) -> Path | _End | None:
        """Partition ``index``'s shard (None: it has none), waiting for phase 1 to decide;
        `END` past the last partition. Raises phase 1's error if it stopped before deciding."""
        with self._ready:
            while index not in self._decided and not self._outcome.done():
                self._ready.wait()
            if index in self._decided:
                return self._decided.pop(index)
            self._outcome.result()  # raises phase 1's error, if it stopped on one
            return END


class StopStages:
    """Stops phase 1 from another thread (the load's, when it fails or is interrupted): no more
    tasks are sent and those in flight are cancelled at once, not awaited (their shards would
    go unread)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._client: Client | None = None
        self._futures: dict[Any, Any] = {}

    def is_set(self) -> bool:
        return self._event.is_set()

    def set(self) -> None:
        self._event.set()
        self.cancel()

    def track(self, client: Client, future: Any) -> None:
        with self._lock:
            self._client = client
            self._futures[future.key] = future

    def done(self, key: Any) -> None:
        with self._lock:
            self._futures.pop(key, None)

    def cancel(self) -> None:
        """Cancel every task in flight (phase 1 then collects them as cancelled)."""
        with self._lock:
            client, futures = self._client, list(self._futures.values())
        if client is not None and futures:
            try:
                client.cancel(futures)
            except Exception:  # a client already closing: its tasks go with it
                pass


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
    feed: ShardFeed,
    *,
    stop: StopStages | None = None,
    nice: int = 0,
    progress: Advance | None = None,
    on_shard: Callable[[int], None] | None = None,
) -> None:
    """Phase 1: send each partition without a shard to the cluster, write the shards. Each
    partition's outcome (its shard, or None when the store holds every input) goes to ``feed``
    as soon as it is known; once ``stop`` is set no more tasks are sent, those in flight are
    cancelled and the function returns; when it raises, its tasks in flight are cancelled too.
    ``store`` is only read (which partitions it already holds): from phase 1's thread, give it
    a connection of its own.
    ``nice``: how much nicer the worker processes run (a local cluster's share the machine with
    the writer, whose serial work every batch waits for, as `storyline.pool.WORKER_NICE` says)."""
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    report.workers = workers
    run = partial(run_partition, build, token, nice)
    window = as_completed(with_results=False)
    pending: dict[Any, _Part] = {}
    halt = stop if stop is not None else StopStages()
    run_id = uuid.uuid4().hex[:8]  # keys of this run only: never another run's cached result

    def finished(part: _Part, table: pa.Table, peak_kb: int, where: str) -> None:
        path = shard_path(folder, part.index)
        write_shard(path, table, token)
        feed.put(part.index, path)
        report.shards_written += 1
        if where:
            report.worker_peak_mb[where] = max(report.worker_peak_mb.get(where, 0), peak_kb / 1024)
        if progress:
            progress(len(part.articles))
        if on_shard:
            on_shard(report.shards_written)

    def collect(future: Any) -> None:
        part = pending.pop(future.key)
        halt.done(future.key)
        if halt.is_set():
            return  # the load stopped: nobody waits for this shard
        try:
            table, peak_kb, where = future.result()
        except Exception:  # the task kept failing (KilledWorker) or raised: article by article
            report.partitions_split += 1
            table, peak_kb, where = _run_alone(client, run, part)
        finished(part, table, peak_kb, where)

    try:
        for part in parts:
            if halt.is_set():
                break
            report.partitions += 1
            path = shard_path(folder, part.index)
            if shard_matches(path, token, part.keys, part.digests):
                feed.put(part.index, path)
                report.shards_reused += 1
                if progress:
                    progress(len(part.articles))
                continue
            if _all_stored(store, part):
                feed.put(part.index, None)
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
            halt.track(client, future)
            window.add(future)
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                collect(next(window))
        if halt.is_set():
            halt.cancel()
        for future in window:
            collect(future)
    except BaseException:
        halt.cancel()  # a hook, a shard write or the cluster failed: nothing waits for the rest
        raise


# -- phase 2: load -------------------------------------------------------------------------------


class ShardLookup:
    """A `Batches` for `ingest_articles` that answers from the shards, in input order: the
    articles the stages already processed on the cluster, from the shards phase 1 hands to
    ``feed`` (waiting for it when the next one is not written yet). An article no shard holds
    (shards removed meanwhile) runs through ``fallback``, the stages in this process."""

    def __init__(self, feed: ShardFeed, token: str, fallback: Batches) -> None:
        self.feed = feed
        self.token = token
        self.fallback = fallback
        self._next = 0  # the next partition to ask the feed for
        self._loaded = 0  # shards read so far
        self._rows: dict[tuple[str, str], deque[tuple[int, bytes]]] = {}
        self.ran_here = 0

    def _load_next(self) -> bool:
        while True:
            shard = self.feed.get(self._next)
            if isinstance(shard, _End):
                return False
            self._next += 1
            if shard is not None:
                break
        index = self._loaded
        self._loaded += 1
        # input order: rows of shards two behind the one loaded now are never asked for again
        for wanted in [k for k, rows in self._rows.items() if rows[0][0] < index - 1]:
            del self._rows[wanted]
        for key, digest, article in read_articles(shard, self.token):
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
        return load_article(found)

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
    feed, stop = ShardFeed(), StopStages()
    count = int(conf["workers"]) if workers is None else workers

    def stages() -> None:
        """Phase 1, in its own thread, with its own connection to the store (it only reads)."""
        error: BaseException | None = None
        try:
            local = client is None and not scheduler  # a LocalCluster made here, on this machine
            cluster = (
                nullcontext(client)
                if client is not None
                else dask_client(scheduler, count, str(conf["memory_limit"]))
            )
            with Store(store.path, settings=settings) as reader, cluster as made:
                parts = _partitions(read_paths(paths, options), max(1, int(conf["partition"])))
                run_stages_on_cluster(
                    made, parts, reader, folder, token, build, report, feed,
                    stop=stop, nice=WORKER_NICE if local else 0,
                    progress=stage_progress, on_shard=on_shard,
                )  # fmt: skip
        except BaseException as exc:  # handed to the load, which raises it
            error = exc
        finally:
            feed.end(error)

    phase1 = threading.Thread(target=stages, name="bulk-stages", daemon=True)
    phase1.start()
    try:
        report.ingest = ingest_articles(
            read_paths(paths, options),
            store,
            ShardLookup(feed, token, LazyPipeline(build)),
            updater=build_updater(store, merged),
            batch_size=int(merged["store"]["batch_size"]),
            progress=progress,
            step_progress=step_progress,
            on_commit=on_commit,
        )
    except BaseException as exc:
        stop.set()  # the load stopped: so does phase 1, its tasks in flight cancelled
        phase1.join()
        if feed.error is not None and feed.error is not exc:
            exc.add_note(f"the stages on the cluster had stopped too: {feed.error!r}")
        raise
    # a load that ended has had every shard it needed; phase 1 still counts the partitions whose
    # inputs it found stored (no task for them), for the report
    phase1.join()
    if feed.error is not None:
        # after every partition the load needed was decided (closing the cluster, a hook): the
        # store is complete, so the run stands and the summary says what went wrong
        report.stages_error = f"{type(feed.error).__name__}: {feed.error}"
    return report
