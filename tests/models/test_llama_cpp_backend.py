"""The llama.cpp backend on a tiny llama-architecture GGUF file written by the test fixtures."""

from __future__ import annotations

import pytest
from tiny_models import chatml

from service.errors import ConfigError, WeightsError
from service.interrupt import interruptible
from service.models.base import Generation, GenerationRequest
from service.models.llama_cpp import LlamaCppBackend

pytest.importorskip("llama_cpp")

IT = "Il sindaco approva il bilancio oggi, con 12 voti."
MESSAGES = [{"role": "system", "content": "Translate."}, {"role": "user", "content": "La ministra presenta il piano."}]


@pytest.fixture(scope="module")
def llama(make_backend, tiny_gguf):
    # answers: 0, so that repeated requests below really run the model
    backend = make_backend("tiny-gguf", "llama_cpp", tiny_gguf, prompt_cache={"answers": 0})
    yield backend
    if backend.loaded:
        backend._llm.close()


def test_loads_a_gguf_file_lazily(make_backend, tiny_gguf):
    backend = make_backend("tiny-gguf", "llama_cpp", tiny_gguf)
    assert isinstance(backend, LlamaCppBackend) and backend.chat and not backend.loaded
    backend.ensure_loaded()
    assert backend._llm.n_ctx() == backend.config.context_length == 256
    backend._llm.close()


def test_loads_a_directory_plus_gguf_file(make_backend, tiny_gguf, llama):
    backend = make_backend("tiny-gguf-dir", "llama_cpp", tiny_gguf.parent, weights={
        "source": "local", "path": str(tiny_gguf.parent), "gguf_file": tiny_gguf.name})
    request = GenerationRequest(messages=MESSAGES, max_new_tokens=4)
    assert backend.generate(request).text == llama.generate(request).text
    backend._llm.close()


def test_generates_from_messages_with_the_gguf_chat_template(llama, chat_bpe):
    result = llama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=5))
    assert isinstance(result, Generation)
    assert result.prompt_tokens == len(chat_bpe.encode(chatml(MESSAGES)).ids)
    assert result.completion_tokens == 5
    assert result.finish_reason == "length"
    assert result.seconds > 0


def test_text_becomes_a_user_message(llama):
    by_text = llama.generate(GenerationRequest(text=IT, max_new_tokens=4))
    by_messages = llama.generate(GenerationRequest(messages=[{"role": "user", "content": IT}], max_new_tokens=4))
    assert (by_text.text, by_text.prompt_tokens) == (by_messages.text, by_messages.prompt_tokens)


def test_uses_config_max_new_tokens(llama):
    result = llama.generate(GenerationRequest(messages=MESSAGES))
    assert result.completion_tokens == llama.config.generation.max_new_tokens == 8
    assert result.finish_reason == "length"


def test_deterministic_at_temperature_zero(llama):
    runs = [llama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8)).text for _ in range(2)]
    assert runs[0] == runs[1]


def test_sampling_repeats_with_the_same_seed(llama):
    runs = [llama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8, temperature=1.0, seed=5)).text for _ in range(2)]
    assert runs[0] == runs[1]


def test_count_tokens(llama, chat_bpe):
    assert llama.count_tokens(IT) == len(chat_bpe.encode(IT).ids)
    assert llama.count_tokens("<|im_end|>") > 1  # special tokens in user text are not parsed as special


def test_stop_string_ends_with_stop(llama):
    full = llama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8)).text
    assert len(full) >= 2, "the tiny model should say something"
    cut = llama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8, stop=[full[1:]]))
    assert cut.text == full[0].strip()
    assert cut.finish_reason == "stop"


def test_model_that_stops_at_once(make_backend, tiny_gguf_silent):
    backend = make_backend("silent-gguf", "llama_cpp", tiny_gguf_silent)
    result = backend.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=5))
    assert result.finish_reason == "stop"
    assert result.text == ""
    assert result.completion_tokens == 0  # llama.cpp does not count the EOS it stopped on
    backend._llm.close()


def test_seq2seq_config_is_refused(make_backend, tiny_gguf):
    backend = make_backend("tiny-gguf", "llama_cpp", tiny_gguf, architecture="seq2seq")
    with pytest.raises(ConfigError, match="chat"):
        backend.ensure_loaded()


