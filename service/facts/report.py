"""Reports: `FactReport` (translation vs source) and `SupportReport` (headline/summary vs source)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .fact import Fact

# `unverified`: a fact the engine can see but cannot check with confidence (a capitalised Italian
# phrase made of ordinary Italian words, an acronym with no match). Shown as "check by hand"; not
# an issue, never a reason to retry.
STATUSES = ("preserved", "missing", "altered", "unverified")
ISSUE_STATUSES = frozenset({"missing", "altered"})


@dataclass(frozen=True)
class FactResult:
    """One source fact and what became of it in the target."""

    fact: Fact
    status: str
    target: Fact | None = None
    detail: str = ""

    def to_dict(self) -> dict:
        return {
            "kind": self.fact.kind,
            "source_text": self.fact.text,
            "canonical": self.fact.canonical_str,
            "target_text": self.target.text if self.target else None,
            "status": self.status,
            "detail": self.detail,
            "source_span": list(self.fact.span),
            "target_span": list(self.target.span) if self.target else None,
        }


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

    def to_dict(self) -> dict:
        return {
            "facts": [r.to_dict() for r in self.results],
            "issues": self.issues,
            "unverified": self.unverified,
            "unsupported": [
                {"kind": f.kind, "target_text": f.text, "canonical": f.canonical_str}
                for f in self.unsupported
            ],
        }


@dataclass(frozen=True)
class SupportResult:
    fact: Fact
    supported: bool

    def to_dict(self) -> dict:
        return {"kind": self.fact.kind, "text": self.fact.text,
                "canonical": self.fact.canonical_str,
                "status": "supported" if self.supported else "unsupported"}


@dataclass
class SupportReport:
    """Each figure/name in a generated headline or summary, supported by the source or not."""

    results: list[SupportResult] = field(default_factory=list)

    @property
    def unsupported(self) -> int:
        return sum(not r.supported for r in self.results)

    def to_dict(self) -> dict:
        return {"facts": [r.to_dict() for r in self.results], "unsupported": self.unsupported}
