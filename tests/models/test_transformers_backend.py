"""The transformers backend on tiny local models: Marian seq2seq, a causal chat model, and a GGUF file."""

from __future__ import annotations

import pytest
import sentencepiece as spm
from tiny_models import TARGET_LANG_TOKEN, chatml

from service.errors import ConfigError, WeightsError
from service.interrupt import interruptible
from service.models.base import Generation, GenerationRequest
from service.models.transformers_backend import TransformersBackend

pytestmark = [
    # MarianTokenizer asks for sacremoses (optional punctuation normaliser) with a UserWarning.
    pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses:UserWarning"),
]

IT = "Il sindaco approva il bilancio oggi, con 12 voti."
MESSAGES = [{"role": "system", "content": "Translate."}, {"role": "user", "content": "La ministra presenta il piano."}]


@pytest.fixture(scope="module")
def marian(make_backend, tiny_marian):
    return make_backend("tiny-marian", "transformers", tiny_marian, architecture="seq2seq")


@pytest.fixture(scope="module")
def chat(make_backend, tiny_chat):
    return make_backend("tiny-chat", "transformers", tiny_chat, roles=["headline", "summary"])


# --- seq2seq (MarianMT) -------------------------------------------------------------------------


def test_marian_loads_lazily(make_backend, tiny_marian):
    backend = make_backend("tiny-marian", "transformers", tiny_marian, architecture="seq2seq")
    assert isinstance(backend, TransformersBackend) and not backend.chat and not backend.loaded
    backend.ensure_loaded()
    assert backend.loaded
    assert type(backend._tokenizer).__name__ == "MarianTokenizer"
    assert type(backend._model).__name__ == "MarianMTModel"


def test_marian_generates_from_text(marian, tiny_marian):
    result = marian.generate(GenerationRequest(text=IT, max_new_tokens=5))
    assert isinstance(result, Generation)
    assert isinstance(result.text, str)
    source = spm.SentencePieceProcessor(model_file=str(tiny_marian / "source.spm"))
    assert result.prompt_tokens == len(source.encode(IT)) + 1  # + </s>
    assert result.completion_tokens == 5
    assert result.finish_reason == "length"
    assert result.seconds > 0 and result.tokens_per_second > 0


def test_marian_uses_config_max_new_tokens(marian):
    result = marian.generate(GenerationRequest(text=IT))
    assert result.completion_tokens == marian.config.generation.max_new_tokens == 8
    assert result.finish_reason == "length"


def test_marian_is_deterministic_at_temperature_zero(marian):
    first = marian.generate(GenerationRequest(text=IT, max_new_tokens=6, temperature=0.0))
    again = marian.generate(GenerationRequest(text=IT, max_new_tokens=6, temperature=0.0))
    assert first.text == again.text and first.completion_tokens == again.completion_tokens


def test_marian_sampling_repeats_with_the_same_seed(marian):
    runs = [marian.generate(GenerationRequest(text=IT, max_new_tokens=6, temperature=1.0, seed=7)).text for _ in range(2)]
    assert runs[0] == runs[1]


def test_marian_takes_the_last_message_as_text(marian):
    by_text = marian.generate(GenerationRequest(text=MESSAGES[-1]["content"], max_new_tokens=4))
    by_messages = marian.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=4))
    assert by_messages.text == by_text.text and by_messages.prompt_tokens == by_text.prompt_tokens


def test_marian_count_tokens(marian, tiny_marian):
    source = spm.SentencePieceProcessor(model_file=str(tiny_marian / "source.spm"))
    assert marian.count_tokens(IT) == len(source.encode(IT))  # no </s>
    assert marian.count_tokens("") == 0


def test_marian_that_stops_at_once(make_backend, tiny_marian_silent):
    backend = make_backend("silent-marian", "transformers", tiny_marian_silent, architecture="seq2seq")
    result = backend.generate(GenerationRequest(text=IT, max_new_tokens=5))
    assert result.finish_reason == "stop"
    assert result.completion_tokens == 1  # just </s>
    assert result.text == ""


def test_target_lang_code_forces_the_first_token(make_backend, tiny_marian, monkeypatch):
    backend = make_backend(
        "tiny-marian", "transformers", tiny_marian, architecture="seq2seq", target_lang_code=TARGET_LANG_TOKEN
    )
    backend.ensure_loaded()
    token_id = backend._tokenizer.convert_tokens_to_ids(TARGET_LANG_TOKEN)
    outputs = []
    real_generate = backend._model.generate

    def spy(**kwargs):
        outputs.append((kwargs, real_generate(**kwargs)))
        return outputs[-1][1]

    monkeypatch.setattr(backend._model, "generate", spy)
    backend.generate(GenerationRequest(text=IT, max_new_tokens=4))
    kwargs, output = outputs[0]
    assert kwargs["forced_bos_token_id"] == token_id
    assert int(output[0][0]) == backend._tokenizer.pad_token_id  # decoder start
    assert int(output[0][1]) == token_id


