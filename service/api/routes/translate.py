"""`POST /v1/translate` (one text or several; translation and fact report, no headline or summary)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from ..deps import QueueDep, SettingsDep
from ..schemas import NestedTranslateResponse, TranslateManyResponse, TranslateRequest, TranslateResponse, Translation
from ..work import translate_texts
from .briefs import ERRORS

router = APIRouter(tags=["translate"])

Shape = Annotated[Literal["flat", "nested"], Query(description="`nested` (deprecated, removed in the next version): "
                                                               "the old `{\"translation\": {\"translation\": ...}}` shape")]


@router.post("/v1/translate", response_model=TranslateResponse | TranslateManyResponse,
             responses={**ERRORS, 200: {"description": "flat by default; with `?shape=nested` (deprecated) a "
                                                       "`NestedTranslateResponse`"}},
             summary="Translate Italian text to English")
async def translate(body: TranslateRequest, request: Request, settings: SettingsDep, queue: QueueDep,
                    shape: Shape = "flat") -> TranslateResponse | TranslateManyResponse | JSONResponse:
    """`{"text": ...}` answers `{"translation": "...", "paragraphs", "facts", "warnings", "removed", "captions", "model"}`;
    `{"texts": [...]}` answers `{"results": [...], "model"}`, one object per text in order (one queue slot for all)."""
    texts = [body.text] if body.text is not None else list(body.texts or [])
    results = await translate_texts(texts, fmt=body.format, options=body.run_options(),
                                    settings=settings, queue=queue, field=None if body.text is not None else "texts",
                                    disconnected=request.is_disconnected)
    model = results[0].models.get("translate", "")
    translations = [Translation.of(result) for result in results]
    if shape == "nested":
        nested = NestedTranslateResponse(translation=translations[0] if body.text is not None else None,
                                         results=translations if body.texts is not None else None, model=model)
        return JSONResponse(nested.model_dump(mode="json"), headers={"Deprecation": "true"})
    if body.text is not None:
        return TranslateResponse(**translations[0].model_dump(), model=model)
    return TranslateManyResponse(results=translations, model=model)
