"""Cheap signals to rank candidates that tie on facts: length ratio, leftover Italian, repetition."""

from __future__ import annotations

import math
import re

from ..text import italian_score

# English renderings of Italian news run about as long as the source, in characters.
_EXPECTED_RATIO = 0.95


def fluency_penalty(source: str, text: str) -> float:
    """0 is best. Punishes empty/truncated/bloated output, untranslated Italian and loops."""
    if not text.strip():
        return 100.0
    ratio = len(text) / max(1, len(source))
    penalty = abs(math.log(ratio / _EXPECTED_RATIO))
    if len(text) >= 40:
        penalty += 2.0 * italian_score(text)
    words = re.findall(r"\w+", text.lower())
    trigrams = list(zip(words, words[1:], words[2:], strict=False))  # shorter tails end it
    if trigrams:
        penalty += 3.0 * (1 - len(set(trigrams)) / len(trigrams))
    return round(penalty, 4)


def not_a_translation(source: str, text: str) -> bool:
    """True for output that cannot be a translation of `source`: empty, far too short or long,
    or the hint glossary echoed back (arrows or list bullets the source does not have)."""
    if not text.strip():
        return True
    if len(source) >= 40 and not 0.45 <= len(text) / len(source) <= 2.5:
        return True
    echoed = ("→" in text and "→" not in source) or bool(re.search(r"^\s*- ", text, re.MULTILINE)) and not re.search(r"^\s*- ", source, re.MULTILINE)
    return echoed
