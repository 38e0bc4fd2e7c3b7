"""Scale-out overhead, measured in one run: `brief batch` on Ray vs the plain server's jobs, and Ray Serve 1 vs 2 replicas.

    .venv/bin/python scripts/bench_scaling.py [--articles 20] [--delay 0.1] [--real] [--requests 40]

Same articles for every path: the N shortest native Italian Wikinews articles from
../shared/data (read by path). The model is the fake backend (echo) with `--delay` seconds per
model call (a brief makes 3 calls), unless `--real` runs the offline model. A fake measures what
each path adds around the model (scheduling, serialisation, HTTP, Ray), not model speed.

Prints one table; numbers from a shared 2-core machine are noisy, so compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.settings import Settings  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "it_news_headline_kind_wikinews_dev.jsonl"
FAKE_CONFIG = """\
id: fake
licence: none (test double)
roles: [translate, headline, summary]
backend: fake
weights: {source: local, path: /nonexistent}
context_length: 4096
chunk_tokens: 320
"""


def articles(n: int) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    rows.sort(key=lambda r: len(r["article"]))
    return [{"id": r["id"], "article": r["article"]} for r in rows[:n]]


def pipeline_factory(settings: Settings, delay: float, real: bool):  # type: ignore[no-untyped-def]
    """`settings -> BriefPipeline` (batch) ; wrapped as `() -> BriefPipeline` for the app. Shipped to Ray by value."""
    from service.models.base import Generation, GenerationRequest
    from service.models.config import load_model_config
    from service.models.fake import FakeBackend
    from service.pipeline.brief import BriefPipeline

    class DelayedFake(FakeBackend):
        def generate(self, request: GenerationRequest) -> Generation:
            time.sleep(delay)
            return super().generate(request)

    def factory(actor_settings: Settings | None = None) -> BriefPipeline:
        current = actor_settings or settings
        if real:
            return BriefPipeline.from_settings(current)
        backend = DelayedFake(load_model_config(current.model_configs_dir, "fake"), current)
        return BriefPipeline(current, backend, backend)

    return factory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready")


class PlainServer:
    """`brief serve`'s app on uvicorn in a thread (the model loads before /readyz says ready)."""

    def __init__(self, settings: Settings, factory) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        from service.api import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(settings, factory), host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> PlainServer:
        self.thread.start()
        wait_ready(self.url)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def jobs_run(settings: Settings, factory, rows: list[dict[str, str]]) -> float:  # type: ignore[no-untyped-def]
    """Seconds from POST /v1/jobs to the job done (the server is up and its model loaded before)."""
    with PlainServer(settings, lambda: factory()) as server:
        started = time.perf_counter()
        job = httpx.post(f"{server.url}/v1/jobs", json={"articles": rows}, timeout=60).json()
        while httpx.get(f"{server.url}/v1/jobs/{job['id']}", params={"results": False}, timeout=60).json()["status"] != "done":
            time.sleep(0.05)
        return time.perf_counter() - started


def request_rate(url: str, rows: list[dict[str, str]], requests: int, concurrency: int = 8) -> tuple[float, int]:
    """(requests/s, replicas seen) for `requests` POST /v1/briefs, `concurrency` at a time (each text unique: no cache hits)."""
    def one(i: int) -> httpx.Response:
        return httpx.post(f"{url}/v1/briefs", json={"article": f"{rows[i % len(rows)]['article']}\n\nNota {i}."}, timeout=600)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        responses = list(pool.map(one, range(requests)))
    seconds = time.perf_counter() - started
    bad = [r.status_code for r in responses if r.status_code != 200]
    if bad:
        raise RuntimeError(f"{len(bad)} requests failed: {bad[:5]} {responses[0].text[:200]}")
    return requests / seconds, len({r.headers.get("X-Brief-Replica") for r in responses})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.1, help="fake backend: seconds per model call")
    parser.add_argument("--real", action="store_true", help="the offline model instead of the fake (slow)")
    parser.add_argument("--requests", type=int, default=40, help="requests per Serve measurement")
    parser.add_argument("--skip-serve", action="store_true")
    args = parser.parse_args()

    from ray import cloudpickle

    from service.batch import run_batch
    from service.deploy.ray_cluster import connect
    from service.deploy.ray_serve import APP_NAME, ServeConfig, build_application

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    rows = articles(args.articles)
    work = Path(tempfile.mkdtemp(prefix="bench-scaling-"))
    configs = work / "configs"
    configs.mkdir()
    (configs / "fake.yaml").write_text(FAKE_CONFIG)
    extra = {} if args.real else {"translate_config": "fake", "model_configs_dir": configs}
    settings = Settings(guard="off", database_path=work / "jobs.sqlite3", queue_size=16, **extra, _env_file=None)
    factory = pipeline_factory(settings, args.delay, args.real)
    model = "offline model" if args.real else f"fake backend, {args.delay:g} s per model call"
    print(f"# {len(rows)} articles ({sum(len(r['article']) for r in rows)} chars), {model}; shared 2-core machine")

    jobs_s = jobs_run(settings, factory, rows)
    print(f"plain server, POST /v1/jobs:       {jobs_s:7.2f} s  {len(rows) / jobs_s:7.2f} briefs/s  (model loaded before)")

    source = work / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    started = time.perf_counter()
    connect(num_cpus=2)
    ray_start = time.perf_counter() - started
    summary = run_batch(source, work / "batch-out", settings, pipeline_factory=factory, quiet=True)
    total = ray_start + summary.seconds
    print(f"brief batch on Ray (local, 1 actor): {total:7.2f} s  {len(rows) / total:7.2f} briefs/s  "
          f"(Ray start {ray_start:.1f} s + {summary.seconds:.1f} s: actor start, model load, rows)")
    second = run_batch(source, work / "batch-out-2", settings, pipeline_factory=factory, quiet=True)
    print(f"brief batch again, Ray already up:  {second.seconds:7.2f} s  {len(rows) / second.seconds:7.2f} briefs/s")
    print(f"ratio batch(Ray up) / jobs time: {second.seconds / jobs_s:.2f}; with Ray start: {total / jobs_s:.2f}")

    if not args.skip_serve:
        from ray import serve

        with PlainServer(settings, lambda: factory()) as server:
            plain_rate, _ = request_rate(server.url, rows, args.requests)
        print(f"plain server POST /v1/briefs:        {plain_rate:7.2f} req/s (8 concurrent clients)")
        port = free_port()
        serve.start(http_options={"host": "127.0.0.1", "port": port})
        try:
            for replicas in (1, 2):
                config = ServeConfig(num_replicas=replicas, cpus_per_replica=1 if args.real else 0.5,
                                     memory_gb_per_replica=None, max_ongoing_requests=16)
                serve.run(build_application(settings, config, lambda: factory()), name=APP_NAME, route_prefix="/", blocking=False)
                wait_ready(f"http://127.0.0.1:{port}")
                request_rate(f"http://127.0.0.1:{port}", rows, 4)  # warm every replica's model
                rate, seen = request_rate(f"http://127.0.0.1:{port}", rows, args.requests)
                print(f"Ray Serve, {replicas} replica(s):              {rate:7.2f} req/s ({seen} replica(s) answered)")
                serve.delete(APP_NAME)
        finally:
            serve.shutdown()


if __name__ == "__main__":
    main()
