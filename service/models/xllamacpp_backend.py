"""xllamacpp backend: llama.cpp's own server embedded in the process, for GGUF chat models.

The server keeps `max_batch` slots and decodes every slot's next token in one batch (continuous
batching): calls made at the same time from several threads — concurrent API requests, the
listed requests of `generate_many` — share each decoding step instead of taking turns. Its
per-slot prompt cache (`cache_prompt`) skips the prefix a prompt shares with what its slot last
held. The choice between this and `llama_cpp` lives in the model config (`backend: xllamacpp`).

Each call streams, so the interrupt hook runs after every token: a timeout or cancel stops the
call within one token and frees its slot (the server drops a task whose reader has gone).

Unlike the `llama_cpp` backend, answers here may depend on what else is running: a batch of
several sequences, and a prompt evaluated from a cached prefix, go through other CPU kernels than
a lone cold start, and greedy decoding can flip on a near-tie. Measure before relying on
"concurrent = one at a time" (`scripts/concurrency_check.py --config NAME`).

The PyPI wheel is built for AVX2 CPUs (no AVX-512 kernels) and the server also listens on a
loopback HTTP port of its own choosing (unauthenticated, as llama.cpp's server does).
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import copy_context
from typing import Any

from ..errors import BackendUnavailableError, BriefError, ConfigError
from ..interrupt import check_interrupt
from .base import Backend, Generation, GenerationRequest, llama_sampling
from .weights import resolve_weights

PACKAGE = "xllamacpp==2026.10.11549"


class XLlamaCppError(BriefError):
    """The embedded server refused or failed a request (the message is the server's)."""

    code = "model_error"


class XLlamaCppBackend(Backend):
    name = "xllamacpp"

    @property
    def slots(self) -> int:
        """Sequences the server decodes together (config `max_batch`)."""
        return self.config.max_batch

    @property
    def concurrency(self) -> int:
        return self.slots

    def load(self) -> None:
        if not self.chat:
            raise ConfigError(f"{self.config.id}: the xllamacpp backend serves chat (causal) models only", "set architecture: causal")
        try:
            import xllamacpp
        except ImportError as exc:
            raise BackendUnavailableError(
                f"{self.config.id}: backend 'xllamacpp' needs the xllamacpp package, which is not installed",
                f"install it: pip install {PACKAGE} (or use backend: llama_cpp)",
            ) from exc
        if not _cpu_has_avx2():
            raise BackendUnavailableError(f"{self.config.id}: xllamacpp's wheel needs a CPU with AVX2, and this one lacks it",
                                          "use backend: llama_cpp")
        weights = resolve_weights(self.config, self.settings.cache_dir)
        path = weights.file
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_parallel = self.slots
        params.n_ctx = self.config.context_length * self.slots  # each slot gets the model's whole context
        params.kv_unified = False
        params.cont_batching = True
        params.n_batch = params.n_ubatch = 512
        params.cpuparams.n_threads = params.cpuparams_batch.n_threads = self.threads()
        params.cache_ram_mib = self.config.prompt_cache.max_mib
        params.warmup = False
        params.verbosity = 0
        params.sampling.seed = self.config.generation.seed
        with _keep_signal_handlers():  # llama.cpp's server takes SIGINT/SIGTERM for itself
            try:
                self._server = xllamacpp.Server(params)
            except RuntimeError as exc:
                raise ConfigError(f"{self.config.id}: xllamacpp could not load {path}: {exc}",
                                  "check the GGUF file and the config's context_length and max_batch") from exc
        self._vocab_lock = threading.Lock()
        self._vocab: Any = None

    def generate(self, request: GenerationRequest) -> Generation:
        self.ensure_loaded()
        check_interrupt()
        body: dict[str, Any] = {
            "messages": request.messages or [{"role": "user", "content": request.text or ""}],
            **llama_sampling(self.config, request),
            "stream": True,
            "stream_options": {"include_usage": True},
            "cache_prompt": self.config.prompt_cache.states > 0,
        }
        if request.stop:
            body["stop"] = list(request.stop)
        reader = _StreamReader()
        started = time.perf_counter()
        self._server.handle_chat_completions(body, reader)
        seconds = time.perf_counter() - started
        if reader.interrupted is not None:
            raise reader.interrupted
        if reader.error is not None:
            hint = ("shorten the text, or raise context_length in the model config" if "context" in reader.error
                    else "see the server log")
            raise XLlamaCppError(f"{self.config.id}: the xllamacpp server refused the call: {reader.error}", hint)
        usage, timings = reader.usage, reader.timings
        prompt_tokens = int(usage.get("prompt_tokens", 0))
        computed = int(timings.get("prompt_n", prompt_tokens))
        return Generation(
            text="".join(reader.parts).strip(),
            prompt_tokens=prompt_tokens,
            completion_tokens=int(usage.get("completion_tokens", 0)),
            seconds=seconds,
            finish_reason="length" if reader.finish_reason == "length" else "stop",
            cached_tokens=max(0, prompt_tokens - computed),
            prefill_seconds=float(timings.get("prompt_ms", 0.0)) / 1000,
        )

    def generate_many(self, requests: list[GenerationRequest]) -> list[Generation]:
        """All at once, each from its own thread (with the caller's interrupt hook), so they share slots."""
        if len(requests) <= 1:
            return [self.generate(r) for r in requests]
        self.ensure_loaded()
        with ThreadPoolExecutor(min(len(requests), self.slots), thread_name_prefix="xllamacpp") as pool:
            futures = [pool.submit(copy_context().run, self.generate, r) for r in requests]
            return [f.result() for f in futures]

    def count_tokens(self, text: str) -> int:
        self.ensure_loaded()
        with self._vocab_lock:
            if self._vocab is None:  # the server does not expose its tokenizer: load the GGUF's vocabulary alone
                from llama_cpp import Llama

                weights = resolve_weights(self.config, self.settings.cache_dir)
                path = weights.file
                self._vocab = Llama(model_path=str(path), vocab_only=True, verbose=False)
            return len(self._vocab.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def close(self) -> None:
        """Stop the server and free its memory (the slots' KV cache)."""
        if self._loaded:
            del self._server
            self._loaded = False


class _StreamReader:
    """Receives the server's streamed chunks (in the calling thread); returning True stops the call.

    The interrupt hook runs at every chunk, i.e. after every token."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.finish_reason: str | None = None
        self.usage: dict[str, Any] = {}
        self.timings: dict[str, Any] = {}
        self.error: str | None = None
        self.interrupted: BaseException | None = None

    def __call__(self, chunk: dict[str, Any]) -> bool:
        if "error" in chunk or ("code" in chunk and "choices" not in chunk):
            detail = chunk.get("error", chunk)
            self.error = detail.get("message", str(detail)) if isinstance(detail, dict) else str(detail)
            return True
        for choice in chunk.get("choices") or []:
            content = (choice.get("delta") or {}).get("content")
            if content:
                self.parts.append(content)
            if choice.get("finish_reason"):
                self.finish_reason = choice["finish_reason"]
        if chunk.get("usage"):
            self.usage = chunk["usage"]
        if chunk.get("timings"):
            self.timings = chunk["timings"]
        try:
            check_interrupt()
        except BaseException as error:  # noqa: BLE001 - re-raised by generate once the call has returned
            self.interrupted = error
            return True
        return False


def _cpu_has_avx2() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            return " avx2" in cpuinfo.read()
    except OSError:
        return True  # not Linux: let the wheel decide


@contextmanager
def _keep_signal_handlers() -> Iterator[None]:
    """Put back the process's SIGINT/SIGTERM handlers after the server installs its own.

    llama.cpp's server, embedded, still calls sigaction for both: a SIGTERM would then stop only
    its loop, leaving the Python server (uvicorn) running with a dead model. `signal.signal` works
    only in the main thread and models load in a worker thread, so the raw handlers are saved and
    restored with libc's sigaction, which any thread may call."""
    libc = ctypes.CDLL(None, use_errno=True)
    saved = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        buffer = ctypes.create_string_buffer(_SIGACTION_BYTES)
        if libc.sigaction(int(sig), None, buffer) == 0:
            saved[sig] = buffer
    try:
        yield
    finally:
        for sig, buffer in saved.items():
            if libc.sigaction(int(sig), buffer, None) != 0:
                raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), f"sigaction({sig.name})")


# struct sigaction is 152 bytes with glibc on x86-64 and aarch64; more room does no harm.
_SIGACTION_BYTES = 256
