"""Headline and summary, written in English from the English translation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import ConfigError
from ..guard.attempts import GuardedWriting, Policy, Writing
from ..models.base import Backend, GenerationRequest
from ..prompts import PromptTemplate, load_prompt
from ..text import chunk_sentences, split_sentences
from .options import Kind
from .result import UsageStats
from .translate import tidy_model_text

_MAX_NEW = {"headline": 48, "summary": 160}  # 90 words ≈ 120 tokens: a longer answer breaks the rules anyway


def tidy_headline(text: str) -> str:
    line = next((ln for ln in text.splitlines() if ln.strip()), "").strip()
    line = line.lstrip("#*- ").rstrip("*").strip()
    if line.lower().startswith("headline:"):
        line = line[len("headline:"):].strip()
    return line.strip("\"'“”").rstrip(".").strip()


def tidy_summary(text: str) -> str:
    text = text.strip()
    if text.lower().startswith("summary:"):
        text = text[len("summary:"):].strip()
    return " ".join(text.split())


class Writer:
    def __init__(self, backend: Backend, prompts_dir: Path, policy: Policy, usage: UsageStats) -> None:
        if not backend.chat:
            raise ConfigError(
                f"model config '{backend.config.id}' cannot write headlines or summaries (it is a translation-only model)",
                "set BRIEF_WRITER_CONFIG (or --writer-config) to a chat model such as qwen2.5-coder-1.5b-gguf",
            )
        self.backend = backend
        self.policy = policy
        self.usage = usage
        self.prompts_dir = prompts_dir
        self.prompts: dict[str, PromptTemplate] = {k: load_prompt(prompts_dir, k) for k in ("headline", "summary")}
        self.fix_prompt = load_prompt(prompts_dir, "headline_fix")

    @property
    def fix_prompt_ref(self) -> str:
        return self.fix_prompt.ref

    def prompt_ref(self, kind: Kind, how: str = "plain") -> str:
        """The prompt that wrote the kept text (`how` from `Written`)."""
        if how == "rewritten":
            return f"{self.prompts[kind].ref}+{self.fix_prompt.ref}"
        if how.startswith("hinted"):
            return load_prompt(self.prompts_dir, f"{kind}_hinted").ref
        return self.prompts[kind].ref

    def fit_to_context(self, english: str) -> tuple[str, list[str]]:
        """Text the model can read whole; a too-long article is condensed part by part first."""
        budget = self.backend.config.context_length - 600
        if self.backend.count_tokens(english) <= budget:
            return english, []
        parts = chunk_sentences(split_sentences(english), self.backend.count_tokens, budget // 2)
        condensed = [self.attempt("summary", part) for part in parts]
        note = f"the article was too long for one pass; it was summarised in {len(parts)} parts first"
        return "\n\n".join(condensed), [note]

    def attempt(self, kind: Kind, english: str, hints: list[str] | None = None, temperature: float | None = None, seed: int | None = None) -> str:
        prompt = self.prompts[kind]
        if hints:
            hinted = load_prompt(self.prompts_dir, f"{kind}_hinted")
            messages = hinted.messages(text=english, hints="; ".join(hints))
        else:
            messages = prompt.messages(text=english)
        request = GenerationRequest(messages=messages, max_new_tokens=_MAX_NEW[kind], temperature=temperature, seed=seed,
                                    task=kind)
        return self._generate(kind, request)

    def rewrite_headline(self, headline: str, problems: list[str], summary: str) -> str:
        """One more call: a headline that broke a rule, rewritten from the summary."""
        messages = self.fix_prompt.messages(text=summary, headline=headline, problems="; ".join(problems))
        return self._generate("headline", GenerationRequest(messages=messages, max_new_tokens=_MAX_NEW["headline"], temperature=0.0, seed=0,
                                                                task="headline"))

    def _generate(self, kind: Kind, request: GenerationRequest) -> str:
        generation = self.backend.generate(request)
        self.usage.record(generation)
        text = tidy_model_text(generation.text)
        return tidy_headline(text) if kind == "headline" else tidy_summary(text)

    def write(self, kind: Kind, english: str, source_it: str, summary: str | None = None) -> GuardedWriting:
        """The headline or summary, as the guard policy keeps it (see `GuardPolicy.write`).
        `summary`, for a headline, is the summary it must not repeat."""
        english, notes = self.fit_to_context(english)

        def attempt(hints: list[str] | None = None, temperature: float | None = None, seed: int | None = None) -> str:
            return self.attempt(kind, english, hints, temperature=temperature, seed=seed)

        writing = Writing(kind, english, source_it, attempt, self.rewrite_headline, self.fix_prompt_ref, summary)
        kept = self.policy.write(writing)
        return replace(kept, notes=notes + kept.notes)
