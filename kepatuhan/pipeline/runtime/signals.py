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
import sys

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by a signal; ``exit_code`` is 128 + the signal number."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(f"signal {signum}")
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


#: Stop signals received inside :func:`stop_on_signals`: Python drops an exception raised in a finaliser
#: (a weak reference's callback), so :func:`raise_if_stopped` raises again one that was lost there.
RECEIVED: list[int] = []


def _raise(signum, frame) -> None:
    RECEIVED.append(int(signum))
    raise Interrupted(signum)


def _unraisable(unraisable) -> None:
    """``sys.unraisablehook`` within :func:`stop_on_signals`: a stop signal whose exception Python dropped (it
    came while a finaliser ran) is not printed as a traceback; :data:`RECEIVED` holds it, and
    :func:`raise_if_stopped` raises it where the run next looks. Anything else goes to the usual hook."""
    if not isinstance(unraisable.exc_value, Interrupted):
        sys.__unraisablehook__(unraisable)


def raise_if_stopped() -> None:
    """Raise :class:`Interrupted` for a stop signal received whose exception was lost on the way."""
    if RECEIVED:
        raise Interrupted(RECEIVED[0])


#: Stop signals that arrived before the run could stop cleanly (``pipeline.py`` holds them from its first line).
HELD: list[int] = []


@contextlib.contextmanager
def stop_on_signals():
    """Within the block, a stop signal raises :class:`Interrupted` (only in the main thread); one held since
    the process started (:data:`HELD`) raises it on entering."""
    previous, hook = {}, sys.unraisablehook
    RECEIVED.clear()
    sys.unraisablehook = _unraisable
    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        for signum in STOP_SIGNALS:
            previous[signum] = signal.signal(signum, _raise)
    try:
        if HELD:
            raise Interrupted(HELD[0])
        yield
        raise_if_stopped()
    finally:
        sys.unraisablehook = hook
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def children_start_uninterruptible():
    """Processes started within the block start with Ctrl-C blocked, and ignore it all their life once they
    run (:func:`ignore_interrupts`): a terminal's Ctrl-C reaches the whole process group, and a worker that met
    it in its imports printed a traceback; the run stops its workers itself.

    Only this thread blocks Ctrl-C (a blocked signal stays blocked across ``exec``, so the children inherit it);
    the process's handling is not changed to "ignore": another thread (numpy's, pyarrow's) would take a Ctrl-C
    meanwhile and drop it, and the run would go on as if none had come. A Ctrl-C within the block is held and
    raised again when it ends. multiprocessing's resource tracker is started first: starting it unblocks
    Ctrl-C in the thread that starts it, and the workers started after it would meet Ctrl-C in their imports."""
    blockable, held = hasattr(signal, "pthread_sigmask"), []
    if blockable:
        from multiprocessing import resource_tracker  # start

        resource_tracker.ensure_running()
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    except ValueError:  # not the main thread
        yield
        return
    if blockable:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if blockable:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        if held:
            signal.raise_signal(signal.SIGINT)


def ignore_interrupts() -> None:
    """In a process started by :func:`children_start_uninterruptible`: ignore Ctrl-C from now on (one that came
    while it was blocked is dropped with it), then let it through, so the kernels it starts can be interrupted."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


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
