"""LibreTranslate's HTTP protocol: request parsing, language pairs, response bodies and `{"error": "..."}` errors.

The routes (`routes/libretranslate.py`) speak the protocol of LibreTranslate's `app.py`, so its
clients (`libretranslatepy`, browser extensions, CMS plugins) work unchanged: parameters come as
form fields or JSON (`q` a string or a list), errors are `{"error": "message"}` with
LibreTranslate's status codes (400 bad parameters or language pair, 403 invalid API key,
429 slow down). Only Italian → English is offered. One extension: `facts`, the fact report of
each text, next to `translatedText` (LibreTranslate clients ignore unknown fields).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import BriefError, InputError
from ..pipeline.result import BriefResult
from ..settings import Settings
from ..text import LANGUAGE_CODES, NotItalianError, detect_languages, ensure_italian, italian_score
from .deps import key_is_valid, presented_key
from .errors import QueueFullError, UnauthorizedError, status_for

SOURCE, TARGET = "it", "en"
NAMES = {code: name for name, code in LANGUAGE_CODES.items()}
FORMATS = ("text", "html")
_OFFERED = "this server translates Italian (it) to English (en) only"
_PAIR_HINT = "set source to 'it' (or 'auto' for Italian text) and target to 'en'"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ApiKeyRequiredError(BriefError):
    """LibreTranslate answers a missing key with 400 (an invalid one with 403)."""

    code = "api_key_required"


# --- errors ----------------------------------------------------------------------------------------
def status(error: BriefError) -> int:
    """LibreTranslate's status for an error: 400 for anything wrong with the request, 403 for a bad key."""
    if isinstance(error, UnauthorizedError):
        return 403
    if isinstance(error, ApiKeyRequiredError):
        return 400
    if error.code in ("queue_full", "payload_too_large"):
        return status_for(error)
    return 400 if isinstance(error, InputError) else status_for(error)


def error_text(message: str, hint: str = "") -> str:
    message, hint = message.strip(), hint.strip()
    if not hint:
        return message
    if not message.endswith((".", "!", "?")):
        message += "."
    return f"{message} {hint[0].upper()}{hint[1:]}"


def render_error(code: str, message: str, hint: str) -> dict[str, Any]:
    """`{"error": "message hint"}`, plus our stable `code` (an extension clients ignore)."""
    return {"error": error_text(message, hint), "code": code}


def error_response(error: BriefError) -> JSONResponse:
    headers: dict[str, str] = {}
    if error.code == "not_italian":
        error.hint = f"Send Italian text: {_OFFERED}."
    body = render_error(error.code, error.message, error.hint)
    if isinstance(error, QueueFullError):
        headers["Retry-After"] = str(error.retry_after)
        body["error"] = f"Slowdown: {body['error']}"
    return JSONResponse(body, status_code=status(error), headers=headers)


def response_for(exc: Exception) -> JSONResponse | None:
    """The LibreTranslate-shaped answer to an exception raised while serving a route (None: not ours to answer)."""
    if isinstance(exc, BriefError):
        return error_response(exc)
    if isinstance(exc, RequestValidationError):
        return error_response(InputError(f"Invalid request: {exc.errors()[0].get('msg', 'bad parameters')}"))
    if isinstance(exc, StarletteHTTPException):
        code = "payload_too_large" if exc.status_code == 413 else f"http_{exc.status_code}"
        return JSONResponse(render_error(code, str(exc.detail), ""), status_code=exc.status_code, headers=exc.headers)
    return None


# --- requests --------------------------------------------------------------------------------------
async def read_params(request: Request) -> tuple[dict[str, Any], bool]:
    """The request's parameters as LibreTranslate reads them: a JSON object, or query + form fields.

    Returns (params, is_json). A form field sent more than once (`q=a&q=b`) becomes a list.
    """
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise InputError("Invalid JSON format", "send a JSON object such as {\"q\": \"...\", \"source\": \"it\", \"target\": \"en\"}") from None
        if not isinstance(body, dict):
            raise InputError("Invalid JSON format", "send a JSON object, not a list or a single value")
        return body, True
    fields: list[tuple[str, Any]] = list(request.query_params.multi_items())
    if media_type in _FORM_TYPES:
        fields += list((await request.form()).multi_items())
    elif await request.body():
        raise InputError(f"Unsupported content type '{media_type or 'none'}'",
                         "send form fields (application/x-www-form-urlencoded or multipart/form-data) or a JSON object")
    params: dict[str, Any] = {}
    for key, value in fields:
        if isinstance(value, UploadFile):
            raise InputError(f"Invalid request: {key} must be text, not a file", "send the text itself as a form field")
        if key in params:
            params[key] = [*params[key], value] if isinstance(params[key], list) else [params[key], value]
        else:
            params[key] = value
    return params, False


