"""Runs the update steps over the store: in declared order, batch by batch, from their marks.

The steps take turns, one batch each per round (copies of batch 7, then actors of batch 7, then
stories of batch 7, ... then copies of batch 8): each step sees the tables of the steps before it
exactly as a run right after each write would have left them. So a run that catches up after a
kill, and one that ran after every batch, write the same rows.

Two writers on one store share the marks, so a step may find a batch the other writer committed
a moment ago, which the steps before it have not taken in yet (``count_volume`` counting an
article whose mentions ``link_actors`` has yet to link). A step therefore waits for a batch until
every step before it has taken in that batch and everything before it (`_waits`). What the
steps write then depends only on the articles; the order in which a step meets two writers'
batches (fixed in the feed when they commit) can still differ from one writer's, which only the
incremental story membership notices (`tests/update/test_order_independence.py` bounds it).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import StoreError, StoreFull, UpdateError
from storyline.store.changes import (
    clear_failures,
    failures,
    latest_seq,
    mark_of,
    marks,
    next_batch,
    pending,
    pending_count,
    set_mark,
    waiting_before,
)
from storyline.store.db import transaction
from storyline.update.step import StepRun, UpdateStep

__all__ = ["StepStatus", "UpdateReport", "Updater", "check_step_order"]

#: What the batch writer (`storyline.store.articles.Store.write_batch`) provides to the steps,
#: and the tables written outside the steps (by the writer, or by analysts' corrections).
WRITER_KINDS = ("article",)
WRITER_TABLES = (
    "actor_corrections",
    "articles",
    "article_agencies",
    "removed_text",
    "raw_inputs",
    "sources",
    "mentions",
    "quotes",
    "places",
    "events",
)


def check_step_order(steps: Sequence[UpdateStep]) -> None:
    """Fail before anything runs when a step follows or reads what no earlier step provides,
    or when two steps write the same table."""
    kinds = {k: "the batch writer" for k in WRITER_KINDS}
    tables = {t: "the batch writer" for t in WRITER_TABLES}
    names: set[str] = set()
    for step in steps:
        if not step.name:
            raise UpdateError(type(step).__name__, "an update step has no name", code="E602")
        if step.name in names:
            raise UpdateError(step.name, f"update step {step.name!r} appears twice", code="E603")
        names.add(step.name)
        for kind in step.follows:
            if kind not in kinds:
                raise UpdateError(
                    step.name,
                    f"update step {step.name!r} follows changes of kind {kind!r} that no earlier "
                    f"step emits; known kinds: {sorted(kinds)}. Put the step that emits them "
                    "first.",
                    code="E604",
                )
        for table in step.reads:
            if table not in tables:
                raise UpdateError(
                    step.name,
                    f"update step {step.name!r} reads table {table!r} that no earlier step "
                    f"writes; written so far: {sorted(tables)}",
                    code="E605",
                )
        for table in step.writes:
            if table in tables:
                raise UpdateError(
                    step.name,
                    f"update step {step.name!r} writes table {table!r}, already written by "
                    f"{tables[table]}",
                    code="E606",
                )
            tables[table] = f"step {step.name!r}"
        for kind in step.emits:
            kinds[kind] = f"step {step.name!r}"


@dataclass
class UpdateReport:
    """What one run of the steps did."""

    batches: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)
    failed: dict[str, dict[str, str]] = field(default_factory=dict)
    #: wall-clock seconds per step, commit included (for benchmarks and `storyline bench`)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, step: str, n_changes: int, failed: dict[str, str], seconds: float) -> None:
        self.batches[step] = self.batches.get(step, 0) + 1
        self.changes[step] = self.changes.get(step, 0) + n_changes
        self.seconds[step] = self.seconds.get(step, 0.0) + seconds
        if failed:
            self.failed.setdefault(step, {}).update(failed)

    def extend(self, other: UpdateReport) -> None:
        """Add another run's figures to these (an ingest runs the steps after every batch)."""
        for step, n in other.batches.items():
            self.batches[step] = self.batches.get(step, 0) + n
        for step, n in other.changes.items():
            self.changes[step] = self.changes.get(step, 0) + n
        for step, seconds in other.seconds.items():
            self.seconds[step] = self.seconds.get(step, 0.0) + seconds
        for step, items in other.failed.items():
            self.failed.setdefault(step, {}).update(items)


@dataclass
class StepStatus:
    """Where one step stands: for `storyline status`."""

    name: str
    version: str
    position: int
    lag: int
    failures: int
    updated_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


Progress = Callable[[int, str], None]