def test_missing_file_is_a_weights_error(make_backend, tmp_path):
    backend = make_backend("gone", "llama_cpp", tmp_path / "gone.gguf")
    with pytest.raises(WeightsError, match="does not exist"):
        backend.ensure_loaded()


def test_same_gguf_same_greedy_text_in_transformers(llama, make_backend, tiny_gguf):
    """transformers (gguf_file=, dequantised) and llama.cpp read the same weights and template alike."""
    pytest.importorskip("accelerate", reason="transformers needs accelerate to load a GGUF file")
    hf = make_backend("tiny-gguf-hf", "transformers", tiny_gguf)
    for messages in (MESSAGES, [{"role": "user", "content": IT}]):
        request = GenerationRequest(messages=messages, max_new_tokens=6)
        ours, theirs = llama.generate(request), hf.generate(request)
        assert (ours.text, ours.prompt_tokens) == (theirs.text, theirs.prompt_tokens)


class Stop(Exception):
    pass


def test_an_interrupt_stops_the_generation_within_a_token(llama, monkeypatch):
    from service.models import llama_cpp

    calls: list[int] = []
    tokens: list[int] = []
    hook = llama_cpp._InterruptHook.__call__
    monkeypatch.setattr(llama_cpp._InterruptHook, "__call__", lambda self, ids, scores: tokens.append(1) or hook(self, ids, scores))

    def check() -> None:  # the API's worker raises like this once a request timed out or its job was cancelled
        calls.append(1)
        if len(calls) == 4:
            raise Stop

    with interruptible(check), pytest.raises(Stop):
        llama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=200))
    assert len(calls) == 4  # once before the generation, then once per token: stopped at the third token
    assert len(tokens) == 3  # the token sampled after the stop is end-of-text: nothing more is generated
    assert llama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=3)).completion_tokens == 3  # still usable


# --- prompt reuse ------------------------------------------------------------------------------

LONG = [{"role": "system", "content": "Translate. " + IT * 4}, {"role": "user", "content": "La ministra presenta il piano."}]


def test_a_shared_prefix_is_not_recomputed(make_backend, tiny_gguf):
    backend = make_backend("tiny-gguf-reuse", "llama_cpp", tiny_gguf)
    first = backend.generate(GenerationRequest(messages=LONG, max_new_tokens=4))
    assert first.cached_tokens == 0 and first.computed_tokens == first.prompt_tokens
    other = [LONG[0], {"role": "user", "content": "Il governo rinvia la legge."}]
    second = backend.generate(GenerationRequest(messages=other, max_new_tokens=4))
    assert second.cached_tokens > len(IT) // 2, "the system prompt's KV state is reused"
    assert second.computed_tokens < second.prompt_tokens
    backend._llm.close()


def test_a_detour_does_not_lose_the_earlier_prefix(make_backend, tiny_gguf):
    """A saved state is restored after an unrelated prompt, and gives the same greedy text."""
    backend = make_backend("tiny-gguf-detour", "llama_cpp", tiny_gguf, prompt_cache={"answers": 0})
    fresh = make_backend("tiny-gguf-fresh", "llama_cpp", tiny_gguf, prompt_cache={"states": 0, "answers": 0})
    follow_up = [*LONG, {"role": "assistant", "content": "the minister"}, {"role": "user", "content": "Il sindaco approva."}]
    backend.generate(GenerationRequest(messages=LONG, max_new_tokens=4))
    backend.generate(GenerationRequest(messages=[{"role": "user", "content": "Altro testo, tutto diverso."}], max_new_tokens=4))
    assert len(backend.prefix_states) == 1, "the long state was saved before the detour overwrote it"
    resumed = backend.generate(GenerationRequest(messages=follow_up, max_new_tokens=6))
    assert backend.prefix_states.restores == 1 and resumed.cached_tokens > len(IT)
    assert resumed.text == fresh.generate(GenerationRequest(messages=follow_up, max_new_tokens=6)).text
    backend._llm.close()
    fresh._llm.close()


