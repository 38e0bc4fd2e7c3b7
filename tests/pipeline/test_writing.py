"""Headline and summary candidates: rule-breakers rejected, the best valid one by score, fallbacks said."""

from __future__ import annotations

from service.guard.policy import policy_for
from service.pipeline.result import UsageStats
from service.pipeline.write import Writer

ITALIAN = "Washington ha annunciato martedì 25 milioni di dollari di nuovi finanziamenti per il Kazakistan."
ENGLISH = "Washington announced on Tuesday $25 million in new funding for Kazakhstan."
SUMMARY = "Washington announced $25 million in new funding for Kazakhstan on Tuesday. The money will support trade."
LONG = (
    "Washington announces $25 million in new financial support to help sustain the economy of Kazakhstan, "
    "including new commercial routes and help for businesses"
)


def _writer(backend, settings, guard="repair", quality="balanced"):
    return Writer(backend, settings.prompts_dir, policy_for(guard, quality), UsageStats())


def _is_fix(request) -> bool:
    return "Rewrite the headline" in request.messages[0]["content"]


def test_a_too_long_headline_is_rejected_for_a_valid_one(fake_backend, fake_settings):
    fake_backend.enqueue(LONG, "Washington pledges $25 million to Kazakhstan", "US pledges new money")
    written = _writer(fake_backend, fake_settings).write("headline", ENGLISH, ITALIAN, summary=SUMMARY)
    assert written.text == "Washington pledges $25 million to Kazakhstan"
    assert written.how == "hinted" and not written.notes


def test_the_best_valid_candidate_wins_not_the_first(fake_backend, fake_settings):
    # plain is valid but carries no key fact; hinted carries one; the sampled one carries two
    fake_backend.enqueue("US promises new money for Central Asia", "US pledges $25 million in new funding",
                         "Washington pledges $25 million for Kazakhstan")
    written = _writer(fake_backend, fake_settings).write("headline", ENGLISH, ITALIAN, summary=SUMMARY)
    assert written.candidates == 3 and written.text == "Washington pledges $25 million for Kazakhstan"


def test_fast_stops_at_the_first_valid_candidate_with_a_key_fact(fake_backend, fake_settings):
    fake_backend.enqueue("Washington pledges $25 million in new funding", "never asked for")
    written = _writer(fake_backend, fake_settings, quality="fast").write("headline", ENGLISH, ITALIAN, summary=SUMMARY)
    assert written.candidates == 1 and written.text == "Washington pledges $25 million in new funding"


def test_a_copy_of_the_summary_is_rejected(fake_backend, fake_settings):
    copy = "Washington announced $25 million in new funding for Kazakhstan on Tuesday"
    fake_backend.enqueue(copy, copy, copy, "Kazakhstan gets $25 million from Washington")
    written = _writer(fake_backend, fake_settings).write("headline", ENGLISH, ITALIAN, summary=SUMMARY)
    assert written.text == "Kazakhstan gets $25 million from Washington"
    assert written.how == "rewritten" and _is_fix(fake_backend.requests[-1])
    assert "rewritten by the headline_fix@1 prompt" in written.notes[0] and "repeats the summary" in written.notes[0]


def test_when_the_rewrite_fails_too_the_headline_is_cut_and_a_note_says_so(fake_backend, fake_settings):
    fake_backend.responder = lambda request: LONG
    written = _writer(fake_backend, fake_settings).write("headline", ENGLISH, ITALIAN, summary=SUMMARY)
    assert written.how == "cut" and written.text == "Washington announces $25 million in new financial support to help sustain the economy"
    assert len(written.text.split()) <= 14
    assert "cut to fit" in written.notes[0] and "words (max 14)" in written.notes[0]


def test_guard_off_writes_one_candidate_and_cuts_without_a_rewrite_call(fake_backend, fake_settings):
    fake_backend.responder = lambda request: LONG
    written = _writer(fake_backend, fake_settings, guard="off").write("headline", ENGLISH, ITALIAN)
    assert len(fake_backend.requests) == 1 and written.how == "cut"


def test_a_too_long_summary_is_cut_to_whole_sentences(fake_backend, fake_settings):
    sentence = "Washington announced $25 million in new funding for Kazakhstan on Tuesday."
    fake_backend.responder = lambda request: " ".join([sentence] * 6)
    written = _writer(fake_backend, fake_settings).write("summary", ENGLISH, ITALIAN)
    assert written.how == "cut" and written.text == " ".join([sentence] * 4)
    assert "6 sentences (2 to 4)" in written.notes[0]


def test_unsupported_figures_are_rejected_first(fake_backend, fake_settings):
    fake_backend.enqueue("Washington pledges $40 million to Kazakhstan", "Washington pledges $25 million to Kazakhstan")
    written = _writer(fake_backend, fake_settings).write("headline", ENGLISH, ITALIAN, summary=SUMMARY)
    assert written.text == "Washington pledges $25 million to Kazakhstan" and written.report is not None and written.report.unsupported == 0
