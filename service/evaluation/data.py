"""Eval datasets: JSONL rows, validated with the line number of any bad row, and hashed.

A row's identity is its `id` (or `line-N` when it has none); per-row outputs carry it, so any
number in a report can be traced back to the rows that made it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

# Each suite takes rows holding one of these field sets (the first set that matches is used).
FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "translation": (("it", "en"), ("article", "article_en")),
    "facts": (("it", "en"), ("article", "article_en")),
    "summary": (("article", "summary"), ("article", "headline"), ("article", "summary_en"), ("article", "headline_en")),
    "speed": (("it",), ("article",)),
}


class DataError(InputError):
    code = "invalid_eval_data"


@dataclass
class Dataset:
    path: Path
    rows: list[dict[str, Any]]
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> dict[str, Any]:
        return {"file": self.path.name, "sha256": self.sha256, "rows": len(self.rows)}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_dataset(path: str | Path) -> Dataset:
    """Read a JSONL file: one JSON object per line; blank lines are allowed."""
    file = Path(path)
    if not file.is_file():
        raise DataError(f"no such dataset file: {file}", "pass a JSONL file with --data (see eval/README.md for the formats)")
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    with file.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{file.name} line {number}: not valid JSON ({exc.msg} at column {exc.colno})",
                                "each line must be one JSON object") from exc
            if not isinstance(row, dict):
                raise DataError(f"{file.name} line {number}: expected a JSON object, got {type(row).__name__}", "each line must be one JSON object")
            row_id = str(row.get("id", f"line-{number}"))
            if row_id in seen:
                raise DataError(f"{file.name} line {number}: id '{row_id}' already used on line {seen[row_id]}", "give every row a unique id")
            seen[row_id] = number
            rows.append({**row, "id": row_id, "_line": number})
    if not rows:
        raise DataError(f"{file.name} holds no rows", "add at least one JSON object line")
    return Dataset(file, rows, file_sha256(file))


def fields_for(suite: str, row: dict[str, Any]) -> tuple[str, ...] | None:
    """The field set of `suite` that this row fills (non-empty strings), or None."""
    for names in FIELDS[suite]:
        if all(isinstance(row.get(name), str) and row[name].strip() for name in names):
            return names
    return None


def fits(suite: str, rows: list[dict[str, Any]]) -> bool:
    return bool(rows) and all(fields_for(suite, row) for row in rows)


def validate(suite: str, dataset: Dataset) -> None:
    """Raise a `DataError` naming the first row (by line) the suite cannot use, and why."""
    wanted = " or ".join("+".join(names) for names in FIELDS[suite])
    for row in dataset.rows:
        if fields_for(suite, row) is None:
            present = ", ".join(k for k in row if not k.startswith("_")) or "none"
            raise DataError(
                f"{dataset.name} line {row['_line']} (id {row['id']}): "
                f"the {suite} suite needs non-empty string fields {wanted}; this row has {present}",
                "fix the row, or pick the suite that fits the data (see eval/README.md)",
            )


def limit_rows(rows: list[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    return rows if limit is None else rows[:limit]


def clean_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}
