"""Add the model's own log-probability of each candidate to a `candidate_pool.py` file (issue 15).

For every candidate it scores the text as the answer to the plain translation prompt of its
source (the prompt `balanced` tries first, with the passage's phrasebook notes when it has any):
`logprob` is the mean log-probability per token of the answer (end-of-turn token included), the
length-normalised score of the quality-aware decoding literature. `scripts/selector_table.py`
then reports it as a selector signal. Runs resume: records that already have it are copied.

    python scripts/pool_logprob.py eval-runs/pool-ntrex.jsonl eval-runs/pool-ntrex-lp.jsonl

The pipeline does not compute this signal: llama-cpp-python keeps every position's logits only
with `logits_all=True` (a context × 151,936 float32 buffer); this script loads its own copy of the
weights with a 1,024-token context for one sentence at a time (about 0.6 GB).
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from service.models.config import load_model_config
from service.models.llama_cpp import chat_formatter, format_chat
from service.models.weights import resolve_weights
from service.prompts import load_prompt
from service.settings import get_settings
from service.text.phrasebook import load_phrasebook


def main(source_path: str, out_path: str) -> None:
    from llama_cpp import Llama

    settings = get_settings()
    config = load_model_config(settings.model_configs_dir, settings.translate_config)
    weights = resolve_weights(config, settings.cache_dir)
    llm = Llama(model_path=str(weights.file), n_ctx=1024, n_batch=512, logits_all=True,
                n_threads=config.threads or settings.threads or os.cpu_count() or 1, verbose=False)
    eos = llm.token_eos()
    formatter = chat_formatter(llm)
    plain, noted = load_prompt(settings.prompts_dir, "translate"), load_prompt(settings.prompts_dir, "translate_noted")
    book = load_phrasebook()

    def tokens(messages: list[dict]) -> list[int]:
        return format_chat(llm, formatter, messages)[1]

    def answer_tokens(prompt: list[dict], head: list[int], answer: str) -> list[int]:
        full = tokens([*prompt, {"role": "assistant", "content": answer}])
        if full[: len(head)] != head:
            raise ValueError("the chat template does not extend the prompt by the answer")
        rest = full[len(head) :]
        # the template ends an assistant turn with "<|im_end|>\n": score up to and with the end-of-turn token
        return rest[: rest.index(eos) + 1] if eos in rest else rest

    def logprobs(prompt: list[dict], answers: list[str]) -> dict[str, float]:
        """Mean log-probability per token of each answer after `prompt` (the prompt evaluated once)."""
        head = tokens(prompt)
        llm.reset()
        llm.eval(head)
        scored = {}
        for answer in dict.fromkeys(answers):
            own = answer_tokens(prompt, head, answer)
            if len(head) + len(own) > 1000:
                scored[answer] = float("nan")
                continue
            llm._ctx.kv_cache_seq_rm(-1, len(head), -1)  # back to the prompt alone
            llm.n_tokens = len(head)
            llm.eval(own)
            logits = np.asarray(llm.scores[len(head) - 1 : len(head) + len(own) - 1], dtype=np.float64)
            top = logits.max(axis=1, keepdims=True)
            log_norm = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
            picked = logits[np.arange(len(own)), own]
            scored[answer] = float((picked - log_norm).mean())
        return scored

    out = Path(out_path)
    done = {json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines() if line.strip()} if out.exists() else set()
    with out.open("a", encoding="utf-8") as sink:
        for line in Path(source_path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["id"] in done:
                continue
            notes = [note.line for note in book.notes_for(row["it"])]
            system, user = noted.messages(text=row["it"], notes="\n".join(notes)) if notes else plain.messages(text=row["it"])
            started = time.perf_counter()
            seen = logprobs([system, user], [candidate["text"] for candidate in row["candidates"]])
            for candidate in row["candidates"]:
                value = seen[candidate["text"]]
                candidate["logprob"] = None if math.isnan(value) else round(value, 4)
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            sink.flush()
            print(row["id"], f"{time.perf_counter() - started:.1f}s", " ".join(f"{c['how']}={c['logprob']}" for c in row["candidates"]),
                  flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
