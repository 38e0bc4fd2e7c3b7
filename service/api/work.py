"""The fast checks done before queueing, and the server-sent events of a streamed run.

Cleaning and the language check take milliseconds, so bad input (empty, not Italian, too long)
is refused at once with a clear error instead of waiting for a queue slot; the cleaned article
is what the route queues (`RunRequest`), so it is cleaned once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from fastapi.encoders import jsonable_encoder
from starlette.concurrency import run_in_threadpool

from ..errors import BriefError
from ..pipeline.options import Article, RunOptions, prepare_article
from ..pipeline.result import BriefResult
from ..settings import Settings
from ..text import CleanedArticle, NotItalianError
from .errors import TooManyArticlesError, error_body, for_api
from .queue import Disconnected, ModelQueue, RunRequest, Ticket


def _precheck(article: Article, options: RunOptions, settings: Settings) -> CleanedArticle:
    try:
        return prepare_article(article, options, settings)
    except NotItalianError as error:
        raise for_api(error) from None


async def precheck(article: Article, options: RunOptions, settings: Settings) -> CleanedArticle:
    """The article cleaned and language-checked, off the event loop; bad input raises at once."""
    return await run_in_threadpool(_precheck, article, options, settings)


async def translate_texts(texts: Sequence[str], *, fmt: str, options: RunOptions, settings: Settings, queue: ModelQueue,
                          field: str | None = None, positions: Sequence[int] | None = None,
                          disconnected: Disconnected | None = None) -> list[BriefResult]:
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
    options = options.model_copy(update={"write": ()})
    cleaned: list[Article | CleanedArticle] = []
    for index, text in enumerate(texts):
        try:
            cleaned.append(await precheck(Article(text, format=fmt), options, settings))
        except BriefError as error:
            if field is not None:
                error.message = f"{field}[{positions[index] if positions else index}]: {error.message}"
            raise
    return await queue.run(RunRequest(cleaned, options), disconnected=disconnected)


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(jsonable_encoder(data), ensure_ascii=False)}\n\n"


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
            result: BriefResult = waiter.result()[0]
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
