"""Errors as JSON: `{"error": {"code", "message", "hint", "details"?}}` with a stable `code`.

Every `BriefError` maps to an HTTP status by its `code`; input problems are 4xx, never 5xx.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import BriefError, InputError
from ..text.errors import EmptyInputError

log = logging.getLogger("service.api")


class UnauthorizedError(BriefError):
    code = "unauthorized"


class NotFoundError(BriefError):
    code = "not_found"


class QueueFullError(BriefError):
    """The bounded model queue is full; `retry_after` says when to try again (seconds)."""

    code = "queue_full"

    def __init__(self, message: str, hint: str = "", retry_after: int = 5) -> None:
        super().__init__(message, hint)
        self.retry_after = retry_after


class RequestTimeoutError(BriefError):
    code = "request_timeout"


class InternalError(BriefError):
    code = "internal_error"


class CancelledError(BriefError):
    code = "cancelled"


class ModelNotReadyError(BriefError):
    code = "model_unavailable"


class StorageError(BriefError):
    """The job store failed (disk full, database locked, read-only or corrupt); retried by the worker."""

    code = "storage_unavailable"


class IdempotencyConflictError(BriefError):
    code = "idempotency_conflict"


class JobFinishedError(BriefError):
    """DELETE on a job whose articles have all finished: there is nothing left to cancel."""

    code = "job_finished"


class PayloadTooLargeError(InputError):
    code = "payload_too_large"


class TooManyArticlesError(InputError):
    code = "too_many_articles"


class SchemaError(InputError):
    code = "invalid_request"


class UnsupportedMediaTypeError(InputError):
    code = "unsupported_media_type"


STATUS_BY_CODE: dict[str, int] = {
    "invalid_input": 400,
    "invalid_request": 422,
    "empty_input": 422,
    "not_italian": 422,
    "not_utf8": 422,
    "segment_too_long": 422,
    "input_too_large": 413,
    "payload_too_large": 413,
    "too_many_articles": 413,
    "unsupported_media_type": 415,
    "unauthorized": 401,
    "not_found": 404,
    "idempotency_conflict": 409,
    "job_finished": 409,
    "queue_full": 429,
    "cancelled": 409,
    "request_timeout": 504,
    "model_unavailable": 503,
    "storage_unavailable": 503,
    "weights_unavailable": 503,
    "backend_unavailable": 503,
    "invalid_config": 503,
    "internal_error": 500,
}


def for_api(error: BriefError) -> BriefError:
    """Swap a CLI-worded hint for its API equivalent."""
    if error.code == "not_italian":
        error.hint = "Send Italian text, or set options.language_check (language_check on /v1/translate) to false."
    return error


def status_for(error: BriefError) -> int:
    if error.code in STATUS_BY_CODE:
        return STATUS_BY_CODE[error.code]
    return 400 if isinstance(error, InputError) else 500


def error_body(error: BriefError, details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "message": error.message, "hint": error.hint}
    if details is not None:
        body["details"] = details
    return {"error": body}


def error_response(error: BriefError, details: Any = None) -> JSONResponse:
    headers: dict[str, str] = {}
    if isinstance(error, QueueFullError):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, UnauthorizedError):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(error, (ModelNotReadyError, StorageError)):
        headers["Retry-After"] = "10"
    return JSONResponse(error_body(error, details), status_code=status_for(error), headers=headers)


def plain_error(status: int, code: str, message: str, hint: str = "") -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "hint": hint}}, status_code=status)


_HTTP_CODES = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type"}

_HTTP_HINTS = {
    404: "see /docs for the endpoints",
    405: "see /docs for the methods each endpoint takes",
    413: "send fewer or shorter articles, or raise BRIEF_MAX_REQUEST_BYTES",
}


async def _brief_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BriefError)
    return error_response(exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
    ]
    where = "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}" for d in details[:5])
    if details and all(d["type"] == "empty_input" for d in details):  # "" and "  " get the same code as the pipeline's
        fields = ", ".join(".".join(str(p) for p in d["loc"][1:]) for d in details[:5])
        return error_response(EmptyInputError(f"empty text in {fields}", "send the Italian article text"), details)
    error = SchemaError(f"the request does not match the schema ({where})", "see /docs for the request fields")
    return error_response(error, details)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):  # FastAPI's "error parsing the body"
        return plain_error(422, "not_utf8", f"the request body is not valid UTF-8 ({exc.__cause__.reason} at byte "
                           f"{exc.__cause__.start})", "send JSON encoded as UTF-8")
    if exc.status_code == 400 and exc.__cause__ is not None:  # e.g. RecursionError: JSON nested thousands deep
        return plain_error(422, "invalid_request", f"the request body could not be read as JSON ({type(exc.__cause__).__name__})",
                           "send one JSON object as described in /docs")
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    response = plain_error(exc.status_code, code, str(exc.detail), _HTTP_HINTS.get(exc.status_code, ""))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return plain_error(500, "internal_error", "the server failed unexpectedly", "retry; if it persists, report it with the time of the request")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(BriefError, _brief_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
