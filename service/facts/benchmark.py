"""Fact-checker benchmark on human translation pairs (rows with `it`, `en`, optional `id`).

Without perturbation it measures false alarms: a human reference is assumed right, so a row with
issues > 0 (a missing or altered fact; `unverified` ones are not issues) is a flag — hand-check
them: some references really drop or change a fact. With perturbation it injects each error kind
from perturb.py into the English (chosen from the text alone, not from what the engine extracts)
and counts it detected when the report gains a missing/altered fact (or a new detail on one) or an
unsupported item compared with the unperturbed report.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable

from .compare import check_translation
from .perturb import PERTURBATIONS
from .report import FactReport


def _signature(report: FactReport) -> tuple[Counter, Counter]:
    bad = Counter((r.fact.canonical_str, r.status, r.target.canonical_str if r.target else "", r.detail)
                  for r in report.flagged())
    unsupported = Counter(f.canonical_str for f in report.unsupported)
    return bad, unsupported


def _detected(base: FactReport, new: FactReport) -> bool:
    bad0, uns0 = _signature(base)
    bad1, uns1 = _signature(new)
    return bool(bad1 - bad0) or bool(uns1 - uns0)


def run_fact_benchmark(rows: Iterable[dict], perturb: bool, seed: int = 0) -> dict:
    """False-alarm rate per kind on human pairs; with `perturb`, detection per error kind."""
    total = with_facts = flagged_rows = unverified_rows = 0
    kind_rows: Counter = Counter()
    kind_flag_rows: Counter = Counter()
    flags: list[dict] = []
    applied: Counter = Counter()
    detected: Counter = Counter()
    missed: dict[str, list] = {name: [] for name in PERTURBATIONS}
    for n, row in enumerate(rows):
        row_id = row.get("id", n)
        total += 1
        report = check_translation(row["it"], row["en"])
        unverified_rows += report.unverified > 0
        if report.results:
            with_facts += 1
            kinds = {r.fact.kind for r in report.results}
            bad_kinds = {r.fact.kind for r in report.flagged()}
            kind_rows.update(kinds)
            kind_flag_rows.update(bad_kinds)
            if bad_kinds:
                flagged_rows += 1
                flags.append({"id": row_id, "it": row["it"], "en": row["en"],
                              "facts": [r.to_dict() for r in report.flagged()]})
        if not perturb:
            continue
        for name, func in PERTURBATIONS.items():
            rng = random.Random(f"{seed}:{row_id}:{name}")
            changed = func(row["en"], rng, row["it"])
            if changed is None or changed == row["en"]:
                continue
            applied[name] += 1
            if _detected(report, check_translation(row["it"], changed)):
                detected[name] += 1
            else:
                missed[name].append({"id": row_id, "en": changed})
    out: dict = {
        "rows": total,
        "rows_with_facts": with_facts,
        "rows_with_unverified": unverified_rows,
        "flagged_rows": flagged_rows,
        "false_alarm_rate": flagged_rows / with_facts if with_facts else 0.0,
        "flag_rate_all_rows": flagged_rows / total if total else 0.0,
        "by_kind": {k: {"rows": kind_rows[k], "flagged_rows": kind_flag_rows[k],
                        "flag_rate": kind_flag_rows[k] / kind_rows[k]}
                    for k in sorted(kind_rows)},
        "flags": flags,
    }
    if perturb:
        out["detection"] = {name: {"applied": applied[name], "detected": detected[name],
                                   "rate": detected[name] / applied[name] if applied[name] else None,
                                   "missed": missed[name]}
                            for name in PERTURBATIONS}
        n_applied, n_detected = sum(applied.values()), sum(detected.values())
        out["detection_all"] = {"applied": n_applied, "detected": n_detected,
                                "rate": n_detected / n_applied if n_applied else None}
    return out


def _main(argv: list[str]) -> int:
    """python -m service.facts.benchmark FILE.jsonl... [--perturb] [--flags OUT.json]"""
    import json
    import sys

    perturb = "--perturb" in argv
    flags_out = argv[argv.index("--flags") + 1] if "--flags" in argv else None
    paths = [a for a in argv if a.endswith(".jsonl")]
    if not paths:
        print(_main.__doc__, file=sys.stderr)
        return 2
    everything = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        result = run_fact_benchmark(rows, perturb=perturb)
        everything[path] = result
        summary = {k: v for k, v in result.items() if k != "flags"}
        for det in summary.get("detection", {}).values():
            det.pop("missed")
        print(json.dumps({path: summary}, indent=1))
    if flags_out:
        with open(flags_out, "w", encoding="utf-8") as handle:
            json.dump({p: r["flags"] for p, r in everything.items()}, handle, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))
