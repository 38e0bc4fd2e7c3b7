"""The one settings object. Every knob the service reads comes from here (env prefix `BRIEF_`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("italian-brief"))


class Settings(BaseSettings):
    """Service settings. Override any field with an environment variable `BRIEF_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="BRIEF_", env_file=".env", extra="ignore")

    # Models and prompts
    translate_config: str = Field("qwen2.5-coder-1.5b-gguf", description="model config for translation")
    writer_config: str | None = Field(None, description="model config for headline/summary (default: same as translate_config)")
    model_configs_dir: Path = PROJECT_ROOT / "model_configs"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    cache_dir: Path = Field(default_factory=_default_cache_dir, description="where assembled model weights live")
    threads: int | None = Field(None, ge=1, description="CPU threads for inference (default: all cores)")
    guard: Literal["off", "verify", "repair"] = "repair"

    # Input limits
    max_article_chars: int = Field(20_000, ge=100)
    language_check: bool = True

    # HTTP service
    max_articles_per_job: int = Field(200, ge=1)
    queue_size: int = Field(8, ge=1, description="requests waiting for the model before 429")
    request_timeout_s: float = Field(600.0, gt=0, description="a request's limit, queue wait included (504 beyond)")
    job_article_timeout_s: float = Field(1800.0, gt=0, description="one job article's limit (failed `request_timeout` beyond)")
    api_keys: list[str] = Field(default_factory=list)
    cors_origins: list[str] = Field(default_factory=list)
    database_path: Path = Field(default_factory=lambda: _default_cache_dir() / "jobs.sqlite3")
    database_url: str | None = Field(None, description="job store URL: postgresql://… for replicas sharing jobs "
                                     "(default: SQLite at database_path)")
    host: str = Field("127.0.0.1", description="address `brief serve` listens on")
    port: int = Field(8000, ge=1, le=65535, description="port `brief serve` listens on")
    max_request_bytes: int = Field(8_000_000, ge=1_000, description="largest request body accepted (413 beyond)")
    max_pending_job_items: int = Field(10_000, ge=1, description="job articles waiting in the database before 429")
    job_max_attempts: int = Field(3, ge=1, description="times a job article is retried after a crash before it is failed")
    preload_model: bool = Field(True, description="load the model when the server starts (/readyz waits for it)")

    # Evaluation data
    data_dir: Path = PROJECT_ROOT.parent / "shared" / "data"

    @field_validator("api_keys")
    @classmethod
    def _keys_not_trivial(cls, keys: list[str]) -> list[str]:
        for key in keys:
            if len(key) < 16:
                raise ValueError("each API key must be at least 16 characters")
        return keys

    @property
    def writer_config_name(self) -> str:
        return self.writer_config or self.translate_config


@lru_cache
def get_settings() -> Settings:
    return Settings()
