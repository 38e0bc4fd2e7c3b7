"""Perturbations and the benchmark core on hand-written pairs."""

import random

import pytest

from service.facts.benchmark import run_fact_benchmark
from service.facts.perturb import PERTURBATIONS

IT = ("Martedì 28 febbraio 2023 Antony Blinken ha annunciato a Mosca 25 milioni di dollari; "
      "la disoccupazione è al 15%.")
EN = ("On Tuesday, February 28, 2023, Antony Blinken announced $25 million in Moscow; "
      "unemployment is at 15%.")
ROWS = [
    {"id": "r1", "it": IT, "en": EN},
    {"id": "r2", "it": "Il Paese condivide 7500 km di frontiera con la Russia.",
     "en": "The country shares a 7,500 km border with Russia."},
    {"id": "r3", "it": "Nel 2015 sono arrivati 3.200 turisti a Londra.",
     "en": "In 2015, 3,200 tourists arrived in London."},
    {"id": "r4", "it": "Piove.", "en": "It rains."},
]


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_perturbation_changes_text_deterministically(name):
    func = PERTURBATIONS[name]
    first = func(EN, random.Random(3), IT)
    assert first is not None and first != EN
    assert func(EN, random.Random(3), IT) == first


def test_not_applicable_gives_none():
    assert PERTURBATIONS["shift_month"]("No dates here.", random.Random(0), "Niente.") is None
    assert PERTURBATIONS["drop_name"]("No names.", random.Random(0), "Niente.") is None


def test_benchmark_core():
    result = run_fact_benchmark(ROWS, perturb=True, seed=1)
    assert result["rows"] == 4 and result["rows_with_facts"] == 3
    assert result["flagged_rows"] == 0 and result["flags"] == []
    for name, det in result["detection"].items():
        assert det["applied"] >= 1, name
        assert det["detected"] == det["applied"], (name, det["missed"])


def test_benchmark_lists_flags():
    rows = [{"id": "bad", "it": "Sono 7500 km.", "en": "It is 7.5 km."}]
    result = run_fact_benchmark(rows, perturb=False)
    assert result["flagged_rows"] == 1
    assert result["flags"][0]["id"] == "bad"
    assert result["flags"][0]["facts"][0]["status"] == "altered"
