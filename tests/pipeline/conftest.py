"""A pipeline on the fake backend: every stage but the model is real."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.models.registry import clear_backends, get_backend
from service.pipeline.brief import BriefPipeline
from service.settings import PROJECT_ROOT, Settings

FAKE_CONFIG = """\
id: fake
licence: none (test double)
roles: [translate, headline, summary]
backend: fake
architecture: causal
weights: {source: local, path: .}
context_length: 4096
chunk_tokens: 200
"""


@pytest.fixture
def fake_settings(tmp_path: Path) -> Settings:
    configs = tmp_path / "model_configs"
    configs.mkdir()
    (configs / "fake.yaml").write_text(FAKE_CONFIG)
    clear_backends()
    yield Settings(
        model_configs_dir=configs,
        prompts_dir=PROJECT_ROOT / "prompts",
        cache_dir=tmp_path / "cache",
        translate_config="fake",
        database_path=tmp_path / "jobs.sqlite3",
    )
    clear_backends()


@pytest.fixture
def fake_backend(fake_settings: Settings):
    return get_backend("fake", fake_settings)


@pytest.fixture
def make_pipeline(fake_settings: Settings):
    def make(guard: str = "off") -> BriefPipeline:
        return BriefPipeline.from_settings(fake_settings, guard=guard)

    return make


def source_of(request) -> str:
    """The Italian text a translate request asks for (the block after 'Translate into English:')."""
    content = request.messages[-1]["content"]
    return content.split("Translate into English:", 1)[1].strip().split("\n\n")[0].strip()
