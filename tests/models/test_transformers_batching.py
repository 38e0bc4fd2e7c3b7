"""Batching in the transformers backend on tiny local models.

Causal models with `batching: continuous` decode greedy requests through transformers' continuous
batching (one engine shared by every caller); seq2seq models batch `generate_many` by padding. Either
way the greedy outputs must be the ones a single request gets.
"""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from service.errors import ConfigError
from service.interrupt import interruptible
from service.models.base import GenerationRequest
from service.models.config import load_model_config
from service.settings import PROJECT_ROOT

pytestmark = [pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses:UserWarning")]

SUBJECTS = ["Il sindaco", "La ministra", "Il governo", "La polizia", "Il presidente", "La regione", "Il comune"]
MESSAGES = [
    [{"role": "system", "content": "Translate."}, {"role": "user", "content": f"{subject} approva il piano oggi."}]
    for subject in SUBJECTS
]
LIMITS = [8, 3, 8, 5, 8, 1, 6]  # different max_new_tokens in one batch


@pytest.fixture(scope="module")
def one_at_a_time(make_backend, tiny_chat):
    return make_backend("tiny-chat", "transformers", tiny_chat)


@pytest.fixture(scope="module")
def batched(make_backend, tiny_chat):
    backend = make_backend("tiny-chat-cb", "transformers", tiny_chat, batching="continuous", max_batch=4)
    yield backend
    backend.close()


def requests() -> list[GenerationRequest]:
    return [GenerationRequest(messages=m, max_new_tokens=n) for m, n in zip(MESSAGES, LIMITS, strict=True)]


def summary(generations):
    return [(g.text, g.prompt_tokens, g.completion_tokens, g.finish_reason) for g in generations]


def test_batched_greedy_outputs_equal_one_at_a_time(batched, one_at_a_time):
    expected = summary([one_at_a_time.generate(r) for r in requests()])
    assert any(text for text, *_ in expected), "the tiny model should say something"
    calls = []
    batched.ensure_loaded()
    real = batched._batcher.generate

    def spy(prompts, limits, check=None):
        calls.append(len(prompts))
        return real(prompts, limits, check)

    batched._batcher.generate = spy
    try:
        got = summary(batched.generate_many(requests()))
    finally:
        batched._batcher.generate = real
    assert got == expected
    assert calls == [len(MESSAGES)]  # one submission: 7 requests, decoded 4 at a time by the engine
    assert [finish for *_, finish in got] == ["length"] * len(got)


def test_concurrent_callers_share_the_engine_and_get_their_own_outputs(batched, one_at_a_time):
    expected = summary([one_at_a_time.generate(r) for r in requests()])
    got: dict[int, object] = {}

    def call(i: int, request: GenerationRequest) -> None:
        got[i] = summary([batched.generate(request)])[0]

    threads = [threading.Thread(target=call, args=(i, r)) for i, r in enumerate(requests())]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [got[i] for i in range(len(threads))] == expected


def test_batching_none_does_not_start_an_engine(one_at_a_time):
    one_at_a_time.ensure_loaded()
    assert one_at_a_time.config.batching == "none" and one_at_a_time._batcher is None


def test_batched_stop_at_once(make_backend, tiny_chat_silent):
    backend = make_backend("silent-chat-cb", "transformers", tiny_chat_silent, batching="continuous")
    try:
        (result,) = backend.generate_many([GenerationRequest(messages=MESSAGES[0], max_new_tokens=5)])
    finally:
        backend.close()
    assert (result.text, result.completion_tokens, result.finish_reason) == ("", 1, "stop")  # the EOS token, as generate counts it


def test_stop_strings_cut_batched_outputs(batched, one_at_a_time):
    request = GenerationRequest(messages=MESSAGES[0], max_new_tokens=8)
    full = one_at_a_time.generate(request).text
    cut = batched.generate(GenerationRequest(messages=MESSAGES[0], max_new_tokens=8, stop=[full[1:]]))
    assert (cut.text, cut.finish_reason) == (full[0], "stop")


def test_sampled_requests_run_their_own_generate_with_their_seed(batched, one_at_a_time):
    sampled = GenerationRequest(messages=MESSAGES[1], max_new_tokens=8, temperature=1.0, seed=5)
    greedy = GenerationRequest(messages=MESSAGES[2], max_new_tokens=8)
    batched.ensure_loaded()
    if batched._batcher.attention.startswith("paged|"):  # transformers 5.17: plain generate cannot run beside it
        with pytest.raises(ConfigError, match="continuous batching cannot take"):
            batched.generate_many([sampled, greedy])
        return
    got = summary(batched.generate_many([sampled, greedy]))
    assert got == summary([one_at_a_time.generate(sampled), one_at_a_time.generate(greedy)])


class Stop(Exception):
    pass


def test_an_interrupt_cancels_the_batch_and_the_engine_keeps_serving(batched, one_at_a_time):
    batched.ensure_loaded()
    calls: list[int] = []

    def check() -> None:  # the API's worker raises like this once a request timed out or its job was cancelled
        calls.append(1)
        if len(calls) == 3:
            raise Stop

    submitted = []
    real = batched._batcher.generate

    def spy(prompts, limits, check=None):
        submitted.append(len(prompts))
        return real(prompts, limits, check)

    batched._batcher.generate = spy
    try:
        with interruptible(check), pytest.raises(Stop):
            batched.generate_many([GenerationRequest(messages=m, max_new_tokens=150) for m in MESSAGES])
    finally:
        batched._batcher.generate = real
    assert submitted == [len(MESSAGES)] and len(calls) == 3
    assert batched._batcher._waiting == {}  # nothing left waiting for the cancelled requests
    request = GenerationRequest(messages=MESSAGES[3], max_new_tokens=8)
    assert summary([batched.generate(request)]) == summary([one_at_a_time.generate(request)])


def test_interrupt_hook_is_called_per_token_while_batched(batched):
    calls: list[int] = []
    with interruptible(lambda: calls.append(1)):
        batched.generate_many([GenerationRequest(messages=MESSAGES[0], max_new_tokens=8)])
    assert len(calls) >= 1 + 8  # once before, then at least once per generated token


# --- seq2seq: padded batches ----------------------------------------------------------------------


def test_marian_generate_many_pads_and_matches_one_at_a_time(make_backend, tiny_marian, monkeypatch):
    marian = make_backend("tiny-marian", "transformers", tiny_marian, architecture="seq2seq", max_batch=3)
    texts = [m[-1]["content"] for m in MESSAGES]
    expected = summary([marian.generate(GenerationRequest(text=t, max_new_tokens=6)) for t in texts])
    sizes = []
    real = marian._model.generate

    def spy(**kwargs):
        sizes.append(int(kwargs["input_ids"].shape[0]))
        return real(**kwargs)

    monkeypatch.setattr(marian._model, "generate", spy)
    got = summary(marian.generate_many([GenerationRequest(text=t, max_new_tokens=6) for t in texts]))
    assert got == expected
    assert sizes == [3, 3, 1]  # max_batch texts per generate call


# --- the config switch ----------------------------------------------------------------------------


def test_batching_defaults_to_none(configs_dir, write_config):
    write_config("plain", "transformers", configs_dir)
    config = load_model_config(configs_dir, "plain")
    assert config.batching == "none" and config.max_batch == 32


@pytest.mark.parametrize(
    ("fields", "what"),
    [({"architecture": "seq2seq"}, "seq2seq on transformers"), ({"backend": "llama_cpp"}, "causal on llama_cpp")],
)
def test_continuous_batching_needs_a_causal_transformers_model(configs_dir, write_config, fields, what):
    write_config("bad", fields.pop("backend", "transformers"), configs_dir, batching="continuous", **fields)
    with pytest.raises(ConfigError, match=f"batching: continuous needs a decoder-only model.*{what}"):
        load_model_config(configs_dir, "bad")


def test_unknown_batching_mode_is_refused(configs_dir, write_config):
    write_config("bad", "transformers", configs_dir, batching="dynamic")
    with pytest.raises(ConfigError, match="batching"):
        load_model_config(configs_dir, "bad")


def test_the_qwen_instruct_config_batches():
    config = load_model_config(PROJECT_ROOT / "model_configs", "qwen2.5-1.5b-instruct")
    assert config.batching == "continuous"


def test_the_engine_module_imports_nothing_else_from_the_project():
    """scripts/gpu_check.py imports it on a GPU machine with only torch and transformers installed."""
    blocker = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        allowed = {'service', 'service.models', 'service.models.continuous_batching'}\n"
        "        if name.split('.')[0] in {'pydantic', 'fastapi', 'yaml'} or (name.startswith('service') and name not in allowed):\n"
        "            raise ImportError(f'blocked: {name}')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import service.models.continuous_batching as cb\n"
        "print(cb.ContinuousBatcher.__name__)\n"
    )
    run = subprocess.run([sys.executable, "-c", blocker], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ContinuousBatcher"
