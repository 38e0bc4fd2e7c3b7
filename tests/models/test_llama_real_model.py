"""The offline default (llama.cpp on CPU): prompt reuse never changes an answer. Marked slow."""

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
