"""API keys, checked before anything else reads the request.

A pure ASGI middleware: a `/v1` request without a valid key (`Authorization: Bearer KEY` or
`X-API-Key: KEY`) gets `401` from its headers alone, before its body is received or parsed, so an
unauthenticated client cannot make the server hold or parse megabytes. A valid key's *owner id*
(a short hash, never the key) is put in the request state: jobs are scoped to it.

Without keys the server is meant for loopback only: `brief serve` refuses a non-loopback `--host`
unless `BRIEF_ALLOW_OPEN=1`, and this middleware also refuses (403) any request that reached the
server over a non-loopback address (e.g. uvicorn started by hand on 0.0.0.0), except `/healthz`
and `/readyz`, which orchestrators probe from outside.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json

from pydantic import SecretStr
from starlette.types import ASGIApp, Receive, Scope, Send

OPEN_OWNER = ""  # the owner of every job when no keys are configured


def owner_id(key: str) -> str:
    """A stable id for a key (stored with its jobs); the key itself is never stored or logged."""
    return hashlib.sha256(f"italian-brief-key:{key}".encode()).hexdigest()[:32]


class ApiKeyMiddleware:
    def __init__(self, app: ASGIApp, keys: list[SecretStr], allow_open: bool = False, prefix: str = "/v1") -> None:
        self.app = app
        self.prefix = prefix
        self.allow_open = allow_open
        secrets = [key.get_secret_value() if isinstance(key, SecretStr) else str(key) for key in keys]
        self._keys = [(secret.encode(), owner_id(secret)) for secret in secrets]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        owner: str | None = OPEN_OWNER
        if not self._keys and not self.allow_open and not is_loopback(scope) and scope["path"] not in _PROBES:
            await _respond(send, 403, "forbidden", "this server has no API keys, so it answers on loopback only",
                           "set BRIEF_API_KEYS (or BRIEF_ALLOW_OPEN=1 to serve without keys, e.g. behind your own gateway)")
            return
        if self._keys and _guarded(scope["path"], self.prefix):
            given = _given_key(scope)
            owner = self._owner(given) if given else None
            if owner is None:
                await _respond(send, 401, "unauthorized", "a valid API key is required" if given is None else "the API key is not valid",
                               "send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'")
                return
        scope.setdefault("state", {})["owner"] = owner
        await self.app(scope, receive, send)

    def _owner(self, given: str) -> str | None:
        found = None
        for key, owner in self._keys:  # compare with every key, in constant time each
            if hmac.compare_digest(given.encode(), key):
                found = owner
        return found


def _guarded(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _given_key(scope: Scope) -> str | None:
    given = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            text = value.decode("latin-1")
            if text[:7].lower() == "bearer ":
                given = text[7:].strip()
        elif name == b"x-api-key" and given is None:
            given = value.decode("latin-1").strip()
    return given or None


_PROBES = frozenset({"/healthz", "/readyz"})


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_loopback(scope: Scope) -> bool:
    """Whether the request came in over a loopback address (or a Unix socket)."""
    server = scope.get("server")
    return server is None or is_loopback_host(str(server[0])) or str(server[0]) == "testserver"


async def _respond(send: Send, status: int, code: str, message: str, hint: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message, "hint": hint}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
