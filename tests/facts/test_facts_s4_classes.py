"""Classes of false alarms and misses fixed in session 4 (#10), each a general rule backed by data,
with sentences written here (not rows of the benchmark data)."""

from __future__ import annotations

import pytest

from service.facts import english_hints
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


_GOAL = "Il pallone è atterrato a circa 25 metri dalla porta."
_SNOW = "Sono attesi dai 2 ai 10 cm di neve."


@pytest.mark.parametrize(("it", "en", "text", "status"), [
    # a hedged figure ("circa", "about") may be converted more loosely: 25 m ~ 30 yd (27.4 m, 9%)
    (_GOAL, "The ball landed about 30 yards from the goal.", "25 metri", "preserved"),
    (_GOAL, "The ball landed about 40 yards from the goal.", "25 metri", "altered"),
    ("Il pallone è atterrato a 25 metri dalla porta.", "The ball landed 30 yards from the goal.", "25 metri", "altered"),
    # an Italian range "dai 2 ai 10 cm" gives both ends the unit; a small figure may be rounded to a
    # whole unit of the other side (2 cm = 0.79 in ~ 1 inch) ...
    (_SNOW, "1 to 4 inches of snow are expected.", "2", "preserved"),
    (_SNOW, "1 to 4 inches of snow are expected.", "10 cm", "preserved"),
    (_SNOW, "1 to 9 inches of snow are expected.", "10 cm", "altered"),
    # ... but conversions are relative: 10 cm (0.1 m) is not 3 inches (0.076 m)
    (_SNOW, "1 to 3 inches of snow are expected.", "10 cm", "altered"),
    # ... and no more than a quarter apart: 1 km is 0.62 miles, not "1 mile"
    ("La strada è lunga 1 km.", "The road is 1 mile long.", "1 km", "altered"),
    ("La strada è lunga 3 km.", "The road is 2 miles long.", "3 km", "preserved"),
    # the ordinal indicator typed for a degree sign is a degree: 26 ºC = 78.8 °F
    ("Fuori ci sono 26 ºC.", "It is 79 °F outside.", "26 ºC", "preserved"),
    ("Fuori ci sono 26 ºC.", "It is 89 °F outside.", "26 ºC", "altered"),
])
def test_unit_conversions(it: str, en: str, text: str, status: str) -> None:
    assert _status(it, en, text) == status


_TRIAL = "Sono trascorsi dieci anni dal processo."
_SHOW = "La collezione primavera-estate 2019 ha stupito Parigi."
_HAT = "Indossava un berretto MAGA (Make America Great Again) dopo lo show."


@pytest.mark.parametrize(("it", "en", "text", "status"), [
    # "a decade" is ten years, "due decenni" twenty
    (_TRIAL, "It has been a decade since the trial.", "dieci anni", "preserved"),
    (_TRIAL, "It has been two decades since the trial.", "dieci anni", "altered"),
    ("Sono trascorsi due decenni dal processo.", "It has been 20 years since the trial.", "due decenni", "preserved"),
    ("Sono trascorsi due decenni dal processo.", "It has been 30 years since the trial.", "due decenni", "altered"),
    # a year as its last two digits in a code or after an apostrophe
    (_SHOW, "The SS19 collection dazzled Paris.", "2019", "preserved"),
    (_SHOW, "The class of '19 dazzled Paris.", "2019", "preserved"),
    (_SHOW, "The SS18 collection dazzled Paris.", "2019", "missing"),
    # a name with a symbol suffix
    ("Ha investito in Face++, in Cina.", "It invested in Face++, in China.", "Face", "preserved"),
    ("Ha investito in Face++, in Cina.", "It invested in Megvii, in China.", "Face", "missing"),
    # an acronym's expansion in parentheses is kept when the English keeps the acronym
    (_HAT, "He wore a MAGA hat after the show.", "Great Again", "preserved"),
    (_HAT, "He wore a red hat after the show.", "Great Again", "missing"),
])
def test_figures_and_names_written_another_way(it: str, en: str, text: str, status: str) -> None:
    assert _status(it, en, text) == status


