"""Guarded headline/summary: a few candidates, reject unsupported figures, prefer key-figure coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..facts import check_support, english_hints
from . import MAX_WRITING_CANDIDATES

if TYPE_CHECKING:
    from ..pipeline.write import Kind, Writer, Written

# Figures an editor expects to survive into a summary, most important first.
_KEY_KINDS = ("money", "percent", "quantity", "number", "date", "person", "place", "org")
_MAX_KEY_HINTS = {"headline": 3, "summary": 8}


def key_hints(source_it: str, kind: Kind) -> list[str]:
    hints = [h for h in english_hints(source_it) if h.english]
    hints.sort(key=lambda h: _KEY_KINDS.index(h.kind) if h.kind in _KEY_KINDS else len(_KEY_KINDS))
    return list(dict.fromkeys(h.english for h in hints))[: _MAX_KEY_HINTS[kind]]


def _shape_penalty(kind: Kind, text: str) -> int:
    if not text:
        return 10
    if kind == "headline":
        words = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
        title_case = len(words) >= 4 and sum(w[0].isupper() for w in words[1:]) > 0.6 * (len(words) - 1)
        return int(len(text.split()) > 16) + int(text.endswith("?")) + int(title_case)
    sentences = text.count(". ") + 1
    return int(not 2 <= sentences <= 5)


def guarded_writing(writer: Writer, kind: Kind, english: str, source_it: str, repair: bool) -> Written:
    from ..pipeline.write import Written

    hints = key_hints(source_it, kind)
    tries = [(None, 0.0, 0)] + ([(hints, 0.0, 0), (hints, 0.5, 1)] if repair else [])
    scored = []
    for key, temperature, seed in tries[:MAX_WRITING_CANDIDATES]:
        text = writer.attempt(kind, english, key or None, temperature=temperature, seed=seed)
        report = check_support(source_it, text, english_context=english).to_dict()
        covered = sum(1 for hint in hints if hint.lower() in text.lower())
        scored.append(((report["unsupported"], _shape_penalty(kind, text), -covered), text, report))
        if report["unsupported"] == 0 and _shape_penalty(kind, text) == 0 and covered:
            break
    rank, text, report = min(scored, key=lambda item: item[0])
    notes = []
    if rank[0]:
        notes.append(f"no {kind} candidate out of {len(scored)} was free of unsupported facts; the best one is shown with them flagged")
    return Written(kind=kind, text=text, attempts=len(scored), report=report, notes=notes)
