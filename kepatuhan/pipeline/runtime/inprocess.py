"""Running a notebook's cells in this process, without a kernel: the notebook is the recipe, not the vehicle.

A pemda brief is rendered hundreds of times a run and its notebook is not kept, so paying a kernel,
papermill and nbclient for each (about 0.15 s of a 0.5 s brief) buys nothing a reader sees. Here the
same notebook is parameterized by papermill's own function, its code cells run in order in this
process's IPython shell, and each cell's displays and last value are formatted by IPython's display
formatter, as a kernel formats them: the HTML made from the result is byte-identical to the kernel's
(``tests/test_inprocess.py`` checks it on the shipped data).

What a notebook changes (its names, figures, matplotlib and pandas settings, working directory) is
put back after it, as a warm kernel's reset does. Whatever this path cannot reproduce exactly raises
:class:`NotInProcess`: a cell that fails or runs past the cell timeout, a cell that writes to
stdout or stderr, or a warning logged while it runs (a kernel records those in the notebook, in an
order this path does not know). The caller then runs the notebook on a kernel, which keeps the
partial notebook and names the cell, as for any notebook.
"""

from __future__ import annotations

import ast
import contextlib
import ctypes
import functools
import logging
import os
import signal
import threading
import time
from pathlib import Path

import nbformat
from traitlets.config import Config

from kepatuhan.pipeline.runtime.notebook_state import put_back, settle


class NotInProcess(Exception):
    """This notebook's result cannot be made here exactly; the message says which cell and why."""


class CellTimeout(Exception):
    """A cell ran longer than the cell timeout."""


@functools.cache
def shell():
    """This process's IPython shell, made once: no history database, no GUI event loop (``%matplotlib
    inline`` needs none). The notebooks' imports come first and the state a notebook may change is
    recorded (:func:`.notebook_state.settle`, as in a warm kernel: the imports set the charts' theme), for
    :func:`restore`. Its namespace starts empty, as it is after every notebook."""
    from IPython.core.interactiveshell import InteractiveShell  # heavy

    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):
            """Inline figures need no event loop."""

        def init_sys_modules(self):
            """Leave ``sys.modules["__main__"]`` alone (as an embedded shell does): the process's own main
            module is what ``multiprocessing`` needs to start processes from here."""

    recorded = settle()
    config = Config()
    config.HistoryManager.enabled = False
    made = Shell.instance(config=config)
    made.baseline = recorded
    made.user_ns.clear()
    return made


def warm_up() -> None:
    """Make the shell (the notebooks' imports: about 2.5 s) and switch matplotlib to the inline backend once,
    before a worker's first in-process brief (``in_worker._warm_in_process``); the settings are put back,
    so every notebook starts the same."""
    shell().run_line_magic("matplotlib", "inline")
    restore()


def restore() -> None:
    """Back to the state right after :func:`shell` was made: no names, no figures, the same settings."""
    put_back(shell().baseline)
    shell().user_ns.clear()


def execute_in_process(notebook: Path, parameters: dict, timeout: int, cwd: Path, source=None):
    """The notebook at ``notebook`` executed here with ``parameters``, each cell within ``timeout`` seconds,
    in ``cwd``; :class:`NotInProcess` when the result would not be exactly what a kernel gives.

    ``source`` is the parsed notebook when the caller has it (a fresh copy: it is filled in). Each code
    cell's seconds are in its ``metadata.in_process_seconds`` (the profile reads them).
    """
    from papermill.iorw import load_notebook_node  # heavy
    from papermill.parameterize import parameterize_notebook  # heavy

    node = source if source is not None else load_notebook_node(str(notebook))
    if parameters:  # as papermill does: no injected cell without parameters
        node = parameterize_notebook(node, parameters, language="python", kernel_name="python3")
    namespace = shell().user_ns  # empty: the shell starts so and every notebook ends with restore()
    namespace["get_ipython"] = shell
    try:
        os.chdir(cwd)
        for index, cell in enumerate(node.cells):
            if cell.cell_type == "code":
                started = time.perf_counter()
                cell.outputs = run_cell(cell.source, namespace, timeout, f"{Path(notebook).name} cell {index}")
                cell.metadata["in_process_seconds"] = time.perf_counter() - started
    finally:
        restore()
    return node


def run_cell(source: str, namespace: dict, timeout: int, where: str) -> list:
    """Run one code cell; its displays and the value of its last expression, as notebook outputs."""
    from IPython.utils.capture import capture_output  # heavy

    tree = ast.parse(shell().transform_cell(source))
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    try:
        with capture_output() as captured, logged_warnings() as warned, time_limit(timeout):
            exec(compile(tree, "<cell>", "exec"), namespace)
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None
    except (Exception, SystemExit) as exc:
        raise NotInProcess(f"{where}: {type(exc).__name__}: {exc}") from exc
    if captured.stdout or captured.stderr or warned:
        raise NotInProcess(f"{where} wrote to the console or logged a warning")
    outputs = [nbformat.v4.new_output("display_data", data=o.data, metadata=o.metadata) for o in captured.outputs]
    if value is not None:
        data, metadata = shell().display_formatter.format(value)
        outputs.append(nbformat.v4.new_output("execute_result", data=data, metadata=metadata, execution_count=1))
    return outputs


@contextlib.contextmanager
def logged_warnings():
    """Within the block, a list that gets every log record of WARNING or above (of any logger), the project's
    included when its records do not reach the root (a process whose command line set up its logging)."""
    records: list = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    package = logging.getLogger("kepatuhan")
    watched = [logging.getLogger()] + ([package] if not package.propagate else [])
    for logger in watched:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in watched:
            logger.removeHandler(handler)


@contextlib.contextmanager
def time_limit(seconds: int):
    """Raise :class:`CellTimeout` in the block after ``seconds``: by a timer signal where there is one and
    this is the main thread (it interrupts a sleeping call); else from a timer thread, which takes effect at
    the cell's next Python instruction."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    target = threading.get_ident()
    timer = threading.Timer(
        seconds,
        lambda: ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(CellTimeout)),
    )
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _raise_timeout(signum, frame) -> None:
    raise CellTimeout("the cell ran longer than --cell-timeout")
