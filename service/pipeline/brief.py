"""The whole run: article → clean → blocks → translate → facts → headline + summary → result.

`BriefPipeline.run(article, options)` is the one entry point the CLI, HTTP API, jobs, eval and
bench call. Each stage is one method; `Stopwatch` times them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import InputError
from ..facts import CheckedFact, TranslationFacts, UnsupportedFact, WritingFacts, check_support, check_translation
from ..facts.english_support import check_support_english
from ..guard import Guard
from ..guard.attempts import Policy, Quality
from ..guard.policy import policy_for
from ..models.base import Backend
from ..models.registry import get_backend
from ..settings import Settings
from ..text import CleanedArticle
from .options import Article, Kind, RunOptions, prepare_article
from .result import BriefResult, BriefWarning, ParagraphResult, QualityReport, UsageStats
from .signature import ResultCache, cache_key, run_signature
from .translate import ChunkTranslator, translate_paragraphs
from .write import Writer

EventCallback = Callable[[dict[str, Any]], None]
PolicyFactory = Callable[[Guard, Quality], Policy]
BlockKind = Literal["title", "paragraph", "caption"]


@dataclass(frozen=True)
class Block:
    """One piece of the article translated on its own: the title, a body paragraph or a caption.
    `index` counts within its kind; `position` is its place in translation order."""

    kind: BlockKind
    index: int
    position: int
    source: str


def article_blocks(article: CleanedArticle) -> list[Block]:
    """Title (if any), body paragraphs, then captions: the order they are translated in."""
    parts: list[tuple[BlockKind, list[str]]] = [
        ("title", [article.title] if article.title else []),
        ("paragraph", article.paragraphs),
        ("caption", article.captions),
    ]
    blocks: list[Block] = []
    for kind, texts in parts:
        blocks += [Block(kind, index, len(blocks) + index, text) for index, text in enumerate(texts)]
    return blocks


class Stopwatch:
    """Seconds per stage, and the total since it was made."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - started

    def finish(self) -> dict[str, float]:
        self.seconds["total"] = time.perf_counter() - self.started
        return {name: round(seconds, 3) for name, seconds in self.seconds.items()}


def check_blocks(blocks: list[tuple[Block, ParagraphResult]]) -> TranslationFacts:
    """The translation's fact report, checked block by block and merged. Each fact carries
    `title` (0), `paragraph` (body index) or `caption` (caption index); its spans are relative to that block."""
    facts: list[CheckedFact] = []
    unsupported: list[UnsupportedFact] = []
    for block, translated in blocks:
        report = check_translation(translated.source, translated.translation).typed()
        where: dict[str, int] = {block.kind: block.index}
        facts += [fact.model_copy(update=where) for fact in report.facts]
        unsupported += [item.model_copy(update=where) for item in report.unsupported]
    return TranslationFacts.merge(facts, unsupported)


