"""What each import inside a function puts off (``make bench``): prints figures.

An import inside a function is kept only where it defers a measured cost (``heavy``) or stays off a
start path the project promises (``start``); ``tests/test_imports.py`` checks that each says which. This
prints, for each, the time it takes in a fresh interpreter that has already imported its own module: what
a caller of that module that never needs it is spared.

    python benchmarks/bench_imports.py [--runs 3]
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Run in a fresh interpreter: import the module, then time the deferred import (milliseconds, modules added).
TIMER = """
import importlib, sys, time
importlib.import_module(sys.argv[1])
before = len(sys.modules)
started = time.perf_counter()
importlib.import_module(sys.argv[2])
print((time.perf_counter() - started) * 1000, len(sys.modules) - before)
"""


def submodule_or(module: str, name: str) -> str:
    """``module.name`` when that is a module (``from kepatuhan.brief import charts``), else ``module``."""
    try:
        return f"{module}.{name}" if importlib.util.find_spec(f"{module}.{name}") else module
    except ModuleNotFoundError:
        return module


def deferred_imports() -> list[tuple[str, int, str, str, str]]:
    """(file, line, module, what it imports, word) of every import inside a function of the package."""
    found = []
    for path in sorted((ROOT / "kepatuhan").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.Import | ast.ImportFrom):
                    target = (
                        sub.names[0].name
                        if isinstance(sub, ast.Import)
                        else submodule_or(sub.module, sub.names[0].name)
                    )
                    word = lines[sub.lineno - 1].partition("#")[2].strip().split(":")[0]
                    found.append((str(path.relative_to(ROOT)), sub.lineno, module, target, word))
    return found


def cost(module: str, target: str, runs: int) -> tuple[float, int]:
    """The shortest of ``runs`` timings of importing ``target`` after ``module``, and the modules it adds."""
    timings = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", TIMER, module, target], capture_output=True, text=True, check=True)
        milliseconds, added = done.stdout.split()
        timings.append((float(milliseconds), int(added)))
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    measured: dict[tuple[str, str], tuple[float, int]] = {}
    print(f"{'where':58s} {'word':6s} {'ms':>8s} {'modules':>8s}  imports")
    for path, line, module, target, word in deferred_imports():
        key = (module, target)
        measured[key] = measured.get(key) or cost(module, target, runs)
        milliseconds, added = measured[key]
        print(f"{path + ':' + str(line):58s} {word:6s} {milliseconds:8.1f} {added:8d}  {target}")


if __name__ == "__main__":
    main()
