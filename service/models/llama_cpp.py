"""llama.cpp backend (llama-cpp-python): GGUF chat models on the CPU.

Prompt reuse: llama-cpp-python already skips the prefix a prompt shares with the live KV state;
`PrefixStates` keeps the states a detour would throw away (see prefix_states.py), and an identical
deterministic request (same tokens, same sampling settings and seed) is answered from memory.

Reuse never changes an answer. llama.cpp's CPU kernels compute prompt tokens in groups (the
repacked Q4_K matmul takes four at a time; a short batch, or a lone generated token, goes through
other kernels), so a token's KV values depend on the batch it was evaluated in: reusing an
arbitrary prefix, or tokens that were generated one by one, can flip a greedy choice later on.
With `prompt_cache.align_tokens` = A (default 16) only whole A-token blocks of earlier *prompts*
are reused (never generated tokens, never a last batch shorter than A), at least A tokens are
evaluated again, and the rest of the prompt is evaluated in batches that end where a cold start's
end (every 512 positions): each token meets the same kernels as from a cold start, and the logits
are bit-identical to it (measured: max |Δlogit| 0.0 that way; 0.52 with a prefix one token off,
0.48 with a 6-token last batch, 0.0 with 10- and 14-token ones), so an answer depends only on its
own request.
`Generation.cached_tokens` says how many prompt tokens were reused, `prefill_seconds` how long the
rest took (llama.cpp's own counters).
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from ..interrupt import check_interrupt, interrupt_active
from .base import Backend, Generation, GenerationRequest, llama_sampling
from .prefix_states import PrefixStates, SavedState, common_prefix
from .weights import resolve_weights


class LlamaCppBackend(Backend):
    name = "llama_cpp"

    def load(self) -> None:
        from llama_cpp import Llama

        if not self.chat:
            from ..errors import ConfigError

            raise ConfigError(f"{self.config.id}: the llama_cpp backend serves chat (causal) models only", "set architecture: causal")
        weights = resolve_weights(self.config, self.settings.cache_dir)
        path = weights.file
        with _extra_buffers(self.settings.llama_extra_buffers):
            self._llm = Llama(
                model_path=str(path),
                n_ctx=self.config.context_length,
                n_batch=_BATCH_TOKENS,
                n_threads=self.threads(),
                seed=self.config.generation.seed,
                verbose=False,
            )
        self._formatter = chat_formatter(self._llm)
        cache = self.config.prompt_cache
        self.prefix_states = PrefixStates(cache.states, cache.max_mib * 2**20)
        self._live_clean = 0  # leading live tokens evaluated as aligned prompt blocks (safe to reuse)
        self._answers: OrderedDict[tuple[Any, ...], Generation] = OrderedDict()
        self._lock = threading.Lock()

    def generate(self, request: GenerationRequest) -> Generation:
        self.ensure_loaded()
        check_interrupt()
        messages = request.messages or [{"role": "user", "content": request.text or ""}]
        # llama_cpp types messages as its own TypedDicts; ours are the same role/content dicts
        formatted, tokens = format_chat(self._llm, self._formatter, messages)
        stop = list(request.stop) + list(formatted.stop or [])
        params = llama_sampling(self.config, request)
        key = (tuple(tokens), tuple(stop), tuple(params.items()))
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                earlier = self._answers[key]
                return replace(earlier, seconds=0.0, prefill_seconds=0.0, cached_tokens=earlier.prompt_tokens, reused=True)
            hooks: dict[str, Any] = {}
            interrupt = _InterruptHook(self._llm.token_eos()) if interrupt_active() else None
            if interrupt is not None:  # checked at every token, so a timeout or cancel stops the generation
                hooks["logits_processor"] = [interrupt]
            _perf_reset(self._llm)
            started = time.perf_counter()
            cached = self._reuse_prefix(tokens)
            self._live_clean = 0  # until the prompt is known to be evaluated
            if self._align:
                self._evaluate(tokens, cached)  # then llama-cpp-python finds the whole prompt evaluated and samples at once
            out = self._llm.create_completion(prompt=tokens, stop=stop, stopping_criteria=formatted.stopping_criteria,
                                              **params, **hooks)
            seconds = time.perf_counter() - started
            self._live_clean = self._clean_length(len(tokens))
            if interrupt is not None and interrupt.error is not None:
                raise interrupt.error
            assert not isinstance(out, Iterator)  # one response: stream is off
            choice = out["choices"][0]
            usage = out.get("usage", {})
            generation = Generation(
                text=(choice.get("text") or "").strip(),
                prompt_tokens=usage.get("prompt_tokens", len(tokens)),
                completion_tokens=usage.get("completion_tokens", 0),
                seconds=seconds,
                finish_reason=choice.get("finish_reason") or "stop",
                cached_tokens=cached,
                prefill_seconds=_perf_prefill_seconds(self._llm),
            )
            if self.config.prompt_cache.answers:
                self._answers[key] = generation
                while len(self._answers) > self.config.prompt_cache.answers:
                    self._answers.popitem(last=False)
            return generation

    def count_tokens(self, text: str) -> int:
        self.ensure_loaded()
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    # --- prompt reuse ----------------------------------------------------------------------------
    @property
    def _align(self) -> int:
        return self.config.prompt_cache.align_tokens

    def _aligned(self, n: int) -> int:
        return n // self._align * self._align if self._align else n

    def _reuse_prefix(self, tokens: list[int]) -> int:
        """Make the live KV state the best available start for `tokens`; return the tokens reused."""
        llm = self._llm
        live = llm.input_ids[: llm.n_tokens].tolist()
        if self._align:
            live = live[: self._live_clean]
        # At least the last prompt token is evaluated again, for fresh logits; aligned, at least
        # `align_tokens` of them (a shorter batch goes through other kernels than a cold start's).
        most = len(tokens) - max(1, self._align)
        reuse = self._aligned(min(common_prefix(live, tokens), most))
        saved, saved_reuse = self.prefix_states.best(tokens)
        saved_reuse = self._aligned(min(saved_reuse, most))
        if self.prefix_states.should_save(live, tokens):
            self._save(live)
        if saved is not None and self.prefix_states.should_restore(reuse, saved_reuse) and self._restore(saved):
            reuse = saved_reuse
        reuse = max(0, min(reuse, llm.n_tokens))  # a refused restore has wiped the live state
        if self._align and reuse < llm.n_tokens:
            # llama-cpp-python reuses the whole prefix it finds in the live state: keep only the aligned part.
            llm._ctx.kv_cache_seq_rm(-1, reuse, -1)
            llm.n_tokens = reuse
        return reuse

    def _evaluate(self, tokens: list[int], start: int) -> None:
        """Evaluate `tokens[start:]` in batches that end where a cold start's do (every
        `_BATCH_TOKENS` positions, and at the end): each token then meets the same kernels as cold."""
        position = start
        while position < len(tokens):
            end = min(len(tokens), (position // _BATCH_TOKENS + 1) * _BATCH_TOKENS)
            self._llm.eval(tokens[position:end])
            position = end

    def _clean_length(self, prompt_tokens: int) -> int:
        """How much of the prompt just evaluated a later prompt may reuse: not the generated tokens,
        and not a last batch shorter than `align_tokens` (a cold start evaluates those positions in a
        longer batch, through other kernels)."""
        if not self._align:
            return prompt_tokens
        tail = prompt_tokens % _BATCH_TOKENS
        return prompt_tokens - tail if 0 < tail < self._align else prompt_tokens

    def _save(self, live: list[int]) -> None:
        import llama_cpp

        ctx = self._llm._ctx.ctx
        size = llama_cpp.llama_state_seq_get_size(ctx, 0)
        buffer = (ctypes.c_uint8 * size)()
        written = llama_cpp.llama_state_seq_get_data(ctx, buffer, size, 0)
        if written:
            self.prefix_states.add(live, buffer, int(written))

    def _restore(self, state: SavedState) -> bool:
        import llama_cpp

        llm = self._llm
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        if not llama_cpp.llama_state_seq_set_data(llm._ctx.ctx, state.payload, state.nbytes, 0):
            llm.reset()
            return False
        n = len(state.tokens)
        llm.input_ids[:n] = state.tokens
        llm.n_tokens = n
        llm._requires_eval = True
        self.prefix_states.restores += 1
        return True


# llama-cpp-python's default batch; every allowed `align_tokens` divides it, so batches start aligned.
_BATCH_TOKENS = 512


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


_CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def chat_formatter(llm: Any) -> Any:
    """The GGUF's own chat template (ChatML when it has none), rendered the way llama-cpp-python's
    default handler does; for the backend and the scripts that build its prompts themselves."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    eos, bos = llm.token_eos(), llm.token_bos()
    return Jinja2ChatFormatter(
        template=llm.metadata.get("tokenizer.chat_template") or _CHATML,
        eos_token=llm._model.token_get_text(eos) if eos != -1 else "",
        bos_token=llm._model.token_get_text(bos) if bos != -1 else "",
        stop_token_ids=[eos],
    )


def format_chat(llm: Any, formatter: Any, messages: list[dict[str, str]]) -> tuple[Any, list[int]]:
    """`messages` rendered by `formatter`, and the prompt's tokens (special tokens parsed)."""
    formatted = formatter(messages=messages)
    return formatted, llm.tokenize(formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True)


def _perf_reset(llm: Any) -> None:
    try:
        import llama_cpp

        llama_cpp.llama_perf_context_reset(llm._ctx.ctx)
    except (AttributeError, OSError):  # an older llama-cpp-python without the perf API
        pass


def _perf_prefill_seconds(llm: Any) -> float:
    try:
        import llama_cpp

        return llama_cpp.llama_perf_context(llm._ctx.ctx).t_p_eval_ms / 1000
    except (AttributeError, OSError):
        return 0.0


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

    def without_extra_buffers() -> llama_module.llama_cpp.llama_model_params:
        params = default()
        params.use_extra_bufts = False
        return params

    low_level.llama_model_default_params = without_extra_buffers
    try:
        yield
    finally:
        low_level.llama_model_default_params = default
