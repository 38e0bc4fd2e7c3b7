"""Guarded headline/summary: candidates checked against hard rules, the best valid one by a stated score.

Every candidate is checked against the rules in `rules.py` (length, sentences, not a copy of the
summary, no unsupported figure). A candidate that breaks one is rejected and the next one tried;
among the candidates that obey every rule the one with the highest `rules.score` wins. When none
obeys, the least bad one is repaired: a too-long or copied headline is rewritten by one more
prompt (`headline_fix`) and, if that still fails, cut; a too-long summary is cut to whole
sentences. A note says which, and what the rule was.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import WritingFacts, check_support, english_hints
from .attempts import GuardedWriting, Writing
from .rules import Kind, covered, cut_headline, cut_summary, rule_breaks, score

MAX_WRITING_CANDIDATES = 3

# Figures an editor expects to survive into a summary, most important first.
_KEY_KINDS = ("money", "percent", "quantity", "number", "date", "person", "place", "org")
_MAX_KEY_HINTS = {"headline": 3, "summary": 8}

# (label, with key-fact hints, temperature, seed), tried in this order.
_TRIES = (("plain", False, 0.0, 0), ("hinted", True, 0.0, 0), ("hinted-sampled", True, 0.5, 1), ("plain-sampled", False, 0.7, 2))


def key_hints(source_it: str, kind: Kind) -> list[str]:
    hints = [h for h in english_hints(source_it) if h.english]
    hints.sort(key=lambda h: _KEY_KINDS.index(h.kind) if h.kind in _KEY_KINDS else len(_KEY_KINDS))
    return list(dict.fromkeys(h.english for h in hints))[: _MAX_KEY_HINTS[kind]]


@dataclass
class WritingCandidate:
    text: str
    how: str
    report: WritingFacts
    broken: list[str]
    score: float

    @property
    def valid(self) -> bool:
        return not self.broken

    @property
    def rank(self) -> tuple[int, int, float]:
        """Lower is better: unsupported facts first, then rules broken, then the score."""
        return (self.report.unsupported, len(self.broken), -self.score)


def check(kind: Kind, text: str, how: str, source_it: str, english: str, keys: list[str], summary: str | None) -> WritingCandidate:
    report = check_support(source_it, text, english_context=english).typed()
    broken = rule_breaks(kind, text, report.unsupported, summary=summary)
    return WritingCandidate(text, how, report, broken, score(kind, text, keys))


def _good_enough(kind: Kind, candidate: WritingCandidate, keys: list[str], thorough: bool) -> bool:
    """Stop asking for more candidates: a valid one carrying enough key facts (all a headline
    can hold, or every key fact for a summary; with `thorough` off, one key fact is enough)."""
    if not candidate.valid:
        return False
    target = (min(2, len(keys)) if kind == "headline" else len(keys)) if thorough else min(1, len(keys))
    return covered(candidate.text, keys) >= target


def guarded_writing(writing: Writing, *, candidates: int = MAX_WRITING_CANDIDATES, thorough: bool = True,
                    may_rewrite: bool = True) -> GuardedWriting:
    """Write up to `candidates` texts of `writing.kind`, keep the best one that obeys every rule.

    `writing.summary` (for a headline) is the summary already written: the headline must not repeat it.
    `thorough` off stops at the first valid candidate with one key fact (the `fast` preset).
    """
    kind, english, source_it, summary = writing.kind, writing.english, writing.source_it, writing.summary
    keys = key_hints(source_it, kind)
    scored: list[WritingCandidate] = []
    for how, hinted, temperature, seed in _TRIES[: max(1, candidates)]:
        if hinted and not keys:
            continue
        text = writing.attempt(keys if hinted else None, temperature=temperature, seed=seed)
        scored.append(check(kind, text, how, source_it, english, keys, summary))
        if _good_enough(kind, scored[-1], keys, thorough):
            break
    best = min(scored, key=lambda c: c.rank)
    notes: list[str] = []
    if not best.valid:
        best, notes = _repair(writing, best, keys, len(scored), may_rewrite)
    return GuardedWriting(text=best.text, attempts=len(scored), report=best.report, notes=notes, how=best.how, candidates=len(scored))


def _repair(writing: Writing, best: WritingCandidate, keys: list[str], tried: int, may_rewrite: bool) -> tuple[WritingCandidate, list[str]]:
    """No candidate obeyed the rules: rewrite or cut the least bad one, and say so."""
    kind, english, source_it, summary = writing.kind, writing.english, writing.source_it, writing.summary
    what = f"no {kind} candidate out of {tried} met the rules (best: {'; '.join(best.broken)})"
    shape_broken = [b for b in best.broken if "unsupported" not in b]
    if kind == "headline" and shape_broken and may_rewrite:
        text = writing.rewrite(best.text, shape_broken, summary or english)
        rewritten = check(kind, text, "rewritten", source_it, english, keys, summary)
        if rewritten.valid:
            return rewritten, [f"{what}; it was rewritten by the {writing.rewrite_ref} prompt"]
    if shape_broken:
        cut_text = cut_headline(best.text) if kind == "headline" else cut_summary(best.text)
        if cut_text and cut_text != best.text:
            cut = check(kind, cut_text, "cut", source_it, english, keys, summary)
            if len(cut.broken) < len(best.broken):
                left = f"; still: {'; '.join(cut.broken)}" if cut.broken else ""
                return cut, [f"{what}; it was cut to fit{left}"]
    if best.report.unsupported:
        return best, [f"{what}; the best one is shown with its unsupported facts flagged"]
    return best, [f"{what}; it is shown as written"]
