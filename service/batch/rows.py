"""`brief batch` rows: reading and checking the input, the output row of one brief, resuming, the final files.

Input: JSONL (one object per line) or Parquet, with `id` (string or integer, unique), `article`
and optional `title`. A row that cannot be used (not JSON, no article, a repeated id) becomes an
error row in the output — it is reported, never dropped. The row's key is its id, or `#N` (its
1-based line/row number) when it has none or repeats an earlier one; a rerun skips keys already in
the output.

Output, in DIR: `briefs.jsonl` (appended row by row while the batch runs, so a killed run loses
nothing it finished) and, at the end, `briefs.jsonl` rewritten in input order plus `briefs.parquet`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

JSONL_NAME = "briefs.jsonl"
PARQUET_NAME = "briefs.parquet"
FACT_WARNINGS = ("fact_missing", "fact_altered", "headline_unsupported", "summary_unsupported")


@dataclass
class InputRow:
    row: int  # 1-based line (JSONL) or row (Parquet) number
    id: str | None
    article: str | None = None
    title: str | None = None
    error: dict[str, str] | None = None  # set when the row cannot be briefed
    duplicate: bool = False  # its id was used by an earlier row

    @property
    def key(self) -> str:
        return self.id if self.id is not None and not self.duplicate else f"#{self.row}"


def _error(code: str, message: str, hint: str) -> dict[str, str]:
    return {"code": code, "message": message, "hint": hint}


def _check(row: int, record: Any) -> InputRow:
    if not isinstance(record, dict):
        return InputRow(row, None, error=_error("invalid_row", f"row {row} is not an object", 'write {"id": ..., "article": ...}'))
    raw_id = record.get("id")
    if raw_id is not None and not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
        return InputRow(row, None, error=_error("invalid_row", f"row {row}: id must be a string or an integer", "fix the id"))
    row_id = str(raw_id) if raw_id is not None and str(raw_id) != "" else None
    article, title = record.get("article"), record.get("title")
    if not isinstance(article, str) or not article.strip():
        return InputRow(row, row_id, error=_error("invalid_row", f"row {row}: 'article' is missing or empty",
                                                  "give each row the article's text in 'article'"))
    if title is not None and not isinstance(title, str):
        return InputRow(row, row_id, error=_error("invalid_row", f"row {row}: 'title' must be a string", "fix or drop the title"))
    return InputRow(row, row_id, article, title or None)


def read_rows(path: Path) -> list[InputRow]:
    """Every row of a JSONL or Parquet file, checked; unusable rows carry an error. Blank lines are skipped."""
    if not path.is_file():
        raise InputError(f"no such file: {path}", "give a .jsonl or .parquet file of articles")
    if path.suffix.lower() == ".parquet":
        rows = _read_parquet(path)
    elif path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        rows = _read_jsonl(path)
    else:
        raise InputError(f"cannot read {path.name}: batch input must be .jsonl or .parquet",
                         'write one JSON object per line ({"id": ..., "article": ..., "title": ...}) to a .jsonl file')
    seen: dict[str, int] = {}
    for each in rows:
        if each.error is None and each.id is not None:
            if each.id in seen:
                each.duplicate = True
                each.error = _error("duplicate_id", f"row {each.row}: id '{each.id}' was already used on row {seen[each.id]}",
                                    "give every article its own id")
            else:
                seen[each.id] = each.row
    return rows


def _read_jsonl(path: Path) -> list[InputRow]:
    rows = []
    with path.open("rb") as file:
        for number, raw in enumerate(file, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                rows.append(InputRow(number, None, error=_error("invalid_row", f"line {number} is not UTF-8", "save the file as UTF-8")))
                continue
            except json.JSONDecodeError as exc:
                rows.append(InputRow(number, None, error=_error("invalid_row", f"line {number} is not valid JSON ({exc.msg})",
                                                                "write one JSON object per line")))
                continue
            rows.append(_check(number, record))
    return rows


def _read_parquet(path: Path) -> list[InputRow]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a bad file
        raise InputError(f"cannot read {path.name} as Parquet: {exc}", "check the file, or give JSONL instead") from None
    if "article" not in table.column_names:
        raise InputError(f"{path.name} has no 'article' column (columns: {', '.join(table.column_names)})",
                         "name the article text column 'article' (and optionally 'id', 'title')")
    wanted = [c for c in ("id", "article", "title") if c in table.column_names]
    return [_check(number, record) for number, record in enumerate(table.select(wanted).to_pylist(), start=1)]


@dataclass
class OutputFiles:
    """The output folder: finished rows by key, appended as they come."""

    directory: Path
    done: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def jsonl(self) -> Path:
        return self.directory / JSONL_NAME

    @classmethod
    def open(cls, directory: Path) -> OutputFiles:
        """Read what an earlier run wrote (a torn last line from a killed run is dropped) and keep appending."""
        directory.mkdir(parents=True, exist_ok=True)
        files = cls(directory)
        if files.jsonl.exists():
            for line in files.jsonl.read_bytes().splitlines():
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    continue
                if isinstance(record, dict) and "key" in record:
                    files.done[record["key"]] = record
            files._rewrite(list(files.done.values()))
        return files

    def append(self, record: dict[str, Any]) -> None:
        with self.jsonl.open("a", encoding="utf-8") as file:
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
            file.flush()
            os.fsync(file.fileno())
        self.done[record["key"]] = record

    def finish(self) -> list[dict[str, Any]]:
        """Rewrite the JSONL in input order and write the Parquet file; returns the rows."""
        records = sorted(self.done.values(), key=lambda r: r["row"])
        self._rewrite(records)
        write_parquet(records, self.directory / PARQUET_NAME)
        return records

    def _rewrite(self, records: list[dict[str, Any]]) -> None:
        temporary = self.jsonl.with_suffix(".jsonl.tmp")
        with temporary.open("w", encoding="utf-8") as file:
            for record in records:
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(self.jsonl)


def error_record(row: InputRow, error: dict[str, str]) -> dict[str, Any]:
    return {"key": row.key, "row": row.row, "id": row.id, "status": "failed", "error": error, "headline": None,
            "summary": None, "title": None, "translation": None, "fact_issues": None, "seconds": None, "result": None}


def brief_record(row: InputRow, result: dict[str, Any], seconds: float) -> dict[str, Any]:
    """One finished brief: its main fields flat, the whole result under `result`."""
    issues = sum(1 for warning in result.get("warnings", []) if warning.get("code") in FACT_WARNINGS)
    return {"key": row.key, "row": row.row, "id": row.id, "status": "done", "error": None, "headline": result.get("headline"),
            "summary": result.get("summary"), "title": result.get("title"), "translation": result.get("translation"),
            "fact_issues": issues, "seconds": round(seconds, 3), "result": result}


def write_parquet(records: list[dict[str, Any]], path: Path) -> None:
    """Flat columns; `error` and `result` as JSON text (their shapes vary from row to row)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("key", pa.string()), ("row", pa.int64()), ("id", pa.string()), ("status", pa.string()),
                        ("error_code", pa.string()), ("error_message", pa.string()), ("headline", pa.string()),
                        ("summary", pa.string()), ("title", pa.string()), ("translation", pa.string()),
                        ("fact_issues", pa.int64()), ("seconds", pa.float64()), ("error", pa.string()), ("result", pa.string())])
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}
    for record in records:
        error = record.get("error") or {}
        for name in schema.names:
            if name == "error_code":
                value: Any = error.get("code")
            elif name == "error_message":
                value = error.get("message")
            elif name in ("error", "result"):
                value = json.dumps(record[name], ensure_ascii=False) if record.get(name) is not None else None
            else:
                value = record.get(name)
            columns[name].append(value)
    temporary = path.with_suffix(".parquet.tmp")
    pq.write_table(pa.table(columns, schema=schema), temporary)
    temporary.replace(path)
