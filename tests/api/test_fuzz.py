"""Fuzzing: schemathesis generates requests for every documented operation of a live server (the fake
backend under uvicorn), and none may get a 5xx. Bounded and reproducible: a fixed number of examples
per operation, derandomized (the same requests on every run), well under three minutes on 2 cores.

Run alone: `python -m pytest tests/api/test_fuzz.py -m fuzz -q`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, settings  # noqa: E402  (after the importorskip)

from .server import Server  # noqa: E402

pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::UserWarning")]

EXAMPLES = 15  # per operation (15 operations): ~250 requests, ~40 s


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    server = Server.fake(tmp, tmp / "jobs.sqlite3", env={"BRIEF_MAX_ARTICLE_CHARS": "4000", "BRIEF_QUEUE_SIZE": "4"})
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def _openapi() -> dict:
    """The documented operations, from the app itself (the same document the live server serves)."""
    from service.api import create_app
    from service.settings import Settings

    return create_app(Settings(_env_file=None)).openapi()


schema = schemathesis.openapi.from_dict(_openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case, live: Server) -> None:  # type: ignore[no-untyped-def]
    response = case.call(base_url=live.url, timeout=60)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:500]}\n"
        f"reproduce: {case.as_curl_command()}\nserver log: {live.tail()}"
    )
