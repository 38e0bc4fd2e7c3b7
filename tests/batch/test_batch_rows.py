"""Batch input checks, output files and progress, without Ray."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from service.batch.rows import OutputFiles, brief_record, error_record, read_rows
from service.batch.runner import Progress, plan_workers
from service.errors import InputError


def test_jsonl_rows_are_checked_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": 1, "article": "Ciao", "title": "T"}\n\n[1]\n{"article": "senza id"}\n{"id": true, "article": "x"}\n'
                     b'{"id": "1", "article": "again"}\n\xff\xfe\n{"id": "t", "article": "x", "title": 3}\n')
    rows = read_rows(path)
    assert [(r.row, r.key, (r.error or {}).get("code")) for r in rows] == [
        (1, "1", None), (3, "#3", "invalid_row"), (4, "#4", None), (5, "#5", "invalid_row"),
        (6, "#6", "duplicate_id"), (7, "#7", "invalid_row"), (8, "t", "invalid_row")]
    assert rows[0].article == "Ciao" and rows[0].title == "T" and "not UTF-8" in rows[5].error["message"]


def test_parquet_input(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["a", None], "article": ["Ciao", None], "extra": [1, 2]}), path)
    rows = read_rows(path)
    assert [(r.key, r.article, (r.error or {}).get("code")) for r in rows] == [("a", "Ciao", None), ("#2", None, "invalid_row")]
    pq.write_table(pa.table({"text": ["Ciao"]}), tmp_path / "bad.parquet")
    with pytest.raises(InputError, match="no 'article' column"):
        read_rows(tmp_path / "bad.parquet")


@pytest.mark.parametrize("name", ["missing.jsonl", "in.csv"])
def test_unreadable_input_is_a_clear_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "in.csv").write_text("id,article\n")
    with pytest.raises(InputError) as error:
        read_rows(tmp_path / name)
    assert error.value.hint


def test_output_files_survive_a_torn_line_and_end_in_input_order(tmp_path: Path) -> None:
    rows = read_rows(_jsonl(tmp_path, [{"id": "b", "article": "x"}, {"id": "a", "article": "y"}]))
    files = OutputFiles.open(tmp_path / "out")
    files.append(brief_record(rows[1], {"translation": "Y", "warnings": [{"code": "fact_missing"}, {"code": "x"}]}, 1.0))
    with files.jsonl.open("a") as file:
        file.write('{"key": "b", "ro')  # killed mid-write
    again = OutputFiles.open(tmp_path / "out")
    assert set(again.done) == {"a"}
    again.append(error_record(rows[0], {"code": "invalid_row", "message": "m", "hint": "h"}))
    records = again.finish()
    assert [r["key"] for r in records] == ["b", "a"] and records[1]["fact_issues"] == 1
    assert [json.loads(line)["key"] for line in again.jsonl.read_text().splitlines()] == ["b", "a"]
    table = pq.read_table(tmp_path / "out" / "briefs.parquet").to_pylist()
    assert [(r["key"], r["status"], r["error_code"]) for r in table] == [("b", "failed", "invalid_row"), ("a", "done", None)]


def test_progress_line_has_rate_and_eta() -> None:
    stream = io.StringIO()
    progress = Progress(total=10, already=2, stream=stream, every_s=0)
    progress.started -= 8.0  # 8 s ago
    progress.step(failed=False)
    progress.step(failed=True)
    line = stream.getvalue().splitlines()[-1]
    assert line.startswith("[ 4/10]  40%") and "0.25 rows/s" in line and "ETA 24s" in line and "1 failed" in line


def test_worker_plan() -> None:
    assert plan_workers(local=True, cpus=2, workers=None, cpus_per_worker=None) == (1, 2)
    assert plan_workers(local=True, cpus=8, workers=2, cpus_per_worker=None) == (2, 4)
    assert plan_workers(local=False, cpus=64, workers=None, cpus_per_worker=None) == (32, 2)
    assert plan_workers(local=False, cpus=64, workers=None, cpus_per_worker=8) == (8, 8)


def _jsonl(tmp_path: Path, records: list[dict]) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path
