"""`/v1/jobs`: many articles in the background, kept in the job store (survives crashes and restarts).

A job belongs to the API key that created it: with another key it does not exist (404). Status
pages hold at most `limit` results; `/results` streams every finished article from the store a page
at a time, so a big job is never held in memory whole.

These handlers are plain `def`: FastAPI runs them in its thread pool, so the database never blocks the event loop.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import StreamingResponse

from ..deps import OwnerDep, QueueDep, SettingsDep, StoreDep
from ..errors import IdempotencyConflictError, JobFinishedError, NotFoundError, QueueFullError, TooManyArticlesError
from ..jobs import IdempotencyMismatch, JobStore, PendingLimitExceeded, fingerprint
from ..schemas import JobRequest, JobStatus
from .briefs import ERRORS

router = APIRouter(tags=["jobs"])
_JOB_ERRORS = {**ERRORS, 404: ERRORS[401], 409: ERRORS[401]}
MAX_PAGE = 1000


def _job(store: JobStore, job_id: str, owner: str) -> dict:
    job = store.job(job_id, owner=owner)
    if job is None:
        raise NotFoundError(f"no job '{job_id}'", "check the id returned by POST /v1/jobs (and that you use the same API key)")
    return job


def _status(store: JobStore, job_id: str, owner: str, results: bool = False, offset: int = 0, limit: int = 100) -> JobStatus:
    job = _job(store, job_id, owner)
    if not results:
        return JobStatus(**job)
    rows = store.results(job_id, offset=offset, limit=limit + 1)
    more = len(rows) > limit
    return JobStatus(**job, results=rows[:limit], next_offset=offset + limit if more else None)


@router.post("/v1/jobs", status_code=status.HTTP_202_ACCEPTED, response_model=JobStatus, responses=_JOB_ERRORS,
             summary="Submit many articles; returns a job id at once")
def create_job(
    body: JobRequest,
    response: Response,
    settings: SettingsDep,
    store: StoreDep,
    queue: QueueDep,
    owner: OwnerDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JobStatus:
    """Articles run one at a time, after any waiting `/v1/briefs` requests. Send an `Idempotency-Key`
    header to make a retry safe: the same key with the same body returns the first job (200), with
    another body it is refused (409). Articles that fail (not Italian, too long) are reported per article."""
    if len(body.articles) > settings.max_articles_per_job:
        raise TooManyArticlesError(f"{len(body.articles)} articles sent; at most {settings.max_articles_per_job} per job",
                                   "split them into several jobs, or raise BRIEF_MAX_ARTICLES_PER_JOB")
    payload = body.model_dump(mode="json")
    try:
        job_id, created = store.create_job(payload["articles"], payload["options"], idempotency_key, fingerprint(payload),
                                           owner=owner, max_pending=settings.max_pending_job_items)
    except IdempotencyMismatch:
        raise IdempotencyConflictError(f"Idempotency-Key '{idempotency_key}' was already used for a different request",
                                       "use a new key for a new request") from None
    except PendingLimitExceeded as full:
        raise QueueFullError(f"{full.args[0]} job articles are already waiting (limit {settings.max_pending_job_items})",
                             "retry later", retry_after=60) from None
    if created:
        queue.notify_jobs()
    else:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/jobs/{job_id}"
    return _status(store, job_id, owner)


@router.get("/v1/jobs/{job_id}", response_model=JobStatus, responses=_JOB_ERRORS, summary="Job status, counts and results so far")
def get_job(
    job_id: str,
    store: StoreDep,
    owner: OwnerDep,
    results: Annotated[bool, Query(description="include finished results (a page of them)")] = True,
    offset: Annotated[int, Query(ge=0, description="skip this many finished results")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="at most this many results; `next_offset` says where the next page starts")] = 100,
) -> JobStatus:
    return _status(store, job_id, owner, results, offset, limit)


@router.get("/v1/jobs/{job_id}/results", responses={**_JOB_ERRORS, 200: {"content": {"application/x-ndjson": {}}}},
            summary="Finished results as JSON lines")
def job_results(job_id: str, store: StoreDep, owner: OwnerDep) -> StreamingResponse:
    """One line per finished article, in submission order: `{"index", "id", "status", "result", "error"}`."""
    _job(store, job_id, owner)

    def lines() -> Iterator[str]:
        for row in store.iter_results(job_id):
            yield json.dumps(row, ensure_ascii=False) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.delete("/v1/jobs/{job_id}", response_model=JobStatus, responses=_JOB_ERRORS, summary="Cancel a job")
def cancel_job(job_id: str, store: StoreDep, queue: QueueDep, owner: OwnerDep) -> JobStatus:
    """Articles not started are cancelled; the one running stops within a token. Finished results stay.

    A job that has finished (`done`, `done_with_errors`) cannot be cancelled: `409 job_finished`.
    Cancelling a cancelled job again changes nothing (200)."""
    job = _status(store, job_id, owner)
    if job.status in ("done", "done_with_errors"):
        raise JobFinishedError(f"job '{job_id}' has finished ({job.status}); there is nothing left to cancel",
                               f"its results stay at GET /v1/jobs/{job_id}/results")
    if not store.cancel(job_id, owner=owner):
        raise NotFoundError(f"no job '{job_id}'", "check the id returned by POST /v1/jobs (and that you use the same API key)")
    queue.cancel_job(job_id)
    return _status(store, job_id, owner)
