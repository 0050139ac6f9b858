"""Runs named stages over batches of articles, with a progress bar and per-article failures.

A stage is a small class that declares which `Article` fields it reads and which it adds, like a
spaCy component. The pipeline checks the order before anything runs, so a stage placed before the
one that feeds it fails at construction with a message naming both, not halfway through a batch.
One article that breaks a stage is marked failed with the reason and the batch goes on.

A time budget per article and stage is the safety net behind the stages' own bounds (issue 15):
``budget`` seconds (``[ingest] stage_seconds``) for each started megabyte of the article (at
least one), so a 10 MB text may take ten times what a short one may. How it is enforced:

- in the main thread of a Unix process, a ``SIGALRM`` timer (``setitimer``) interrupts the
  stage; the article is marked failed with the stage and the time, the batch goes on. Python runs
  signal handlers between bytecodes and the regex engine checks for them as it scans, so this
  stops our code, regexes and spaCy's tokenizer; a single long call into C that never checks
  (a model's matrix product) is interrupted when it returns. A stage that works on a whole batch
  at once gets the sum of its articles' budgets; when that runs out, the articles it had not
  finished run again one at a time, each with its own budget.
- elsewhere (a worker thread, Windows, or a timer already set by someone else), nothing can
  interrupt a stage safely from outside: the stage runs to its end and an article that took
  longer than its budget is then marked failed the same way. The batch is delayed, not stopped.
A stage that ran in a worker process could be killed instead, at the price of sending every
article and model across processes; here the budget is a safety net, not the bound itself.
"""

from __future__ import annotations

import signal
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from storyline.article import READER_FIELDS, Article
from storyline.errors import PipelineError, Skip, stopped_by_user


class Stage:
    """Base class of a pipeline stage.

    Subclasses set ``name``, ``version``, ``reads`` and ``adds`` and implement ``process`` (one
    article) or ``process_batch`` (when a model is faster on batches, as spaCy's ``nlp.pipe``).
    Stages never talk to the store. Raise `Skip` for an expected rejection; any other exception
    marks the article failed.
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    reads: ClassVar[tuple[str, ...]] = ()
    adds: ClassVar[tuple[str, ...]] = ()
    #: Languages the stage's model or word lists handle (ISO 639-1); None means any. Articles in
    #: other languages pass by with a note, instead of getting facts from a model that cannot
    #: read them (an English NER model on French text yields junk actors).
    languages: ClassVar[frozenset[str] | None] = None

    def setup(self) -> None:
        """Load models once per process; called lazily before the first batch."""

    def process(self, article: Article) -> None:
        raise NotImplementedError

    def process_batch(self, articles: Sequence[Article]) -> None:
        for article in articles:
            run_one(self, article)


class StageTimeout(BaseException):
    """Raised inside a stage when its time budget runs out (a BaseException, so a stage's own
    ``except Exception`` cannot swallow it)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"over the time budget of {seconds:g} s")
        self.seconds = seconds


