"""Research harness for issue 15: translation candidates per sentence, scored by every selector signal.

For each row of a JSONL file with `it`/`en` (NTREX or FLORES sentences) it writes one record with
the candidates (plain greedy, hinted greedy, plain samples), each candidate's fact check, its
round-trip chrF++ (English back to Italian by `back_translate`, compared with the source) and its
chrF++ against the reference. `scripts/selector_table.py` turns the records into the selector
table (oracle, each signal alone, combinations). Runs resume: rows already written are skipped.

    python scripts/candidate_pool.py --data ../shared/data/ntrex128_it_en.jsonl --stride 8 --out eval-runs/pool-ntrex.jsonl

Sentences are translated one by one without the previous sentence as context (the pipeline
gives context); the pool is for comparing selectors, the pipeline runs give the real figures.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sacrebleu.metrics import CHRF

from service.guard.translation import _hint_list, hints_for, judge
from service.models.registry import get_backend
from service.pipeline.result import UsageStats
from service.pipeline.translate import ChunkTranslator
from service.settings import get_settings

CHRFPP = CHRF(word_order=2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--stride", type=int, default=1)
    parser.add_argument("--limit", type=int, default=250)
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--temperature", type=float, default=0.5)
    args = parser.parse_args()

    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[args.start :: args.stride][: args.limit]
    out = Path(args.out)
    done = {json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines() if line.strip()} if out.exists() else set()

    settings = get_settings()
    backend = get_backend(settings.translate_config, settings)
    translator = ChunkTranslator(backend, settings.prompts_dir, "repair", UsageStats())
    from service.models.base import GenerationRequest
    from service.pipeline.translate import tidy_model_text
    from service.prompts import load_prompt

    back = load_prompt(settings.prompts_dir, "back_translate")

    def back_translate(text: str) -> str:
        budget = max(64, int(backend.count_tokens(text) * 2.5) + 48)
        generation = backend.generate(GenerationRequest(messages=back.messages(text=text), max_new_tokens=budget, temperature=0.0, seed=0))
        return tidy_model_text(generation.text)

    with out.open("a", encoding="utf-8") as sink:
        for row in rows:
            if row["id"] in done:
                continue
            source, reference = row["it"], row["en"]
            hints = hints_for(source)
            specs = [("plain", None, None, None)]
            if hints:
                specs.append(("hinted", _hint_list(hints), None, None))
            specs += [(f"sample{i}", None, args.temperature, i) for i in range(1, args.samples + 1)]
            candidates = []
            for how, glossary, temperature, seed in specs:
                started = time.perf_counter()
                text = translator.attempt(source, None, glossary, temperature=temperature, seed=seed)
                seconds = time.perf_counter() - started
                verdict = judge(source, text, how)
                candidates.append({"how": how, "text": text, "seconds": round(seconds, 3), "issues": verdict.issues,
                                   "unsupported": verdict.unsupported, "degenerate": verdict.degenerate, "penalty": verdict.penalty,
                                   "chrf_ref": round(CHRFPP.sentence_score(text, [reference]).score, 3)})
            seen: dict[str, dict] = {}
            for candidate in candidates:
                if candidate["text"] not in seen:
                    started = time.perf_counter()
                    italian = back_translate(candidate["text"])
                    seen[candidate["text"]] = {"back": italian, "rt_chrf": round(CHRFPP.sentence_score(italian, [source]).score, 3),
                                               "rt_seconds": round(time.perf_counter() - started, 3)}
                candidate.update(seen[candidate["text"]])
            sink.write(json.dumps({"id": row["id"], "it": source, "en": reference, "candidates": candidates}, ensure_ascii=False) + "\n")
            sink.flush()
            print(row["id"], " ".join(f"{c['how']}={c['chrf_ref']:.0f}/{c['rt_chrf']:.0f}" for c in candidates), flush=True)


if __name__ == "__main__":
    main()
