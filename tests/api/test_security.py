"""Secure defaults and the medium/low findings of the hardening review (issue #12), one test each."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.api import create_app
from service.api.auth import ApiKeyMiddleware
from service.api.jobs import PendingLimitExceeded
from service.api.jobs_sqlite import SQLiteJobStore
from service.api.routes.page import STATIC_DIR
from service.cli.serve import refuse_open_bind
from service.errors import ConfigError
from service.settings import Settings, get_settings

from .conftest import ARTICLE, italian, make_client, wait_for, wait_ready

KEY_A, KEY_B = "a" * 20, "b" * 20


def finished(client: TestClient, job_id: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return wait_for(lambda: (b := client.get(f"/v1/jobs/{job_id}", headers=headers).json()).get("status")
                    in ("done", "done_with_errors", "cancelled") and b)


# --- API keys -------------------------------------------------------------------------------------------
def test_the_key_is_checked_before_the_body_is_read() -> None:
    reads: list[str] = []
    reached: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["path"])

    async def receive() -> dict[str, Any]:
        reads.append("body")
        return {"type": "http.request", "body": b"x" * 8_000_000, "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    guard = ApiKeyMiddleware(app, keys=[KEY_A])  # type: ignore[arg-type]
    scope = {"type": "http", "method": "POST", "path": "/v1/briefs", "headers": [(b"content-type", b"application/json")],
             "server": ("127.0.0.1", 8000)}
    asyncio.run(guard(scope, receive, send))
    assert sent[0]["status"] == 401 and not reads and not reached


def test_unauthenticated_oversized_and_wrong_type_bodies_get_401(settings: Settings) -> None:
    with make_client(settings.model_copy(update={"api_keys": [KEY_A]})) as client:
        big = client.post("/v1/briefs", content=b"{" + b" " * 200_000 + b"}", headers={"content-type": "application/json"})
        assert big.status_code == 401  # not 413: nothing was read
        assert client.post("/v1/briefs", content=b"x", headers={"content-type": "text/plain"}).status_code == 401


def test_keys_as_a_comma_list_a_json_list_or_one_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, expected in [(KEY_A, [KEY_A]), (f"{KEY_A}, {KEY_B}", [KEY_A, KEY_B]), (json.dumps([KEY_A, KEY_B]), [KEY_A, KEY_B])]:
        monkeypatch.setenv("BRIEF_API_KEYS", value)
        keys = Settings(_env_file=None).api_keys
        assert [k.get_secret_value() for k in keys] == expected


def test_keys_never_appear_in_reprs_or_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    assert KEY_A not in repr(Settings(api_keys=[KEY_A], _env_file=None))
    monkeypatch.setenv("BRIEF_API_KEYS", f"{KEY_A},tooshort-secret")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError) as refused:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert "#2 is shorter than 16" in refused.value.message and "BRIEF_API_KEYS" in refused.value.message
    assert "tooshort-secret" not in str(refused.value.message + refused.value.hint) and KEY_A not in refused.value.message


def test_jobs_belong_to_the_key_that_made_them(settings: Settings) -> None:
    a, b = {"X-API-Key": KEY_A}, {"Authorization": f"Bearer {KEY_B}"}
    with make_client(settings.model_copy(update={"api_keys": [KEY_A, KEY_B]})) as client:
        wait_ready(client)
        body = {"articles": [{"article": italian(1)}], "options": {"write": []}}
        job = client.post("/v1/jobs", json=body, headers={**a, "Idempotency-Key": "batch-1"}).json()
        finished(client, job["id"], a)
        for method, path in [("GET", ""), ("GET", "/results"), ("DELETE", "")]:
            assert client.request(method, f"/v1/jobs/{job['id']}{path}", headers=b).status_code == 404
        other = client.post("/v1/jobs", json=body, headers={**b, "Idempotency-Key": "batch-1"})
        assert other.status_code == 202 and other.json()["id"] != job["id"]  # B's key space is B's own
        conflict = client.post("/v1/jobs", json={"articles": [{"article": italian(2)}]}, headers={**a, "Idempotency-Key": "batch-1"})
        assert conflict.status_code == 409 and job["id"] not in conflict.text  # no other job's id revealed


# --- secure bind ---------------------------------------------------------------------------------------
def test_serve_refuses_an_open_address_without_keys(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="without API keys"):
        refuse_open_bind(settings.model_copy(update={"host": "0.0.0.0"}))
    refuse_open_bind(settings.model_copy(update={"host": "0.0.0.0", "api_keys": [KEY_A]}))
    refuse_open_bind(settings.model_copy(update={"host": "0.0.0.0", "allow_open": True}))
    for loopback in ("127.0.0.1", "localhost", "::1"):
        refuse_open_bind(settings.model_copy(update={"host": loopback}))


def test_a_keyless_server_answers_only_over_loopback(settings: Settings) -> None:
    with TestClient(create_app(settings), base_url="http://10.0.0.5") as client:  # reached over a LAN address
        wait_ready(client)
        refused = client.get("/v1/models")
        assert refused.status_code == 403 and "BRIEF_API_KEYS" in refused.json()["error"]["hint"]
        assert client.get("/").status_code == 403
        assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200  # probes stay open
    with TestClient(create_app(settings.model_copy(update={"allow_open": True})), base_url="http://10.0.0.5") as client:
        assert client.get("/v1/models").status_code == 200


def test_the_docker_image_keeps_the_secure_default() -> None:
    dockerfile = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()
    assert "ENV BRIEF_ALLOW_OPEN" not in dockerfile and "BRIEF_API_KEYS" in dockerfile  # documented, not defaulted open


# --- bounded responses and metrics -----------------------------------------------------------------------
def test_job_status_pages_its_results(client: TestClient) -> None:
    job = client.post("/v1/jobs", json={"articles": [{"article": italian(i)} for i in range(5)], "options": {"write": []}}).json()
    finished(client, job["id"])
    first = client.get(f"/v1/jobs/{job['id']}", params={"limit": 2}).json()
    assert [r["index"] for r in first["results"]] == [0, 1] and first["next_offset"] == 2
    last = client.get(f"/v1/jobs/{job['id']}", params={"offset": 4, "limit": 2}).json()
    assert [r["index"] for r in last["results"]] == [4] and last["next_offset"] is None
    assert client.get(f"/v1/jobs/{job['id']}").json()["next_offset"] is None  # default page: 100
    assert client.get(f"/v1/jobs/{job['id']}", params={"limit": 100_000}).status_code == 422
    assert len(client.get(f"/v1/jobs/{job['id']}/results").text.splitlines()) == 5


def test_made_up_methods_do_not_grow_metrics(client: TestClient) -> None:
    for i in range(20):
        client.request(f"FOO{i}", "/v1/briefs")
    text = client.get("/metrics").text
    assert "FOO" not in text and 'method="other"' in text
    assert "brief_job_store_bytes" in text


# --- input edge cases -----------------------------------------------------------------------------------
def test_bad_utf8_is_422_not_utf8(client: TestClient) -> None:
    response = client.post("/v1/briefs", content=b'{"article": "caf\xe8"}', headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "not_utf8"


def test_put_on_v1_is_405(client: TestClient) -> None:
    assert client.put("/v1/briefs", json={"article": ARTICLE}).status_code == 405
    assert client.put("/v1/briefs", content=b"x", headers={"content-type": "text/plain"}).status_code == 405


@pytest.mark.parametrize("value", [0, 1, "false", "yes"])
def test_language_check_must_be_a_boolean(client: TestClient, value: Any) -> None:
    response = client.post("/v1/briefs", json={"article": ARTICLE, "options": {"language_check": value}})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"


def test_the_page_has_a_content_security_policy_and_forgets_the_key(client: TestClient) -> None:
    page = client.get("/")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "localStorage" not in (STATIC_DIR / "app.js").read_text()


# --- the job store ---------------------------------------------------------------------------------------
def test_a_job_cancelled_mid_article_does_not_run_again_after_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite3"
    first = SQLiteJobStore(db)
    job_id, _ = first.create_job([{"article": "a"}, {"article": "b"}], {})
    assert first.claim_next() is not None
    first.cancel(job_id)
    first.close()  # the process dies with article 0 running
    second = SQLiteJobStore(db)
    second.recover()
    assert second.claim_next() is None
    assert [r["status"] for r in second.results(job_id)] == ["cancelled", "cancelled"]
    second.close()


def test_the_pending_limit_is_checked_in_the_insert_transaction(tmp_path: Path) -> None:
    store = SQLiteJobStore(tmp_path / "jobs.sqlite3")

    def submit(i: int) -> bool:
        try:
            store.create_job([{"article": f"a{i}"}], {}, max_pending=5)
            return True
        except PendingLimitExceeded:
            return False

    with ThreadPoolExecutor(8) as pool:
        accepted = sum(pool.map(submit, range(20)))
    assert accepted == 5 and store.pending_count() == 5
    store.close()


def test_a_corrupt_database_file_does_not_stop_the_server(settings: Settings) -> None:
    settings.database_path.write_bytes(b"this is not a database" * 100)
    before = settings.database_path.read_bytes()
    with make_client(settings) as client:
        assert client.get("/healthz").status_code == 200
        ready = wait_for(lambda: (r := client.get("/readyz")).json()["status"] not in ("loading",) and r)
        assert ready.status_code == 503 and ready.json()["error"]["code"] == "storage_unavailable"
        assert client.post("/v1/briefs", json={"article": ARTICLE, "options": {"write": []}}).status_code == 200
        jobs = client.post("/v1/jobs", json={"articles": [{"article": ARTICLE}]})
        assert jobs.status_code == 503 and jobs.json()["error"]["code"] == "storage_unavailable"
    assert settings.database_path.read_bytes() == before  # left for the operator: nothing overwritten


# --- retention --------------------------------------------------------------------------------------------
def test_purge_really_deletes_finished_jobs(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite3"
    store = SQLiteJobStore(db)
    marker = "SEGRETO-DI-REDAZIONE-4711"
    old, _ = store.create_job([{"article": f"{marker} uno"}], {}, idempotency_key="k1", request_fingerprint="f")
    item = store.claim_next()
    assert item is not None and store.finish(item, "done", result={"translation": marker})
    running, _ = store.create_job([{"article": "ancora in coda"}], {})
    assert store.purge(time.time() - 3600) == 0  # finished just now: kept
    assert store.purge(time.time() + 1) == 1  # only the finished job goes; the pending one stays
    assert store.job(old) is None and store.job(running) is not None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM items WHERE job_id=?", (old,)).fetchone()[0] == 0
    store.close()
    leftovers = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert marker.encode() not in leftovers  # secure_delete + checkpoint: the text is gone from the files


def test_retention_purges_on_its_own(settings: Settings) -> None:
    with make_client(settings.model_copy(update={"job_retention": timedelta(seconds=1)})) as client:
        wait_ready(client)
        job = client.post("/v1/jobs", json={"articles": [{"article": italian(1)}], "options": {"write": []}}).json()
        finished(client, job["id"])
        wait_for(lambda: client.get(f"/v1/jobs/{job['id']}").status_code == 404, timeout=30)
        assert "brief_jobs_purged_total 1.0" in client.get("/metrics").text


def test_retention_setting_forms() -> None:
    assert Settings(_env_file=None).job_retention.days == 7
    assert Settings(job_retention="12h", _env_file=None).job_retention.total_seconds() == 12 * 3600
    assert Settings(job_retention="P2D", _env_file=None).job_retention.days == 2
    assert Settings(job_retention=90, _env_file=None).job_retention.total_seconds() == 90
    with pytest.raises(ValueError):
        Settings(job_retention="0s", _env_file=None)
