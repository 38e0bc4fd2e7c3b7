"""Prompt layout for reuse: what calls share comes first, so its KV state is computed once."""

from __future__ import annotations

from itertools import pairwise

from service.guard.policy import policy_for
from service.pipeline.options import RunOptions
from service.pipeline.result import UsageStats
from service.pipeline.translate import ChunkTranslator, Context

ARTICLE = """Il Comune approva il bilancio.

La giunta ha approvato martedì il progetto del ponte.

I lavori partiranno il 3 marzo e dureranno 18 mesi.
"""


def _english(request):
    if request.task == "translate":
        return "English: " + request.messages[-1]["content"].split("\n\n")[-1]
    return "The council approved the budget." if request.task == "headline" else "The council approved the budget on Tuesday."


def test_every_task_shares_one_system_prompt_and_chunks_extend_one_conversation(fake_backend, make_pipeline):
    fake_backend.responder = _english
    result = make_pipeline("off").run(ARTICLE, RunOptions(language_check=False))
    requests = fake_backend.requests
    assert {r.messages[0]["content"] for r in requests} == {requests[0].messages[0]["content"]}
    translations = [r for r in requests if r.task == "translate"]
    assert [len(r.messages) for r in translations] == [2, 4, 6]
    for earlier, later in pairwise(translations):
        assert later.messages[: len(earlier.messages)] == earlier.messages, "each call extends the previous one"
        assert later.messages[len(earlier.messages)]["role"] == "assistant"
    written = [r for r in requests if r.task in ("headline", "summary")]
    assert written and all(r.messages[-1]["content"].startswith(f"Article:\n\n{result.translation}\n\n") for r in written)


def test_the_conversation_restarts_from_the_last_chunk_when_it_outgrows_its_budget(fake_backend, fake_settings):
    translator = ChunkTranslator(fake_backend, fake_settings.prompts_dir, policy_for("off"), UsageStats())
    translator.history_budget = 40  # fake tokens are words
    context = Context()
    for n in range(4):
        translator.translate_chunk(f"Frase numero {n} con alcune parole in più.", context)
        context = translator.next_context(context, f"Sentence number {n} with a few more words.")
    assert 1 <= len(context.turns) < 4
    assert context.turns[-1][1] == "Sentence number 3 with a few more words."


def test_usage_counts_prompt_tokens_sent_and_computed():
    from service.models.base import Generation

    usage = UsageStats()
    usage.record(Generation("a", prompt_tokens=100, completion_tokens=5, seconds=1.0, cached_tokens=80, prefill_seconds=0.2))
    usage.record(Generation("a", prompt_tokens=100, completion_tokens=5, seconds=0.0, cached_tokens=100, reused=True))
    assert (usage.prompt_tokens, usage.prompt_tokens_computed, usage.calls, usage.reused_calls) == (100, 20, 1, 1)
    assert usage.prefill_seconds == 0.2
