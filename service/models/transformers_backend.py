"""transformers backend: Marian/NLLB seq2seq translators and causal chat models (incl. GGUF).

transformers v5 has no translation/summarization pipelines, so this calls `generate` directly.
"""

from __future__ import annotations

import time
from typing import Any

from ..errors import ConfigError, WeightsError
from ..interrupt import check_interrupt, interrupt_active
from .base import Backend, Generation, GenerationRequest
from .weights import resolve_weights


class TransformersBackend(Backend):
    name = "transformers"

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
        self._model.to(self._device)
        self._model.eval()

    def _language_token_id(self, code: str | None) -> int | None:
        """The id of a target-language token (NLLB `eng_Latn`); a code not in the vocabulary is an error, not <unk>."""
        if not code:
            return None
        token_id = self._tokenizer.convert_tokens_to_ids(code)
        if token_id is None or token_id == self._tokenizer.unk_token_id:
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
        if temperature > 0:
            import torch

            torch.manual_seed(gen.seed if request.seed is None else request.seed)
            kwargs.update(do_sample=True, temperature=temperature, top_p=gen.top_p, top_k=gen.top_k)
        else:
            kwargs["do_sample"] = False
        if self._forced_bos_token_id is not None:
            kwargs["forced_bos_token_id"] = self._forced_bos_token_id
        return kwargs

    def generate(self, request: GenerationRequest) -> Generation:
        import torch

        self.ensure_loaded()
        check_interrupt()
        if self.chat:
            messages = request.messages or [{"role": "user", "content": request.text or ""}]
            encoded = self._tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
            )
        else:
            text = request.text if request.text is not None else (request.messages or [{}])[-1].get("content", "")
            encoded = self._tokenizer(text, return_tensors="pt", truncation=False)
        encoded = {k: v.to(self._device) for k, v in encoded.items()}
        prompt_tokens = int(encoded["input_ids"].shape[-1])
        kwargs = self._generate_kwargs(request)
        if interrupt_active():  # checked after every token, so a timeout or cancel stops the generation
            kwargs["stopping_criteria"] = _interrupt_criteria()
        started = time.perf_counter()
        with torch.inference_mode():
            output = self._model.generate(**encoded, **kwargs)
        seconds = time.perf_counter() - started
        new_tokens = output[0][prompt_tokens:] if self.chat else output[0]
        text = self._tokenizer.decode(new_tokens, skip_special_tokens=True)
        completion = int((new_tokens != self._tokenizer.pad_token_id).sum()) if not self.chat else int(new_tokens.shape[-1])
        finish = "length" if completion >= kwargs["max_new_tokens"] else "stop"
        for stop in request.stop:
            if stop in text:  # cut at a stop string: the answer ended, as llama.cpp reports it
                text, finish = text.split(stop)[0], "stop"
        return Generation(text=text.strip(), prompt_tokens=prompt_tokens, completion_tokens=completion, seconds=seconds, finish_reason=finish)

    def count_tokens(self, text: str) -> int:
        self.ensure_loaded()
        return len(self._tokenizer(text, add_special_tokens=False)["input_ids"])


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
