"""The job store: jobs and their articles in a database, so a crash or restart resumes unfinished work.

One interface, two databases: `SQLiteJobStore` (jobs_sqlite.py, the embedded default for one machine)
and `PostgresJobStore` (jobs_postgres.py, for replicas that share jobs). `stores.open_job_store(settings)`
picks one from `BRIEF_DATABASE_URL` (or `BRIEF_DATABASE_PATH` for SQLite).

Item states: pending → running → done | failed | cancelled. A result is written in the same
transaction that marks its item done, so a finished article is never run again. Each store instance
is a *worker* with its own id; a claimed item records its worker, and only that worker can finish
it. `recover()` puts items whose worker is dead (its process exited or was killed) back to
`pending` — or to `failed` once they have been tried `max_attempts` times, so one article that
kills the process cannot loop. Liveness is a lock the kernel or the database drops when the process
dies (a file lock for SQLite, a session advisory lock for PostgreSQL), so no timeouts are guessed.

Every query is written once here, in `%s` parameter style and SQL both databases accept; a subclass
supplies the connection (`_tx`, `_read`), the liveness check and the few dialect words.

Failures: a subclass's `_tx` rolls back on any failure (a failed COMMIT included), and both `_tx`
and `_read` turn the database's own errors into `StorageError` (HTTP 503 `storage_unavailable`)
with `storage_errors()`, so callers handle one exception whatever the database. The model worker
retries a failed store with backoff (queue.py).
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .errors import StorageError

if TYPE_CHECKING:
    pass

TERMINAL = ("done", "failed", "cancelled")
STATES = ("pending", "running", *TERMINAL)
FINISHED_JOB = ("done", "done_with_errors", "cancelled")  # job statuses that never change again

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY,
        created_at DOUBLE PRECISION NOT NULL,
        options TEXT NOT NULL,
        total INTEGER NOT NULL,
        cancelled INTEGER NOT NULL DEFAULT 0,
        owner TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS items (
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
        finished_at DOUBLE PRECISION,
        worker TEXT,
        PRIMARY KEY (job_id, seq)
    )""",
    "CREATE INDEX IF NOT EXISTS items_state ON items(state)",
    "CREATE INDEX IF NOT EXISTS items_finished ON items(finished_at)",
    """CREATE TABLE IF NOT EXISTS idempotency (
        key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        job_id TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL
    )""",
]


#: columns added after the first release: (table, column, definition), added on open when missing
ADDED_COLUMNS = [("items", "worker", "TEXT"), ("jobs", "owner", "TEXT NOT NULL DEFAULT ''")]


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


@contextmanager
def storage_errors(location: str, *database_errors: type[BaseException]) -> Iterator[None]:
    """Raise the database's own errors as `StorageError` (the message names no password, only `location`)."""
    try:
        yield
    except database_errors as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise StorageError(f"the job database failed: {first}",
                           f"check the disk and the database at {location}; the worker retries on its own") from error


class IdempotencyMismatch(Exception):
    """The key was used before for a different request body."""


class PendingLimitExceeded(Exception):
    """Accepting the job would put more than the allowed number of articles in the queue; args[0] = pending now."""


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def job_status(counts: dict[str, int], total: int, cancel_requested: bool) -> str:
    """A job's status from its items' counts: the counts decide, so status and counts never disagree.

    queued → running → done | done_with_errors (some articles failed) | cancelled (some were cancelled);
    `cancelling` while a cancelled job still has an article running.
    """
    finished = sum(counts[state] for state in TERMINAL)
    if finished < total:
        if cancel_requested:
            return "cancelling"
        return "running" if counts["running"] or finished else "queued"
    if counts["cancelled"]:
        return "cancelled"
    return "done_with_errors" if counts["failed"] else "done"


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """What a transaction hands the shared queries: `%s` placeholders; rows are read by column name."""

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> Any: ...


_CRASHED = {"code": "worker_crashed", "message": "the server stopped while processing this article too many times",
            "hint": "check the article, or the server logs for a crash"}
_CANCELLED = {"code": "cancelled", "message": "the job was cancelled", "hint": ""}
_FINISHED = "('done','failed','cancelled')"


