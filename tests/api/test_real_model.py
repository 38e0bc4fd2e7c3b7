"""One call through /v1/briefs with the real offline model (llama.cpp on CPU). Marked slow."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.api import create_app
from service.models.config import load_model_config
from service.models.weights import weights_present
from service.pipeline.result import BriefResult
from service.settings import Settings

pytestmark = pytest.mark.slow

ARTICLE = ("Il Comune di Milano ha stanziato 12 milioni di euro per rinnovare 40 scuole. "
           "I lavori inizieranno a settembre 2025, ha annunciato il sindaco Giuseppe Sala.")


def test_real_model_brief(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "jobs.sqlite3", request_timeout_s=1200, _env_file=None)
    config = load_model_config(settings.model_configs_dir, settings.translate_config)
    if not weights_present(config, settings.cache_dir):
        pytest.skip(f"weights for {config.id} are not assembled (brief models fetch {config.id})")
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/briefs", json={"article": ARTICLE})
        assert response.status_code == 200, response.text
        result = BriefResult.model_validate(response.json())
        assert client.get("/readyz").json()["status"] == "ready"
    assert result.models["translate"] == config.id
    assert "Milan" in result.translation
    assert result.headline and result.summary
    facts = result.facts.translation.facts
    assert {f.source_text for f in facts} >= {"12 milioni di euro"}
    assert result.usage.completion_tokens > 0
