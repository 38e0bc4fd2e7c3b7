"""scripts/concurrency_check.py end to end on the fake backend: the plumbing the real figure relies on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_four_at_once_give_the_answers_of_one_at_a_time(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text("".join(
        f'{{"id": "r{n}", "it": "Il Comune ha speso {n} milioni di euro nel 202{n}."}}\n' for n in range(1, 6)), encoding="utf-8")
    done = subprocess.run([sys.executable, "scripts/concurrency_check.py", "--fake", "--data", str(data)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 concurrent requests:" in done.stdout and "same translations as one at a time: 4/4" in done.stdout
    assert "one request with 4 texts:" in done.stdout and "same translations: 4/4" in done.stdout
