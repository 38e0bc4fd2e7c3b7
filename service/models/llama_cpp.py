"""llama.cpp backend (llama-cpp-python): GGUF chat models on the CPU."""

from __future__ import annotations

import time

from .base import Backend, Generation, GenerationRequest
from .weights import resolve_weights


class LlamaCppBackend(Backend):
    name = "llama_cpp"

    def load(self) -> None:
        from llama_cpp import Llama

        if not self.chat:
            from ..errors import ConfigError

            raise ConfigError(f"{self.config.id}: the llama_cpp backend serves chat (causal) models only", "set architecture: causal")
        weights = resolve_weights(self.config, self.settings.cache_dir)
        path = weights.path / weights.gguf_file if weights.gguf_file else weights.path
        self._llm = Llama(
            model_path=str(path),
            n_ctx=self.config.context_length,
            n_threads=self.threads(),
            seed=self.config.generation.seed,
            verbose=False,
        )

    def generate(self, request: GenerationRequest) -> Generation:
        self.ensure_loaded()
        gen = self.config.generation
        messages = request.messages or [{"role": "user", "content": request.text or ""}]
        started = time.perf_counter()
        out = self._llm.create_chat_completion(
            messages=messages,
            max_tokens=request.max_new_tokens or gen.max_new_tokens,
            temperature=gen.temperature if request.temperature is None else request.temperature,
            top_p=gen.top_p,
            top_k=gen.top_k,
            repeat_penalty=gen.repeat_penalty,
            seed=gen.seed if request.seed is None else request.seed,
            stop=request.stop or None,
        )
        seconds = time.perf_counter() - started
        choice = out["choices"][0]
        usage = out.get("usage", {})
        return Generation(
            text=(choice["message"].get("content") or "").strip(),
            prompt_tokens=usage.get("prompt_tokens", 0),
            completion_tokens=usage.get("completion_tokens", 0),
            seconds=seconds,
            finish_reason=choice.get("finish_reason") or "stop",
        )

    def count_tokens(self, text: str) -> int:
        self.ensure_loaded()
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))