class JobStore(ABC):
    """Jobs, their articles and idempotency keys. Thread-safe; every public method is one transaction."""

    #: appended to the claim query: PostgreSQL's `FOR UPDATE ... SKIP LOCKED` lets replicas claim concurrently
    claim_lock = ""

    def __init__(self, max_attempts: int = 3) -> None:
        self.max_attempts = max_attempts
        self.worker_id = uuid.uuid4().hex

    # --- what a database supplies ----------------------------------------------------------------
    @abstractmethod
    def _tx(self) -> AbstractContextManager[Connection]:
        """A write transaction (committed on exit, rolled back on an exception)."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[Connection]:
        """A connection for reads."""

    @abstractmethod
    def _alive(self, worker: str) -> bool:
        """Whether another store instance (another process) with this worker id still runs."""

    @abstractmethod
    def close(self) -> None: ...

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the jobs live, for logs (no password)."""

    # --- the shared queries ------------------------------------------------------------------------
    def recover(self) -> int:
        """Items left running by dead workers: back to pending (or failed after max attempts). Returns how many went back."""
        with self._read() as db:
            workers = [row["worker"] for row in db.execute("SELECT DISTINCT worker FROM items WHERE state='running'").fetchall()]
        dead = [w or "" for w in workers if w != self.worker_id and not (w and self._alive(w))]
        requeued = 0
        for worker in dead:
            with self._tx() as db:
                db.execute("UPDATE items SET state='cancelled', error=%s, finished_at=%s WHERE state='running' "
                           "AND COALESCE(worker, '')=%s AND job_id IN (SELECT id FROM jobs WHERE cancelled=1)",
                           (json.dumps(_CANCELLED), time.time(), worker))  # a cancelled job never runs again
                db.execute("UPDATE items SET state='failed', error=%s, finished_at=%s "
                           "WHERE state='running' AND COALESCE(worker, '')=%s AND attempts>=%s",
                           (json.dumps(_CRASHED), time.time(), worker, self.max_attempts))
                requeued += db.execute("UPDATE items SET state='pending', worker=NULL WHERE state='running' AND COALESCE(worker, '')=%s",
                                       (worker,)).rowcount
        return requeued

    def create_job(self, articles: list[dict[str, Any]], options: dict[str, Any], idempotency_key: str | None = None,
                   request_fingerprint: str = "", owner: str = "", max_pending: int | None = None) -> tuple[str, bool]:
        """Store a job for `owner` (an API key's id); returns (job id, created). With a known key and the same body:
        the old job, created=False. Raises `PendingLimitExceeded` if more than `max_pending` articles would wait
        (checked in the same transaction as the insert, so concurrent submissions cannot overshoot it)."""
        scoped_key = f"{owner}:{idempotency_key}" if idempotency_key else None  # one client cannot see another's keys
        with self._tx() as db:
            if scoped_key:
                row = db.execute("SELECT fingerprint, job_id FROM idempotency WHERE key=%s", (scoped_key,)).fetchone()
                if row is not None:
                    if row["fingerprint"] != request_fingerprint:
                        raise IdempotencyMismatch()
                    return row["job_id"], False
            if max_pending is not None:
                pending = db.execute("SELECT COUNT(*) AS n FROM items WHERE state='pending'").fetchone()["n"]
                if pending + len(articles) > max_pending:
                    raise PendingLimitExceeded(pending)
            job_id = uuid.uuid4().hex
            now = time.time()
            db.execute("INSERT INTO jobs(id, created_at, options, total, owner) VALUES (%s,%s,%s,%s,%s)",
                       (job_id, now, json.dumps(options), len(articles), owner))
            db.executemany(
                "INSERT INTO items(job_id, seq, client_id, article, title, fmt) VALUES (%s,%s,%s,%s,%s,%s)",
                [(job_id, i, a.get("id"), a["article"], a.get("title"), a.get("format", "auto")) for i, a in enumerate(articles)],
            )
            if scoped_key:
                db.execute("INSERT INTO idempotency(key, fingerprint, job_id, created_at) VALUES (%s,%s,%s,%s)",
                           (scoped_key, request_fingerprint, job_id, now))
            return job_id, True

    def claim_next(self) -> Item | None:
        """The oldest pending article, now marked running by this worker (attempts + 1)."""
        with self._tx() as db:
            row = db.execute(
                "SELECT i.job_id, i.seq, i.client_id, i.article, i.title, i.fmt, i.attempts, j.options FROM items i "
                "JOIN jobs j ON j.id=i.job_id WHERE i.state='pending' AND j.cancelled=0 ORDER BY j.created_at, i.job_id, i.seq LIMIT 1"
                + self.claim_lock
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE items SET state='running', attempts=attempts+1, worker=%s WHERE job_id=%s AND seq=%s",
                       (self.worker_id, row["job_id"], row["seq"]))
            return Item(row["job_id"], row["seq"], row["client_id"], row["article"], row["title"], row["fmt"],
                        row["attempts"] + 1, json.loads(row["options"]))

    def finish(self, item: Item, state: str, result: dict[str, Any] | None = None, error: dict[str, Any] | None = None) -> bool:
        """Record an outcome for an item this worker runs (result and state in one transaction)."""
        assert state in TERMINAL
        with self._tx() as db:
            changed = db.execute(
                "UPDATE items SET state=%s, result=%s, error=%s, finished_at=%s "
                "WHERE job_id=%s AND seq=%s AND state='running' AND worker=%s",
                (state, json.dumps(result, ensure_ascii=False) if result is not None else None,
                 json.dumps(error, ensure_ascii=False) if error is not None else None, time.time(),
                 item.job_id, item.seq, self.worker_id),
            ).rowcount
            return changed == 1

    def cancel(self, job_id: str, owner: str | None = None) -> bool:
        """Cancel a job's pending items (the running one is stopped by the worker). False if unknown (or not `owner`'s).

        A job whose articles have all finished is left as it is (nothing to cancel)."""
        with self._tx() as db:
            scope, params = _scoped(owner)
            if db.execute("SELECT 1 FROM jobs WHERE id=%s" + scope, (job_id, *params)).fetchone() is None:
                return False
            db.execute("UPDATE jobs SET cancelled=1 WHERE id=%s AND EXISTS "
                       "(SELECT 1 FROM items WHERE job_id=%s AND state IN ('pending','running'))", (job_id, job_id))
            db.execute("UPDATE items SET state='cancelled', error=%s, finished_at=%s WHERE job_id=%s AND state='pending'",
                       (json.dumps(_CANCELLED), time.time(), job_id))
            return True

    def job(self, job_id: str, owner: str | None = None) -> dict[str, Any] | None:
        """A job's status and counts; None if unknown, or if `owner` is given and the job is someone else's."""
        scope, params = _scoped(owner)
        with self._read() as db:
            row = db.execute("SELECT id, created_at, options, total, cancelled FROM jobs WHERE id=%s" + scope,
                             (job_id, *params)).fetchone()
            if row is None:
                return None
            counts = dict.fromkeys(STATES, 0)
            for each in db.execute("SELECT state, COUNT(*) AS n FROM items WHERE job_id=%s GROUP BY state", (job_id,)).fetchall():
                counts[each["state"]] = each["n"]
        status = job_status(counts, row["total"], bool(row["cancelled"]))
        return {"id": row["id"], "status": status, "created_at": row["created_at"], "total": row["total"],
                "counts": counts, "options": json.loads(row["options"])}

    def results(self, job_id: str, finished_only: bool = True, offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        """A job's articles in submission order (finished ones only, by default), `limit` of them from `offset`."""
        where = f" AND state IN {_FINISHED}" if finished_only else ""
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        with self._read() as db:
            rows = db.execute(
                f"SELECT seq, client_id, state, result, error, attempts FROM items WHERE job_id=%s{where} ORDER BY seq{page}", (job_id,)
            ).fetchall()
        return [{"index": row["seq"], "id": row["client_id"], "status": row["state"],
                 "result": json.loads(row["result"]) if row["result"] else None,
                 "error": json.loads(row["error"]) if row["error"] else None} for row in rows]

    def iter_results(self, job_id: str, page: int = 100) -> Iterator[dict[str, Any]]:
        """Every finished article of a job, read `page` at a time (a big job is never all in memory)."""
        offset = 0
        while rows := self.results(job_id, offset=offset, limit=page):
            yield from rows
            offset += len(rows)

    def purge(self, finished_before: float) -> int:
        """Delete jobs whose every article finished before `finished_before` (a time.time()): articles, results,
        idempotency keys and all. Returns how many jobs went."""
        with self._tx() as db:
            old = [row["id"] for row in db.execute(
                "SELECT j.id FROM jobs j WHERE j.created_at < %s AND NOT EXISTS (SELECT 1 FROM items i WHERE i.job_id=j.id "
                f"AND (i.state NOT IN {_FINISHED} OR i.finished_at IS NULL OR i.finished_at >= %s))",
                (finished_before, finished_before)).fetchall()]
            for job_id in old:
                db.execute("DELETE FROM idempotency WHERE job_id=%s", (job_id,))
                db.execute("DELETE FROM items WHERE job_id=%s", (job_id,))
                db.execute("DELETE FROM jobs WHERE id=%s", (job_id,))
        if old:
            self._after_purge()
        return len(old)

    def _after_purge(self) -> None:  # noqa: B027 - an optional hook: doing nothing is the right default
        """Give freed space back (a database may override this)."""

    def size_bytes(self) -> int | None:
        """How much space the database takes (None if unknown)."""
        return None

    def pending_count(self) -> int:
        with self._read() as db:
            return db.execute("SELECT COUNT(*) AS n FROM items WHERE state='pending'").fetchone()["n"]


class UnavailableStore(JobStore):
    """Stands in when the database cannot be opened (a corrupt or unreadable file): every call raises the
    same `StorageError`, so the server still serves requests, `/readyz` says `degraded`, and the file
    is left untouched for the operator to restore or move aside (no restart loop, nothing overwritten)."""

    def __init__(self, error: StorageError, location: str) -> None:
        super().__init__()
        self.error, self._location = error, location

    def _tx(self) -> AbstractContextManager[Connection]:
        raise self.error

    def _read(self) -> AbstractContextManager[Connection]:
        raise self.error

    def _alive(self, worker: str) -> bool:
        return False

    def close(self) -> None:
        pass

    @property
    def location(self) -> str:
        return self._location


def _scoped(owner: str | None) -> tuple[str, tuple[str, ...]]:
    """The condition that limits a jobs query to one owner (none when `owner` is None)."""
    return ("", ()) if owner is None else (" AND owner=%s", (owner,))
