"""Request and response bodies of the HTTP API (requests forbid unknown fields)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from ..facts import TranslationFacts, WritingFacts
from ..guard import Guard
from ..pipeline.options import InputFormat, RunOptions
from ..pipeline.options import Kind as Part
from ..pipeline.result import BriefResult, BriefWarning, ParagraphResult


def _not_blank(text: str) -> str:
    if not text.strip():  # "" and whitespace alike: the error handler answers `422 empty_input`
        raise PydanticCustomError("empty_input", "the text is empty (or only whitespace)")
    return text


ArticleText = Annotated[str, AfterValidator(_not_blank), Field(json_schema_extra={"minLength": 1})]
"""An article or text to translate: must contain something besides whitespace."""


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_lone_surrogates(cls, data: Any) -> Any:
        """JSON may escape half a UTF-16 pair ("\\ud800"): such a string is no text and cannot be encoded."""
        if _has_lone_surrogate(data):
            raise ValueError("a string holds a lone surrogate (an escaped half of a UTF-16 pair such as \\ud800); "
                             "send valid Unicode text")
        return data


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _both_parts() -> list[Part]:
    return ["headline", "summary"]


class BriefOptions(_Request):
    guard: Guard | None = Field(None, description="fact guard: off, verify or repair (default: the server's setting)")
    language_check: StrictBool | None = Field(None, description="refuse text that does not look Italian (default: on)")
    write: list[Part] = Field(default_factory=_both_parts, description="what to write besides the translation")

    def run_options(self) -> RunOptions:
        return RunOptions(guard=self.guard, language_check=self.language_check, write=tuple(self.write))


# --- /v1/briefs ---------------------------------------------------------------------------------
class BriefRequest(_Request):
    article: ArticleText = Field(description="the Italian article: plain text, Markdown or HTML")
    title: str | None = Field(None, description="the article's title, if not in the text")
    format: InputFormat = Field("auto", description="how to read `article`")
    options: BriefOptions = Field(default_factory=BriefOptions)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"article": "Il governo ha stanziato 25 milioni di euro per le scuole. "
                                                    "I fondi arriveranno entro marzo 2025.", "format": "text"}]},
    )


# --- /v1/translate ------------------------------------------------------------------------------
class TranslateRequest(_Request):
    text: ArticleText | None = Field(None, description="one Italian text")
    texts: list[ArticleText] | None = Field(None, min_length=1, description="several Italian texts (one queue slot for all)")
    format: InputFormat = "auto"
    guard: Guard | None = None
    language_check: StrictBool | None = None

    def run_options(self) -> RunOptions:
        return RunOptions(guard=self.guard, language_check=self.language_check, write=())

    @model_validator(mode="after")
    def _one_of(self) -> TranslateRequest:
        if (self.text is None) == (self.texts is None):
            raise ValueError("send exactly one of `text` or `texts`")
        return self


class Translation(BaseModel):
    translation: str = Field(description="the English text, paragraphs separated by blank lines")
    paragraphs: list[ParagraphResult]
    facts: TranslationFacts = Field(description="the fact report of the translation")
    warnings: list[BriefWarning]
    removed: list[str] = Field(default_factory=list)
    captions: list[str] = Field(default_factory=list)
    cached: bool = Field(False, description="served from the result cache")

    @classmethod
    def of(cls, result: BriefResult) -> Translation:
        return cls(translation=result.translation, paragraphs=result.paragraphs, facts=result.facts.translation,
                   warnings=result.warnings, removed=result.removed, captions=result.captions, cached=result.cached)


class TranslateResponse(Translation):
    """For `{"text"}`: the translation's fields at the top level, and the model."""

    model: str


class TranslateManyResponse(BaseModel):
    """For `{"texts"}`: one `Translation` per text, in order."""

    results: list[Translation]
    model: str


class NestedTranslateResponse(BaseModel):
    """Deprecated (`?shape=nested`, removed in the next version): the old shape, `translation.translation`."""

    translation: Translation | None = Field(None, description="for `text`")
    results: list[Translation] | None = Field(None, description="for `texts`, in order")
    model: str


# --- /v1/summarize ------------------------------------------------------------------------------
class SummarizeRequest(_Request):
    text: ArticleText = Field(description="the Italian article")
    write: list[Part] = Field(default_factory=_both_parts, min_length=1)
    format: InputFormat = "auto"
    guard: Guard | None = None
    language_check: StrictBool | None = None

    def run_options(self) -> RunOptions:
        return RunOptions(guard=self.guard, language_check=self.language_check, write=tuple(self.write))


class SummarizeResponse(BaseModel):
    headline: str | None = None
    summary: str | None = None
    facts: dict[Part, WritingFacts] = Field(description="support report of each part written: facts not in the article are `unsupported`")
    warnings: list[BriefWarning]
    models: dict[str, str]


# --- /v1/jobs -----------------------------------------------------------------------------------
class JobArticle(_Request):
    id: str | None = Field(None, max_length=200, description="your id for this article, echoed in results")
    article: ArticleText
    title: str | None = None
    format: InputFormat = "auto"


class JobRequest(_Request):
    articles: list[JobArticle] = Field(min_length=1)
    options: BriefOptions = Field(default_factory=BriefOptions)


class JobCounts(BaseModel):
    pending: int
    running: int
    done: int
    failed: int
    cancelled: int


class JobItemResult(BaseModel):
    index: int
    id: str | None
    status: Literal["done", "failed", "cancelled", "pending", "running"]
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class JobStatus(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "done_with_errors", "cancelling", "cancelled"] = Field(
        description="`done_with_errors`: every article finished and `counts.failed` of them failed (see each result's "
                    "`error`); `cancelled`: some articles were cancelled")
    created_at: float
    total: int
    counts: JobCounts
    results: list[JobItemResult] | None = Field(None, description="finished articles so far, a page of them (omit with ?results=false)")
    next_offset: int | None = Field(None, description="more results follow: ask again with ?offset=next_offset")


# --- health and models --------------------------------------------------------------------------
class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: Literal["ready", "loading", "failed", "degraded"]
    model: str
    queue_depth: int
    queue_capacity: int
    error: dict[str, Any] | None = None


class ModelInfo(BaseModel):
    id: str
    description: str
    roles: list[str]
    backend: str
    licence: str
    licence_note: str = ""
    active: list[str] = Field(description="roles this server uses it for")
    loaded: bool


class ErrorBody(BaseModel):
    code: str
    message: str
    hint: str = ""
    details: Any = None


class ErrorResponse(BaseModel):
    error: ErrorBody
