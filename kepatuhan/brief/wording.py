"""Every word a reader sees, in Bahasa Indonesia (the default) or English, from one file per language.

The texts live in ``kepatuhan/brief/lang/id.toml`` and ``en.toml`` under the same keys (a test checks
it): to change a sentence, edit the file, not the code. :func:`words` looks a text up by
``section.name`` and fills its ``{placeholders}``. Numbers follow the reader's convention:
``88,41`` in Indonesian, ``88.41`` in English.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

LANGS = ("id", "en")
WORDING_DIR = Path(__file__).resolve().parent / "lang"


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is supported, else raise a ``ValueError`` naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """All texts of one language, keyed ``section.name``."""
    with open(WORDING_DIR / f"{check_lang(lang)}.toml", "rb") as handle:
        sections = tomllib.load(handle)
    return {f"{section}.{name}": text for section, texts in sections.items() for name, text in texts.items()}


def words(key: str, lang: str = "id", **values) -> str:
    """The text ``key`` (``"brief.title"``) in the reader's language, with its placeholders filled."""
    return catalogue(lang)[key].format(**values)


def number(value: float, lang: str = "id", decimals: int = 2) -> str:
    """A number with the reader's decimal mark: ``88,41`` (id) or ``88.41`` (en)."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "id" else text


def zone_name(zone: str, lang: str = "id") -> str:
    """A zone's name in the reader's language (unknown zones are shown as written)."""
    return catalogue(lang).get(f"zone.{zone}", zone)


def unit_name(pemda: str, opd: str) -> str:
    """``"Dinas Kesehatan, Kabupaten Kerinci"``, or the pemda alone for its own total."""
    return f"{opd}, {pemda}" if opd else pemda


def score_range(low: float, high: float, lang: str = "id") -> str:
    """A band's scores: ``78–87,99`` (id) or ``78–87.99`` (en); whole numbers without decimals."""

    def shown(value: float) -> str:
        return number(value, lang, 0 if float(value).is_integer() else 2)

    return f"{shown(low)}\u2013{shown(high)}"
