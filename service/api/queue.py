"""The bounded model queue: worker threads own the pipeline, so model calls never block the event loop.

Capacity: `settings.queue_size` requests may wait while the running ones run; the next gets
`QueueFullError` (HTTP 429 with Retry-After). Waiting requests are served first in, first out.
Job articles are read from the job store one at a time, by the main worker only, and only when no
request is waiting (lower priority), so a big job never starves the editors' page.

How many requests run at once is `settings.model_workers`, by default what the translate backend
can batch (`Backend.concurrency`: xllamacpp's server slots, 1 for the others). With more than one,
extra worker threads serve requests beside the main one, so concurrent requests reach a batching
backend together, and the articles (`texts`) of one request run side by side too.

Work is bounded where it runs: every run executes inside `interruptible(check)`, and the model
backends call the check before each generation and after each generated token, so a request that
timed out, whose client has gone, or whose job was cancelled stops within one token. Job articles
have their own deadline (`BRIEF_JOB_ARTICLE_TIMEOUT_S`). Every run is a `RunRequest` (articles +
`RunOptions`); only `ModelQueue._execute` calls `BriefPipeline.run`.

The worker cannot die silently: an error in the job store (a full disk, a locked or broken
database) is logged, reported by `/readyz` (503 `storage_unavailable`) and retried with backoff;
requests keep being served meanwhile, and a finished article's outcome is held in memory and
written once the store works again, so nothing is lost or run twice.

While idle, the worker calls `store.recover()` every `RECOVER_EVERY_S`: with replicas sharing a
PostgreSQL store, articles a dead replica was running go back to pending for the live ones.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import dataclass, field
from typing import Any

from ..errors import BriefError
from ..interrupt import interruptible
from ..pipeline.brief import BriefPipeline
from ..pipeline.options import Article, RunOptions
from ..pipeline.result import BriefResult
from ..pipeline.signature import ResultCache
from ..settings import Settings
from ..text import CleanedArticle
from .errors import (
    CancelledError,
    InternalError,
    ModelNotReadyError,
    QueueFullError,
    RequestTimeoutError,
    StorageError,
    for_api,
)
from .jobs import Item, JobStore
from .metrics import Metrics
from .schemas import BriefOptions

log = logging.getLogger("service.api.queue")

Emit = Callable[[dict[str, Any]], None]
RECOVER_EVERY_S = 10.0


@dataclass(frozen=True)
class RunRequest:
    """What one queue slot runs: these articles one after another, all with the same options."""

    articles: list[Article | CleanedArticle]
    options: RunOptions = field(default_factory=RunOptions)

Disconnected = Callable[[], Awaitable[bool]]

_DISCONNECT_POLL_S = 0.25
_BACKOFF_S = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)  # waits between store retries after consecutive failures


class _Stop(Exception):
    """Raised inside a run to stop it; carries the error to report."""

    def __init__(self, error: BriefError) -> None:
        self.error = error


@dataclass
class Ticket:
    """One waiting request: `future` resolves on the event loop; `cancel()` stops it at the next report."""

    request: RunRequest
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    on_event: Callable[[dict[str, Any]], None] | None
    deadline: float
    cancelled: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self.cancelled.set()


class ModelQueue:
    def __init__(self, settings: Settings, store: JobStore, metrics: Metrics,
                 pipeline_factory: Callable[[], BriefPipeline] | None = None, result_cache: ResultCache | None = None) -> None:
        self.settings = settings
        self.store = store
        self.metrics = metrics
        self.capacity = settings.queue_size
        self._factory = pipeline_factory or (lambda: BriefPipeline.from_settings(settings))
        self.result_cache = result_cache
        self._waiting: deque[Ticket] = deque()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._cancelled_jobs: set[str] = set()
        self._avg_seconds = 30.0
        self.pipeline: BriefPipeline | None = None
        self.ready = threading.Event()
        self.load_error: BriefError | None = None
        self.storage_error: StorageError | None = None  # set while the job store fails; cleared by the next success
        self._storage_failures = 0
        self._storage_retry_at = 0.0
        self._recovered_at = time.monotonic()
        self._purge_at = 0.0  # the first idle moment purges, then every purge_every_s
        retention = settings.job_retention.total_seconds()
        self.purge_every_s = min(3600.0, max(1.0, retention / 4))
        self._unrecorded: tuple[Item, str, dict[str, Any] | None, dict[str, Any] | None] | None = None
        self._running = 0  # runs in progress, over every worker thread
        self._running_lock = threading.Lock()
        self.workers = 1  # worker threads serving requests; set once the model is loaded
        self._extra: list[threading.Thread] = []

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._main, name="model-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._wake:
            self._stopping = True
            for ticket in self._waiting:
                ticket.cancel()
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
        for thread in self._extra:
            thread.join(timeout)

    def notify_jobs(self) -> None:
        with self._wake:
            self._wake.notify_all()

    def cancel_job(self, job_id: str) -> None:
        self._cancelled_jobs.add(job_id)

    @property
    def depth(self) -> int:
        return len(self._waiting)

    @property
    def busy(self) -> bool:
        """A run is in progress (on any worker)."""
        return self._running > 0

    @property
    def alive(self) -> bool:
        """The worker thread runs (False before start and after stop, or if it died)."""
        return self._thread is not None and self._thread.is_alive()

    # --- requests (called on the event loop) ---------------------------------------------------
    def submit(self, request: RunRequest, on_event: Callable[[dict[str, Any]], None] | None = None, timeout: float | None = None) -> Ticket:
        """Queue a run; its future resolves to one `BriefResult` per article. Raises `QueueFullError`
        when `capacity` requests already wait."""
        if self.load_error is not None:
            raise ModelNotReadyError(f"the model could not be loaded: {self.load_error.message}", self.load_error.hint)
        if not self.alive:
            raise ModelNotReadyError("the model worker is not running", "check the server log; restart the server")
        loop = asyncio.get_running_loop()
        timeout = timeout or self.settings.request_timeout_s
        ticket = Ticket(request, loop, loop.create_future(), on_event, time.monotonic() + timeout)
        with self._wake:
            if len(self._waiting) >= self.capacity:  # drop requests that timed out or went away while waiting
                self._waiting = deque(t for t in self._waiting if not t.cancelled.is_set())
            if len(self._waiting) >= self.capacity:
                self.metrics.rejected.inc()
                retry = max(1, round(self._avg_seconds / 2))  # a slot frees when the current run ends
                raise QueueFullError(
                    f"the model queue is full ({self.capacity} requests waiting)",
                    f"retry after {retry} s, or send many articles at once with POST /v1/jobs",
                    retry_after=min(retry, 600),
                )
            self._waiting.append(ticket)
            self._wake.notify_all()
        return ticket

    async def run(self, request: RunRequest, on_event: Callable[[dict[str, Any]], None] | None = None,
                  disconnected: Disconnected | None = None) -> list[BriefResult]:
        """Submit and wait for the results; on timeout the run is stopped and `RequestTimeoutError` raised."""
        ticket = self.submit(request, on_event)
        return await self.wait(ticket, disconnected)

    async def wait(self, ticket: Ticket, disconnected: Disconnected | None = None) -> list[BriefResult]:
        """The run's result. With `disconnected` (e.g. `request.is_disconnected`), a client that went away
        stops the run within `_DISCONNECT_POLL_S`: nobody is left to read its answer."""
        try:
            while True:
                remaining = ticket.deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                step = remaining if disconnected is None else min(remaining, _DISCONNECT_POLL_S)
                try:
                    return await asyncio.wait_for(asyncio.shield(ticket.future), step)
                except TimeoutError:
                    if disconnected is not None and await disconnected():
                        raise CancelledError("the client disconnected", "") from None
        except TimeoutError:
            ticket.cancel()
            ticket.future.cancel()
            raise RequestTimeoutError(
                f"the request took longer than {self.settings.request_timeout_s:g} s",
                "send a shorter article, use POST /v1/jobs for long ones, or raise BRIEF_REQUEST_TIMEOUT_S",
            ) from None
        except (asyncio.CancelledError, CancelledError):
            ticket.cancel()
            ticket.future.cancel()
            raise

    # --- the worker thread ---------------------------------------------------------------------
    def _main(self) -> None:
        self._load()
        self._start_extra_workers()
        while True:
            try:
                if not self._step():
                    return
            except Exception as exc:  # the store failed (or a bug): log it, report it, retry after a pause
                self._store_failed(exc)

    def _step(self) -> bool:
        """One unit of work: a waiting request first, then a job article. False once stopping."""
        with self._wake:
            if self._stopping:
                return False
            ticket = self._waiting.popleft() if self._waiting else None
        if ticket is not None:
            self._run_ticket(ticket)
            return True
        if self.ready.is_set() and time.monotonic() >= self._storage_retry_at:
            if self._unrecorded is not None:
                self._record()
                return True
            item = self.store.claim_next()
            self._store_ok()
            if item is not None:
                self._run_item(item)
                return True
            if time.monotonic() - self._recovered_at > RECOVER_EVERY_S:
                self._recovered_at = time.monotonic()
                self._recover()
            if time.monotonic() >= self._purge_at:
                self._purge()
        with self._wake:
            if not self._waiting and not self._stopping:
                pause = self._storage_retry_at - time.monotonic() if self.storage_error else 1.0
                self._wake.wait(timeout=min(max(pause, 0.01), 1.0))
        return True

    def _start_extra_workers(self) -> None:
        """Beside this (main) worker, `workers - 1` threads that serve waiting requests only."""
        if self.pipeline is None or not self.ready.is_set():
            return
        self.workers = self.settings.model_workers or self.pipeline.translate_backend.concurrency
        for number in range(1, self.workers):
            thread = threading.Thread(target=self._serve_requests, name=f"model-worker-{number}", daemon=True)
            thread.start()
            self._extra.append(thread)
        if self.workers > 1:
            log.info("%d model workers serve requests at once", self.workers)

    def _serve_requests(self) -> None:
        while True:
            with self._wake:
                while not self._waiting and not self._stopping:
                    self._wake.wait(timeout=1.0)
                if self._stopping:
                    return
                ticket = self._waiting.popleft()
            try:
                self._run_ticket(ticket)
            except Exception:  # _run_ticket reports errors to its request; this is a bug: keep serving
                log.exception("model worker failed")

    def _store_failed(self, exc: Exception) -> None:
        self._storage_failures += 1
        wait = _BACKOFF_S[min(self._storage_failures, len(_BACKOFF_S)) - 1]
        self._storage_retry_at = time.monotonic() + wait
        self.storage_error = exc if isinstance(exc, StorageError) else StorageError(
            f"the job worker failed ({type(exc).__name__})", "see the server log; the worker retries on its own")
        self.metrics.storage_errors.inc()
        log.error("job store failed (%d in a row; retrying in %.1f s): %s", self._storage_failures, wait, exc,
                  exc_info=not isinstance(exc, StorageError))

    def _store_ok(self) -> None:
        if self.storage_error is not None:
            log.info("job store works again")
        self.storage_error, self._storage_failures, self._storage_retry_at = None, 0, 0.0

    def _recover(self) -> None:
        try:
            if requeued := self.store.recover():
                log.warning("%d job article(s) of a stopped worker went back to pending", requeued)
        except Exception:  # a database hiccup must not stop the worker
            log.exception("job recovery failed")

    def _purge(self) -> None:
        """Delete jobs finished longer than BRIEF_JOB_RETENTION ago (a store error is retried like any other)."""
        self._purge_at = time.monotonic() + self.purge_every_s
        if purged := self.store.purge(time.time() - self.settings.job_retention.total_seconds()):
            log.info("deleted %d job(s) finished more than %s ago", purged, self.settings.job_retention)
            self.metrics.jobs_purged.inc(purged)

    def _load(self) -> None:
        try:
            self.pipeline = self._factory()
            if self.result_cache is not None:
                self.pipeline.result_cache = self.result_cache
            if self.settings.preload_model:
                self.pipeline.load()
            self.ready.set()
            self.metrics.model_loaded.set(1)
        except BriefError as error:
            log.error("model not loaded: %s", error)
            self.load_error = error
        except Exception as exc:  # reported through /readyz and every request
            log.exception("model not loaded")
            self.load_error = ModelNotReadyError(f"the model failed to load ({type(exc).__name__})",
                                                 "check the model config and weights; the server log has the details")

    def _run_ticket(self, ticket: Ticket) -> None:
        if ticket.cancelled.is_set() or time.monotonic() > ticket.deadline:
            return

        def check() -> None:
            if self._stopping or ticket.cancelled.is_set():
                raise _Stop(CancelledError("the request was cancelled"))
            if time.monotonic() > ticket.deadline:
                raise _Stop(RequestTimeoutError("the request timed out", "send a shorter article or use POST /v1/jobs"))

        def emit(event: dict[str, Any]) -> None:
            check()
            if ticket.on_event is not None:
                ticket.loop.call_soon_threadsafe(ticket.on_event, event)

        request = ticket.request
        options = request.options.model_copy(update={"deadline": ticket.deadline})
        outcome, error = self._execute(RunRequest(request.articles, options), emit, check)
        if not ticket.loop.is_closed():
            ticket.loop.call_soon_threadsafe(_resolve, ticket.future, outcome, error)

    def _run_item(self, item: Item) -> None:
        limit = self.settings.job_article_timeout_s
        deadline = time.monotonic() + limit

        def check() -> None:
            if self._stopping:
                raise _Stop(CancelledError("the server is stopping"))  # left running: resumed on restart
            if item.job_id in self._cancelled_jobs:
                raise _Stop(CancelledError("the job was cancelled"))
            if time.monotonic() > deadline:
                raise _Stop(RequestTimeoutError(f"the article took longer than {limit:g} s",
                                                "split it into shorter articles, or raise BRIEF_JOB_ARTICLE_TIMEOUT_S"))

        options = BriefOptions.model_validate(item.options).run_options()
        article = Article(item.article, item.title, item.fmt)
        outcome, error = self._execute(RunRequest([article], options), lambda event: check(), check)
        if error is not None and self._stopping:
            return  # stays `running`; recover() puts it back to pending on restart
        if error is None:
            self._unrecorded = (item, "done", outcome[0].model_dump(mode="json"), None)
        elif isinstance(error, CancelledError):
            self._unrecorded = (item, "cancelled", None, _error_dict(error))
        else:
            self._unrecorded = (item, "failed", None, _error_dict(error))
        self._record()

    def _record(self) -> None:
        """Write the last article's outcome; if the store fails it is kept and retried (see `_step`)."""
        assert self._unrecorded is not None
        item, state, result, error = self._unrecorded
        self.store.finish(item, state, result=result, error=error)
        self._unrecorded = None
        self._store_ok()

    def _execute(self, request: RunRequest, emit: Emit, check: Callable[[], None]) -> tuple[list[BriefResult], BriefError | None]:
        """Run each article of the request; returns (results, None) or ([], error). Never raises."""
        if self.pipeline is None or not self.ready.is_set():
            error = self.load_error
            return [], ModelNotReadyError(f"the model is not loaded{': ' + error.message if error else ''}", error.hint if error else "")
        with self._running_lock:
            self._running += 1
        started = time.perf_counter()
        pipeline = self.pipeline

        def run(article: Article | CleanedArticle) -> BriefResult:
            with interruptible(check):
                return pipeline.run(article, request.options, on_event=emit)

        try:
            if self.workers > 1 and len(request.articles) > 1:  # side by side, so a batching backend decodes them together
                with ThreadPoolExecutor(min(self.workers, len(request.articles)), thread_name_prefix="model-article") as pool:
                    futures = [pool.submit(copy_context().run, run, article) for article in request.articles]
                    outcome = [future.result() for future in futures]
            else:
                outcome = [run(article) for article in request.articles]
        except _Stop as stop:
            return [], stop.error
        except BriefError as error:
            return [], error
        except Exception as exc:  # a bug must fail one request, not the worker
            log.exception("model run failed")
            return [], InternalError(f"the model run failed ({type(exc).__name__})", "retry; if it persists, report it")
        finally:
            with self._running_lock:
                self._running -= 1
            elapsed = time.perf_counter() - started
            self._avg_seconds = 0.8 * self._avg_seconds + 0.2 * elapsed
        for result in outcome:
            self.metrics.observe_result(result)
        return outcome, None


def _error_dict(error: BriefError) -> dict[str, Any]:
    error = for_api(error)
    return {"code": error.code, "message": error.message, "hint": error.hint}


def _resolve(future: asyncio.Future[Any], outcome: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(outcome)
