"""`POST /v1/briefs` (one article, the whole pipeline) and `POST /v1/briefs/stream` (the same, as SSE)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import PlainTextResponse, StreamingResponse

from ...pipeline.options import Article
from ...pipeline.result import BriefResult
from ...settings import Settings
from ..deps import QueueDep, SettingsDep
from ..queue import ModelQueue, RunRequest, Ticket
from ..schemas import BriefRequest, ErrorResponse
from ..work import precheck, stream_events

router = APIRouter(tags=["briefs"])

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 413, 415, 422, 429, 503, 504)
}
_SSE_DOC = {"content": {"text/event-stream": {}}, "description": "progress events, then `result` (or `error`)"}


async def _start(body: BriefRequest, settings: Settings, queue: ModelQueue, events: asyncio.Queue[Any] | None = None) -> Ticket:
    options = body.options.run_options()
    cleaned = await precheck(Article(body.article, body.title, body.format), options, settings)
    return queue.submit(RunRequest([cleaned], options), on_event=events.put_nowait if events is not None else None)


def _sse(ticket: Ticket, queue: ModelQueue, events: asyncio.Queue[Any]) -> StreamingResponse:
    return StreamingResponse(stream_events(queue, ticket, events), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.post(
    "/v1/briefs",
    response_model=BriefResult,
    responses={**ERRORS, 200: {"content": {"text/markdown": {}, "text/event-stream": {}}}},
    summary="Brief one article (translation, headline, summary, fact report)",
)
async def create_brief(body: BriefRequest, request: Request, settings: SettingsDep, queue: QueueDep,
                       accept: Annotated[str, Header()] = "application/json") -> Any:
    """The same result as `brief run`. Send `Accept: text/event-stream` for progress events
    (as `/v1/briefs/stream`), or `Accept: text/markdown` for the brief as Markdown."""
    if "text/event-stream" in accept:
        events: asyncio.Queue[Any] = asyncio.Queue()
        return _sse(await _start(body, settings, queue, events), queue, events)
    ticket = await _start(body, settings, queue)
    result: BriefResult = (await queue.wait(ticket, request.is_disconnected))[0]
    if "text/markdown" in accept:
        return PlainTextResponse(result.to_markdown(), media_type="text/markdown; charset=utf-8")
    return result


@router.post("/v1/briefs/stream", responses={**ERRORS, 200: _SSE_DOC}, summary="Brief one article, streaming progress (SSE)")
async def stream_brief(body: BriefRequest, settings: SettingsDep, queue: QueueDep) -> StreamingResponse:
    """Server-sent events: `queued`, `cleaned`, `paragraph` (one per block translated), `facts`,
    `headline`, `summary`, `done`, then `result` with `{"result": BriefResult, "markdown": ...}`.
    A failure after the stream started arrives as an `error` event with the usual error body."""
    events: asyncio.Queue[Any] = asyncio.Queue()
    return _sse(await _start(body, settings, queue, events), queue, events)
