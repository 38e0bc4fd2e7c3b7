"""Translate cleaned paragraphs chunk by chunk, keeping paragraph structure.

Chat models translate an article as one conversation: the earlier chunks come first as turns
(the user message sent, the translation kept), so the model sees what came before and each call
shares its whole prefix with the previous one (its KV state is reused, not recomputed). When the
conversation outgrows its budget it restarts from the last chunk. Text-to-text models (Marian,
NLLB) translate each chunk on its own, which is what they were trained for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..guard.attempts import Policy
from ..models.base import Backend, GenerationRequest
from ..prompts import PromptTemplate, load_prompt
from ..text import chunk_sentences, split_sentences
from ..text.phrasebook import load_phrasebook
from .result import ChunkResult, ParagraphResult, UsageStats

_PREAMBLE = re.compile(
    r"^\s*(?:(?:sure|certainly|of course|ok(?:ay)?)[,.!]?\s*)?"
    r"(?:here(?: is|['’]s) (?:the|a|my)?\s*(?:english )?translation[^:\n]*:|(?:english )?translation:|english:)\s*",
    re.IGNORECASE,
)


def tidy_model_text(text: str) -> str:
    """Remove wrappers small models add: a preamble line, code fences, surrounding quotes."""
    text = text.strip()
    text = re.sub(r"^```[a-z]*\n?|\n?```$", "", text).strip()
    text = _PREAMBLE.sub("", text).strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'" and text.count(text[0]) == 2:
        text = text[1:-1].strip()
    return text


@dataclass(frozen=True)
class Context:
    """The article's conversation so far: (user message sent, translation kept) per earlier chunk."""

    turns: tuple[tuple[str, str], ...] = ()

    def messages(self) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for user, assistant in self.turns:
            out += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
        return out


class ChunkTranslator:
    """One model call per attempt; `translate_chunk` hands attempts to the guard policy."""

    def __init__(self, backend: Backend, prompts_dir: Path, policy: Policy, usage: UsageStats) -> None:
        self.backend = backend
        self.policy = policy
        self.usage = usage
        self.plain_prompt: PromptTemplate = load_prompt(prompts_dir, "translate")
        self.hinted_prompt: PromptTemplate = load_prompt(prompts_dir, "translate_hinted")
        self.noted_prompt: PromptTemplate = load_prompt(prompts_dir, "translate_noted")
        self.phrasebook = load_phrasebook()
        self._turn_message: str | None = None  # the first user message sent for the current chunk
        # Earlier turns may fill the context window up to this many tokens, leaving room for the
        # chunk, its glossary and its translation.
        self.history_budget = max(0, backend.config.context_length - 4 * backend.config.chunk_tokens - 512)

    @property
    def prompt_refs(self) -> list[str]:
        if not self.backend.chat:
            return []
        noted = [self.noted_prompt.ref, self.phrasebook.ref]
        if not self.policy.uses_hints:
            return [self.plain_prompt.ref, *noted]
        return [self.plain_prompt.ref, self.hinted_prompt.ref, *noted]

    def attempt(
        self,
        source: str,
        context: Context | None = None,
        hints: list[str] | None = None,
        temperature: float | None = None,
        seed: int | None = None,
    ) -> str:
        """One translation of `source` by the model (no checking)."""
        # English takes fewer tokens than the Italian it translates; the budget only stops loops.
        budget = max(48, int(self.backend.count_tokens(source) * 1.6) + 32)
        if self.backend.chat:
            # Phrasebook notes go with every prompt of a passage that has such an expression: as
            # glossary lines in the hinted prompt, as notes in the plain one.
            notes = [note.line for note in self.phrasebook.notes_for(source)]
            if hints:
                system, user = self.hinted_prompt.messages(text=source, hints="; ".join(hints + notes))
            elif notes:
                system, user = self.noted_prompt.messages(text=source, notes="\n".join(notes))
            else:
                system, user = self.plain_prompt.messages(text=source)
            if context is not None and self._turn_message is None:
                self._turn_message = user["content"]
            history = context.messages() if context is not None else []
            request = GenerationRequest(messages=[system, *history, user], max_new_tokens=budget, temperature=temperature, seed=seed,
                                        task="translate")
        else:
            request = GenerationRequest(text=source, max_new_tokens=budget, temperature=temperature, seed=seed, task="translate")
        generation = self.backend.generate(request)
        self.usage.record(generation)
        return tidy_model_text(generation.text)

    def next_context(self, context: Context | None, translation: str) -> Context | None:
        """The conversation after the chunk just translated (None for text-to-text models)."""
        if not self.backend.chat or self._turn_message is None:
            return None
        turn = (self._turn_message, translation)
        turns = (context.turns if context is not None else ()) + (turn,)
        size = sum(self.backend.count_tokens(u) + self.backend.count_tokens(a) + 10 for u, a in turns)
        if size > self.history_budget:
            turns = (turn,)  # restart from the last chunk: one recomputation, then reuse again
        return Context(turns)

    def translate_chunk(self, source: str, context: Context | None) -> ChunkResult:
        self._turn_message = None
        def attempt(text: str, *, hints: list[str] | None = None, with_context: bool = True,
                    temperature: float | None = None, seed: int | None = None) -> str:
            return self.attempt(text, context if with_context else None, hints, temperature, seed)

        kept = self.policy.translate(source, attempt, chat=self.backend.chat)
        return ChunkResult(source=source, translation=kept.text, attempts=kept.attempts, repaired=kept.repaired,
                           issues=kept.issues, suspect=kept.suspect, candidates=kept.candidates, how=kept.how,
                           meaning=kept.meaning, fixes=kept.fixes)


ParagraphCallback = Callable[[ParagraphResult], None]


def translate_paragraphs(
    translator: ChunkTranslator,
    paragraphs: list[str],
    chunk_tokens: int,
    on_paragraph: ParagraphCallback | None = None,
) -> list[ParagraphResult]:
    """Translate each paragraph; a paragraph too long for one call is split into chunks."""
    results: list[ParagraphResult] = []
    context: Context | None = Context()
    count = translator.backend.count_tokens
    for index, paragraph in enumerate(paragraphs):
        chunks = chunk_sentences(split_sentences(paragraph), count, chunk_tokens)
        chunk_results = []
        for chunk in chunks:
            chunk_result = translator.translate_chunk(chunk, context)
            chunk_results.append(chunk_result)
            context = translator.next_context(context, chunk_result.translation)
        result = ParagraphResult(
            index=index,
            source=paragraph,
            translation=" ".join(c.translation for c in chunk_results),
            chunks=chunk_results,
        )
        results.append(result)
        if on_paragraph:
            on_paragraph(result)
    return results
