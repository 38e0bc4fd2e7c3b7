"""Support of a headline or summary written from an English source (evaluation on English data
such as CNN/DM): the English extractor on both sides, figures matched by `compatible`, names
looked up in the source text. `check_support` is the Italian-source counterpart."""

from __future__ import annotations

from .compare import compatible, undo_title_case
from .extract import extract_english
from .name_match import NameIndex
from .report import WritingFacts, WrittenFact


def check_support_english(source_en: str, generated_en: str) -> WritingFacts:
    """Each fact of `generated_en`, supported by `source_en` or not."""
    source = [f for f in extract_english(source_en) if not f.is_name]
    names = NameIndex(source_en)
    generated_en = undo_title_case(generated_en, source_en)  # "Sold" in a Title Case headline is no name
    facts = []
    for fact in extract_english(generated_en):
        ok = names.has_any(fact.keys) if fact.is_name else any(compatible(s, fact) for s in source)
        facts.append(WrittenFact(kind=fact.kind, text=fact.text, canonical=fact.canonical_str, status="supported" if ok else "unsupported"))
    return WritingFacts(facts=facts, unsupported=sum(1 for f in facts if f.status == "unsupported"))
