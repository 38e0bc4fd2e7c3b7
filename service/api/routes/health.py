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


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}}, summary="The model is loaded")
def readyz(settings: SettingsDep, queue: QueueDep) -> JSONResponse:
    """200 once the model is loaded; 503 while it loads or if loading failed (with the error)."""
    if queue.ready.is_set():
        state = "ready"
    elif queue.load_error is not None:
        state = "failed"
    else:
        state = "loading"
    error = queue.load_error
    body = Readiness(
        status=state,
        model=settings.translate_config,
        queue_depth=queue.depth,
        queue_capacity=queue.capacity,
        error={"code": error.code, "message": error.message, "hint": error.hint} if error else None,
    )
    return JSONResponse(body.model_dump(), status_code=200 if state == "ready" else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(registry: MetricsDep) -> Response:
    return Response(registry.render(), media_type=CONTENT_TYPE_LATEST)
