"""The `brief` command as a user runs it: a real subprocess, fake model, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.settings import PROJECT_ROOT

ARTICLE = "Il Comune ha approvato martedì il progetto del nuovo ponte. L'opera costerà 12,5 milioni di euro."


@pytest.fixture
def brief(tmp_path: Path, fake_configs_dir: Path):
    env = {**os.environ, "BRIEF_MODEL_CONFIGS_DIR": str(fake_configs_dir), "BRIEF_TRANSLATE_CONFIG": "fake",
           "BRIEF_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "service", *args], input=stdin, capture_output=True, env=env, cwd=PROJECT_ROOT, timeout=120)

    return run


def test_run_prints_json_with_the_documented_keys(brief, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    done = brief("run", str(article), "--guard", "off")
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    assert {"translation", "headline", "summary", "timings", "models", "warnings", "facts"} <= set(result)
    assert b"cleaned" in done.stderr  # progress on stderr, not mixed into the JSON


def test_run_reads_stdin_and_writes_markdown(brief):
    done = brief("run", "-", "--format", "markdown", "-q", stdin=ARTICLE.encode())
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("# ")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"  \n\n", "empty_input"),
        (b"\xff\xfecaff\xe8 latte", "not_utf8"),
        (b"The city council approved the new bridge project on Tuesday; it will cost 12.5 million euros.", "not_italian"),
    ],
)
def test_bad_input_is_a_clear_error_not_a_traceback(brief, tmp_path, content, code):
    article = tmp_path / "bad.txt"
    article.write_bytes(content)
    done = brief("run", str(article))
    stderr = done.stderr.decode()
    assert done.returncode == 2
    assert f"error [{code}]" in stderr and "fix:" in stderr
    assert "Traceback" not in stderr and done.stdout == b""


def test_missing_file_and_unknown_config_say_how_to_fix(brief):
    done = brief("run", "nope.txt")
    assert done.returncode == 2 and b"no such file" in done.stderr
    done = brief("run", "-", "--config", "no-such-model", stdin=ARTICLE.encode())
    assert done.returncode == 2 and b"unknown model config" in done.stderr and b"fake" in done.stderr


def test_models_lists_configs_with_licences():
    done = subprocess.run([sys.executable, "-m", "service", "models", "--json"], capture_output=True, cwd=PROJECT_ROOT, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert rows["qwen2.5-coder-1.5b-gguf"]["default"] is True
    assert rows["nllb-200-distilled-600m"]["licence"].startswith("CC-BY-NC")


def test_translate_markdown_is_the_translation_only(brief):
    done = brief("translate", "-", "--format", "markdown", "--guard", "off", "-q", stdin=ARTICLE.encode())
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == ARTICLE  # the fake backend echoes; no headline, no summary
