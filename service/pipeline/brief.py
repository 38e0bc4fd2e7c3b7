"""The whole run: article → clean → segment → translate → facts → headline + summary → result."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from ..models.base import Backend
from ..models.registry import get_backend
from ..settings import Settings
from ..text import clean_article, ensure_italian
from .result import BriefResult, BriefWarning, ParagraphResult, QualityReport, UsageStats
from .translate import ChunkTranslator, translate_paragraphs
from .write import Kind, Writer

EventCallback = Callable[[dict[str, Any]], None]


def paragraph_fact_report(paragraphs: Sequence[ParagraphResult], captions: Sequence[ParagraphResult] = (),
                          title: ParagraphResult | None = None) -> dict[str, Any]:
    """The translation's fact report, checked block by block and merged.

    Each fact carries `title` (0), `paragraph` (body index) or `caption` (caption index); its spans
    are relative to that block's source and translation.
    """
    from ..facts import check_translation

    facts: list[dict[str, Any]] = []
    unsupported: list[dict[str, Any]] = []
    blocks = ([("title", title)] if title is not None else []) + [("paragraph", p) for p in paragraphs] + [("caption", c) for c in captions]
    for where, block in blocks:
        report = check_translation(block.source, block.translation).to_dict()
        facts += [{**fact, where: block.index} for fact in report["facts"]]
        unsupported += [{**item, where: block.index} for item in report["unsupported"]]
    issues = sum(1 for fact in facts if fact["status"] in ("missing", "altered"))
    preserved = sum(1 for fact in facts if fact["status"] == "preserved")
    checked = sum(1 for fact in facts if fact["status"] != "unverified")
    return {
        "facts": facts,
        "issues": issues,
        "unverified": len(facts) - checked,
        "unsupported": unsupported,
        # strict recall over the facts the engine can check; unverified ones are "check by hand"
        "recall": preserved / checked if checked else 1.0,
    }


class BriefPipeline:
    """Holds the backends and prompts; `run` is safe to call repeatedly (not concurrently)."""

    def __init__(
        self, settings: Settings, translate_backend: Backend, writer_backend: Backend | None, guard: str | None = None, quality: str | None = None
    ) -> None:
        self.settings = settings
        self.guard = guard or settings.guard
        self.quality = quality or settings.quality
        self.translate_backend = translate_backend
        self.writer_backend = writer_backend

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        translate_config: str | None = None,
        writer_config: str | None = None,
        guard: str | None = None,
        quality: str | None = None,
    ) -> BriefPipeline:
        translate_name = translate_config or settings.translate_config
        writer_name = writer_config or settings.writer_config or translate_name
        translate_backend = get_backend(translate_name, settings)
        writer_backend = get_backend(writer_name, settings)
        return cls(settings, translate_backend, writer_backend, guard, quality)

    def load(self) -> None:
        self.translate_backend.ensure_loaded()
        if self.writer_backend is not None:
            self.writer_backend.ensure_loaded()

    def run(
        self,
        article: str | bytes,
        *,
        title: str | None = None,
        fmt: str = "auto",
        write: tuple[Kind, ...] = ("headline", "summary"),
        on_event: EventCallback | None = None,
        language_check: bool | None = None,
    ) -> BriefResult:
        emit = on_event or (lambda event: None)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        usage = UsageStats()

        cleaned = clean_article(article, fmt=fmt, max_chars=self.settings.max_article_chars, title=title)
        source_title = title or cleaned.title
        check = self.settings.language_check if language_check is None else language_check
        if check:
            ensure_italian(cleaned.text)
        timings["clean"] = time.perf_counter() - started
        emit({"event": "cleaned", "paragraphs": cleaned.paragraphs, "title": source_title, "removed": cleaned.removed, "captions": cleaned.captions})

        stage = time.perf_counter()
        self.translate_backend.ensure_loaded()
        timings["load"] = time.perf_counter() - stage

        stage = time.perf_counter()
        translator = ChunkTranslator(self.translate_backend, self.settings.prompts_dir, self.guard, usage, self.quality)
        titles = [source_title] if source_title else []
        blocks = titles + cleaned.paragraphs + cleaned.captions
        translated = translate_paragraphs(
            translator,
            blocks,
            self.translate_backend.config.chunk_tokens,
            on_paragraph=lambda p: emit({"event": "paragraph", **_block_position(p.index, len(titles), len(cleaned.paragraphs)), "source": p.source, "translation": p.translation, "total": len(blocks)}),
        )
        title_candidates = sum(c.candidates for c in translated[0].chunks) if titles else 0
        title_block = translated.pop(0) if titles else None
        if title_block is not None:
            title_block.index = 0
        translated_title = title_block.translation if title_block is not None else None
        captions = translated[len(cleaned.paragraphs):]
        translated = translated[: len(cleaned.paragraphs)]
        for index, paragraph in enumerate(translated):
            paragraph.index = index
        for index, caption in enumerate(captions):
            caption.index = index
        timings["translate"] = time.perf_counter() - stage

        stage = time.perf_counter()
        translation_report = paragraph_fact_report(translated, captions, title_block)
        timings["facts"] = time.perf_counter() - stage
        emit({"event": "facts", "translation": translation_report})

        english = "\n\n".join(p.translation for p in translated)
        source_text = "\n\n".join(p.source for p in translated)
        result = BriefResult(
            source_title=source_title,
            title=translated_title,
            translation=english,
            paragraphs=translated,
            removed=cleaned.removed,
            captions=cleaned.captions,
            captions_translation=[c.translation for c in captions],
            models={"translate": self.translate_backend.config.id},
            prompts={"translate": ",".join(translator.prompt_refs) or "none (text-to-text model)"},
            guard=self.guard,
            quality=QualityReport(preset=self.quality, candidates={"translation": sum(c.candidates for p in translated + captions for c in p.chunks) + (title_candidates if titles else 0)}),
            usage=usage,
            facts={"translation": translation_report},
        )
        result.warnings += _translation_warnings(translation_report, translated)

        if write and self.writer_backend is not None:
            writer = Writer(self.writer_backend, self.settings.prompts_dir, self.guard, usage, self.quality)
            # The summary first: the headline must not repeat its first sentence.
            for kind in sorted(write, key=lambda k: k != "summary"):
                stage = time.perf_counter()
                self.writer_backend.ensure_loaded()
                written = writer.write(kind, english, source_text, summary=result.summary if kind == "headline" else None)
                setattr(result, kind, written.text)
                result.quality.candidates[kind] = written.candidates
                result.models[kind] = self.writer_backend.config.id
                result.prompts[kind] = writer.prompt_ref(kind, written.how)
                result.facts[kind] = written.report or _support_report(source_text, written.text, english)
                result.warnings += [BriefWarning(code=f"{kind}_note", message=note) for note in written.notes]
                if result.facts[kind].get("unsupported"):
                    names = ", ".join(f["text"] for f in result.facts[kind]["facts"] if f["status"] == "unsupported")
                    result.warnings.append(BriefWarning(code=f"{kind}_unsupported", message=f"the {kind} states facts not in the article: {names}"))
                timings[kind] = time.perf_counter() - stage
                emit({"event": kind, "text": written.text, "facts": result.facts[kind]})

        timings["total"] = time.perf_counter() - started
        result.timings = {k: round(v, 3) for k, v in timings.items()}
        emit({"event": "done"})
        return result


def _block_position(block: int, titles: int, paragraphs: int) -> dict[str, Any]:
    """Where a translated block belongs: the title, body paragraph N or caption N."""
    if block < titles:
        return {"block": "title", "index": 0, "position": block}
    if block < titles + paragraphs:
        return {"block": "paragraph", "index": block - titles, "position": block}
    return {"block": "caption", "index": block - titles - paragraphs, "position": block}


def _support_report(source_it: str, text_en: str, english: str) -> dict[str, Any]:
    from ..facts import check_support

    return check_support(source_it, text_en, english_context=english).to_dict()


def _translation_warnings(report: dict[str, Any], paragraphs: list[ParagraphResult]) -> list[BriefWarning]:
    warnings = []
    for fact in report["facts"]:
        part = "title" if "title" in fact else "caption" if "caption" in fact else "translation"
        if fact["status"] in ("missing", "altered"):
            shown = f" (English has '{fact['target_text']}')" if fact.get("target_text") else ""
            warnings.append(
                BriefWarning(
                    code=f"fact_{fact['status']}",
                    message=f"{fact['kind']} '{fact['source_text']}' is {fact['status']} in the {part}{shown}"
                    + (f": {fact['detail']}" if fact.get("detail") else ""),
                    paragraph=fact.get("paragraph"),
                )
            )
        elif fact["status"] == "unverified":
            warnings.append(
                BriefWarning(
                    code="fact_unverified",
                    message=f"{fact['kind']} '{fact['source_text']}': check by hand ({fact.get('detail') or 'the fact checker cannot verify it'})",
                    paragraph=fact.get("paragraph"),
                )
            )
    for paragraph in paragraphs:
        if any(chunk.suspect for chunk in paragraph.chunks):
            warnings.append(BriefWarning(code="suspect_translation", message="the model's output for this paragraph does not look like a full translation; check it against the Italian", paragraph=paragraph.index))
        if not paragraph.translation.strip():
            warnings.append(BriefWarning(code="empty_translation", message="the model returned nothing for this paragraph", paragraph=paragraph.index))
    return warnings
