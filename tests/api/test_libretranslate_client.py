"""LibreTranslate's own Python client (`libretranslatepy`, pinned) against a running `brief serve` on loopback.

The fast tests serve a fake backend (it echoes the text) through the real `brief serve` command;
the slow one serves the real offline model. Assertions are on what the client returns or raises.
"""

from __future__ import annotations

import json
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
from libretranslatepy import LibreTranslateAPI

from service.models.config import load_model_config
from service.models.weights import weights_present
from service.settings import Settings

from .conftest import ARTICLE, NOT_ITALIAN, write_config
from .server import Server

KEY = "client-test-key-0123456789"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("lt-client")
    write_config(tmp / "configs")
    server = Server.brief(tmp, env={"BRIEF_MODEL_CONFIGS_DIR": str(tmp / "configs"), "BRIEF_TRANSLATE_CONFIG": "fake",
                                    "BRIEF_GUARD": "off", "BRIEF_API_KEYS": json.dumps([KEY])})
    try:
        server.wait_ready(60)
        yield server.url
    finally:
        server.stop()


def refused(call) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """Call the client, expect it to raise urllib's HTTPError; return (status, LibreTranslate's error message)."""
    with pytest.raises(urllib.error.HTTPError) as caught:
        call()
    return caught.value.code, json.loads(caught.value.read())["error"]


def test_translate(served: str) -> None:
    client = LibreTranslateAPI(served, api_key=KEY)
    assert client.translate(ARTICLE, "it", "en") == ARTICLE  # the fake backend echoes
    assert client.translate(ARTICLE, source="auto", target="en", timeout=30) == ARTICLE


def test_languages(served: str) -> None:
    languages = LibreTranslateAPI(served, api_key=KEY).languages()
    assert languages == [{"code": "it", "name": "Italian", "targets": ["en"]}, {"code": "en", "name": "English", "targets": []}]
    assert LibreTranslateAPI(served).languages() == languages  # open without a key, as in LibreTranslate


def test_detect(served: str) -> None:
    client = LibreTranslateAPI(served, api_key=KEY)
    italian = client.detect(ARTICLE)
    assert italian[0]["language"] == "it" and 50 < italian[0]["confidence"] <= 100
    assert client.detect(NOT_ITALIAN)[0]["language"] == "en"


def test_wrong_language_pair(served: str) -> None:
    client = LibreTranslateAPI(served, api_key=KEY)
    status, message = refused(lambda: client.translate(ARTICLE))  # the client's default pair is en → es
    assert status == 400 and message.startswith("English (en) is not available as a source language")
    status, message = refused(lambda: client.translate(ARTICLE, "it", "fr"))
    assert status == 400 and "French (fr) is not available as a target language from Italian (it)" in message
    status, message = refused(lambda: client.translate(NOT_ITALIAN, "auto", "en"))
    assert status == 400 and "looks like English (en), not Italian" in message


def test_wrong_or_missing_key(served: str) -> None:
    wrong = LibreTranslateAPI(served, api_key="this-is-not-the-key")
    assert refused(lambda: wrong.translate(ARTICLE, "it", "en")) == (403, "Invalid API key. Check the api_key parameter")
    assert refused(lambda: wrong.detect(ARTICLE))[0] == 403
    status, message = refused(lambda: LibreTranslateAPI(served).translate(ARTICLE, "it", "en"))
    assert status == 400 and message.startswith("Please contact the server operator to get an API key")


@pytest.mark.slow
def test_real_model_through_the_client(tmp_path: Path) -> None:
    settings = Settings(_env_file=None)
    config = load_model_config(settings.model_configs_dir, settings.translate_config)
    if not weights_present(config, settings.cache_dir):
        pytest.skip(f"weights for {config.id} are not assembled (brief models fetch {config.id})")
    server = Server.brief(tmp_path, env={"BRIEF_REQUEST_TIMEOUT_S": "600"})
    try:
        server.wait_ready(300)
        english = LibreTranslateAPI(server.url).translate(
            "Il Comune di Milano ha stanziato 12 milioni di euro per rinnovare 40 scuole entro settembre 2025.", "it", "en",
            timeout=600)
    finally:
        server.stop()
    assert "Milan" in english and "12 million" in english and "40 schools" in english and "2025" in english, english
