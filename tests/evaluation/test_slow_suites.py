"""Smoke runs of each suite with the real offline model (minutes on 2 cores)."""

from __future__ import annotations

import pytest
from eval_helpers import FIGURES, write_jsonl

from service.evaluation import EvalOptions, run_suite
from service.settings import Settings

pytestmark = pytest.mark.slow

ARTICLES = [
    {
        "id": "it-1",
        "article": "Il consiglio comunale di Torino ha approvato lunedì un bilancio di 25 milioni di euro per le scuole. "
        "I lavori inizieranno nel 2026.",
        "headline_en": "Turin approves 25 million euro budget for schools",
    },
    {
        "id": "en-1",
        "lang": "en",
        "article": "The city council approved a budget of $25 million on Monday. Mayor Anna Rossi said work starts in 2026.",
        "summary": "The council approved a $25 million budget. Work starts in 2026.",
    },
]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(_env_file=None)


def _options(tmp_path, data, **kw):
    return EvalOptions(data=data, out=tmp_path / "run", progress=False, **kw)


def test_translation_smoke(tmp_path, settings):
    results = run_suite("translation", settings, _options(tmp_path, FIGURES, limit=2))
    headline = results["headline"]
    assert headline["n"] == 2 and headline["chrf"] > 30
    assert headline["fact_recall"] is not None and headline["tokens_per_second"] > 0
    assert results["signature"]["models"]["translate"]["name"] == settings.translate_config


def test_summary_smoke(tmp_path, settings):
    data = write_jsonl(tmp_path / "articles.jsonl", ARTICLES)
    results = run_suite("summary", settings, _options(tmp_path, data))
    metrics = results["metrics"]
    assert metrics["by_language"] == {"it": 1, "en": 1}
    assert metrics["headline"]["rouge"]["n"] == 1 and metrics["summary"]["rouge"]["n"] == 1
    assert metrics["summary"]["empty"] == 0 and metrics["summary"]["support"]["rows_checked"] == 2


def test_speed_smoke(tmp_path, settings):
    results = run_suite("speed", settings, _options(tmp_path, FIGURES, limit=2, write=("headline",)))
    assert results["headline"]["tokens_per_second"] > 1 and results["headline"]["peak_rss_mb"] > 100


def test_facts_and_all_smoke(tmp_path, settings):
    results = run_suite("all", settings, _options(tmp_path, FIGURES, limit=2))
    assert results["suites"] == ["translation", "facts"]
    assert results["headline"]["suites"]["facts"]["n"] == 2
