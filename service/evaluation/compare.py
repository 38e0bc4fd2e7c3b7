"""`brief eval compare RUN_A RUN_B`: headline metrics side by side, paired bootstrap
significance for BLEU/chrF++ (sacrebleu's, on the rows both runs share), per-kind fact deltas,
and what differs in the two signatures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from .metrics import paired_bootstrap
from .signature import differences
from .store import load_run, write_json


def _delta(a: Any, b: Any) -> Any:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return round(b - a, 4)
    return None


def compare_runs(run_a: str | Path, run_b: str | Path, n_samples: int = 1000) -> dict[str, Any]:
    results_a, records_a = load_run(run_a)
    results_b, records_b = load_run(run_b)
    if results_a["suite"] != results_b["suite"]:
        raise InputError(f"cannot compare a {results_a['suite']} run with a {results_b['suite']} run", "compare two runs of the same suite")
    head_a, head_b = results_a["headline"], results_b["headline"]
    keys = [k for k in head_a if k not in ("suite",)] + [k for k in head_b if k not in head_a and k != "suite"]
    table = [{"metric": k, "a": head_a.get(k), "b": head_b.get(k), "delta": _delta(head_a.get(k), head_b.get(k))} for k in keys]
    comparison: dict[str, Any] = {
        "suite": results_a["suite"],
        "a": {"run": str(run_a), "signature": results_a["signature_line"]},
        "b": {"run": str(run_b), "signature": results_b["signature_line"]},
        "signature_differences": differences(results_a["signature"], results_b["signature"]),
        "table": table,
        "facts_by_kind": _kind_deltas(results_a["metrics"], results_b["metrics"]),
    }
    if results_a["suite"] == "translation":
        comparison["significance"] = _significance(records_a, records_b, n_samples)
    return comparison


def _kind_deltas(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    kinds_a = (a.get("facts") or {}).get("kinds") or {}
    kinds_b = (b.get("facts") or {}).get("kinds") or {}
    rows = []
    for kind in sorted(set(kinds_a) | set(kinds_b)):
        ra, rb = (kinds_a.get(kind) or {}), (kinds_b.get(kind) or {})
        rows.append({"kind": kind, "n_a": ra.get("n"), "n_b": rb.get("n"), "recall_a": ra.get("recall"), "recall_b": rb.get("recall"),
                     "delta": _delta(ra.get("recall"), rb.get("recall"))})
    return rows


def _significance(records_a: list[dict[str, Any]], records_b: list[dict[str, Any]], n_samples: int) -> dict[str, Any]:
    by_id_b = {r["id"]: r for r in records_b}
    shared = [(r, by_id_b[r["id"]]) for r in records_a if r["id"] in by_id_b and by_id_b[r["id"]]["reference"] == r["reference"]]
    if len(shared) < 2:
        return {"rows": len(shared), "note": "fewer than 2 shared rows with the same reference: no significance test"}
    tests = paired_bootstrap(
        [a["hypothesis"].replace("\n", " ") for a, _ in shared],
        [b["hypothesis"].replace("\n", " ") for _, b in shared],
        [a["reference"].replace("\n", " ") for a, _ in shared],
        n_samples=n_samples,
    )
    return {"rows": len(shared), "test": f"paired bootstrap resampling, {n_samples} samples (sacrebleu)", **tests}


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def to_markdown(comparison: dict[str, Any]) -> str:
    lines = [f"# Compare ({comparison['suite']})", "", f"- A: `{comparison['a']['run']}` — `{comparison['a']['signature']}`",
             f"- B: `{comparison['b']['run']}` — `{comparison['b']['signature']}`", "",
             "| metric | A | B | B − A |", "|---|---|---|---|"]
    lines += [f"| {r['metric']} | {_cell(r['a'])} | {_cell(r['b'])} | {_cell(r['delta'])} |" for r in comparison["table"]]
    significance = comparison.get("significance")
    if significance:
        lines += ["", f"## Significance ({significance.get('test', 'not run')}, {significance['rows']} shared rows)", ""]
        if "note" in significance:
            lines.append(significance["note"])
        else:
            lines += ["| metric | A (±95% CI) | B (±95% CI) | p-value | significant (p<0.05) |", "|---|---|---|---|---|"]
            for name in ("bleu", "chrf"):
                t = significance[name]
                significant = "yes" if t["p_value"] < 0.05 else "no"
                lines.append(f"| {name} | {t['baseline']} (±{t['baseline_ci']}) | {t['candidate']} (±{t['candidate_ci']}) "
                             f"| {t['p_value']} | {significant} |")
    if comparison["facts_by_kind"]:
        lines += ["", "## Fact recall per kind", "", "| kind | n A | n B | recall A | recall B | B − A |", "|---|---|---|---|---|---|"]
        lines += [f"| {r['kind']} | {_cell(r['n_a'])} | {_cell(r['n_b'])} | {_cell(r['recall_a'])} | {_cell(r['recall_b'])} | {_cell(r['delta'])} |"
                  for r in comparison["facts_by_kind"]]
    if comparison["signature_differences"]:
        lines += ["", "## Signature differences", ""] + [f"- {d}" for d in comparison["signature_differences"]]
    return "\n".join(lines) + "\n"


def write_comparison(comparison: dict[str, Any], out_dir: str | Path) -> Path:
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / "compare.json", comparison)
    path = folder / "compare.md"
    path.write_text(to_markdown(comparison), encoding="utf-8")
    return path
