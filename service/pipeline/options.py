"""What one run needs besides the article: `Article` (the input) and `RunOptions` (how to run it).

Every caller — CLI, HTTP routes, jobs, eval, bench — builds one `RunOptions` and calls
`BriefPipeline.run(article, options)`. Fields left `None` take the server's `Settings`;
`resolved(settings)` fills them in, in this one place.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import BriefError
from ..guard import Guard
from ..guard.attempts import Quality
from ..guard.rules import Kind
from ..settings import Settings
from ..text import CleanedArticle, clean_article, ensure_italian

InputFormat = Literal["auto", "text", "html", "markdown"]
SourceLanguage = Literal["it", "en"]
WRITE_ALL: tuple[Kind, ...] = ("headline", "summary")


class DeadlineExceededError(BriefError):
    """The run went past `RunOptions.deadline`; it stops at the next block or stage."""

    code = "request_timeout"


@dataclass(frozen=True)
class Article:
    """An article as it arrives: plain text, Markdown or HTML (str or UTF-8 bytes), with an optional
    title given apart from the text."""

    text: str | bytes
    title: str | None = None
    format: str = "auto"


class RunOptions(BaseModel):
    """How to run one article. `None` means "the setting's value"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    guard: Guard | None = Field(None, description="fact guard: off, verify or repair")
    quality: Quality | None = Field(None, description="quality preset: fast, balanced or best (candidates per chunk)")
    write: tuple[Kind, ...] = Field(WRITE_ALL, description="what to write besides the translation")
    language_check: bool | None = Field(None, description="refuse text that does not look Italian")
    translate_config: str | None = Field(None, description="model config for translation")
    writer_config: str | None = Field(None, description="model config for headline/summary (default: translate_config)")
    max_article_chars: int | None = Field(None, ge=1, description="longest cleaned article accepted")
    deadline: float | None = Field(None, description="time.monotonic() after which the run stops")
    source_language: SourceLanguage = Field(
        "it", description="the article's language: `en` (evaluation on English data) skips translation and the "
        "language check, writes from the English text, and needs guard off (the guard checks an Italian source)")

    def resolved(self, settings: Settings) -> RunOptions:
        """Every `None` replaced by the setting it stands for (the writer falls back to the translator)."""
        translate = self.translate_config or settings.translate_config
        return self.model_copy(update={
            "guard": settings.guard if self.guard is None else self.guard,
            "quality": self.quality or settings.quality,
            "language_check": settings.language_check if self.language_check is None else self.language_check,
            "translate_config": translate,
            "writer_config": self.writer_config or settings.writer_config or translate,
            "max_article_chars": self.max_article_chars or settings.max_article_chars,
        })

    def check_deadline(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise DeadlineExceededError("the run took longer than its deadline", "send a shorter article, or allow more time")


def prepare_article(article: Article | CleanedArticle | str | bytes, options: RunOptions, settings: Settings) -> CleanedArticle:
    """Clean the article and check it is Italian (milliseconds, no model): done once per run.

    The HTTP API calls this before queueing, so bad input is refused at once, and hands the
    cleaned article on; `BriefPipeline.run` does not clean a `CleanedArticle` again."""
    if isinstance(article, CleanedArticle):
        return article
    if not isinstance(article, Article):
        article = Article(article)
    resolved = options.resolved(settings)
    cleaned = clean_article(article.text, fmt=article.format, max_chars=resolved.max_article_chars, title=article.title)
    if article.title:
        cleaned = replace(cleaned, title=article.title)  # as given, not normalised
    if resolved.language_check and resolved.source_language == "it":
        ensure_italian(cleaned.text)
    return cleaned
