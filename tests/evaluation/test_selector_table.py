"""scripts/selector_table.py on a hand-made candidate pool: the fact filter first, then each signal."""

from __future__ import annotations

import json
import subprocess
import sys

from service.settings import PROJECT_ROOT


def _candidate(how: str, text: str, *, issues: int = 0, rt: float = 50.0, lp: float = -0.5, ref: float = 50.0) -> dict:
    return {"how": how, "text": text, "seconds": 1.0, "issues": issues, "unsupported": 0, "degenerate": False, "penalty": 0.0,
            "chrf_ref": ref, "rt_chrf": rt, "rt_seconds": 1.0, "logprob": lp}


def _rows() -> list[dict]:
    rows = []
    for i in range(6):
        reference = f"The mayor opened {i + 2} new schools on Tuesday."
        rows.append({"id": f"row-{i}", "it": f"Il sindaco ha inaugurato {i + 2} nuove scuole martedì.", "en": reference, "candidates": [
            # plain: a fact lost; hinted: right; a sample: right and the best by round trip; another: the reference itself,
            # the model's favourite, but with a fact issue, so no selector may keep it
            _candidate("plain", f"The mayor opened new schools on Tuesday row {i}.", issues=1, rt=60, lp=-0.2, ref=40),
            _candidate("hinted", f"The mayor inaugurated {i + 2} new schools on Tuesday.", rt=55, lp=-0.4, ref=70),
            _candidate("sample1", f"The mayor opened {i + 2} new schools on Tuesday.", rt=70, lp=-0.6, ref=100),
            _candidate("sample2", reference, issues=1, rt=90, lp=-0.1, ref=100),
        ]})
    return rows


def test_every_selector_keeps_only_candidates_with_the_fewest_fact_issues(tmp_path):
    pool = tmp_path / "pool.jsonl"
    pool.write_text("".join(json.dumps(row) + "\n" for row in _rows()), encoding="utf-8")
    run = subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "selector_table.py"), str(pool)],
                         capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
    assert run.returncode == 0, run.stderr
    table = {line.split(" | ")[0].strip("| "): line.split(" | ") for line in run.stdout.splitlines() if line.startswith("| ")}
    for name, cells in table.items():
        if name not in ("selector", "---", "plain only (guard off)"):
            assert cells[-2].strip() == "0", f"{name} kept a candidate with a fact issue"
    # round trip picks sample1 (70) over hinted (55) among the fact-clean ones; log-prob picks hinted (-0.4 > -0.6)
    assert float(table["round-trip chrF++ (4 candidates)"][2]) > float(table["log-prob, length-normalised (4 candidates)"][2])
    assert table["oracle (4 candidates)"][2] == table["round-trip chrF++ (4 candidates)"][2]
    assert "(p = " in table["round-trip chrF++ (4 candidates)"][4]
