"""API test fixtures: the real app over a fake backend (queued outputs) and a temporary SQLite file."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api import create_app
from service.models.fake import FakeBackend
from service.models.registry import clear_backends, get_backend
from service.settings import Settings

from .stores import BACKENDS, Database, database_fixture, postgres_schema  # noqa: F401  (fixtures)

ARTICLE = (
    "Il governo ha stanziato 25 milioni di euro per le scuole di Roma. "
    "I fondi arriveranno entro marzo 2025, ha detto il ministro Giuseppe Valditara."
)
NOT_ITALIAN = ("This is an English sentence about the weather in London today. The forecast says that it will rain "
               "for the rest of the week and the wind will be strong on the coast.")
ENGLISH = "The government has allocated 25 million euros to schools in Rome. The money will arrive by March 2025."

FAKE_CONFIG = """\
id: {name}
licence: none (test double)
roles: [translate, headline, summary]
backend: {backend}
weights: {{source: local, path: /nonexistent}}
context_length: 4096
chunk_tokens: 320
"""


def write_config(directory: Path, name: str = "fake", backend: str = "fake") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.yaml"
    path.write_text(FAKE_CONFIG.format(name=name, backend=backend), encoding="utf-8")
    return path


def italian(i: int) -> str:
    return (f"Il comune di Roma ha approvato il progetto numero {i} per le scuole della città. "
            f"I lavori costeranno {i + 1} milioni di euro e finiranno entro il 2026, ha detto il sindaco.")


@pytest.fixture(autouse=True)
def _fresh_backends() -> Iterator[None]:
    clear_backends()
    yield
    clear_backends()


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A fresh job database: SQLite, then PostgreSQL (skipped without BRIEF_TEST_DATABASE_URL)."""
    return database_fixture(request, tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    configs = tmp_path / "model_configs"
    write_config(configs)
    return Settings(
        translate_config="fake",
        model_configs_dir=configs,
        database_path=tmp_path / "jobs.sqlite3",
        cache_dir=tmp_path / "cache",
        guard="off",
        queue_size=2,
        request_timeout_s=30,
        max_article_chars=2_000,
        max_articles_per_job=10,
        max_request_bytes=100_000,
        result_cache=False,  # tests that repeat an article expect the model to run again; test_result_cache turns it on
        _env_file=None,
    )


def make_client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), raise_server_exceptions=False)


def wait_ready(client: TestClient, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.02)
    raise AssertionError(f"not ready: {client.get('/readyz').json()}")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with make_client(settings) as test_client:
        wait_ready(test_client)
        yield test_client


@pytest.fixture
def fake(client: TestClient, settings: Settings) -> FakeBackend:
    """The backend instance the app's pipeline uses (the registry hands out one per config)."""
    backend = get_backend("fake", settings)
    assert isinstance(backend, FakeBackend)
    return backend


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.02):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")
