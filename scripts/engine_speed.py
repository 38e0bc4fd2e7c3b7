#!/usr/bin/env python
"""Decode speed of the two llama.cpp engines at 1/2/4/8 parallel sequences, in one run.

    python scripts/engine_speed.py                       # offline GGUF, translation prompts, 64 tokens a sequence
    python scripts/engine_speed.py --prompts short       # ~30-token prompts: decoding dominates
    python scripts/engine_speed.py --tokens 32 --parallel 1,4 --no-compare

Engines, on the same GGUF file, the same prompt tokens and the same number of threads:
- `llama_cpp`: llama-cpp-python's low-level batch API (one context with `n_seq_max` sequences; all
  prompts evaluated in shared 512-token batches, then one token per sequence per `llama_decode`,
  greedy by argmax over the logits);
- `xllamacpp`: llama.cpp's own server embedded in the process (`n_parallel` slots, continuous
  batching), N `/completions` calls sent from N threads at once, greedy, `cache_prompt` off so no
  round reuses an earlier round's prompt.

Every sequence writes exactly `--tokens` tokens (EOS ignored). For each engine and N it prints
tokens/s over the whole call (prompt reading included, as `brief bench` counts) and its ratio to
N = 1, tokens/s after the prompts were read (llama_cpp: after its prompt batches; xllamacpp: after
the slowest request's prompt, by the server's own timings, an approximation since it mixes prompt
and decode batches), and whether each sequence's greedy text (up to its first end-of-turn) is the same as when
that prompt ran alone. Each engine runs in its own process; with `--rounds 2` the order is
A B B A (default 1: A B), and the figure per N is the mean of the rounds. One run: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

ENGINES = ("llama_cpp", "xllamacpp")


TOPICS = ("a lighthouse keeper", "a mountain village", "a river boat", "a night train", "an old library", "a fishing port",
          "a desert caravan", "a city market")


def prompt_tokens(n: int, kind: str = "translate") -> tuple[str, list[list[int]]]:
    """The GGUF path and `n` prompts tokenized with the model's own chat template: `translate`, the
    project's translate prompt on NTREX paragraphs with figures (about 200 tokens each, reading
    them is much of the time), or `short`, a one-line request (about 30 tokens: decoding dominates)."""
    from libretranslate_parity import pick_rows
    from llama_cpp import Llama

    from service.models.config import load_model_config
    from service.models.llama_cpp import chat_formatter, format_chat
    from service.models.weights import resolve_weights
    from service.prompts import load_prompt
    from service.settings import get_settings

    settings = get_settings()
    config = load_model_config(settings.model_configs_dir, settings.translate_config)
    weights = resolve_weights(config, settings.cache_dir)
    path = str(weights.file)
    llm = Llama(model_path=path, n_ctx=512, vocab_only=True, verbose=False)
    formatter = chat_formatter(llm)
    prompt = load_prompt(settings.prompts_dir, "translate")
    if kind == "short":
        conversations = [[{"role": "user", "content": f"Write a long story about {TOPICS[i % len(TOPICS)]}."}] for i in range(n)]
    else:
        conversations = [prompt.messages(context="", text=row["it"])
                         for row in pick_rows(settings.data_dir / "ntrex128_it_en.jsonl", n)]
    prompts = []
    for messages in conversations:
        prompts.append(format_chat(llm, formatter, messages)[1])
    return path, prompts


# --- llama-cpp-python batch API -----------------------------------------------------------------
class LlamaCppBatch:
    def __init__(self, path: str, n_seq: int, n_ctx: int, threads: int) -> None:
        import llama_cpp

        self.lib = llama_cpp
        llama_cpp.llama_backend_init()
        model_params = llama_cpp.llama_model_default_params()
        self.model = llama_cpp.llama_model_load_from_file(path.encode(), model_params)
        params = llama_cpp.llama_context_default_params()
        params.n_ctx, params.n_batch, params.n_ubatch = n_ctx, 512, 512
        params.n_seq_max, params.kv_unified = n_seq, True
        params.n_threads = params.n_threads_batch = threads
        self.ctx = llama_cpp.llama_init_from_model(self.model, params)
        self.vocab = llama_cpp.llama_model_get_vocab(self.model)
        self.n_vocab = llama_cpp.llama_vocab_n_tokens(self.vocab)
        self.batch = llama_cpp.llama_batch_init(512, 0, n_seq)
        self.eot = {llama_cpp.llama_vocab_eos(self.vocab), llama_cpp.llama_vocab_eot(self.vocab)}

    def _decode(self, entries: list[tuple[int, int, int, bool]]) -> None:
        """entries: (token, position, sequence, wants logits)."""
        b = self.batch
        b.n_tokens = len(entries)
        for i, (token, pos, seq, logits) in enumerate(entries):
            b.token[i], b.pos[i], b.n_seq_id[i], b.logits[i] = token, pos, 1, logits
            b.seq_id[i][0] = seq
        if self.lib.llama_decode(self.ctx, b) != 0:
            raise RuntimeError("llama_decode failed")

    def _argmax(self, i: int) -> int:
        import numpy as np

        logits = self.lib.llama_get_logits_ith(self.ctx, i)
        return int(np.argmax(np.ctypeslib.as_array(logits, shape=(self.n_vocab,))))

    def run(self, prompts: list[list[int]], tokens: int) -> dict[str, Any]:
        self.lib.llama_memory_clear(self.lib.llama_get_memory(self.ctx), True)
        started = time.perf_counter()
        # every prompt token, sequence after sequence, packed into 512-token batches
        flat = [(tok, pos, seq, pos == len(p) - 1) for seq, p in enumerate(prompts) for pos, tok in enumerate(p)]
        last: dict[int, int] = {}
        for start in range(0, len(flat), 512):
            chunk = flat[start:start + 512]
            self._decode(chunk)
            for i, (_, _, seq, logits) in enumerate(chunk):
                if logits:
                    last[seq] = self._argmax(i)
        prefill = time.perf_counter() - started
        out = [[last[seq]] for seq in range(len(prompts))]
        for step in range(1, tokens):
            self._decode([(out[seq][-1], len(p) + step - 1, seq, True) for seq, p in enumerate(prompts)])
            for seq in range(len(prompts)):
                out[seq].append(self._argmax(seq))
        wall = time.perf_counter() - started
        texts = [self._text(ids) for ids in out]
        return {"wall_s": wall, "prefill_s": prefill, "decode_s": wall - prefill, "texts": texts}

    def _text(self, ids: list[int]) -> str:
        cut = next((i for i, t in enumerate(ids) if t in self.eot), len(ids))
        buf = self.lib.ctypes.create_string_buffer(8192)
        n = self.lib.llama_detokenize(self.vocab, (self.lib.llama_token * cut)(*ids[:cut]), cut, buf, 8192, False, False)
        return buf.raw[:max(n, 0)].decode("utf-8", "replace")


# --- xllamacpp (llama.cpp's server in-process) --------------------------------------------------
class XLlamaCpp:
    def __init__(self, path: str, n_seq: int, n_ctx: int, threads: int) -> None:
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = path
        params.verbosity = 0
        params.n_parallel, params.cont_batching, params.n_ctx = n_seq, True, n_ctx
        params.n_batch = params.n_ubatch = 512
        params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
        params.warmup = False
        self.server = xllamacpp.Server(params)

    def run(self, prompts: list[list[int]], tokens: int) -> dict[str, Any]:
        def one(prompt: list[int]) -> dict[str, Any]:
            body = {"prompt": prompt, "max_tokens": tokens, "temperature": 0.0, "ignore_eos": True, "cache_prompt": False,
                    "n_probs": 0, "seed": 0, "top_k": 1}
            return self.server.handle_completions(body)

        started = time.perf_counter()
        with ThreadPoolExecutor(len(prompts)) as pool:
            answers = list(pool.map(one, prompts))
        wall = time.perf_counter() - started
        for answer in answers:
            if "choices" not in answer:
                raise RuntimeError(f"xllamacpp answered {answer}")
        prefill = max(a.get("timings", {}).get("prompt_ms", 0.0) for a in answers) / 1000
        texts = [a["choices"][0]["text"] for a in answers]
        return {"wall_s": wall, "prefill_s": prefill, "decode_s": wall - prefill, "texts": texts,
                "completion_tokens": sum(a["usage"]["completion_tokens"] for a in answers)}


def measure(engine: str, levels: list[int], tokens: int, threads: int, compare: bool = True,
            kind: str = "translate") -> dict[str, Any]:
    """One engine, every level, in this process; JSON-able. Each level is also reported on stderr as it ends."""
    path, prompts = prompt_tokens(max(levels), kind)
    n_ctx = max(levels) * (max(len(p) for p in prompts) + tokens + 64)
    started = time.perf_counter()
    runner: Any = (LlamaCppBatch if engine == "llama_cpp" else XLlamaCpp)(path, max(levels), n_ctx, threads)
    load = time.perf_counter() - started
    rows: dict[str, Any] = {}
    for n in levels:
        result = runner.run(prompts[:n], tokens)
        written = result.get("completion_tokens", n * tokens)
        rows[str(n)] = {"tokens": written, "wall_s": round(result["wall_s"], 2), "prefill_s": round(result["prefill_s"], 2),
                        "tok_s": round(written / result["wall_s"], 2), "texts": result["texts"],
                        # after the prompts: the first token of each sequence comes with its prompt
                        "decode_tok_s": round((written - n) / result["decode_s"], 2) if result["decode_s"] > 0 else None}
        print(f"{engine} N={n}: {rows[str(n)]['tok_s']} tok/s", file=sys.stderr, flush=True)
    if compare:  # each prompt alone (after the timed levels): the reference answers
        alone = [runner.run([p], tokens)["texts"][0] for p in prompts]
        for n in levels:
            rows[str(n)]["same_as_alone"] = sum(a == b for a, b in zip(rows[str(n)]["texts"], alone[:n], strict=True))
    for row in rows.values():
        del row["texts"]
    return {"engine": engine, "load_s": round(load, 1), "threads": threads, "prompt_tokens": [len(p) for p in prompts[:max(levels)]],
            "levels": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--parallel", default="1,2,4,8", help="sequences decoded at once")
    parser.add_argument("--tokens", type=int, default=64, help="tokens written by every sequence")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=1, help="1: A B; 2: A B B A")
    parser.add_argument("--prompts", choices=("translate", "short"), default="translate",
                        help="translate: ~200-token translation prompts; short: ~30-token requests (decoding dominates)")
    parser.add_argument("--no-compare", action="store_true", help="skip running each prompt alone (faster)")
    parser.add_argument("--json", type=Path, help="also write every round's figures here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    levels = [int(n) for n in args.parallel.split(",")]
    if args.child:
        print(json.dumps(measure(args.child, levels, args.tokens, args.threads, not args.no_compare, args.prompts)))
        return 0
    engines = args.engines.split(",")
    order = [e for r in range(args.rounds) for e in (engines if r % 2 == 0 else engines[::-1])]
    rounds: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
    for engine in order:  # each round is printed (and saved) as soon as it is done: a cut run keeps what it measured
        command = [sys.executable, __file__, "--child", engine, "--parallel", args.parallel, "--tokens", str(args.tokens),
                   "--threads", str(args.threads), "--prompts", args.prompts] + (["--no-compare"] if args.no_compare else [])
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)  # stderr: progress, as it comes
        if done.returncode:
            print(f"{engine}: failed (exit {done.returncode})")
            return 1
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rounds[engine].append(result)
        print(f"round: {engine}, load {result['load_s']} s, prompts {result['prompt_tokens']} tokens: " + "; ".join(
            f"N={n} {r['tok_s']} tok/s, decode {r['decode_tok_s']} (prefill {r['prefill_s']} s, same as alone {r.get('same_as_alone', '-')}/{n})"
            for n, r in result["levels"].items()), flush=True)
        if args.json:
            args.json.write_text(json.dumps({"order": order, "rounds": rounds}, indent=2))
    print(f"{args.prompts} prompts, {args.tokens} tokens a sequence, {args.threads} threads, rounds in order {' '.join(order)}")
    print(f"{'engine':10} {'N':>2} {'tok/s':>8} {'x N=1':>6} {'decode tok/s':>12} {'x N=1':>6} {'prefill s':>9} {'same as alone':>14}")
    summary: dict[str, Any] = {}
    for engine in engines:
        base = decode_base = None
        for n in levels:
            rows = [r["levels"][str(n)] for r in rounds[engine]]
            tok_s = sum(r["tok_s"] for r in rows) / len(rows)
            decode = sum(r["decode_tok_s"] or 0 for r in rows) / len(rows)
            base, decode_base = base or tok_s, decode_base or decode
            same = min((r.get("same_as_alone", -1) for r in rows), default=-1)
            prefill = sum(r["prefill_s"] for r in rows) / len(rows)
            summary.setdefault(engine, {})[n] = {"tok_s": round(tok_s, 2), "ratio": round(tok_s / base, 2),
                                                 "decode_tok_s": round(decode, 2), "same_as_alone": same}
            print(f"{engine:10} {n:>2} {tok_s:8.2f} {tok_s / base:6.2f} {decode:12.2f} {decode / decode_base:6.2f} "
                  f"{prefill:9.2f} {same:>10}/{n}")
    if len(engines) == 2:
        a, b = engines
        print("  " + ", ".join(f"N={n}: {b}/{a} {summary[b][n]['tok_s'] / summary[a][n]['tok_s']:.2f}" for n in levels))
    if args.json:
        args.json.write_text(json.dumps({"order": order, "rounds": rounds, "summary": summary}, indent=2))
    return 0

if __name__ == "__main__":
    sys.exit(main())
