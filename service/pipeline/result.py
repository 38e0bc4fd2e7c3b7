"""What a brief run returns. The HTTP API, CLI and eval suite all serialise this one model."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..facts import TranslationFacts, WritingFacts
from ..guard import Guard
from ..models.base import Generation


class BriefWarning(BaseModel):
    code: str
    message: str
    paragraph: int | None = None


class ChunkResult(BaseModel):
    source: str
    translation: str
    attempts: int = 1
    repaired: bool = False
    issues: int = 0
    suspect: bool = False  # the kept output does not look like a translation (guard could not fix it)
    candidates: int = 1  # translations of this chunk scored before one was kept
    how: str = "plain"  # which candidate was kept (plain, hinted, retry-…, sampled, …)
    meaning: list[str] = Field(default_factory=list, description="phrasebook expressions the kept translation does not render "
                               "as expected (service/text/phrasebook_it_en.yaml): check by hand")
    fixes: list[str] = Field(default_factory=list, description="words of the kept translation written by a phrasebook rule, "
                             "not the model (e.g. «with force» dropped, «strongly» put before «supports»)")


class ParagraphResult(BaseModel):
    index: int
    source: str
    translation: str
    chunks: list[ChunkResult] = Field(default_factory=list)


class UsageStats(BaseModel):
    prompt_tokens: int = Field(0, description="prompt tokens sent to the model, over all calls")
    prompt_tokens_computed: int = Field(0, description="of those, the ones the model computed (the rest came from its KV cache)")
    completion_tokens: int = 0
    generation_seconds: float = 0.0
    prefill_seconds: float = Field(0.0, description="of generation_seconds, the time spent reading prompts")
    calls: int = Field(0, description="model calls made")
    reused_calls: int = Field(0, description="requests identical to an earlier deterministic one, answered without a model call")

    @property
    def tokens_per_second(self) -> float:
        return self.completion_tokens / self.generation_seconds if self.generation_seconds else 0.0

    def add(self, prompt_tokens: int, completion_tokens: int, seconds: float, *,
            computed_tokens: int | None = None, prefill_seconds: float = 0.0) -> None:
        self.prompt_tokens += prompt_tokens
        self.prompt_tokens_computed += prompt_tokens if computed_tokens is None else computed_tokens
        self.completion_tokens += completion_tokens
        self.generation_seconds += seconds
        self.prefill_seconds += prefill_seconds
        self.calls += 1

    def record(self, generation: Generation) -> None:
        """Count one backend answer (a reused answer costs nothing and is counted apart)."""
        if generation.reused:
            self.reused_calls += 1
            return
        self.add(generation.prompt_tokens, generation.completion_tokens, generation.seconds,
                 computed_tokens=generation.computed_tokens, prefill_seconds=generation.prefill_seconds)


class QualityReport(BaseModel):
    preset: str = Field("balanced", description="the quality preset: fast, balanced or best")
    candidates: dict[str, int] = Field(default_factory=dict, description="candidates scored: translation (all chunks), headline, summary")


class BriefFacts(BaseModel):
    """The fact reports of one brief: the translation's, and the support of each part written."""

    translation: TranslationFacts = Field(default_factory=TranslationFacts)
    headline: WritingFacts | None = Field(None, description="facts in the headline, supported by the article or not")
    summary: WritingFacts | None = Field(None, description="facts in the summary, supported by the article or not")

    def written(self, kind: str) -> WritingFacts | None:
        return self.headline if kind == "headline" else self.summary if kind == "summary" else None


class BriefResult(BaseModel):
    source_title: str | None = None
    title: str | None = Field(None, description="the source title translated, when the article had one")
    translation: str
    paragraphs: list[ParagraphResult]
    headline: str | None = None
    summary: str | None = None
    removed: list[str] = Field(default_factory=list, description="boilerplate lines dropped from the source")
    captions: list[str] = Field(default_factory=list, description="photo credits/captions kept out of the body")
    captions_translation: list[str] = Field(default_factory=list, description="the captions in English, in the same order")
    models: dict[str, str] = Field(default_factory=dict)
    prompts: dict[str, str] = Field(default_factory=dict)
    guard: Guard = Guard.OFF
    quality: QualityReport = Field(default_factory=QualityReport)
    timings: dict[str, float] = Field(default_factory=dict)
    usage: UsageStats = Field(default_factory=UsageStats)
    warnings: list[BriefWarning] = Field(default_factory=list)
    facts: BriefFacts = Field(default_factory=BriefFacts)
    cached: bool = Field(False, description="served from the result cache: the same article and run signature were briefed before")

    def to_markdown(self) -> str:
        lines = [f"# {self.headline or self.title or 'Brief'}", ""]
        if self.summary:
            lines += [f"**Summary.** {self.summary}", ""]
        lines += ["## Translation", ""]
        if self.title and self.headline:  # without a headline the title is already the first line
            lines += [f"### {self.title}", ""]
        lines += [p.translation + "\n" for p in self.paragraphs]
        if self.captions_translation:
            lines += ["## Captions", ""] + [f"- {c}" for c in self.captions_translation] + [""]
        report = self.facts.translation
        flagged = report.flagged()
        by_hand = [f for f in report.facts if f.status == "unverified"]
        if flagged or by_hand or self.warnings:
            lines += ["## Check these", ""]
            lines += [f"- {f.kind} **{f.source_text}**: {f.status}" + (f" ({f.detail})" if f.detail else "") for f in flagged]
            lines += [f"- {f.kind} **{f.source_text}**: check by hand (the fact checker cannot verify it)" for f in by_hand]
            lines += [f"- {w.message}" for w in self.warnings]
            lines.append("")
        lines.append(f"_Models: {', '.join(f'{k}={v}' for k, v in self.models.items())}; guard: {self.guard}._")
        return "\n".join(lines) + "\n"
