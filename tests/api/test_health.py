"""Health, readiness, metrics, models, OpenAPI and the page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from service.models.base import Backend, Generation, GenerationRequest
from service.models.fake import FakeBackend
from service.models.registry import register_backend
from service.settings import Settings

from .conftest import ARTICLE, ENGLISH, make_client, wait_for, write_config


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["model"] == "fake" and ready["queue_capacity"] == 2


def test_openapi_docs_and_page(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/briefs", "/v1/briefs/stream", "/v1/translate", "/v1/summarize", "/v1/jobs", "/v1/jobs/{job_id}",
            "/v1/jobs/{job_id}/results", "/v1/models", "/healthz", "/readyz"} <= set(paths)
    assert "swagger" in client.get("/docs").text.lower()
    page = client.get("/")
    assert page.status_code == 200 and "Italian brief" in page.text and "/static/app.js" in page.text
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200


def test_docs_and_redoc_load_their_assets_from_this_server(client: TestClient) -> None:
    import re

    for path in ("/docs", "/redoc"):
        html = client.get(path)
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
        assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), assets  # nothing from a CDN
        assert "fonts.googleapis" not in html.text and "cdn." not in html.text
        for asset in assets:
            assert client.get(asset).status_code == 200, asset
    assert "validatorUrl" in client.get("/docs").text  # the outside validator badge is off


def test_openapi_shows_every_field_of_the_fact_reports(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["BriefResult"]["properties"]["facts"] == {"$ref": "#/components/schemas/BriefFacts"}
    assert set(schemas["BriefFacts"]["properties"]) == {"translation", "headline", "summary"}
    assert set(schemas["CheckedFact"]["properties"]) >= {"kind", "source_text", "canonical", "target_text", "status",
                                                         "source_span", "target_span", "paragraph", "caption"}
    assert schemas["CheckedFact"]["properties"]["status"]["enum"][:3] == ["preserved", "missing", "altered"]
    assert set(schemas["WrittenFact"]["properties"]) == {"kind", "text", "canonical", "status"}
    assert set(schemas["TranslationFacts"]["properties"]) >= {"facts", "issues", "unsupported", "recall"}
    assert schemas["Guard"]["enum"] == ["off", "verify", "repair"]


def test_models_lists_configs_and_roles(client: TestClient) -> None:
    models = client.get("/v1/models").json()
    assert [m["id"] for m in models] == ["fake"]
    assert models[0]["active"] == ["translate", "headline", "summary"] and models[0]["loaded"] is True


def test_metrics(client: TestClient, fake: FakeBackend) -> None:
    fake.enqueue("The government has allocated 24 million euros to schools in Rome.")
    assert client.post("/v1/briefs", json={"article": ARTICLE}).status_code == 200
    client.post("/v1/briefs", json={"article": ""})
    text = client.get("/metrics").text
    assert 'brief_http_requests_total{method="POST",route="/v1/briefs",status="200"} 1.0' in text
    assert 'brief_http_requests_total{method="POST",route="/v1/briefs",status="422"} 1.0' in text
    assert 'brief_http_request_duration_seconds_count{method="POST",route="/v1/briefs"}' in text
    assert "brief_queue_depth 0.0" in text and "brief_queue_capacity 2.0" in text
    issues = float(re.search(r"^brief_fact_issues_total (\S+)$", text, re.MULTILINE).group(1))
    assert issues >= 2  # 24 million altered; March 2025 missing
    assert "brief_tokens_per_second" in text and "brief_model_loaded 1.0" in text


class BrokenBackend(Backend):
    name = "broken"

    def load(self) -> None:
        raise RuntimeError("weights are corrupt")

    def generate(self, request: GenerationRequest) -> Generation:
        raise AssertionError("never called")

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def test_a_model_that_fails_to_load(settings: Settings) -> None:
    register_backend("broken", BrokenBackend)
    write_config(settings.model_configs_dir, "broken", backend="broken")
    with make_client(settings.model_copy(update={"translate_config": "broken"})) as client:
        ready = wait_for(lambda: (r := client.get("/readyz")).json()["status"] != "loading" and r)
        assert ready.status_code == 503 and ready.json()["status"] == "failed"
        assert ready.json()["error"]["code"] == "model_unavailable"
        assert "corrupt" not in ready.text  # an unauthenticated endpoint shows no exception text (paths, …)
        response = client.post("/v1/briefs", json={"article": ARTICLE})
        assert response.status_code == 503 and response.json()["error"]["code"] == "model_unavailable"
        assert "corrupt" not in response.text and "RuntimeError" in response.text
        assert client.get("/healthz").status_code == 200
    assert ENGLISH  # keep the shared constant import honest