def test_an_identical_deterministic_request_is_answered_without_a_model_call(make_backend, tiny_gguf):
    backend = make_backend("tiny-gguf-answers", "llama_cpp", tiny_gguf)
    request = GenerationRequest(messages=MESSAGES, max_new_tokens=5)
    first, again = backend.generate(request), backend.generate(request)
    assert not first.reused and again.reused and again.text == first.text and again.computed_tokens == 0
    sampled = GenerationRequest(messages=MESSAGES, max_new_tokens=5, temperature=1.0, seed=3)
    assert not backend.generate(sampled).reused
    assert backend.generate(sampled).reused, "the same seed gives the same sample"
    backend._llm.close()


def test_reuse_takes_whole_blocks_of_earlier_prompts_never_generated_tokens(make_backend, tiny_gguf):
    """Generated tokens were evaluated one by one and a partial block at another offset: reusing them
    would make the answer depend on the history (llama.cpp groups prompt tokens in its kernels)."""
    backend = make_backend("tiny-gguf-aligned", "llama_cpp", tiny_gguf, prompt_cache={"answers": 0, "align_tokens": 16})
    first = backend.generate(GenerationRequest(messages=LONG, max_new_tokens=8))
    follow_up = [*LONG, {"role": "assistant", "content": first.text or "the minister"}, {"role": "user", "content": "Il sindaco."}]
    second = backend.generate(GenerationRequest(messages=follow_up, max_new_tokens=4))
    assert second.cached_tokens % 16 == 0
    assert 0 < second.cached_tokens <= first.prompt_tokens // 16 * 16
    backend._llm.close()


def test_an_answer_is_the_same_whatever_was_asked_before(make_backend, tiny_gguf):
    history = make_backend("tiny-gguf-history", "llama_cpp", tiny_gguf, prompt_cache={"answers": 0})
    cold = make_backend("tiny-gguf-cold", "llama_cpp", tiny_gguf, prompt_cache={"states": 0, "answers": 0})
    target = [LONG[0], {"role": "user", "content": "Il governo rinvia la legge di bilancio."}]
    history.generate(GenerationRequest(messages=[LONG[0], {"role": "user", "content": "Altro."}], max_new_tokens=7))
    history.generate(GenerationRequest(messages=LONG, max_new_tokens=5))
    warm = history.generate(GenerationRequest(messages=target, max_new_tokens=12))
    assert warm.cached_tokens > 0 and warm.cached_tokens % 16 == 0
    assert warm.text == cold.generate(GenerationRequest(messages=target, max_new_tokens=12)).text
    history._llm.close()
    cold._llm.close()


def test_a_failed_restore_falls_back_to_evaluating_the_prompt(make_backend, tiny_gguf, monkeypatch):
    """llama.cpp refusing a saved state wipes the live one: what the live state shared with the
    prompt must not be counted as reused any more."""
    import llama_cpp

    backend = make_backend("tiny-gguf-refused", "llama_cpp", tiny_gguf, prompt_cache={"answers": 0, "align_tokens": 16})
    cold = make_backend("tiny-gguf-refused-cold", "llama_cpp", tiny_gguf, prompt_cache={"states": 0, "answers": 0})
    first = [LONG[0], {"role": "user", "content": IT}]
    follow_up = [*first, {"role": "assistant", "content": "the mayor"}, {"role": "user", "content": "Il sindaco approva."}]
    backend.generate(GenerationRequest(messages=first, max_new_tokens=4))
    backend.generate(GenerationRequest(messages=[{"role": "user", "content": "Altro."}], max_new_tokens=4))  # saves `first`
    # the live state now shares the system prompt with `follow_up`; the saved one shares more
    backend.generate(GenerationRequest(messages=[LONG[0], {"role": "user", "content": "Altro."}], max_new_tokens=4))
    refused: list[int] = []
    monkeypatch.setattr(llama_cpp, "llama_state_seq_set_data", lambda *args: refused.append(1) or 0)
    resumed = backend.generate(GenerationRequest(messages=follow_up, max_new_tokens=6))
    assert refused, "the saved state was tried and refused"
    assert resumed.cached_tokens == 0
    assert resumed.text == cold.generate(GenerationRequest(messages=follow_up, max_new_tokens=6)).text
    backend._llm.close()
    cold._llm.close()
