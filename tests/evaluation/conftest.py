"""Fixtures for the eval suite: a fake model config in a tmp dir; backends cleared between tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.models.registry import clear_backends, get_backend
from service.settings import Settings


@pytest.fixture(autouse=True)
def _fresh_backends():
    clear_backends()
    yield
    clear_backends()


@pytest.fixture
def fake_settings(fake_configs_dir: Path) -> Settings:
    return Settings(model_configs_dir=fake_configs_dir, translate_config="fake", guard="off", _env_file=None)


@pytest.fixture
def fake_backend(fake_settings: Settings):
    """The FakeBackend instance the pipeline will use (echoes unless given a responder/queue)."""
    return get_backend("fake", fake_settings)
