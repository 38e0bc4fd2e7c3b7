"""The guard policy: what the pipeline calls instead of its model directly.

The pipeline builds one `attempt` function per chunk (or per headline/summary) that makes one
model call, and hands it to `GuardPolicy.translate` / `GuardPolicy.write`. The policy decides
how many calls to make, with which hints, temperatures and seeds, and which output to keep.
A different policy (a test double, a smarter selector) is a drop-in object with the same
methods (`attempts.Policy`); nothing in the guard imports the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import Guard
from .attempts import GuardedText, GuardedWriting, Quality, TranslateAttempt, Writing
from .translation import MAX_TRANSLATION_ATTEMPTS, guarded_translation
from .writing import MAX_WRITING_CANDIDATES, guarded_writing

# Per quality preset: (most headline/summary candidates scored, keep asking until the key facts
# are all in). `fast` stops at the first valid candidate with one key fact.
WRITING_CANDIDATES: dict[str, tuple[int, bool]] = {"fast": (3, False), "balanced": (3, True), "best": (4, True)}


@dataclass(frozen=True)
class GuardPolicy:
    """The built-in policy for one `Guard` mode and quality preset."""

    mode: Guard = Guard.REPAIR
    quality: Quality = "balanced"

    @property
    def uses_hints(self) -> bool:
        """Whether the prompts carry the facts as a glossary (so the hinted prompt is in use)."""
        return self.mode is not Guard.OFF

    def translate(self, source: str, attempt: TranslateAttempt, *, chat: bool) -> GuardedText:
        """Translate one chunk. `chat` says whether the model reads prompts (and so glossaries)."""
        if self.mode is Guard.OFF:
            return GuardedText(attempt(source))
        return guarded_translation(source, attempt, chat=chat, repair=self.mode is Guard.REPAIR, quality=self.quality)

    def write(self, writing: Writing) -> GuardedWriting:
        """A headline or summary, checked against the rules (`rules.py`) in every mode: `off` and
        `verify` write one candidate (`off` never spends a call on a rewrite: a broken one is cut);
        `repair` scores up to `WRITING_CANDIDATES[quality]`."""
        count, thorough = (1, True) if self.mode is not Guard.REPAIR else WRITING_CANDIDATES[self.quality]
        return guarded_writing(writing, candidates=count, thorough=thorough, may_rewrite=self.mode is not Guard.OFF)


def policy_for(guard: Guard | str, quality: Quality = "balanced") -> GuardPolicy:
    """The built-in policy for a mode ('off', 'verify', 'repair') and preset ('fast', 'balanced', 'best')."""
    return GuardPolicy(Guard(guard), quality)


__all__ = ["MAX_TRANSLATION_ATTEMPTS", "MAX_WRITING_CANDIDATES", "WRITING_CANDIDATES", "GuardPolicy", "policy_for"]
