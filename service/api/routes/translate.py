"""`POST /v1/translate` (one text or several; translation and fact report, no headline or summary)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...errors import BriefError
from ...pipeline.brief import BriefPipeline
from ...pipeline.result import BriefResult
from ..deps import QueueDep, SettingsDep
from ..errors import TooManyArticlesError
from ..queue import Emit, pipeline_for
from ..schemas import TranslateRequest, TranslateResponse, Translation
from ..work import precheck
from .briefs import ERRORS

router = APIRouter(tags=["translate"])


@router.post("/v1/translate", response_model=TranslateResponse, responses=ERRORS, summary="Translate Italian text to English")
async def translate(body: TranslateRequest, request: Request, settings: SettingsDep, queue: QueueDep) -> TranslateResponse:
    """`{"text": ...}` answers `translation`; `{"texts": [...]}` answers `results` in order (one queue slot for all)."""
    texts = [body.text] if body.text is not None else list(body.texts or [])
    if len(texts) > settings.max_articles_per_job:
        raise TooManyArticlesError(f"{len(texts)} texts sent; at most {settings.max_articles_per_job} per request",
                                   "split them, or use POST /v1/jobs")
    for index, text in enumerate(texts):
        try:
            await precheck(text, body.format, settings, body.language_check)
        except BriefError as error:
            if body.texts is not None:
                error.message = f"texts[{index}]: {error.message}"
            raise

    def work(pipeline: BriefPipeline, emit: Emit) -> list[BriefResult]:
        runner = pipeline_for(pipeline, body.guard)
        return [runner.run(text, fmt=body.format, write=(), on_event=emit, language_check=body.language_check) for text in texts]

    results: list[BriefResult] = await queue.run(work, disconnected=request.is_disconnected)
    model = results[0].models.get("translate", "")
    translations = [Translation.of(result) for result in results]
    if body.text is not None:
        return TranslateResponse(translation=translations[0], model=model)
    return TranslateResponse(results=translations, model=model)
