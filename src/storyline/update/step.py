"""What an update step is: cross-article work over the store, declared and resumable.

A step is to the store what a `storyline.pipeline.Stage` is to one article. It declares

- ``follows``: the kinds of change it takes in from the feed (`storyline.store.changes`):
  ``article`` for what the batch writer stored, or a kind an earlier step ``emits``;
- ``reads`` and ``writes``: the tables it reads and the tables it alone writes;

and implements `UpdateStep.apply`, called with one batch of changes inside one ``BEGIN IMMEDIATE``
transaction that also advances the step's mark. So a step's writes and its position land together:
killed before the commit, it does the same batch again; new to a filled store, it starts at 0 and
backfills. The runner (`storyline.update.runner`) checks the declared order and runs the steps.

One thing (an article, a story) that makes the step raise is isolated in a SAVEPOINT: its partial
writes are undone, the reason is recorded in ``update_failures`` and the batch goes on. A database
error (a full disk) is not one thing's fault: it stops the step, nothing of the batch is committed,
and the next run resumes at the same mark.
"""

from __future__ import annotations

import sqlite3
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from storyline.article import Article
from storyline.errors import StoreError, UpdateError, stopped_by_user
from storyline.store.articles import read_articles
from storyline.store.changes import Change, log_changes, record_failure

__all__ = ["StepRun", "UpdateStep"]


class UpdateStep:
    """Base class of an update step; subclasses set the class attributes and ``apply``."""

    name: ClassVar[str] = ""
    #: Bump when what the step computes changes: the step then starts over from the beginning.
    version: ClassVar[str] = "1"
    follows: ClassVar[tuple[str, ...]] = ("article",)
    emits: ClassVar[tuple[str, ...]] = ()
    reads: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.settings: Mapping[str, Any] = settings or {}
        #: The mark this process last committed for the step; None: memory not yet loaded.
        self.synced: int | None = None

    def apply(self, run: StepRun) -> None:
        """Take in one batch of changes (``run.changes``), inside the step's transaction."""
        raise NotImplementedError

    def forget(self) -> None:
        """Drop what the step holds in memory; it is reloaded from the store when next needed.

        Called when the transaction rolled back, and when another process moved the step's mark
        (its in-memory state would be behind the store).
        """

    def committed(self, conn: sqlite3.Connection, position: int) -> None:
        """Called after a batch of the step (or its rebuild) committed with no failure, outside
        any transaction: what the step holds in memory now matches the store at mark
        ``position``, so it may keep a copy of it (``find_copies`` saves its index to a file
        beside the store). It must not raise: the batch is already in the store."""

    def holds_unsaved(self) -> bool:
        """Whether the step holds in memory something worth saving for the next process that
        it has not saved (`checkpoint`)."""
        return False

    def checkpoint(self, conn: sqlite3.Connection, position: int) -> None:
        """Save what the step holds in memory, exact at mark ``position`` (the store's mark,
        checked inside this transaction), when a run comes to rest (the end of an ingest, of
        ``storyline update``): the next process reads it instead of rebuilding it."""

    def rebuild(self, run: StepRun) -> dict[str, int]:
        """Recompute everything the step writes from the store (repair, evaluation), emitting
        what changed for the steps after it; ``run.changes`` is empty."""
        raise NotImplementedError(f"update step {self.name!r} has no rebuild")


@dataclass
class StepRun:
    """One batch of changes for one step, and what the step may do with it."""

    conn: sqlite3.Connection
    step: UpdateStep
    changes: list[Change]
    #: the batch the changes belong to (what the step emits joins it); a rebuild gets a new one
    batch: int = 0
    failed: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.batch and self.changes:
            self.batch = self.changes[0].batch

    def keys(self, kind: str) -> list[str]:
        """The keys of this batch's changes of one kind, in feed order."""
        return [c.key for c in self.changes if c.kind == kind]

    def seq_of(self, key: str) -> int:
        for change in self.changes:
            if change.key == key:
                return change.seq
        return self.changes[-1].seq

    def emit(self, kind: str, keys: Sequence[str]) -> None:
        """Log changes for the steps after this one (in this batch)."""
        if kind not in self.step.emits:
            raise UpdateError(
                self.step.name,
                f"update step {self.step.name!r} emits {kind!r} but declares only "
                f"{list(self.step.emits)}; add it to the step's `emits`",
                code="E601",
            )
        if keys:
            log_changes(self.conn, kind, keys, self.batch)

    def articles(self, ids: Sequence[str]) -> tuple[list[Article], list[str]]:
        """The stored articles of ``ids`` (as the writer stored them) and the ids now gone."""
        found = read_articles(self.conn, ids)
        present = {a.id for a in found}
        return found, [i for i in ids if i not in present]

    @contextmanager
    def each(self, key: str) -> Iterator[None]:
        """Isolate the work on one thing: if it raises, undo its writes, record why, go on."""
        self.conn.execute("SAVEPOINT one_thing")
        try:
            yield
        except (sqlite3.Error, StoreError, UpdateError):
            raise  # the database (or the step's code) is at fault: the whole batch stops
        except Exception as exc:
            if stopped_by_user(exc):  # Ctrl-C inside a lazy import: the batch stops, no failure
                raise KeyboardInterrupt from exc
            self.conn.execute("ROLLBACK TO one_thing")
            self.conn.execute("RELEASE one_thing")
            where = traceback.extract_tb(exc.__traceback__)[-1]
            reason = (
                f"{type(exc).__name__}: {exc} ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
            )
            self.failed[key] = reason
            record_failure(self.conn, self.step.name, key, self.seq_of(key), reason)
        else:
            self.conn.execute("RELEASE one_thing")
