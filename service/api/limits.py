"""Request body guard: JSON only under /v1 (415 otherwise), at most `max_request_bytes` (413).

The LibreTranslate-compatible routes get their own instance (`json_only=False`: they also take
form fields) whose errors are rendered in LibreTranslate's `{"error": "..."}` shape.

A pure ASGI middleware, so an oversize body is refused while it streams in, before it is parsed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_BODY_METHODS = {"POST", "PUT", "PATCH"}


class _TooLarge(HTTPException):
    """An HTTPException, so FastAPI's body parsing re-raises it instead of turning it into a 400."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"the request body is larger than {max_bytes} bytes")


ErrorRenderer = Callable[[str, str, str], dict[str, Any]]


def _v1_error(code: str, message: str, hint: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "hint": hint}}


class BodyGuardMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, prefix: str | tuple[str, ...] = "/v1/", json_only: bool = True,
                 render: ErrorRenderer = _v1_error) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.json_only = json_only
        self.render = render

    def _error(self, status: int, code: str, message: str, hint: str) -> tuple[int, bytes]:
        return status, json.dumps(self.render(code, message, hint)).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if self.json_only and scope["method"] == "POST" and media_type != "application/json" and not media_type.endswith("+json"):
            # (PUT and PATCH, which no route takes, go on to routing for their 405)
            await _send(send, *self._error(415, "unsupported_media_type", f"expected a JSON body, got '{media_type or 'none'}'",
                                      "send Content-Type: application/json"))
            return
        too_large = self._error(413, "payload_too_large", f"the request body is larger than {self.max_bytes} bytes",
                           "send fewer or shorter articles, or raise BRIEF_MAX_REQUEST_BYTES")
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await _send(send, *too_large)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send(send, *too_large)


async def _send(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
