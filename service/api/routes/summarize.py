"""`POST /v1/summarize`: the headline and/or summary of an Italian article, each with its support report."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ...pipeline.result import BriefResult
from ..deps import QueueDep, SettingsDep
from ..schemas import SummarizeRequest, SummarizeResponse
from ..work import brief_work, precheck
from .briefs import ERRORS

router = APIRouter(tags=["summarize"])


@router.post("/v1/summarize", response_model=SummarizeResponse, responses=ERRORS, summary="Headline and/or summary of an article")
async def summarize(body: SummarizeRequest, request: Request, settings: SettingsDep, queue: QueueDep) -> SummarizeResponse:
    """Written in English from the translation (which is made first, and not returned: use /v1/briefs for it).
    Facts in the headline or summary that the article does not state are reported as `unsupported`."""
    await precheck(body.text, body.format, settings, body.language_check)
    work = brief_work(body.text, fmt=body.format, guard=body.guard, write=tuple(body.write), language_check=body.language_check)
    result: BriefResult = await queue.run(work, disconnected=request.is_disconnected)
    return SummarizeResponse(
        headline=result.headline,
        summary=result.summary,
        facts={part: result.facts[part] for part in body.write if part in result.facts},
        warnings=[w for w in result.warnings if w.code.startswith(tuple(body.write))],
        models={part: result.models[part] for part in body.write if part in result.models},
    )
