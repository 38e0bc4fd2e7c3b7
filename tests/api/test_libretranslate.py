"""The LibreTranslate-compatible routes against the real app over the fake backend: shapes, errors, limits, auth."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from service.models.fake import FakeBackend
from service.settings import Settings

from .conftest import ARTICLE, ENGLISH, NOT_ITALIAN, italian, make_client, wait_for, wait_ready
from .test_queue import Gate

KEY = "lt-key-0123456789abcdef"
LONG = ("Il consiglio comunale ha approvato il bilancio. " * 60).strip()  # > 2,000 characters (the test limit)
IT_EN = {"source": "it", "target": "en"}


def test_translate_form_fields_as_libretranslatepy_sends_them(client: TestClient, fake: FakeBackend) -> None:
    fake.enqueue(ENGLISH)
    response = client.post("/translate", data={"q": ARTICLE, **IT_EN})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["translatedText"] == ENGLISH
    assert "detectedLanguage" not in body and "alternatives" not in body  # only with source auto / alternatives > 0
    facts = {f["source_text"]: f["status"] for f in body["facts"]["facts"]}
    assert facts["25 milioni di euro"] == "preserved" and facts["marzo 2025"] == "preserved"
    assert body["facts"]["issues"] == 1 and facts["Giuseppe Valditara"] == "missing"  # ENGLISH drops the minister


def test_translate_json_list_answers_in_order_with_facts_per_item(client: TestClient, fake: FakeBackend) -> None:
    fake.enqueue(ENGLISH, "The works will cost 2 million euros.")
    response = client.post("/translate", json={"q": [ARTICLE, italian(1)], **IT_EN, "format": "text"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["translatedText"] == [ENGLISH, "The works will cost 2 million euros."]
    first, second = body["facts"]
    assert first["issues"] == 1
    missing = {f["source_text"] for f in second["facts"] if f["status"] == "missing"}
    assert "2026" in missing  # the fact report is per item: the second text lost its year


def test_list_is_one_queue_slot_like_v1_translate(client: TestClient, fake: FakeBackend) -> None:
    queue = client.app.state.queue  # type: ignore[attr-defined]
    gate = Gate()
    fake.responder = gate
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(client.post, "/translate", json={"q": [italian(1), italian(2), italian(3)], **IT_EN})
        wait_for(lambda: queue.busy)
        assert queue.depth == 0
        gate.open()
        assert pending.result().status_code == 200
    assert len(gate.seen) == 3


def test_same_translation_as_v1_translate(client: TestClient) -> None:
    texts = [ARTICLE, italian(4) + "\n\n" + italian(5)]
    ours = client.post("/translate", json={"q": texts, **IT_EN}).json()
    v1 = client.post("/v1/translate", json={"texts": texts, "format": "text"}).json()
    assert ours["translatedText"] == [r["translation"] for r in v1["results"]]
    assert ours["facts"] == [r["facts"] for r in v1["results"]]


def test_source_auto_reports_the_detected_language(client: TestClient) -> None:
    one = client.post("/translate", json={"q": ARTICLE, "source": "auto", "target": "en"}).json()
    assert one["detectedLanguage"]["language"] == "it" and 50 < one["detectedLanguage"]["confidence"] <= 100
    many = client.post("/translate", json={"q": [ARTICLE, "Ciao"], "source": "auto", "target": "en"}).json()
    assert [d["language"] for d in many["detectedLanguage"]] == ["it", "it"]


def test_alternatives_are_accepted_and_empty(client: TestClient) -> None:
    one = client.post("/translate", data={"q": ARTICLE, **IT_EN, "alternatives": "3"}).json()
    assert one["alternatives"] == []
    many = client.post("/translate", json={"q": [ARTICLE, ARTICLE], **IT_EN, "alternatives": 2}).json()
    assert many["alternatives"] == [[], []]


def test_blank_items_come_back_blank_without_the_model(client: TestClient, fake: FakeBackend) -> None:
    body = client.post("/translate", json={"q": ["", ARTICLE, "  "], **IT_EN}).json()
    assert body["translatedText"] == ["", ARTICLE, ""]  # the fake echoes
    assert body["facts"][0] is None and body["facts"][2] is None and body["facts"][1]["facts"]
    assert len(fake.requests) == 1


def test_html_format(client: TestClient, fake: FakeBackend) -> None:
    fake.enqueue("Rome & Milan get <b>money</b>.", "The works end in 2026.")
    page = "<html><body><p>Roma e Milano ricevono fondi.</p><p>I lavori finiranno nel 2026.</p></body></html>"
    body = client.post("/translate", json={"q": page, **IT_EN, "format": "html"}).json()
    assert body["translatedText"] == "<p>Rome &amp; Milan get &lt;b&gt;money&lt;/b&gt;.</p>\n<p>The works end in 2026.</p>"


def test_form_line_endings_and_repeated_q(client: TestClient) -> None:
    body = client.post("/translate", data={"q": [italian(1), italian(2)], **IT_EN}).json()  # q=a&q=b: a list
    assert body["translatedText"] == [italian(1), italian(2)]
    query = client.post("/translate", params={"q": italian(3), **IT_EN})  # LibreTranslate also reads the query string
    assert query.json()["translatedText"] == italian(3)


def test_languages_detect_and_frontend_settings(client: TestClient) -> None:
    assert client.get("/languages").json() == [{"code": "it", "name": "Italian", "targets": ["en"]},
                                               {"code": "en", "name": "English", "targets": []}]
    detected = client.post("/detect", data={"q": ARTICLE}).json()
    assert detected[0]["language"] == "it" and 0 < detected[0]["confidence"] <= 100
    assert client.post("/detect", json={"q": NOT_ITALIAN}).json()[0]["language"] == "en"
    assert client.post("/detect", json={"q": "Ferrari 2024"}).json() == [{"confidence": 0.0, "language": "en"}]
    settings = client.get("/frontend/settings").json()
    assert settings["charLimit"] == 2_000 and settings["apiKeys"] is False and settings["keyRequired"] is False
    assert settings["language"] == {"source": {"code": "it", "name": "Italian"}, "target": {"code": "en", "name": "English"}}


BAD = [
    # (kwargs, status, what the message says)
    ({"data": {"source": "it", "target": "en"}}, 400, "missing q parameter"),
    ({"json": {"q": "", "source": "it", "target": "en"}}, 400, "missing q parameter"),
    ({"json": {"q": [], "source": "it", "target": "en"}}, 400, "missing q parameter"),
    ({"data": {"q": ARTICLE, "target": "en"}}, 400, "missing source parameter"),
    ({"json": {"q": ARTICLE, "source": "it"}}, 400, "missing target parameter"),
    ({"json": {"q": ARTICLE, **IT_EN, "alternatives": "many"}}, 400, "alternatives parameter is not a number"),
    ({"json": {"q": ARTICLE, "source": "it", "target": "de"}}, 400, "German (de) is not available as a target language"),
    ({"json": {"q": ARTICLE, "source": "fr", "target": "en"}}, 400, "French (fr) is not available as a source language"),
    ({"json": {"q": ARTICLE, "source": "en", "target": "it"}}, 400, "English (en) is not available as a source language"),
    ({"json": {"q": ARTICLE, "source": "xx", "target": "en"}}, 400, "xx is not supported"),
    ({"json": {"q": ARTICLE, **IT_EN, "format": "pdf"}}, 400, "pdf format is not supported"),
    ({"json": {"q": 42, **IT_EN}}, 400, "q must be a string or a list of strings"),
    ({"json": {"q": ["ok", 3], **IT_EN}}, 400, "q must be a string or a list of strings"),
    ({"json": ["q", "it", "en"]}, 400, "Invalid JSON format"),
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "Invalid JSON format"),
    ({"content": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}, 400, "Invalid JSON format"),
    ({"content": b"q=ciao", "headers": {"Content-Type": "text/plain"}}, 400, "Unsupported content type 'text/plain'"),
    ({"files": {"q": ("a.txt", b"Ciao")}, "data": IT_EN}, 400, "q must be text, not a file"),
    ({"json": {"q": NOT_ITALIAN, "source": "auto", "target": "en"}}, 400, "looks like English (en), not Italian"),
    ({"json": {"q": [ARTICLE, NOT_ITALIAN], "source": "auto", "target": "en"}}, 400, "q[1]: the text looks like English"),
    ({"json": {"q": NOT_ITALIAN, **IT_EN}}, 400, "not Italian"),  # the language check of /v1/translate
    ({"json": {"q": ["", ARTICLE, NOT_ITALIAN], **IT_EN}}, 400, "q[2]: This looks like English"),
    ({"json": {"q": LONG, **IT_EN}}, 400, "the limit is 2,000"),
    ({"json": {"q": [ARTICLE] * 11, **IT_EN}}, 400, "11 texts sent; at most 10 per request"),
    ({"json": {"q": "Ciao " * 30_000, **IT_EN}}, 413, "larger than 100000 bytes"),
    ({"data": {"q": "Ciao " * 30_000, **IT_EN}}, 413, "larger than 100000 bytes"),
]


@pytest.mark.parametrize(("kwargs", "status", "says"), BAD, ids=[f"{c[1]}-{c[2][:30]}" for c in BAD])
def test_bad_requests_get_libretranslate_errors(client: TestClient, fake: FakeBackend, kwargs: dict, status: int,
                                               says: str) -> None:
    response = client.post("/translate", **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["error"], str) and says in body["error"], body
    assert not fake.requests  # refused before the model


def test_detect_needs_q(client: TestClient) -> None:
    response = client.post("/detect", data={})
    assert response.status_code == 400 and response.json()["error"] == "Invalid request: missing q parameter"


def test_api_keys_as_libretranslate_answers_them(settings: Settings) -> None:
    with make_client(settings.model_copy(update={"api_keys": [KEY]})) as client:
        wait_ready(client)
        missing = client.post("/translate", data={"q": ARTICLE, **IT_EN})
        assert missing.status_code == 400 and "get an API key" in missing.json()["error"]
        wrong = client.post("/translate", data={"q": ARTICLE, **IT_EN, "api_key": "not-the-key-at-all"})
        assert wrong.status_code == 403 and wrong.json()["error"].startswith("Invalid API key")
        assert client.post("/detect", json={"q": ARTICLE, "api_key": "not-the-key-at-all"}).status_code == 403
        assert client.post("/translate", data={"q": ARTICLE, **IT_EN, "api_key": KEY}).status_code == 200
        assert client.post("/translate", json={"q": ARTICLE, **IT_EN, "api_key": KEY}).status_code == 200
        assert client.post("/translate", json={"q": ARTICLE, **IT_EN}, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
        assert client.post("/detect", data={"q": ARTICLE, "api_key": KEY}).status_code == 200
        # the key is checked before anything else, as LibreTranslate does
        assert client.post("/translate", json={"q": ARTICLE, "source": "it", "target": "de"}).status_code == 400
        assert client.post("/translate", json={"target": "de", "api_key": "wrong-wrong-wrong"}).status_code == 403
        # languages and front-end settings stay open (LibreTranslate exempts them too)
        assert client.get("/languages").status_code == 200
        assert client.get("/frontend/settings").json()["keyRequired"] is True


def test_full_queue_answers_429_slowdown(client: TestClient, fake: FakeBackend) -> None:
    gate = Gate()
    fake.responder = gate
    queue = client.app.state.queue  # type: ignore[attr-defined]
    with ThreadPoolExecutor(3) as pool:
        running = pool.submit(client.post, "/translate", data={"q": ARTICLE, **IT_EN})
        wait_for(lambda: queue.busy)
        waiting = [pool.submit(client.post, "/v1/translate", json={"text": ARTICLE}) for _ in range(2)]  # capacity 2
        wait_for(lambda: queue.depth == 2)
        refused = client.post("/translate", data={"q": ARTICLE, **IT_EN})
        assert refused.status_code == 429
        assert refused.json()["error"].startswith("Slowdown: the model queue is full")
        assert int(refused.headers["Retry-After"]) >= 1
        gate.open()
        assert [f.result().status_code for f in [running, *waiting]] == [200, 200, 200]


def test_timeout_is_504_as_for_v1_translate(settings: Settings) -> None:
    with make_client(settings.model_copy(update={"request_timeout_s": 0.3})) as client:
        wait_ready(client)
        gate = Gate()
        from service.models.registry import get_backend

        backend = get_backend("fake", settings)
        assert isinstance(backend, FakeBackend)
        backend.responder = gate
        response = client.post("/translate", data={"q": ARTICLE, **IT_EN})
        gate.open()
        assert response.status_code == 504 and "took longer than" in response.json()["error"]


def test_metrics_count_libretranslate_routes_and_runs(client: TestClient) -> None:
    assert client.post("/translate", data={"q": ARTICLE, **IT_EN}).status_code == 200
    assert client.post("/translate", json={"q": [ARTICLE, ARTICLE], **IT_EN}).status_code == 200
    client.post("/translate", data={"q": ARTICLE, "source": "it", "target": "de"})
    text = client.get("/metrics").text
    assert 'brief_http_requests_total{method="POST",route="/translate",status="200"} 2.0' in text
    assert 'brief_http_requests_total{method="POST",route="/translate",status="400"} 1.0' in text
    assert float(re.search(r"^brief_runs_total (\S+)$", text, re.MULTILINE).group(1)) == 3  # one per text


def test_openapi_documents_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    content = paths["/translate"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(content)
    assert {"/detect", "/languages", "/frontend/settings"} <= set(paths)


@pytest.mark.parametrize("body", [b"", b"q", b"q=&source=&target=", b"%%%", b"q=%ff%fe&source=it&target=en", b"\x00\x01\x02",
                                  b"api_key=&q=Ciao", b"q[]=a&q[]=b&source=it&target=en"])
def test_garbage_never_gets_a_5xx(client: TestClient, body: bytes) -> None:
    for kind in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/json", ""):
        response = client.post("/translate", content=body, headers={"Content-Type": kind} if kind else {})
        assert response.status_code < 500, (kind, body, response.text)
        if response.status_code != 200:
            assert isinstance(response.json()["error"], str)
