"""The seed article, end to end, on the real offline model through the real CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from service.settings import PROJECT_ROOT

SEED = PROJECT_ROOT.parent / "shared" / "seeds" / "000_fd4f438c24bf3718.txt"

pytestmark = pytest.mark.slow

EXPECTED = {
    "7,500 km": r"7,500\s*(km|kilomet)",
    "$25 million": r"\$\s?25 million|25 million (US )?dollars|\$25m\b",
    "2015": r"\b2015\b",
    "C5+1": r"C5\s*\+\s*1",
    "28 February 2023": r"28 February,? 2023|February 28,? 2023",
    "Tokayev": r"Tokayev",
    "Tleuberdi": r"Tleuberdi",
    "Astana": r"Astana",
    "Kazakhstan": r"Kazakhstan",
}


@pytest.fixture(scope="module")
def seed_brief() -> dict:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    done = subprocess.run(
        [sys.executable, "-m", "service", "run", str(SEED), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=PROJECT_ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "translated" in done.stderr  # progress goes to stderr, the result to stdout
    return json.loads(done.stdout)


def test_result_has_the_documented_keys(seed_brief):
    assert {"translation", "headline", "summary", "timings", "models", "warnings", "facts"} <= set(seed_brief)
    assert seed_brief["models"]["translate"] == "qwen2.5-coder-1.5b-gguf"
    assert seed_brief["facts"]["translation"]["facts"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_key_figures_survive(seed_brief, name):
    english = seed_brief["translation"] + "\n" + "\n".join(seed_brief["captions_translation"])
    assert re.search(EXPECTED[name], english), f"{name} not found in:\n{english}"


def test_boilerplate_is_dropped(seed_brief):
    assert any("Leggi anche" in line for line in seed_brief["removed"])
    assert "Leggi anche" not in seed_brief["translation"]
    assert "Read also" not in seed_brief["translation"]


def test_headline_and_summary_are_english_and_supported(seed_brief):
    assert seed_brief["headline"] and "\n" not in seed_brief["headline"]
    assert 1 <= seed_brief["summary"].count(".") <= 6
    assert re.search(r"Blinken", seed_brief["headline"] + seed_brief["summary"])
    assert seed_brief["facts"]["headline"]["unsupported"] == 0, seed_brief["facts"]["headline"]
