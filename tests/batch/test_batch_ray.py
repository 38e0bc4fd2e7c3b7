"""`brief batch` on the session's local Ray with the fake backend: order, bad rows, resume after a killed run."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from service.batch import run_batch
from service.cli import app
from service.settings import Settings, get_settings

pytestmark = pytest.mark.ray
HERE = Path(__file__).resolve().parent


def italian(i: int) -> str:
    return (f"Il comune di Roma ha approvato il progetto numero {i} per le scuole della città. "
            f"I lavori costeranno {i + 1} milioni di euro e finiranno entro il 2026, ha detto il sindaco.")


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def fake_settings(configs: Path) -> Settings:
    return Settings(translate_config="fake", model_configs_dir=configs, guard="off", _env_file=None)


def read_out(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()]


def test_batch_keeps_order_and_reports_bad_rows(ray_address: str, fake_configs_dir: Path, tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"art-{i}", "article": italian(i), "title": f"Titolo {i}"}) for i in range(5)]
    lines.insert(2, "{this is not json")
    lines.append(json.dumps({"id": "art-1", "article": italian(9)}))  # a repeated id
    lines.append(json.dumps({"id": "empty", "article": "  "}))
    lines.append(json.dumps({"id": "english", "article": "This is an English sentence about the weather in London today, "
                             "and the forecast says it will rain for the rest of the week on the coast."}))
    source = write_jsonl(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out"
    summary = run_batch(source, out, fake_settings(fake_configs_dir), workers=2, cpus_per_worker=1, quiet=True)

    assert (summary.rows, summary.done, summary.failed, summary.skipped) == (9, 5, 4, 0)
    rows = read_out(out)
    assert [r["row"] for r in rows] == list(range(1, 10))  # input order, each row once
    by_key = {r["key"]: r for r in rows}
    for i in range(5):
        done = by_key[f"art-{i}"]
        assert done["status"] == "done" and done["error"] is None
        assert done["translation"] == italian(i)  # the fake echoes: each row got its own article's brief
        assert done["result"]["source_title"] == f"Titolo {i}" and done["result"]["paragraphs"]
    assert by_key["#3"]["error"]["code"] == "invalid_row" and "line 3 is not valid JSON" in by_key["#3"]["error"]["message"]
    assert by_key["#7"]["error"]["code"] == "duplicate_id" and by_key["#7"]["id"] == "art-1"
    assert by_key["empty"]["error"]["code"] == "invalid_row"
    assert by_key["english"]["error"]["code"] == "not_italian"  # a failed brief is a row too

    table = pq.read_table(out / "briefs.parquet").to_pylist()
    assert [r["key"] for r in table] == [r["key"] for r in rows]
    assert json.loads(table[0]["result"])["translation"] == italian(0) and table[2]["error_code"] == "invalid_row"

    again = run_batch(source, out, fake_settings(fake_configs_dir), quiet=True)  # nothing left to do: Ray not even used
    assert (again.skipped, again.done, again.failed) == (9, 0, 0) and read_out(out) == rows


def test_resume_after_a_killed_run_loses_and_repeats_nothing(ray_address: str, fake_configs_dir: Path, tmp_path: Path) -> None:
    n = 8
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps({"id": f"art-{i}", "article": italian(i)}) for i in range(n)])
    out, calls = tmp_path / "out", tmp_path / "calls.txt"
    command = [sys.executable, str(HERE / "slow_batch.py"), str(source), str(out), "--address", ray_address,
               "--configs", str(fake_configs_dir), "--log", str(calls)]
    first = subprocess.Popen([*command, "--delay", "0.3"], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=(tmp_path / "first.log").open("wb"))
    try:
        deadline = time.monotonic() + 120
        while not (out / "briefs.jsonl").exists() or len(read_out(out)) < 2:
            assert first.poll() is None, (tmp_path / "first.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the first run wrote nothing"
            time.sleep(0.1)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the driver and anything it started
        first.wait(10)
    done_before = {r["key"] for r in read_out(out)}
    assert 2 <= len(done_before) < n, "the kill must come mid-batch"
    with (out / "briefs.jsonl").open("a", encoding="utf-8") as file:
        file.write('{"key": "art-7", "row": 8, "status": "do')  # a torn last line, as a kill mid-write leaves

    second = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert second.returncode == 0, second.stderr[-2000:]
    assert f"{n - len(done_before)} briefed" in second.stdout and f"{len(done_before)} already done" in second.stdout

    rows = read_out(out)
    assert [r["key"] for r in rows] == [f"art-{i}" for i in range(n)]  # every row once, in order
    assert all(r["status"] == "done" and r["translation"] == italian(int(r["key"][4:])) for r in rows)
    seen_by: dict[str, Counter[str]] = {}
    for line in calls.read_text(encoding="utf-8").splitlines():
        pid, text = line.split("\t", 1)
        if match := re.search(r"numero (\d+)", text):
            seen_by.setdefault(pid, Counter())[f"art-{match.group(1)}"] += 1
    rerun = Counter[str]()
    for seen in seen_by.values():
        if not (seen.keys() & done_before):  # the second run's actor
            rerun += seen
    assert set(rerun) == {f"art-{i}" for i in range(n)} - done_before, "finished rows ran again, or some never ran"


def test_cli_batch(ray_address: str, fake_configs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps({"id": "a", "article": italian(1)}), "[1, 2]"])
    for name, value in {"BRIEF_MODEL_CONFIGS_DIR": str(fake_configs_dir), "BRIEF_TRANSLATE_CONFIG": "fake", "BRIEF_GUARD": "off"}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["batch", str(source), "--out", str(tmp_path / "out"), "--json", "--quiet"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1, (result.output, result.exception)  # a failed row: exit 1, after writing every row
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["rows"], summary["done"], summary["failed"]) == (2, 1, 1)
    assert [r["status"] for r in read_out(tmp_path / "out")] == ["done", "failed"]
