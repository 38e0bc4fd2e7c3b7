"""Shared by every test: nothing here may reach the network."""

import os

# Read at import time by huggingface_hub and transformers, so set before any test imports them.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

FAKE_MODEL_CONFIG = """\
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
def fake_configs_dir(tmp_path: Path) -> Path:
    """A model_configs folder holding one config, `fake`, on the fake backend (queued/echo outputs)."""
    configs = tmp_path / "model_configs"
    configs.mkdir()
    (configs / "fake.yaml").write_text(FAKE_MODEL_CONFIG)
    return configs


@pytest.fixture(scope="session")
def ray_address() -> Iterator[str]:
    """One local Ray for the whole test session (2 CPUs, no dashboard, a 200 MB object store, no usage
    stats or auth token written), started by the first test that asks and shut down at the end."""
    from service.deploy.ray_cluster import connect, quiet_environment

    quiet_environment()  # before Ray is imported
    import ray

    assert not ray.is_initialized(), "a test left Ray running"
    connect(num_cpus=2, object_store_mb=200)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
