"""`POST /v1/translate` (one text or several; translation and fact report, no headline or summary)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ..deps import QueueDep, SettingsDep
from ..schemas import TranslateRequest, TranslateResponse, Translation
from ..work import translate_texts
from .briefs import ERRORS

router = APIRouter(tags=["translate"])


@router.post("/v1/translate", response_model=TranslateResponse, responses=ERRORS, summary="Translate Italian text to English")
async def translate(body: TranslateRequest, request: Request, settings: SettingsDep, queue: QueueDep) -> TranslateResponse:
    """`{"text": ...}` answers `translation`; `{"texts": [...]}` answers `results` in order (one queue slot for all)."""
    texts = [body.text] if body.text is not None else list(body.texts or [])
    results = await translate_texts(texts, fmt=body.format, guard=body.guard, language_check=body.language_check,
                                    settings=settings, queue=queue, field=None if body.text is not None else "texts",
                                    disconnected=request.is_disconnected)
    model = results[0].models.get("translate", "")
    translations = [Translation.of(result) for result in results]
    if body.text is not None:
        return TranslateResponse(translation=translations[0], model=model)
    return TranslateResponse(results=translations, model=model)
