"""Runs named stages over batches of articles, with a progress bar and per-article failures.

A stage is a small class that declares which `Article` fields it reads and which it adds, like a
spaCy component. The pipeline checks the order before anything runs, so a stage placed before the
one that feeds it fails at construction with a message naming both, not halfway through a batch.
One article that breaks a stage is marked failed with the reason and the batch goes on.
"""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from storyline.article import READER_FIELDS, Article
from storyline.errors import PipelineError, Skip


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


def run_one(stage: Stage, article: Article) -> None:
    """Run one stage on one article, turning exceptions into a recorded failure or skip."""
    try:
        stage.process(article)
        article.stages[stage.name] = stage.version
    except Skip as exc:
        article.skipped = exc.reason
    except Exception as exc:
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

    def __init__(self, stages: Sequence[Stage], *, strict: bool = False) -> None:
        self.stages = list(stages)
        self.strict = strict
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
            try:
                stage.process_batch(live)
            except Exception:
                for article in live:
                    if article.ok and stage.name not in article.stages:
                        run_one(stage, article)
            else:
                for article in live:
                    if article.ok:
                        article.stages.setdefault(stage.name, stage.version)
            if self.strict:
                bad = [a for a in live if a.failed]
                if bad:
                    raise PipelineError(
                        f"{bad[0].source}: {bad[0].failed}; stopped there (strict mode: run "
                        "without --strict to record failed articles and go on)"
                    )
        return list(articles)

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
