"""/v1/jobs over the fake backend (the store itself: test_job_store.py)."""

from __future__ import annotations

import json
import threading

from fastapi.testclient import TestClient

from service.api.jobs import FINISHED_JOB, job_status
from service.models.base import GenerationRequest
from service.models.fake import FakeBackend, _echo

from .conftest import NOT_ITALIAN, italian, wait_for


def finished(client: TestClient, job_id: str) -> dict:
    return wait_for(lambda: (body := client.get(f"/v1/jobs/{job_id}").json())["status"] in FINISHED_JOB and body)


def test_job_runs_every_article_once(client: TestClient, fake: FakeBackend) -> None:
    articles = [{"id": f"art-{i}", "article": italian(i)} for i in range(4)] + [{"id": "english", "article": NOT_ITALIAN}]
    response = client.post("/v1/jobs", json={"articles": articles, "options": {"write": ["headline"]}})
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["total"] == 5 and job["status"] in ("queued", "running") and response.headers["Location"] == f"/v1/jobs/{job['id']}"
    body = finished(client, job["id"])
    assert body["counts"] == {"pending": 0, "running": 0, "done": 4, "failed": 1, "cancelled": 0}
    assert body["status"] == "done_with_errors"  # not a plain `done` when an article failed
    by_id = {r["id"]: r for r in body["results"]}
    assert by_id["english"]["status"] == "failed" and by_id["english"]["error"]["code"] == "not_italian"
    assert by_id["art-2"]["result"]["translation"] == italian(2)  # the fake echoes
    assert by_id["art-2"]["result"]["headline"] and by_id["art-2"]["result"]["summary"] is None

    lines = client.get(f"/v1/jobs/{job['id']}/results")
    assert lines.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in lines.text.splitlines()]
    assert [r["id"] for r in rows] == ["art-0", "art-1", "art-2", "art-3", "english"]
    assert client.get(f"/v1/jobs/{job['id']}", params={"results": False}).json()["results"] is None


def test_idempotency_key(client: TestClient) -> None:
    body = {"articles": [{"article": italian(1)}]}
    first = client.post("/v1/jobs", json=body, headers={"Idempotency-Key": "k-1"})
    again = client.post("/v1/jobs", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 202 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    other = client.post("/v1/jobs", json={"articles": [{"article": italian(2)}]}, headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_conflict"
    fresh = client.post("/v1/jobs", json=body)
    assert fresh.json()["id"] != first.json()["id"]


def test_cancel_stops_the_running_article_and_the_rest(client: TestClient, fake: FakeBackend) -> None:
    gate = threading.Event()

    def held(request: GenerationRequest) -> str:
        gate.wait(20)
        return _echo(request)

    fake.responder = held
    queue = client.app.state.queue  # type: ignore[attr-defined]
    article = "\n\n".join([italian(0), italian(1)])  # two paragraphs: a report between them
    job = client.post("/v1/jobs", json={"articles": [{"article": article}] + [{"article": italian(i)} for i in range(3)]}).json()
    wait_for(lambda: queue.busy)
    cancelled = client.delete(f"/v1/jobs/{job['id']}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelling"
    gate.set()
    body = finished(client, job["id"])
    assert body["status"] == "cancelled"
    assert body["counts"]["cancelled"] == 4 and body["counts"]["done"] == 0


def test_job_with_no_failures_is_done(client: TestClient) -> None:
    job = client.post("/v1/jobs", json={"articles": [{"article": italian(1)}], "options": {"write": []}}).json()
    assert finished(client, job["id"])["status"] == "done"


def test_job_where_most_articles_failed_says_so(client: TestClient) -> None:
    articles = [{"article": italian(1)}, {"article": NOT_ITALIAN}, {"article": NOT_ITALIAN}]
    job = client.post("/v1/jobs", json={"articles": articles, "options": {"write": []}}).json()
    body = finished(client, job["id"])
    assert body["status"] == "done_with_errors" and body["counts"]["failed"] == 2 and body["counts"]["done"] == 1
    assert [r["error"]["code"] for r in body["results"] if r["status"] == "failed"] == ["not_italian", "not_italian"]


def test_a_finished_job_cannot_be_cancelled(client: TestClient) -> None:
    job = client.post("/v1/jobs", json={"articles": [{"article": italian(1)}], "options": {"write": []}}).json()
    assert finished(client, job["id"])["status"] == "done"
    refused = client.delete(f"/v1/jobs/{job['id']}")
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "job_finished" and "results" in refused.json()["error"]["hint"]
    after = client.get(f"/v1/jobs/{job['id']}").json()
    assert after["status"] == "done" and after["counts"]["done"] == 1 and after["counts"]["cancelled"] == 0


def test_cancelling_a_cancelled_job_again_changes_nothing(client: TestClient, fake: FakeBackend) -> None:
    gate = threading.Event()
    fake.responder = lambda request: (gate.wait(20), _echo(request))[1]
    queue = client.app.state.queue  # type: ignore[attr-defined]
    job = client.post("/v1/jobs", json={"articles": [{"article": italian(i)} for i in range(2)]}).json()
    wait_for(lambda: queue.busy)
    assert client.delete(f"/v1/jobs/{job['id']}").status_code == 200
    gate.set()
    assert finished(client, job["id"])["status"] == "cancelled"
    again = client.delete(f"/v1/jobs/{job['id']}")
    assert again.status_code == 200 and again.json()["status"] == "cancelled"


def test_job_status_follows_the_counts() -> None:
    def counts(**n: int) -> dict[str, int]:
        return {"pending": 0, "running": 0, "done": 0, "failed": 0, "cancelled": 0, **n}

    assert job_status(counts(pending=2), 2, False) == "queued"
    assert job_status(counts(pending=1, running=1), 2, False) == "running"
    assert job_status(counts(done=1, pending=1), 2, False) == "running"
    assert job_status(counts(done=2), 2, False) == "done"
    assert job_status(counts(done=1, failed=1), 2, False) == "done_with_errors"
    assert job_status(counts(running=1, cancelled=1), 2, True) == "cancelling"
    assert job_status(counts(done=1, cancelled=1), 2, True) == "cancelled"
    assert job_status(counts(done=2), 2, True) == "done"  # cancel came as the last article finished: it is done
