#!/usr/bin/env python
"""Four translations at once vs one: the wall-time ratio, and whether the answers are the same.

    python scripts/concurrency_check.py                  # real offline model, 4 NTREX paragraphs
    python scripts/concurrency_check.py --fake           # fake backend: the plumbing alone
    python scripts/concurrency_check.py --config qwen2.5-coder-1.5b-gguf-xllamacpp   # another model config

Starts `brief serve` on a loopback port (as scripts/libretranslate_parity.py does) with the result
cache and the model's answer memo off (a copy of the model configs with `prompt_cache: {answers: 0}`),
so that every request really runs the model; sends 4 Italian paragraphs with figures one at a time (`POST /v1/translate`, each alone),
then the same 4 as 4 concurrent requests, then as one request with `texts`. Prints each way's wall
time over the mean single-request time, and whether each way gave the same translations as one at a
time. One run: compare the ratios, not the seconds. Exit status 1 if any translation differs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import yaml
from libretranslate_parity import pick_rows, start_server

from service.settings import get_settings


def configs_without_answer_memo(source: Path, target: Path) -> Path:
    """The model configs, each with `prompt_cache.answers: 0` (a repeated request must reach the model)."""
    target.mkdir()
    for path in sorted(source.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.setdefault("prompt_cache", {})["answers"] = 0
        (target / path.name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def translate(url: str, body: dict) -> dict:
    response = httpx.post(f"{url}/v1/translate", json=body, timeout=1800)
    response.raise_for_status()
    return response.json()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="JSONL with an 'it' field (default: DATA_DIR/ntrex128_it_en.jsonl)")
    parser.add_argument("-n", type=int, default=4, help="texts sent at once")
    parser.add_argument("--fake", action="store_true", help="serve the fake backend (plumbing only)")
    parser.add_argument("--config", help="model config to serve (default: the translate config of the settings)")
    parser.add_argument("--ready-timeout", type=float, default=300)
    args = parser.parse_args()

    texts = [row["it"] for row in pick_rows(args.data or get_settings().data_dir / "ntrex128_it_en.jsonl", args.n)]
    os.environ["BRIEF_RESULT_CACHE"] = "false"  # every request must reach the model
    if args.config and not args.fake:
        os.environ["BRIEF_TRANSLATE_CONFIG"] = args.config
    with tempfile.TemporaryDirectory() as tmp:
        if not args.fake:
            os.environ["BRIEF_MODEL_CONFIGS_DIR"] = str(configs_without_answer_memo(get_settings().model_configs_dir, Path(tmp) / "configs"))
        process, url = start_server(Path(tmp), args.fake, args.ready_timeout)
        try:
            translate(url, {"text": "Il Comune ha speso 3 milioni di euro nel 2024."})  # warm-up: weights loaded
            alone, alone_s = [], []
            for text in texts:
                started = time.perf_counter()
                alone.append(translate(url, {"text": text})["translation"])
                alone_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            with ThreadPoolExecutor(len(texts)) as pool:
                together = [r["translation"] for r in pool.map(lambda t: translate(url, {"text": t}), texts)]
            together_s = time.perf_counter() - started
            started = time.perf_counter()
            listed = [item["translation"] for item in translate(url, {"texts": texts})["results"]]
            listed_s = time.perf_counter() - started
        finally:
            process.terminate()
            process.wait(30)
    one = sum(alone_s) / len(alone_s)
    print(f"config {os.environ.get('BRIEF_TRANSLATE_CONFIG', 'default') if not args.fake else 'fake'}")
    print(f"{len(texts)} NTREX paragraphs with figures; one at a time: {sum(alone_s):.1f} s in all, {one:.1f} s each on average")
    print(f"{len(texts)} concurrent requests: {together_s:.1f} s = {together_s / one:.2f}x one; "
          f"same translations as one at a time: {sum(a == b for a, b in zip(alone, together, strict=True))}/{len(texts)}")
    print(f"one request with {len(texts)} texts: {listed_s:.1f} s = {listed_s / one:.2f}x one; "
          f"same translations: {sum(a == b for a, b in zip(alone, listed, strict=True))}/{len(texts)}")
    return 0 if alone == together == listed else 1


if __name__ == "__main__":
    sys.exit(main())