_GOAL_BY = "Il primo gol del Livingston è arrivato al 34º minuto."


@pytest.mark.parametrize(("it", "en", "status"), [
    # a clipped one-word name, rarer in English than the name: check by hand
    (_GOAL_BY, "The opener by Livi came in the 34th minute.", "unverified"),
    ("Ronaldo si unirà alla Juventus.", "Ronaldo will join Italian giants Juve.", "unverified"),
    # another name entirely, or a prefix that is a more frequent name of its own, stays missing
    (_GOAL_BY, "The opener by Hibs came in the 34th minute.", "missing"),
    ("Il primo gol di Johnson è arrivato al 34º minuto.", "The opener by John came in the 34th minute.", "missing"),
    ("Ronaldo si unirà alla Juventus.", "Ronaldo will join Italian giants.", "missing"),
])
def test_clipped_names_are_unverified(it: str, en: str, status: str) -> None:
    report = check_translation(it, en)
    assert [r.status for r in report.results if r.fact.text in ("Livingston", "Juventus", "Johnson")] == [status]


_JEEP = "Su quelle strade serve un veicolo 4x4, non un'auto normale."
_BAND = "La società che gestisce la band, HK Management Inc., non ha dato spiegazioni."
_LEAGUE = "La National Basketball Association (NBA) ha sospeso la stagione di basket."


@pytest.mark.parametrize(("it", "en", "text", "status"), [
    # two numbers joined by "x" are one figure, compared as written
    (_JEEP, "Those roads need a 4x4, not a normal car.", "4x4", "preserved"),
    (_JEEP, "Those roads need a 4x8, not a normal car.", "4x4", "altered"),
    ("Il negativo misura 36x24 mm.", "The negative is 36 by 24 mm.", "36x24", "preserved"),
    # "by" only before a length unit: "to 100 by 2025" stays a number and a year
    ("Il negativo misura 36x24 mm.", "The negative is 36 by 26 mm.", "36x24", "altered"),
    # a word of a longer name found only in lower case, away from the name, is not the name's word
    (_BAND, "The band's management company, HK Management Inc., gave no reason.", "HK Management Inc", "preserved"),
    (_BAND, "The band's management company, HK Inc., gave no reason.", "HK Management Inc", "altered"),
    (_LEAGUE, "The National Basketball Association (NBA) suspended its basketball season.",
     "National Basketball Association", "preserved"),
    (_LEAGUE, "The National Association (NBA) suspended its basketball season.", "National Basketball Association", "altered"),
    # ... but right by the name's capitalised word it is the name's word in lower case
    ("Ha vinto tre Emmy Awards.", "It won three Emmy awards.", "Emmy Awards", "preserved"),
    # a stop word written with a capital inside a name is a word of the name
    ("È legale solo nel Rio Grande do Sul.", "It is legal only in Rio Grande do Sul.", "Rio Grande do Sul", "preserved"),
    ("È legale solo nel Rio Grande do Sul.", "It is legal only in Rio Grande do.", "Rio Grande do Sul", "altered"),
    # a conjunction does not join two names into one: "Albuquerque or Fe" has dropped "Santa"
    ("Si va ad Albuquerque o a Santa Fe.", "You go to Albuquerque or Santa Fe.", "Fe", "preserved"),
    ("Si va ad Albuquerque o a Santa Fe.", "You go to Albuquerque or Fe.", "Fe", "altered"),
])
def test_dimensions_and_dropped_name_words(it: str, en: str, text: str, status: str) -> None:
    assert _status(it, en, text) == status


def test_by_is_not_a_dimension_before_a_year() -> None:
    report = check_translation("Porteranno i posti a 100 entro il 2025.", "They will raise the places to 100 by 2025.")
    assert [(r.fact.text, r.status) for r in report.results] == [("100", "preserved"), ("2025", "preserved")]


