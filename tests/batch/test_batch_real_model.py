"""`brief batch` with the real offline model (llama.cpp in a Ray actor) on two short articles. Marked slow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.batch import run_batch
from service.models.config import load_model_config
from service.models.weights import weights_present
from service.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.ray]

ARTICLES = [
    {"id": "milano", "article": "Il Comune di Milano ha stanziato 12 milioni di euro per rinnovare 40 scuole."},
    {"id": "napoli", "article": "A Napoli il porto ha accolto 1,8 milioni di passeggeri nel 2024, il 6% in più."},
]


def test_batch_with_the_real_model(ray_address: str, tmp_path: Path) -> None:
    settings = Settings(_env_file=None)
    config = load_model_config(settings.model_configs_dir, settings.translate_config)
    if not weights_present(config, settings.cache_dir):
        pytest.skip(f"weights for {config.id} are not assembled (brief models fetch {config.id})")
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    summary = run_batch(source, tmp_path / "out", settings, guard="off", quiet=True)  # Ray plumbing, not the guard, is tested
    assert (summary.done, summary.failed) == (2, 0)
    rows = [json.loads(line) for line in (tmp_path / "out" / "briefs.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["milano", "napoli"]
    assert "Milan" in rows[0]["translation"] and "12" in rows[0]["translation"]
    assert all(r["translation"].strip() and r["translation"] != a["article"] for r, a in zip(rows, ARTICLES, strict=True))
    assert all(r["headline"] and r["summary"] and r["result"]["models"]["translate"] == config.id for r in rows)
    assert all(r["result"]["usage"]["completion_tokens"] > 0 for r in rows)
