#!/usr/bin/env python
"""Bounded load test of POST /v1/briefs on loopback: N concurrent clients for T seconds, short articles.

    python scripts/loadtest.py --clients 4 --duration 60             # starts `brief serve` on a free port
    python scripts/loadtest.py --url http://127.0.0.1:8000 -c 16 -d 30
    python scripts/loadtest.py --fake -c 32 -d 10                     # fake backend: the HTTP layer alone

Prints throughput, p50/p95 latency and counts by status code. Expected: no 5xx; beyond the queue's
capacity only 429/503 (with Retry-After). Exit status 1 if any 5xx (other than 503) or transport error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ARTICLES = [
    "Il Comune di Milano ha stanziato 12 milioni di euro per rinnovare 40 scuole. I lavori inizieranno a settembre.",
    "La Regione Lazio ha approvato un piano da 3,5 milioni di euro per i trasporti. Il bando scade il 30 giugno.",
    "Il presidente della Repubblica ha incontrato a Roma 25 sindaci. Si è parlato di sanità e di lavoro per i giovani.",
    "Nel 2023 gli arrivi di turisti in Toscana sono cresciuti del 7 per cento. A Firenze i visitatori sono stati 5 milioni.",
]

FAKE_CONFIG = """\
id: loadtest-fake
licence: none (test double)
roles: [translate, headline, summary]
backend: fake
weights: {source: local, path: /nonexistent}
context_length: 4096
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args: argparse.Namespace, tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "BRIEF_DATABASE_PATH": str(tmp / "jobs.sqlite3")}
    command = [sys.executable, "-c", "from service.cli import main; main()", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning"]
    if args.fake:
        (tmp / "configs").mkdir()
        (tmp / "configs" / "loadtest-fake.yaml").write_text(FAKE_CONFIG)
        env.update(BRIEF_MODEL_CONFIGS_DIR=str(tmp / "configs"), BRIEF_GUARD="off")
        command += ["--config", "loadtest-fake"]
    elif args.config:
        command += ["--config", args.config]
    if args.queue_size:
        env["BRIEF_QUEUE_SIZE"] = str(args.queue_size)
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + args.ready_timeout
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
    sys.exit(f"server not ready after {args.ready_timeout} s")


async def client_loop(client: httpx.AsyncClient, url: str, index: int, stop_at: float, args: argparse.Namespace,
                      records: list[tuple[int | str, float]]) -> None:
    n = index
    while time.monotonic() < stop_at:
        body = {"article": ARTICLES[n % len(ARTICLES)], "options": {"write": args.write}}
        n += 1
        started = time.monotonic()
        try:
            response = await client.post(f"{url}/v1/briefs", json=body, timeout=args.request_timeout)
            records.append((response.status_code, time.monotonic() - started))
            if response.status_code in (429, 503):
                await asyncio.sleep(min(float(response.headers.get("Retry-After", 1)), args.max_backoff))
        except httpx.HTTPError as exc:
            records.append((type(exc).__name__, time.monotonic() - started))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def run(url: str, args: argparse.Namespace) -> list[tuple[int | str, float]]:
    records: list[tuple[int | str, float]] = []
    headers = {"Authorization": f"Bearer {args.api_key}"} if args.api_key else {}
    limits = httpx.Limits(max_connections=args.clients + 4)
    async with httpx.AsyncClient(headers=headers, limits=limits) as client:
        stop_at = time.monotonic() + args.duration
        await asyncio.gather(*(client_loop(client, url, i, stop_at, args, records) for i in range(args.clients)))
    return records


def report(records: list[tuple[int | str, float]], elapsed: float, args: argparse.Namespace) -> int:
    counts = Counter(str(status) for status, _ in records)
    ok = [seconds for status, seconds in records if status == 200]
    print(f"clients={args.clients} duration={elapsed:.1f}s requests={len(records)}")
    print(f"throughput: {len(records) / elapsed:.3f} req/s, {len(ok) / elapsed:.3f} briefs/s (200s)")
    print(f"latency of 200s: p50={percentile(ok, 50):.2f}s p95={percentile(ok, 95):.2f}s max={max(ok, default=float('nan')):.2f}s")
    print("status counts: " + ", ".join(f"{status}={n}" for status, n in sorted(counts.items())))
    bad = [s for s in counts if not s.isdigit() or (int(s) >= 500 and int(s) != 503)]
    if bad:
        print(f"FAIL: server errors or transport failures: {bad}")
        return 1
    print("OK: no 5xx (other than 503) and no transport errors")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="an already running server (default: start `brief serve` on a free port)")
    parser.add_argument("-c", "--clients", type=int, default=4)
    parser.add_argument("-d", "--duration", type=float, default=60.0, help="seconds of load (requests in flight then finish)")
    parser.add_argument("--config", help="model config for the server this script starts")
    parser.add_argument("--fake", action="store_true", help="start the server with the fake backend (HTTP layer only)")
    parser.add_argument("--queue-size", type=int, help="BRIEF_QUEUE_SIZE for the server this script starts")
    parser.add_argument("--write", nargs="*", default=["headline", "summary"], help="parts to write besides the translation")
    parser.add_argument("--api-key", default=os.environ.get("BRIEF_LOADTEST_API_KEY"))
    parser.add_argument("--request-timeout", type=float, default=900.0)
    parser.add_argument("--max-backoff", type=float, default=2.0, help="longest pause after a 429/503")
    parser.add_argument("--ready-timeout", type=float, default=600.0)
    args = parser.parse_args()

    process = None
    with tempfile.TemporaryDirectory(prefix="brief-loadtest-") as tmp:
        url = args.url
        if url is None:
            process, url = start_server(args, Path(tmp))
        try:
            started = time.monotonic()
            records = asyncio.run(run(url.rstrip("/"), args))
            code = report(records, time.monotonic() - started, args)
            metrics = httpx.get(f"{url}/metrics", timeout=10).text
            for line in metrics.splitlines():
                if line.startswith(("brief_tokens_per_second ", "brief_queue_rejections_total ", "brief_fact_issues_total ")):
                    print("server " + line)
        finally:
            if process is not None:
                process.terminate()
                process.wait(30)
    sys.exit(code)


if __name__ == "__main__":
    main()