@pytest.mark.parametrize(("en", "status"), [
    # "Internet" is as common in English as in Italian (wordfreq): kept verbatim, so checked like a name
    ("Because calls go over the Internet, any phone company will do.", "preserved"),
    ("Because calls go over the internet, any phone company will do.", "preserved"),
    ("Because calls go over the network, any phone company will do.", "missing"),
])
def test_internet_is_checked(en: str, status: str) -> None:
    it = "Poiché le telefonate passano tramite Internet, va bene qualsiasi compagnia telefonica."
    assert _status(it, en, "Internet") == status


_TRUTH = "Il pubblico ministero ha chiesto se Tellis dicesse la verità."


@pytest.mark.parametrize(("it", "en", "text", "status"), [
    # a name's adjective in English is capitalised: "Tellis" is not in "telling"
    (_TRUTH, "Prosecutors asked if Tellis was telling the truth.", "Tellis", "preserved"),
    (_TRUTH, "Prosecutors asked if he was telling the truth.", "Tellis", "missing"),
    ("Le elezioni in Kosovo sono state rinviate.", "The Kosovar elections were postponed.", "Kosovo", "preserved"),
    # a compound that starts with the whole name still counts, in lower case too
    ("Era un membro del Congresso del Colorado.", "She was a congresswoman from Colorado.", "Congresso", "preserved"),
])
def test_name_adjectives_are_capitalised(it: str, en: str, text: str, status: str) -> None:
    assert _status(it, en, text) == status


_HOG = "Il maiale di 250 kg aveva sbranato l'allevatore."


@pytest.mark.parametrize(("it", "en", "text", "status"), [
    # a converted figure rounds to the written one at its last digit: 250 kg = 551 lb
    (_HOG, "The 550 pound hog had mauled the farmer.", "250 kg", "preserved"),
    (_HOG, "The 570 pound hog had mauled the farmer.", "250 kg", "altered"),  # 3.4% off, but not 550
    # either side may be the rounded one: 40 miles = 64.4 km, 65 km = 40.4 miles
    ("Il fuoco è arrivato a 65 km dalla città.", "The fire came within 40 miles of the city.", "65 km", "preserved"),
    ("Il fuoco è arrivato a 65 km dalla città.", "The fire came within 45 miles of the city.", "65 km", "altered"),
])
def test_conversions_round_to_the_written_digit(it: str, en: str, text: str, status: str) -> None:
    assert _status(it, en, text) == status


_STADIUM = "La partita si gioca allo Stadio San Paolo domenica."
_CARILLON = "Il carillon fu suonato da Dionisio A. Lind per la prima volta."


@pytest.mark.parametrize(("it", "en", "text", "status"), [
    # a name of 3-4 capitalised words: an ordinary Italian word in it may be translated, in its
    # place, but not dropped; an initial may come or go
    (_STADIUM, "The match is played at the Stadio San Paolo on Sunday.", "Stadio San Paolo", "preserved"),
    (_STADIUM, "The match is played at the Stadio San on Sunday.", "Stadio San Paolo", "altered"),
    (_CARILLON, "The carillon was first played by Dionisio A. Lind.", "Dionisio A. Lind", "preserved"),
    (_CARILLON, "The carillon was first played by Dionisio Lind.", "Dionisio A. Lind", "preserved"),
    (_CARILLON, "The carillon was first played by A. Lind.", "Dionisio A. Lind", "altered"),
    # a span joined by a connector to a capitalised word before it may be two names run together
    ("La star di Trono di Spade Kit Harington parla.", "Game of Thrones star Kit Harington speaks.",
     "Spade Kit Harington", "preserved"),
])
def test_longer_names_translated_in_place(it: str, en: str, text: str, status: str) -> None:
    assert _status(it, en, text) == status


def test_a_dimension_is_not_the_start_of_a_range() -> None:
    # "6x6 e 10 cm": the dimension stays a dimension (a range would give it the unit)
    hints = english_hints("Un negativo 6x6 e 10 cm di lato.")
    assert [(h.source_text, h.english) for h in hints] == [("6x6", "6x6"), ("10 cm", "10 cm")]
    report = check_translation("Un negativo 6x6 e 10 cm di lato.", "A 6x6 negative, 10 cm a side.")
    assert [r.status for r in report.results] == ["preserved", "preserved"]
