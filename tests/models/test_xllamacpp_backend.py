"""The xllamacpp backend (llama.cpp's server in-process) on the tiny GGUF file written by the fixtures."""

from __future__ import annotations

import ctypes
import signal
import sys
import threading

import pytest
from tiny_models import chatml

from service.errors import BackendUnavailableError, ConfigError
from service.interrupt import interruptible
from service.models import registry
from service.models.base import GenerationRequest
from service.models.config import load_model_config
from service.models.xllamacpp_backend import XLlamaCppBackend, XLlamaCppError, _keep_signal_handlers
from service.settings import PROJECT_ROOT

pytest.importorskip("xllamacpp")

MESSAGES = [{"role": "system", "content": "Translate."}, {"role": "user", "content": "La ministra presenta il piano."}]


def texts(n: int) -> list[GenerationRequest]:
    return [GenerationRequest(text=f"Il sindaco {i} approva il bilancio oggi, con {i + 3} voti.", max_new_tokens=12) for i in range(n)]


@pytest.fixture(scope="module")
def xllama(make_backend, tiny_gguf):
    backend = make_backend("tiny-x", "xllamacpp", tiny_gguf, max_batch=4, prompt_cache={"answers": 0})
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def llama(make_backend, tiny_gguf):
    backend = make_backend("tiny-l", "llama_cpp", tiny_gguf, prompt_cache={"answers": 0})
    yield backend
    if backend.loaded:
        backend._llm.close()


def test_registered_and_loaded_lazily(make_backend, tiny_gguf):
    assert registry.backend_class("xllamacpp") is XLlamaCppBackend
    backend = make_backend("tiny-x-lazy", "xllamacpp", tiny_gguf, max_batch=2)
    assert isinstance(backend, XLlamaCppBackend) and not backend.loaded and backend.slots == 2
    backend.close()  # nothing loaded: a no-op


def test_generates_with_the_gguf_chat_template(xllama, chat_bpe):
    result = xllama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=5))
    assert result.prompt_tokens == len(chat_bpe.encode(chatml(MESSAGES)).ids)
    assert (result.completion_tokens, result.finish_reason) == (5, "length")
    assert result.text and result.seconds > 0


def test_same_greedy_answers_as_the_llama_cpp_backend(xllama, llama):
    for request in [GenerationRequest(messages=MESSAGES, max_new_tokens=8), *texts(3)]:
        assert xllama.generate(request).text == llama.generate(request).text
    assert xllama.count_tokens("Il sindaco approva") == llama.count_tokens("Il sindaco approva")


def test_listed_requests_run_together_and_give_the_answers_of_one_at_a_time(xllama):
    requests = texts(6)  # more than the 4 slots: two wait for a free slot
    alone = [xllama.generate(r).text for r in requests]
    assert [g.text for g in xllama.generate_many(requests)] == alone
    assert len(set(alone)) > 1  # different prompts, different answers: the comparison can fail


def test_concurrent_threads_get_their_own_answers(xllama):
    requests = texts(4)
    alone = [xllama.generate(r).text for r in requests]
    got: dict[int, str] = {}

    def call(i: int) -> None:
        got[i] = xllama.generate(requests[i]).text

    threads = [threading.Thread(target=call, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [got[i] for i in range(4)] == alone


def test_stop_strings_end_the_answer(xllama):
    full = xllama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8)).text
    stop = full[3:5]
    stopped = xllama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=8, stop=[stop]))
    assert stopped.text == full[: full.index(stop)].strip() and stopped.finish_reason == "stop"


def test_interrupt_stops_within_a_token_and_the_server_keeps_serving(xllama):
    calls = 0

    def check() -> None:
        nonlocal calls
        calls += 1
        if calls >= 3:
            raise TimeoutError("stop now")

    request = GenerationRequest(messages=MESSAGES, max_new_tokens=200)
    with interruptible(check), pytest.raises(TimeoutError, match="stop now"):
        xllama.generate(request)
    assert calls == 3  # the check before the call, then one per token until it raised
    assert xllama.generate(GenerationRequest(messages=MESSAGES, max_new_tokens=5)).completion_tokens == 5


def test_an_interrupt_cancels_every_listed_request(xllama):
    calls, lock = 0, threading.Lock()

    def check() -> None:  # once it has raised, it raises for every request (as the API's check does)
        nonlocal calls
        with lock:
            calls += 1
            if calls >= 8:
                raise TimeoutError("cancelled")

    requests = [GenerationRequest(text=r.text, max_new_tokens=200) for r in texts(3)]
    with interruptible(check), pytest.raises(TimeoutError):
        xllama.generate_many(requests)
    assert calls < 3 * 200  # stopped early, not after the whole answers
    assert xllama.generate(texts(1)[0]).completion_tokens == 12


def test_a_prompt_over_the_context_is_a_clear_error_and_the_server_keeps_serving(xllama):
    with pytest.raises(XLlamaCppError, match="exceeds the available context size") as error:
        xllama.generate(GenerationRequest(text="Il sindaco approva il bilancio oggi. " * 60, max_new_tokens=4))
    assert "context_length" in error.value.hint
    assert xllama.generate(texts(1)[0]).completion_tokens == 12


def test_the_process_keeps_its_signal_handlers(make_backend, tiny_gguf):
    libc = ctypes.CDLL(None)

    def handler_of(sig: signal.Signals) -> bytes:
        buffer = ctypes.create_string_buffer(256)
        assert libc.sigaction(int(sig), None, buffer) == 0
        return buffer.raw[:8]  # sa_handler

    before = {sig: handler_of(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    backend = make_backend("tiny-x-signals", "xllamacpp", tiny_gguf, max_batch=1)
    loader = threading.Thread(target=backend.ensure_loaded)  # models load in a worker thread in the server
    loader.start()
    loader.join(60)
    assert backend.loaded
    assert {sig: handler_of(sig) for sig in before} == before
    backend.close()


def test_keep_signal_handlers_restores_what_was_changed():
    previous = signal.getsignal(signal.SIGTERM)
    with _keep_signal_handlers():
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN  # Python's view is stale: the C handler is back
    signal.signal(signal.SIGTERM, previous)


def test_missing_package_says_how_to_install_it(make_backend, tiny_gguf, monkeypatch):
    monkeypatch.setitem(sys.modules, "xllamacpp", None)
    backend = make_backend("tiny-x-missing", "xllamacpp", tiny_gguf)
    with pytest.raises(BackendUnavailableError, match="xllamacpp") as error:
        backend.ensure_loaded()
    assert "pip install xllamacpp==" in error.value.hint and "llama_cpp" in error.value.hint


def test_seq2seq_config_is_refused(make_backend, tiny_gguf):
    backend = make_backend("tiny-x-s2s", "xllamacpp", tiny_gguf, architecture="seq2seq")
    with pytest.raises(ConfigError, match="chat"):
        backend.ensure_loaded()


def test_shipped_config_selects_the_engine():
    config = load_model_config(PROJECT_ROOT / "model_configs", "qwen2.5-coder-1.5b-gguf-xllamacpp")
    default = load_model_config(PROJECT_ROOT / "model_configs", "qwen2.5-coder-1.5b-gguf")
    assert (config.backend, default.backend) == ("xllamacpp", "llama_cpp")
    assert config.weights == default.weights and config.max_batch == 4
