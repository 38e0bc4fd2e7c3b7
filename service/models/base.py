"""The one backend seam. A backend turns a `GenerationRequest` into a `Generation`.

Chat backends (instruction LLMs) take `messages`; text-to-text backends (Marian, NLLB) take
`text`. Everything above this seam — pipeline, guard, API, eval — speaks only these types.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..settings import Settings
from .config import ModelConfig


@dataclass
class GenerationRequest:
    messages: list[dict[str, str]] | None = None
    text: str | None = None
    max_new_tokens: int | None = None
    temperature: float | None = None
    seed: int | None = None
    stop: list[str] = field(default_factory=list)
    task: str | None = None  # what the call is for ("translate", "headline", "summary"): for tests, logs and metrics

    def __post_init__(self) -> None:
        if (self.messages is None) == (self.text is None):
            raise ValueError("a GenerationRequest needs exactly one of `messages` or `text`")


def llama_sampling(config: ModelConfig, request: GenerationRequest) -> dict[str, Any]:
    """llama.cpp's sampling fields for `request` (the config's defaults where the request leaves them
    open), as both GGUF backends send them."""
    gen = config.generation
    return {
        "max_tokens": request.max_new_tokens or gen.max_new_tokens,
        "temperature": gen.temperature if request.temperature is None else request.temperature,
        "top_p": gen.top_p,
        "top_k": gen.top_k,
        "repeat_penalty": gen.repeat_penalty,
        "seed": gen.seed if request.seed is None else request.seed,
    }


@dataclass
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finish_reason: str = "stop"  # "stop" or "length"
    cached_tokens: int = 0  # prompt tokens whose KV state was reused rather than computed
    prefill_seconds: float = 0.0  # time spent computing the prompt (0 when the backend cannot tell)
    reused: bool = False  # the same deterministic request was answered before: no model call was made

    @property
    def computed_tokens(self) -> int:
        """Prompt tokens the model actually processed."""
        return 0 if self.reused else self.prompt_tokens - self.cached_tokens

    @property
    def tokens_per_second(self) -> float:
        return self.completion_tokens / self.seconds if self.seconds > 0 else 0.0


class Backend(ABC):
    """A loaded model. Subclasses set `name` and implement `load`, `generate`, `count_tokens`."""

    name: ClassVar[str]

    def __init__(self, config: ModelConfig, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self._loaded = False

    @property
    def chat(self) -> bool:
        return self.config.is_chat

    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def concurrency(self) -> int:
        """Calls worth making at once: a backend that batches concurrent calls says how many (the API
        then serves that many requests side by side); 1 means calls take turns."""
        return 1

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.load()
            self._loaded = True

    def threads(self) -> int:
        import os

        return self.config.threads or self.settings.threads or os.cpu_count() or 1

    @abstractmethod
    def load(self) -> None:
        """Load weights (called once, lazily)."""

    @abstractmethod
    def generate(self, request: GenerationRequest) -> Generation:
        """Generate one completion."""

    def generate_many(self, requests: list[GenerationRequest]) -> list[Generation]:
        """Generate a completion for each request, in order (an article's chunks, requests that arrived together).

        Backends that batch override this (transformers: continuous batching for causal models, padded
        batches for seq2seq); the default runs them one after another.
        """
        return [self.generate(request) for request in requests]

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes in this model's vocabulary."""
