"""Hostile and odd input: whatever a client sends, the answer is a clear 4xx or a result, never a 5xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.text._html import html_blocks

from .conftest import ARTICLE, italian, wait_for


@pytest.mark.parametrize("markup", ["<![foo[", "<![foo[ x ]]>", "<![ foo [ <p>x</p>", "<![if !mso]><p>x</p><![endif]>"])
def test_marked_sections_html_parser_rejects_do_not_fail(markup: str) -> None:
    _, blocks, _ = html_blocks(f"<p>{ARTICLE}</p>{markup}<p>Fine.</p>")
    assert blocks[0] == ARTICLE and blocks[-1] == "Fine."


@pytest.mark.parametrize("path,field", [("/v1/briefs", "article"), ("/v1/summarize", "text")])
def test_an_unknown_marked_section_is_not_a_500(client: TestClient, path: str, field: str) -> None:
    html = f"<html><body><p>{ARTICLE}</p><![foo[<p>{italian(1)}</p></body></html>"
    response = client.post(path, json={field: html, "format": "html"})
    assert response.status_code == 200, response.text


def test_an_unknown_marked_section_in_a_job_is_not_an_internal_error(client: TestClient) -> None:
    html = f"<html><body><p>{ARTICLE}</p><![foo[</body></html>"
    job = client.post("/v1/jobs", json={"articles": [{"article": html, "format": "html"}], "options": {"write": []}}).json()
    body = wait_for(lambda: (b := client.get(f"/v1/jobs/{job['id']}").json())["status"] == "done" and b)
    assert body["results"][0]["status"] == "done"
