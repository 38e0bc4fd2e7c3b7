"""`facts`: the fact checker alone on human translation pairs (no model).

Each row: the human English reference's fact report against the Italian source. Metrics: per-kind
counts and flag rates (a flag on a human pair is either a reference that really dropped or changed
a fact, or a false alarm — check a sample by hand). With `--perturb`, the fact engine's benchmark
injects controlled errors into `en` and reports how many it detects per perturbation kind.
"""

from __future__ import annotations

from typing import Any

from ..stats import by_kind, check_translation
from .base import Record, Row, Suite, base_record
from .translation import source_and_reference


class FactsSuite(Suite):
    name = "facts"
    description = "the fact checker on human pairs: per-kind flag rates; --perturb: detection per error kind"

    def signed_options(self) -> dict[str, Any]:
        return {"perturb": self.options.perturb, "seed": self.options.seed}

    def metric_settings(self) -> dict[str, str]:
        return {"facts": "service.facts.check_translation", "benchmark": "service.facts.benchmark.run_fact_benchmark"}

    def process(self, unit: list[Row]) -> list[Record]:
        row = unit[0]
        source, reference = source_and_reference(row)
        report = check_translation(source, reference)
        return [base_record(row, source=source, reference=reference, facts=report,
                            flagged=report["issues"] > 0, unsupported=len(report["unsupported"]))]

    def summarize(self, records: list[Record]) -> dict[str, Any]:
        kinds = by_kind([r["facts"] for r in records])
        for block in kinds["kinds"].values():
            block["flag_rate"] = round(1 - block["recall"], 4) if block["recall"] is not None else None
        metrics: dict[str, Any] = {
            "facts": kinds,
            "rows_flagged": sum(1 for r in records if r["flagged"]),
            "row_flag_rate": round(sum(1 for r in records if r["flagged"]) / len(records), 4) if records else None,
            "unsupported_in_reference": sum(r["unsupported"] for r in records),
            "flagged_ids": [r["id"] for r in records if r["flagged"]][:200],
        }
        metrics["benchmark"] = self._benchmark(records)
        return metrics

    def _benchmark(self, records: list[Record]) -> dict[str, Any] | None:
        try:
            from ...facts.benchmark import run_fact_benchmark
        except ImportError:
            return None
        rows = [{"id": r["id"], "doc_id": r.get("doc_id"), "it": r["source"], "en": r["reference"]} for r in records]
        benchmark = run_fact_benchmark(rows, perturb=self.options.perturb, seed=self.options.seed)
        # rows.jsonl already holds every flagged row's report: keep ids here, not texts
        benchmark["flags"] = [flag.get("id") for flag in benchmark.get("flags", [])]
        for block in (benchmark.get("detection") or {}).values():
            if isinstance(block, dict) and "missed" in block:
                block["missed"] = block["missed"][:25]
        return benchmark

    def headline(self, metrics: dict[str, Any]) -> dict[str, Any]:
        benchmark = metrics.get("benchmark") or {}
        line: dict[str, Any] = {
            "facts": metrics["facts"]["facts"],
            "fact_recall": metrics["facts"]["recall"],
            "row_flag_rate": metrics["row_flag_rate"],
            "false_alarm_rate": _round(benchmark.get("false_alarm_rate")),
        }
        # per kind: share of rows holding a fact of that kind that get a flag of that kind (benchmark)
        by_kind = benchmark.get("by_kind") or {}
        line.update({f"flag_rate_{k}": _round(v.get("flag_rate")) for k, v in by_kind.items()})
        detection = _detection(metrics.get("benchmark"))
        if detection:
            line["detection"] = detection
        return line


def _detection(benchmark: dict[str, Any] | None) -> dict[str, Any] | None:
    """Detection rate per perturbation kind, from the benchmark's dict (whatever its nesting)."""
    if not benchmark:
        return None
    for key in ("detection", "perturbations", "detection_by_kind"):
        if isinstance(benchmark.get(key), dict):
            block = benchmark[key]
            return {k: _round(v.get("rate", v.get("detection_rate")) if isinstance(v, dict) else v) for k, v in block.items()}
    return None


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value
