"""The repair loop: a wrong candidate is replaced by a right one, and the loop stops at its bound."""

from __future__ import annotations

from service.guard.policy import MAX_TRANSLATION_ATTEMPTS, policy_for
from service.pipeline.result import UsageStats
from service.pipeline.translate import ChunkTranslator

from .conftest import source_of

SOURCE = "Il 28enne Vidal è stato arrestato martedì a Mosca."
WRONG = "The 28th Vidal was arrested on Monday in Moscow."
RIGHT = "The 28-year-old Vidal was arrested on Tuesday in Moscow."


def _translator(backend, settings, guard):
    return ChunkTranslator(backend, settings.prompts_dir, policy_for(guard, "fast"), UsageStats())


def test_repair_replaces_a_wrong_first_candidate(fake_backend, fake_settings):
    fake_backend.enqueue(WRONG, RIGHT)
    result = _translator(fake_backend, fake_settings, "repair").translate_chunk(SOURCE, None)
    assert result.translation == RIGHT
    assert result.attempts == 2
    assert result.repaired and result.issues == 0


def test_repair_sends_hints_with_the_expected_english_forms(fake_backend, fake_settings):
    fake_backend.enqueue(RIGHT)
    _translator(fake_backend, fake_settings, "repair").translate_chunk(SOURCE, None)
    prompt = fake_backend.requests[0].messages[-1]["content"]
    assert "Tuesday" in prompt and "28-year-old" in prompt and "Moscow" in prompt


def test_repair_stops_at_the_bound_and_reports_remaining_issues(fake_backend, fake_settings):
    fake_backend.responder = lambda request: WRONG
    result = _translator(fake_backend, fake_settings, "repair").translate_chunk(SOURCE, None)
    assert len(fake_backend.requests) == MAX_TRANSLATION_ATTEMPTS
    assert result.attempts == MAX_TRANSLATION_ATTEMPTS
    assert result.issues > 0 and not result.repaired


def test_verify_checks_but_never_retries(fake_backend, fake_settings):
    fake_backend.enqueue(WRONG, RIGHT)
    result = _translator(fake_backend, fake_settings, "verify").translate_chunk(SOURCE, None)
    assert result.translation == WRONG and result.attempts == 1 and result.issues > 0


def test_off_sends_the_plain_prompt(fake_backend, fake_settings):
    fake_backend.enqueue(WRONG)
    result = _translator(fake_backend, fake_settings, "off").translate_chunk(SOURCE, None)
    assert result.translation == WRONG
    assert "must contain" not in fake_backend.requests[0].messages[-1]["content"]
    assert source_of(fake_backend.requests[0]) == SOURCE


def test_keeps_the_first_when_retries_are_worse(fake_backend, fake_settings):
    half = "The 28-year-old Vidal was arrested on Monday in Moscow."  # one issue (weekday)
    worse = "Vidal was arrested."  # age, weekday and place missing
    fake_backend.enqueue(half, worse, worse)
    result = _translator(fake_backend, fake_settings, "repair").translate_chunk(SOURCE, None)
    assert result.translation == half and result.issues == 1


def test_format_fix_only_touches_separators_and_is_reverified(fake_backend, fake_settings):
    source = "In città si contano 12.100 casi."
    italian_format = "The city counts 12.100 cases."  # reads as 12.1 in English
    fake_backend.responder = lambda request: italian_format
    result = _translator(fake_backend, fake_settings, "repair").translate_chunk(source, None)
    assert result.translation == "The city counts 12,100 cases."
    assert result.issues == 0


def _quality_translator(backend, settings, quality):
    return ChunkTranslator(backend, settings.prompts_dir, policy_for("repair", quality), UsageStats())


def _hinted(request) -> bool:
    return "Glossary" in request.messages[-1]["content"]


def test_balanced_keeps_a_clean_plain_candidate_in_one_call(fake_backend, fake_settings):
    fake_backend.enqueue(RIGHT)
    result = _quality_translator(fake_backend, fake_settings, "balanced").translate_chunk(SOURCE, None)
    assert result.translation == RIGHT and result.candidates == 1 and result.how == "plain"
    assert not _hinted(fake_backend.requests[0])


def test_balanced_plain_wins_a_tie_on_facts_against_the_hinted_candidate(fake_backend, fake_settings):
    plain = "The 28-year-old Vidal was arrested on Monday in Moscow."  # one issue (weekday)
    hinted = "The 28-year-old Vidal clashed with police on Monday in Moscow."  # same issue, worse meaning
    fake_backend.enqueue(plain, hinted)
    fake_backend.responder = lambda request: hinted
    result = _quality_translator(fake_backend, fake_settings, "balanced").translate_chunk(SOURCE, None)
    assert _hinted(fake_backend.requests[1])
    assert result.translation == plain and result.how == "plain" and result.issues == 1


def test_balanced_takes_the_hinted_candidate_when_it_has_fewer_fact_issues(fake_backend, fake_settings):
    fake_backend.enqueue(WRONG, RIGHT)
    result = _quality_translator(fake_backend, fake_settings, "balanced").translate_chunk(SOURCE, None)
    assert result.translation == RIGHT and result.how == "hinted" and result.candidates == 2


def test_best_always_scores_three_candidates(fake_backend, fake_settings):
    fake_backend.enqueue(RIGHT, RIGHT, RIGHT)
    result = _quality_translator(fake_backend, fake_settings, "best").translate_chunk(SOURCE, None)
    assert result.candidates == 3 and result.how == "plain"
    assert fake_backend.requests[2].temperature == 0.3


def test_consensus_prefers_the_candidate_closest_to_the_others():
    from service.guard.translation import consensus_scores

    texts = ["Vidal was arrested in Moscow.", "Vidal was arrested in Moscow on Tuesday.", "A cat sat on the mat."]
    scores = consensus_scores(texts, ["hinted", "retry-hinted", "retry-sampled"])
    assert scores.index(min(scores)) == 2
