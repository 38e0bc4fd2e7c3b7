"""The headline/summary rules, the stated score, and the cut fallbacks."""

from __future__ import annotations

import pytest

from service.guard.rules import copies_summary, cut_headline, cut_summary, english_sentences, rule_breaks, score, words

SUMMARY = (
    "U.S. Secretary of State Antony Blinken visited Kazakhstan on his first official trip. "
    "He met the foreign ministers of the C5+1 group. Washington announced $25 million in new funding."
)
LONG = (
    "Washington announces $25 million in new financial support to help sustain the economy, including new "
    "commercial routes and help businesses find new export markets, in addition to the $25 million already committed"
)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        (SUMMARY, 3),
        ("Mr. Smith met Dr. Jones in the U.S. capital. They spoke for 2.5 hours.", 2),
        ("One sentence without a final stop", 1),
        ('He said "no." Then he left!', 2),
    ],
)
def test_english_sentences(text, count):
    assert len(english_sentences(text)) == count


def test_headline_rules():
    assert rule_breaks("headline", "Blinken meets Central Asian leaders in Kazakhstan", 0, SUMMARY) == []
    assert rule_breaks("headline", LONG, 0) == ["32 words (max 14)"]
    assert rule_breaks("headline", "", 0) == ["empty"]
    assert rule_breaks("headline", "Blinken meets leaders", 1) == ["1 unsupported figure/name"]
    copied = rule_breaks("headline", "U.S. Secretary of State Antony Blinken visited Kazakhstan", 0, SUMMARY)
    assert copied == ["repeats the summary's first sentence"]


def test_copy_of_summary_is_a_prefix_or_the_whole_first_sentence():
    assert copies_summary("U.S. Secretary of State Antony Blinken visited Kazakhstan on his first official trip", SUMMARY)
    assert copies_summary("U.S. Secretary of State", SUMMARY)
    assert not copies_summary("Blinken visits Kazakhstan", SUMMARY)
    assert not copies_summary("He met", "")


def test_summary_rules():
    assert rule_breaks("summary", SUMMARY, 0) == []
    assert rule_breaks("summary", "Blinken visited Kazakhstan.", 0) == ["1 sentence (2 to 4)"]
    five = " ".join(["Blinken visited Kazakhstan."] * 5)
    assert rule_breaks("summary", five, 0) == ["5 sentences (2 to 4)"]
    wordy = " ".join(["Blinken visited Kazakhstan and met " + "many leaders " * 20 + "there."] * 2)
    assert rule_breaks("summary", wordy, 2) == [f"{len(words(wordy))} words (max 90)", "2 unsupported figures/names"]


def test_score_prefers_key_facts_then_a_ten_word_headline():
    keys = ["$25 million", "Kazakhstan"]
    with_facts = score("headline", "Blinken pledges $25 million to Kazakhstan and its neighbours", keys)
    without = score("headline", "Blinken pledges new money to Central Asian neighbours in visit", keys)
    title_case = score("headline", "Blinken Pledges $25 Million To Kazakhstan And Its Neighbours", keys)
    assert with_facts > without and with_facts > title_case
    assert score("summary", SUMMARY, keys) == 1.0
    assert score("summary", SUMMARY, keys + ["Tokayev"]) == pytest.approx(2 / 3, abs=1e-3)


def test_cut_headline_keeps_a_clause_or_the_word_limit():
    assert cut_headline(LONG) == "Washington announces $25 million in new financial support to help sustain the economy"
    no_clause = "Blinken meets the five foreign ministers of Central Asia in Astana to talk about trade and security"
    cut = cut_headline(no_clause)
    assert len(words(cut)) <= 14 and not cut.endswith((" and", " about", " to"))


def test_cut_summary_keeps_whole_sentences():
    five = " ".join(f"Sentence number {n} is here." for n in range(1, 6))
    assert cut_summary(five) == "Sentence number 1 is here. Sentence number 2 is here. Sentence number 3 is here. Sentence number 4 is here."
    wordy = " ".join(["This sentence has exactly ten words in it, you see."] + ["Another sentence " + "with many words " * 10 + "here."] * 3)
    assert len(words(cut_summary(wordy))) <= 90 and len(english_sentences(cut_summary(wordy))) >= 2
