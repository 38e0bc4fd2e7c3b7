"""The embedded job store: one SQLite file (WAL mode, so readers never block the worker).

Processes on one machine may share the file: each store instance holds an exclusive `flock` on
`<db>.workers/<worker id>.lock` while it is open. The kernel drops that lock when the process dies
(even on SIGKILL), so `recover()` can tell a dead worker's items from a live one's.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .jobs import ADDED_COLUMNS, SCHEMA, JobStore, storage_errors


class _Connection:
    """sqlite3 with the shared queries' `%s` placeholders."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> sqlite3.Cursor:
        return self._db.execute(sql.replace("%s", "?"), params)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> sqlite3.Cursor:
        return self._db.executemany(sql.replace("%s", "?"), rows)


class SQLiteJobStore(JobStore):
    """One connection, one lock (SQLite calls take milliseconds)."""

    def __init__(self, path: Path, max_attempts: int = 3) -> None:
        super().__init__(max_attempts)
        self.path = path
        self._workers_dir: Path | None = None
        self._lock_file: int | None = None
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
            self._workers_dir = path.with_name(path.name + ".workers")
            self._workers_dir.mkdir(exist_ok=True)
            self._lock_file = os.open(self._workers_dir / f"{self.worker_id}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._conn = _Connection(self._db)
        self._lock = threading.RLock()
        with self._lock, storage_errors(self.location, sqlite3.Error):  # a corrupt or read-only file: StorageError
            self._db.execute("PRAGMA auto_vacuum=INCREMENTAL")  # takes effect on a new file: purged space can be freed
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA secure_delete=ON")  # deleted articles are overwritten, not left in free pages
            for statement in SCHEMA:
                self._db.execute(statement)
            for table, column, definition in ADDED_COLUMNS:  # a database written by an older version
                if column not in {row["name"] for row in self._db.execute(f"PRAGMA table_info({table})")}:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")

    @property
    def location(self) -> str:
        return str(self.path)

    def close(self) -> None:
        with self._lock:
            self._db.close()
            if self._lock_file is not None:
                os.close(self._lock_file)  # releases the flock
                self._lock_file = None
                assert self._workers_dir is not None
                (self._workers_dir / f"{self.worker_id}.lock").unlink(missing_ok=True)

    @contextmanager
    def _tx(self) -> Iterator[_Connection]:
        """One write transaction, rolled back on any failure (a failed COMMIT included: a full disk)."""
        with self._lock, storage_errors(self.location, sqlite3.Error):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite may have rolled back already (e.g. after SQLITE_FULL)
                pass

    @contextmanager
    def _read(self) -> Iterator[_Connection]:
        with self._lock, storage_errors(self.location, sqlite3.Error):
            yield self._conn

    def _after_purge(self) -> None:
        with self._lock, storage_errors(self.location, sqlite3.Error):
            self._db.execute("PRAGMA incremental_vacuum").fetchall()  # the file shrinks (auto_vacuum=INCREMENTAL files)
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def size_bytes(self) -> int | None:
        with self._read() as db:
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            page_size = db.execute("PRAGMA page_size").fetchone()[0]
        wal = self.path.with_name(self.path.name + "-wal")
        return pages * page_size + (wal.stat().st_size if wal.exists() else 0)

    def _alive(self, worker: str) -> bool:
        if self._workers_dir is None or not worker.isalnum():
            return False
        lock_path = self._workers_dir / f"{worker}.lock"
        try:
            fd = os.open(lock_path, os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        lock_path.unlink(missing_ok=True)  # a dead worker's file: tidy up
        return False
