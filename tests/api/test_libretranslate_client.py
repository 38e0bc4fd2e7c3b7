"""LibreTranslate's own Python client (`libretranslatepy`, pinned) against a running `brief serve` on loopback.

The fast tests serve a fake backend (it echoes the text) through the real `brief serve` command;
the slow one serves the real offline model. Assertions are on what the client returns or raises.
"""

from __future__ import annotations

import json
import urllib.error
from collections.abc import Iterator

import pytest
from libretranslatepy import LibreTranslateAPI

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
