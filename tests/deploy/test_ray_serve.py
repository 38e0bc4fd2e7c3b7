"""`brief serve --ray`'s deployment on the session's local Ray: 2 replicas on a (slow) fake backend.

Every concurrent answer must be right, both replicas must serve, and after one replica's actor is
killed requests must still succeed. Health, metrics and API keys behave as in the plain server.
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from service.deploy.ray_serve import APP_NAME, REPLICA_HEADER, ServeConfig, build_application
from service.models.base import Generation, GenerationRequest
from service.models.config import load_model_config
from service.models.fake import FakeBackend
from service.pipeline.brief import BriefPipeline
from service.settings import Settings

pytestmark = pytest.mark.ray
KEY = "serve-test-key-0123456789"


def italian(i: int) -> str:
    return (f"Il comune di Roma ha approvato il progetto numero {i} per le scuole della città. "
            f"I lavori costeranno {i + 1} milioni di euro e finiranno entro il 2026, ha detto il sindaco.")


def slow_pipeline(settings: Settings, delay: float) -> Callable[[], BriefPipeline]:
    """A fake backend that takes `delay` s a call, so concurrent requests overlap (shipped to replicas by value)."""

    class SlowFakeBackend(FakeBackend):
        def generate(self, request: GenerationRequest) -> Generation:
            time.sleep(delay)
            return super().generate(request)

    def factory() -> BriefPipeline:
        backend = SlowFakeBackend(load_model_config(settings.model_configs_dir, "fake"), settings)
        return BriefPipeline(settings, backend, backend)

    return factory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(ray_address: str, fake_configs_dir: Path, tmp_path: Path) -> Iterator[str]:
    from ray import cloudpickle, serve

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    port = free_port()
    settings = Settings(translate_config="fake", model_configs_dir=fake_configs_dir, database_path=tmp_path / "jobs.sqlite3",
                        guard="off", queue_size=8, api_keys=[KEY], _env_file=None)
    config = ServeConfig(num_replicas=2, cpus_per_replica=0.5, memory_gb_per_replica=None, max_ongoing_requests=4)
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    try:
        serve.run(build_application(settings, config, slow_pipeline(settings, 0.15)), name=APP_NAME, route_prefix="/",
                  blocking=False)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "Serve did not become ready"
            time.sleep(0.5)
        yield url
    finally:
        serve.shutdown()


def brief(url: str, i: int) -> httpx.Response:
    return httpx.post(f"{url}/v1/briefs", json={"article": italian(i)}, headers={"X-API-Key": KEY}, timeout=60)


def brief_many(url: str, numbers: range) -> dict[int, httpx.Response]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(numbers, pool.map(lambda i: brief(url, i), numbers), strict=True))


def replica_actor_names() -> list[str]:
    import ray

    return [a["name"] for a in ray.util.list_named_actors(all_namespaces=True) if "SERVE_REPLICA" in a["name"]]


def test_two_replicas_serve_concurrent_requests_and_survive_a_killed_one(served: str) -> None:
    import ray

    url = served
    assert httpx.post(f"{url}/v1/briefs", json={"article": italian(0)}).status_code == 401  # keys as in the plain server
    assert httpx.get(f"{url}/healthz").status_code == 200 and "brief_" in httpx.get(f"{url}/metrics").text

    answers = brief_many(url, range(16))
    for i, response in answers.items():
        assert response.status_code == 200, response.text
        assert response.json()["translation"] == italian(i)  # the fake echoes: each answer is its own request's
    replicas = {response.headers[REPLICA_HEADER] for response in answers.values()}
    assert len(replicas) == 2, f"one replica served everything: {replicas}"

    names = replica_actor_names()
    killed = names[0].rsplit("#", 1)[-1]  # SERVE_REPLICA::app#deployment#<replica id>
    assert len(names) == 2 and killed in replicas
    ray.kill(ray.get_actor(names[0], namespace="serve"), no_restart=True)
    after = brief_many(url, range(16, 28))
    failed = {i: r.status_code for i, r in after.items() if r.status_code != 200}
    assert not failed, f"requests failed after a replica was killed: {failed}"
    assert all(r.json()["translation"] == italian(i) for i, r in after.items())
    assert killed not in {r.headers[REPLICA_HEADER] for r in after.values()}
