"""Backend registry: lazy built-ins, plugins, one cached instance per config."""

from __future__ import annotations

import pytest

from service.errors import ConfigError
from service.models import registry
from service.models.base import Backend, Generation, GenerationRequest
from service.models.fake import FakeBackend


@pytest.fixture
def own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Registrations made by a test end with it."""
    monkeypatch.setattr(registry, "_registered", dict(registry._registered))


class UpperBackend(Backend):
    name = "upper"
    loads = 0

    def load(self) -> None:
        type(self).loads += 1

    def generate(self, request: GenerationRequest) -> Generation:
        self.ensure_loaded()
        text = (request.text or request.messages[-1]["content"]).upper()
        return Generation(text=text, prompt_tokens=self.count_tokens(text), completion_tokens=self.count_tokens(text), seconds=0.0)

    def count_tokens(self, text: str) -> int:
        return len(text)


def test_builtin_names():
    assert {"fake", "llama_cpp", "transformers"} <= set(registry.backend_names())


def test_unknown_backend_lists_the_known_names(configs_dir, write_config, settings):
    write_config("odd", "tensorflow", configs_dir)
    with pytest.raises(ConfigError) as caught:
        registry.get_backend("odd", settings)
    assert "unknown backend 'tensorflow'" in caught.value.message
    for name in ("fake", "llama_cpp", "transformers"):
        assert name in caught.value.hint


def test_get_backend_caches_one_instance_per_config(configs_dir, write_config, settings):
    write_config("a", "fake", configs_dir)
    write_config("b", "fake", configs_dir)
    first = registry.get_backend("a", settings)
    assert isinstance(first, FakeBackend) and not first.loaded
    assert registry.get_backend("a", settings) is first
    assert registry.get_backend("b", settings) is not first
    registry.clear_backends()
    assert registry.get_backend("a", settings) is not first


def test_unknown_config_is_a_config_error(settings):
    with pytest.raises(ConfigError, match="unknown model config 'missing'"):
        registry.get_backend("missing", settings)


def test_register_backend(own_registry, configs_dir, write_config, settings):
    registry.register_backend("upper", UpperBackend)
    assert "upper" in registry.backend_names()
    write_config("shout", "upper", configs_dir)
    backend = registry.get_backend("shout", settings)
    assert isinstance(backend, UpperBackend)
    UpperBackend.loads = 0
    assert backend.generate(GenerationRequest(text="ciao")).text == "CIAO"
    backend.generate(GenerationRequest(messages=[{"role": "user", "content": "x"}]))
    assert UpperBackend.loads == 1 and backend.loaded


def test_registered_backend_overrides_a_builtin(own_registry, configs_dir, write_config, settings):
    registry.register_backend("fake", UpperBackend)
    write_config("f", "fake", configs_dir)
    assert isinstance(registry.get_backend("f", settings), UpperBackend)


def test_request_needs_exactly_one_of_messages_or_text():
    with pytest.raises(ValueError):
        GenerationRequest()
    with pytest.raises(ValueError):
        GenerationRequest(text="a", messages=[{"role": "user", "content": "a"}])


def test_fake_backend_queue_then_echo(configs_dir, write_config, settings):
    write_config("f", "fake", configs_dir)
    fake = registry.get_backend("f", settings)
    fake.enqueue("queued answer")
    first = fake.generate(GenerationRequest(text="uno due tre"))
    assert first.text == "queued answer" and first.prompt_tokens == 3 and first.completion_tokens == 2
    echoed = fake.generate(GenerationRequest(messages=[{"role": "user", "content": "rules\n\nlast block"}]))
    assert echoed.text == "last block"
    assert len(fake.requests) == 2


def test_threads_come_from_config_then_settings(configs_dir, write_config, settings):
    write_config("f", "fake", configs_dir, threads=3)
    write_config("g", "fake", configs_dir)
    assert registry.get_backend("f", settings).threads() == 3
    assert registry.get_backend("g", settings).threads() == settings.threads == 1
