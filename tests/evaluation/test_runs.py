"""Whole runs on the fake backend: signature contents, resume, outputs, the CLI, compare."""

from __future__ import annotations

import json

import pytest
from eval_helpers import FIGURES, write_jsonl
from typer.testing import CliRunner

from service.evaluation import EvalOptions, ResumeError, compare_runs, run_suite
from service.evaluation.data import file_sha256
from service.evaluation.store import RunStore
from service.models.config import load_model_config

DOC_ROWS = [
    {"id": "d1-0", "doc_id": "d1", "it": "Il ponte è lungo 1.250 metri.", "en": "The bridge is 1,250 metres long."},
    {"id": "d1-1", "doc_id": "d1", "it": "È costato 48,5 milioni di euro.", "en": "It cost 48.5 million euros."},
    {"id": "d2-0", "doc_id": "d2", "it": "Alle 18.45 il treno è ripartito.", "en": "At 6:45 pm the train left again."},
    {"id": "d2-1", "doc_id": "d2", "it": "Aveva 37 minuti di ritardo.", "en": "It was 37 minutes late."},
]


def _options(tmp_path, data, name="run", **kw):
    return EvalOptions(data=data, out=tmp_path / name, progress=False, **kw)


def _reference_responder(rows):
    """A 'perfect' model: answers each Italian source with its English reference."""
    table = {r["it"]: r["en"] for r in rows}

    def respond(request):
        text = request.text or request.messages[-1]["content"]
        return next((en for it, en in table.items() if it in text.split("\n\n")[-1]), "?")

    return respond


def test_signature_contents(tmp_path, fake_settings):
    data = write_jsonl(tmp_path / "rows.jsonl", DOC_ROWS)
    results = run_suite("translation", fake_settings, _options(tmp_path, data, limit=3))
    sig = results["signature"]
    config = load_model_config(fake_settings.model_configs_dir, "fake")
    assert sig["suite"] == "translation"
    assert sig["models"]["translate"] == {"name": "fake", "hash": config.fingerprint(), "backend": "fake"}
    assert sig["prompts"]["translate"].startswith("translate@")
    assert sig["guard"] == "off"
    assert sig["dataset"] == {"file": "rows.jsonl", "sha256": file_sha256(data), "rows": 4, "used": 3}
    assert sig["limit"] == 3
    assert "tok:13a" in sig["metrics"]["bleu"] and "nw:2" in sig["metrics"]["chrf"]
    assert sig["packages"]["italian-brief"] and sig["packages"]["sacrebleu"].startswith("2.")
    assert len(sig["facts_engine"]) == 12 and sig["date"]
    assert set(sig["code"]) == {"text", "pipeline", "guard"}  # the code between model and numbers
    assert results["signature_line"].startswith("translation|translate:fake#")
    stored = json.loads((tmp_path / "run" / "results.json").read_text())
    assert stored["signature"] == sig and stored["n"] == 3


def test_outputs_trace_to_rows(tmp_path, fake_settings, fake_backend):
    data = write_jsonl(tmp_path / "rows.jsonl", DOC_ROWS)
    fake_backend.responder = _reference_responder(DOC_ROWS)
    results = run_suite("translation", fake_settings, _options(tmp_path, data))
    assert results["headline"]["chrf"] == pytest.approx(100.0)
    records = RunStore(tmp_path / "run").records()
    assert [r["id"] for r in records] == [r["id"] for r in DOC_ROWS]
    assert {r["mode"] for r in records} == {"document"}  # each doc went through the pipeline whole
    assert [bool(r.get("run")) for r in records] == [True, False, True, False]  # a doc's cost on its first row
    assert records[0]["facts"]["recall"] == 1.0 and records[0]["facts_reference"]["recall"] == 1.0
    out = tmp_path / "run"
    assert (out / "report.md").read_text().count("![") >= 2
    html = (out / "report.html").read_text()
    assert "data:image/png;base64," in html and "fact_preservation" in html


