"""Aggregations shared by the suites: fact reports per kind, fact support, speed, memory."""

from __future__ import annotations

import resource
import sys
from collections import Counter, defaultdict
from statistics import mean, median
from typing import Any

# Strict statuses (facts engine since #10); `unverified` facts are left out of recall.
from ..facts import STATUSES as TRANSLATION_STATUSES
from ..facts import check_support as support_of
from ..facts import check_translation as translation_of

_ROW_FACT = {"kind", "source_text", "canonical", "target_text", "status"}
_BLOCK = {"title", "paragraph", "caption"}


def check_translation(source_it: str, target_en: str) -> dict[str, Any]:
    """The fact engine's report of a translation against its source, kept small for rows.jsonl."""
    report = translation_of(source_it, target_en).typed()
    return {
        "facts": [fact.model_dump(mode="json", include=_ROW_FACT) for fact in report.facts],
        "issues": report.issues,
        "unsupported": [item.model_dump(mode="json", exclude=_BLOCK) for item in report.unsupported],
        "recall": round(report.recall, 4),
    }


def check_support(source_it: str, generated_en: str) -> dict[str, Any]:
    return support_of(source_it, generated_en).typed().model_dump(mode="json")


def by_kind(reports: list[dict[str, Any] | None]) -> dict[str, Any]:
    """Per-kind counts and recall (preserved / all source facts), plus the micro average."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for report in reports:
        for fact in (report or {}).get("facts", []):
            counts[fact["kind"]][fact["status"]] += 1
    kinds: dict[str, dict[str, Any]] = {}
    for kind in sorted(counts):
        c = counts[kind]
        n = sum(c.values()) - c["unverified"]  # recall over the facts the engine can check
        kinds[kind] = {"n": n, **{s: c[s] for s in TRANSLATION_STATUSES}, "recall": round(c["preserved"] / n, 4) if n else None}
    total = sum(k["n"] for k in kinds.values())
    preserved = sum(k["preserved"] for k in kinds.values())
    rows_flagged = sum(1 for r in reports if r and any(f["status"] in ("missing", "altered") for f in r["facts"]))
    return {
        "recall": round(preserved / total, 4) if total else None,
        "facts": total,
        "unverified": sum(k["unverified"] for k in kinds.values()),
        "rows_flagged": rows_flagged,
        "kinds": kinds,
    }


def support_stats(reports: list[dict[str, Any] | None]) -> dict[str, Any]:
    """Facts stated in generated text and how many the source does not support (hallucinations)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    checked = [r for r in reports if r is not None]
    for report in checked:
        for fact in report["facts"]:
            counts[fact["kind"]][fact["status"]] += 1
    total = sum(sum(c.values()) for c in counts.values())
    unsupported = sum(c["unsupported"] for c in counts.values())
    return {
        "rows_checked": len(checked),
        "facts": total,
        "unsupported": unsupported,
        "unsupported_rate": round(unsupported / total, 4) if total else None,
        "rows_with_unsupported": sum(1 for r in checked if r["unsupported"]),
        "kinds": {k: {"n": sum(c.values()), "unsupported": c["unsupported"]} for k, c in sorted(counts.items())},
    }


def peak_memory_mb() -> dict[str, float]:
    """Peak resident memory of this process (and GPU memory when torch has used CUDA)."""
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = {"rss_mb": round(rss_kb / 1024, 1)}
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available() and torch.cuda.is_initialized():
        peak["cuda_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return peak


def _describe(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"mean": round(mean(values), 3), "median": round(median(values), 3), "p90": round(p90, 3), "max": round(ordered[-1], 3)}


def speed_stats(records: list[dict[str, Any]]) -> dict[str, Any]:
    """From the `run` block of each unit (an article or a document): tokens/s, seconds, stages."""
    runs = [r["run"] for r in records if r.get("run")]
    if not runs:
        return {}
    completion = sum(r["usage"]["completion_tokens"] for r in runs)
    generation = sum(r["usage"]["generation_seconds"] for r in runs)
    stages = sorted({s for r in runs for s in r["timings"] if s != "total"})
    return {
        "units": len(runs),
        "tokens_per_second": round(completion / generation, 2) if generation else None,
        "completion_tokens": completion,
        "prompt_tokens": sum(r["usage"]["prompt_tokens"] for r in runs),
        "model_calls": sum(r["usage"]["calls"] for r in runs),
        "seconds_per_unit": _describe([r["timings"].get("total", 0.0) for r in runs]),
        "seconds_per_row": round(sum(r["timings"].get("total", 0.0) for r in runs) / len(records), 3) if records else None,
        "stages": {s: _describe([r["timings"][s] for r in runs if s in r["timings"]]) for s in stages},
        "peak_memory": max((r.get("memory", {}) for r in runs), key=lambda m: m.get("rss_mb", 0.0), default={}),
    }


def run_block(result: Any) -> dict[str, Any]:
    """What a pipeline run cost: timings per stage, token usage, peak memory so far."""
    usage = result.usage
    return {
        "timings": dict(result.timings),
        "usage": {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "generation_seconds": round(usage.generation_seconds, 3),
            "calls": usage.calls,
        },
        "memory": peak_memory_mb(),
    }


def lengths(texts: list[str | None]) -> dict[str, float] | None:
    words = [len(t.split()) for t in texts if t]
    return _describe([float(w) for w in words])
