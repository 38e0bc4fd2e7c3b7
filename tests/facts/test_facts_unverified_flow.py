"""`unverified` facts downstream: never a reason to retry, shown as "check by hand"."""

from service.facts import TranslationFacts
from service.guard.translation import _needs_repair, judge
from service.pipeline.brief import _translation_warnings
from service.pipeline.result import BriefFacts, BriefResult

IT = "Guardava la Via Lattea con Haile Gebrselassie."


def test_guard_does_not_retry_on_unverified():
    candidate = judge(IT, "He watched the Milky Way with Haile Gebrselassie.", "plain")
    assert candidate.issues == 0 and not _needs_repair(candidate)
    dropped = judge(IT, "He watched the Milky Way with Haile.", "plain")
    assert dropped.issues == 1 and _needs_repair(dropped)
    assert dropped.problems[0].detail == "'Gebrselassie' missing"


def test_markdown_and_warnings_say_check_by_hand():
    facts = [{"kind": "person", "source_text": "Via Lattea", "status": "unverified",
              "detail": "ordinary Italian words, may be translated", "paragraph": 0},
             {"kind": "person", "source_text": "Haile Gebrselassie", "status": "altered", "detail": "'Gebrselassie' missing", "paragraph": 0}]
    facts = [{"canonical": f"person:{f['source_text']}", "source_span": (0, 1), **f} for f in facts]
    report = TranslationFacts.model_validate({"facts": facts})
    result = BriefResult(translation="x", paragraphs=[], facts=BriefFacts(translation=report))
    markdown = result.to_markdown()
    assert "**Via Lattea**: check by hand" in markdown
    assert "**Haile Gebrselassie**: altered ('Gebrselassie' missing)" in markdown
    warnings = _translation_warnings(report, [])
    assert [w.code for w in warnings] == ["fact_unverified", "fact_altered"]
