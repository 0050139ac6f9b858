"""The per-article stages on every core: a pipeline whose batches run in worker processes.

Ingest and reprocess hand a batch to `ProcessPipeline.run_batch` exactly as to a `Pipeline`: the
batch is cut into one contiguous part per worker, each worker runs the same stages (its models
loaded once, when it starts) and sends its articles back, and the parts are put back together in
input order. Ingest starts the next batches (`submit_batch`) before it writes one, so the workers
work while the one writer commits the batch and the update steps run as they always do,
so the store ends as a one-process run leaves it: the stages work on one article at a time (the
entity model's batches do not couple articles), and nothing a stage keeps between articles
changes what it finds.

A worker runs the stages in its main thread, so the per-stage time budget (``SIGALRM``) holds
there too. Workers are spawned, not forked: the parent holds an open SQLite connection and may
run threads (follow mode's fetchers), neither of which survives a fork safely.

Our own pool rather than Dask here: one machine's cores need no scheduler, and the process pool
of the standard library keeps a worker's loaded models between batches.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from storyline.article import Article
from storyline.pipeline import Pipeline

__all__ = ["ProcessPipeline", "auto_workers", "cores", "peak_rss_kb", "run_stages"]

#: Inputs per worker below which a worker does not pay for itself (starting one loads the models:
#: about the cost of a dozen articles).
INPUTS_PER_WORKER = 100

#: How much nicer than the parent a worker runs. The parent is the one writer and runs the update
#: steps: serial work that every batch waits for. At the same priority, the workers (a core each)
#: took a third of its core from it, and the whole ingest waited for it (2,000 articles, 2 workers
#: on 2 cores: 1.50 times one process; see docs/scale.md).
WORKER_NICE = 5

_pipeline: Pipeline | None = None  # the worker's own, built once by `_start`


def cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def auto_workers(inputs: int, available: int | None = None) -> int:
    """Workers for ``inputs`` articles when the user did not say: one per `INPUTS_PER_WORKER`
    inputs, at most the cores available, at least one (one means: in this process)."""
    return max(1, min(available or cores(), inputs // INPUTS_PER_WORKER))


def _start(build: Callable[[], Pipeline]) -> None:
    global _pipeline
    # Ctrl-C reaches the terminal's whole process group; the parent decides what it means
    # (follow finishes the batch in hand), so a worker must not die of it mid-batch. SIGTERM is
    # left as it is: a service manager stopping the whole group stops the workers too.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if WORKER_NICE and hasattr(os, "nice"):
        os.nice(WORKER_NICE)
    _pipeline = build()
    _pipeline.setup()  # the models load now, before the first batch is timed


def _run_part(articles: list[Article]) -> tuple[list[Article], int]:
    """One worker's part of a batch; returns the articles and the worker's peak RSS in KB."""
    assert _pipeline is not None, "worker started without a pipeline"
    return run_stages(_pipeline, articles), peak_rss_kb()


def run_stages(pipeline: Pipeline, articles: Sequence[Article]) -> list[Article]:
    """Run the stages over ``articles`` in this process and make them ready to leave it: what
    a worker of any pool (this module's, a Dask worker of `storyline.scale`) does with a part."""
    done = pipeline.run_batch(articles)
    for article in done:
        # the parsed spaCy Doc serves later stages in this process only; it is not sent back
        article.scratch.pop("doc", None)
    return done


def peak_rss_kb() -> int:
    """This process's peak resident set so far, in KB (Linux's unit for ``ru_maxrss``)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class ProcessPipeline:
    """A `Pipeline` (built by ``build`` in each worker) run by ``workers`` processes.

    ``build`` must be picklable: a module-level function or a `functools.partial` of one.
    """

    def __init__(self, build: Callable[[], Pipeline], workers: int) -> None:
        self.build = build
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        #: the largest peak resident set seen in any worker, in MB (for the summary)
        self.worker_peak_mb = 0.0

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self.build,),
            )
        return self._executor

    def run_batch(self, articles: Sequence[Article]) -> list[Article]:
        """Run the stages over one batch in the workers; the articles come back in input order
        (new objects: the caller keeps the returned ones)."""
        return self.submit_batch(articles)()

    def submit_batch(self, articles: Sequence[Article]) -> Callable[[], list[Article]]:
        """Start the stages over one batch and return at once; calling the result waits for the
        batch and gives its articles, as `run_batch` does. Ingest starts the next batch before it
        writes this one, so the workers are not idle while the one writer commits and runs the
        update steps."""
        articles = list(articles)
        if not articles:
            return list
        size = -(-len(articles) // self.workers)
        parts = [articles[i : i + size] for i in range(0, len(articles), size)]
        futures = [self._pool().submit(_run_part, part) for part in parts]

        def collect() -> list[Article]:
            done: list[Article] = []
            for future in futures:
                part, peak_kb = future.result()
                done.extend(part)
                self.worker_peak_mb = max(self.worker_peak_mb, peak_kb / 1024)
            return done

        return collect

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> ProcessPipeline:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
