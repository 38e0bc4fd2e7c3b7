"""The bounded model queue: capacity, 429 with Retry-After, timeouts, and requests before job articles."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from service.models.base import GenerationRequest
from service.models.fake import FakeBackend, _echo
from service.settings import Settings

from .conftest import ARTICLE, italian, make_client, wait_for, wait_ready


class Gate:
    """A responder that holds every model call until `open()`; records what it saw."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.seen: list[str] = []

    def __call__(self, request: GenerationRequest) -> str:
        self.event.wait(20)
        text = _echo(request)
        self.seen.append(text)
        return text

    def open(self) -> None:
        self.event.set()


def test_full_queue_answers_429_with_retry_after(client: TestClient, fake: FakeBackend) -> None:
    gate = Gate()
    fake.responder = gate
    queue = client.app.state.queue  # type: ignore[attr-defined]
    with ThreadPoolExecutor(3) as pool:
        running = pool.submit(client.post, "/v1/briefs", json={"article": ARTICLE})
        wait_for(lambda: queue.busy)
        waiting = [pool.submit(client.post, "/v1/briefs", json={"article": ARTICLE}) for _ in range(2)]  # capacity 2
        wait_for(lambda: queue.depth == 2)
        refused = client.post("/v1/briefs", json={"article": ARTICLE})
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "queue_full"
        assert int(refused.headers["Retry-After"]) >= 1
        gate.open()
        assert [f.result().status_code for f in [running, *waiting]] == [200, 200, 200]
    assert "brief_queue_rejections_total 1.0" in client.get("/metrics").text


def test_timeout_stops_the_run(settings: Settings) -> None:
    with make_client(settings.model_copy(update={"request_timeout_s": 0.3})) as client:
        wait_ready(client)
        queue = client.app.state.queue  # type: ignore[attr-defined]
        from service.models.registry import get_backend

        fake = get_backend("fake", settings)
        assert isinstance(fake, FakeBackend)
        calls: list[float] = []

        def slow(request: GenerationRequest) -> str:
            calls.append(time.monotonic())
            time.sleep(0.5)
            return _echo(request)

        fake.responder = slow
        article = "\n\n".join([ARTICLE] * 3)
        started = time.monotonic()
        response = client.post("/v1/briefs", json={"article": article})
        assert response.status_code == 504 and response.json()["error"]["code"] == "request_timeout"
        assert time.monotonic() - started < 2
        wait_for(lambda: not queue.busy)
        assert len(calls) == 1  # stopped at the first paragraph report, headline and summary never ran


def test_requests_go_before_job_articles(client: TestClient, fake: FakeBackend) -> None:
    gate = Gate()
    fake.responder = gate
    queue = client.app.state.queue  # type: ignore[attr-defined]
    job = client.post("/v1/jobs", json={"articles": [{"article": italian(i), "id": f"a{i}"} for i in range(3)],
                                        "options": {"write": []}}).json()
    wait_for(lambda: queue.busy)  # job article 0 is running
    with ThreadPoolExecutor(1) as pool:
        brief = pool.submit(client.post, "/v1/briefs", json={"article": ARTICLE, "options": {"write": []}})
        wait_for(lambda: queue.depth == 1)
        gate.open()
        assert brief.result().status_code == 200
    wait_for(lambda: client.get(f"/v1/jobs/{job['id']}").json()["status"] == "done")
    order = [("numero" in text and text.split("numero ")[1][0]) or "brief" for text in gate.seen]
    assert order == ["0", "brief", "1", "2"]
