"""LibreTranslate-compatible routes: `POST /translate`, `POST /detect`, `GET /languages`, `GET /frontend/settings`.

Translation runs through the same work path as `POST /v1/translate` (`work.translate_texts`): the
same limits, queue, timeouts and metrics. Auth uses the same `BRIEF_API_KEYS`, read from the
`api_key` parameter as LibreTranslate clients send it. The protocol details live in `..libretranslate`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from ...pipeline.options import RunOptions
from .. import libretranslate as lt
from ..deps import QueueDep, SettingsDep
from ..work import translate_texts

_ERROR = {"content": {"application/json": {"example": {"error": "Invalid request: missing q parameter"}}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {**_ERROR, "description": "bad parameters, an unsupported language pair or text (`{\"error\": \"...\"}`)"},
    403: {**_ERROR, "description": "invalid API key"},
    429: {**_ERROR, "description": "the model queue is full (`Retry-After` says when to retry)"},
}


class LibreTranslateRoute(APIRoute):
    """Answers errors raised in these routes (their dependencies included) as LibreTranslate does."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                response = lt.response_for(exc)
                if response is None:
                    raise
                return response

        return answer


router = APIRouter(tags=["LibreTranslate-compatible"], route_class=LibreTranslateRoute)


@router.post("/translate", response_model=lt.TranslateResponse, response_model_exclude_none=True, responses=ERRORS,
             openapi_extra=lt.request_body(lt.TRANSLATE_FIELDS), summary="Translate Italian to English (LibreTranslate API)")
async def translate(request: Request, settings: SettingsDep, queue: QueueDep) -> lt.TranslateResponse:
    """LibreTranslate's `/translate`: form fields or JSON; `q` a string or a list. Only `source` it (or
    auto, for Italian text) to `target` en. Extension: `facts`, each text's fact report."""
    params, is_json = await lt.read_params(request)
    lt.check_key(settings, params, request)
    call = lt.TranslateCall.parse(params, is_json)
    field = "q" if call.batch else None
    detected = None
    if call.source == "auto":
        detected = [lt.detect_source(text, f"q[{i}]" if call.batch else None) for i, text in enumerate(call.texts)]
    sent = [i for i, text in enumerate(call.texts) if text.strip()]  # blank texts translate to "" without the model
    results = await translate_texts([call.texts[i] for i in sent], fmt=call.fmt, options=RunOptions(write=()),
                                    settings=settings, queue=queue, field=field, positions=sent,
                                    disconnected=request.is_disconnected) if sent else []
    done = dict(zip(sent, results, strict=True))
    texts = [lt.translated_text(done[i], call.fmt) if i in done else "" for i in range(len(call.texts))]
    facts = [done[i].facts.translation.model_dump(mode="json") if i in done else None for i in range(len(call.texts))]
    response = lt.TranslateResponse(translated_text=texts if call.batch else texts[0], facts=facts if call.batch else facts[0])
    if detected is not None:
        response.detected_language = detected if call.batch else detected[0]
    if call.alternatives > 0:
        none_per_text: list[list[str]] = [[] for _ in texts]
        response.alternatives = none_per_text if call.batch else []
    return response


@router.post("/detect", response_model=list[lt.DetectedLanguage], responses=ERRORS,
             openapi_extra=lt.request_body(lt.DETECT_FIELDS), summary="Detect the language of a text (LibreTranslate API)")
async def detect(request: Request, settings: SettingsDep) -> list[lt.DetectedLanguage]:
    """Up to three candidates, best first, confidence 0..100 (a stopword vote; `en` at 0 when nothing can tell)."""
    params, _ = await lt.read_params(request)
    lt.check_key(settings, params, request)
    if not params.get("q"):
        raise lt.InputError("Invalid request: missing q parameter")
    texts, _ = lt.texts_of(params["q"])
    return await run_in_threadpool(lt.detect, "\n".join(texts))


@router.get("/languages", response_model=list[lt.Language], summary="Languages offered (LibreTranslate API)")
async def languages() -> list[lt.Language]:
    """Italian, with English as its one target; English is listed as a target only."""
    return lt.LANGUAGES


@router.get("/frontend/settings", response_model=lt.FrontendSettings, summary="Settings for LibreTranslate front ends")
async def frontend_settings(settings: SettingsDep) -> lt.FrontendSettings:
    return lt.FrontendSettings.of(settings)
