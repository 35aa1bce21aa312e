"""The conda environment and the pip pins name the same packages and versions."""

from __future__ import annotations

import re

import yaml

from kepatuhan import settings


def pip_pins() -> dict[str, str]:
    pins = {}
    for line in (settings.ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((settings.ROOT / "environment.yml").read_text())
    pins = {}
    for item in env["dependencies"]:
        if isinstance(item, str) and "=" in item and not item.startswith("python="):
            name, version = item.split("=", 1)
            pins[name.lower()] = version
    return pins


def test_conda_and_pip_pin_the_same_versions():
    assert conda_pins() == pip_pins()


def test_lock_file_agrees_with_the_direct_pins():
    lock = dict(
        line.lower().split("==") for line in (settings.ROOT / "requirements-lock.txt").read_text().splitlines() if "==" in line
    )
    for name, version in pip_pins().items():
        assert lock.get(name) == version, name


def test_every_pin_is_exact():
    text = (settings.ROOT / "requirements.txt").read_text()
    assert not re.search(r"^[^#\s].*(>=|<=|~=|\*)", text, flags=re.M)
