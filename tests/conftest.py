"""Shared by every test: nothing here may reach the network."""

import os

# Read at import time by huggingface_hub and transformers, so set before any test imports them.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

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
