"""Fixtures for the model layer: tiny local models (see tiny_models.py), configs and settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from tiny_models import build_chat, build_gguf, build_marian, sentences, train_bpe

from service.models import registry
from service.models.base import Backend
from service.models.config import load_model_config
from service.settings import Settings


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def corpus() -> list[str]:
    return sentences()


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory: pytest.TempPathFactory, corpus: list[str]) -> Path:
    return build_marian(tmp_path_factory.mktemp("marian") / "model", corpus)


@pytest.fixture(scope="session")
def tiny_marian_silent(tmp_path_factory: pytest.TempPathFactory, corpus: list[str]) -> Path:
    return build_marian(tmp_path_factory.mktemp("marian-silent") / "model", corpus, silent=True)


@pytest.fixture(scope="session")
def chat_bpe(corpus: list[str]):  # -> tokenizers.Tokenizer
    return train_bpe(corpus)


@pytest.fixture(scope="session")
def tiny_chat(tmp_path_factory: pytest.TempPathFactory, chat_bpe) -> Path:
    return build_chat(tmp_path_factory.mktemp("chat") / "model", chat_bpe)


@pytest.fixture(scope="session")
def tiny_chat_silent(tmp_path_factory: pytest.TempPathFactory, chat_bpe) -> Path:
    return build_chat(tmp_path_factory.mktemp("chat-silent") / "model", chat_bpe, silent=True)


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory, chat_bpe) -> Path:
    return build_gguf(tmp_path_factory.mktemp("gguf") / "tiny-llama-f32.gguf", chat_bpe)


@pytest.fixture(scope="session")
def tiny_gguf_silent(tmp_path_factory: pytest.TempPathFactory, chat_bpe) -> Path:
    return build_gguf(tmp_path_factory.mktemp("gguf-silent") / "tiny-llama-silent.gguf", chat_bpe, silent=True)


# --- model configs and settings ---------------------------------------------------------------

ConfigWriter = Callable[..., str]


def config_data(name: str, backend: str, path: Path, **fields: object) -> dict:
    """A valid model config for a local model; `fields` override or add keys."""
    data: dict = {
        "id": name,
        "licence": "test-only",
        "roles": ["translate"],
        "backend": backend,
        "architecture": "causal",
        "weights": {"source": "local", "path": str(path)},
        "context_length": 256,
        "generation": {"max_new_tokens": 8},
    }
    data.update(fields)
    return data


@pytest.fixture
def configs_dir(tmp_path: Path) -> Path:
    path = tmp_path / "model_configs"
    path.mkdir()
    return path


@pytest.fixture
def settings(configs_dir: Path, tmp_path: Path) -> Iterator[Settings]:
    yield Settings(model_configs_dir=configs_dir, cache_dir=tmp_path / "cache", threads=1, _env_file=None)
    registry.clear_backends()


@pytest.fixture
def write_config(configs_dir: Path) -> ConfigWriter:
    """write_config(name, backend, path, **fields) writes model_configs/NAME.yaml and returns NAME."""

    def write(name: str, backend: str, path: Path, **fields: object) -> str:
        data = config_data(name, backend, path, **fields)
        (configs_dir / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return name

    return write


@pytest.fixture(scope="session")
def make_backend(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Backend]:
    """make_backend(name, backend, path, **fields): a backend built from a YAML config, as the service builds it.

    Session-scoped so a module can load a tiny model once; each call gets its own configs dir.
    """

    def make(name: str, backend: str, path: Path, **fields: object) -> Backend:
        directory = tmp_path_factory.mktemp("model_configs")
        data = config_data(name, backend, path, **fields)
        (directory / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        settings = Settings(model_configs_dir=directory, cache_dir=directory / "cache", threads=1, _env_file=None)
        return registry.create_backend(load_model_config(directory, name), settings)

    return make