class BriefPipeline:
    """Holds the settings and the default backends; `run` is safe to call repeatedly (not concurrently).

    `policy_for` turns a `Guard` mode and quality preset into the guard policy the stages hand their model calls to
    (the seam for another policy)."""

    def __init__(self, settings: Settings, translate_backend: Backend, writer_backend: Backend | None,
                 policy_for: PolicyFactory = policy_for, result_cache: ResultCache | None = None) -> None:
        self.settings = settings
        self.translate_backend = translate_backend
        self.writer_backend = writer_backend
        self.policy_for = policy_for
        self.result_cache = result_cache  # finished results by content key (the API's job database); None: always run

    @classmethod
    def from_settings(cls, settings: Settings, options: RunOptions | None = None) -> BriefPipeline:
        """The backends the options (or else the settings) name; weights load lazily."""
        resolved = (options or RunOptions()).resolved(settings)
        assert resolved.translate_config and resolved.writer_config
        return cls(settings, get_backend(resolved.translate_config, settings), get_backend(resolved.writer_config, settings))

    def load(self) -> None:
        self.translate_backend.ensure_loaded()
        if self.writer_backend is not None:
            self.writer_backend.ensure_loaded()

    def prepare(self, article: Article | CleanedArticle | str | bytes, options: RunOptions | None = None) -> CleanedArticle:
        """Clean and language-check an article without running a model (see `prepare_article`)."""
        return prepare_article(article, options or RunOptions(), self.settings)

    def run(self, article: Article | CleanedArticle | str | bytes, options: RunOptions | None = None, *,
            on_event: EventCallback | None = None) -> BriefResult:
        """Brief one article. A `CleanedArticle` (from `prepare`) is not cleaned again."""
        options = options or RunOptions()
        resolved = options.resolved(self.settings)
        guard = Guard(resolved.guard or self.settings.guard)
        quality: Quality = resolved.quality or self.settings.quality
        policy = self.policy_for(guard, quality)
        watch = Stopwatch()
        usage = UsageStats()

        def emit(event: dict[str, Any]) -> None:
            resolved.check_deadline()
            if on_event is not None:
                on_event(event)

        with watch.stage("clean"):
            cleaned = self.prepare(article, resolved)
        emit({"event": "cleaned", "paragraphs": cleaned.paragraphs, "title": cleaned.title, "removed": cleaned.removed,
              "captions": cleaned.captions})

        translate_backend, writer_backend = self._backends(options, resolved)
        english_source = resolved.source_language == "en"
        if english_source and guard is not Guard.OFF:
            raise InputError("an English article runs with the guard off: the guard checks facts against an Italian source",
                             "pass guard off with source_language en")
        key = None
        if self.result_cache is not None and not english_source:
            write = tuple(resolved.write) if writer_backend is not None else ()
            key = cache_key(cleaned, run_signature(translate_backend, writer_backend, self.settings.prompts_dir,
                                                   guard, quality, write))
            hit = self.result_cache.get(key)
            if hit is not None:
                result = BriefResult.model_validate(hit)
                result.cached = True
                result.usage = UsageStats()  # nothing was computed for this answer
                result.timings = watch.finish()
                emit({"event": "done", "cached": True})
                return result
        if english_source:  # nothing to translate: the English text is what the writer reads
            result = self._english_result(cleaned)
            result.quality = QualityReport(preset=quality)
        else:
            with watch.stage("load"):
                translate_backend.ensure_loaded()
            with watch.stage("translate"):
                translator = ChunkTranslator(translate_backend, self.settings.prompts_dir, policy, usage)
                blocks = self._translate(translator, article_blocks(cleaned), emit)
            with watch.stage("facts"):
                report = check_blocks(blocks)
            emit({"event": "facts", "translation": report})
            result = self._result(cleaned, blocks, report)
            result.models["translate"] = translate_backend.config.id
            result.prompts["translate"] = ",".join(translator.prompt_refs) or "none (text-to-text model)"
            result.quality = QualityReport(preset=quality,
                                           candidates={"translation": sum(c.candidates for _, p in blocks for c in p.chunks)})
        result.guard = guard
        result.usage = usage
        if resolved.write and writer_backend is not None:
            writer = Writer(writer_backend, self.settings.prompts_dir, policy, usage)
            # The summary first: the headline must not repeat its first sentence.
            for kind in sorted(resolved.write, key=lambda k: k != "summary"):
                with watch.stage(kind):
                    writer_backend.ensure_loaded()
                    self._write(writer, kind, result, english_source)
                emit({"event": kind, "text": getattr(result, kind), "facts": result.facts.written(kind)})

        result.timings = watch.finish()
        emit({"event": "done"})
        if key is not None and self.result_cache is not None:
            self.result_cache.put(key, "brief" if resolved.write else "translation", result.model_dump(mode="json"))
        return result

    # --- stages -------------------------------------------------------------------------------
    def _backends(self, options: RunOptions, resolved: RunOptions) -> tuple[Backend, Backend | None]:
        """The pipeline's own backends, unless the options name other model configs."""

        def pick(current: Backend | None, name: str | None) -> Backend | None:
            if name is None or (current is not None and current.config.id == name):
                return current
            return get_backend(name, self.settings)

        translate = pick(self.translate_backend, options.translate_config)
        assert translate is not None
        writer = pick(self.writer_backend, options.writer_config or (resolved.writer_config if options.translate_config else None))
        return translate, writer

    def _translate(self, translator: ChunkTranslator, blocks: list[Block], emit: EventCallback) -> list[tuple[Block, ParagraphResult]]:
        def report(paragraph: ParagraphResult) -> None:
            block = blocks[paragraph.index]
            emit({"event": "paragraph", "block": block.kind, "index": block.index, "position": block.position,
                  "source": paragraph.source, "translation": paragraph.translation, "total": len(blocks)})

        translated = translate_paragraphs(translator, [block.source for block in blocks],
                                          translator.backend.config.chunk_tokens, on_paragraph=report)
        for block, paragraph in zip(blocks, translated, strict=True):
            paragraph.index = block.index
        return list(zip(blocks, translated, strict=True))

    def _result(self, cleaned: CleanedArticle, blocks: list[tuple[Block, ParagraphResult]], report: TranslationFacts) -> BriefResult:
        title = next((p.translation for b, p in blocks if b.kind == "title"), None)
        paragraphs = [p for b, p in blocks if b.kind == "paragraph"]
        captions = [p for b, p in blocks if b.kind == "caption"]
        result = BriefResult(
            source_title=cleaned.title,
            title=title,
            translation="\n\n".join(p.translation for p in paragraphs),
            paragraphs=paragraphs,
            removed=cleaned.removed,
            captions=cleaned.captions,
            captions_translation=[c.translation for c in captions],
        )
        result.facts.translation = report
        result.warnings += _translation_warnings(report, paragraphs)
        result.warnings += _meaning_warnings(blocks)
        return result

    def _english_result(self, cleaned: CleanedArticle) -> BriefResult:
        """The result of an English article before writing: its paragraphs stand as their own translation."""
        paragraphs = [ParagraphResult(index=i, source=text, translation=text) for i, text in enumerate(cleaned.paragraphs)]
        return BriefResult(source_title=cleaned.title, title=cleaned.title, translation="\n\n".join(cleaned.paragraphs),
                           paragraphs=paragraphs, removed=cleaned.removed, captions=cleaned.captions,
                           captions_translation=list(cleaned.captions))

    def _write(self, writer: Writer, kind: Kind, result: BriefResult, english_source: bool = False) -> None:
        source_text = "\n\n".join(p.source for p in result.paragraphs)
        written = writer.write(kind, result.translation, source_text, summary=result.summary if kind == "headline" else None)
        setattr(result, kind, written.text)
        result.quality.candidates[kind] = written.candidates
        result.models[kind] = writer.backend.config.id
        result.prompts[kind] = writer.prompt_ref(kind, written.how)
        report = written.report
        if english_source:  # the guard's report read the source as Italian
            report = check_support_english(source_text, written.text)
        elif report is None:
            report = check_support(source_text, written.text, english_context=result.translation).typed()
        setattr(result.facts, kind, report)
        result.warnings += [BriefWarning(code=f"{kind}_note", message=note) for note in written.notes]
        if report.unsupported:
            names = ", ".join(fact.text for fact in report.unsupported_facts())
            result.warnings.append(BriefWarning(code=f"{kind}_unsupported", message=f"the {kind} states facts not in the article: {names}"))


