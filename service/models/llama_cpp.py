"""llama.cpp backend (llama-cpp-python): GGUF chat models on the CPU."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..interrupt import check_interrupt, interrupt_active
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
        with _extra_buffers(self.settings.llama_extra_buffers):
            self._llm = Llama(
                model_path=str(path),
                n_ctx=self.config.context_length,
                n_threads=self.threads(),
                seed=self.config.generation.seed,
                verbose=False,
            )

    def generate(self, request: GenerationRequest) -> Generation:
        self.ensure_loaded()
        check_interrupt()
        gen = self.config.generation
        messages = request.messages or [{"role": "user", "content": request.text or ""}]
        hooks: dict[str, Any] = {}
        interrupt = _InterruptHook(self._llm.token_eos()) if interrupt_active() else None
        if interrupt is not None:  # checked at every token, so a timeout or cancel stops the generation
            hooks["logits_processor"] = [interrupt]
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
            **hooks,
        )
        seconds = time.perf_counter() - started
        if interrupt is not None and interrupt.error is not None:
            raise interrupt.error
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


class _InterruptHook:
    """A logits processor that changes nothing until the run must stop; then it forces end-of-text.

    llama-cpp-python calls it from a C callback, where an exception would be swallowed: so it
    keeps the exception and `generate` raises it once the (now one-token) generation returns."""

    def __init__(self, eos_token: int) -> None:
        self.eos_token = eos_token
        self.error: BaseException | None = None

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        if self.error is None:
            try:
                check_interrupt()
            except BaseException as error:  # noqa: BLE001 - re-raised by generate
                self.error = error
        if self.error is not None:
            scores[:] = float("-inf")
            scores[self.eos_token] = 0.0
        return scores


def _amx_listed() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            return "amx_tile" in cpuinfo.read()
    except OSError:
        return False


def _library_has_amx() -> bool:
    """True when the installed libggml-cpu holds AMX tile instructions (a native build on an AMX
    CPU); the AMX-free build `scripts/setup.sh` makes does not, and keeps repacking on."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("llama_cpp")
    if spec is None or not spec.origin:
        return False
    libraries = list((Path(spec.origin).parent / "lib").glob("libggml-cpu*.so*"))
    # VEX prefix of the AMX tile ops (tilezero/tileloadd/tdpb*): c4 e2 7b 49|4b|5e
    return any(any(op in lib.read_bytes() for op in (b"\xc4\xe2\x7b\x49", b"\xc4\xe2\x7b\x4b")) for lib in libraries)


@contextmanager
def _extra_buffers(mode: str) -> Iterator[None]:
    """llama.cpp's extra CPU buffer types (weight repacking, AMX kernels) on or off while loading.

    Off under `auto` when the CPU lists AMX: on VMs that list AMX without enabling it, the AMX
    kernels die with SIGILL ("Illegal instruction", `tilezero` in libggml-cpu) at the first
    generation. Off costs the repacked-weight speed-up; set BRIEF_LLAMA_EXTRA_BUFFERS=on where AMX works.
    """
    if mode == "on" or (mode == "auto" and not (_amx_listed() and _library_has_amx())):
        yield
        return
    import llama_cpp.llama as llama_module

    low_level = llama_module.llama_cpp
    default = low_level.llama_model_default_params

    def without_extra_buffers():  # type: ignore[no-untyped-def]
        params = default()
        params.use_extra_bufts = False
        return params

    low_level.llama_model_default_params = without_extra_buffers
    try:
        yield
    finally:
        low_level.llama_model_default_params = default
