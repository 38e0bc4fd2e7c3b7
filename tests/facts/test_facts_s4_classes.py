"""Classes of false alarms and misses fixed in session 4 (#10), each a general rule backed by data,
with sentences written here (not rows of the benchmark data)."""

from __future__ import annotations

import pytest

from service.facts.compare import check_support, check_translation


def _status(it: str, en: str, text: str) -> str:
    report = check_translation(it, en)
    return next(r.status for r in report.results if r.fact.text == text)


_STORM = "L'uragano è passato a 40 miglia dal confine dell'Arizona."
_ARREST = "La polizia di Baton Rouge, nella Louisiana, sabato ha arrestato un sospettato."
_FIRE = "Un incendio a Raleigh, nella Carolina del Nord, ha distrutto tre case."


@pytest.mark.parametrize(("it", "en", "text", "status"), [
    # a US state written as its postal code or AP abbreviation (the `us` package's table)
    (_STORM, "The hurricane came within 40 miles of the AZ border.", "Arizona", "preserved"),
    (_STORM, "The hurricane came within 40 miles of the Ariz. border.", "Arizona", "preserved"),
    (_STORM, "The hurricane came within 40 miles of the NM border.", "Arizona", "missing"),
    (_ARREST, "Police in Baton Rouge, La., arrested a suspect Saturday.", "Louisiana", "preserved"),
    # "La" without its full stop is not Louisiana
    (_ARREST, "Police in Baton Rouge, La Riviera, arrested a suspect Saturday.", "Louisiana", "missing"),
    (_ARREST, "Police in Baton Rouge, Miss., arrested a suspect Saturday.", "Louisiana", "missing"),
    # a gazetteer state (Italian name) too
    (_FIRE, "A fire in Raleigh, N.C., destroyed three homes.", "Carolina del Nord", "preserved"),
    (_FIRE, "A fire in Raleigh, S.C., destroyed three homes.", "Carolina del Nord", "missing"),
])
def test_us_state_abbreviations(it: str, en: str, text: str, status: str) -> None:
    assert _status(it, en, text) == status


def test_us_state_abbreviation_supports_a_headline() -> None:
    assert check_support(_STORM, "Hurricane within 40 miles of the Ariz. border").unsupported == 0
    assert check_support(_FIRE, "Fire destroys three homes in Raleigh, N.C.").unsupported == 0
    assert check_support(_FIRE, "Fire destroys three homes in Raleigh, S.C.").unsupported == 1
