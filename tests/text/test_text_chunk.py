import re

import pytest

from service.text import SegmentTooLongError, chunk_sentences


def words(text: str) -> int:
    """A stand-in tokenizer: one token per whitespace-separated word."""
    return len(text.split())


def chars(text: str) -> int:
    return len(text)


SENTENCES = [
    "Il Comune ha approvato il bilancio.",
    "La spesa sale del 2,5 per cento.",
    "Gli investimenti valgono 1.234,56 euro.",
    "Il confine è lungo 7.500 km.",
    "Fine.",
]


def joined(chunks: list[str]) -> list[str]:
    return " ".join(chunks).split()


@pytest.mark.parametrize("budget", [6, 7, 10, 13, 100])
def test_budget_respected_and_round_trip(budget: int) -> None:
    chunks = chunk_sentences(SENTENCES, words, budget)
    assert all(words(chunk) <= budget for chunk in chunks)
    assert joined(chunks) == " ".join(SENTENCES).split()


def test_greedy_packing_keeps_sentences_whole() -> None:
    chunks = chunk_sentences(SENTENCES, words, 13)
    assert chunks == [
        "Il Comune ha approvato il bilancio. La spesa sale del 2,5 per cento.",
        "Gli investimenti valgono 1.234,56 euro. Il confine è lungo 7.500 km. Fine.",
    ]


def test_everything_in_one_chunk() -> None:
    assert chunk_sentences(SENTENCES, words, 1000) == [" ".join(SENTENCES)]


def test_empty_input() -> None:
    assert chunk_sentences([], words, 10) == []
    assert chunk_sentences(["", "  "], words, 10) == []


def test_long_sentence_split_at_clause_boundaries_first() -> None:
    long = (
        "Il governo ha deciso; il parlamento discute: la spesa sale, "
        "gli investimenti calano, il debito resta."
    )
    chunks = chunk_sentences([long], words, 6)
    assert chunks == [
        "Il governo ha deciso;",
        "il parlamento discute:",
        "la spesa sale, gli investimenti calano,",
        "il debito resta.",
    ]


def test_long_clause_split_at_whitespace() -> None:
    chunks = chunk_sentences(["uno due tre quattro cinque sei sette"], words, 3)
    assert chunks == ["uno due tre", "quattro cinque sei", "sette"]


@pytest.mark.parametrize("budget", range(11, 40, 3))
def test_numbers_are_never_split(budget: int) -> None:
    sentence = (
        "Il bilancio vale 1.234,56 euro, il confine 7.500 km e 7 500 metri, l'orario 11:00; "
        "la data 28.02.2023: la quota 2,5."
    )
    chunks = chunk_sentences([sentence], chars, budget)
    assert all(chars(chunk) <= budget for chunk in chunks)
    assert joined(chunks) == sentence.split()
    numbers = ["1.234,56", "7.500", "7 500", "11:00", "28.02.2023", "2,5"]
    for number in numbers:
        assert any(number in chunk for chunk in chunks), number


def test_impossible_piece_raises_with_numbers() -> None:
    with pytest.raises(SegmentTooLongError) as info:
        chunk_sentences(["Visita https://esempio.it/una/pagina/lunghissima oggi."], chars, 20)
    error = info.value
    assert error.code == "segment_too_long"
    assert re.search(r"\b\d+ tokens\b", error.message) and "budget of 20" in error.message
    assert error.hint


def test_bad_budget() -> None:
    with pytest.raises(ValueError):
        chunk_sentences(SENTENCES, words, 0)


def test_round_trip_with_uneven_whitespace() -> None:
    sentences = ["  Uno   due\ntre. ", "Quattro,  cinque sei sette otto."]
    chunks = chunk_sentences(sentences, words, 3)
    assert all(words(chunk) <= 3 for chunk in chunks)
    assert joined(chunks) == " ".join(sentences).split()
