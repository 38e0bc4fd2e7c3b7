"""Each suite end to end on the fake backend (and the model-free facts suite on real pairs)."""

from __future__ import annotations

import json

import pytest
from eval_helpers import FIGURES, shared, write_jsonl

from service.evaluation import DataError, EvalOptions, load_dataset, run_suite
from service.evaluation.store import RunStore
from service.evaluation.suites import fitting
from service.evaluation.suites.summary import article_language, english_references

ARTICLES = [
    {
        "id": "en-1",
        "lang": "en",
        "article": "The city council approved a budget of $25 million on Monday. Mayor Anna Rossi said work starts in 2026.",
        "summary": "The council approved a $25 million budget. Work starts in 2026.",
    },
    {
        "id": "it-1",
        "article": "Il consiglio comunale ha approvato lunedì un bilancio di 25 milioni di euro. I lavori inizieranno nel 2026.",
        "headline": "Approvato il bilancio",
        "headline_en": "Council approves budget",
    },
]


def _options(tmp_path, data, name="run", **kw):
    return EvalOptions(data=data, out=tmp_path / name, progress=False, **kw)


def test_facts_suite_on_project_pairs(tmp_path):
    results = run_suite("facts", _no_model_settings(), _options(tmp_path, FIGURES, perturb=True))
    headline = results["headline"]
    assert headline["n"] >= 20 and headline["facts"] > 40
    assert headline["fact_recall"] > 0.9  # our own references keep their facts
    assert "models" not in results["signature"] and results["signature"]["options"] == {"perturb": True, "seed": 0}
    detection = headline["detection"]
    assert detection and all(rate is None or 0 <= rate <= 1 for rate in detection.values())
    assert (tmp_path / "run" / "plots" / "fact_preservation.png").is_file()


def test_facts_suite_on_flores(tmp_path):
    data = shared("flores200_dev_partial_it_en.jsonl")
    results = run_suite("facts", _no_model_settings(), _options(tmp_path, data, limit=60))
    assert results["n"] == 60 and results["metrics"]["benchmark"]["rows"] == 60
    flagged = set(results["metrics"]["flagged_ids"])
    assert flagged <= {r["id"] for r in RunStore(tmp_path / "run").records()}


def test_summary_suite(tmp_path, fake_settings, fake_backend):
    data = write_jsonl(tmp_path / "articles.jsonl", ARTICLES)
    fake_backend.responder = lambda request: (
        "Council approves $25 million budget" if request.task == "headline"
        else "The council approved a $25 million budget. Work starts in 2030.")
    results = run_suite("summary", fake_settings, _options(tmp_path, data))
    records = {r["id"]: r for r in RunStore(tmp_path / "run").records()}
    assert records["en-1"]["lang"] == "en" and records["it-1"]["lang"] == "it"
    assert set(records["en-1"]["rouge"]) == {"summary"} and set(records["it-1"]["rouge"]) == {"headline"}
    metrics = results["metrics"]
    assert metrics["summary"]["rouge"]["n"] == 1 and metrics["headline"]["rouge"]["n"] == 1
    assert metrics["summary"]["support"]["unsupported"] >= 1  # 2030 is in no source
    assert results["headline"]["summary_rouge2"] > 0 and "summary_words" in results["headline"]


def test_summary_language_and_references():
    assert article_language({"article": "x", "lang": "en"}) == "en"
    assert article_language({"article": "Il governo ha approvato la legge di bilancio per il prossimo anno con una larga maggioranza."}) == "it"
    assert english_references({"article": "x", "headline": "Titolo", "summary": "Sommario"}, "it") == {}
    assert english_references({"article": "x", "summary": "S"}, "en") == {"summary": "S"}


def test_speed_suite(tmp_path, fake_settings):
    results = run_suite("speed", fake_settings, _options(tmp_path, FIGURES, limit=3))
    speed = results["metrics"]["speed"]
    assert speed["units"] == 3 and {"translate", "headline", "summary"} <= set(speed["stages"])
    assert speed["peak_memory"]["rss_mb"] > 0 and results["headline"]["tokens_per_second"] > 0
    assert (tmp_path / "run" / "plots" / "latency_per_stage.png").is_file()


def test_all_picks_fitting_suites(tmp_path, fake_settings):
    assert fitting(load_dataset(FIGURES)) == ["translation", "facts"]
    results = run_suite("all", fake_settings, _options(tmp_path, FIGURES, limit=3))
    assert results["suites"] == ["translation", "facts"]
    assert (tmp_path / "run" / "translation" / "results.json").is_file() and (tmp_path / "run" / "facts" / "results.json").is_file()
    assert json.loads(json.dumps(results["headline"]))["suites"]["translation"]["n"] == 3


def test_wrong_suite_for_data(tmp_path, fake_settings):
    with pytest.raises(DataError, match="summary suite needs"):
        run_suite("summary", fake_settings, _options(tmp_path, FIGURES))


def _no_model_settings():
    from service.settings import Settings

    return Settings(_env_file=None)


def test_translation_suite_scores_meaning_traps(tmp_path, fake_settings, fake_backend):
    from service.evaluation.suites.translation import trap_check
    from service.settings import PROJECT_ROOT

    traps = PROJECT_ROOT / "eval" / "data" / "meaning_traps_it_en.jsonl"
    rows = [json.loads(line) for line in traps.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 20 and all(trap_check(row["en"], row)["ok"] for row in rows)  # every reference passes its own check
    assert not trap_check("Blinken clashes with the leader of Central Asia.", rows[3])["ok"]
    data = tmp_path / "traps.jsonl"
    write_jsonl(data, rows[:3])
    answers = iter(["The US presents itself as an alternative to Russia.", "Kazakhstan had been silent.", "Washington strongly supports it."])
    fake_backend.responder = lambda request: next(answers)
    results = run_suite("translation", fake_settings, _options(tmp_path, data))
    assert results["metrics"]["traps"] == {"rows": 3, "passed": 2, "rate": 0.6667}
    assert results["headline"]["traps_passed"] == 0.6667


def test_summary_suite_runs_every_row_through_the_pipeline(tmp_path, fake_settings, fake_backend, monkeypatch):
    from service.pipeline.brief import BriefPipeline

    calls = []
    real_run = BriefPipeline.run

    def recording_run(self, article, options=None, **kw):
        calls.append(options)
        return real_run(self, article, options, **kw)

    monkeypatch.setattr(BriefPipeline, "run", recording_run)
    fake_backend.responder = lambda request: "Council approves $25 million budget"
    run_suite("summary", fake_settings, _options(tmp_path, write_jsonl(tmp_path / "articles.jsonl", ARTICLES)))
    assert [(o.source_language, o.guard) for o in calls] == [("en", "off"), ("it", None)]
    records = {r["id"]: r for r in RunStore(tmp_path / "run").records()}
    assert "clean" in records["en-1"]["run"]["timings"]  # the pipeline's stages, not a path of its own
