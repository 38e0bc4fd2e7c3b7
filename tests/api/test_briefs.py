"""/v1/briefs, /v1/briefs/stream, /v1/translate, /v1/summarize over the fake backend."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from service.models.fake import FakeBackend
from service.pipeline.brief import BriefPipeline
from service.pipeline.result import BriefResult
from service.settings import Settings

from .conftest import ARTICLE, ENGLISH, NOT_ITALIAN


def parse_sse(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith(":")]
        if not lines:
            continue
        name = next(line[7:] for line in lines if line.startswith("event: "))
        data = "".join(line[6:] for line in lines if line.startswith("data: "))
        events.append((name, json.loads(data)))
    return events


SUMMARY = "Rome's schools get 25 million euros by March 2025. The money pays for repairs."
HEADLINE = "Rome schools to receive 25 million euros by March 2025"


def test_brief_is_the_pipeline_result(client: TestClient, fake: FakeBackend, settings: Settings) -> None:
    fake.enqueue(ENGLISH, SUMMARY, HEADLINE)  # the summary is written first: the headline must not repeat it
    response = client.post("/v1/briefs", json={"article": ARTICLE})
    assert response.status_code == 200, response.text
    result = BriefResult.model_validate(response.json())
    assert result.translation == ENGLISH
    assert result.headline == HEADLINE
    assert result.summary == SUMMARY
    assert result.quality.preset == "balanced" and result.quality.candidates["headline"] == 1
    facts = result.facts.translation.facts
    assert {f.source_text for f in facts} >= {"25 milioni di euro", "marzo 2025"}
    assert all(f.paragraph == 0 for f in facts)
    assert result.facts.summary is not None and result.facts.headline is not None

    # the same as `brief run` (the CLI calls this pipeline): equal but for timings
    fake.enqueue(ENGLISH, SUMMARY, HEADLINE)  # the summary is written first: the headline must not repeat it
    direct = BriefPipeline.from_settings(settings).run(ARTICLE)
    assert direct.model_dump(exclude={"timings"}) == result.model_dump(exclude={"timings"})


def test_brief_options_and_markdown(client: TestClient, fake: FakeBackend) -> None:
    fake.enqueue(ENGLISH)
    response = client.post("/v1/briefs", json={"article": ARTICLE, "title": "Scuole, 25 milioni", "format": "text",
                                               "options": {"write": [], "guard": "verify"}},
                           headers={"Accept": "text/markdown"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/markdown")
    assert "## Translation" in response.text


def test_brief_stream_reports_progress_in_order(client: TestClient, fake: FakeBackend) -> None:
    article = ARTICLE + "\n\n" + "Le lezioni riprenderanno a settembre in tutte le scuole della regione Lazio."
    with client.stream("POST", "/v1/briefs/stream", json={"article": article}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.read().decode())
    names = [name for name, _ in events]
    assert names == ["queued", "cleaned", "paragraph", "paragraph", "facts", "summary", "headline", "done", "result"]
    paragraph, second = events[2][1], events[3][1]
    assert paragraph["index"] == 0 and paragraph["total"] == 2 and paragraph["translation"]
    # the page places each translation by (block, index): title, body paragraph N or caption N
    assert (paragraph["block"], second["block"], second["index"], second["position"]) == ("paragraph", "paragraph", 1, 1)
    final = events[-1][1]
    assert BriefResult.model_validate(final["result"]).paragraphs[1].index == 1
    assert final["markdown"].startswith("# ")


def test_brief_accept_event_stream_is_the_stream(client: TestClient) -> None:
    response = client.post("/v1/briefs", json={"article": ARTICLE}, headers={"Accept": "text/event-stream"})
    assert response.status_code == 200
    assert [name for name, _ in parse_sse(response.text)][-1] == "result"


def test_stream_error_before_start_is_plain_json(client: TestClient) -> None:
    response = client.post("/v1/briefs/stream", json={"article": NOT_ITALIAN})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "not_italian"


def test_translate_one_and_many(client: TestClient, fake: FakeBackend) -> None:
    fake.enqueue(ENGLISH)
    one = client.post("/v1/translate", json={"text": ARTICLE})
    assert one.status_code == 200, one.text
    body = one.json()  # flat: the text is `translation`, not `translation.translation`
    assert body["translation"] == ENGLISH and body["model"] == "fake" and "results" not in body
    assert body["facts"]["facts"] and body["paragraphs"][0]["translation"] == ENGLISH
    assert set(body) == {"translation", "paragraphs", "facts", "warnings", "removed", "captions", "cached", "model"}
    assert "Deprecation" not in one.headers
    many = client.post("/v1/translate", json={"texts": [ARTICLE, ARTICLE.replace("Roma", "Milano")]})
    assert many.status_code == 200, many.text
    assert set(many.json()) == {"results", "model"}
    assert [r["translation"] for r in many.json()["results"]] == [ARTICLE, ARTICLE.replace("Roma", "Milano")]  # echo


def test_translate_keeps_the_old_nested_shape_on_request(client: TestClient, fake: FakeBackend) -> None:
    fake.enqueue(ENGLISH)
    one = client.post("/v1/translate", params={"shape": "nested"}, json={"text": ARTICLE})
    assert one.status_code == 200, one.text
    assert one.headers["Deprecation"] == "true"
    body = one.json()
    assert body["translation"]["translation"] == ENGLISH and body["results"] is None and body["model"] == "fake"
    many = client.post("/v1/translate", params={"shape": "nested"}, json={"texts": [ARTICLE]})
    assert many.json()["translation"] is None and many.json()["results"][0]["translation"] == ARTICLE
    bad = client.post("/v1/translate", params={"shape": "deep"}, json={"text": ARTICLE})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"


def test_translate_needs_exactly_one_field(client: TestClient) -> None:
    for body in ({}, {"text": ARTICLE, "texts": [ARTICLE]}, {"texts": []}):
        response = client.post("/v1/translate", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "invalid_request"


def test_translate_names_the_bad_text(client: TestClient) -> None:
    response = client.post("/v1/translate", json={"texts": [ARTICLE, NOT_ITALIAN]})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("texts[1]:")


def test_summarize_writes_only_what_is_asked(client: TestClient, fake: FakeBackend) -> None:
    fake.enqueue(ENGLISH, "Rome gets 30 million euros")
    response = client.post("/v1/summarize", json={"text": ARTICLE, "write": ["headline"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["headline"] == "Rome gets 30 million euros" and body["summary"] is None
    assert set(body["facts"]) == {"headline"}
    unsupported = [f for f in body["facts"]["headline"]["facts"] if f["status"] == "unsupported"]
    assert [f["text"] for f in unsupported] == ["30 million euros"]
    assert any(w["code"] == "headline_unsupported" for w in body["warnings"])