class Updater:
    """The steps of one store, run after each committed batch and whenever asked to catch up."""

    def __init__(self, store: Any, steps: Sequence[UpdateStep]) -> None:
        check_step_order(steps)
        self.store = store
        self.steps = list(steps)

    @property
    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = self.store.conn
        return conn

    def lag(self) -> dict[str, int]:
        """Changes each step has yet to take in."""
        return {
            s.name: pending_count(self.conn, s.follows, mark_of(self.conn, s.name, s.version))
            for s in self.steps
        }

    def status(self) -> list[StepStatus]:
        recorded = marks(self.conn)
        failed = failures(self.conn)
        out = []
        for step in self.steps:
            position = mark_of(self.conn, step.name, step.version)
            row = recorded.get(step.name)
            out.append(
                StepStatus(
                    name=step.name,
                    version=step.version,
                    position=position,
                    lag=pending_count(self.conn, step.follows, position),
                    failures=sum(1 for f in failed if f["step"] == step.name),
                    updated_at=row["updated_at"] if row else None,
                )
            )
        return out

    def run(self, progress: Progress | None = None) -> UpdateReport:
        """Bring every step up to date; returns what was done.

        Raises `UpdateError` naming the step when one cannot run (its batch is rolled back and
        its mark stays, so running again resumes there).
        """
        report = UpdateReport()
        busy = True
        while busy:
            busy = False
            for step in self.steps:
                done = self._run_one(step, report)
                if done and progress is not None:
                    progress(done, step.name)
                busy = busy or bool(done)
        return report

    def _run_one(self, step: UpdateStep, report: UpdateReport) -> int:
        """One batch of one step, in one transaction; returns how many changes it took in."""
        started = time.perf_counter()
        try:
            with transaction(self.conn, what=f"update step {step.name!r}") as conn:
                position = mark_of(conn, step.name, step.version)
                if step.synced is not None and step.synced != position:
                    step.forget()  # another process ran the step meanwhile
                changes = pending(conn, step.follows, position)
                if not changes:
                    step.synced = position
                    return 0
                if self._waits(conn, step, changes[0].batch):
                    return 0
                run = StepRun(conn, step, changes)
                step.apply(run)
                done = [c.key for c in changes if c.key not in run.failed]
                clear_failures(conn, step.name, done)
                set_mark(conn, step.name, step.version, changes[-1].seq)
        except StoreError as exc:
            step.forget()
            step.synced = None
            code = "E610" if isinstance(exc, StoreFull) else "E600"
            raise UpdateError(
                step.name,
                f"update step {step.name!r} stopped; its mark stays at the last committed batch "
                f"and the next run resumes there: {exc.message}",
                code=code,
            ) from exc
        except BaseException:
            step.forget()
            step.synced = None
            raise
        step.synced = changes[-1].seq
        if run.failed:
            step.forget()  # an isolated failure may have left memory ahead of the store
            step.synced = None
        else:
            step.committed(self.conn, changes[-1].seq)
        report.add(step.name, len(changes), run.failed, time.perf_counter() - started)
        return len(changes)

    def _waits(self, conn: sqlite3.Connection, step: UpdateStep, batch: int) -> bool:
        """Whether a step before ``step`` has yet to take in changes of ``batch`` or earlier:
        another writer's batch, committed after this run's earlier steps had their turn."""
        for earlier in self.steps:
            if earlier is step:
                return False
            position = mark_of(conn, earlier.name, earlier.version)
            if waiting_before(conn, earlier.follows, position, batch):
                return True
        return False

    def checkpoint(self) -> None:
        """The run comes to rest: each step that holds unsaved memory saves it (`checkpoint`),
        in a transaction of its own, if the store's mark is still the one its memory is at.

        What is saved is a cache for the next process (which otherwise rebuilds it), so a
        failure here is left for the next run: the batches are committed already.
        """
        for step in self.steps:
            if step.synced is None or not step.holds_unsaved():
                continue
            try:
                with transaction(self.conn, what=f"saving update step {step.name!r}") as conn:
                    if mark_of(conn, step.name, step.version) == step.synced:
                        step.checkpoint(conn, step.synced)
            except Exception:  # a cache not saved (a locked or full store): the next run will
                continue

    def rebuild(self, name: str) -> dict[str, int]:
        """Recompute one step's tables from the store and move its mark to the end of the feed;
        what changed is logged for the steps after it (run `run` to let them catch up)."""
        step = self.step(name)
        try:
            with transaction(self.conn, what=f"rebuilding {name!r}") as conn:
                counts = step.rebuild(StepRun(conn, step, [], batch=next_batch(conn)))
                position = latest_seq(conn)
                set_mark(conn, step.name, step.version, position)
        except BaseException:
            step.forget()
            step.synced = None
            raise
        step.synced = position
        step.committed(self.conn, position)
        return counts

    def step(self, name: str) -> UpdateStep:
        for step in self.steps:
            if step.name == name:
                return step
        raise UpdateError(
            name, f"no update step {name!r}; steps: {[s.name for s in self.steps]}", code="E607"
        )
