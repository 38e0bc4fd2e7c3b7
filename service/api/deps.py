"""Dependencies the routes declare (`Annotated` aliases, so tests can override them)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from pydantic import SecretStr

from ..settings import Settings
from .auth import OPEN_OWNER
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
    keys = [key.get_secret_value() if isinstance(key, SecretStr) else str(key) for key in settings.api_keys]
    return any(hmac.compare_digest(given.encode(), key.encode()) for key in keys)


def get_owner(request: Request) -> str:
    """Who is calling: the id of the API key the request was let in with ("" when no keys are configured)."""
    return request.scope.get("state", {}).get("owner", OPEN_OWNER)


OwnerDep = Annotated[str, Depends(get_owner)]
