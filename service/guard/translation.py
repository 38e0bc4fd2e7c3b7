"""Guarded translation of one chunk: hint, verify, and (in repair mode) retry a bounded number of times.

Candidates are ranked by fact issues (missing + altered), then by unsupported figures, then by a
cheap fluency penalty. Two text edits are made outside the model, each re-verified and kept only
when it is strictly better: a *format-only* fix of a figure whose digits are right but whose
separators read wrong in English ("12.100" → "12,100"), and a phrasebook entry's own `fix` for a
trap it flags ("supports X with force" → "strongly supports X"), reported as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..facts import FactResult, check_translation, english_hints
from ..text import split_sentences
from ..text.phrasebook import fix_text, meaning_flags
from .attempts import GuardedText, Quality, TranslateAttempt
from .scoring import fluency_penalty, not_a_translation

MAX_TRANSLATION_ATTEMPTS = 6

_MAX_HINTS = 14


@dataclass
class Candidate:
    text: str
    how: str
    issues: int
    unsupported: int
    penalty: float
    problems: list[FactResult] = field(default_factory=list)

    degenerate: bool = False
    meaning: list[str] = field(default_factory=list)  # phrasebook notes the text does not follow
    fixes: list[str] = field(default_factory=list)  # phrasebook rewrites made to the model's text

    @property
    def rank(self) -> tuple[bool, int, int, int, float]:
        # A candidate that is not a translation (the glossary echoed back, a fragment) loses to
        # any real translation, however many facts it happens to contain. Facts come first (the
        # hard filter); then the phrasebook's meaning flags.
        return (self.degenerate, self.issues, len(self.meaning), self.unsupported, self.penalty)


def judge(source: str, text: str, how: str) -> Candidate:
    report = check_translation(source, text)
    problems = report.flagged()
    return Candidate(
        text, how, len(problems), len(report.unsupported), fluency_penalty(source, text), problems, not_a_translation(source, text),
        meaning_flags(source, text),
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
        wrong = problem.target.text if problem.target is not None else ""
        right = hints.get(problem.fact.text, "")
        if problem.status != "altered" or not wrong or not right:
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


def phrase_fix(source: str, candidate: Candidate) -> Candidate | None:
    """The candidate with the phrasebook's rewrites of the traps it flags, when that is strictly
    better (a flag cleared, no fact lost); None otherwise."""
    if not candidate.meaning:
        return None
    text, done = fix_text(source, candidate.text)
    if not done:
        return None
    fixed = judge(source, text, f"{candidate.how}+phrasebook-fix")
    fixed.fixes = candidate.fixes + done
    return fixed if fixed.rank < candidate.rank else None


def _needs_repair(candidate: Candidate) -> bool:
    # The repair sequence is for facts. A phrasebook trap gets one call of its own at most (the
    # chunk alone, in `guarded_translation`): measured on the seed, the repair sequence's samples and
    # a targeted rewrite prompt did not fix "con forza" (0 of 5) at up to 5 more calls per chunk.
    return candidate.degenerate or candidate.issues > 0


def _retry(attempt: TranslateAttempt, chat: bool, source: str, hints: dict[str, str], failing: list[str], number: int) -> tuple[str, str]:
    """The n-th retry (attempt 2, 3, 4…): each changes one more thing than the last."""
    glossary = _hint_list(hints, failing) if chat else None
    if number == 2:  # the failing facts first in the glossary, a little sampling
        return attempt(source, hints=glossary, temperature=0.3, seed=number), "retry-hinted"
    if number == 3:  # without the previous passage (it can pull the model off the sentence), in smaller pieces
        sentences = split_sentences(source)
        if len(sentences) > 1:
            parts = [attempt(s, hints=_hint_list(hints_for(s)) if chat else None, with_context=False) for s in sentences]
            return " ".join(parts), "sentence-by-sentence"
        return attempt(source, hints=glossary, with_context=False), "retry-no-context"
    # Then sampled tries, each with its own seed: on sentences where greedy decoding keeps dropping
    # a fact, some samples keep it (measured: "Ecinitas" kept in 3 of 5 samples at 0.8).
    return attempt(source, hints=glossary, with_context=False, temperature=0.8, seed=number), "retry-sampled"


def _best(candidates: list[Candidate]) -> Candidate:
    return min(candidates, key=lambda c: c.rank)


def _repair_loop(attempt: TranslateAttempt, chat: bool, source: str, hints: dict[str, str], candidates: list[Candidate], limit: int,
                 first_retry: int) -> None:
    """Retry while the best candidate so far has fact issues, up to `limit` candidates in all."""
    while _needs_repair(_best(candidates)) and len(candidates) < limit:
        failing = [p.fact.text for p in _best(candidates).problems]
        text, how = _retry(attempt, chat, source, hints, failing, first_retry + len(candidates) - 1)
        candidates.append(judge(source, text, how))


def select(candidates: list[Candidate], quality: Quality = "fast") -> Candidate:
    """The kept candidate: fewest fact issues first (a hard filter); among those, in `fast`,
    unsupported figures then the fluency penalty; in `balanced`/`best`, the plain candidate
    wins a tie on facts (the glossary prompt is the one that trades meaning for figures) and
    `best` breaks what is left by consensus (`consensus_scores`)."""
    if quality == "fast":
        return _best(candidates)
    floor = min((c.degenerate, c.issues, len(c.meaning)) for c in candidates)
    tied = [c for c in candidates if (c.degenerate, c.issues, len(c.meaning)) == floor]
    fewest_unsupported = min(c.unsupported for c in tied)
    tied = [c for c in tied if c.unsupported == fewest_unsupported]
    plain = [c for c in tied if c.how == "plain"]
    if plain:
        return min(plain, key=lambda c: c.penalty)
    if quality == "best" and len(tied) > 1:
        scores = consensus_scores([c.text for c in candidates], [c.how for c in candidates])
        by_text = dict(zip((c.text for c in candidates), scores, strict=True))
        return max(tied, key=lambda c: (by_text[c.text], -c.penalty))
    return min(tied, key=lambda c: c.penalty)


def consensus_scores(texts: list[str], hows: list[str]) -> list[float]:
    """MBR with chrF++ as the utility: each text's weighted mean chrF++ against the others,
    greedy candidates (not sampled) weighing double."""
    from sacrebleu.metrics import CHRF

    chrf = CHRF(word_order=2)
    weights = [1.0 if "sampled" in how else 2.0 for how in hows]
    scores = []
    for i, text in enumerate(texts):
        pairs = [(chrf.sentence_score(text, [other]).score, weights[j]) for j, other in enumerate(texts) if j != i]
        total = sum(w for _, w in pairs)
        scores.append(sum(score * w for score, w in pairs) / total if total else 0.0)
    return scores


# Candidates per chunk, most in all (translation guard, `repair` mode), per quality preset.
CANDIDATE_LIMITS = {"fast": MAX_TRANSLATION_ATTEMPTS, "balanced": MAX_TRANSLATION_ATTEMPTS + 1, "best": MAX_TRANSLATION_ATTEMPTS + 2}


def guarded_translation(source: str, attempt: TranslateAttempt, *, chat: bool, repair: bool, quality: Quality = "fast") -> GuardedText:
    """One chunk, guarded. `fast`: the glossary-hinted prompt first, retries while facts are
    wrong. `balanced`: the plain prompt first, kept when its facts are right (one call, as
    `fast`); else the `fast` sequence, and the plain candidate still wins a tie on facts.
    `best`: plain, hinted and a sampled plain candidate always, then retries; see `select`."""
    hints = hints_for(source)
    use_hints = chat and bool(hints)
    hinted_list = _hint_list(hints) if use_hints else None
    if not repair or quality == "fast" or not use_hints:
        first = judge(source, attempt(source, hints=hinted_list), "hinted" if use_hints else "plain")
        candidates = [first]
        if repair:
            _repair_loop(attempt, chat, source, hints, candidates, MAX_TRANSLATION_ATTEMPTS, first_retry=2)
    else:
        first = judge(source, attempt(source), "plain")
        candidates = [first]
        if quality == "best" or _needs_repair(first):
            candidates.append(judge(source, attempt(source, hints=hinted_list), "hinted"))
        if quality == "best":
            candidates.append(judge(source, attempt(source, temperature=0.3, seed=1), "plain-sampled"))
        _repair_loop(attempt, chat, source, hints, candidates, CANDIDATE_LIMITS[quality], first_retry=3 - len(candidates))
    trapped = _best(candidates)
    if repair and chat and quality != "fast" and trapped.meaning and _still_trapped(source, trapped):
        # A phrasebook trap in the best candidate that no entry's `fix` clears: one plain translation
        # of the chunk on its own, without the article's earlier turns (measured on the seed: the
        # conversation pulls the model back to its literal rendering).
        candidates.append(judge(source, attempt(source, with_context=False), "plain-alone"))
    attempts = len(candidates)
    best = select(candidates, quality if repair else "fast")
    if repair and best.issues and not best.degenerate:
        fixed = format_fix(source, best, hints)
        if fixed is not None:
            candidates.append(fixed)
            best = fixed
    if repair:
        rewritten = phrase_fix(source, best)
        if rewritten is not None:
            best = rewritten
    return GuardedText(
        text=best.text,
        attempts=attempts,
        repaired=best is not first and best.rank < first.rank,
        issues=best.issues,
        suspect=best.degenerate,
        candidates=attempts,
        how=best.how,
        meaning=best.meaning,
        fixes=best.fixes,
    )


def _still_trapped(source: str, candidate: Candidate) -> bool:
    fixed = phrase_fix(source, candidate)
    return fixed is None or bool(fixed.meaning)
