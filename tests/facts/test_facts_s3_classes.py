"""Classes of misses and false alarms fixed in session 3 (#10), each a general rule, not a row."""

from __future__ import annotations

import pytest

from service.facts.compare import check_translation


def _status(it: str, en: str, text: str) -> str:
    report = check_translation(it, en)
    return next(r.status for r in report.results if r.fact.text == text)


@pytest.mark.parametrize(("en", "status"), [
    ("In 1610 the astronomer Galileo Galilei observed Venus.", "preserved"),
    # one English word cannot stand for two tokens of the name ("Galil-" prefix of both)
    ("In 1610 the astronomer Galilei observed Venus.", "altered"),
])
def test_one_english_word_does_not_match_two_name_tokens(en: str, status: str) -> None:
    assert _status("Nel 1610 l'astronomo Galileo Galilei osservava Venere.", en, "Galileo Galilei") == status


@pytest.mark.parametrize(("it", "en", "text", "status"), [
    # an ordinary Italian word in a two-word name may be translated, in its place
    ("Abbiamo visitato Porta Pia ieri.", "We visited the Pia Gate yesterday.", "Porta Pia", "preserved"),
    ("Abbiamo visitato Porta Pia ieri.", "We visited Pia yesterday.", "Porta Pia", "altered"),
    # but dropped, with nothing in its place, it is a dropped word
    ("La National Basketball Association ha sospeso la stagione.",
     "The National Association suspended the season.", "National Basketball Association", "altered"),
])
def test_translated_word_must_stand_in_place(it: str, en: str, text: str, status: str) -> None:
    assert _status(it, en, text) == status


@pytest.mark.parametrize(("en", "status"), [
    ("San Francisco has developed tourism.", "preserved"),
    # "San" is a common Italian word the extractor leaves out of the name's tokens; dropped with
    # nothing in its place it is still a dropped part of the name
    ("Francisco has developed tourism.", "altered"),
])
def test_name_particle_before_the_name(en: str, status: str) -> None:
    assert _status("San Francisco ha sviluppato il turismo.", en, "Francisco") == status
