"""A process that must not outlive its parent: workers and kernels end within a second of it.

A run killed with ``kill -9`` cannot stop its workers and kernels itself. Each of them therefore
watches the process that started it and exits when that one is gone (its parent id changes, as on
Linux, or the process no longer exists, as on Windows). Small on purpose: kernels import it.
"""

from __future__ import annotations

import os
import threading
import time


def parent_gone(parent: int) -> bool:
    """Whether the process ``parent`` has ended (or this process was handed to another parent)."""
    import psutil

    return os.getppid() != parent or not psutil.pid_exists(parent)


def watch_parent(on_exit=None, interval: float = 1.0) -> threading.Thread:
    """Start a daemon thread that calls ``on_exit`` and ends this process once its parent is gone."""
    parent = os.getppid()

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
