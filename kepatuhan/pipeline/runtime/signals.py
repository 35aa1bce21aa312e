"""Stopping cleanly: SIGTERM, Ctrl-C (and SIGHUP where it exists) end a run at any moment.

The handlers raise :class:`Interrupted` in the main thread, so every ``finally`` block runs: kernels
and workers are stopped, the staging folder is removed, the run is recorded, and the exit code is
128 + the signal number, as a shell reports it. Where a signal does not exist (Windows has no SIGHUP
and cannot catch SIGTERM), that part degrades to doing nothing.

nbclient installs its own SIGTERM handler while it executes a notebook and resets it to the
default afterwards, which would make the next SIGTERM kill the run without clean-up:
:func:`kept_handlers` puts ours back around every execution.
"""

from __future__ import annotations

import contextlib
import signal

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by a signal; ``exit_code`` is 128 + the signal number."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(f"signal {signum}")
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum, frame) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals():
    """Within the block, a stop signal raises :class:`Interrupted` (only in the main thread)."""
    previous = {}
    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        for signum in STOP_SIGNALS:
            previous[signum] = signal.signal(signum, _raise)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def kept_handlers():
    """Restore the stop-signal handlers in place now when the block ends (nbclient replaces them)."""
    try:
        saved = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    except ValueError:
        saved = {}
    try:
        yield restore_handlers(saved)
    finally:
        restore_handlers(saved)()


def restore_handlers(saved: dict):
    """A function that puts the ``saved`` handlers back (a no-op outside the main thread)."""

    def restore() -> None:
        with contextlib.suppress(ValueError, TypeError):
            for signum, handler in saved.items():
                if handler is not None and signal.getsignal(signum) is not handler:
                    signal.signal(signum, handler)

    return restore
