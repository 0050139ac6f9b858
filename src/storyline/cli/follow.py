"""`storyline follow` and `storyline fetch`: take in followed sources and pages.

Thin wrappers over `storyline.follow.Follower`. A live status line goes to stderr on a terminal;
the summary goes to stdout. Ctrl-C or SIGTERM finishes the batch in hand and exits cleanly (a
second Ctrl-C stops at once; the store stays consistent either way, and the next run resumes).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import typer
from rich.live import Live
from rich.text import Text

from storyline.cli.output import emit_json, err, fail, open_store, out, state, yield_cpu
from storyline.errors import StorylineError
from storyline.follow import Follower, FollowReport, Status, fetch_pages
from storyline.ingest import stages_for


def status_text(s: Status) -> Text:
    line = (
        f"follow: due {s.due} · polled {s.polled} ({s.not_modified} unchanged) · new {s.new} · "
        f"fetched {s.fetched} · stored {s.stored} · failed {s.failed} · queued {s.queued}"
    )
    return Text(line + (f"  {s.current[-60:]}" if s.current else ""))


@contextmanager
def live_status() -> Iterator[Any]:
    """A callback that redraws the status line (on a terminal only)."""
    if not err.is_terminal:
        yield None
        return
    with Live(Text("follow: starting"), console=err, transient=True, refresh_per_second=4) as live:
        yield lambda s: live.update(status_text(s))


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (the batch in hand is finished); a second SIGINT
    interrupts at once."""
    previous = {}

    def handle(signum: int, _: object) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        err.print("stopping after this batch (Ctrl-C again to stop now)", markup=False)

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handle)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def print_report(report: FollowReport, *, as_json: bool) -> None:
    summary = report.summary()
    if as_json:
        emit_json(summary)
        return
    out.print(
        "rounds {rounds}, polled {polled} ({not_modified} not modified), new items {new_items}, "
        "fetched {fetched}, stored {stored}, updated {updated}, unchanged {unchanged}, "
        "skipped {skipped}, failed {failed}".format(**summary),
        markup=False,
    )
    for item in summary["source_errors"]:
        out.print(f"source failed: {item['source']}: {item['reason']}", markup=False)
    if summary["failures"]:
        out.print("failed:", markup=False)
        for item in summary["failures"][:50]:
            out.print(f"  {item['url']}: {item['reason']}", markup=False)


def follow_fetchers(given: int | None, settings: Mapping[str, Any]) -> int:
    """``--fetchers``, else ``follow.fetchers``."""
    return max(1, int(settings["follow"]["fetchers"] if given is None else given))


def follow_workers(given: int | None, settings: Mapping[str, Any]) -> int:
    """``--workers``, else ``follow.workers``; 0 means one per core available (follow runs for
    hours, so a worker's start, about a dozen articles' work, always pays for itself)."""
    from storyline.pool import cores

    workers = int(settings["follow"]["workers"] if given is None else given)
    return workers if workers > 0 else cores()


def register(app: typer.Typer) -> None:
    @app.command("follow")
    def follow_cmd(
        ctx: typer.Context,
        once: bool = typer.Option(False, "--once", help="One round, then exit"),
        batch: int = typer.Option(16, "--batch", help="Items fetched and stored per batch"),
        max_items: int | None = typer.Option(
            None, "--max-items", help="Stop after fetching this many items"
        ),
        fetchers: int | None = typer.Option(
            None,
            "--fetchers",
            help="Polls and fetches at once, all hosts (follow.fetchers)",
            min=1,
            metavar="N",
        ),
        workers: int | None = typer.Option(
            None,
            "--workers",
            help="Processes running the stages (follow.workers; 0: one per core)",
            min=0,
            metavar="N",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
    ) -> None:
        """Poll due sources, fetch their new items and ingest them, until stopped.

        Exit code: 0 done, 1 a source or an item failed (with --once), 2 usage error.
        """
        settings = state(ctx).settings
        yield_cpu(settings["follow"]["nice"], "follow.nice")
        stop = threading.Event()
        with open_store(ctx) as store, live_status() as show, stop_on_signals(stop):
            try:
                with stages_for(settings, follow_workers(workers, settings)) as pipeline:
                    follower = Follower(
                        store,
                        settings,
                        pipeline=pipeline,
                        fetchers=follow_fetchers(fetchers, settings),
                        batch=batch,
                        status=show,
                        stop=stop,
                    )
                    report = follower.run(once=once, max_items=max_items)
                    report.ingest.processes = getattr(pipeline, "workers", 1)
                    report.ingest.worker_peak_mb = getattr(pipeline, "worker_peak_mb", 0.0)
            except StorylineError as exc:
                fail(exc, 1)
        print_report(report, as_json=as_json)
        raise typer.Exit(report.exit_code if once or max_items else 0)

    @app.command("fetch")
    def fetch_cmd(
        ctx: typer.Context,
        urls: list[str] = typer.Argument(..., help="Article page URLs (http or https)"),
        ignore_robots: bool = typer.Option(
            False, "--ignore-robots", help="Do not obey robots.txt for these pages"
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON"),
    ) -> None:
        """Fetch article pages once and ingest them; a stored page is not fetched again.

        The fetcher's safety rules apply (docs/sources.md).

        Exit code: 0 all stored, 1 some failed, 2 usage error.
        """
        stop = threading.Event()
        with open_store(ctx) as store, live_status() as show, stop_on_signals(stop):
            try:
                follower = Follower(store, state(ctx).settings, status=show, stop=stop)
                report = fetch_pages(follower, urls, ignore_robots=ignore_robots)
            except StorylineError as exc:
                fail(exc)
        print_report(report, as_json=as_json)
        raise typer.Exit(report.exit_code)
