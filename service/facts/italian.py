"""Facts in Italian text: dates and times, then names, then figures (each skips earlier spans)."""

from __future__ import annotations

from functools import lru_cache

from .dates import extract_dates
from .fact import Fact
from .figures import extract_figures
from .names import extract_names


def extract_italian(text: str) -> list[Fact]:
    """Every figure, date, time and name in an Italian text, in text order."""
    return list(_extract(text))


@lru_cache(maxsize=8192)
def _extract(text: str) -> tuple[Fact, ...]:
    facts = extract_dates(text, "it")
    facts += extract_names(text, "it", [f.span for f in facts])
    facts += extract_figures(text, "it", [f.span for f in facts])
    return tuple(sorted(facts, key=lambda f: f.span))