def test_unknown_target_lang_code_is_a_config_error(make_backend, tiny_marian):
    backend = make_backend("tiny-marian", "transformers", tiny_marian, architecture="seq2seq", target_lang_code="eng_latn")
    with pytest.raises(ConfigError, match="target_lang_code 'eng_latn'"):
        backend.ensure_loaded()


def test_missing_model_files_are_a_weights_error(make_backend, tmp_path):
    (tmp_path / "empty").mkdir()
    backend = make_backend("empty", "transformers", tmp_path / "empty", architecture="seq2seq")
    with pytest.raises(WeightsError, match="could not load empty"):
        backend.ensure_loaded()


# --- causal chat (Qwen2) ------------------------------------------------------------------------


def test_chat_generates_from_messages_with_the_chat_template(chat, chat_bpe):
    assert chat.chat
    result = chat.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=5))
    assert isinstance(result, Generation)
    assert result.prompt_tokens == len(chat_bpe.encode(chatml(MESSAGES)).ids)
    assert result.completion_tokens == 5
    assert result.finish_reason == "length"


def test_chat_wraps_text_as_a_user_message(chat):
    user = [{"role": "user", "content": IT}]
    by_text = chat.generate(GenerationRequest(text=IT, max_new_tokens=4))
    by_messages = chat.generate(GenerationRequest(messages=user, max_new_tokens=4))
    assert (by_text.text, by_text.prompt_tokens) == (by_messages.text, by_messages.prompt_tokens)


def test_chat_is_deterministic_at_temperature_zero(chat):
    runs = [chat.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8)) for _ in range(2)]
    assert runs[0].text == runs[1].text


def test_chat_sampling_repeats_with_the_same_seed(chat):
    runs = [chat.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8, temperature=1.0, seed=3)).text for _ in range(2)]
    assert runs[0] == runs[1]


def test_chat_uses_config_max_new_tokens(chat):
    result = chat.generate(GenerationRequest(messages=MESSAGES))
    assert result.completion_tokens == 8 and result.finish_reason == "length"


def test_chat_count_tokens(chat, chat_bpe):
    assert chat.count_tokens(IT) == len(chat_bpe.encode(IT).ids)


def test_chat_that_stops_at_once(make_backend, tiny_chat_silent):
    backend = make_backend("silent-chat", "transformers", tiny_chat_silent)
    result = backend.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=5))
    assert result.finish_reason == "stop"
    assert result.text == ""
    assert result.completion_tokens == 1  # the EOS token


def test_stop_string_cuts_the_text_and_ends_with_stop(chat):
    full = chat.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8)).text
    assert len(full) >= 2, "the tiny model should say something"
    cut = chat.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8, stop=[full[1:]]))
    assert cut.text == full[0]
    assert cut.finish_reason == "stop"


# --- GGUF through transformers (gguf_file=) -------------------------------------------------------


@pytest.fixture(scope="module")
def gguf_chat(make_backend, tiny_gguf):
    pytest.importorskip("accelerate", reason="transformers needs accelerate to load a GGUF file")
    return make_backend("tiny-gguf-hf", "transformers", tiny_gguf.parent, weights={
        "source": "local", "path": str(tiny_gguf.parent), "gguf_file": tiny_gguf.name})


def test_gguf_loads_with_gguf_file(gguf_chat, chat_bpe):
    result = gguf_chat.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=5))
    assert type(gguf_chat._model).__name__ == "LlamaForCausalLM"
    assert result.prompt_tokens == len(chat_bpe.encode(chatml(MESSAGES)).ids)
    assert result.completion_tokens == 5 and result.finish_reason == "length"
    assert gguf_chat.count_tokens(IT) == len(chat_bpe.encode(IT).ids)


def test_gguf_file_path_as_weights(make_backend, tiny_gguf, gguf_chat):
    """`weights.path` naming the file itself (as an assembled PyPI-parts file is) loads the same model."""
    backend = make_backend("tiny-gguf-file", "transformers", tiny_gguf)
    request = GenerationRequest(messages=MESSAGES, max_new_tokens=6)
    assert backend.generate(request).text == gguf_chat.generate(request).text


class Stop(Exception):
    pass


@pytest.mark.parametrize("which", ["marian", "chat"])
def test_an_interrupt_stops_the_generation_within_a_token(which, request):
    backend = request.getfixturevalue(which)
    calls: list[int] = []

    def check() -> None:  # the API's worker raises like this once a request timed out or its job was cancelled
        calls.append(1)
        if len(calls) == 4:
            raise Stop

    with interruptible(check), pytest.raises(Stop):
        backend.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8))
    assert len(calls) == 4  # once before the generation, then once per token: stopped at the third token
