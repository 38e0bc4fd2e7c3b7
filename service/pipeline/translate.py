"""Translate cleaned paragraphs chunk by chunk, keeping paragraph structure.

Chat models get the previous chunk (source and translation) as context; text-to-text models
(Marian, NLLB) translate each chunk on its own, which is what they were trained for.
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
from .result import ChunkResult, ParagraphResult, UsageStats

_PREAMBLE = re.compile(
    r"^\s*(?:here(?: is|'s) (?:the|a|my)?\s*(?:english )?translation[^:\n]*:|(?:english )?translation:|english:)\s*",
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


@dataclass
class Context:
    source: str
    translation: str


class ChunkTranslator:
    """One model call per attempt; `translate_chunk` hands attempts to the guard policy."""

    def __init__(self, backend: Backend, prompts_dir: Path, policy: Policy, usage: UsageStats) -> None:
        self.backend = backend
        self.policy = policy
        self.usage = usage
        self.plain_prompt: PromptTemplate = load_prompt(prompts_dir, "translate")
        self.hinted_prompt: PromptTemplate = load_prompt(prompts_dir, "translate_hinted")

    @property
    def prompt_refs(self) -> list[str]:
        if not self.policy.uses_hints or not self.backend.chat:
            return [self.plain_prompt.ref] if self.backend.chat else []
        return [self.plain_prompt.ref, self.hinted_prompt.ref]

    def attempt(
        self,
        source: str,
        context: Context | None = None,
        hints: list[str] | None = None,
        temperature: float | None = None,
        seed: int | None = None,
    ) -> str:
        """One translation of `source` by the model (no checking)."""
        budget = max(64, int(self.backend.count_tokens(source) * 2.5) + 48)
        if self.backend.chat:
            context_block = ""
            if context is not None:
                context_block = (
                    "Context: the previous passage, already translated (do not translate it again):\n"
                    f"Italian: {context.source}\nEnglish: {context.translation}\n\n"
                )
            if hints:
                messages = self.hinted_prompt.messages(context=context_block, text=source, hints="; ".join(hints))
            else:
                messages = self.plain_prompt.messages(context=context_block, text=source)
            request = GenerationRequest(messages=messages, max_new_tokens=budget, temperature=temperature, seed=seed)
        else:
            request = GenerationRequest(text=source, max_new_tokens=budget, temperature=temperature, seed=seed)
        generation = self.backend.generate(request)
        self.usage.add(generation.prompt_tokens, generation.completion_tokens, generation.seconds)
        return tidy_model_text(generation.text)

    def translate_chunk(self, source: str, context: Context | None) -> ChunkResult:
        def attempt(text: str, *, hints: list[str] | None = None, with_context: bool = True,
                    temperature: float | None = None, seed: int | None = None) -> str:
            return self.attempt(text, context if with_context else None, hints, temperature, seed)

        kept = self.policy.translate(source, attempt, chat=self.backend.chat)
        return ChunkResult(source=source, translation=kept.text, attempts=kept.attempts, repaired=kept.repaired,
                           issues=kept.issues, suspect=kept.suspect, candidates=kept.candidates, how=kept.how)


ParagraphCallback = Callable[[ParagraphResult], None]


def translate_paragraphs(
    translator: ChunkTranslator,
    paragraphs: list[str],
    chunk_tokens: int,
    on_paragraph: ParagraphCallback | None = None,
) -> list[ParagraphResult]:
    """Translate each paragraph; a paragraph too long for one call is split into chunks."""
    results: list[ParagraphResult] = []
    context: Context | None = None
    count = translator.backend.count_tokens
    for index, paragraph in enumerate(paragraphs):
        chunks = chunk_sentences(split_sentences(paragraph), count, chunk_tokens)
        chunk_results = []
        for chunk in chunks:
            chunk_result = translator.translate_chunk(chunk, context)
            chunk_results.append(chunk_result)
            context = Context(chunk, chunk_result.translation)
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
