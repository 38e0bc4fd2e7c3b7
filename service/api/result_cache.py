"""The result cache: finished briefs and translations by content key, in the job database.

The key (service/pipeline/signature.py) covers the cleaned article and every field of the run's
signature, so a refreshed page, a retried request or a rerun batch gets the same answer at once,
marked `cached: true`. Its own table in the same SQLite file as the jobs; bounded by entry count
and age (oldest used first out); `BRIEF_RESULT_CACHE=false` turns it off.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS result_cache (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at REAL NOT NULL,
    used_at REAL NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS result_cache_used ON result_cache(used_at);
"""


class SqliteResultCache:
    """Thread-safe (one connection, one lock). Counts lookups and hits for /metrics."""

    def __init__(self, path: Path, max_entries: int = 5000, max_age_s: float = 7 * 24 * 3600) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.max_age_s = max_age_s
        self.lookups = 0
        self.hits = 0
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @property
    def hit_rate(self) -> float:
        return self.hits / self.lookups if self.lookups else 0.0

    def get(self, key: str) -> dict[str, Any] | None:
        now = time.time()
        with self._lock:
            self.lookups += 1
            row = self._db.execute("SELECT result, created_at FROM result_cache WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            if now - row[1] > self.max_age_s:
                self._db.execute("DELETE FROM result_cache WHERE key = ?", (key,))
                return None
            self._db.execute("UPDATE result_cache SET used_at = ?, hits = hits + 1 WHERE key = ?", (now, key))
            self.hits += 1
        return json.loads(row[0])

    def put(self, key: str, kind: str, result: dict[str, Any]) -> None:
        now = time.time()
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO result_cache (key, kind, result, created_at, used_at) VALUES (?, ?, ?, ?, ?)",
                (key, kind, json.dumps(result, ensure_ascii=False), now, now),
            )
            self._db.execute("DELETE FROM result_cache WHERE created_at < ?", (now - self.max_age_s,))
            self._db.execute(
                "DELETE FROM result_cache WHERE key IN (SELECT key FROM result_cache ORDER BY used_at DESC LIMIT -1 OFFSET ?)",
                (self.max_entries,),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM result_cache").fetchone()[0]
