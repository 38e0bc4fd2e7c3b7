"""transformers backend: Marian/NLLB seq2seq translators and causal chat models (incl. GGUF).

transformers v5 has no translation/summarization pipelines, so this calls `generate` directly.
With `batching: continuous` in a causal model's config, greedy requests (concurrent `generate` calls from
any thread, and the lists given to `generate_many`) are decoded together by transformers' continuous
batching (see continuous_batching.py); sampled or beam-search requests still run one `generate` each.
Seq2seq models (Marian, NLLB) batch `generate_many` by padding, `max_batch` texts per `generate` call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, WeightsError
from ..interrupt import check_interrupt, interrupt_active
from ..settings import Settings
from .base import Backend, Generation, GenerationRequest
from .config import ModelConfig
from .continuous_batching import BatchingUnavailable, ContinuousBatcher
from .weights import resolve_weights


class TransformersBackend(Backend):
    name = "transformers"
    _batcher: ContinuousBatcher | None = None
    _plain_generate_blocked: str | None = None  # transformers 5.17 runs batching in paged attention only

    def __init__(self, config: ModelConfig, settings: Settings) -> None:
        super().__init__(config, settings)
        self._load_lock = threading.Lock()
        # A fast (Rust) tokenizer switches its padding/truncation state per call and raises "Already borrowed"
        # when two threads do that at once; callers share this backend, so its tokenizer calls take turns.
        self._tokenizer_lock = threading.Lock()

    def ensure_loaded(self) -> None:
        with self._load_lock:  # concurrent first calls (batching serves many threads) load one model, one engine
            super().ensure_loaded()

    def load(self) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

        torch.set_num_threads(self.threads())
        weights = resolve_weights(self.config, self.settings.cache_dir)
        location: str = str(weights.path)
        kwargs: dict[str, Any] = {}
        if weights.hub_repo:
            kwargs["revision"] = weights.revision
        gguf_file = weights.gguf_file
        if weights.path.is_file():  # an assembled GGUF file
            location, gguf_file = str(weights.path.parent), weights.path.name
        if gguf_file:
            kwargs["gguf_file"] = gguf_file
        tokenizer_kwargs = dict(kwargs)
        if self.config.source_lang_code:
            tokenizer_kwargs["src_lang"] = self.config.source_lang_code
        model_class = AutoModelForCausalLM if self.chat else AutoModelForSeq2SeqLM
        if self.config.batching == "continuous":
            kwargs["attn_implementation"] = "sdpa"  # continuous batching runs sdpa (or flash), not eager
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(location, **tokenizer_kwargs)
            self._model = model_class.from_pretrained(location, dtype=_dtype(self.config.dtype), **kwargs)
        except (OSError, ValueError) as exc:  # ValueError: no usable tokenizer/config there, or a missing extra (accelerate)
            raise WeightsError(
                f"could not load {self.config.id} from {location}: {exc}",
                "the hub needs network access; download the model once, or point weights.path at a local copy",
            ) from exc
        self._forced_bos_token_id = self._language_token_id(self.config.target_lang_code)
        self._device = _device(self.config.device)
        # transformers wraps `.to` in a decorator whose stub hides the device parameter
        self._model.to(self._device)  # type: ignore[arg-type]
        self._model.eval()
        if self.config.batching == "continuous":
            self._batcher = self._start_batcher()

    def _start_batcher(self) -> ContinuousBatcher:
        eos = self._model.generation_config.eos_token_id
        try:
            batcher = ContinuousBatcher(
                self._model,
                eos_token_id=self._tokenizer.eos_token_id if eos is None else eos,
                pad_token_id=self._tokenizer.pad_token_id,
                max_batch=self.config.max_batch,
                request_tokens=self.config.context_length,
                max_new_tokens=self.config.generation.max_new_tokens,
            )
        except BatchingUnavailable as exc:
            raise ConfigError(
                f"{self.config.id}: batching: continuous is not available here ({exc})",
                "install transformers >= 5.17, or set batching: none in the model config",
            ) from exc
        if batcher.attention.startswith("paged|"):  # transformers 5.17: plain generate cannot run beside it
            self._plain_generate_blocked = batcher.attention
        return batcher

    def close(self) -> None:
        """Stop the continuous-batching engine (if any); the backend loads again on next use."""
        if self._batcher is not None:
            self._batcher.close()
            self._batcher = None
            self._loaded = False

    def _language_token_id(self, code: str | None) -> int | None:
        """The id of a target-language token (NLLB `eng_Latn`); a code not in the vocabulary is an error, not <unk>."""
        if not code:
            return None
        token_id = self._tokenizer.convert_tokens_to_ids(code)
        if not isinstance(token_id, int) or token_id == self._tokenizer.unk_token_id:  # None: not in the vocabulary
            raise ConfigError(
                f"{self.config.id}: target_lang_code '{code}' is not a token of this model's vocabulary",
                f"fix `target_lang_code` in model_configs/{self.config.id}.yaml (NLLB spells English eng_Latn)",
            )
        return token_id

    def _generate_kwargs(self, request: GenerationRequest) -> dict[str, Any]:
        gen = self.config.generation
        temperature = gen.temperature if request.temperature is None else request.temperature
        kwargs: dict[str, Any] = {
            "max_new_tokens": request.max_new_tokens or gen.max_new_tokens,
            "num_beams": gen.num_beams,
            "repetition_penalty": gen.repeat_penalty,
        }
        if temperature > 0:  # seeded just before its generate call (`_Prepared.seed`)
            kwargs.update(do_sample=True, temperature=temperature, top_p=gen.top_p, top_k=gen.top_k)
        else:
            kwargs["do_sample"] = False
        if self._forced_bos_token_id is not None:
            kwargs["forced_bos_token_id"] = self._forced_bos_token_id
        return kwargs

    def generate(self, request: GenerationRequest) -> Generation:
        return self.generate_many([request])[0]

    def generate_many(self, requests: list[GenerationRequest]) -> list[Generation]:
        self.ensure_loaded()
        check_interrupt()
        seed = self.config.generation.seed
        prepared = [
            _Prepared(request, *self._encode(request), self._generate_kwargs(request), seed if request.seed is None else request.seed)
            for request in requests
        ]
        results: dict[int, Generation] = {}
        batchable = [i for i, item in enumerate(prepared) if self._fits_batcher(item)]
        if batchable:
            for i, generation in zip(batchable, self._generate_continuous([prepared[i] for i in batchable]), strict=True):
                results[i] = generation
        rest = [i for i in range(len(prepared)) if i not in results]
        if not self.chat:
            for group in self._padded_groups([(i, prepared[i]) for i in rest]):
                for i, generation in zip(group, self._generate_padded([prepared[i] for i in group]), strict=True):
                    results[i] = generation
        else:
            for i in rest:
                results[i] = self._generate_padded([prepared[i]])[0]
        return [results[i] for i in range(len(prepared))]

    def _encode(self, request: GenerationRequest) -> tuple[list[int], str]:
        """The prompt's token ids, and the text a seq2seq model reads (empty for chat)."""
        if self.chat:
            messages = request.messages or [{"role": "user", "content": request.text or ""}]
            with self._tokenizer_lock:
                encoded = self._tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=True)
            assert isinstance(encoded, Mapping)  # return_dict=True: a BatchEncoding
            return list(encoded["input_ids"]), ""
        text = request.text if request.text is not None else (request.messages or [{}])[-1].get("content", "")
        with self._tokenizer_lock:
            return list(self._tokenizer(text, truncation=False)["input_ids"]), text

    def _decode(self, tokens: Any) -> str:
        """One sequence of token ids as text, special tokens dropped."""
        text = self._tokenizer.decode(tokens, skip_special_tokens=True)
        assert isinstance(text, str)  # one sequence decodes to one string (a batch would give a list)
        return text

    def _fits_batcher(self, item: _Prepared) -> bool:
        """Greedy, no beams, no penalty, within context_length: what continuous batching decodes exactly (and always fits)."""
        kwargs = item.kwargs
        return (
            not kwargs["do_sample"]
            and kwargs["num_beams"] == 1
            and kwargs["repetition_penalty"] == 1.0
            and "forced_bos_token_id" not in kwargs
            and self._batcher is not None
            and len(item.prompt) + kwargs["max_new_tokens"] <= self._batcher.request_tokens
        )

    def _generate_continuous(self, items: list[_Prepared]) -> list[Generation]:
        assert self._batcher is not None
        check = check_interrupt if interrupt_active() else None  # after every token, a timeout or cancel stops them
        outputs = self._batcher.generate(
            [item.prompt for item in items], [item.kwargs["max_new_tokens"] for item in items], check=check
        )
        return [
            self._finish(item, self._decode(out.tokens), len(out.tokens), out.seconds)
            for item, out in zip(items, outputs, strict=True)
        ]

    def _padded_groups(self, indexed: list[tuple[int, _Prepared]]) -> list[list[int]]:
        """Seq2seq requests with the same generation settings, `max_batch` at a time (sampled ones alone: own seed)."""
        groups: dict[Any, list[int]] = {}
        for i, item in indexed:
            key = ("alone", i) if item.kwargs["do_sample"] else tuple(sorted(item.kwargs.items()))
            groups.setdefault(key, []).append(i)
        size = self.config.max_batch
        return [members[n : n + size] for members in groups.values() for n in range(0, len(members), size)]

    def _generate_padded(self, items: list[_Prepared]) -> list[Generation]:
        """One `generate` call for these requests (one, or seq2seq texts padded to one batch)."""
        import torch

        blocked = self._plain_generate_blocked
        if blocked and self.chat:
            raise ConfigError(
                f"{self.config.id}: a request continuous batching cannot take (sampled, beam search, repeat penalty or "
                f"longer than context_length) cannot run beside it: this transformers keeps the model in {blocked} attention",
                "use greedy settings (temperature 0, num_beams 1, repeat_penalty 1), transformers >= 5.24, or batching: none",
            )
        kwargs = dict(items[0].kwargs)
        if kwargs["do_sample"]:
            torch.manual_seed(items[0].seed)
        if self.chat:
            encoded = {"input_ids": torch.tensor([items[0].prompt]), "attention_mask": torch.ones(1, len(items[0].prompt), dtype=torch.long)}
        else:
            with self._tokenizer_lock:
                encoded = self._tokenizer([item.text for item in items], return_tensors="pt", padding=True, truncation=False)
        encoded = {k: v.to(self._device) for k, v in encoded.items()}
        if interrupt_active():  # checked after every token, so a timeout or cancel stops the generation
            kwargs["stopping_criteria"] = _interrupt_criteria()
        started = time.perf_counter()
        with torch.inference_mode():
            output = self._model.generate(**encoded, **kwargs)
        seconds = time.perf_counter() - started
        results = []
        for row, item in zip(output, items, strict=True):
            new_tokens = row[len(item.prompt) :] if self.chat else row
            text = self._decode(new_tokens)
            if self.chat:
                completion = int(new_tokens.shape[-1])
            else:  # decoder start and the padding after </s> are pad tokens
                completion = int((new_tokens != self._tokenizer.pad_token_id).sum())
            results.append(self._finish(item, text, completion, seconds))
        return results

    def _finish(self, item: _Prepared, text: str, completion: int, seconds: float) -> Generation:
        finish = "length" if completion >= item.kwargs["max_new_tokens"] else "stop"
        for stop in item.request.stop:
            if stop in text:  # cut at a stop string: the answer ended, as llama.cpp reports it
                text, finish = text.split(stop)[0], "stop"
        return Generation(
            text=text.strip(), prompt_tokens=len(item.prompt), completion_tokens=completion, seconds=seconds, finish_reason=finish
        )

    def count_tokens(self, text: str) -> int:
        self.ensure_loaded()
        with self._tokenizer_lock:
            return len(self._tokenizer(text, add_special_tokens=False)["input_ids"])


@dataclass
class _Prepared:
    request: GenerationRequest
    prompt: list[int]
    text: str
    kwargs: dict[str, Any]  # for `generate`
    seed: int  # set before a sampled request's own generate call


def _interrupt_criteria() -> Any:
    from transformers import StoppingCriteria, StoppingCriteriaList

    class _Interrupt(StoppingCriteria):
        """Stops nothing by itself: raises when the run must stop (timeout, cancel, shutdown)."""

        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            import torch

            check_interrupt()
            return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([_Interrupt()])


def _dtype(name: str) -> Any:
    import torch

    return "auto" if name == "auto" else getattr(torch, name)


def _device(name: str) -> str:
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return name
