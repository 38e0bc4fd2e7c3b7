"""An eval run's folder: `run.json` (signature, written first), `rows.jsonl` (per-row outputs,
appended and fsynced as rows finish), then `results.json`, `report.md`, `report.html`.

A folder with `run.json` and some rows is an interrupted run: opening it again with the same
signature continues where it stopped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .signature import check_resumable

RUN_FILE = "run.json"
ROWS_FILE = "rows.jsonl"
RESULTS_FILE = "results.json"


def write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


class RunStore:
    def __init__(self, out_dir: str | Path) -> None:
        self.dir = Path(out_dir)
        self.rows_path = self.dir / ROWS_FILE

    def open(self, signature: dict[str, Any]) -> dict[str, Any]:
        """Start a run or check that the folder's run has this signature; return the stored one."""
        self.dir.mkdir(parents=True, exist_ok=True)
        run_file = self.dir / RUN_FILE
        if run_file.is_file():
            stored = json.loads(run_file.read_text(encoding="utf-8"))
            check_resumable(stored, signature, self.dir)
            self._drop_torn_line()
            return stored
        write_json(run_file, signature)
        return signature

    def _drop_torn_line(self) -> None:
        """A crash mid-write can leave half a line at the end: cut it off."""
        if not self.rows_path.is_file():
            return
        data = self.rows_path.read_bytes()
        if data and not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            with self.rows_path.open("r+b") as handle:
                handle.truncate(keep)

    def records(self) -> list[dict[str, Any]]:
        if not self.rows_path.is_file():
            return []
        with self.rows_path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def done_ids(self) -> set[str]:
        return {record["id"] for record in self.records()}

    def append(self, records: list[dict[str, Any]]) -> None:
        """Append a unit's records in one write, then fsync (all or nothing survives a crash)."""
        blob = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        with self.rows_path.open("a", encoding="utf-8") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())

    def write_results(self, results: dict[str, Any]) -> Path:
        path = self.dir / RESULTS_FILE
        write_json(path, results)
        return path


def load_run(run_dir: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """`results.json` and the per-row records of a finished run."""
    from ..errors import InputError

    folder = Path(run_dir)
    results_file = folder / RESULTS_FILE
    if not results_file.is_file():
        raise InputError(f"{folder} has no {RESULTS_FILE}",
                         "pass the --out folder of a finished `brief eval` run (resume it first if it was interrupted)")
    results = json.loads(results_file.read_text(encoding="utf-8"))
    return results, RunStore(folder).records()
