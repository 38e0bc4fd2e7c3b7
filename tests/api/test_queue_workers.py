"""Several model workers (`model_workers`, or a batching backend's `concurrency`): concurrent requests
and the texts of one request reach the model together; 429, timeouts and cancel still hold."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from service.models.base import GenerationRequest
from service.models.fake import FakeBackend, _echo
from service.models.registry import get_backend
from service.settings import Settings

from .conftest import ARTICLE, italian, make_client, wait_for, wait_ready


class Together:
    """A responder that answers only once `n` calls are inside the model at the same time."""

    def __init__(self, n: int) -> None:
        self.barrier = threading.Barrier(n, timeout=10)
        self.release = threading.Event()

    def __call__(self, request: GenerationRequest) -> str:
        self.barrier.wait()  # raises BrokenBarrierError (a 500) if the calls took turns
        return _echo(request)


def serve(settings: Settings, **update: object) -> tuple[TestClient, FakeBackend]:
    client = make_client(settings.model_copy(update=update))
    client.__enter__()
    wait_ready(client)
    fake = get_backend("fake", settings)
    assert isinstance(fake, FakeBackend)
    return client, fake


@pytest.fixture
def two(settings: Settings):  # type: ignore[no-untyped-def]
    client, fake = serve(settings, model_workers=2)
    yield client, fake
    client.__exit__(None, None, None)


def test_one_worker_unless_the_backend_batches(client: TestClient) -> None:
    assert client.app.state.queue.workers == 1  # type: ignore[attr-defined]


def test_concurrent_requests_reach_the_model_together(two) -> None:  # type: ignore[no-untyped-def]
    client, fake = two
    assert client.app.state.queue.workers == 2
    fake.responder = Together(2)
    body = {"text": "Il Comune ha speso 3 milioni di euro nel 2024."}
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: client.post("/v1/translate", json=body), range(2)))
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json()["translation"] == answers[1].json()["translation"] == body["text"]


def test_the_texts_of_one_request_run_side_by_side(two) -> None:  # type: ignore[no-untyped-def]
    client, fake = two
    fake.responder = Together(2)
    texts = [italian(1), italian(2)]
    response = client.post("/v1/translate", json={"texts": texts})
    assert response.status_code == 200
    assert [r["translation"] for r in response.json()["results"]] == texts  # in the order sent


def test_full_queue_still_answers_429(two) -> None:  # type: ignore[no-untyped-def]
    client, fake = two
    gate = threading.Event()
    fake.responder = lambda request: (gate.wait(20), _echo(request))[1]
    queue = client.app.state.queue
    body = {"article": ARTICLE, "options": {"write": []}}
    with ThreadPoolExecutor(4) as pool:
        running = [pool.submit(client.post, "/v1/briefs", json=body) for _ in range(2)]
        wait_for(lambda: queue._running == 2)
        waiting = [pool.submit(client.post, "/v1/briefs", json=body) for _ in range(2)]  # capacity 2
        wait_for(lambda: queue.depth == 2)
        refused = client.post("/v1/briefs", json=body)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        gate.set()
        assert [f.result().status_code for f in [*running, *waiting]] == [200] * 4


def test_a_timeout_stops_its_run_and_not_the_other(settings: Settings) -> None:
    client, fake = serve(settings, model_workers=2, request_timeout_s=0.5)
    try:
        def slow(request: GenerationRequest) -> str:
            if "lento" in (request.text or str(request.messages)):
                time.sleep(0.3)
            return _echo(request)

        fake.responder = slow
        slow_article = "\n\n".join([ARTICLE.replace("Il", "Il lento")] * 4)
        with ThreadPoolExecutor(2) as pool:
            timed_out = pool.submit(client.post, "/v1/briefs", json={"article": slow_article, "options": {"write": []}})
            quick = pool.submit(client.post, "/v1/translate", json={"text": "Il Comune ha speso 3 milioni di euro."})
            assert quick.result().status_code == 200
            response = timed_out.result()
        assert response.status_code == 504 and response.json()["error"]["code"] == "request_timeout"
        wait_for(lambda: not client.app.state.queue.busy)
    finally:
        client.__exit__(None, None, None)


def test_cancel_stops_every_text_of_a_request(settings: Settings) -> None:
    client, fake = serve(settings, model_workers=2, request_timeout_s=0.5)
    try:
        fake.token_seconds = 0.05  # each answer "generates" word by word, checking for a stop after each
        started = time.monotonic()
        response = client.post("/v1/translate", json={"texts": [italian(i) for i in range(2)]})
        assert response.status_code == 504
        wait_for(lambda: not client.app.state.queue.busy)
        assert time.monotonic() - started < 5
        calls = len(fake.requests)
        time.sleep(0.3)
        assert len(fake.requests) == calls  # nothing left running
    finally:
        client.__exit__(None, None, None)
