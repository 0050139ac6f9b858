"""`storyline follow ARGS...` in a subprocess of the kill tests (and benchmarks/kill_follow.py).

    python tests/follow/run_follow.py --db X --config Y follow --once --batch 2

The commands are registered on an app of their own (the same callback and command code as
`storyline`), so this runs whether or not `storyline.cli.main` lists them. With
``STORYLINE_TEST_DIE_AFTER_COMMIT=k`` the process SIGKILLs itself right after its k-th batch
commit, before the batch's items are marked and its update steps run.
"""

from __future__ import annotations

import os
import signal

import typer

from storyline.cli import follow, main
from storyline.store import Store


def die_after_commit(k: int) -> None:
    write = Store.write_batch
    seen = [0]

    def write_then_die(self: Store, items):  # type: ignore[no-untyped-def]
        result = write(self, items)
        seen[0] += 1
        if seen[0] >= k:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    Store.write_batch = write_then_die  # type: ignore[method-assign]


if __name__ == "__main__":
    if os.environ.get("STORYLINE_TEST_DIE_AFTER_COMMIT"):
        die_after_commit(int(os.environ["STORYLINE_TEST_DIE_AFTER_COMMIT"]))
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(main.main)
    follow.register(app)
    app()
