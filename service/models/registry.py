"""Backend registry: name → backend class, imported lazily so heavy packages load only when used."""

from __future__ import annotations

import importlib
import threading

from ..errors import BackendUnavailableError, ConfigError
from ..settings import Settings
from .base import Backend
from .config import ModelConfig, load_model_config

_BUILTIN = {
    "llama_cpp": ("service.models.llama_cpp", "LlamaCppBackend", "llama-cpp-python"),
    "xllamacpp": ("service.models.xllamacpp_backend", "XLlamaCppBackend", "xllamacpp"),
    "transformers": ("service.models.transformers_backend", "TransformersBackend", "transformers torch"),
    "fake": ("service.models.fake", "FakeBackend", ""),
}
_registered: dict[str, type[Backend]] = {}
_instances: dict[tuple[str, str], Backend] = {}
_lock = threading.Lock()


def register_backend(name: str, backend_class: type[Backend]) -> None:
    """Add a backend (plugins, tests)."""
    _registered[name] = backend_class


def backend_names() -> list[str]:
    return sorted(set(_BUILTIN) | set(_registered))


def backend_class(name: str) -> type[Backend]:
    if name in _registered:
        return _registered[name]
    if name not in _BUILTIN:
        raise ConfigError(f"unknown backend '{name}'", f"use one of: {', '.join(backend_names())}")
    module_name, class_name, packages = _BUILTIN[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise BackendUnavailableError(
            f"backend '{name}' needs packages that are not installed ({exc.name})",
            f"install them: pip install {packages}",
        ) from exc
    return getattr(module, class_name)


def create_backend(config: ModelConfig, settings: Settings) -> Backend:
    return backend_class(config.backend)(config, settings)


def get_backend(config_name: str, settings: Settings) -> Backend:
    """The process-wide backend for a config, created once (weights load lazily on first use)."""
    key = (str(settings.model_configs_dir), config_name)
    with _lock:
        if key not in _instances:
            config = load_model_config(settings.model_configs_dir, config_name)
            _instances[key] = create_backend(config, settings)
        return _instances[key]


def clear_backends() -> None:
    """Forget cached backends (tests; reloading configs)."""
    with _lock:
        _instances.clear()
