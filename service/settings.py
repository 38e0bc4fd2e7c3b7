"""The one settings object. Every knob the service reads comes from here (env prefix `BRIEF_`)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .guard import Guard

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("italian-brief"))


class Settings(BaseSettings):
    """Service settings. Override any field with an environment variable `BRIEF_<NAME>`."""

    # hide_input_in_errors: a refused setting (an API key too short) is never echoed in the error
    model_config = SettingsConfigDict(env_prefix="BRIEF_", env_file=".env", extra="ignore", hide_input_in_errors=True)

    # Models and prompts
    translate_config: str = Field("qwen2.5-coder-1.5b-gguf", description="model config for translation")
    writer_config: str | None = Field(None, description="model config for headline/summary (default: same as translate_config)")
    model_configs_dir: Path = PROJECT_ROOT / "model_configs"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    cache_dir: Path = Field(default_factory=_default_cache_dir, description="where assembled model weights live")
    threads: int | None = Field(None, ge=1, description="CPU threads for inference (default: all cores)")
    llama_extra_buffers: Literal["auto", "on", "off"] = Field(
        "auto", description="llama.cpp extra CPU buffer types (repacking, AMX); auto = off when the CPU lists AMX (SIGILL on some VMs)"
    )
    guard: Guard = Field(Guard.REPAIR, description="fact guard: off, verify or repair")
    quality: Literal["fast", "balanced", "best"] = Field(
        "balanced", description="quality preset: fast (one translation candidate per chunk), balanced, best (more candidates)"
    )

    # Input limits
    max_article_chars: int = Field(20_000, ge=100)
    language_check: bool = True

    # HTTP service
    max_articles_per_job: int = Field(200, ge=1)
    queue_size: int = Field(8, ge=1, description="requests waiting for the model before 429")
    model_workers: int | None = Field(None, ge=1, description="requests the model serves at once (default: what the "
                                      "translate backend batches: an xllamacpp config's slots, else 1)")
    request_timeout_s: float = Field(600.0, gt=0, description="a request's limit, queue wait included (504 beyond)")
    job_article_timeout_s: float = Field(1800.0, gt=0, description="one job article's limit (failed `request_timeout` beyond)")
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list, description="keys every /v1 call must send: a comma-separated list or a JSON list")
    allow_open: bool = Field(False, description="serve a non-loopback address without API keys (refused unless set)")
    cors_origins: list[str] = Field(default_factory=list)
    database_path: Path = Field(default_factory=lambda: _default_cache_dir() / "jobs.sqlite3")
    database_url: str | None = Field(None, description="job store URL: postgresql://… for replicas sharing jobs "
                                     "(default: SQLite at database_path)")
    host: str = Field("127.0.0.1", description="address `brief serve` listens on")
    port: int = Field(8000, ge=1, le=65535, description="port `brief serve` listens on")
    max_request_bytes: int = Field(8_000_000, ge=1_000, description="largest request body accepted (413 beyond)")
    max_pending_job_items: int = Field(10_000, ge=1, description="job articles waiting in the database before 429")
    job_retention: timedelta = Field(timedelta(days=7), description="finished jobs are deleted this long after their last "
                                     "article finished: '7d', '12h', '30m', seconds, or ISO 8601 ('P7D')")
    job_max_attempts: int = Field(3, ge=1, description="times a job article is retried after a crash before it is failed")
    preload_model: bool = Field(True, description="load the model when the server starts (/readyz waits for it)")
    result_cache: bool = Field(True, description="serve a repeated article + run signature from the result cache (in the job database)")
    result_cache_entries: int = Field(5000, ge=1, description="results the cache keeps (least recently used dropped first)")
    result_cache_max_age_s: float = Field(7 * 24 * 3600, gt=0, description="results older than this are recomputed")

    # Evaluation data
    data_dir: Path = PROJECT_ROOT.parent / "shared" / "data"

    @field_validator("job_retention", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if isinstance(value, str) and (match := re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([dhms])\s*", value.lower())):
            return timedelta(**{{"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}[match[2]]: float(match[1])})
        return value

    @field_validator("job_retention")
    @classmethod
    def _retention_positive(cls, value: timedelta) -> timedelta:
        if value.total_seconds() <= 0:
            raise ValueError("BRIEF_JOB_RETENTION must be longer than 0 (e.g. '7d')")
        return value

    @field_validator("api_keys", mode="before")
    @classmethod
    def _keys_from_text(cls, value: Any) -> Any:
        """`BRIEF_API_KEYS=key1,key2` or `BRIEF_API_KEYS='["key1", "key2"]'` (or one key alone)."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    value = json.loads(text)
                except json.JSONDecodeError:
                    raise ValueError("BRIEF_API_KEYS starts with '[' but is not a JSON list of strings") from None
            else:
                value = [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("api_keys")
    @classmethod
    def _keys_not_trivial(cls, keys: list[SecretStr]) -> list[SecretStr]:
        for number, key in enumerate(keys, 1):
            if len(key.get_secret_value()) < 16:  # the message names the key's position, never the key
                raise ValueError(f"API key #{number} is shorter than 16 characters; use long random keys "
                                 "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)")
        return keys

    @property
    def writer_config_name(self) -> str:
        return self.writer_config or self.translate_config


@lru_cache
def get_settings() -> Settings:
    """The settings from BRIEF_* variables (and .env); a wrong value is a `ConfigError` naming the variable, never its value."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from .errors import ConfigError

    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(f"BRIEF_{'_'.join(str(part) for part in e['loc'][:1]).upper()}: {e['msg']}"
                             for e in error.errors(include_input=False, include_url=False))
        raise ConfigError(f"invalid setting: {problems}", "fix the BRIEF_* environment variable (or the .env file)") from None
    except SettingsError as error:
        raise ConfigError(f"invalid setting: {error}", "lists are JSON (e.g. '[\"a\", \"b\"]'); "
                          "BRIEF_API_KEYS may also be comma-separated") from None
