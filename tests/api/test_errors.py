"""Bad input gets a clear JSON error with a stable code and a 4xx status — never a 5xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.settings import Settings

from .conftest import ARTICLE, NOT_ITALIAN, make_client, wait_ready

LONG = ("Il consiglio comunale ha approvato il bilancio. " * 60).strip()  # > 2,000 characters

CASES = [
    # (method, path, kwargs, status, code)
    # empty input: one code for "" and whitespace, on every endpoint
    ("POST", "/v1/briefs", {"json": {"article": ""}}, 422, "empty_input"),
    ("POST", "/v1/briefs", {"json": {"article": "   \n  "}}, 422, "empty_input"),
    ("POST", "/v1/briefs/stream", {"json": {"article": ""}}, 422, "empty_input"),
    ("POST", "/v1/translate", {"json": {"text": ""}}, 422, "empty_input"),
    ("POST", "/v1/translate", {"json": {"text": " \t"}}, 422, "empty_input"),
    ("POST", "/v1/translate", {"json": {"texts": [ARTICLE, " "]}}, 422, "empty_input"),
    ("POST", "/v1/translate", {"json": {"texts": [ARTICLE, ""]}}, 422, "empty_input"),
    ("POST", "/v1/summarize", {"json": {"text": ""}}, 422, "empty_input"),
    ("POST", "/v1/summarize", {"json": {"text": "\n\n"}}, 422, "empty_input"),
    ("POST", "/v1/jobs", {"json": {"articles": [{"article": ARTICLE}, {"article": ""}]}}, 422, "empty_input"),
    ("POST", "/v1/jobs", {"json": {"articles": [{"article": ARTICLE}, {"article": "  "}]}}, 422, "empty_input"),
    ("POST", "/v1/briefs", {"json": {"article": "", "colour": "red"}}, 422, "invalid_request"),  # not only empty
    ("POST", "/v1/briefs", {"json": {"article": NOT_ITALIAN}}, 422, "not_italian"),
    ("POST", "/v1/briefs", {"json": {"article": LONG}}, 413, "input_too_large"),
    ("POST", "/v1/briefs", {"json": {"article": ARTICLE, "colour": "red"}}, 422, "invalid_request"),
    ("POST", "/v1/briefs", {"json": {"article": ARTICLE, "format": "pdf"}}, 422, "invalid_request"),
    ("POST", "/v1/briefs", {"json": {"article": ARTICLE, "options": {"guard": "maybe"}}}, 422, "invalid_request"),
    ("POST", "/v1/briefs", {"json": ["not", "an", "object"]}, 422, "invalid_request"),
    ("POST", "/v1/briefs", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422, "invalid_request"),
    ("POST", "/v1/briefs", {"content": b"\xff\xfe\x00bad", "headers": {"Content-Type": "application/json"}}, 422, "invalid_request"),
    ("POST", "/v1/briefs", {"content": ARTICLE.encode(), "headers": {"Content-Type": "text/plain"}}, 415, "unsupported_media_type"),
    ("POST", "/v1/briefs", {"content": b"article=x", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415,
     "unsupported_media_type"),
    ("POST", "/v1/briefs", {"content": b"{}"}, 415, "unsupported_media_type"),
    ("POST", "/v1/briefs", {"json": {"article": "Ciao " * 30_000}}, 413, "payload_too_large"),
    ("POST", "/v1/jobs", {"json": {"articles": [{"article": ARTICLE}] * 11}}, 413, "too_many_articles"),
    ("POST", "/v1/jobs", {"json": {"articles": []}}, 422, "invalid_request"),
    ("GET", "/v1/jobs/nope", {}, 404, "not_found"),
    ("GET", "/v1/jobs/nope/results", {}, 404, "not_found"),
    ("DELETE", "/v1/jobs/nope", {}, 404, "not_found"),
    ("GET", "/v1/nothing-here", {}, 404, "not_found"),
    ("PUT", "/v1/briefs", {"json": {"article": ARTICLE}}, 405, "method_not_allowed"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), CASES, ids=[f"{c[3]}-{c[4]}" for c in CASES])
def test_bad_input_gets_a_clear_error(client: TestClient, method: str, path: str, kwargs: dict, status: int, code: str) -> None:
    response = client.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]


def test_oversize_body_without_content_length_is_refused_while_streaming(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"article": "'
        for _ in range(30):
            yield b"Ciao " * 1000
        yield b'"}'

    response = client.post("/v1/briefs", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_api_keys(settings: Settings) -> None:
    key = "k" * 20
    with make_client(settings.model_copy(update={"api_keys": [key]})) as client:
        wait_ready(client)
        assert client.get("/healthz").status_code == 200  # health stays open
        refused = client.get("/v1/models")
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
        assert refused.headers["WWW-Authenticate"] == "Bearer"
        assert client.get("/v1/models", headers={"Authorization": "Bearer wrong-key-wrong-key"}).status_code == 401
        assert client.get("/v1/models", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        assert client.post("/v1/briefs", json={"article": ARTICLE}, headers={"X-API-Key": key}).status_code == 200


def test_short_api_keys_are_refused_by_settings() -> None:
    with pytest.raises(ValueError, match="shorter than 16"):
        Settings(api_keys=["short"], _env_file=None)


def test_cors(settings: Settings) -> None:
    with make_client(settings.model_copy(update={"cors_origins": ["https://newsroom.example"]})) as client:
        response = client.options("/v1/briefs", headers={"Origin": "https://newsroom.example", "Access-Control-Request-Method": "POST"})
        assert response.headers["access-control-allow-origin"] == "https://newsroom.example"
