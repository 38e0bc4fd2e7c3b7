"""Job-store test helpers: a fresh database for each test, SQLite or PostgreSQL.

PostgreSQL tests need `BRIEF_TEST_DATABASE_URL` (CI sets it: `.ci/run` runs scripts/setup-postgres.sh);
each test gets its own schema, dropped afterwards, so runs never see each other's jobs.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from service.api.jobs import JobStore
from service.api.jobs_sqlite import SQLiteJobStore

PG_URL = os.environ.get("BRIEF_TEST_DATABASE_URL")
PG_SKIP = "BRIEF_TEST_DATABASE_URL is not set (CI sets it; locally: eval \"$(scripts/setup-postgres.sh)\")"


@dataclass
class Database:
    """One test's database: `open()` is a new store instance on it (another process's view, or a restart)."""

    kind: str
    url: str  # what BRIEF_DATABASE_URL would say
    sqlite_path: Path | None = None

    def open(self, max_attempts: int = 3) -> JobStore:
        if self.kind == "sqlite":
            assert self.sqlite_path is not None
            return SQLiteJobStore(self.sqlite_path, max_attempts=max_attempts)
        from service.api.jobs_postgres import PostgresJobStore

        return PostgresJobStore(self.url, max_attempts=max_attempts)

    def states(self) -> dict[int, str]:
        """seq → state, read straight from the database."""
        if self.kind == "sqlite":
            import sqlite3

            assert self.sqlite_path is not None
            with sqlite3.connect(self.sqlite_path) as conn:
                return dict(conn.execute("SELECT seq, state FROM items"))
        import psycopg

        with psycopg.connect(self.url) as conn:
            return dict(conn.execute("SELECT seq, state FROM items").fetchall())


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A URL on a fresh schema of the test PostgreSQL."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def database_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        path = tmp_path / "jobs.sqlite3"
        return Database("sqlite", f"sqlite:///{path}", path)
    return Database("postgres", request.getfixturevalue("postgres_schema"))


BACKENDS = ["sqlite", "postgres"]
Opener = Callable[[], JobStore]
