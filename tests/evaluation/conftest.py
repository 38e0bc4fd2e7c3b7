"""Fixtures for the eval suite: a fake model config in a tmp dir; backends cleared between tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.models.registry import clear_backends, get_backend
from service.settings import Settings

FAKE_CONFIG = """\
id: fake-echo
licence: Apache-2.0
roles: [translate, headline, summary]
backend: fake
weights:
  source: local
  path: /nonexistent
context_length: 4096
chunk_tokens: 200
"""


@pytest.fixture(autouse=True)
def _fresh_backends():
    clear_backends()
    yield
    clear_backends()


@pytest.fixture
def fake_settings(tmp_path: Path) -> Settings:
    configs = tmp_path / "model_configs"
    configs.mkdir()
    (configs / "fake-echo.yaml").write_text(FAKE_CONFIG, encoding="utf-8")
    return Settings(model_configs_dir=configs, translate_config="fake-echo", guard="off", _env_file=None)


@pytest.fixture
def fake_backend(fake_settings: Settings):
    """The FakeBackend instance the pipeline will use (echoes unless given a responder/queue)."""
    return get_backend("fake-echo", fake_settings)