def budget_for(article: Article, seconds: float) -> float:
    """The article's budget per stage: ``seconds`` per started megabyte of it (at least one)."""
    size = max(len(article.text), len(article.raw))
    return seconds * max(1, -(-size // 1_000_000))


class _Timer:
    """Arms SIGALRM for ``seconds`` where that is safe (module docstring); else only measures."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.armed = False
        self.interruptible = False
        self.started = 0.0
        self._previous: Any = None

    def __enter__(self) -> _Timer:
        self.started = time.monotonic()
        if not self.seconds or not _can_interrupt():
            return self
        self._previous = signal.signal(signal.SIGALRM, self._expired)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        self.armed = self.interruptible = True
        return self

    def _expired(self, signum: int, frame: Any) -> None:
        raise StageTimeout(self.seconds or 0.0)

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self.armed = False

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def over(self) -> bool:
        """Whether the budget ran out (checked after a stage that could not be interrupted)."""
        return bool(self.seconds) and self.elapsed > (self.seconds or 0.0)


def _can_interrupt() -> bool:
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return False
    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        return False  # someone else's timer: leave it alone
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def _timed_out(stage: Stage, article: Article, seconds: float) -> None:
    article.failed = (
        f"stage {stage.name} stopped after {seconds:.1f} s: over its time budget "
        "(ingest.stage_seconds per started MB of the article)"
    )


def run_one(stage: Stage, article: Article, budget: float | None = None) -> None:
    """Run one stage on one article, turning exceptions into a recorded failure or skip, within
    ``budget`` seconds per started MB of the article (None or 0: no budget)."""
    timer = _Timer(budget_for(article, budget) if budget else None)
    try:
        with timer:
            stage.process(article)
        if timer.over():
            _timed_out(stage, article, timer.elapsed)
            return
        article.stages[stage.name] = stage.version
    except StageTimeout:
        _timed_out(stage, article, timer.elapsed)
    except Skip as exc:
        article.skipped = exc.reason
    except Exception as exc:
        if stopped_by_user(exc):  # Ctrl-C inside a lazy import: stop, store no failure
            raise KeyboardInterrupt from exc
        where = traceback.extract_tb(exc.__traceback__)[-1]
        article.failed = (
            f"stage {stage.name} failed: {type(exc).__name__}: {exc} "
            f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
        )


@dataclass
class RunStats:
    """Counts for the run summary; reasons are kept so drops are never silent."""

    seen: int = 0
    ok: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: list[tuple[str, str]] = field(default_factory=list)


class Pipeline:
    """An ordered list of stages whose declared reads and adds have been checked."""

    def __init__(
        self, stages: Sequence[Stage], *, strict: bool = False, time_budget: float | None = None
    ) -> None:
        """``time_budget``: seconds per stage and started MB of an article (module docstring);
        None takes ``[ingest] stage_seconds`` from the shipped settings, 0 turns it off."""
        self.stages = list(stages)
        self.strict = strict
        if time_budget is None:
            from storyline.config import shipped

            time_budget = float(shipped("ingest", "stage_seconds")())
        self.time_budget = time_budget
        self._ready = False
        check_order(self.stages)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def setup(self) -> None:
        if not self._ready:
            for stage in self.stages:
                stage.setup()
            self._ready = True

    def run_batch(self, articles: Sequence[Article]) -> list[Article]:
        """Run every stage over one batch; articles that fail or skip leave the later stages."""
        self.setup()
        for stage in self.stages:
            live = [a for a in articles if a.ok and handles(stage, a)]
            if not any(a.ok for a in articles):
                break
            if not live:
                continue
            self._run_stage(stage, live)
            if self.strict:
                bad = [a for a in live if a.failed]
                if bad:
                    raise PipelineError(
                        f"{bad[0].source}: {bad[0].failed}; stopped there (strict mode: run "
                        "without --strict to record failed articles and go on)"
                    )
        return list(articles)

    def _run_stage(self, stage: Stage, live: list[Article]) -> None:
        """One stage over the live articles of a batch, each within its time budget."""
        budget = self.time_budget
        if type(stage).process_batch is Stage.process_batch:
            for article in live:
                run_one(stage, article, budget)
            return
        total = sum(budget_for(a, budget) for a in live) if budget else None
        timer = _Timer(total)
        try:
            with timer:
                stage.process_batch(live)
        except (Exception, StageTimeout):
            # Run again one at a time what the batch did not finish: each article gets its own
            # failure (or budget) instead of failing the batch.
            for article in live:
                if article.ok and stage.name not in article.stages:
                    run_one(stage, article, budget)
            return
        for article in live:
            if article.ok:
                article.stages.setdefault(stage.name, stage.version)
        if len(live) == 1 and live[0].ok and not timer.interruptible and timer.over():
            _timed_out(stage, live[0], timer.elapsed)  # could not be stopped: noted afterwards

    def run(
        self,
        articles: Iterable[Article],
        batch_size: int = 64,
        on_batch: Callable[[list[Article]], None] | None = None,
    ) -> Iterator[Article]:
        from more_itertools import chunked  # here: 17 ms to import, and every CLI call loads us

        # lists of batch_size articles, the last shorter; below 1, one article at a time
        for batch in chunked(articles, max(batch_size, 1)):
            done = self.run_batch(batch)
            if on_batch is not None:
                on_batch(done)
            yield from done


def handles(stage: Stage, article: Article) -> bool:
    """Whether the stage can read the article's language; records a note when it cannot."""
    if stage.languages is None or (article.language or "und") in stage.languages:
        return True
    handled = ", ".join(sorted(stage.languages))
    note = f"{stage.name}: not run on language {article.language} (handles {handled})"
    if note not in article.problems:
        article.problems.append(note)
    return False


def check_order(stages: Sequence[Stage]) -> None:
    """Fail early when a stage reads a field that no earlier stage (or reader) provides."""
    available: dict[str, str] = {f: "reader" for f in READER_FIELDS}
    seen: set[str] = set()
    for stage in stages:
        if not stage.name:
            raise PipelineError(
                f"stage {type(stage).__name__} has no name; set its class attribute `name`",
                code="E301",
            )
        if stage.name in seen:
            raise PipelineError(
                f"stage {stage.name!r} appears twice; keep one of them", code="E302"
            )
        seen.add(stage.name)
        missing = [f for f in stage.reads if f not in available]
        if missing:
            providers = ", ".join(sorted(set(available.values())))
            raise PipelineError(
                f"stage {stage.name!r} reads {missing} but no earlier stage adds them; "
                f"earlier stages: {providers}. Put the stage that adds them first.",
                code="E303",
            )
        for added in stage.adds:
            available[added] = stage.name
