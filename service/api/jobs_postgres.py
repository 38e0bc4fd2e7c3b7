"""The shared job store: PostgreSQL (psycopg 3), for replicas on many machines serving one job queue.

Same queries and guarantees as SQLite. Replicas claim articles with `FOR UPDATE ... SKIP LOCKED`,
so two never take the same one. Each store holds a session advisory lock keyed by its worker id
for as long as its connection lives; PostgreSQL drops it when the process dies (its connection
closes), which is how `recover()` tells a dead replica's articles from a live one's.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import ConfigError
from .jobs import ADDED_COLUMNS, SCHEMA, JobStore, storage_errors


def _lock_key(worker: str) -> int:
    """A signed 64-bit advisory lock key for a worker id."""
    return int.from_bytes(hashlib.sha256(f"italian-brief:{worker}".encode()).digest()[:8], "big", signed=True)


class _Connection:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
        return self._conn.execute(sql, params or None)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> Any:
        with self._conn.cursor() as cursor:
            cursor.executemany(sql, rows)
            return cursor


class PostgresJobStore(JobStore):
    """One connection per store (autocommit; explicit transactions), guarded by a lock like SQLite's."""

    claim_lock = " FOR UPDATE OF i SKIP LOCKED"

    def __init__(self, url: str, max_attempts: int = 3, connect_timeout: int = 10) -> None:
        super().__init__(max_attempts)
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise ConfigError("PostgreSQL needs psycopg", "pip install 'psycopg[binary]'") from exc
        self.url = url
        self._lock = threading.RLock()
        try:
            self._db = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=connect_timeout)
        except psycopg.OperationalError as exc:
            raise ConfigError(f"cannot connect to PostgreSQL at {self.location}: {str(exc).strip().splitlines()[0]}",
                              "check BRIEF_DATABASE_URL (postgresql://user:password@host:5432/db) and that the server runs") from None
        self._conn = _Connection(self._db)
        with self._lock:
            self._db.execute("SELECT pg_advisory_lock(%s)", (_lock_key(self.worker_id),))
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key("schema"),))  # replicas starting together
                for statement in SCHEMA:
                    self._db.execute(statement)
                for table, column, definition in ADDED_COLUMNS:  # a database written by an older version
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {definition}")

    @property
    def location(self) -> str:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(self.url)
        return f"postgresql://{info.get('user', '')}@{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"

    def close(self) -> None:
        with self._lock:
            self._db.close()  # ends the session: its advisory lock goes with it

    @contextmanager
    def _tx(self) -> Iterator[_Connection]:
        import psycopg

        with self._lock, storage_errors(self.location, psycopg.Error), self._db.transaction():  # rolled back on any failure
            yield self._conn

    @contextmanager
    def _read(self) -> Iterator[_Connection]:
        import psycopg

        with self._lock, storage_errors(self.location, psycopg.Error):
            yield self._conn

    def size_bytes(self) -> int | None:
        with self._read() as db:
            return int(db.execute("SELECT pg_database_size(current_database()) AS n").fetchone()["n"])

    def _alive(self, worker: str) -> bool:
        key = _lock_key(worker)
        with self._lock:
            row = self._db.execute("SELECT pg_try_advisory_lock(%s) AS got", (key,)).fetchone()
            assert row is not None  # a SELECT without FROM returns one row
            got = row["got"]
            if got:
                self._db.execute("SELECT pg_advisory_unlock(%s)", (key,))
        return not got
