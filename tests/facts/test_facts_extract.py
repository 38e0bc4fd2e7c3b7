"""Extraction tables: Italian and English snippets with the canonical facts expected in them."""

import pytest

from service.facts import english_hints, extract_english, extract_italian


def canon(facts):
    return [f.canonical for f in facts]


IT_CASES = [
    ("Sono 7.500 persone", ("number", 7500)),
    ("Sono 7500 persone", ("number", 7500)),
    ("un tasso di 2,5", ("number", 2.5)),
    ("costa 1.234,56 euro", ("money", 1234.56, "EUR")),
    ("una temperatura di -3 gradi", ("quantity", -3, "°")),
    ("circa 300 manifestanti", ("number", 300)),
    ("oltre 5mila euro", ("money", 5000, "EUR")),
    ("una ventina di feriti", ("number", 20)),
    ("venticinque studenti", ("number", 25)),
    ("un ventottenne di Roma", ("quantity", 28, "year-old")),
    ("il 28enne", ("quantity", 28, "year-old")),
    ("mille volontari", ("number", 1000)),
    ("2,5 milioni di abitanti", ("number", 2500000)),
    ("3 miliardi", ("number", 3000000000)),
    ("4 mln", ("number", 4000000)),
    ("2 mld di euro", ("money", 2000000000, "EUR")),
    ("25 milioni di dollari", ("money", 25000000, "USD")),
    ("5mila euro", ("money", 5000, "EUR")),
    ("€ 30", ("money", 30, "EUR")),
    ("100 sterline", ("money", 100, "GBP")),
    ("50 franchi", ("money", 50, "CHF")),
    ("$ 5", ("money", 5, "USD")),
    ("il 15%", ("percent", 15, "%")),
    ("il 15 per cento", ("percent", 15, "%")),
    ("2,3 punti percentuali", ("percent", 2.3, "pp")),
    ("281 punti vendita", ("number", 281)),
    ("una profondità di 6.5 km", ("quantity", 6.5, "km")),
    ("temperature intorno ai – 20 gradi", ("quantity", -20, "°")),  # a spaced dash as minus  # English-style decimal in Italian text
    ("il 28 febbraio 2023", ("date", 2023, 2, 28)),
    ("il 28/2/2023", ("date", 2023, 2, 28)),
    ("a febbraio", ("date", None, 2, None)),
    ("lunedì scorso", ("date", "weekday", 0, None)),
    ("nel 2015", ("date", 2015, None, None)),
    ("negli anni '90", ("date", "decade", 1990, None)),
    ("alle 11:00", ("time", 11, 0)),
    ("alle 20,30 di sera", ("time", 20, 30)),
    ("dalle ore 9 in poi", ("time", 9, 0)),
    ("alle 20.30", ("time", 20, 30)),
    ("7500 km di frontiera", ("quantity", 7500, "km")),
    ("dieci chilometri", ("quantity", 10, "km")),
    ("200 metri", ("quantity", 200, "m")),
    ("3 kg", ("quantity", 3, "kg")),
    ("40 tonnellate", ("quantity", 40, "t")),
    ("300 ettari", ("quantity", 300, "ha")),
    ("5 litri", ("quantity", 5, "l")),
    ("24 ore", ("quantity", 24, "h")),
    ("da 12 anni", ("quantity", 12, "year")),
    ("cinque paesi", ("number", 5)),
    ("il terzo mandato", ("ordinal", 3)),
    ("Mosca", ("place", "Moscow")),
    ("in Kazakistan", ("place", "Kazakhstan")),
    ("le Nazioni Unite", ("org", "United Nations")),
    ("l'Unione Europea", ("org", "European Union")),
    ("la piattaforma C5+1", ("org", "C5+1")),
]


@pytest.mark.parametrize(("text", "expected"), IT_CASES)
def test_italian_extraction(text, expected):
    assert expected in canon(extract_italian(text))


def test_range_gives_both_ends():
    assert canon(extract_italian("tra 10-12 anni")) == [("quantity", 10, "year"), ("quantity", 12, "year")]


@pytest.mark.parametrize("text", ["un uomo", "una donna", "uno di loro", "secondo il ministro",
                                  "prima di partire", "sei stanco?", "i venti forti"])
def test_italian_non_numbers(text):
    assert not [f for f in extract_italian(text) if f.kind in ("number", "ordinal")]


EN_CASES = [
    ("7,500 people", ("number", 7500)),
    ("a rate of 7.5", ("number", 7.5)),
    ("12.100 cases", ("number", 12.1)),
    ("$25 million", ("money", 25000000, "USD")),
    ("$25m", ("money", 25000000, "USD")),
    ("25 million dollars", ("money", 25000000, "USD")),
    ("£3bn", ("money", 3000000000, "GBP")),
    ("€5,000", ("money", 5000, "EUR")),
    ("February 28, 2023", ("date", 2023, 2, 28)),
    ("28 February 2023", ("date", 2023, 2, 28)),
    ("on Tuesday", ("date", "weekday", 1, None)),
    ("in the 1990s", ("date", "decade", 1990, None)),
    ("at 11am", ("time", 11, 0)),
    ("at 8:30 p.m.", ("time", 20, 30)),
    ("a 28-year-old man", ("quantity", 28, "year-old")),
    ("15 percent", ("percent", 15, "%")),
    ("2.3 percentage points", ("percent", 2.3, "pp")),
    ("twenty-five people", ("number", 25)),
    ("a million people", ("number", 1000000)),
    ("the third term", ("ordinal", 3)),
    ("50 miles", ("quantity", 50, "mi")),
    ("in Moscow", ("place", "Moscow")),
]


@pytest.mark.parametrize(("text", "expected"), EN_CASES)
def test_english_extraction(text, expected):
    assert expected in canon(extract_english(text))


@pytest.mark.parametrize(("it", "en"), [
    ("7.500 km", "7,500 km"),
    ("28 febbraio 2023", "28 February 2023"),
    ("martedì", "Tuesday"),
    ("25 milioni di dollari", "$25 million"),
    ("Mosca", "Moscow"),
    ("il 28enne", "28-year-old"),
    ("2,3 punti percentuali", "2.3 percentage points"),
    ("5mila euro", "€5,000"),
])
def test_english_hints(it, en):
    assert en in [h.english for h in english_hints(it)]
