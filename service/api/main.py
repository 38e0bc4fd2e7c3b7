"""The FastAPI app: `create_app(settings)` wires settings, the job store, the model queue, routes and middleware.

Run it with `brief serve` (or `uvicorn --factory service.api.main:app_from_env`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..pipeline.brief import BriefPipeline
from ..settings import Settings, get_settings
from . import libretranslate as lt
from .auth import ApiKeyMiddleware
from .errors import StorageError, install_error_handlers
from .jobs import UnavailableStore
from .limits import BodyGuardMiddleware
from .metrics import Metrics, MetricsMiddleware
from .queue import ModelQueue
from .result_cache import SqliteResultCache
from .routes import briefs, docs, health, jobs, libretranslate, models, page, summarize, translate
from .routes.page import STATIC_DIR
from .stores import open_job_store

log = logging.getLogger("service.api")

DESCRIPTION = """Italian news articles → English briefs (translation, headline, summary) with every key figure checked.

One model serves everything through a bounded queue: `BRIEF_QUEUE_SIZE` requests may wait while one
runs; beyond that the answer is `429` with `Retry-After`. Job articles (`/v1/jobs`) wait in the job store
(SQLite, or PostgreSQL shared by replicas) and run only when no request is waiting. When `BRIEF_API_KEYS` is set, every `/v1` call needs a key
(`Authorization: Bearer KEY` or `X-API-Key`). Errors are `{"error": {"code", "message", "hint"}}`.
"""


def create_app(settings: Settings | None = None, pipeline_factory: Callable[[], BriefPipeline] | None = None) -> FastAPI:
    settings = settings or get_settings()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            store = open_job_store(settings)
            store.recover()
        except StorageError as error:  # e.g. a corrupt database file: serve requests, report it, touch nothing
            log.error("the job store cannot be used (jobs are refused until it is fixed and the server restarted): %s. %s",
                      error.message, error.hint)
            store = UnavailableStore(error, str(settings.database_url or settings.database_path))
        cache = SqliteResultCache(settings.database_path, settings.result_cache_entries, settings.result_cache_max_age_s) \
            if settings.result_cache else None
        queue = ModelQueue(settings, store, metrics, pipeline_factory, result_cache=cache)
        metrics.bind(lambda: queue.depth, queue.capacity, store.pending_count, store.size_bytes)
        metrics.bind_cache(cache)
        app.state.store, app.state.queue = store, queue
        queue.start()
        try:
            yield
        finally:
            queue.stop()
            store.close()
            if cache is not None:
                cache.close()

    app = FastAPI(title="Italian brief", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # served by routes/docs.py with local assets
    app.state.settings = settings
    app.state.metrics = metrics
    install_error_handlers(app)

    for module in (briefs, translate, summarize, jobs, models):
        app.include_router(module.router)
    app.include_router(libretranslate.router)  # checks `api_key` itself, as LibreTranslate does
    app.include_router(health.router)
    app.include_router(page.router)
    app.include_router(docs.router)
    app.mount(docs.ASSETS_URL, StaticFiles(directory=docs.DOCS_ASSETS), name="docs-assets")  # before /static
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.add_middleware(BodyGuardMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(BodyGuardMiddleware, max_bytes=settings.max_request_bytes, prefix=("/translate", "/detect"),
                       json_only=False, render=lt.render_error)
    app.add_middleware(ApiKeyMiddleware, keys=settings.api_keys, allow_open=settings.allow_open)  # before the body is read
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type", "Idempotency-Key"])
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory service.api.main:app_from_env` (settings from BRIEF_* variables)."""
    return create_app(get_settings())
