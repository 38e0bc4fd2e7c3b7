"""Helpers shared by the eval tests (imported by name: tests/ folders are not packages)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.settings import PROJECT_ROOT

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"
FIGURES = PROJECT_ROOT / "eval" / "data" / "figures_it_en.jsonl"


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def shared(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.skip(f"shared eval data not available: {path}")
    return path
