"""The article the project was created from (read by path; skipped when it is not there)."""

from pathlib import Path

import pytest

from service.facts import check_translation, extract_italian

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_fd4f438c24bf3718.txt"
if not SEED.is_file():
    SEED = Path("/work/shared/seeds/000_fd4f438c24bf3718.txt")

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="seed article not available")

GOOD_EN = (
    "US Secretary of State Antony Blinken is in Kazakhstan on his first official visit. "
    "The country shares a 7,500 km border with Russia. "
    "Washington announced $25 million in new funding, on top of the $25m the Biden "
    "administration has already committed in the region. "
    "Blinken at a joint press conference with Kazakh Foreign Minister Mukhtar Tleuberdi in Astana, "
    "Kazakhstan, February 28, 2023."
)
GOOD_IT = (
    "Il Segretario di Stato americano Antony Blinken è in Kazakistan per la sua prima visita "
    "ufficiale. Il Paese condivide 7500 km di frontiera con la Russia. "
    "Washington ha annunciato 25 milioni di dollari di nuovi finanziamenti, oltre ai 25 milioni di "
    "dollari che l’amministrazione Biden ha già impegnato nella regione. "
    "Blinken durante una conferenza stampa congiunta con il ministro degli Esteri kazako Mukhtar "
    "Tleuberdi ad Astana, Kazakistan, 28 febbraio 2023."
)


def test_seed_facts():
    facts = extract_italian(SEED.read_text(encoding="utf-8"))
    canon = [f.canonical for f in facts]
    assert ("quantity", 7500, "km") in canon
    assert canon.count(("money", 25000000, "USD")) == 2
    assert ("date", 2015, None, None) in canon
    assert ("org", "C5+1") in canon
    assert ("date", 2023, 2, 28) in canon
    assert ("place", "Kazakhstan") in canon
    assert ("place", "Moscow") in canon
    assert ("org", "United Nations") in canon
    texts = " ".join(f.text for f in facts if f.is_name)
    for name in ("Tokayev", "Tleuberdi", "Astana"):
        assert name in texts


def test_seed_good_translation_is_all_preserved():
    report = check_translation(GOOD_IT, GOOD_EN)
    assert report.issues == 0, report.to_dict()


@pytest.mark.parametrize(("good", "bad", "fact"), [
    ("7,500 km", "7.5 km", "7500 km"),
    ("$25 million", "$25 billion", "25 milioni di dollari"),
    ("February 28, 2023", "February 28, 2022", "28 febbraio 2023"),
])
def test_seed_errors_are_altered(good, bad, fact):
    report = check_translation(GOOD_IT, GOOD_EN.replace(good, bad))
    assert (fact, "altered") in [(r.fact.text, r.status) for r in report.results]
