"""Phrasebook notes in the translation prompt, and meaning flags in the guard's choice."""

from __future__ import annotations

from service.guard.policy import policy_for
from service.pipeline.result import UsageStats
from service.pipeline.translate import ChunkTranslator

SOURCE = "Il Kazakistan si è astenuto sulla risoluzione."
LITERAL = "Kazakhstan had been silent on the resolution."
RIGHT = "Kazakhstan abstained on the resolution."


def _translator(backend, settings, quality, guard="repair"):
    return ChunkTranslator(backend, settings.prompts_dir, policy_for(guard, quality), UsageStats())


def test_a_passage_with_a_trap_gets_the_note_in_the_plain_prompt(fake_backend, fake_settings):
    fake_backend.enqueue(RIGHT)
    result = _translator(fake_backend, fake_settings, "balanced").translate_chunk(SOURCE, None)
    prompt = fake_backend.requests[0].messages[-1]["content"]
    assert "«si è astenuto» → abstained" in prompt and SOURCE in prompt
    assert result.translation == RIGHT and result.meaning == [] and len(fake_backend.requests) == 1


def test_a_passage_without_traps_gets_the_plain_prompt_unchanged(fake_backend, fake_settings):
    fake_backend.enqueue("The mayor opened the school.")
    _translator(fake_backend, fake_settings, "balanced").translate_chunk("Il sindaco ha inaugurato la scuola.", None)
    prompt = fake_backend.requests[0].messages[-1]["content"]
    assert "Notes on expressions" not in prompt and prompt.startswith("Translate into English.")


def test_fast_spends_no_call_on_a_trap_but_reports_it(fake_backend, fake_settings):
    fake_backend.enqueue(LITERAL, RIGHT)
    result = _translator(fake_backend, fake_settings, "fast").translate_chunk(SOURCE, None)
    assert result.translation == LITERAL and len(fake_backend.requests) == 1
    assert result.meaning and "silent" in result.meaning[0]


def test_balanced_tries_the_chunk_alone_once_when_it_hits_a_trap(fake_backend, fake_settings):
    from service.pipeline.translate import Context

    context = Context((("Traduci: Il voto.", "The vote."),))
    fake_backend.enqueue(LITERAL, RIGHT)
    result = _translator(fake_backend, fake_settings, "balanced").translate_chunk(SOURCE, context)
    assert result.translation == RIGHT and result.meaning == [] and result.how == "plain-alone"
    first, alone = fake_backend.requests
    assert len(first.messages) == 4 and len(alone.messages) == 2  # the second without the earlier turns
    assert "«si è astenuto» → abstained" in alone.messages[-1]["content"]


def test_balanced_spends_at_most_one_call_on_a_trap(fake_backend, fake_settings):
    fake_backend.responder = lambda request: LITERAL
    result = _translator(fake_backend, fake_settings, "balanced").translate_chunk(SOURCE, None)
    assert len(fake_backend.requests) == 2 and result.meaning and result.translation == LITERAL


def test_among_candidates_made_for_facts_the_one_without_the_trap_wins(fake_backend, fake_settings):
    source = "Il Kazakistan si è astenuto martedì."
    # `best` always scores plain, hinted and sampled candidates; all have their facts right here, and the
    # plain one (which otherwise wins a tie) falls into the trap
    fake_backend.enqueue("Kazakhstan was silent on Tuesday.", "Kazakhstan abstained on Tuesday.", "Kazakhstan was silent on Tuesday.")
    result = _translator(fake_backend, fake_settings, "best").translate_chunk(source, None)
    assert result.translation == "Kazakhstan abstained on Tuesday." and result.issues == 0 and result.meaning == []


def test_facts_still_come_before_meaning(fake_backend, fake_settings):
    source = "Il Kazakistan si è astenuto martedì."
    fake_backend.enqueue("Kazakhstan abstained on Monday.", "Kazakhstan was silent on Tuesday.")
    fake_backend.responder = lambda request: "Kazakhstan was silent on Tuesday."
    result = _translator(fake_backend, fake_settings, "balanced").translate_chunk(source, None)
    assert "Tuesday" in result.translation and result.issues == 0 and result.meaning


def test_the_prompt_refs_name_the_noted_prompt_and_the_phrasebook(fake_backend, fake_settings):
    refs = _translator(fake_backend, fake_settings, "balanced").prompt_refs
    assert any(ref.startswith("translate_noted@1") for ref in refs) and "phrasebook@2" in refs


def test_a_trap_the_guard_could_not_avoid_is_a_check_by_hand_warning(fake_backend, make_pipeline):
    fake_backend.responder = lambda request: LITERAL if request.task == "translate" else "Kazakhstan stayed silent on a resolution."
    result = make_pipeline("repair").run("Il voto all'Onu\n\n" + SOURCE + "\n")
    warnings = [w for w in result.warnings if w.code == "meaning_check"]
    assert warnings and "«si è astenuto» rendered as «silent»" in warnings[0].message and "check by hand" in warnings[0].message
    assert warnings[0].paragraph == 0
    assert result.paragraphs[0].chunks[0].meaning


CON_FORZA = "Washington sostiene con forza la sovranità del Kazakistan."
WITH_FORCE = "Washington supports Kazakhstan's sovereignty with force."


def test_a_trap_with_a_rule_is_rewritten_without_another_call_and_reported(fake_backend, fake_settings):
    fake_backend.responder = lambda request: WITH_FORCE
    result = _translator(fake_backend, fake_settings, "balanced").translate_chunk(CON_FORZA, None)
    assert result.translation == "Washington strongly supports Kazakhstan's sovereignty." and result.meaning == []
    assert len(fake_backend.requests) == 1  # the rule clears the flag: no try alone
    assert result.how == "plain+phrasebook-fix" and "«strongly» put before «supports»" in result.fixes[0]


def test_fast_rewrites_a_trap_with_a_rule_too(fake_backend, fake_settings):
    fake_backend.responder = lambda request: WITH_FORCE
    result = _translator(fake_backend, fake_settings, "fast").translate_chunk(CON_FORZA, None)
    assert result.translation == "Washington strongly supports Kazakhstan's sovereignty." and result.fixes


def test_guard_off_leaves_the_model_text_as_written(fake_backend, fake_settings):
    fake_backend.responder = lambda request: WITH_FORCE
    result = _translator(fake_backend, fake_settings, "balanced", guard="off").translate_chunk(CON_FORZA, None)
    assert result.translation == WITH_FORCE and result.fixes == []


def test_a_candidate_clear_of_the_trap_is_never_rewritten():
    from service.guard.translation import judge, phrase_fix

    right = judge(CON_FORZA, "Washington strongly supports Kazakhstan's sovereignty.", "plain")
    assert phrase_fix(CON_FORZA, right) is None


def test_a_rewritten_trap_is_a_warning_that_names_the_rule(fake_backend, make_pipeline):
    fake_backend.responder = lambda request: WITH_FORCE if request.task == "translate" else "Washington backs Kazakhstan."
    result = make_pipeline("repair").run("Il Kazakistan e gli Usa\n\n" + CON_FORZA + "\n")
    fixed = [w for w in result.warnings if w.code == "meaning_fixed"]
    assert fixed and "by a phrasebook rule, not the model" in fixed[0].message and fixed[0].paragraph == 0
    assert not [w for w in result.warnings if w.code == "meaning_check"]
    assert "strongly supports" in result.translation
