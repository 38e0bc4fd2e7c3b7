"""`/v1/jobs`: many articles in the background, kept in the job store (survives crashes and restarts).

These handlers are plain `def`: FastAPI runs them in its thread pool, so the database never blocks the event loop.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import StreamingResponse

from ..deps import QueueDep, SettingsDep, StoreDep
from ..errors import IdempotencyConflictError, NotFoundError, QueueFullError, TooManyArticlesError
from ..jobs import IdempotencyMismatch, JobStore, fingerprint
from ..schemas import JobRequest, JobStatus
from .briefs import ERRORS

router = APIRouter(tags=["jobs"])
_JOB_ERRORS = {**ERRORS, 404: ERRORS[401], 409: ERRORS[401]}


def _status(store: JobStore, job_id: str, results: bool = True) -> JobStatus:
    job = store.job(job_id)
    if job is None:
        raise NotFoundError(f"no job '{job_id}'", "check the id returned by POST /v1/jobs")
    return JobStatus(**job, results=list(store.results(job_id)) if results else None)


@router.post("/v1/jobs", status_code=status.HTTP_202_ACCEPTED, response_model=JobStatus, responses=_JOB_ERRORS,
             summary="Submit many articles; returns a job id at once")
def create_job(
    body: JobRequest,
    response: Response,
    settings: SettingsDep,
    store: StoreDep,
    queue: QueueDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JobStatus:
    """Articles run one at a time, after any waiting `/v1/briefs` requests. Send an `Idempotency-Key`
    header to make a retry safe: the same key with the same body returns the first job (200), with
    another body it is refused (409). Articles that fail (not Italian, too long) are reported per article."""
    if len(body.articles) > settings.max_articles_per_job:
        raise TooManyArticlesError(f"{len(body.articles)} articles sent; at most {settings.max_articles_per_job} per job",
                                   "split them into several jobs, or raise BRIEF_MAX_ARTICLES_PER_JOB")
    pending = store.pending_count()
    if pending + len(body.articles) > settings.max_pending_job_items:
        raise QueueFullError(f"{pending} job articles are already waiting (limit {settings.max_pending_job_items})",
                             "retry later", retry_after=60)
    payload = body.model_dump(mode="json")
    try:
        job_id, created = store.create_job(payload["articles"], payload["options"], idempotency_key, fingerprint(payload))
    except IdempotencyMismatch as mismatch:
        raise IdempotencyConflictError(
            f"Idempotency-Key '{idempotency_key}' was already used for a different request (job {mismatch.args[0]})",
            "use a new key for a new request",
        ) from None
    if created:
        queue.notify_jobs()
    else:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/jobs/{job_id}"
    return _status(store, job_id, results=False)


@router.get("/v1/jobs/{job_id}", response_model=JobStatus, responses=_JOB_ERRORS, summary="Job status, counts and results so far")
def get_job(job_id: str, store: StoreDep, results: Annotated[bool, Query(description="include finished results")] = True) -> JobStatus:
    return _status(store, job_id, results)


@router.get("/v1/jobs/{job_id}/results", responses={**_JOB_ERRORS, 200: {"content": {"application/x-ndjson": {}}}},
            summary="Finished results as JSON lines")
def job_results(job_id: str, store: StoreDep) -> StreamingResponse:
    """One line per finished article, in submission order: `{"index", "id", "status", "result", "error"}`."""
    if store.job(job_id) is None:
        raise NotFoundError(f"no job '{job_id}'", "check the id returned by POST /v1/jobs")
    rows = list(store.results(job_id))

    def lines() -> Iterator[str]:
        for row in rows:
            yield json.dumps(row, ensure_ascii=False) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.delete("/v1/jobs/{job_id}", response_model=JobStatus, responses=_JOB_ERRORS, summary="Cancel a job")
def cancel_job(job_id: str, store: StoreDep, queue: QueueDep) -> JobStatus:
    """Articles not started are cancelled; the one running stops at its next paragraph. Finished results stay."""
    if not store.cancel(job_id):
        raise NotFoundError(f"no job '{job_id}'", "check the id returned by POST /v1/jobs")
    queue.cancel_job(job_id)
    return _status(store, job_id, results=False)