def check_key(settings: Settings, params: dict[str, Any], request: Request) -> None:
    """`api_key` (a parameter, as LibreTranslate sends it, or our usual headers) against `BRIEF_API_KEYS`."""
    if not settings.api_keys:
        return
    given = params.get("api_key")
    if not isinstance(given, str) or not given:
        given = presented_key(request.headers.get("authorization"), request.headers.get("x-api-key"))
    if not given:
        raise ApiKeyRequiredError("Please contact the server operator to get an API key",
                                  "send it as the api_key parameter (or the header 'Authorization: Bearer KEY')")
    if not key_is_valid(settings, given):
        raise UnauthorizedError("Invalid API key", "check the api_key parameter")


def _missing(name: str) -> InputError:
    return InputError(f"Invalid request: missing {name} parameter")


def texts_of(q: Any) -> tuple[list[str], bool]:
    if isinstance(q, str):
        return [q], False
    if isinstance(q, list) and all(isinstance(item, str) for item in q):
        return list(q), True
    raise InputError("Invalid request: q must be a string or a list of strings")


def _language(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _missing(name)
    return value.strip().lower()


def _describe(code: str) -> str:
    return f"{NAMES[code]} ({code})" if code in NAMES else code


@dataclass
class TranslateCall:
    """A validated `POST /translate`: the texts, whether `q` was a list, and the options."""

    texts: list[str]
    batch: bool
    source: str
    fmt: str
    alternatives: int

    @classmethod
    def parse(cls, params: dict[str, Any], is_json: bool) -> TranslateCall:
        """Validate as LibreTranslate does, in its order: q, source, target, alternatives, pair, format."""
        q = params.get("q")
        if not q:
            raise _missing("q")
        texts, batch = texts_of(q)
        if not is_json:  # LibreTranslate normalises form line endings to LF
            texts = ["\n".join(text.splitlines()) for text in texts]
        source = _language(params.get("source"), "source")
        target = _language(params.get("target"), "target")
        try:
            alternatives = max(0, int(params.get("alternatives") or 0))
        except (TypeError, ValueError):
            raise InputError("Invalid request: alternatives parameter is not a number") from None
        if source not in ("auto", SOURCE):
            if source not in NAMES:
                raise InputError(f"{source} is not supported", _PAIR_HINT)
            raise InputError(f"{_describe(source)} is not available as a source language: {_OFFERED}", _PAIR_HINT)
        if target != TARGET:
            if target not in NAMES:
                raise InputError(f"{target} is not supported", _PAIR_HINT)
            raise InputError(f"{_describe(target)} is not available as a target language from Italian (it): {_OFFERED}",
                             _PAIR_HINT)
        fmt = params.get("format") or "text"
        if fmt not in FORMATS:
            raise InputError(f"{fmt} format is not supported", "use format 'text' or 'html'")
        return cls(texts, batch, source, fmt, alternatives)


# --- languages -------------------------------------------------------------------------------------
class DetectedLanguage(BaseModel):
    confidence: float = Field(description="0..100")
    language: str = Field(description="ISO 639-1 code")


def detect(text: str) -> list[DetectedLanguage]:
    """`POST /detect`: up to three candidates, best first; LibreTranslate's `en` at 0 when nothing can tell."""
    ranked = detect_languages(text)
    if not ranked:
        return [DetectedLanguage(confidence=0.0, language="en")]
    return [DetectedLanguage(confidence=round(100 * share, 1), language=code) for code, share in ranked]


def detect_source(text: str, field: str | None) -> DetectedLanguage:
    """`source: auto`: the text must be Italian (the only source offered; the same test as the language
    check); a clear 400 otherwise. Short texts and texts without evidence count as Italian."""
    if not text.strip():
        return DetectedLanguage(confidence=0.0, language=SOURCE)
    try:
        ensure_italian(text)
    except NotItalianError:
        found = next(code for code, _ in detect_languages(text) if code != SOURCE)
        where = f"{field}: " if field else ""
        raise NotItalianError(f"{where}the text looks like {_describe(found)}, not Italian", "send Italian text") from None
    return DetectedLanguage(confidence=round(100 * italian_score(text), 1), language=SOURCE)


# --- responses -------------------------------------------------------------------------------------
def translated_text(result: BriefResult, fmt: str) -> str:
    """The whole text in English: the title (when one was found), the paragraphs, then photo captions.

    Boilerplate lines ("Leggi anche: ...") are left out, as in every brief. For `format: html`
    each block is an escaped `<p>` element (inline markup is not carried over).
    """
    blocks = ([result.title] if result.title else []) + [p.translation for p in result.paragraphs] + result.captions_translation
    if fmt == "html":
        return "\n".join(f"<p>{html.escape(block, quote=False)}</p>" for block in blocks)
    return "\n\n".join(blocks)


class TranslateResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    translated_text: str | list[str] = Field(alias="translatedText", description="the translation(s), in order")
    detected_language: DetectedLanguage | list[DetectedLanguage] | None = Field(
        None, alias="detectedLanguage", description="with `source: auto`")
    alternatives: list[str] | list[list[str]] | None = Field(
        None, description="with `alternatives` > 0: always empty (one translation is made)")
    # dumped as dicts: the route drops None fields (LibreTranslate's shape), a fact's own nulls must stay
    facts: dict[str, Any] | list[dict[str, Any] | None] | None = Field(
        None, description="extension: the fact report of each text, as in /v1/translate (null for a blank text)")


class Language(BaseModel):
    code: str
    name: str
    targets: list[str]


LANGUAGES = [Language(code=SOURCE, name=NAMES[SOURCE], targets=[TARGET]), Language(code=TARGET, name=NAMES[TARGET], targets=[])]


class LanguageRef(BaseModel):
    code: str
    name: str


class FrontendLanguages(BaseModel):
    source: LanguageRef
    target: LanguageRef


class FrontendSettings(BaseModel):
    char_limit: int = Field(alias="charLimit")
    frontend_timeout: int = Field(alias="frontendTimeout")
    api_keys: bool = Field(alias="apiKeys")
    key_required: bool = Field(alias="keyRequired")
    suggestions: bool
    files_translation: bool = Field(alias="filesTranslation")
    supported_files_format: list[str] = Field(alias="supportedFilesFormat")
    language: FrontendLanguages

    @classmethod
    def of(cls, settings: Settings) -> FrontendSettings:
        return cls(charLimit=settings.max_article_chars, frontendTimeout=500, apiKeys=bool(settings.api_keys),
                   keyRequired=bool(settings.api_keys), suggestions=False, filesTranslation=False, supportedFilesFormat=[],
                   language=FrontendLanguages(source=LanguageRef(code=SOURCE, name=NAMES[SOURCE]),
                                              target=LanguageRef(code=TARGET, name=NAMES[TARGET])))


TRANSLATE_FIELDS = {
    "type": "object",
    "required": ["q", "source", "target"],
    "properties": {
        "q": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}], "description": "text(s) to translate",
              "example": "Il Comune ha stanziato 12,5 milioni di euro."},
        "source": {"type": "string", "description": "'it', or 'auto' (the text must be Italian)", "example": "it"},
        "target": {"type": "string", "description": "'en'", "example": "en"},
        "format": {"type": "string", "enum": list(FORMATS), "default": "text"},
        "alternatives": {"type": "integer", "default": 0, "description": "accepted; no alternatives are made"},
        "api_key": {"type": "string", "description": "one of BRIEF_API_KEYS, when set"},
    },
}
DETECT_FIELDS = {
    "type": "object",
    "required": ["q"],
    "properties": {"q": {"type": "string", "example": "Il Comune ha approvato il bilancio."}, "api_key": {"type": "string"}},
}


def request_body(schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI `requestBody` for parameters that come as JSON or form fields."""
    content = {kind: {"schema": schema} for kind in ("application/json", *_FORM_TYPES)}
    return {"requestBody": {"required": True, "content": content}}
