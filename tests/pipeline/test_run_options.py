"""One way through the pipeline: `RunOptions` resolution, clean once, the deadline, the guard seam."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest

from service.guard import Guard
from service.guard.attempts import GuardedText, GuardedWriting, TranslateAttempt, Writing
from service.pipeline.brief import BriefPipeline, article_blocks
from service.pipeline.options import Article, DeadlineExceededError, RunOptions, prepare_article

ARTICLE = "Titolo del giorno\n\nIl comune ha speso 12,5 milioni di euro martedì.\n\nFoto: Comune di Verona"


def test_resolved_fills_every_default_from_the_settings(fake_settings):
    resolved = RunOptions().resolved(fake_settings.model_copy(update={"guard": Guard.VERIFY}))
    assert resolved.guard is Guard.VERIFY and resolved.language_check is True
    assert resolved.translate_config == "fake" and resolved.writer_config == "fake"  # the writer falls back to the translator
    assert resolved.max_article_chars == fake_settings.max_article_chars
    assert RunOptions(guard=Guard.OFF, language_check=False).resolved(fake_settings).guard is Guard.OFF
    assert RunOptions(translate_config="x").resolved(fake_settings).writer_config == "x"


def test_options_refuse_unknown_fields_and_modes():
    with pytest.raises(ValueError):
        RunOptions(guard="maybe")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        RunOptions(colour="blue")  # type: ignore[call-arg]


def test_a_prepared_article_is_not_cleaned_again(fake_backend, make_pipeline, fake_settings):
    fake_backend.responder = lambda request: "The town spent 12.5 million euros on Tuesday."
    cleaned = prepare_article(Article(ARTICLE, title="Un altro titolo"), RunOptions(), fake_settings)
    assert cleaned.title == "Un altro titolo" and cleaned.captions
    cleaned.paragraphs[0] = "Il comune ha speso 12,5 milioni di euro martedì, disse il sindaco."
    result = make_pipeline().run(cleaned, RunOptions(write=()))
    assert result.paragraphs[0].source == cleaned.paragraphs[0]  # a re-clean would not see the edit
    assert result.source_title == "Un altro titolo" and "clean" in result.timings


def test_blocks_are_title_paragraphs_then_captions(fake_settings):
    blocks = article_blocks(prepare_article(ARTICLE, RunOptions(), fake_settings))
    assert [(b.kind, b.index, b.position) for b in blocks] == [("title", 0, 0), ("paragraph", 0, 1), ("caption", 0, 2)]


def test_a_run_past_its_deadline_stops_at_the_next_report(fake_backend, make_pipeline):
    fake_backend.responder = lambda request: "The town spent 12.5 million euros on Tuesday."
    with pytest.raises(DeadlineExceededError) as caught:
        make_pipeline().run(ARTICLE, RunOptions(deadline=time.monotonic() - 1))
    assert caught.value.code == "request_timeout"
    assert fake_backend.requests == []  # stopped after cleaning, before any model call


@dataclass
class RecordingPolicy:
    """A stand-in guard policy: the pipeline hands it its one-call functions and keeps what it returns."""

    uses_hints: bool = False
    calls: list[str] = field(default_factory=list)

    def translate(self, source: str, attempt: TranslateAttempt, *, chat: bool) -> GuardedText:
        self.calls.append("translate")
        return GuardedText(attempt(source, with_context=False).upper(), attempts=1)

    def write(self, writing: Writing) -> GuardedWriting:
        self.calls.append(writing.kind)
        return GuardedWriting(writing.attempt(), notes=[f"{writing.kind} by the recording policy"])


def test_the_guard_policy_is_a_seam(fake_backend, fake_settings):
    fake_backend.responder = lambda request: "the town spent 12.5 million euros on tuesday."
    policy = RecordingPolicy()
    pipeline = BriefPipeline.from_settings(fake_settings)
    pipeline.policy_for = lambda guard, quality: policy  # type: ignore[assignment,return-value]
    result = pipeline.run(ARTICLE, RunOptions(guard=Guard.VERIFY))
    assert policy.calls == ["translate", "translate", "translate", "summary", "headline"]
    assert result.paragraphs[0].translation == "THE TOWN SPENT 12.5 MILLION EUROS ON TUESDAY."
    assert {w.code for w in result.warnings} >= {"headline_note", "summary_note"}
    assert result.guard is Guard.VERIFY
