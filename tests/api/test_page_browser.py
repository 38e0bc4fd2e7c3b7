"""The editors' page in Debian's Chromium (Playwright): paste an article, watch it run, check the brief.

Fake backend by default (echo translation, a delay per model call: UI plumbing, progress and cancel).
BRIEF_BROWSER_REAL_MODEL=1 runs the first test against `brief serve` with the default offline model instead
(minutes on 2 cores). Screenshots of the done state (1366×768 and 700 px wide) go to $BRIEF_ARTIFACTS_DIR
(default: artifacts/screenshots in the repo, a gitignored folder).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import italian
from .server import Server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / ".." / "shared" / "seeds" / "000_fd4f438c24bf3718.txt"
CHROMIUM = os.environ.get("BRIEF_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
REAL = os.environ.get("BRIEF_BROWSER_REAL_MODEL") == "1"
ARTIFACTS = Path(os.environ.get("BRIEF_ARTIFACTS_DIR", REPO / "artifacts" / "screenshots"))
DELAY = 0.25  # seconds per fake model call: a run is slow enough to look at mid-way
MARKS = "✓≠✗☐?"
LAPTOP = {"width": 1366, "height": 768}

OTHER = ("Napoli, nuovo porto\n\nIl Comune di Napoli ha approvato il progetto del nuovo porto turistico. "
         "La spesa prevista è di 7 milioni di euro, ha detto l'assessore Gaetano Manfredi.")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set BRIEF_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("page")
    # the result cache off: these tests watch whole runs (progress, cancel), and a repeated article would be served at once
    running = Server.fake(tmp, tmp / "jobs.sqlite3", delay=DELAY, calls=tmp / "calls.txt", env={"BRIEF_RESULT_CACHE": "false"})
    running.calls = tmp / "calls.txt"  # type: ignore[attr-defined]
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


@pytest.fixture
def page(browser, server: Server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(server.url + "/")
    page.wait_for_selector("#model-status.ready")
    yield page
    context.close()


def seed() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed article missing: {SEED}")
    return SEED.read_text(encoding="utf-8")


def make_brief(page, article: str, timeout_ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
    page.fill("#article", article)
    page.click("#run")
    page.wait_for_selector("body[data-state=done], body[data-state=error]", timeout=timeout_ms)
    assert page.get_attribute("body", "data-state") == "done", page.inner_text("#error")


def display(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return page.eval_on_selector(selector, "node => getComputedStyle(node).display")


def calls(server: Server) -> int:
    path: Path = server.calls  # type: ignore[attr-defined]
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


def test_editors_page_shows_the_brief(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = seed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = Server.brief(tmp_path) if REAL else Server.fake(tmp_path, tmp_path / "jobs.sqlite3", delay=0.05)
    kind = "real" if REAL else "fake"
    try:
        server.wait_ready(timeout=600 if REAL else 30)
        context = browser.new_context(viewport=LAPTOP)  # a laptop screen
        page = context.new_page()
        page.goto(server.url + "/")
        page.wait_for_selector("#model-status.ready")
        make_brief(page, article, timeout_ms=1_800_000 if REAL else 30_000)
        page.screenshot(path=str(ARTIFACTS / f"editors-page-{kind}-1366x768.png"))
        page.screenshot(path=str(ARTIFACTS / f"editors-page-{kind}-1366-full.png"), full_page=True)

        headline = page.inner_text("#headline").strip()
        assert headline and headline != "(no headline)"
        english = [cell.strip() for cell in page.locator("#rows td[lang=en]").all_inner_texts()]
        assert len(english) >= 4 and all(english)
        if not REAL:
            assert any("Blinken" in cell for cell in english)  # the echo "translation"
        facts = page.locator("#rows mark.fact")
        assert facts.count() >= 1
        assert facts.first.get_attribute("data-status") in ("preserved", "altered", "missing", "unverified")
        # the title is fact-checked like a paragraph: "Blinken" and "Asia centrale" are marked in both columns
        assert page.locator("#p-title td[lang=it] mark.fact").count() >= 1
        assert page.locator("#p-title td[lang=en] mark.fact").count() >= 1
        # captions are marked too
        assert page.locator("#captions li").count() >= 1
        assert page.locator("#captions li mark.fact").count() >= 1 or REAL
        assert page.locator("#removed li").count() >= 1  # "Leggi anche:"
        assert page.locator(".legend .fact").count() == 5
        # the page scrolled to the result: on a laptop screen the headline, the summary and the first
        # paragraph are above the fold
        inside = "s => { const r = document.querySelector(s).getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight - 30; }"
        for selector in ("#headline", "#summary", "#p-0"):
            assert page.evaluate(inside, selector), f"{selector} is not on screen after the run"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no horizontal scrolling

        page.set_viewport_size({"width": 700, "height": 900})
        page.locator("#brief").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('brief').scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / f"editors-page-{kind}-700.png"))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        context.close()
    finally:
        server.stop()


def test_hidden_panels_are_invisible(page) -> None:  # type: ignore[no-untyped-def]
    for selector in ("#progress", "#error", "#brief", "#key-field", "#cancel", "#warnings"):
        assert display(page, selector) == "none", selector
    assert page.is_disabled("#copy-md") and page.is_disabled("#download-md")
    page.fill("#article", "This is an English sentence about the weather in London today. The forecast says that it "
                          "will rain for the rest of the week and the wind will be strong on the coast.")
    page.click("#run")
    page.wait_for_selector("body[data-state=error]", timeout=15_000)
    text = page.inner_text("#error")
    assert "not Italian" in text and "not_italian" in text
    assert display(page, "#error") != "none"
    for selector in ("#progress", "#brief", "#key-field"):  # no empty progress panel beside an input error
        assert display(page, selector) == "none", selector


def test_two_runs_in_a_row_show_no_stale_data(page, server: Server) -> None:  # type: ignore[no-untyped-def]
    make_brief(page, seed())
    assert "Blinken" in page.inner_text("#brief")
    assert page.inner_text("#meta") and page.inner_text("#fact-counts") and page.is_enabled("#copy-md")
    first_markdown = page.evaluate("run.markdown")
    assert "Blinken" in first_markdown

    page.fill("#article", OTHER)
    page.click("#run")
    page.wait_for_selector("body[data-state=running]")
    # mid-run: nothing of the first brief is left, and there is nothing to copy or download yet
    assert "Blinken" not in page.inner_text("body")
    for selector in ("#headline", "#summary", "#fact-counts", "#meta", "#warning-list", "#captions"):
        assert page.inner_text(selector).strip() == "", selector
    assert page.is_disabled("#copy-md") and page.is_disabled("#download-md")
    assert page.evaluate("run.markdown") == ""
    page.wait_for_selector("body[data-state=done]", timeout=60_000)
    assert "Blinken" not in page.inner_text("body") and "Napoli" in page.inner_text("#brief")
    second = page.evaluate("run.markdown")
    assert "Napoli" in second and "Blinken" not in second
    with page.expect_download() as download:
        page.click("#download-md")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text == second and "Napoli" in text


def test_copied_text_has_no_marks(page) -> None:  # type: ignore[no-untyped-def]
    make_brief(page, seed())
    assert page.locator("#rows td[lang=en] mark.fact").count() >= 1
    selected = page.evaluate("""() => {
        const cells = [...document.querySelectorAll('#rows td[lang=en] .tgt'), document.getElementById('headline')];
        return cells.map((cell) => {
            const range = document.createRange(); range.selectNodeContents(cell);
            const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range);
            return [selection.toString(), cell.textContent];
        });
    }""")
    for copied, text in selected:
        assert copied == text
        assert not any(mark in copied for mark in MARKS), copied
    # the tag is still shown, drawn by CSS
    tag = page.eval_on_selector("#rows mark.fact", "m => getComputedStyle(m, '::after').content")
    assert tag.strip('"') in ("✓", "≠ altered", "✗ missing", "☐ check by hand")


def test_marks_never_split_words(page) -> None:  # type: ignore[no-untyped-def]
    marked = page.evaluate("""() => {
        const node = document.createElement('p');
        render(node, 'Blinken met the Central Asian leaders.', [{span: [16, 28], status: 'preserved', kind: 'place'}]);
        return [node.querySelector('mark').textContent, node.textContent];
    }""")
    assert marked == ["Central Asian", "Blinken met the Central Asian leaders."]


def test_progress_is_honest_and_cancel_stops_the_server(page, server: Server) -> None:  # type: ignore[no-untyped-def]
    article = "Roma, il piano\n\n" + "\n\n".join(italian(i) for i in range(10))
    page.fill("#article", article)
    page.evaluate("""() => { window.seen = []; new MutationObserver(() => window.seen.push([
        document.getElementById('progress-bar').value, document.getElementById('progress-text').textContent,
        document.getElementById('progress-time').textContent])).observe(document.getElementById('progress'),
        {subtree: true, childList: true, characterData: true, attributes: true}); }""")
    start = calls(server)
    page.click("#run")
    page.wait_for_selector("#rows td.pending")
    assert display(page, "#cancel") != "none"
    page.wait_for_function("() => document.getElementById('progress-text').textContent.includes('paragraph 2 of 10')", timeout=20_000)
    page.wait_for_function("() => document.getElementById('progress-time').textContent.includes('elapsed')")
    assert "left" in page.inner_text("#progress-time")
    before = calls(server)
    page.click("#cancel")
    page.wait_for_selector("body[data-state=cancelled]")
    assert "cancelled" in page.inner_text("#progress-text")
    assert page.is_enabled("#run") and display(page, "#cancel") == "none" and page.is_disabled("#copy-md")
    time.sleep(4 * DELAY + 1)
    settled = calls(server)
    time.sleep(4 * DELAY + 1)
    assert calls(server) == settled, "the server kept calling the model after Cancel"
    assert settled - before <= 2  # at most the call in flight and one more
    assert settled - start < 11 + 2  # far from the 11 blocks + headline + summary of a full run
    texts = [text for _, text, _ in page.evaluate("window.seen")]
    assert "1 paragraphs" not in " ".join(texts)
    assert any("10 paragraphs and a title" in text for text in texts)
    assert any("translating the title" in text for text in texts)

    # a full run: the bar reaches 1 only with the result
    page.fill("#article", OTHER)
    page.evaluate("window.seen = []")
    page.click("#run")
    page.wait_for_selector("body[data-state=done]", timeout=60_000)
    seen = page.evaluate("window.seen")
    assert max(value for value, _, _ in seen[:-3]) < 1
    # when the translation is done, headline and summary are still ahead: the bar is far from full
    at_facts = [value for value, text, _ in seen if "facts checked" in text]
    assert at_facts and max(at_facts) < 0.9, seen
    values = [value for value, _, _ in seen]
    assert values == sorted(values)  # never goes backwards
    assert page.eval_on_selector("#progress-bar", "b => b.value") == 1


def test_the_server_keeps_serving_after_a_cancel(server: Server) -> None:
    response = httpx.post(server.url + "/v1/briefs", json={"article": italian(3), "options": {"write": []}}, timeout=60)
    assert response.status_code == 200, response.text


def test_docs_load_with_no_outside_requests(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    requested: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", lambda request: blocked.append(f"{request.url} {request.failure}"))
    for path, ready in (("/docs", ".swagger-ui .info .title"), ("/redoc", "h1")):
        page.goto(server.url + path)
        page.wait_for_selector(ready, timeout=20_000)
        assert "Italian brief" in page.inner_text(ready)
    outside = [url for url in requested if not url.startswith((server.url, "data:", f"blob:{server.url}"))]
    sent = [url for url in outside if f"{url} csp" not in blocked]  # ReDoc's footer logo is stopped by the page's CSP
    assert not sent, (outside, blocked)
    page.goto(server.url + "/")
    page.click("a.api-link")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)  # the page's API link leads to working docs
    context.close()
