"""Fault injection: a failing job store, a model backend that raises or is slow, limits that hold where work runs.

Each case must end in a clear error or a retry, with the worker alive, `/readyz` truthful and nothing lost.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from service.api.errors import StorageError
from service.api.jobs_sqlite import SQLiteJobStore
from service.models.base import GenerationRequest
from service.models.fake import FakeBackend, _echo
from service.models.registry import get_backend
from service.settings import Settings

from .conftest import ARTICLE, italian, make_client, wait_for, wait_ready
from .server import Server


class FlakyConnection:
    """A sqlite3 connection whose `fail_on`-th statement matching `match` raises, as a full disk does."""

    def __init__(self, db: sqlite3.Connection, match: str, fail_on: int, times: int = 1) -> None:
        self.db, self.match, self.fail_on, self.times, self.seen = db, match, fail_on, times, 0

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith(self.match):
            self.seen += 1
            if self.fail_on <= self.seen < self.fail_on + self.times:
                raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def big_article(i: int) -> str:
    return "\n\n".join(italian(i * 10 + k) for k in range(8))  # ~1.4 kB: its result needs new database pages


def job_done(client: TestClient, job_id: str, timeout: float = 15.0) -> dict[str, Any]:
    return wait_for(lambda: (b := client.get(f"/v1/jobs/{job_id}").json()).get("status") in ("done", "done_with_errors", "cancelled") and b, timeout)


# --- the job store ------------------------------------------------------------------------------------
def test_a_failed_commit_is_rolled_back_and_the_store_works_on(tmp_path: Path) -> None:
    store = SQLiteJobStore(tmp_path / "jobs.sqlite3")
    store.create_job([{"article": "a"}, {"article": "b"}], {})
    store._db = FlakyConnection(store._db, "COMMIT", fail_on=1)  # type: ignore[assignment]
    with pytest.raises(StorageError, match="disk is full"):
        store.claim_next()
    assert not store._db.in_transaction
    item = store.claim_next()  # a fresh transaction: no "cannot start a transaction within a transaction"
    assert item is not None and item.seq == 0
    assert store.finish(item, "done", result={"ok": True})
    store.close()


# How a database fails and is repaired: a full disk (the file may not grow) or a file gone read-only.
BREAKAGES = {
    "full disk": (lambda db: db.execute(f"PRAGMA max_page_count={db.execute('PRAGMA page_count').fetchone()[0]}"),
                  lambda db: db.execute("PRAGMA max_page_count=1073741823")),
    "read-only file": (lambda db: db.execute("PRAGMA query_only=ON"), lambda db: db.execute("PRAGMA query_only=OFF")),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_failing_database_keeps_the_worker_alive_and_loses_nothing(client: TestClient, fake: FakeBackend, breakage: str) -> None:
    store, queue = client.app.state.store, client.app.state.queue  # type: ignore[attr-defined]
    hold = threading.Event()
    seen: list[str] = []

    def held(request: GenerationRequest) -> str:
        hold.wait(20)
        text = _echo(request)
        seen.append(text)
        return text

    fake.responder = held
    job = client.post("/v1/jobs", json={"articles": [{"article": big_article(i)} for i in range(2)],
                                        "options": {"write": []}}).json()
    wait_for(lambda: queue.busy)  # article 0 runs
    breaks, repairs = BREAKAGES[breakage]
    with store._lock:  # SQLITE_FULL or SQLITE_READONLY on the next write
        breaks(store._db)
    hold.set()
    ready = wait_for(lambda: (r := client.get("/readyz")).status_code == 503 and r)
    assert ready.json()["status"] == "degraded" and ready.json()["error"]["code"] == "storage_unavailable"
    assert queue.alive
    refused = client.post("/v1/jobs", json={"articles": [{"article": big_article(5)}]})
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "storage_unavailable"  # not a 500
    assert client.post("/v1/briefs", json={"article": ARTICLE, "options": {"write": []}}).status_code == 200  # still served

    with store._lock:  # the disk has room again / the file is writable again
        repairs(store._db)
    body = job_done(client, job["id"])
    assert body["counts"]["done"] == 2
    assert [r["result"]["translation"] for r in body["results"]] == [big_article(0), big_article(1)]
    wait_for(lambda: client.get("/readyz").status_code == 200)
    runs = [text for text in seen if "numero 0 " in text]
    assert len(runs) == 1, "the article whose result could not be written must not run again"
    assert "brief_storage_errors_total" in client.get("/metrics").text


def test_a_store_that_fails_to_claim_is_retried(client: TestClient, fake: FakeBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    store, queue = client.app.state.store, client.app.state.queue  # type: ignore[attr-defined]
    real_claim, failures = store.claim_next, []

    def claim_next():  # type: ignore[no-untyped-def]
        if len(failures) < 2:
            failures.append(1)
            raise sqlite3.OperationalError("database is locked")  # not even a StorageError: any exception
        return real_claim()

    monkeypatch.setattr(store, "claim_next", claim_next)
    job = client.post("/v1/jobs", json={"articles": [{"article": italian(1)}], "options": {"write": []}}).json()
    assert job_done(client, job["id"])["counts"]["done"] == 1
    assert len(failures) == 2 and queue.alive
    assert client.get("/readyz").status_code == 200


# --- the model backend --------------------------------------------------------------------------------
def test_a_backend_that_raises_fails_one_article_not_the_worker(client: TestClient, fake: FakeBackend) -> None:
    def responder(request: GenerationRequest) -> str:
        if "numero 1 " in _echo(request):
            raise RuntimeError("CUDA error: an illegal memory access")
        return _echo(request)

    fake.responder = responder
    job = client.post("/v1/jobs", json={"articles": [{"article": italian(i)} for i in range(3)], "options": {"write": []}}).json()
    body = job_done(client, job["id"])
    assert [r["status"] for r in body["results"]] == ["done", "failed", "done"]
    assert body["results"][1]["error"]["code"] == "internal_error" and "CUDA" not in str(body["results"][1]["error"])
    assert client.post("/v1/briefs", json={"article": ARTICLE, "options": {"write": []}}).status_code == 200
    assert client.get("/readyz").status_code == 200


def slow_settings(settings: Settings, **update: Any) -> Settings:
    return settings.model_copy(update=update)


def slow_fake(settings: Settings, token_seconds: float = 0.05) -> FakeBackend:
    fake = get_backend("fake", settings)
    assert isinstance(fake, FakeBackend)
    fake.token_seconds = token_seconds  # one paragraph of ~40 words: ~2 s of "generation"
    return fake


def test_a_timeout_stops_the_generation_in_progress(settings: Settings) -> None:
    with make_client(slow_settings(settings, request_timeout_s=0.4)) as client:
        wait_ready(client)
        slow_fake(settings)
        queue = client.app.state.queue  # type: ignore[attr-defined]
        response = client.post("/v1/briefs", json={"article": ARTICLE})
        assert response.status_code == 504
        timed_out = time.monotonic()
        wait_for(lambda: not queue.busy, timeout=5)
        assert time.monotonic() - timed_out < 1.0, "the worker must stop within a token, not finish the paragraph"


def test_a_cancel_stops_the_generation_in_progress(client: TestClient, settings: Settings) -> None:
    slow_fake(settings)
    queue = client.app.state.queue  # type: ignore[attr-defined]
    job = client.post("/v1/jobs", json={"articles": [{"article": ARTICLE}], "options": {"write": []}}).json()
    wait_for(lambda: queue.busy)
    started = time.monotonic()
    assert client.delete(f"/v1/jobs/{job['id']}").status_code == 200
    body = job_done(client, job["id"], timeout=5)
    assert body["status"] == "cancelled" and time.monotonic() - started < 1.0


def test_a_job_article_has_a_deadline(settings: Settings) -> None:
    with make_client(slow_settings(settings, job_article_timeout_s=0.3)) as client:
        wait_ready(client)
        slow_fake(settings)
        job = client.post("/v1/jobs", json={"articles": [{"article": ARTICLE}], "options": {"write": []}}).json()
        started = time.monotonic()
        body = job_done(client, job["id"], timeout=5)
        assert body["results"][0]["status"] == "failed"
        assert body["results"][0]["error"]["code"] == "request_timeout"
        assert "BRIEF_JOB_ARTICLE_TIMEOUT_S" in body["results"][0]["error"]["hint"]
        assert time.monotonic() - started < 1.5


# --- limits count everything that is translated ---------------------------------------------------------
def test_the_title_counts_toward_the_article_limit(client: TestClient, settings: Settings) -> None:
    title = "Titolo " * (settings.max_article_chars // 7 + 1)
    response = client.post("/v1/briefs", json={"article": ARTICLE, "title": title})
    assert response.status_code == 413 and response.json()["error"]["code"] == "input_too_large"
    job = client.post("/v1/jobs", json={"articles": [{"article": ARTICLE, "title": title}]}).json()
    assert job_done(client, job["id"])["results"][0]["error"]["code"] == "input_too_large"


def test_captions_count_toward_the_article_limit(client: TestClient, settings: Settings) -> None:
    caption = "<figure><figcaption>" + "Una foto della piazza. " * 30 + "</figcaption></figure>"
    html = f"<html><body><p>{ARTICLE}</p>{caption * 4}</body></html>"  # ~2.9k characters of captions, limit 2k
    response = client.post("/v1/briefs", json={"article": html, "format": "html"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "input_too_large"


# --- a client that goes away ----------------------------------------------------------------------------
def test_a_dropped_request_stops_its_run(tmp_path: Path) -> None:
    calls = tmp_path / "calls.txt"
    server = Server.fake(tmp_path, tmp_path / "jobs.sqlite3", delay=0.2, calls=calls)
    try:
        server.wait_ready()
        article = "\n\n".join(italian(i) for i in range(10))  # 10 paragraphs + headline + summary: 12 calls, ~2.4 s
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{server.url}/v1/briefs", json={"article": article}, timeout=0.5)
        time.sleep(3.0)  # the whole run would be over by now
        made = len(calls.read_text(encoding="utf-8").splitlines())
        assert made <= 5, f"{made} model calls for a request dropped after 0.5 s"
        assert httpx.get(f"{server.url}/readyz").status_code == 200
    finally:
        server.stop()
