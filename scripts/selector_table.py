"""Selector table from `scripts/candidate_pool.py` records: corpus chrF++ of each way of choosing.

    python scripts/selector_table.py eval-runs/pool-ntrex.jsonl

With `scripts/pool_logprob.py`'s output it adds the model's length-normalised log-probability.

Every policy first keeps the candidates with the fewest fact issues (the fact report is a hard
filter: degenerate output, then missing/altered facts), then picks among them by one signal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from sacrebleu.metrics import BLEU, CHRF

from service.evaluation.metrics import paired_bootstrap
from service.guard.translation import consensus_scores

CHRFPP = CHRF(word_order=2)
Policy = Callable[[dict, list[dict]], dict]


def fact_filter(candidates: list[dict], pool: set[str]) -> list[dict]:
    kept = [c for c in candidates if c["how"] in pool]
    floor = min((c["degenerate"], c["issues"]) for c in kept)
    return [c for c in kept if (c["degenerate"], c["issues"]) == floor]


def first_of(order: list[str]) -> Policy:
    return lambda row, tied: min(tied, key=lambda c: (c["unsupported"], order.index(c["how"]) if c["how"] in order else 99))


def by(key: Callable[[dict], float]) -> Policy:
    return lambda row, tied: max(tied, key=key)


def plain_first_then(key: str) -> Policy:
    """The plain candidate when it survived the fact filter, else the best by `key`."""
    return lambda row, tied: first_of(["plain"])(row, tied) if any(c["how"] == "plain" for c in tied) else by(lambda c: c[key])(row, tied)


def rank_sum(*keys: str) -> Policy:
    """The candidate with the best summed rank over `keys` (each signal's scale differs)."""
    def policy(row: dict, tied: list[dict]) -> dict:
        ranks = {id(c): 0 for c in tied}
        for key in keys:
            for place, c in enumerate(sorted(tied, key=lambda c: -c[key])):
                ranks[id(c)] += place
        return min(tied, key=lambda c: (ranks[id(c)], -c[keys[0]]))
    return policy


def mbr(row: dict, tied: list[dict]) -> dict:
    everyone = row["_pool"]
    scores = consensus_scores([c["text"] for c in everyone], ["sampled" if c["how"].startswith("sample") else c["how"] for c in everyone])
    by_text = dict(zip((c["text"] for c in everyone), scores, strict=True))
    return max(tied, key=lambda c: by_text[c["text"]])


def main(path: str) -> None:
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    refs = [r["en"] for r in rows]
    pools = {
        "plain+hinted": {"plain", "hinted"},
        "plain+hinted+2 samples": {"plain", "hinted", "sample1", "sample2"},
    }
    policies: dict[str, tuple[str, Policy]] = {
        "plain first (balanced)": ("plain+hinted", first_of(["plain", "hinted"])),
        "plain only (guard off)": ("plain only", first_of(["plain"])),
        "hinted first (fast: hinted, ties by unsupported)": ("plain+hinted", first_of(["hinted", "plain"])),
        "round-trip chrF++ (plain+hinted)": ("plain+hinted", by(lambda c: c["rt_chrf"])),
        "round-trip chrF++ (4 candidates)": ("plain+hinted+2 samples", by(lambda c: c["rt_chrf"])),
        "MBR, greedy weighted x2 (4 candidates)": ("plain+hinted+2 samples", mbr),
        "plain first, then round-trip (4 candidates)": ("plain+hinted+2 samples", plain_first_then("rt_chrf")),
        "log-prob, length-normalised (plain+hinted)": ("plain+hinted", by(lambda c: c["logprob"])),
        "log-prob, length-normalised (4 candidates)": ("plain+hinted+2 samples", by(lambda c: c["logprob"])),
        "plain first, then log-prob (4 candidates)": ("plain+hinted+2 samples", plain_first_then("logprob")),
        "round-trip + log-prob, rank sum (4 candidates)": ("plain+hinted+2 samples", rank_sum("rt_chrf", "logprob")),
        "oracle (plain+hinted)": ("plain+hinted", by(lambda c: c["chrf_ref"])),
        "oracle (4 candidates)": ("plain+hinted+2 samples", by(lambda c: c["chrf_ref"])),
    }
    print(f"{len(rows)} rows, {path}\n")
    print("| selector | candidates | chrF++ | BLEU | Δ chrF++ vs plain first (p) | rows with fact issues | plain kept |")
    print("|---|---|---|---|---|---|---|")
    baseline: list[str] | None = None
    has_logprob = all(c.get("logprob") is not None for row in rows for c in row["candidates"])
    for name, (pool_name, policy) in policies.items():
        if "log-prob" in name and not has_logprob:
            continue  # scripts/pool_logprob.py adds it
        pool = {"plain"} if pool_name == "plain only" else pools[pool_name]
        chosen = []
        for row in rows:
            row["_pool"] = [c for c in row["candidates"] if c["how"] in pool]
            chosen.append(policy(row, fact_filter(row["candidates"], pool)))
        hyps = [c["text"] for c in chosen]
        chrf = CHRFPP.corpus_score(hyps, [refs]).score
        bleu = BLEU().corpus_score(hyps, [refs]).score
        issues = sum(1 for c in chosen if c["issues"])
        plain = sum(1 for c in chosen if c["how"] == "plain")
        if name.startswith("plain first (balanced)"):
            baseline = hyps
        delta = "–"
        if baseline is not None and hyps is not baseline and "oracle" not in name:
            test = paired_bootstrap(baseline, hyps, refs)["chrf"]
            delta = f"{test['candidate'] - test['baseline']:+.2f} (p = {test['p_value']:.3f})"
        print(f"| {name} | {pool_name} | {chrf:.2f} | {bleu:.2f} | {delta} | {issues} | {plain} |")
    seconds = {}
    for row in rows:
        for c in row["candidates"]:
            seconds.setdefault(c["how"], []).append(c["seconds"])
            seconds.setdefault("round trip", []).append(c["rt_seconds"])
    print("\nmean seconds per call: " + ", ".join(f"{k} {sum(v) / len(v):.2f}" for k, v in seconds.items()))


if __name__ == "__main__":
    main(sys.argv[1])
