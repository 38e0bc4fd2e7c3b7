"""`brief bench`: prints throughput of both backends and the seed article's time per stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..settings import PROJECT_ROOT, get_settings

SEED = PROJECT_ROOT.parent / "shared" / "seeds" / "000_fd4f438c24bf3718.txt"
SAMPLE = PROJECT_ROOT / "samples" / "articolo_esempio.txt"


def bench(
    llama_config: Annotated[str, typer.Option(help="llama.cpp config")] = "qwen2.5-coder-1.5b-gguf",
    transformers_config: Annotated[str, typer.Option(help="transformers config on the same weights")] = "qwen2.5-coder-1.5b-gguf-transformers",
    max_new_tokens: Annotated[int, typer.Option(help="most tokens per passage")] = 192,
    article: Annotated[Path | None, typer.Option(help="article for the end-to-end timing (default: the seed)")] = None,
    skip_transformers: Annotated[bool, typer.Option(help="only llama.cpp (transformers loads ~3 GB)")] = False,
) -> None:
    """Generated tokens/s for llama.cpp and transformers on the same passages and weights, their
    ratio, and the end-to-end time per stage of one article's brief (all measured in this run).

    Tokens/s is completion tokens over the whole call (prompt reading included), as a user sees it."""
    from ..bench import backend_speed, peak_rss_mib, seed_brief_timings

    settings = get_settings()
    report: dict = {"backends": {}}
    speeds = [backend_speed(settings, llama_config, max_new_tokens)]
    if not skip_transformers:
        speeds.append(backend_speed(settings, transformers_config, max_new_tokens))
    for speed in speeds:
        report["backends"][speed.config] = {
            "load_s": round(speed.load_seconds, 1),
            "tokens": speed.completion_tokens,
            "generation_s": round(speed.generation_seconds, 2),
            "tokens_per_s": round(speed.tokens_per_second, 2),
        }
        typer.echo(f"{speed.config:40} {speed.tokens_per_second:7.2f} tok/s  "
                   f"({speed.completion_tokens} tokens, load {speed.load_seconds:.1f}s)", err=True)
    if len(speeds) == 2 and speeds[1].tokens_per_second:
        report["llama_cpp_over_transformers"] = round(speeds[0].tokens_per_second / speeds[1].tokens_per_second, 2)
    path = article or (SEED if SEED.is_file() else SAMPLE)
    report["brief"] = brief = seed_brief_timings(settings, path, llama_config)
    typer.echo(f"seed brief: {brief['timings']['total']:.1f} s = {brief['wall_over_raw_200']}x a raw 200-token generation; "
               f"prompt tokens sent {brief['prompt_tokens_sent']}, computed {brief['prompt_tokens_computed']}; "
               f"prefill {brief['prefill_s']} s, decode {brief['decode_s']} s; {brief['fact_issues']} fact issues; "
               f"asked again: {brief['repeat']['wall_s']} s, cached {brief['repeat']['cached']}, "
               f"identical {brief['repeat']['identical']}", err=True)
    report["peak_rss_mib"] = round(peak_rss_mib())
    typer.echo(json.dumps(report, indent=2))


def register(app: typer.Typer) -> None:
    app.command("bench")(bench)
