"""Hostile and odd input: whatever a client sends, the answer is a clear 4xx or a result, never a 5xx."""

from __future__ import annotations

import json

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


# --- a corpus of hostile input: every endpoint, never a 5xx, and job articles never `internal_error` ----------
def _nested(depth: int) -> str:
    return "<div>" * depth + ARTICLE + "</div>" * depth


HOSTILE_TEXTS: dict[str, str] = {
    "unclosed tags": f"<html><body><p>{ARTICLE}<p><b><i>{italian(1)}",
    "stray end tags": f"</p></div></body><p>{ARTICLE}</p></html></html>",
    "broken comment": f"<p>{ARTICLE}</p><!-- -- --!><!--- <p>{italian(2)}</p>",
    "cdata and pi": f"<![CDATA[x]]><?xml version='1.0'?><p>{ARTICLE}</p><?php echo 1; ?>",
    "bogus doctype": f"<!DOCTYPE html [ <!ENTITY a 'b'> ]><p>{ARTICLE}</p>",
    "unclosed script": f"<p>{ARTICLE}</p><script>while(true){{}}",
    "deep nesting": _nested(5000),
    "entity oddities": f"<p>{ARTICLE} &#0; &#xFFFFFFFF; &#x110000; &#55296; &bogus; &amp</p>",
    "attributes galore": "<p " + " ".join(f'a{i}="{i}"' for i in range(2000)) + f">{ARTICLE}</p>",
    "tag soup": "<" * 3000 + ARTICLE + ">" * 3000,
    "only markup": "<div><span></span><br/><hr></div>" * 50,
    "control characters": ARTICLE + " \x00\x01\x07\x1b[31m\x7f\u202e\u2066 " + italian(3),
    "lone surrogates": ARTICLE + " \ud800 \udfff " + italian(4),
    "mojibake": ARTICLE.replace("è", "Ã¨").replace("à", "Ã ") + " Ã¨ perchÃ©",
    "zero width everywhere": "\u200b".join(ARTICLE),
    "bidi and combining": ARTICLE + " " + "e\u0301" * 500 + "\u202a\u202b\u202c",
    "emoji and astral": ARTICLE + " 🇮🇹🏛️ 𝔄𝔟𝔠 " * 20,
    "markdown oddities": "#" * 200 + " titolo\n\n" + "[" * 500 + ARTICLE + "](" + "x" * 3000 + ")\n\n> " * 50,
    "giant word": ARTICLE + " " + "a" * 1500,
    "numbers galore": ARTICLE + " " + " ".join(str(10 ** i) for i in range(60)),
    "many newlines": ARTICLE + "\n" * 5000 + italian(5),
    "crlf and tabs": ARTICLE.replace(" ", "\t") + "\r\n\r\n" + italian(6).replace(" ", "\r"),
    "only whitespace": " \n\t\u00a0\u3000 ",
}

RAW_BODIES: dict[str, bytes] = {
    "latin-1 body": '{"article": "è così"}'.encode("latin-1"),
    "utf-16 body": '{"article": "Il governo"}'.encode("utf-16"),
    "bom + utf-8": b"\xef\xbb\xbf" + b'{"article": "Il governo ha deciso."}',
    "deep json": b'{"article": ' + b"[" * 20000 + b"]" * 20000 + b"}",
    "huge number": b'{"article": "x", "options": {"language_check": 1e400}}',
    "nan": b'{"article": NaN}',
    "duplicate keys": b'{"article": "a", "article": "' + ARTICLE.encode() + b'"}',
    "truncated": b'{"article": "Il gov',
    "not an object": b'"just a string"',
    "null": b"null",
    "empty": b"",
}


def post_json(client: TestClient, path: str, body: object):  # type: ignore[no-untyped-def]
    """As a client would send it: ASCII-escaped JSON (so even a lone surrogate "\\ud800" goes through)."""
    return client.post(path, content=json.dumps(body).encode(), headers={"content-type": "application/json"})


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
def test_hostile_text_never_gets_a_server_error(client: TestClient, name: str) -> None:
    text = HOSTILE_TEXTS[name]
    for fmt in ("auto", "html", "markdown", "text"):
        for path, body in [("/v1/briefs", {"article": text, "format": fmt, "title": text[:300]}),
                           ("/v1/summarize", {"text": text, "format": fmt}),
                           ("/v1/translate", {"texts": [text, ARTICLE], "format": fmt})]:
            response = post_json(client, path, body)
            assert response.status_code < 500, f"{path} {fmt}: {response.status_code} {response.text[:300]}"
            if response.status_code >= 400:
                assert response.json()["error"]["code"] != "internal_error"
    job = post_json(client, "/v1/jobs", {"articles": [{"article": text, "format": fmt, "title": text[:100], "id": name}
                                                       for fmt in ("auto", "html", "text")], "options": {"write": []}})
    assert job.status_code < 500, job.text[:300]
    if job.status_code == 202:
        body = wait_for(lambda: (b := client.get(f"/v1/jobs/{job.json()['id']}").json())["status"] in ("done", "done_with_errors") and b)
        codes = [r["error"]["code"] for r in body["results"] if r["error"]]
        assert "internal_error" not in codes, body["results"]


@pytest.mark.parametrize("name", sorted(RAW_BODIES))
def test_hostile_bodies_never_get_a_server_error(client: TestClient, name: str) -> None:
    for path in ("/v1/briefs", "/v1/summarize", "/v1/translate", "/v1/jobs"):
        response = client.post(path, content=RAW_BODIES[name], headers={"content-type": "application/json"})
        assert response.status_code < 500, f"{path}: {response.status_code} {response.text[:300]}"
        if response.status_code >= 400:  # a BOM, UTF-16 or a repeated key are valid JSON: those may succeed
            assert response.json()["error"]["code"] not in ("internal_error", "http_400"), response.text[:300]


@pytest.mark.parametrize("field,size", [("title", 1_000_000), ("id", 10_000), ("article", 1_000_000)])
def test_huge_fields_are_refused_clearly(settings, field: str, size: int) -> None:  # type: ignore[no-untyped-def]
    from .conftest import make_client, wait_ready

    with make_client(settings.model_copy(update={"max_request_bytes": 5_000_000})) as client:
        wait_ready(client)
        article = {"article": ARTICLE, field: "x" * size}
        response = client.post("/v1/jobs" if field == "id" else "/v1/briefs",
                               json={"articles": [article]} if field == "id" else article)
        assert response.status_code in (413, 422), response.text[:300]


def test_lone_surrogates_on_the_libretranslate_routes(client: TestClient) -> None:
    body = {"q": ARTICLE + " \ud800", "source": "it", "target": "en"}
    for q in (body["q"], [body["q"], ARTICLE]):
        response = post_json(client, "/translate", {**body, "q": q})
        assert 400 <= response.status_code < 500, response.text[:300]