def _translation_warnings(report: TranslationFacts, paragraphs: list[ParagraphResult]) -> list[BriefWarning]:
    warnings = []
    for fact in report.facts:
        part = "title" if fact.title is not None else "caption" if fact.caption is not None else "translation"
        if fact.status in ("missing", "altered"):
            shown = f" (English has '{fact.target_text}')" if fact.target_text else ""
            warnings.append(
                BriefWarning(
                    code=f"fact_{fact.status}",
                    message=f"{fact.kind} '{fact.source_text}' is {fact.status} in the {part}{shown}"
                    + (f": {fact.detail}" if fact.detail else ""),
                    paragraph=fact.paragraph,
                )
            )
        elif fact.status == "unverified":
            warnings.append(
                BriefWarning(
                    code="fact_unverified",
                    message=f"{fact.kind} '{fact.source_text}': check by hand ({fact.detail or 'the fact checker cannot verify it'})",
                    paragraph=fact.paragraph,
                )
            )
    for paragraph in paragraphs:
        if any(chunk.suspect for chunk in paragraph.chunks):
            warnings.append(BriefWarning(
                code="suspect_translation",
                message="the model's output for this paragraph does not look like a full translation; check it against the Italian",
                paragraph=paragraph.index))
        if not paragraph.translation.strip():
            warnings.append(BriefWarning(code="empty_translation", message="the model returned nothing for this paragraph",
                                         paragraph=paragraph.index))
    return warnings


def _meaning_warnings(blocks: list[tuple[Block, ParagraphResult]]) -> list[BriefWarning]:
    """Phrasebook expressions the kept translation did not render as expected (check by hand), and
    the ones a phrasebook rule rewrote (said, so an editor knows the model did not write those words)."""
    warnings = []
    for block, paragraph in blocks:
        where = block.index if block.kind == "paragraph" else None
        for chunk in paragraph.chunks:
            for flag in chunk.meaning:
                warnings.append(BriefWarning(code="meaning_check", message=f"{block.kind}: {flag}; check by hand", paragraph=where))
            for fix in chunk.fixes:
                warnings.append(BriefWarning(code="meaning_fixed", message=f"{block.kind}: {fix} by a phrasebook rule, not the model",
                                             paragraph=where))
    return warnings


__all__ = ["Article", "Block", "BriefPipeline", "RunOptions", "Stopwatch", "WritingFacts", "article_blocks", "check_blocks"]
