"""The offline default weights on the CPU: llama.cpp prompt reuse never changes an answer; the xllamacpp engine. Marked slow."""

from __future__ import annotations

import pytest

from service.models import registry
from service.models.base import GenerationRequest
from service.models.config import load_model_config
from service.models.weights import weights_present
from service.settings import Settings

pytestmark = pytest.mark.slow

SYSTEM = {"role": "system", "content": "You translate Italian news into English. Keep every number, date and name."}
TEXT = (
    "Il consiglio regionale ha approvato ieri sera, con 31 voti favorevoli e 12 contrari, il piano da 84 milioni "
    "di euro per le ferrovie locali. La presidente Anna Ferraro ha detto che i primi treni nuovi arriveranno nel "
    "marzo 2027 sulla linea tra Cuneo e Savona, chiusa da tre anni dopo una frana. L'opposizione chiede che una "
    "parte dei fondi vada alle strade di montagna, dove nell'ultimo inverno 14 paesi sono rimasti isolati per giorni."
)


def test_an_answer_does_not_depend_on_what_the_model_was_asked_before() -> None:
    settings = Settings(_env_file=None)
    config = load_model_config(settings.model_configs_dir, "qwen2.5-coder-1.5b-gguf")
    if not weights_present(config, settings.cache_dir):
        pytest.skip(f"weights for {config.id} are not assembled (scripts/setup.sh)")
    config = config.model_copy(update={"prompt_cache": config.prompt_cache.model_copy(update={"answers": 0})})
    cold, warm = registry.create_backend(config, settings), registry.create_backend(config, settings)
    target = [SYSTEM, {"role": "user", "content": "Translate into English:\n\n" + TEXT}]
    detour = [SYSTEM, {"role": "user", "content": "Translate into English:\n\n" + TEXT[:180] + " Fine."}]
    expected = cold.generate(GenerationRequest(messages=target, max_new_tokens=40))
    warm.generate(GenerationRequest(messages=detour, max_new_tokens=24))
    after = warm.generate(GenerationRequest(messages=target, max_new_tokens=40))
    assert after.cached_tokens >= 16, "the detour's prompt was partly reused"
    assert after.text == expected.text


def test_xllamacpp_serves_the_offline_weights_and_batches_listed_requests() -> None:
    """The xllamacpp config on the real weights (2 slots): listed requests run together and each
    gets its own answer with its own figures; an interrupt stops a call within a token and the
    server keeps serving. (Not asserted: that a batched answer equals the same request alone; on
    this CPU it does not always, see the README's Benchmarks.)"""
    pytest.importorskip("xllamacpp")
    from service.interrupt import interruptible

    settings = Settings(_env_file=None)
    config = load_model_config(settings.model_configs_dir, "qwen2.5-coder-1.5b-gguf-xllamacpp")
    if not weights_present(config, settings.cache_dir):
        pytest.skip(f"weights for {config.id} are not assembled (scripts/setup.sh)")
    backend = registry.create_backend(config.model_copy(update={"max_batch": 2}), settings)
    try:
        texts = ("Il consiglio ha approvato il piano con 31 voti favorevoli e 12 contrari.",
                 "I primi treni nuovi arriveranno nel marzo 2027 sulla linea tra Cuneo e Savona.")
        requests = [GenerationRequest(messages=[SYSTEM, {"role": "user", "content": "Translate into English:\n\n" + text}],
                                      max_new_tokens=40) for text in texts]
        first, second = backend.generate_many(requests)
        assert "31" in first.text and "12" in first.text and "2027" not in first.text
        assert "2027" in second.text and "Savona" in second.text and "31" not in second.text
        assert first.prompt_tokens > 20 and 0 < first.completion_tokens <= 40
        checks = 0

        def check() -> None:
            nonlocal checks
            checks += 1
            if checks > 5:
                raise TimeoutError("stop")

        with interruptible(check), pytest.raises(TimeoutError):
            backend.generate(GenerationRequest(messages=requests[0].messages, max_new_tokens=200))
        assert checks == 6
        assert "2027" in backend.generate(requests[1]).text
    finally:
        backend.close()
