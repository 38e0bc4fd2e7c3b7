"""Facts in a text: dates and times, then names, then figures (each skips earlier spans).

One extractor for both languages; `extract_italian` reads a source, `extract_english` a
translation, headline or summary.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from .dates import extract_dates
from .fact import Fact
from .figures import extract_figures, roman_designations
from .names import extract_names

Language = Literal["it", "en"]


def extract_italian(text: str) -> list[Fact]:
    """Every figure, date, time and name in an Italian text, in text order."""
    return list(_extract(text, "it"))


def extract_english(text: str) -> list[Fact]:
    """Every figure, date, time and name in an English text, in text order."""
    return list(_extract(text, "en"))


@lru_cache(maxsize=16384)
def _extract(text: str, lang: Language) -> tuple[Fact, ...]:
    facts = extract_dates(text, lang)
    facts += roman_designations(text, [f.span for f in facts])  # before names: "Apollo X" is Apollo + 10
    facts += extract_names(text, lang, [f.span for f in facts])
    facts += extract_figures(text, lang, [f.span for f in facts])
    return tuple(sorted(facts, key=lambda f: f.span))
