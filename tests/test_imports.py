"""Imports inside functions: each says in a word why it is there, and each defers something.

An import belongs at the top of its module. One inside a function is kept only for one of two reasons,
written as its line's comment:

- ``heavy``: it costs a measured import time (``benchmarks/bench_imports.py`` prints each) that the
  module's other callers do not pay;
- ``start``: it stays off a start path the project measures and promises: before a run's mark is
  written, before a worker watches the run, or a run with nothing to do (which loads no gazetteer).
"""

from __future__ import annotations

import ast
from pathlib import Path

from kepatuhan import settings

PACKAGE = settings.ROOT / "kepatuhan"
REASONS = ("heavy", "start")


def module_name(path: Path) -> str:
    """``kepatuhan/brief/charts.py`` -> ``kepatuhan.brief.charts``."""
    parts = path.relative_to(settings.ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The dotted names an import statement loads (``from a import b`` loads ``a`` and, if a module, ``a.b``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module or "", *(f"{node.module}.{alias.name}" for alias in node.names)]


def in_functions(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement inside a function of the module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [sub for sub in ast.walk(node) if isinstance(sub, ast.Import | ast.ImportFrom)]
    return found


def at_top(tree: ast.Module) -> set[str]:
    """The dotted names the module imports when it is imported (its body, not its functions)."""
    names: set[str] = set()
    for node in tree.body:
        for sub in ast.walk(node) if isinstance(node, ast.If | ast.Try) else [node]:
            if isinstance(sub, ast.Import | ast.ImportFrom) and not (
                isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            ):
                names.update(imported(sub))
    return names


def modules() -> dict[str, tuple[Path, ast.Module]]:
    """Every module of the package, parsed."""
    return {module_name(p): (p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))}


def loaded_with(name: str, parsed: dict, seen: set[str] | None = None) -> set[str]:
    """What importing module ``name`` loads, as far as the package's own top-level imports tell: its parents, the
    package's modules it imports (and theirs, in turn), and the names it imports from other packages."""
    seen = set() if seen is None else seen
    parts = name.split(".")
    for here in (".".join(parts[: i + 1]) for i in range(len(parts))):
        if here in seen or here not in parsed:
            continue
        seen.add(here)
        for target in at_top(parsed[here][1]):
            seen.add(target)
            if target.startswith("kepatuhan"):
                loaded_with(target, parsed, seen)
    return seen


def deferred(node: ast.Import | ast.ImportFrom, parsed: dict) -> str:
    """The module an import inside a function puts off: ``from kepatuhan.brief import charts`` puts off
    ``kepatuhan.brief.charts``, ``from pandas import DataFrame`` puts off ``pandas``."""
    names = imported(node)
    return next((n for n in names[1:] if n in parsed), names[0])


def test_every_import_inside_a_function_says_why_in_a_word():
    unexplained = []
    for path, tree in modules().values():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in in_functions(tree):
            comment = lines[node.lineno - 1].partition("#")[2].strip()
            if not comment.startswith(REASONS):
                unexplained.append(f"{path.relative_to(settings.ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not unexplained, "imports inside functions without 'heavy' or 'start':\n" + "\n".join(unexplained)


def test_an_import_inside_a_function_defers_what_the_module_does_not_load_already():
    parsed = modules()
    pointless = []
    for name, (path, tree) in parsed.items():
        already = loaded_with(name, parsed)
        for node in in_functions(tree):
            wanted = deferred(node, parsed)
            if wanted in already:
                pointless.append(f"{path.relative_to(settings.ROOT)}:{node.lineno}: {wanted} is loaded with {name}")
    assert not pointless, "\n".join(pointless)


def test_the_check_finds_a_pointless_deferral_and_an_unexplained_one(tmp_path):
    """The two checks above, on a module written for it: they are not vacuous."""
    tree = ast.parse("import json\n\ndef f():\n    import json\n    from csv import reader  # lazy\n")
    assert [deferred(node, {}) for node in in_functions(tree)] == ["json", "csv"]
    assert "json" in at_top(tree) and "csv" not in at_top(tree)
    assert not "lazy".startswith(REASONS)
