"""Model config files: strict schema, helpful errors, and every shipped config valid."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from service.errors import ConfigError
from service.models.config import PypiPartsWeights, list_config_names, load_model_config
from service.models.registry import backend_names
from service.settings import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "model_configs"


def _write(directory: Path, name: str, text: str) -> None:
    (directory / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_local_config_loads(configs_dir, write_config):
    write_config("tiny", "fake", configs_dir)
    config = load_model_config(configs_dir, "tiny")
    assert config.id == "tiny" and config.backend == "fake" and config.is_chat
    assert config.weights.source == "local" and config.weights.path == configs_dir
    assert len(config.fingerprint()) == 12


def test_unknown_key_is_refused_and_named(configs_dir, write_config):
    write_config("tiny", "fake", configs_dir, temprature=0.2)
    with pytest.raises(ConfigError) as caught:
        load_model_config(configs_dir, "tiny")
    assert "temprature" in str(caught.value)
    assert "model_configs/README.md" in caught.value.hint


def test_unknown_nested_key_is_refused(configs_dir, write_config):
    write_config("tiny", "fake", configs_dir, generation={"max_new_tokens": 8, "beams": 2})
    with pytest.raises(ConfigError, match=r"generation\.beams"):
        load_model_config(configs_dir, "tiny")


def test_prompt_cache_alignment_must_divide_the_batch(configs_dir, write_config):
    write_config("tiny", "fake", configs_dir, prompt_cache={"align_tokens": 48})
    with pytest.raises(ConfigError, match="power of two"):
        load_model_config(configs_dir, "tiny")
    write_config("tiny", "fake", configs_dir, prompt_cache={"align_tokens": 64})
    assert load_model_config(configs_dir, "tiny").prompt_cache.align_tokens == 64


def test_id_must_match_file_name(configs_dir, write_config):
    write_config("tiny", "fake", configs_dir, id="other")
    with pytest.raises(ConfigError, match="id 'other' but its file is named 'tiny'"):
        load_model_config(configs_dir, "tiny")


def test_id_defaults_to_file_name(configs_dir):
    _write(configs_dir, "noid", "licence: x\nroles: [summary]\nbackend: fake\ncontext_length: 64\n"
           "weights: {source: local, path: /tmp}\n")
    assert load_model_config(configs_dir, "noid").id == "noid"


def test_bad_yaml(configs_dir):
    _write(configs_dir, "broken", "id: broken\nroles: [translate\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_model_config(configs_dir, "broken")


def test_yaml_that_is_not_a_mapping(configs_dir):
    _write(configs_dir, "alist", "- one\n- two\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_model_config(configs_dir, "alist")


def test_unknown_config_lists_the_known_ones(configs_dir, write_config):
    write_config("tiny", "fake", configs_dir)
    with pytest.raises(ConfigError) as caught:
        load_model_config(configs_dir, "nope")
    assert "unknown model config 'nope'" in caught.value.message
    assert "tiny" in caught.value.hint


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"roles": ["translate", "poetry"]}, "roles"),
        ({"roles": []}, "roles"),
        ({"architecture": "encoder"}, "architecture"),
        ({"context_length": 0}, "context_length"),
        ({"generation": {"temperature": -1}}, "generation.temperature"),
        ({"generation": {"top_p": 1.5}}, "generation.top_p"),
        ({"weights": {"source": "ftp", "path": "/x"}}, "weights"),
        ({"weights": {"source": "local"}}, "weights.local.path"),
        ({"dtype": "int4"}, "dtype"),
    ],
)
def test_invalid_values_are_named(configs_dir, write_config, fields, where):
    write_config("tiny", "fake", configs_dir, **fields)
    with pytest.raises(ConfigError) as caught:
        load_model_config(configs_dir, "tiny")
    assert where in caught.value.message


def test_pypi_parts_need_one_package_per_module(configs_dir, write_config):
    weights = {"source": "pypi_parts", "modules": ["a", "b"], "packages": ["a==1"], "filename": "m.gguf",
               "size": 10, "sha256": "0" * 64}
    write_config("tiny", "fake", configs_dir, weights=weights)
    with pytest.raises(ConfigError, match="2 modules but 1 packages"):
        load_model_config(configs_dir, "tiny")


def test_fingerprint_ignores_prose_but_not_settings(configs_dir, write_config):
    write_config("a", "fake", configs_dir, description="one")
    first = load_model_config(configs_dir, "a").fingerprint()
    write_config("a", "fake", configs_dir, description="two", licence_note="changed")
    assert load_model_config(configs_dir, "a").fingerprint() == first
    write_config("a", "fake", configs_dir, generation={"max_new_tokens": 9})
    assert load_model_config(configs_dir, "a").fingerprint() != first


# --- the configs we ship ------------------------------------------------------------------------

SHIPPED_NAMES = list_config_names(SHIPPED)


def test_configs_are_shipped():
    assert "qwen2.5-coder-1.5b-gguf" in SHIPPED_NAMES
    assert len(SHIPPED_NAMES) >= 5


@pytest.mark.parametrize("name", SHIPPED_NAMES)
def test_shipped_config_is_valid(name):
    config = load_model_config(SHIPPED, name)
    assert config.backend in backend_names()
    assert config.licence
    if config.backend == "llama_cpp":
        assert config.is_chat
    if config.architecture == "seq2seq":
        assert config.roles == ["translate"]
    raw = yaml.safe_load((SHIPPED / f"{name}.yaml").read_text(encoding="utf-8"))
    assert raw.get("id", name) == name


def test_nllb_says_it_is_non_commercial():
    nllb = [name for name in SHIPPED_NAMES if name.startswith("nllb")]
    assert nllb
    for name in nllb:
        config = load_model_config(SHIPPED, name)
        assert "CC-BY-NC" in config.licence
        assert "commercial" in config.licence_note.lower()
        assert config.target_lang_code == "eng_Latn" and config.source_lang_code == "ita_Latn"


def test_shipped_pypi_parts_configs_agree():
    """The two offline-default configs (llama.cpp and transformers) must name the same file."""
    specs = {name: load_model_config(SHIPPED, name).weights for name in SHIPPED_NAMES}
    parts = {name: spec for name, spec in specs.items() if isinstance(spec, PypiPartsWeights)}
    assert parts
    assert len({(spec.filename, spec.size, spec.sha256, tuple(spec.modules)) for spec in parts.values()}) == 1
    for spec in parts.values():
        assert all(p.split("==")[0].replace("-", "_") == m for m, p in zip(spec.modules, spec.packages, strict=True))
