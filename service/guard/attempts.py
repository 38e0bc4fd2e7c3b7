"""The seam between pipeline and guard: the one-call functions the pipeline hands over, and what
the guard hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from ..facts import WritingFacts
from .rules import Kind

Quality = Literal["fast", "balanced", "best"]


class TranslateAttempt(Protocol):
    """One model translation of `source`: with the chunk's previous passage as context unless
    `with_context` is false, with glossary `hints` when given."""

    def __call__(self, source: str, /, *, hints: list[str] | None = None, with_context: bool = True,
                 temperature: float | None = None, seed: int | None = None) -> str: ...


class WriteAttempt(Protocol):
    """One model headline or summary (the kind and text are bound by the pipeline)."""

    def __call__(self, hints: list[str] | None = None, temperature: float | None = None, seed: int | None = None) -> str: ...


class HeadlineRewrite(Protocol):
    """One model call that rewrites a headline which broke `problems`, from `summary`."""

    def __call__(self, headline: str, problems: list[str], summary: str) -> str: ...


@dataclass
class GuardedText:
    """The translation of one chunk the policy kept, and how it got there."""

    text: str
    attempts: int = 1
    repaired: bool = False
    issues: int = 0
    suspect: bool = False  # the kept output does not look like a translation (the guard could not fix it)
    candidates: int = 1  # translations scored before one was kept
    how: str = "plain"  # which candidate was kept (plain, hinted, retry-…, sampled, …)
    meaning: list[str] = field(default_factory=list)  # phrasebook notes the kept text does not follow
    fixes: list[str] = field(default_factory=list)  # phrasebook rewrites made to the model's text (not by the model)


@dataclass
class GuardedWriting:
    """The headline or summary the policy kept; `report` is None when the policy did not check it."""

    text: str
    attempts: int = 1
    report: WritingFacts | None = None
    notes: list[str] = field(default_factory=list)
    how: str = "plain"  # which candidate won: plain, hinted, …, rewritten, cut
    candidates: int = 1  # candidates scored against the rules


@dataclass(frozen=True)
class Writing:
    """What a headline or summary is written from, and the model calls that write it."""

    kind: Kind
    english: str  # the article's English (the model's input)
    source_it: str  # the Italian source (what facts are checked against)
    attempt: WriteAttempt
    rewrite: HeadlineRewrite
    rewrite_ref: str  # the prompt `rewrite` uses, named in notes
    summary: str | None = None  # for a headline: the summary it must not repeat


class Policy(Protocol):
    """What the pipeline needs of a guard policy (`GuardPolicy` is the built-in one)."""

    @property
    def uses_hints(self) -> bool:
        """Whether prompts may carry a fact glossary (the hinted prompt is then in use)."""
        ...

    def translate(self, source: str, attempt: TranslateAttempt, *, chat: bool) -> GuardedText: ...

    def write(self, writing: Writing) -> GuardedWriting: ...
