#!/usr/bin/env python
"""Do `POST /translate` (LibreTranslate API) and `POST /v1/translate` give the same translations?

    python scripts/libretranslate_parity.py                      # 20 NTREX sentences with figures, real model
    python scripts/libretranslate_parity.py --limit 5 --url http://127.0.0.1:8000
    python scripts/libretranslate_parity.py --fake               # fake backend: the plumbing alone

Starts `brief serve` on a free loopback port (unless --url), sends each Italian paragraph through
both routes (the LibreTranslate one as form fields, as `libretranslatepy` sends them), and prints
how many translations and fact reports match, with the time each route took. The rows are read by
path from the shared data (`BRIEF_DATA_DIR`, default ../shared/data), never copied: every row
whose Italian holds a digit, then `--limit` of them spread evenly over the file. `--out FILE`
writes each pair as JSON lines for a hand check. Exit status 1 if any translation differs.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import httpx

from service.settings import get_settings

FAKE_CONFIG = """\
id: parity-fake
licence: none (test double)
roles: [translate, headline, summary]
backend: fake
weights: {source: local, path: /nonexistent}
context_length: 4096
"""


def pick_rows(path: Path, limit: int) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with_figures = [row for row in rows if any(ch.isdigit() for ch in row["it"])]
    if len(with_figures) <= limit:
        return with_figures
    step = len(with_figures) / limit
    return [with_figures[int(i * step)] for i in range(limit)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(tmp: Path, fake: bool, timeout: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "BRIEF_DATABASE_PATH": str(tmp / "jobs.sqlite3"), "BRIEF_REQUEST_TIMEOUT_S": "1200"}
    command = [sys.executable, "-c", "from service.cli import main; main()", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning"]
    if fake:
        (tmp / "configs").mkdir()
        (tmp / "configs" / "parity-fake.yaml").write_text(FAKE_CONFIG)
        env.update(BRIEF_MODEL_CONFIGS_DIR=str(tmp / "configs"), BRIEF_GUARD="off")
        command += ["--config", "parity-fake"]
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited: {(tmp / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    sys.exit(f"server not ready after {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="JSONL with an 'it' field (default: DATA_DIR/ntrex128_it_en.jsonl)")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--url", help="a running server (default: start `brief serve` on a free port)")
    parser.add_argument("--fake", action="store_true", help="serve the fake backend (plumbing only)")
    parser.add_argument("--out", type=Path, help="write each pair as JSON lines")
    parser.add_argument("--ready-timeout", type=float, default=300)
    args = parser.parse_args()

    data = args.data or get_settings().data_dir / "ntrex128_it_en.jsonl"
    rows = pick_rows(data, args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        process, url = (None, args.url) if args.url else start_server(Path(tmp), args.fake, args.ready_timeout)
        try:
            pairs = compare(url, rows)
        finally:
            if process is not None:
                process.terminate()
                process.wait(30)
    if args.out:
        args.out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs), encoding="utf-8")
    same = sum(p["same_translation"] for p in pairs)
    same_facts = sum(p["same_facts"] for p in pairs)
    lt_s, v1_s = sum(p["translate_s"] for p in pairs), sum(p["v1_s"] for p in pairs)
    print(f"data: {data.name}, {len(pairs)} paragraphs with figures ({', '.join(p['id'] for p in pairs)})")
    print(f"same translation: {same}/{len(pairs)}; same fact report: {same_facts}/{len(pairs)}")
    ratios = sorted(p["translate_s"] / p["v1_s"] for p in pairs if p["v1_s"] > 0)
    median = ratios[len(ratios) // 2] if ratios else 0.0
    print(f"time: /translate {lt_s:.1f} s, /v1/translate {v1_s:.1f} s in all; median per-paragraph ratio {median:.2f} "
          "(one-off lazy loads land on whichever route runs first)")
    for p in pairs:
        if not p["same_translation"]:
            print(f"DIFFERENT {p['id']}:\n  /translate:    {p['translatedText']}\n  /v1/translate: {p['translation']}")
    return 0 if same == len(pairs) else 1


def compare(url: str, rows: list[dict]) -> list[dict]:
    """Each row through both routes; the order alternates so neither always runs on a warmer process."""
    pairs = []
    with httpx.Client(base_url=url, timeout=1200) as client:
        client.post("/v1/translate", json={"text": "Il Comune ha speso 3 milioni di euro nel 2024."}).raise_for_status()  # warm-up
        for n, row in enumerate(rows, 1):
            calls = {
                "translate": partial(client.post, "/translate", data={"q": row["it"], "source": "it", "target": "en"}),
                "v1": partial(client.post, "/v1/translate", json={"text": row["it"], "format": "text"}),
            }
            answers, seconds = {}, {}
            for name in (("translate", "v1") if n % 2 else ("v1", "translate")):
                started = time.perf_counter()
                answers[name] = calls[name]()
                seconds[name] = round(time.perf_counter() - started, 2)
                answers[name].raise_for_status()
            ours, theirs = answers["translate"].json(), answers["v1"].json()  # /v1/translate is flat since #16
            pair = {"id": row["id"], "it": row["it"], "translatedText": ours["translatedText"], "translation": theirs["translation"],
                    "same_translation": ours["translatedText"] == theirs["translation"], "same_facts": ours["facts"] == theirs["facts"],
                    "issues": ours["facts"]["issues"], "translate_s": seconds["translate"], "v1_s": seconds["v1"]}
            pairs.append(pair)
            print(f"[{n}/{len(rows)}] {row['id']}: {'same' if pair['same_translation'] else 'DIFFERENT'} "
                  f"({pair['translate_s']} s / {pair['v1_s']} s)", file=sys.stderr, flush=True)
    return pairs


if __name__ == "__main__":
    sys.exit(main())
