"""Jobs and their articles in SQLite, so a crash or restart resumes unfinished work.

Item states: pending → running → done | failed | cancelled. A result is written in the same
transaction that marks its item done, so a finished article is never run again; on startup,
items left `running` (the process died mid-article) go back to `pending` — or to `failed` once
they have been tried `max_attempts` times, so one article that kills the process cannot loop.
One server process owns a database file (WAL mode; readers never block the worker).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TERMINAL = ("done", "failed", "cancelled")
STATES = ("pending", "running", *TERMINAL)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    options TEXT NOT NULL,
    total INTEGER NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS items (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    seq INTEGER NOT NULL,
    client_id TEXT,
    article TEXT NOT NULL,
    title TEXT,
    fmt TEXT NOT NULL DEFAULT 'auto',
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    finished_at REAL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX IF NOT EXISTS items_state ON items(state);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    job_id TEXT NOT NULL,
    created_at REAL NOT NULL
);
"""


@dataclass
class Item:
    job_id: str
    seq: int
    client_id: str | None
    article: str
    title: str | None
    fmt: str
    attempts: int
    options: dict[str, Any]


class IdempotencyMismatch(Exception):
    """The key was used before for a different request body."""


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class JobStore:
    """All SQL lives here. Thread-safe: one connection, one lock (SQLite calls take milliseconds)."""

    def __init__(self, path: Path, max_attempts: int = 3) -> None:
        self.path = path
        self.max_attempts = max_attempts
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def recover(self) -> int:
        """Items left running by a dead process: back to pending (or failed after max attempts)."""
        crashed = json.dumps({"code": "worker_crashed", "message": "the server stopped while processing this article "
                              "too many times", "hint": "check the article, or the server logs for a crash"})
        with self._tx() as db:
            db.execute("UPDATE items SET state='failed', error=?, finished_at=? WHERE state='running' AND attempts>=?",
                       (crashed, time.time(), self.max_attempts))
            return db.execute("UPDATE items SET state='pending' WHERE state='running'").rowcount

    def create_job(self, articles: list[dict[str, Any]], options: dict[str, Any], idempotency_key: str | None = None,
                   request_fingerprint: str = "") -> tuple[str, bool]:
        """Store a job; returns (job id, created). With a known key and the same body: the old job, created=False."""
        with self._tx() as db:
            if idempotency_key:
                row = db.execute("SELECT fingerprint, job_id FROM idempotency WHERE key=?", (idempotency_key,)).fetchone()
                if row is not None:
                    if row["fingerprint"] != request_fingerprint:
                        raise IdempotencyMismatch(row["job_id"])
                    return row["job_id"], False
            job_id = uuid.uuid4().hex
            now = time.time()
            db.execute("INSERT INTO jobs(id, created_at, options, total) VALUES (?,?,?,?)",
                       (job_id, now, json.dumps(options), len(articles)))
            db.executemany(
                "INSERT INTO items(job_id, seq, client_id, article, title, fmt) VALUES (?,?,?,?,?,?)",
                [(job_id, i, a.get("id"), a["article"], a.get("title"), a.get("format", "auto")) for i, a in enumerate(articles)],
            )
            if idempotency_key:
                db.execute("INSERT INTO idempotency(key, fingerprint, job_id, created_at) VALUES (?,?,?,?)",
                           (idempotency_key, request_fingerprint, job_id, now))
            return job_id, True

    def claim_next(self) -> Item | None:
        """The oldest pending article, now marked running (attempts + 1)."""
        with self._tx() as db:
            row = db.execute(
                "SELECT i.job_id, i.seq, i.client_id, i.article, i.title, i.fmt, i.attempts, j.options FROM items i "
                "JOIN jobs j ON j.id=i.job_id WHERE i.state='pending' ORDER BY j.created_at, i.job_id, i.seq LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE items SET state='running', attempts=attempts+1 WHERE job_id=? AND seq=?", (row["job_id"], row["seq"]))
            return Item(row["job_id"], row["seq"], row["client_id"], row["article"], row["title"], row["fmt"],
                        row["attempts"] + 1, json.loads(row["options"]))

    def finish(self, item: Item, state: str, result: dict[str, Any] | None = None, error: dict[str, Any] | None = None) -> bool:
        """Record an outcome for a running item (result and state in one transaction)."""
        assert state in TERMINAL
        with self._tx() as db:
            changed = db.execute(
                "UPDATE items SET state=?, result=?, error=?, finished_at=? WHERE job_id=? AND seq=? AND state='running'",
                (state, json.dumps(result, ensure_ascii=False) if result is not None else None,
                 json.dumps(error, ensure_ascii=False) if error is not None else None, time.time(), item.job_id, item.seq),
            ).rowcount
            return changed == 1

    def cancel(self, job_id: str) -> bool:
        """Cancel a job's pending items (the running one is stopped by the worker). False if unknown."""
        cancelled = json.dumps({"code": "cancelled", "message": "the job was cancelled", "hint": ""})
        with self._tx() as db:
            if db.execute("UPDATE jobs SET cancelled=1 WHERE id=?", (job_id,)).rowcount == 0:
                return False
            db.execute("UPDATE items SET state='cancelled', error=?, finished_at=? WHERE job_id=? AND state='pending'",
                       (cancelled, time.time(), job_id))
            return True

    def job(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM jobs WHERE id=?", (job_id,)).fetchone()
            if row is None:
                return None
            counts = dict.fromkeys(STATES, 0)
            for state, n in self._db.execute("SELECT state, COUNT(*) FROM items WHERE job_id=? GROUP BY state", (job_id,)):
                counts[state] = n
        finished = sum(counts[s] for s in TERMINAL)
        if row["cancelled"]:
            status = "cancelled" if finished == row["total"] else "cancelling"
        elif finished == row["total"]:
            status = "done"
        elif counts["running"] or finished:
            status = "running"
        else:
            status = "queued"
        return {"id": row["id"], "status": status, "created_at": row["created_at"], "total": row["total"],
                "counts": counts, "options": json.loads(row["options"])}

    def results(self, job_id: str, finished_only: bool = True) -> Iterator[dict[str, Any]]:
        """Each article of a job once, in submission order (finished ones only, by default)."""
        where = " AND state IN ('done','failed','cancelled')" if finished_only else ""
        with self._lock:
            rows = self._db.execute(
                f"SELECT seq, client_id, state, result, error, attempts FROM items WHERE job_id=?{where} ORDER BY seq", (job_id,)
            ).fetchall()
        for row in rows:
            yield {"index": row["seq"], "id": row["client_id"], "status": row["state"],
                   "result": json.loads(row["result"]) if row["result"] else None,
                   "error": json.loads(row["error"]) if row["error"] else None}

    def pending_count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM items WHERE state='pending'").fetchone()[0]
