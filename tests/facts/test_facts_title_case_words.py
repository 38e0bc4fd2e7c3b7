"""Title Case headlines: common English words are not names, real names still are (#15).

The headlines are the offline model's, from the seed article's briefs and eval/BASELINES.md."""

import pytest

from service.facts.compare import check_support, undo_title_case
from service.facts.english_support import check_support_english
from service.facts.lexicon import common_english_word

SEED = ("Il segretario di Stato americano Antony Blinken ha incontrato ad Astana i leader dell'Asia "
        "centrale. Gli Stati Uniti sostengono con forza la sovranità del Kazakistan e promuovono la "
        "crescita economica, la sicurezza e la cooperazione nella regione.")


def _unsupported(source: str, headline: str, english: str | None = None) -> set[str]:
    report = check_support(source, headline, english_context=english).to_dict()
    return {f["text"] for f in report["facts"] if f["status"] == "unsupported"}


@pytest.mark.parametrize("headline", [
    "U. S. Secretary Blinken Visits Central Asia, Promoting Sovereignty and Growth",
    "Blinken Visits Central Asia for Cooperation Talks",
    "Secretary Blinken Visits Central Asia to Promote Growth and Cooperation",
])
def test_seed_headline_words_are_not_unsupported_names(headline):
    assert _unsupported(SEED, headline) == set()
    english = "US Secretary of State Antony Blinken met the leaders of Central Asia in Astana."
    assert _unsupported(SEED, headline, english) == set()  # "Talks", "Promoting": no stem in the English


def test_wikinews_words_are_not_names():
    source = "La polizia ha arrestato un uomo accusato di aver causato l'incendio a Mugello."
    assert _unsupported(source, "Man Arrested in Mugello, Causing Outrage Over Accusations") == set()
    church = "La congregazione bianca ha venduto la chiesa di Harlem a una congregazione nera."
    english = "The white congregation sold the Harlem church to a black congregation."
    assert _unsupported(church, "Harlem: White Congregation Sold, Black Church Acquired", english) == set()


@pytest.mark.parametrize("name", ["Putin", "Trump", "Obama", "Merkel", "Moscow"])
def test_a_name_the_article_lacks_is_still_unsupported(name):
    assert name in _unsupported(SEED, f"Blinken Meets {name} in Central Asia, Promoting Growth"), name


def test_real_names_in_a_headline_are_still_found_and_supported():
    headline = "In Astana, Blinken Visits Kazakhstan and Central Asia, Promoting Growth"
    report = check_support(SEED, headline).to_dict()
    names = {f["text"]: f["status"] for f in report["facts"]}
    assert names == {"Astana": "supported", "Blinken": "supported", "Kazakhstan": "supported",
                     "Central Asia": "supported"}


@pytest.mark.parametrize(("source", "headline", "name"), [
    ("Apple ha venduto 10 milioni di telefoni.", "Shares Climb After Apple Sold 10 Million Phones", "Apple"),
    ("Il presidente Bush ha parlato ai giornalisti.", "President Bush Talks to Journalists", "Bush"),
    ("L'uragano Rosa ha colpito la costa del Messico.", "Hurricane Rosa Hits the Coast of Mexico", "Rosa"),
    ("Il pittore Rose ha vinto il premio.", "Painter Rose Wins the Prize", "Rose"),
])
def test_names_that_are_also_words_stay_names_when_the_article_capitalises_them(source, headline, name):
    assert name in undo_title_case(headline, "", source)
    report = check_support(source, headline).to_dict()
    assert any(name in f["text"] and f["status"] == "supported" for f in report["facts"]), report
    assert report["unsupported"] == 0, report


def test_adjectives_of_gazetteer_names_and_months_keep_their_capitals():
    headline = "Indonesian Navy Talks Resume in May After Syrian Accusations"
    assert undo_title_case(headline, "", "La marina ha ripreso i colloqui.") == \
        "Indonesian navy talks resume in May after Syrian accusations"


def test_the_word_list_thresholds():
    assert all(common_english_word(w) for w in ["Promoting", "Talks", "Causing", "Accusations", "Sold", "Promote"])
    assert not any(common_english_word(w) for w in ["Putin", "Blinken", "Trump", "Bush", "Apple", "Rose", "Rosa",
                                                    "Germany", "Florence", "Kazakhstan", "NATO", "Earth", "Baltic"])


def test_proper_nouns_that_are_also_words_keep_their_capitals():
    # simplemma keeps the capital of "Earth", "Baltic", "Arctic": an invented one is still flagged
    headline = "Probe Returns to Earth After Arctic Mission Over the Baltic"
    assert undo_title_case(headline, "", "La sonda è tornata.") == "Probe returns to Earth after Arctic mission over the Baltic"


def test_english_source_support_reads_title_case_too():
    source = "The white congregation sold the Harlem church building to a black congregation last year."
    report = check_support_english(source, "Harlem Church Sold: White Congregation Leaves, Black Church Acquired")
    assert report.unsupported == 0, report
    assert check_support_english(source, "Harlem Church Sold to Trump").unsupported == 1
