"""The eval suites by name; `fitting` says which suites a dataset's rows can feed."""

from __future__ import annotations

from ..data import Dataset, fits
from .base import EvalOptions, Suite
from .facts import FactsSuite
from .speed import SpeedSuite
from .summary import SummarySuite
from .translation import TranslationSuite

SUITES: dict[str, type[Suite]] = {
    "translation": TranslationSuite,
    "facts": FactsSuite,
    "summary": SummarySuite,
    "speed": SpeedSuite,
}


def fitting(dataset: Dataset, limit: int | None = None) -> list[str]:
    """Suites for `all`: translation + facts for it/en pairs, summary for articles with a
    reference. `speed` runs only when asked for (the other model suites report speed too)."""
    rows = dataset.rows if limit is None else dataset.rows[:limit]
    return [name for name in ("translation", "facts", "summary") if fits(name, rows)]


__all__ = ["SUITES", "EvalOptions", "Suite", "fitting"]