def test_resume_continues_and_skips_done_rows(tmp_path, fake_settings, fake_backend):
    rows = [{"id": f"r{i}", "it": f"Frase numero {i} con {i * 10} euro.", "en": f"Sentence {i} with {i * 10} euros."} for i in range(5)]
    data = write_jsonl(tmp_path / "rows.jsonl", rows)

    def crash_on_third(request):
        if "Frase numero 2" in request.messages[-1]["content"]:
            raise KeyboardInterrupt
        return "ok"

    fake_backend.responder = crash_on_third
    with pytest.raises(KeyboardInterrupt):
        run_suite("translation", fake_settings, _options(tmp_path, data))
    store = RunStore(tmp_path / "run")
    assert store.done_ids() == {"r0", "r1"} and not (tmp_path / "run" / "results.json").exists()
    # a torn half line at the end (crash mid-write) is dropped on resume
    with store.rows_path.open("a") as handle:
        handle.write('{"id": "r2", "hypo')
    fake_backend.responder = None
    fake_backend.requests.clear()
    results = run_suite("translation", fake_settings, _options(tmp_path, data))
    assert results["n"] == 5
    assert [r["id"] for r in store.records()] == ["r0", "r1", "r2", "r3", "r4"]
    asked = " ".join(m["content"] for req in fake_backend.requests for m in req.messages)
    assert "Frase numero 0" not in asked and "Frase numero 1" not in asked and "Frase numero 4" in asked


def test_resume_refuses_another_signature(tmp_path, fake_settings):
    data = write_jsonl(tmp_path / "rows.jsonl", DOC_ROWS)
    run_suite("translation", fake_settings, _options(tmp_path, data, limit=2))
    with pytest.raises(ResumeError, match=r"different signature.*limit: 2 -> 4") as error:
        run_suite("translation", fake_settings, _options(tmp_path, data, limit=4))
    assert "new --out" in error.value.hint
    with pytest.raises(ResumeError, match="guard: 'off' -> 'verify'"):
        run_suite("translation", fake_settings, _options(tmp_path, data, limit=2, guard="verify"))


def test_compare_table_and_significance(tmp_path, fake_settings, fake_backend):
    rows = [json.loads(line) for line in FIGURES.read_text().splitlines()]
    baseline = run_suite("translation", fake_settings, _options(tmp_path, FIGURES, "echo"))  # echoes Italian
    fake_backend.responder = _reference_responder(rows)
    candidate = run_suite("translation", fake_settings, _options(tmp_path, FIGURES, "perfect"))
    comparison = compare_runs(tmp_path / "echo", tmp_path / "perfect", n_samples=200)
    table = {r["metric"]: r for r in comparison["table"]}
    assert table["chrf"]["a"] == baseline["headline"]["chrf"] and table["chrf"]["b"] == pytest.approx(100.0)
    assert table["chrf"]["delta"] == pytest.approx(100.0 - baseline["headline"]["chrf"])
    assert comparison["significance"]["rows"] == len(rows)
    assert comparison["significance"]["chrf"]["p_value"] < 0.05
    kinds = {r["kind"]: r for r in comparison["facts_by_kind"]}
    assert kinds["money"]["recall_b"] == 1.0 and kinds["money"]["delta"] >= 0
    assert comparison["signature_differences"] == []  # same settings, same data: comparable
    assert candidate["n"] == baseline["n"]


def test_cli_json_and_compare(tmp_path, fake_settings, monkeypatch):
    from service.cli import app

    monkeypatch.setattr("service.cli.eval.get_settings", lambda: fake_settings)
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(app, ["eval", "translation", "--data", str(FIGURES), "--limit", "4", "--out", str(tmp_path / name), "--json", "-q"])
        assert result.exit_code == 0, result.output
    headline = json.loads(result.stdout.strip().splitlines()[-1])
    assert headline["suite"] == "translation" and headline["n"] == 4 and {"chrf", "bleu", "fact_recall"} <= set(headline)
    result = runner.invoke(app, ["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"), "--samples", "100"])
    assert result.exit_code == 0, result.output
    assert "| chrf |" in result.stdout and "Significance" in result.stdout
    assert (tmp_path / "b" / "compare.md").is_file() and (tmp_path / "b" / "compare.json").is_file()
