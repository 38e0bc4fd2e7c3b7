"""The phrasebook: which Italian expressions it finds, and when an English rendering is flagged."""

from __future__ import annotations

import pytest

from service.text.phrasebook import PHRASEBOOK_PATH, fix_text, load_phrasebook, meaning_flags, notes_for


def test_the_seed_traps_are_found_in_order():
    text = ("Gli Stati Uniti si propongono come alternativa alla Russia. Il Kazakistan si è astenuto. "
            "Non a caso Washington appoggia con forza la sovranità del Paese.")
    assert [note.italian for note in notes_for(text)] == ["si propongono come", "si è astenuto", "Non a caso", "appoggia con forza"]


def test_the_longest_match_wins_and_quotes_the_verb_with_its_adverb():
    # the seed: the adverb sits after the verb's object, inside a quotation
    (note,) = notes_for("Washington appoggia “la sovranità del Kazakistan con forza, la sua indipendenza”.")
    assert note.italian == "appoggia “la sovranità del Kazakistan con forza"
    assert note.line.endswith("→ strongly supports … («con forza» = strongly, placed before the verb)")
    (bare,) = notes_for("Ha parlato con forza.")  # no verb of the list: the bare note
    assert bare.italian == "con forza" and bare.english.startswith("strongly / firmly")


def test_a_note_line_shows_the_italian_and_the_rendering():
    (note,) = notes_for("Il Kazakistan si è astenuto.")
    assert note.line.startswith("- «si è astenuto» → abstained")


def test_typographic_apostrophes_are_read():
    assert notes_for("Il ministro incontra l’omologo francese.")


@pytest.mark.parametrize(("italian", "wrong", "right"), [
    ("Il Kazakistan si è astenuto sulla risoluzione.", "Kazakhstan had been silent on the resolution.",
     "Kazakhstan abstained on the resolution."),
    ("Washington sostiene con forza la sovranità del Kazakistan.", "Washington supports Kazakhstan's sovereignty with force.",
     "Washington strongly supports Kazakhstan's sovereignty."),
    ("Gli Stati Uniti si propongono come alternativa alla Russia.", "The US is proposing it as an alternative to Russia.",
     "The US presents itself as an alternative to Russia."),
    ("Blinken incontra i leader dell'Asia centrale", "Blinken clashes with the leader of Central Asia",
     "Blinken meets the leaders of Central Asia"),
    ("Sono sospettati di triangolazioni di merci sanzionate.", "They are suspected of sanctions-based trade deals.",
     "They are suspected of re-routing sanctioned goods through third countries."),
    ("Attualmente lavora a Roma.", "He actually works in Rome.", "He currently works in Rome."),
    ("Sono stati licenziati 40 operai.", "40 workers were licensed.", "40 workers were laid off."),
    ("Il ministro non ha escluso nuove tasse.", "The minister excluded new taxes.", "The minister did not rule out new taxes."),
    ("L'uomo è stato assolto.", "The man was absolved.", "The man was acquitted."),
])
def test_the_literal_trap_is_flagged_and_the_right_rendering_is_not(italian, wrong, right):
    assert meaning_flags(italian, wrong)
    assert meaning_flags(italian, right) == []


def test_con_la_forza_is_not_the_adverb():
    # "con la forza" really is "by force": no note, no flag
    assert notes_for("Hanno preso il potere con la forza.") == []
    assert meaning_flags("Hanno preso il potere con la forza.", "They took power by force.") == []


def test_a_passage_without_traps_has_no_notes():
    assert notes_for("Il sindaco ha inaugurato la nuova scuola martedì.") == []


def test_every_entry_compiles_and_has_a_rendering():
    book = load_phrasebook()
    assert book.ref == "phrasebook@2" and len(book.entries) >= 40
    assert all(entry.english for entry in book.entries)


def test_a_bad_entry_names_the_file_and_the_entry(tmp_path):
    bad = tmp_path / "book.yaml"
    bad.write_text('version: "9"\nentries:\n  - it: "(unclosed"\n    en: x\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"book.yaml entry 1: invalid pattern"):
        load_phrasebook(bad)
    assert PHRASEBOOK_PATH.is_file()


@pytest.mark.parametrize(("italian", "literal", "fixed"), [
    # the seed: the adverb inside a quotation, after the verb's object
    ("Washington appoggia “la sovranità del Kazakistan con forza, la sua indipendenza”.",
     "Washington supports \"Kazakhstan's sovereignty with force, its independence\".",
     "Washington strongly supports \"Kazakhstan's sovereignty, its independence\"."),
    ("Il ministro ha respinto con forza le accuse.", "The minister rejected the accusations with force.",
     "The minister firmly rejected the accusations."),
    ("Il sindaco ha chiesto con forza nuovi fondi.", "The mayor asked with strength for new funds.",
     "The mayor strongly asked for new funds."),
    # the verb at the start of its sentence; the sentence before is left alone
    ("Poi è partito. Ha condannato con forza l'attacco.", "Then he left. Condemned with force the attack.",
     "Then he left. Strongly condemned the attack."),
    # no English verb of the entry before the trap: the adverb takes the trap's place
    ("Washington sostiene con forza la sovranità del Kazakistan.", "Washington is for Kazakhstan's sovereignty with force.",
     "Washington is for Kazakhstan's sovereignty strongly."),
])
def test_a_fix_puts_the_adverb_before_the_verb_and_clears_the_flag(italian, literal, fixed):
    text, done = fix_text(italian, literal)
    assert text == fixed and len(done) == 1 and "con forza" in done[0]
    assert meaning_flags(italian, text) == []


def test_of_two_literal_renderings_the_one_after_the_verb_is_rewritten():
    text, _ = fix_text("Ha condannato con forza l'attacco.", "He left with force. Condemned with force the attack.")
    assert text == "He left with force. Strongly condemned the attack."


def test_no_fix_without_the_trap_or_without_a_rule():
    right = "Washington strongly supports Kazakhstan's sovereignty."
    assert fix_text("Washington sostiene con forza la sovranità del Kazakistan.", right) == (right, [])
    # the bare «con forza» (no verb of the list) and «si è astenuto» have no rule: flagged, never rewritten
    assert fix_text("Ha parlato con forza.", "He spoke with force.") == ("He spoke with force.", [])
    assert fix_text("Il Kazakistan si è astenuto.", "Kazakhstan was silent.") == ("Kazakhstan was silent.", [])


def test_a_fix_needs_the_trap_it_rewrites(tmp_path):
    bad = tmp_path / "book.yaml"
    bad.write_text('version: "9"\nentries:\n  - it: "x"\n    en: y\n    fix: z\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"entry 1: `fix`.*give both `fix` and `avoid`"):
        load_phrasebook(bad)
