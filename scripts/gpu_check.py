#!/usr/bin/env python3
"""GPU throughput check: continuous batching (decoder-only) and padded generate (Marian), random weights.

Real weights cannot be carried to a lent GPU machine, so both models are built from their config
alone with random weights and fed random token ids (no tokenizer files needed). Decoding speed does
not depend on the weights; the end-of-sequence token is switched off so every request runs to
--new-tokens. Shapes: Qwen2-1.5B (what model_configs/qwen2.5-1.5b-instruct.yaml loads) and Marian
transformer-big (opus-mt-tc-big-it-en).

What runs, at each batch size (default 1/8/32/128), after a warm-up:
  qwen2-1.5b  continuous  the project's engine (service/models/continuous_batching.py: transformers'
                          continuous batching, the path `batching: continuous` takes); each size runs
                          twice and the second pass is timed (the first also captures CUDA graphs)
  qwen2-1.5b  generate    one padded `model.generate` call (reference)
  marian-big  generate    one padded `model.generate` call (what the backend does for seq2seq batches)
and prints tok/s (generated tokens / wall seconds, prefill included) and the ratio to batch 1.

Needs only Python, torch and transformers (5.17 or later; no project install, no fastapi/pydantic):
run it from the repository root. It imports one leaf module of the project and nothing else.

    python scripts/gpu_check.py --out gpu_check.json            # GPU, full shapes (a few minutes)
    python scripts/gpu_check.py --device cpu --tiny             # tiny shapes on CPU (seconds)
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QWEN2_1_5B = {  # Qwen/Qwen2.5-1.5B-Instruct config.json
    "vocab_size": 151936, "hidden_size": 1536, "intermediate_size": 8960, "num_hidden_layers": 28,
    "num_attention_heads": 12, "num_key_value_heads": 2, "max_position_embeddings": 32768,
    "rope_theta": 1000000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": True,
}
QWEN2_TINY = {
    "vocab_size": 512, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 512, "tie_word_embeddings": True,
}
MARIAN_BIG = {  # Helsinki-NLP/opus-mt-tc-big-it-en: transformer-big
    "vocab_size": 60000, "d_model": 1024, "encoder_layers": 6, "decoder_layers": 6, "encoder_attention_heads": 16,
    "decoder_attention_heads": 16, "encoder_ffn_dim": 4096, "decoder_ffn_dim": 4096, "max_position_embeddings": 1024,
    "share_encoder_decoder_embeddings": True,
}
MARIAN_TINY = {
    "vocab_size": 512, "d_model": 32, "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 2,
    "decoder_attention_heads": 2, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64, "max_position_embeddings": 256,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cuda", help="cuda (default) or cpu")
    parser.add_argument("--dtype", default=None, help="bfloat16 on cuda, float32 on cpu unless given")
    parser.add_argument("--tiny", action="store_true", help="tiny shapes, batches 1/2/4, 8 new tokens (CPU smoke run)")
    parser.add_argument("--batches", default=None, help="comma-separated batch sizes (default 1,8,32,128; tiny 1,2,4)")
    parser.add_argument("--new-tokens", type=int, default=None, help="tokens generated per request (default 64; tiny 8)")
    parser.add_argument("--prompt-tokens", type=int, default=None, help="prompt length (default 128; tiny 16)")
    parser.add_argument("--models", default="qwen2,marian", help="which of qwen2,marian to run")
    parser.add_argument("--engines", default="continuous,generate", help="which of continuous,generate to run for qwen2")
    parser.add_argument(
        "--cb", action="append", default=[], metavar="KEY=VALUE",
        help="a ContinuousBatchingConfig field for the engine, e.g. --cb use_cuda_graph=true --cb max_batch_tokens=4096",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("out", nargs="?", help="write the JSON here (default: stdout)")
    parser.add_argument("--out", dest="out_option", help="same as the positional argument")
    args = parser.parse_args(argv)
    args.out = args.out_option or args.out
    args.batches = [int(b) for b in (args.batches or ("1,2,4" if args.tiny else "1,8,32,128")).split(",")]
    args.new_tokens = args.new_tokens or (8 if args.tiny else 64)
    args.prompt_tokens = args.prompt_tokens or (16 if args.tiny else 128)
    args.dtype = args.dtype or ("bfloat16" if args.device.startswith("cuda") else "float32")
    args.models = [m.strip() for m in args.models.split(",") if m.strip()]
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    args.cb = dict(_setting(item) for item in args.cb)
    return args


def _setting(item: str) -> tuple[str, Any]:
    key, _, value = item.partition("=")
    try:
        return key.strip(), json.loads(value)
    except json.JSONDecodeError:
        return key.strip(), value


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment(args: argparse.Namespace) -> dict[str, Any]:
    import torch
    import transformers

    from service.models import continuous_batching

    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("no CUDA device: run with --device cpu (and --tiny for a quick check)")
        name = torch.cuda.get_device_name(device)
    else:
        name = platform.processor() or platform.machine()
    return {
        "device": args.device,
        "device_name": name,
        "dtype": args.dtype,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "transformers": transformers.__version__,
        "continuous_batching_api": continuous_batching.api_flavour(),
        "tiny": args.tiny,
        "prompt_tokens": args.prompt_tokens,
        "new_tokens": args.new_tokens,
        "batches": args.batches,
    }


def synchronize(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def random_prompts(count: int, length: int, vocab: int, seed: int) -> list[list[int]]:
    import torch

    generator = torch.Generator().manual_seed(seed)
    return torch.randint(10, vocab, (count, length), generator=generator).tolist()


def build_qwen2(args: argparse.Namespace) -> Any:
    import torch
    from transformers import AutoModelForCausalLM, Qwen2Config

    config = Qwen2Config(**(QWEN2_TINY if args.tiny else QWEN2_1_5B), eos_token_id=None, bos_token_id=None, pad_token_id=0)
    torch.manual_seed(args.seed)
    with torch.device(args.device):
        model = AutoModelForCausalLM.from_config(config, dtype=getattr(torch, args.dtype), attn_implementation="sdpa")
    model.generation_config.eos_token_id = None
    model.generation_config.pad_token_id = 0
    return model.eval()


def build_marian(args: argparse.Namespace) -> Any:
    import torch
    from transformers import MarianConfig, MarianMTModel

    config = MarianConfig(**(MARIAN_TINY if args.tiny else MARIAN_BIG), pad_token_id=1, eos_token_id=0, decoder_start_token_id=1)
    torch.manual_seed(args.seed)
    with torch.device(args.device):
        model = MarianMTModel(config).to(getattr(torch, args.dtype))
    return model.eval()


def time_generate(model: Any, prompts: list[list[int]], new_tokens: int, device: str) -> tuple[float, int, list[list[int]]]:
    """One padded `generate` call, greedy, every row forced to `new_tokens` (EOS off)."""
    import torch

    input_ids = torch.tensor(prompts, device=device)
    kwargs = {"max_new_tokens": new_tokens, "min_new_tokens": new_tokens, "do_sample": False, "num_beams": 1}
    synchronize(device)
    started = time.perf_counter()
    with torch.inference_mode():
        output = model.generate(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), **kwargs)
    synchronize(device)
    seconds = time.perf_counter() - started
    width = output.shape[1] - (0 if model.config.is_encoder_decoder else input_ids.shape[1])
    rows = output[:, -width:].tolist()
    generated = sum(len(row) for row in rows) - (len(rows) if model.config.is_encoder_decoder else 0)  # decoder start
    return seconds, generated, rows


def measure(rows: list[dict[str, Any]], model_name: str, engine: str, batch: int, seconds: float, tokens: int) -> dict[str, Any]:
    base = next((r for r in rows if (r["model"], r["engine"], r["batch"]) == (model_name, engine, 1)), None)
    row = {"model": model_name, "engine": engine, "batch": batch, "seconds": round(seconds, 3), "generated_tokens": tokens,
           "tok_s": round(tokens / seconds, 1) if seconds > 0 else None}
    if base and base["tok_s"] and row["tok_s"]:
        row["ratio_to_batch_1"] = round(row["tok_s"] / base["tok_s"], 2)
    rows.append(row)
    log(f"{model_name:12} {engine:11} batch {batch:4}  {row['tok_s']:>10} tok/s  ({tokens} tokens in {seconds:.2f} s)")
    return row


def run_qwen2(args: argparse.Namespace, report: dict[str, Any], save: Any) -> None:
    from service.models.continuous_batching import ContinuousBatcher

    started = time.perf_counter()
    model = build_qwen2(args)
    report["build_seconds"]["qwen2"] = round(time.perf_counter() - started, 1)
    vocab = model.config.vocab_size
    top = max(args.batches)
    prompts = random_prompts(top, args.prompt_tokens, vocab, args.seed)
    reference: list[list[int]] = []
    if "generate" in args.engines:
        time_generate(model, prompts[:1], args.new_tokens, args.device)  # warm-up (kernels, allocator)
    for batch in args.batches if "generate" in args.engines else []:
        # plain generate first: transformers 5.17 keeps the model paged while batching runs
        time_generate(model, prompts[: min(batch, 2)], 2, args.device)  # warm-up
        seconds, tokens, rows = time_generate(model, prompts[:batch], args.new_tokens, args.device)
        reference = reference or rows
        measure(report["results"], "qwen2-1.5b" if not args.tiny else "qwen2-tiny", "generate", batch, seconds, tokens)
        save()
    if "continuous" not in args.engines:
        return
    batcher = ContinuousBatcher(
        model, eos_token_id=None, pad_token_id=0, max_batch=top,
        request_tokens=args.prompt_tokens + args.new_tokens, max_new_tokens=args.new_tokens, **args.cb,
    )
    report["continuous_batching_settings"] = {"asked": args.cb, "resolved_at_start": batcher.settings()}
    report["attention_while_batching"] = batcher.attention
    try:
        batcher.generate(prompts[:1], args.new_tokens)  # warm-up
        for batch in args.batches:
            timings = []
            for _ in range(2):  # the first pass at a batch size also captures its CUDA graphs: report the second
                synchronize(args.device)
                started = time.perf_counter()
                outputs = batcher.generate(prompts[:batch], args.new_tokens)
                synchronize(args.device)
                timings.append(time.perf_counter() - started)
            tokens = sum(len(out.tokens) for out in outputs)
            row = measure(report["results"], "qwen2-1.5b" if not args.tiny else "qwen2-tiny", "continuous", batch, timings[1], tokens)
            row["first_pass_seconds"] = round(timings[0], 3)
            if batch == 1 and reference:  # greedy agreement with plain generate on the same prompt (bf16 may drift late)
                same = 0
                for a, b in zip(outputs[0].tokens, reference[0], strict=False):
                    if a != b:
                        break
                    same += 1
                report["continuous_vs_generate_same_leading_tokens"] = f"{same}/{args.new_tokens}"
            save()
        report["continuous_batching_settings"]["resolved_after_runs"] = batcher.settings()
    finally:
        batcher.close()
    del model


def run_marian(args: argparse.Namespace, report: dict[str, Any], save: Any) -> None:
    started = time.perf_counter()
    model = build_marian(args)
    report["build_seconds"]["marian"] = round(time.perf_counter() - started, 1)
    prompts = random_prompts(max(args.batches), args.prompt_tokens, model.config.vocab_size, args.seed + 1)
    time_generate(model, prompts[:1], args.new_tokens, args.device)  # warm-up
    for batch in args.batches:
        time_generate(model, prompts[: min(batch, 2)], 2, args.device)  # warm-up
        seconds, tokens, _ = time_generate(model, prompts[:batch], args.new_tokens, args.device)
        measure(report["results"], "marian-big" if not args.tiny else "marian-tiny", "generate", batch, seconds, tokens)
        save()
    del model


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    report: dict[str, Any] = {"environment": environment(args), "build_seconds": {}, "results": []}
    log(json.dumps(report["environment"]))

    def save() -> None:
        report["total_seconds"] = round(time.perf_counter() - started, 1)
        if args.out:  # rewritten after every figure: a run cut short keeps what it measured
            Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    if "qwen2" in args.models:
        run_qwen2(args, report, save)
    if "marian" in args.models:
        run_marian(args, report, save)
    save()
    if not args.out:
        print(json.dumps(report, indent=2))
    log(f"done in {report['total_seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
