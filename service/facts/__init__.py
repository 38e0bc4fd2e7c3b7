"""The fact engine: figures, dates and names in Italian sources and English translations.

check_translation compares a translation with its source, check_support a headline or summary
with its source, english_hints renders each Italian fact as English. Kinds are listed in KINDS.
"""

from .compare import check_support, check_translation
from .extract import extract_english, extract_italian
from .fact import KINDS, Fact, Hint
from .hints import english_hints
from .report import (
    STATUSES,
    CheckedFact,
    FactReport,
    FactResult,
    FactStatus,
    SupportReport,
    SupportResult,
    TranslationFacts,
    UnsupportedFact,
    WritingFacts,
    WrittenFact,
)

__all__ = [
    "KINDS",
    "STATUSES",
    "CheckedFact",
    "Fact",
    "FactReport",
    "FactResult",
    "FactStatus",
    "Hint",
    "SupportReport",
    "SupportResult",
    "TranslationFacts",
    "UnsupportedFact",
    "WritingFacts",
    "WrittenFact",
    "check_support",
    "check_translation",
    "english_hints",
    "extract_english",
    "extract_italian",
]
