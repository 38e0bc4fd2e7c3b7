"""The result cache: a repeated article + run signature is answered from the job database."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.result_cache import SqliteResultCache
from service.models.fake import FakeBackend
from service.models.registry import get_backend
from service.pipeline.signature import cache_key, run_signature
from service.settings import Settings
from service.text import clean_article

from .conftest import ARTICLE, ENGLISH, make_client, wait_for, wait_ready


@pytest.fixture
def cached_client(settings: Settings):
    settings = settings.model_copy(update={"result_cache": True})
    with make_client(settings) as client:
        wait_ready(client)
        yield client, get_backend("fake", settings)


def _brief(client: TestClient, **options) -> dict:
    response = client.post("/v1/briefs", json={"article": ARTICLE, "options": options})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_same_brief_twice_is_served_from_the_cache(cached_client) -> None:
    client, fake = cached_client
    assert isinstance(fake, FakeBackend)
    fake.enqueue(ENGLISH, "Rome schools get 25 million euros", "Rome's schools get 25 million euros by March 2025.")
    first = _brief(client)
    calls = len(fake.requests)
    second = _brief(client)
    assert len(fake.requests) == calls, "no model call for the repeat"
    assert not first["cached"] and second["cached"]
    ignore = ("cached", "timings", "usage")
    assert {k: v for k, v in first.items() if k not in ignore} == {k: v for k, v in second.items() if k not in ignore}
    assert second["usage"]["calls"] == 0
    metrics = client.get("/metrics").text
    assert "brief_result_cache_hits 1.0" in metrics and "brief_result_cache_hit_rate 0.5" in metrics


def test_other_options_are_another_entry(cached_client) -> None:
    client, fake = cached_client
    _brief(client, write=["headline"])
    calls = len(fake.requests)
    assert not _brief(client, write=["summary"])["cached"] and len(fake.requests) > calls
    assert _brief(client, write=["headline"])["cached"]


def test_translations_and_job_articles_are_cached_too(cached_client) -> None:
    client, fake = cached_client
    first = client.post("/v1/translate", json={"texts": [ARTICLE, ARTICLE]}).json()
    assert [r["cached"] for r in first["results"]] == [False, True]
    job = client.post("/v1/jobs", json={"articles": [{"article": ARTICLE}], "options": {"write": []}}).json()
    done = wait_for(lambda: (s := client.get(f"/v1/jobs/{job['id']}").json())["status"] == "done" and s)
    assert done["results"][0]["result"]["cached"] is True


def test_the_cache_can_be_turned_off(settings: Settings) -> None:
    with make_client(settings) as client:  # the fixture's settings: result_cache=False
        wait_ready(client)
        fake = get_backend("fake", settings)
        _brief(client)
        calls = len(fake.requests)
        assert not _brief(client)["cached"] and len(fake.requests) > calls


# --- the key ------------------------------------------------------------------------------------

def _signature(settings: Settings, write=("headline", "summary"), guard="off", quality="balanced") -> dict:
    backend = get_backend("fake", settings)
    return run_signature(backend, backend, settings.prompts_dir, guard, quality, tuple(write))


def test_the_key_changes_when_any_signature_field_changes(settings: Settings, tmp_path) -> None:
    cleaned = clean_article(ARTICLE)
    base = _signature(settings)
    key = cache_key(cleaned, base)
    assert key == cache_key(clean_article(ARTICLE), _signature(settings))
    assert set(base) == {"version", "code", "translate", "writer", "prompts", "guard", "quality", "write", "engine"}
    for field in base:
        changed = {**base, field: "something else"}
        assert cache_key(cleaned, changed) != key, field
    # real changes, not just edited dictionaries
    assert _signature(settings, guard="repair") != base
    assert _signature(settings, quality="best") != base
    assert _signature(settings, write=("headline",)) != base
    assert _signature(settings, write=()) != base
    other_prompts = tmp_path / "prompts"
    other_prompts.mkdir()
    for file in settings.prompts_dir.glob("*.yaml"):
        other_prompts.joinpath(file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    headline = other_prompts / "headline.yaml"
    headline.write_text(headline.read_text(encoding="utf-8").replace("at most 14 words", "at most 12 words"), encoding="utf-8")
    edited = _signature(settings.model_copy(update={"prompts_dir": other_prompts}))
    assert edited["prompts"]["headline"] != base["prompts"]["headline"], "an edited prompt changes the key even at the same version"
    config = tmp_path / "model_configs" / "fake.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("chunk_tokens: 320", "chunk_tokens: 300"), encoding="utf-8")
    from service.models.registry import clear_backends

    clear_backends()
    assert _signature(settings)["translate"] != base["translate"]
    # the text: cleaned content, title
    assert cache_key(clean_article(ARTICLE + " Altro."), base) != key
    assert cache_key(clean_article(ARTICLE, title="Un titolo"), base) != key
    assert cache_key(clean_article(ARTICLE + "\n\n\n"), base) == key, "the same cleaned text is the same key"


def test_the_store_keeps_a_bounded_number_of_recent_entries(tmp_path) -> None:
    cache = SqliteResultCache(tmp_path / "c.sqlite3", max_entries=2, max_age_s=3600)
    for i in range(3):
        cache.put(f"k{i}", "brief", {"i": i})
    assert len(cache) == 2 and cache.get("k0") is None and cache.get("k2") == {"i": 2}
    assert (cache.lookups, cache.hits) == (2, 1)
    old = SqliteResultCache(tmp_path / "old.sqlite3", max_entries=10, max_age_s=0.01)
    old.put("k", "brief", {"x": 1})
    import time

    time.sleep(0.05)
    assert old.get("k") is None
    cache.close()
    old.close()
