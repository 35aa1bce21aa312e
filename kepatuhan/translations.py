"""What an analyst reads in the terminal and in ``quality.csv``, in the language of the run (Indonesian by default).

The code writes its problems, notes and log lines in English, as the messages of a program are usually
written; ``kepatuhan/brief/lang/messages.<lang>.toml`` gives their reading in another language, one line per
message: the English text with ``{0}``, ``{1}``... where it varies, and its translation carrying them over.
:func:`translate` applies them; a message without a line stays in English (the test suite lists any such
message a run meets). The frame of a data error (file, row, column, option, fix) comes from the same file.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

CATALOGUES = Path(__file__).resolve().parent / "brief" / "lang"


@functools.cache
def catalogue(lang: str) -> tuple[dict[str, str], list[tuple[re.Pattern, str]]]:
    """The frame words and the message patterns of a language (English: none, the code's own text)."""
    path = CATALOGUES / f"messages.{lang}.toml"
    if not path.exists():
        return {}, []
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    # the most specific first: "published {0} differs from..." before "published {0}"
    messages = sorted(data.get("messages", {}).items(), key=lambda item: -len(re.sub(r"\{\d\}", "", item[0])))
    return data.get("frame", {}), [(_pattern(english), text) for english, text in messages]


def _pattern(template: str) -> re.Pattern:
    """The expression that matches a whole message of ``template`` (``{0}`` matches anything, lines included)."""
    return re.compile("(.*?)".join(re.escape(part) for part in re.split(r"\{\d\}", template)), re.S)


@functools.lru_cache(maxsize=8192)
def translate(text: str, lang: str) -> str:
    """``text`` in ``lang``: the first pattern that matches it whole, filled in; else the text as it is."""
    for pattern, reading in catalogue(lang)[1]:
        found = pattern.fullmatch(text)
        if found:  # what a message quotes may be a message too ("first failure: <a notebook's error>")
            inner = tuple(translate(group, lang) if group else group for group in found.groups())
            return _fill(reading, inner)
    return text


def _fill(reading: str, groups: tuple[str, ...]) -> str:
    """``reading`` with ``{0}``, ``{1}``... replaced by what the English message held there."""
    return re.sub(r"\{(\d)\}", lambda m: groups[int(m.group(1))], reading)


def frame(word: str, lang: str) -> str:
    """A word of an error's frame (``file``, ``row``, ``column``, ``option``, ``fix``...) in ``lang``."""
    return catalogue(lang)[0].get(word, word)


def untranslated(texts: list[str], lang: str) -> list[str]:
    """The texts no pattern of ``lang`` matches (for the test that keeps the catalogue complete)."""
    return [text for text in texts if not any(p.fullmatch(text) for p, _ in catalogue(lang)[1])]
