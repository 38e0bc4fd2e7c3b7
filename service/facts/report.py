"""Reports: `FactReport` (translation vs source) and `SupportReport` (headline/summary vs source).

The engine works on `Fact` records; `FactReport.typed()` and `SupportReport.typed()` turn its
results into the pydantic models every layer above passes around (`TranslationFacts`,
`WritingFacts`), which become JSON only at the edges (HTTP, CLI, files). To add a status, extend
`FactStatus` (and `ISSUE_STATUSES` when the new status counts as an issue).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, get_args

from pydantic import BaseModel, Field

from .fact import Fact

# `unverified`: a fact the engine can see but cannot check with confidence (a capitalised Italian
# phrase made of ordinary Italian words, an acronym with no match). Shown as "check by hand"; not
# an issue, never a reason to retry.
FactStatus = Literal["preserved", "missing", "altered", "unverified"]
STATUSES: tuple[str, ...] = get_args(FactStatus)
ISSUE_STATUSES = frozenset({"missing", "altered"})
SupportStatus = Literal["supported", "unsupported"]
_BLOCK = {"title", "paragraph", "caption"}


# --- the typed reports every layer above the engine uses --------------------------------------
class CheckedFact(BaseModel):
    """One fact of the Italian source and what became of it in the English translation."""

    kind: str = Field(description="number, money, percent, date, time, quantity, ordinal, person, place or org")
    source_text: str = Field(description="the fact as written in the Italian source")
    canonical: str = Field(description="language-neutral value, e.g. 'money:25000000:EUR'")
    target_text: str | None = Field(None, description="the English text it was matched with (None when missing)")
    status: FactStatus
    detail: str = Field("", description="what differs, for an altered fact ('day 16 → 46'); why, for an unverified one")
    source_span: tuple[int, int] = Field(description="character span in the source block")
    target_span: tuple[int, int] | None = Field(None, description="character span in the translated block")
    title: int | None = Field(None, description="0 when the fact is in the title (in a brief's merged report)")
    paragraph: int | None = Field(None, description="body paragraph index (in a brief's merged report)")
    caption: int | None = Field(None, description="caption index (in a brief's merged report)")


class UnsupportedFact(BaseModel):
    """A figure or name in the English that no source fact accounts for."""

    kind: str
    target_text: str
    canonical: str
    title: int | None = None
    paragraph: int | None = None
    caption: int | None = None


class TranslationFacts(BaseModel):
    """A translation's fact report: every source fact with a status, plus unsupported English facts."""

    facts: list[CheckedFact] = Field(default_factory=list)
    issues: int = Field(0, description="source facts missing or altered in the translation")
    unverified: int = Field(0, description="source facts the engine could not check (check them by hand)")
    unsupported: list[UnsupportedFact] = Field(default_factory=list)
    recall: float = Field(1.0, description="share of the checkable (not unverified) source facts preserved; 1.0 when none")

    @classmethod
    def merge(cls, facts: list[CheckedFact], unsupported: list[UnsupportedFact]) -> TranslationFacts:
        preserved = sum(1 for fact in facts if fact.status == "preserved")
        checked = sum(1 for fact in facts if fact.status != "unverified")
        return cls(
            facts=facts,
            issues=sum(1 for fact in facts if fact.status in ISSUE_STATUSES),
            unverified=len(facts) - checked,
            unsupported=unsupported,
            # strict recall over the facts the engine can check; unverified ones are "check by hand"
            recall=preserved / checked if checked else 1.0,
        )

    def flagged(self) -> list[CheckedFact]:
        """Missing or altered facts (not unverified ones)."""
        return [fact for fact in self.facts if fact.status in ISSUE_STATUSES]

    def to_check(self) -> list[CheckedFact]:
        """Every fact an editor should look at: missing, altered or unverified."""
        return [fact for fact in self.facts if fact.status != "preserved"]


