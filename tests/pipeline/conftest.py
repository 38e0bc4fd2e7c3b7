"""A pipeline on the fake backend: every stage but the model is real."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.guard import Guard
from service.models.registry import clear_backends, get_backend
from service.pipeline.brief import BriefPipeline
from service.settings import PROJECT_ROOT, Settings


@pytest.fixture
def fake_settings(tmp_path: Path, fake_configs_dir: Path) -> Settings:
    clear_backends()
    yield Settings(
        model_configs_dir=fake_configs_dir,
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
        # the guard is a run option; a pipeline whose settings default to `guard` stands in for it here
        return BriefPipeline.from_settings(fake_settings.model_copy(update={"guard": Guard(guard)}))

    return make


def source_of(request) -> str:
    """The Italian text a translate request asks for (prompt layout: the text comes last)."""
    assert request.task == "translate"
    return request.messages[-1]["content"].strip().split("\n\n")[-1].strip()
