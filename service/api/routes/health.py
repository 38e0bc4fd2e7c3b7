"""`/healthz` (process alive), `/readyz` (model loaded), `/metrics` (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from ..deps import MetricsDep, QueueDep, SettingsDep
from ..schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is alive")
def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}}, summary="Ready to serve")
def readyz(settings: SettingsDep, queue: QueueDep) -> JSONResponse:
    """200 when the model is loaded, the worker runs and the job store works; 503 otherwise, with the reason.

    `loading` (the model loads), `failed` (the model could not be loaded, or the worker stopped), or
    `degraded` (the job store fails; the worker retries it). Details are in the server log, not here:
    this endpoint needs no key."""
    error: dict[str, str] | None = None
    if queue.load_error is not None:
        state = "failed"
        error = {"code": queue.load_error.code, "message": "the model could not be loaded; the server log says why"}
    elif queue.ready.is_set() and not queue.alive:
        state = "failed"
        error = {"code": "worker_stopped", "message": "the model worker is not running; the server log says why"}
    elif not queue.ready.is_set():
        state = "loading"
    elif queue.storage_error is not None:
        state = "degraded"
        error = {"code": queue.storage_error.code, "message": "the job store fails (retried); the server log says why"}
    else:
        state = "ready"
    body = Readiness(status=state, model=settings.translate_config, queue_depth=queue.depth,
                     queue_capacity=queue.capacity, error=error)
    return JSONResponse(body.model_dump(), status_code=200 if state == "ready" else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(registry: MetricsDep) -> Response:
    return Response(registry.render(), media_type=CONTENT_TYPE_LATEST)
