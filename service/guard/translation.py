"""Guarded translation of one chunk: hint, verify, and (in repair mode) retry a bounded number of times.

Candidates are ranked by fact issues (missing + altered), then by unsupported figures, then by a
cheap fluency penalty. The only text edit made outside the model is a *format-only* fix of a
figure whose digits are right but whose separators read wrong in English ("12.100" → "12,100");
it is re-verified and kept only when it is strictly better.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..facts import check_translation, english_hints
from ..pipeline.result import ChunkResult
from ..text import split_sentences
from . import MAX_TRANSLATION_ATTEMPTS
from .scoring import fluency_penalty, not_a_translation

if TYPE_CHECKING:
    from ..pipeline.translate import ChunkTranslator, Context

_MAX_HINTS = 14


@dataclass
class Candidate:
    text: str
    how: str
    issues: int
    unsupported: int
    penalty: float
    problems: list[dict] = field(default_factory=list)

    degenerate: bool = False

    @property
    def rank(self) -> tuple[bool, int, int, float]:
        # A candidate that is not a translation (the glossary echoed back, a fragment) loses to
        # any real translation, however many facts it happens to contain.
        return (self.degenerate, self.issues, self.unsupported, self.penalty)


def judge(source: str, text: str, how: str) -> Candidate:
    report = check_translation(source, text).to_dict()
    problems = [f for f in report["facts"] if f["status"] in ("missing", "altered")]
    return Candidate(
        text, how, len(problems), len(report["unsupported"]), fluency_penalty(source, text), problems, not_a_translation(source, text)
    )


def hints_for(source: str) -> dict[str, str]:
    """Italian fact text → its expected English form, in order of appearance, de-duplicated."""
    hints: dict[str, str] = {}
    for hint in english_hints(source):
        if hint.english and hint.source_text not in hints:
            hints[hint.source_text] = hint.english
    return hints


def _hint_list(hints: dict[str, str], first: list[str] | None = None) -> list[str]:
    """Glossary lines, failing facts first: `- martedì → Tuesday` (or `- Tokayev` when unchanged)."""
    ordered = list(dict.fromkeys((first or []) + list(hints)))
    return [f"- {src} → {hints[src]}" if src != hints[src] else f"- {src}" for src in ordered if src in hints][:_MAX_HINTS]


def format_fix(source: str, candidate: Candidate, hints: dict[str, str]) -> Candidate | None:
    """Rewrite altered figures whose digits already match their hint (only separators differ)."""
    text = candidate.text
    changed = False
    for problem in candidate.problems:
        wrong, right = problem.get("target_text") or "", hints.get(problem["source_text"], "")
        if problem["status"] != "altered" or not wrong or not right:
            continue
        digits = re.sub(r"\D", "", wrong)
        if not digits or digits != re.sub(r"\D", "", right) or not re.fullmatch(r"[\d.,\s]+", wrong) or wrong not in text:
            continue  # only a bare figure whose digits already match, e.g. "12.100" -> "12,100"
        text = text.replace(wrong, right, 1)
        changed = True
    if not changed:
        return None
    fixed = judge(source, text, "format-fix")
    return fixed if fixed.rank < candidate.rank else None


def _needs_repair(candidate: Candidate) -> bool:
    return candidate.degenerate or candidate.issues > 0


def _retry(translator: ChunkTranslator, source: str, context: Context | None, hints: dict[str, str], failing: list[str], attempt: int) -> tuple[str, str]:
    """The n-th retry (attempt 2, 3, 4…): each changes one more thing than the last."""
    chat = translator.backend.chat
    glossary = _hint_list(hints, failing) if chat else None
    if attempt == 2:  # the failing facts first in the glossary, a little sampling
        return translator.attempt(source, context, glossary, temperature=0.3, seed=attempt), "retry-hinted"
    if attempt == 3:  # without the previous passage (it can pull the model off the sentence), in smaller pieces
        sentences = split_sentences(source)
        if len(sentences) > 1:
            parts = [translator.attempt(s, None, _hint_list(hints_for(s)) if chat else None) for s in sentences]
            return " ".join(parts), "sentence-by-sentence"
        return translator.attempt(source, None, glossary), "retry-no-context"
    # Then sampled tries, each with its own seed: on sentences where greedy decoding keeps dropping
    # a fact, some samples keep it (measured: "Ecinitas" kept in 3 of 5 samples at 0.8).
    return translator.attempt(source, None, glossary, temperature=0.8, seed=attempt), "retry-sampled"


def guarded_translation(translator: ChunkTranslator, source: str, context: Context | None, repair: bool) -> ChunkResult:
    hints = hints_for(source)
    use_hints = translator.backend.chat and bool(hints)
    first = judge(source, translator.attempt(source, context, _hint_list(hints) if use_hints else None), "hinted" if use_hints else "plain")
    candidates = [first]
    while repair and _needs_repair(min(candidates, key=lambda c: c.rank)) and len(candidates) < MAX_TRANSLATION_ATTEMPTS:
        failing = [p["source_text"] for p in min(candidates, key=lambda c: c.rank).problems]
        text, how = _retry(translator, source, context, hints, failing, len(candidates) + 1)
        candidates.append(judge(source, text, how))
    attempts = len(candidates)
    best = min(candidates, key=lambda c: c.rank)
    if repair and best.issues and not best.degenerate:
        fixed = format_fix(source, best, hints)
        if fixed is not None:
            candidates.append(fixed)
            best = fixed
    return ChunkResult(
        source=source,
        translation=best.text,
        attempts=attempts,
        repaired=best is not first and best.rank < first.rank,
        issues=best.issues,
        suspect=best.degenerate,
    )
