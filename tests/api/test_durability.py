"""Jobs survive a crash: SIGKILL the server mid-job, restart it, and every article's result arrives exactly once.

Run on SQLite and on PostgreSQL (`database` fixture)."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import httpx

from .conftest import italian
from .server import Server
from .stores import Database

N = 8


def done_in_db(database: Database) -> set[int]:
    return {seq for seq, state in database.states().items() if state == "done"}


def articles_seen(calls: Path, pid: int) -> Counter[int]:
    seen: Counter[int] = Counter()
    for line in calls.read_text(encoding="utf-8").splitlines():
        who, text = line.split("\t", 1)
        if int(who) == pid and (match := re.search(r"numero (\d+)", text)):
            seen[int(match.group(1))] += 1
    return seen


def test_sigkill_mid_job_loses_nothing_and_repeats_nothing(tmp_path: Path, database: Database) -> None:
    db, calls = tmp_path / "jobs.sqlite3", tmp_path / "calls.txt"
    env = {"BRIEF_DATABASE_URL": database.url}
    first = Server.fake(tmp_path, db, delay=0.15, calls=calls, env=env)
    try:
        first.wait_ready()
        articles = [{"id": f"art-{i}", "article": italian(i)} for i in range(N)]
        response = httpx.post(f"{first.url}/v1/jobs", json={"articles": articles}, headers={"Idempotency-Key": "batch-1"})
        assert response.status_code == 202, response.text
        job_id = response.json()["id"]
        # three model calls per article (translate, headline, summary): wait for two articles, then crash
        deadline = time.monotonic() + 20
        while len(done_in_db(database)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.kill()
    finally:
        first.kill()
    done_before = done_in_db(database)
    assert 2 <= len(done_before) < N, "the crash must come mid-job"

    second = Server.fake(tmp_path, db, delay=0.0, calls=calls, port=first.port, env=env)
    try:
        second.wait_ready()
        again = httpx.post(f"{second.url}/v1/jobs", json={"articles": articles}, headers={"Idempotency-Key": "batch-1"})
        assert again.status_code == 200 and again.json()["id"] == job_id  # a client retry does not duplicate the job
        deadline = time.monotonic() + 30
        while (status := httpx.get(f"{second.url}/v1/jobs/{job_id}").json())["status"] != "done":
            assert time.monotonic() < deadline, status
            time.sleep(0.05)
        lines = httpx.get(f"{second.url}/v1/jobs/{job_id}/results").text.splitlines()
        restarted_pid = second.process.pid
    finally:
        second.stop()

    rows = [httpx.Response(200, content=line).json() for line in lines]
    assert sorted(r["id"] for r in rows) == sorted(a["id"] for a in articles)  # each exactly once
    assert all(r["status"] == "done" for r in rows)
    assert all(r["result"]["translation"] == italian(r["index"]) for r in rows)  # each the right article's
    redone = set(articles_seen(calls, restarted_pid)) & done_before
    assert not redone, f"articles finished before the crash ran again: {redone}"
    assert set(articles_seen(calls, restarted_pid)) == set(range(N)) - done_before
