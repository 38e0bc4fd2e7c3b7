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


# A Title Case word in the model's headline ("... to Promote ...", "Talks") used to be read as a name with
# no support; fixed as a class in the fact engine (#15, tests/facts/test_facts_title_case_words.py) and
# seen passing on three real seed runs (2026-11-29).
def test_headline_has_no_unsupported_fact(seed_brief):
    assert seed_brief["facts"]["headline"]["unsupported"] == 0, seed_brief["facts"]["headline"]


def test_headline_obeys_its_rules(seed_brief):
    # issue 15: the seed's headline was a 39-word sentence repeating the summary
    headline = seed_brief["headline"]
    assert "\n" not in headline and len(headline.split()) <= 14, headline
    assert len(seed_brief["summary"].split()) <= 90
    assert seed_brief["quality"]["preset"] == "balanced" and seed_brief["quality"]["candidates"]["headline"] >= 1
    if any(w["code"] == "headline_note" for w in seed_brief["warnings"]):  # a fallback was used: it must say which
        assert any(re.search(r"rewritten|cut to fit|shown", w["message"]) for w in seed_brief["warnings"] if w["code"] == "headline_note")


# The meaning errors issue 15 found in the seed's brief (title and body): none may come back.
MEANING_ERRORS = {
    "title: 'incontra' is not 'clashes with'": ("title", r"clash"),
    "'si propongono come alternativa': the US present themselves": ("translation", r"propos\w* (it|this|them) as"),
    "'si è astenuto': abstained, not silent": ("translation", r"\bsilent\b"),
    "'con forza': strongly, not with force": ("translation", r"\b(with|by) (\w+ )?(force|strength)\b"),
    "'triangolazioni di merci sanzionate': not sanctions-based deals": ("translation", r"sanctions-based"),
}


# All five are tested strictly. "con forza" sits inside a quotation, detached from its verb ("appoggia
# “la sovranità del Kazakistan con forza, …”"); no prompt or note made the 1.5B model write "strongly"
# inside the article (docs/quality.md), so a phrasebook rule rewrites the literal "with force" and the
# brief says so (`meaning_fixed`, tested below). "merci sanzionate" is the model's own work (the chunk
# tried alone once when its first translation falls into the trap); greedy decoding makes it repeatable.
_CON_FORZA = "'con forza': strongly, not with force"
_SANCTIONED = "'triangolazioni di merci sanzionate': not sanctions-based deals"


@pytest.mark.parametrize("name", sorted(MEANING_ERRORS))
def test_seed_meaning_errors_stay_fixed(seed_brief, name):
    field, pattern = MEANING_ERRORS[name]
    text = seed_brief[field] or ""
    assert not re.search(pattern, text, re.IGNORECASE), f"{name}: {text}"


def test_seed_title_and_abstention_read_right(seed_brief):
    assert re.search(r"\bmeet", seed_brief["title"], re.IGNORECASE), seed_brief["title"]
    assert re.search(r"abstain", seed_brief["translation"], re.IGNORECASE), seed_brief["translation"]


def test_con_forza_reads_strongly_and_a_rule_edit_is_reported(seed_brief):
    assert re.search(r"\b(strongly|firmly) (supports|backs)\b", seed_brief["translation"]), seed_brief["translation"]
    fixes = [fix for paragraph in seed_brief["paragraphs"] for chunk in paragraph["chunks"] for fix in chunk["fixes"]]
    reported = [w["message"] for w in seed_brief["warnings"] if w["code"] == "meaning_fixed"]
    assert len(reported) == len(fixes) and all("not the model" in message for message in reported)


@pytest.mark.parametrize(("name", "italian"), [(_CON_FORZA, "con forza"), (_SANCTIONED, "merci sanzionate")])
def test_a_meaning_trap_left_in_the_translation_is_flagged(seed_brief, name, italian):
    # the guard's last line: whatever trap is left must be shown to the editor
    if re.search(MEANING_ERRORS[name][1], seed_brief["translation"], re.IGNORECASE):
        assert any(w["code"] == "meaning_check" and italian in w["message"] for w in seed_brief["warnings"]), seed_brief["warnings"]
