"""Model configs: one YAML file per model in `model_configs/`, validated strictly."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import ConfigError

Role = Literal["translate", "headline", "summary"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PypiPartsWeights(_Strict):
    """A file split across PyPI packages, each exposing `get_part_path()`."""

    source: Literal["pypi_parts"]
    modules: list[str] = Field(min_length=1, description="import names, in concatenation order")
    packages: list[str] = Field(min_length=1, description="pip requirement for each module")
    filename: str
    size: int = Field(gt=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _one_package_per_module(self) -> PypiPartsWeights:
        if len(self.modules) != len(self.packages):
            raise ValueError(f"{len(self.modules)} modules but {len(self.packages)} packages: list one pip requirement per module")
        return self


class HubWeights(_Strict):
    """A model on the Hugging Face hub (needs network the first time)."""

    source: Literal["hub"]
    repo: str
    revision: str = "main"
    gguf_file: str | None = None


class LocalWeights(_Strict):
    """A model directory or GGUF file already on disk."""

    source: Literal["local"]
    path: Path
    gguf_file: str | None = None


Weights = Annotated[PypiPartsWeights | HubWeights | LocalWeights, Field(discriminator="source")]


class GenerationSettings(_Strict):
    max_new_tokens: int = Field(512, gt=0)
    temperature: float = Field(0.0, ge=0)
    top_p: float = Field(1.0, gt=0, le=1)
    top_k: int = Field(40, ge=0)
    repeat_penalty: float = Field(1.0, gt=0)
    num_beams: int = Field(1, ge=1)
    seed: int = 0


class PromptCacheSettings(_Strict):
    """Prompt reuse in the llama.cpp backend (see service/models/prefix_states.py)."""

    states: int = Field(8, ge=0, description="KV states of earlier prompts kept in RAM (0: only the live one)")
    max_mib: int = Field(1024, ge=0, description="most RAM those states may take")
    answers: int = Field(64, ge=0, description="answers to identical deterministic requests kept (0: always call the model)")
    align_tokens: int = Field(
        16,
        ge=0,
        le=512,
        description=(
            "reuse only whole blocks of this many prompt tokens, so that an answer never depends on what was asked "
            "before (0: reuse any prefix, a little faster, but greedy output may then vary with the request history)"
        ),
    )

    @field_validator("align_tokens")
    @classmethod
    def _divides_the_batch(cls, value: int) -> int:
        if value and 512 % value:
            raise ValueError("align_tokens must be 0 or a power of two up to 512 (it must divide the 512-token batch)")
        return value


class ModelConfig(_Strict):
    id: str = Field(description="the name used on the command line (file stem)")
    description: str = ""
    licence: str
    licence_note: str = ""
    roles: list[Role] = Field(min_length=1)
    backend: str = Field(description="a registered backend name: llama_cpp, xllamacpp, transformers, fake")
    architecture: Literal["causal", "seq2seq"] = "causal"
    weights: Weights
    context_length: int = Field(gt=0)
    chunk_tokens: int = Field(256, gt=0, description="source tokens per translation chunk")
    source_lang_code: str | None = Field(None, description="tokenizer source language (NLLB: ita_Latn)")
    target_lang_code: str | None = Field(None, description="forced target language token (NLLB: eng_Latn)")
    generation: GenerationSettings = GenerationSettings()
    prompt_cache: PromptCacheSettings = PromptCacheSettings()
    threads: int | None = Field(None, ge=1)
    device: Literal["cpu", "cuda", "auto"] = "cpu"
    dtype: Literal["float32", "bfloat16", "float16", "auto"] = "float32"
    batching: Literal["none", "continuous"] = Field(
        "none",
        description="transformers causal models: 'continuous' decodes concurrent and listed requests together "
        "(transformers' continuous batching, paged KV cache); 'none' runs one generate call per request",
    )
    max_batch: int = Field(32, ge=1, description="most requests decoded together (continuous batching; seq2seq padded "
                           "batches; xllamacpp: the server's slots, each with its own context_length of KV cache)")

    @model_validator(mode="after")
    def _batching_fits_the_model(self) -> ModelConfig:
        if self.batching == "continuous" and (self.backend != "transformers" or self.architecture != "causal"):
            raise ValueError(
                "batching: continuous needs a decoder-only model on the transformers backend "
                f"(this one is {self.architecture} on {self.backend}); Marian/NLLB batch by padding: use batching: none"
            )
        return self

    @property
    def is_chat(self) -> bool:
        return self.architecture == "causal"

    def fingerprint(self) -> str:
        """Short hash of every setting that changes outputs (for eval signatures)."""
        blob = self.model_dump_json(exclude={"description", "licence_note", "prompt_cache"})
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def config_path(configs_dir: Path, name: str) -> Path:
    return configs_dir / f"{name}.yaml"


def list_config_names(configs_dir: Path) -> list[str]:
    return sorted(p.stem for p in configs_dir.glob("*.yaml"))


def load_model_config(configs_dir: Path, name: str) -> ModelConfig:
    """Read and validate `model_configs/NAME.yaml`, or say what is wrong and how to fix it."""
    path = config_path(configs_dir, name)
    if not path.is_file():
        known = ", ".join(list_config_names(configs_dir)) or "none"
        raise ConfigError(f"unknown model config '{name}' (no file {path})", f"choose one of: {known}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}", "fix the file's syntax") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping of settings", "see model_configs/README.md")
    data.setdefault("id", name)
    if data["id"] != name:
        raise ConfigError(f"{path} says id '{data['id']}' but its file is named '{name}'", "make the id match the file name")
    try:
        return ModelConfig(**data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path} is invalid: {problems}", "see model_configs/README.md for the fields") from exc
