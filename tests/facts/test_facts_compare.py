"""Comparison: each status, the 12.100 trap, support of headlines, the report's shape."""

import json

import pytest

from service.facts import check_support, check_translation


def statuses(it, en):
    return [(r.fact.text, r.status) for r in check_translation(it, en).results]


@pytest.mark.parametrize(("it", "en"), [
    ("Il Paese ha 7.500 abitanti.", "The country has 7,500 inhabitants."),
    ("Sono stati stanziati 25 milioni di dollari.", "$25m has been allocated."),
    ("Sono stati stanziati 25 milioni di dollari.", "25 million dollars were allocated."),
    ("Il bambino di quattro mesi sta bene.", "The 4-month-old baby is fine."),
    ("Il 28enne è stato arrestato.", "The 28-year-old was arrested."),
    ("Astana, 28 febbraio 2023.", "Astana, February 28, 2023."),
    ("Martedì a Mosca.", "On Tuesday in Moscow."),
    ("Il tasso è salito al 15 per cento.", "The rate rose to 15%."),
    ("Una frontiera di 80 km.", "A border of 50 miles."),
    ("Lo ha detto Antony Blinken.", "Antony Blinken said so."),
    ("L'assemblea delle Nazioni Unite.", "The UN assembly."),
])
def test_preserved(it, en):
    report = check_translation(it, en)
    assert report.results and report.issues == 0, report.to_dict()
    assert report.recall == 1.0


@pytest.mark.parametrize(("it", "en", "fact", "status"), [
    ("Ci sono 12.100 casi.", "There are 12.100 cases.", "12.100", "altered"),
    ("Sono 7500 km.", "It is 7.5 km.", "7500 km", "altered"),
    ("Stanziati 25 milioni di dollari.", "$25 billion allocated.", "25 milioni di dollari", "altered"),
    ("Astana, 28 febbraio 2023.", "Astana, February 28, 2022.", "28 febbraio 2023", "altered"),
    ("Arriva martedì.", "He arrives on Friday.", "martedì", "altered"),
    ("Il tasso è al 15%.", "The rate is at 18%.", "15%", "altered"),
    ("Sono 7500 km.", "It is a long way.", "7500 km", "missing"),
    ("Lo ha detto Antony Blinken.", "The minister said so.", "Antony Blinken", "missing"),
    ("Lo ha detto Antony Blinken.", "Blinken said so.", "Antony Blinken", "altered"),
])
def test_issues(it, en, fact, status):
    assert (fact, status) in statuses(it, en)
    assert check_translation(it, en).issues >= 1


def test_unsupported_target_figure():
    report = check_translation("Sono arrivati ieri.", "They arrived yesterday, 300 of them.")
    assert [f.text for f in report.unsupported] == ["300"]
    assert report.issues == 0


def test_repeated_figure_must_repeat():
    it = "Ha stanziato 25 milioni di dollari, oltre ai 25 milioni di dollari già spesi."
    assert check_translation(it, "It allocated $25 million, on top of $25 million spent.").issues == 0
    assert check_translation(it, "It allocated $25 million, on top of $30 million spent.").issues == 1


def test_report_shape_is_json():
    report = check_translation("Costa 5mila euro a Mosca.", "It costs €5,000 in Moscow.")
    data = json.loads(json.dumps(report.to_dict()))
    assert set(data) == {"facts", "issues", "unverified", "unsupported"}
    assert set(data["facts"][0]) == {"kind", "source_text", "canonical", "target_text", "status",
                                     "detail", "source_span", "target_span"}
    assert "money:5000:EUR" in [f["canonical"] for f in data["facts"]]
    assert report.counts_by_kind()["money"]["preserved"] == 1


def test_no_facts_recall_is_one():
    assert check_translation("Piove.", "It rains.").recall == 1.0


def test_support():
    source = "Blinken ha annunciato 25 milioni di dollari per il Kazakistan martedì."
    report = check_support(source, "Blinken pledges $25 million to Kazakhstan")
    assert report.unsupported == 0
    bad = check_support(source, "Blinken pledges $25 billion to Uzbekistan on Friday")
    status = {f["text"]: f["status"] for f in bad.to_dict()["facts"]}
    assert status["$25 billion"] == "unsupported"
    assert status["Uzbekistan"] == "unsupported"
    assert status["Friday"] == "unsupported"
    assert bad.to_dict()["unsupported"] == 3


@pytest.mark.parametrize(
    ("it", "en"),
    [
        ("Il PIL è salito del 2%.", "GDP rose by 2%."),
        ("È la sua prima visita ufficiale.", "It is his first official visit."),
    ],
)
def test_acronyms_and_ordinal_words_need_no_flag(it, en):
    report = check_translation(it, en).to_dict()
    assert report["issues"] == 0 and not report["unsupported"], report


@pytest.mark.parametrize(
    ("it", "en"),
    [
        ("Meredith Kercher, la ragazza inglese trovata morta a Perugia.", "Meredith Kercher, the English student found dead in Perugia."),
        ("Un membro del partito conservatore gallese ha parlato.", "A Welsh Conservative member spoke."),
        ("La polizia ha arrestato due uomini.", "Police arrested two men."),
    ],
)
def test_lower_case_italian_words_support_english_names(it, en):
    assert check_support(it, en).to_dict()["unsupported"] == 0


def test_a_name_not_in_the_source_is_still_unsupported():
    report = check_support("La ragazza inglese è stata trovata a Perugia.", "The English girl was found in Perugia by Amanda Knox.").to_dict()
    assert report["unsupported"] == 1


def test_title_case_headline_words_are_not_names_when_the_article_uses_them_in_lower_case():
    source = "Il ciclone ha causato 351 morti e ha distrutto 20.000 case in Birmania."
    english = "The cyclone caused 351 deaths and destroyed 20,000 houses in Myanmar."
    headline = "Cyclone Caused 351 Deaths, Destroyed 20,000 Houses in Myanmar"
    # without the English, common English words the Italian does not capitalise are words too (#15)
    assert check_support(source, headline).to_dict()["unsupported"] == 0
    assert check_support(source, headline, english_context=english).to_dict()["unsupported"] == 0
    invented = "Cyclone Caused 351 Deaths, Says Antonio Guterres"
    assert check_support(source, invented, english_context=english).to_dict()["unsupported"] >= 1
