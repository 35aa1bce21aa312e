"""The README and docs/ say what the code does: every command they show parses, every `make` target they
name exists, every link leads to a file, and every configuration file is documented."""

from __future__ import annotations

import re
import shlex

import pytest

from kepatuhan import settings
from kepatuhan.pipeline.cli import build_parser

PAGES = [settings.ROOT / "README.md", *sorted((settings.ROOT / "docs").glob("*.md"))]


def commands(pattern: str) -> list[tuple[str, str]]:
    """(page, command) for every command of ``pattern`` in a code block or in backticks of the pages."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        pieces = re.findall(r"```[a-z]*\n(.*?)```", text, re.S) + re.findall(r"`([^`\n]+)`", text)
        for piece in pieces:
            for line in piece.splitlines():
                found += [(page.name, match) for match in re.findall(pattern, line)]
    return found


def test_the_readme_is_a_front_door():
    assert len((settings.ROOT / "README.md").read_text(encoding="utf-8").splitlines()) < 150


@pytest.mark.parametrize(("page", "command"), commands(r"python pipeline\.py ([^|>&;`]*)"))
def test_every_pipeline_command_the_docs_show_parses(page, command):
    words = [w for w in shlex.split(command.split(" # ")[0]) if w]
    if not words or any(mark in " ".join(words) for mark in ("...", "<", "NAME", "COMMAND", "[")):
        pytest.skip("a pattern, not a command")
    try:
        build_parser().parse_args(words)
    except SystemExit as exc:  # --help exits 0; a command that does not parse exits 2
        assert exc.code == 0, f"{page}: `python pipeline.py {command}` does not parse"


def test_every_make_target_the_docs_name_exists():
    targets = set(re.findall(r"^([a-z][\w-]*):", (settings.ROOT / "Makefile").read_text(), re.M))
    named = {(page, target) for page, target in commands(r"\bmake ([a-z][\w-]*)")}
    assert not [(page, t) for page, t in named if t not in targets]


def test_every_link_of_the_docs_leads_to_a_file():
    broken = []
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://", "mailto:")) and not (page.parent / target).exists():
                broken.append(f"{page.name}: {target}")
    assert not broken


def test_every_configuration_file_is_documented():
    text = (settings.ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert not [p.name for p in settings.CONFIG_DIR.glob("*.csv") if f"`{p.name}`" not in text]
