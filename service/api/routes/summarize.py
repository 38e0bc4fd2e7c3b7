"""`POST /v1/summarize`: the headline and/or summary of an Italian article, each with its support report."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...pipeline.options import Article
from ..deps import QueueDep, SettingsDep
from ..queue import RunRequest
from ..schemas import SummarizeRequest, SummarizeResponse
from ..work import precheck
from .briefs import ERRORS

router = APIRouter(tags=["summarize"])


@router.post("/v1/summarize", response_model=SummarizeResponse, responses=ERRORS, summary="Headline and/or summary of an article")
async def summarize(body: SummarizeRequest, request: Request, settings: SettingsDep, queue: QueueDep) -> SummarizeResponse:
    """Written in English from the translation (which is made first, and not returned: use /v1/briefs for it).
    Facts in the headline or summary that the article does not state are reported as `unsupported`."""
    options = body.run_options()
    cleaned = await precheck(Article(body.text, format=body.format), options, settings)
    result = (await queue.run(RunRequest([cleaned], options), disconnected=request.is_disconnected))[0]
    written = {part: result.facts.written(part) for part in body.write}
    return SummarizeResponse(
        headline=result.headline,
        summary=result.summary,
        facts={part: report for part, report in written.items() if report is not None},
        warnings=[w for w in result.warnings if w.code.startswith(tuple(body.write))],
        models={part: result.models[part] for part in body.write if part in result.models},
    )
