"""A process that must not outlive its run: workers and kernels end within a second of the process that
started them, whenever it dies, their own start included.

A run killed with ``kill -9`` cannot stop its workers and kernels itself. Each of them therefore watches
the process that started it and exits when that one is gone (its parent id changes, as on Linux, or the
process no longer exists, as on Windows). The parent's id is passed in by the process that starts it, not
read once the watcher starts: read late (a worker imports the executors first, about a second on a busy
machine), it would already be 1 if the run died meanwhile, and the worker would watch ``init`` forever.
Small on purpose: it is the first thing a worker and a kernel import.
"""

from __future__ import annotations

import os
import threading
import time

#: How often the parent is looked for: a worker or a kernel ends within this long of its run's death.
INTERVAL = 0.5


def parent_gone(parent: int) -> bool:
    """Whether the process ``parent`` has ended (or this process was handed to another parent)."""
    import psutil  # heavy

    return os.getppid() != parent or not psutil.pid_exists(parent)


def watch_parent(parent: int, on_exit=None, interval: float = INTERVAL) -> threading.Thread:
    """Start a daemon thread that calls ``on_exit`` and ends this process once ``parent`` (the id of the process
    that started this one, passed in by it) is gone; at once when it is gone already."""

    def watch() -> None:
        while not parent_gone(parent):
            time.sleep(interval)
        try:
            if on_exit is not None:
                on_exit()
        finally:
            os._exit(1)

    thread = threading.Thread(target=watch, name="kepatuhan-watchdog", daemon=True)
    thread.start()
    return thread


def kernel_watch_line(parent: int) -> str:
    """The code a kernel runs as it starts (ipykernel's ``exec_lines``) to end with ``parent``, its starter."""
    return f"import kepatuhan.pipeline.runtime.watchdog as _w; _w.watch_parent({int(parent)}); del _w"
