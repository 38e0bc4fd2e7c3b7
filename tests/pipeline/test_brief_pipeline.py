"""The whole run on the fake backend: structure, metadata, warnings, events, bad input."""

from __future__ import annotations

import pytest

from service.errors import InputError
from service.pipeline.options import RunOptions

from .conftest import source_of

ARTICLE = """Nuovo ponte a Verona

La giunta ha approvato martedì il progetto. L'opera costerà 12,5 milioni di euro.

Leggi anche:

I lavori partiranno il 3 marzo 2025 e dureranno 18 mesi.

Foto: il rendering del ponte. Comune di Verona
"""

ENGLISH = {
    "Nuovo ponte a Verona": "New bridge in Verona",
    "La giunta ha approvato martedì il progetto. L'opera costerà 12,5 milioni di euro.":
        "The council approved the project on Tuesday. The work will cost 12.5 million euros.",
    "I lavori partiranno il 3 marzo 2025 e dureranno 18 mesi.": "Work will start on 3 March 2025 and last 18 months.",
}


def _translate(request):
    if request.task == "translate":
        return ENGLISH.get(source_of(request), "The rendering of the bridge. City of Verona")
    if request.task == "headline":
        return "Verona approves a 12.5 million euro bridge"
    return "Verona approved a bridge on Tuesday. It will cost 12.5 million euros and work starts on 3 March 2025."


def test_brief_keeps_structure_and_reports_everything(fake_backend, make_pipeline):
    fake_backend.responder = _translate
    events = []
    result = make_pipeline("off").run(ARTICLE, on_event=events.append)
    assert result.source_title == "Nuovo ponte a Verona" and result.title == "New bridge in Verona"
    assert [p.translation for p in result.paragraphs] == [ENGLISH[p.source] for p in result.paragraphs]
    assert len(result.paragraphs) == 2
    assert any("Leggi anche" in line for line in result.removed)
    assert result.captions and result.captions_translation
    assert result.headline == "Verona approves a 12.5 million euro bridge"
    assert result.summary.startswith("Verona approved")
    assert result.facts.translation.issues == 0
    assert result.facts.summary is not None and result.facts.summary.unsupported == 0
    assert set(result.timings) >= {"clean", "translate", "facts", "headline", "summary", "total"}
    assert result.models == {"translate": "fake", "headline": "fake", "summary": "fake"}
    assert result.prompts["headline"] == "headline@3+system@1"
    assert [e["event"] for e in events][0] == "cleaned" and events[-1]["event"] == "done"
    assert [e["block"] for e in events if e["event"] == "paragraph"] == ["title", "paragraph", "paragraph", "caption"]


def test_missing_fact_becomes_a_warning(fake_backend, make_pipeline):
    fake_backend.responder = lambda request: "The council approved the project."
    result = make_pipeline("off").run("La giunta ha approvato martedì il progetto da 12,5 milioni di euro.", RunOptions(write=()))
    codes = {w.code for w in result.warnings}
    assert "fact_missing" in codes
    assert result.facts.translation.issues >= 2


def test_markdown_has_headline_summary_and_flags(fake_backend, make_pipeline):
    fake_backend.responder = _translate
    markdown = make_pipeline("off").run(ARTICLE).to_markdown()
    assert markdown.startswith("# Verona approves")
    assert "**Summary.**" in markdown


@pytest.mark.parametrize(
    ("article", "code"),
    [
        ("   \n\n ", "empty_input"),
        (b"\xff\xfe caff\xe8", "not_utf8"),
        ("The council approved the project on Tuesday and the work will cost a lot of money, officials said.", "not_italian"),
        ("parola " * 5000, "input_too_large"),
    ],
)
def test_bad_input_is_a_clear_error(make_pipeline, article, code):
    with pytest.raises(InputError) as caught:
        make_pipeline().run(article)
    assert caught.value.code == code
    assert caught.value.hint


TITLED = """Roma stanzia 25 milioni per le scuole

Il Comune ha approvato il piano per le scuole della città. I lavori finiranno entro marzo 2025.
"""


def _titled(wrong_title: bool):  # type: ignore[no-untyped-def]
    def respond(request):  # type: ignore[no-untyped-def]
        if request.task == "translate":
            if source_of(request).startswith("Roma stanzia"):
                return "Rome allocates 52 million for schools" if wrong_title else "Rome allocates 25 million for schools"
            return "The city approved the plan for its schools. Work will end by March 2025."
        return "Rome funds its schools"
    return respond


def test_the_title_is_fact_checked_like_a_paragraph(fake_backend, make_pipeline):
    fake_backend.responder = _titled(wrong_title=False)
    result = make_pipeline("off").run(TITLED)
    title_facts = [f for f in result.facts.translation.facts if f.title == 0]
    assert title_facts and all(f.status == "preserved" for f in title_facts)
    assert any(f.source_text.startswith("25") for f in title_facts)
    assert all(f.paragraph is None for f in title_facts)

    fake_backend.responder = _titled(wrong_title=True)
    wrong = make_pipeline("off").run(TITLED)
    flagged = [f for f in wrong.facts.translation.facts if f.title == 0 and f.status != "preserved"]
    assert flagged and wrong.facts.translation.issues >= 1
    assert any("in the title" in w.message and w.paragraph is None for w in wrong.warnings)


def test_markdown_includes_the_translated_title(fake_backend, make_pipeline):
    fake_backend.responder = _titled(wrong_title=False)
    markdown = make_pipeline("off").run(TITLED).to_markdown()
    assert markdown.startswith("# Rome funds its schools\n")
    assert "## Translation\n\n### Rome allocates 25 million for schools\n" in markdown
