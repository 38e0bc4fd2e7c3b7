"""Dependencies the routes declare (`Annotated` aliases, so tests can override them)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request

from ..settings import Settings
from .errors import UnauthorizedError
from .jobs import JobStore
from .metrics import Metrics
from .queue import ModelQueue


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_queue(request: Request) -> ModelQueue:
    return request.app.state.queue


def get_store(request: Request) -> JobStore:
    return request.app.state.store


def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
QueueDep = Annotated[ModelQueue, Depends(get_queue)]
StoreDep = Annotated[JobStore, Depends(get_store)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]


def presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    """The API key a request carries in `Authorization: Bearer KEY` or `X-API-Key` (None if neither)."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return x_api_key


def key_is_valid(settings: Settings, given: str | None) -> bool:
    """Whether `given` is one of `BRIEF_API_KEYS` (compared in constant time)."""
    if not given:
        return False
    return any(hmac.compare_digest(given.encode(), key.encode()) for key in settings.api_keys)


def require_api_key(
    settings: SettingsDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> None:
    """When API keys are configured, every /v1 call needs one (`Authorization: Bearer KEY` or `X-API-Key`)."""
    if not settings.api_keys:
        return
    given = presented_key(authorization, x_api_key)
    if key_is_valid(settings, given):
        return
    raise UnauthorizedError(
        "a valid API key is required" if given is None else "the API key is not valid",
        "send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
    )
