"""What every worker process of a local cluster does when it starts: ignore Ctrl-C.

Ctrl-C in a terminal reaches the whole process group, the local cluster's worker processes
included. A Dask worker treats it as the end of its event loop and dies, and its nanny starts it
again while `bulk` is stopping: the models load once more for nothing, and the shards in flight
are lost anyway. The parent decides what Ctrl-C means (phase 1 is cancelled, the cluster
closed), as `storyline.pool` does for ingest's workers. Only local workers get this: a remote
cluster's workers are not in the terminal's process group. Imported only where `distributed` is.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

__all__ = ["IgnoreInterrupt"]


class IgnoreInterrupt(WorkerPlugin):  # type: ignore[misc]
    """A worker plugin: SIGINT ignored in the worker's process (set from its main thread,
    where the worker's event loop runs the plugin's setup). Registered once, it also reaches
    workers the nanny restarts later."""

    name = "storyline-ignore-sigint"

    def setup(self, worker: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
