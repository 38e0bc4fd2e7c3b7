"""`RunOptions(source_language="en")`: an English article (evaluation data such as CNN/DM) is
written from as it is, through the same `run` as everything else."""

from __future__ import annotations

import pytest

from service.errors import InputError
from service.guard import Guard
from service.pipeline.options import RunOptions

ENGLISH = "The city council approved a budget of $25 million on Monday.\n\nMayor Anna Rossi said work starts in 2026."
ENGLISH_OPTIONS = RunOptions(source_language="en", guard=Guard.OFF)


def _writer(request):
    return "Council approves $25 million budget" if request.task == "headline" else "The council approved a $25 million budget. Work starts in 2030."


def test_an_english_article_is_not_translated(fake_backend, make_pipeline):
    fake_backend.responder = _writer
    result = make_pipeline().run(ENGLISH, ENGLISH_OPTIONS)  # no language check refuses it
    assert {r.task for r in fake_backend.requests} == {"headline", "summary"}  # no translate call
    assert result.translation == ENGLISH and [p.source for p in result.paragraphs] == [p.translation for p in result.paragraphs]
    assert "translate" not in result.timings and "translate" not in result.models
    assert result.facts.translation.facts == [] and result.guard is Guard.OFF
    # written as for an Italian article: the summary first, then a headline that must not repeat it
    assert [r.task for r in fake_backend.requests] == ["summary", "headline"]


def test_support_of_an_english_article_reads_it_as_english(fake_backend, make_pipeline):
    fake_backend.responder = _writer
    result = make_pipeline().run(ENGLISH, ENGLISH_OPTIONS)
    summary = result.facts.summary
    assert summary is not None
    status = {fact.text: fact.status for fact in summary.facts}
    assert status["$25 million"] == "supported" and status["2030"] == "unsupported"
    assert summary.unsupported == 1
    assert any(w.code == "summary_unsupported" and "2030" in w.message for w in result.warnings)


@pytest.mark.parametrize("guard", [Guard.VERIFY, Guard.REPAIR, None])
def test_an_english_article_needs_the_guard_off(fake_backend, make_pipeline, guard):
    with pytest.raises(InputError, match="guard off"):  # None: the setting's mode, repair here
        make_pipeline("repair").run(ENGLISH, RunOptions(source_language="en", guard=guard))
    assert fake_backend.requests == []


def test_the_italian_path_still_checks_the_language(make_pipeline):
    from service.text import NotItalianError

    with pytest.raises(NotItalianError):
        make_pipeline().run(ENGLISH, RunOptions(guard=Guard.OFF))
