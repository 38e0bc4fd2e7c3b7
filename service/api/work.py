"""What the routes hand to the model queue, and the fast checks done before queueing.

Cleaning and the language check take milliseconds, so bad input (empty, not Italian, too long)
is refused at once with a clear error instead of waiting for a queue slot.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool

from ..errors import BriefError
from ..pipeline.brief import BriefPipeline
from ..pipeline.result import BriefResult
from ..settings import Settings
from ..text import NotItalianError, clean_article, ensure_italian
from .errors import TooManyArticlesError, error_body, for_api
from .queue import Disconnected, Emit, ModelQueue, Ticket, pipeline_for


def _precheck(article: str, fmt: str, settings: Settings, language_check: bool | None, title: str | None = None) -> None:
    cleaned = clean_article(article, fmt=fmt, max_chars=settings.max_article_chars, title=title)
    if settings.language_check if language_check is None else language_check:
        try:
            ensure_italian(cleaned.text)
        except NotItalianError as error:
            raise for_api(error) from None


async def precheck(article: str, fmt: str, settings: Settings, language_check: bool | None, title: str | None = None) -> None:
    await run_in_threadpool(_precheck, article, fmt, settings, language_check, title)


async def translate_texts(texts: Sequence[str], *, fmt: str, guard: str | None, language_check: bool | None,
                          settings: Settings, queue: ModelQueue, field: str | None = None,
                          positions: Sequence[int] | None = None, disconnected: Disconnected | None = None
                          ) -> list[BriefResult]:
    """Translate texts (no headline or summary) in one queue slot, after the per-request limits and fast checks.

    The one work path of `POST /v1/translate` and the LibreTranslate-compatible `POST /translate`,
    so limits, queueing, timeouts and metrics are the same for both. `field` names the list in
    error messages (`texts[1]: ...`; None for a single text), `positions` the index shown for each
    text when they are not 0, 1, 2... (the caller left some out); `disconnected` (the request's
    `is_disconnected`) stops the run when the client goes away.
    """
    if len(texts) > settings.max_articles_per_job:
        raise TooManyArticlesError(f"{len(texts)} texts sent; at most {settings.max_articles_per_job} per request",
                                   "split them, or use POST /v1/jobs")
    for index, text in enumerate(texts):
        try:
            await precheck(text, fmt, settings, language_check)
        except BriefError as error:
            if field is not None:
                error.message = f"{field}[{positions[index] if positions else index}]: {error.message}"
            raise

    def work(pipeline: BriefPipeline, emit: Emit) -> list[BriefResult]:
        runner = pipeline_for(pipeline, guard)
        return [runner.run(text, fmt=fmt, write=(), on_event=emit, language_check=language_check) for text in texts]

    return await queue.run(work, disconnected=disconnected)


def brief_work(article: str, *, title: str | None = None, fmt: str = "auto", guard: str | None = None,
               write: tuple[str, ...] = ("headline", "summary"), language_check: bool | None = None
               ) -> Callable[[BriefPipeline, Emit], BriefResult]:
    def work(pipeline: BriefPipeline, emit: Emit) -> BriefResult:
        return pipeline_for(pipeline, guard).run(article, title=title, fmt=fmt, write=write, on_event=emit,
                                                 language_check=language_check)

    return work


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def stream_events(queue: ModelQueue, ticket: Ticket, events: asyncio.Queue[dict[str, Any]],
                        keepalive_s: float = 15.0) -> AsyncIterator[str]:
    """Server-sent events: `queued`, the pipeline's progress events, then `result` or `error`."""
    yield sse("queued", {"position": queue.depth, "capacity": queue.capacity})
    waiter = asyncio.ensure_future(queue.wait(ticket))
    try:
        while not waiter.done():
            getter = asyncio.ensure_future(events.get())
            done, _ = await asyncio.wait({getter, waiter}, timeout=keepalive_s, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                event = getter.result()
                yield sse(event["event"], event)
            else:
                getter.cancel()
                if not done:
                    yield ": keepalive\n\n"
        while not events.empty():
            event = events.get_nowait()
            yield sse(event["event"], event)
        try:
            result: BriefResult = waiter.result()
        except BriefError as error:
            yield sse("error", error_body(error))
            return
        yield sse("result", {"result": result.model_dump(mode="json"), "markdown": result.to_markdown()})
    finally:
        ticket.cancel()
        if not waiter.done():
            waiter.cancel()


def event_sink(events: asyncio.Queue[dict[str, Any]]) -> Callable[[dict[str, Any]], None]:
    return events.put_nowait
