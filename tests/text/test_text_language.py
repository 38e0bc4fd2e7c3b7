import pytest

from service.text import LANGUAGE_CODES, NotItalianError, detect_languages, ensure_italian, italian_score

ITALIAN = [
    "Il Comune di Bologna ha approvato il bilancio dopo una lunga discussione in aula. "
    "La spesa sale del 2,5 per cento e gli investimenti crescono per il secondo anno.",
    # Italian tech news full of English names and words
    "Apple ha presentato a Cupertino il nuovo iPhone: secondo Tim Cook è lo smartphone "
    "più potente mai realizzato. Nella Silicon Valley la notizia è stata accolta con "
    "entusiasmo, mentre Google e Microsoft preparano la risposta con nuovi chatbot.",
    "Il premier ha incontrato Joe Biden alla White House per parlare di intelligenza "
    "artificiale, cloud computing e del Chips Act, una legge che vale miliardi di dollari.",
]

OTHER = [
    ("English", "The city council of Bologna approved the budget after a long debate. "
     "Spending will rise by 2.5 percent and investment is growing for the second year."),
    ("French", "Le conseil municipal de Bologne a approuvé le budget après un long débat. "
     "Les dépenses vont augmenter et les investissements sont en hausse pour la deuxième année."),
    ("Spanish", "El ayuntamiento de Bolonia aprobó el presupuesto después de un largo debate. "
     "El gasto sube y las inversiones crecen por segundo año en la ciudad."),
    ("German", "Der Stadtrat von Bologna hat den Haushalt nach einer langen Debatte "
     "verabschiedet. Die Ausgaben steigen und die Investitionen wachsen im zweiten Jahr."),
    ("Portuguese", "A câmara municipal de Bolonha aprovou o orçamento depois de um longo "
     "debate. Os gastos sobem e os investimentos crescem pelo segundo ano na cidade."),
]


@pytest.mark.parametrize("text", ITALIAN)
def test_italian_passes(text: str) -> None:
    assert italian_score(text) > 0.6
    ensure_italian(text)


@pytest.mark.parametrize(("language", "text"), OTHER)
def test_other_languages_fail(language: str, text: str) -> None:
    assert italian_score(text) < 0.3
    with pytest.raises(NotItalianError) as info:
        ensure_italian(text)
    assert info.value.code == "not_italian"
    assert language in info.value.message
    assert "--no-language-check" in info.value.hint


def test_short_text_not_judged() -> None:
    short = "It was the best of all the days."
    ensure_italian(short)  # under the default min_chars of 40
    with pytest.raises(NotItalianError):
        ensure_italian(short, min_chars=10)


def test_no_evidence_is_neutral() -> None:
    assert italian_score("") == 0.5
    assert italian_score("Apple Google Microsoft Amazon Netflix Tesla 2023 2024") == 0.5
    ensure_italian("Apple Google Microsoft Amazon Netflix Tesla Nvidia Intel Samsung 2023")


def test_score_is_between_zero_and_one() -> None:
    for text in ITALIAN + [text for _, text in OTHER]:
        assert 0.0 <= italian_score(text) <= 1.0


@pytest.mark.parametrize("text", ITALIAN)
def test_detect_puts_italian_first(text: str) -> None:
    ranked = detect_languages(text)
    assert ranked[0][0] == "it"
    assert 0 < ranked[0][1] <= 1 and len(ranked) <= 3
    assert [share for _, share in ranked] == sorted((share for _, share in ranked), reverse=True)


@pytest.mark.parametrize(("language", "text"), OTHER)
def test_detect_names_other_languages(language: str, text: str) -> None:
    assert detect_languages(text)[0][0] == LANGUAGE_CODES[language]


def test_detect_without_stopwords_is_empty() -> None:
    assert detect_languages("Ferrari 2024 Maranello") == []
