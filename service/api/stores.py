"""`open_job_store(settings)`: the job store the settings name (SQLite or PostgreSQL).

Apart from jobs.py so the interface does not import its implementations (which import it).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from ..settings import Settings
from .jobs import JobStore


def open_job_store(settings: Settings) -> JobStore:
    """The store the settings name: `BRIEF_DATABASE_URL` (postgresql://… or sqlite:///path), else SQLite at `database_path`."""
    url = settings.database_url
    if url is None:
        from .jobs_sqlite import SQLiteJobStore

        return SQLiteJobStore(settings.database_path, max_attempts=settings.job_max_attempts)
    if url.startswith(("postgresql://", "postgres://")):
        from .jobs_postgres import PostgresJobStore

        return PostgresJobStore(url, max_attempts=settings.job_max_attempts)
    if url.startswith("sqlite:///"):
        from .jobs_sqlite import SQLiteJobStore

        return SQLiteJobStore(Path(url.removeprefix("sqlite:///")), max_attempts=settings.job_max_attempts)
    raise ConfigError(f"BRIEF_DATABASE_URL must start with postgresql:// or sqlite:///, not {url.split(':', 1)[0]!r}",
                      "e.g. postgresql://user:password@host:5432/brief, or leave it unset for SQLite in BRIEF_DATABASE_PATH")