class WrittenFact(BaseModel):
    """A figure or name in a generated headline or summary, backed by the source or not."""

    kind: str
    text: str
    canonical: str
    status: SupportStatus


class WritingFacts(BaseModel):
    """The support report of a headline or summary."""

    facts: list[WrittenFact] = Field(default_factory=list)
    unsupported: int = Field(0, description="facts the article does not state")

    def unsupported_facts(self) -> list[WrittenFact]:
        return [fact for fact in self.facts if fact.status == "unsupported"]


# --- the engine's own records -------------------------------------------------------------------
@dataclass(frozen=True)
class FactResult:
    """One source fact and what became of it in the target."""

    fact: Fact
    status: FactStatus
    target: Fact | None = None
    detail: str = ""

    def typed(self) -> CheckedFact:
        return CheckedFact(
            kind=self.fact.kind,
            source_text=self.fact.text,
            canonical=self.fact.canonical_str,
            target_text=self.target.text if self.target else None,
            status=self.status,
            detail=self.detail,
            source_span=self.fact.span,
            target_span=self.target.span if self.target else None,
        )

    def to_dict(self) -> dict:
        return self.typed().model_dump(mode="json", exclude=_BLOCK)


@dataclass
class FactReport:
    """Every source fact with a status, plus target figures/names the source does not support."""

    results: list[FactResult] = field(default_factory=list)
    unsupported: list[Fact] = field(default_factory=list)

    @property
    def issues(self) -> int:
        """How many source facts are missing or altered in the target."""
        return sum(r.status in ISSUE_STATUSES for r in self.results)

    @property
    def unverified(self) -> int:
        return sum(r.status == "unverified" for r in self.results)

    @property
    def recall(self) -> float:
        """Share of the checked (not unverified) source facts preserved; 1.0 when there are none."""
        checked = [r for r in self.results if r.status != "unverified"]
        if not checked:
            return 1.0
        return sum(r.status == "preserved" for r in checked) / len(checked)

    def flagged(self) -> list[FactResult]:
        """Missing or altered facts (not unverified ones)."""
        return [r for r in self.results if r.status in ISSUE_STATUSES]

    def counts_by_kind(self) -> dict[str, dict[str, int]]:
        """{kind: {status: count}} over the source facts."""
        counts: dict[str, Counter] = {}
        for r in self.results:
            counts.setdefault(r.fact.kind, Counter())[r.status] += 1
        return {kind: {s: c[s] for s in STATUSES} for kind, c in sorted(counts.items())}

    def typed(self) -> TranslationFacts:
        unsupported = [UnsupportedFact(kind=f.kind, target_text=f.text, canonical=f.canonical_str) for f in self.unsupported]
        return TranslationFacts.merge([r.typed() for r in self.results], unsupported)

    def to_dict(self) -> dict:
        """The JSON `brief check` prints (the typed report without block indexes or recall)."""
        return self.typed().model_dump(mode="json", exclude={"recall": True, "facts": {"__all__": _BLOCK},
                                                             "unsupported": {"__all__": _BLOCK}})


@dataclass(frozen=True)
class SupportResult:
    fact: Fact
    supported: bool

    def typed(self) -> WrittenFact:
        return WrittenFact(kind=self.fact.kind, text=self.fact.text, canonical=self.fact.canonical_str,
                           status="supported" if self.supported else "unsupported")

    def to_dict(self) -> dict:
        return self.typed().model_dump(mode="json")


@dataclass
class SupportReport:
    """Each figure/name in a generated headline or summary, supported by the source or not."""

    results: list[SupportResult] = field(default_factory=list)

    @property
    def unsupported(self) -> int:
        return sum(not r.supported for r in self.results)

    def typed(self) -> WritingFacts:
        return WritingFacts(facts=[r.typed() for r in self.results], unsupported=self.unsupported)

    def to_dict(self) -> dict:
        return self.typed().model_dump(mode="json")
