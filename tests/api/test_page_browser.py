"""The editors' page in Debian's Chromium (Playwright): paste the seed article, wait for the brief, check it.

Fake backend by default (echo translation: UI plumbing). BRIEF_BROWSER_REAL_MODEL=1 runs `brief serve` with the
default offline model instead (minutes on 2 cores). Screenshots go to $BRIEF_ARTIFACTS_DIR (default: a tmp dir).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .server import Server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / ".." / "shared" / "seeds" / "000_fd4f438c24bf3718.txt"
CHROMIUM = os.environ.get("BRIEF_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
REAL = os.environ.get("BRIEF_BROWSER_REAL_MODEL") == "1"


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set BRIEF_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def test_editors_page_shows_the_brief(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if not SEED.is_file():
        pytest.skip(f"seed article missing: {SEED}")
    article = SEED.read_text(encoding="utf-8")
    artifacts = Path(os.environ.get("BRIEF_ARTIFACTS_DIR", tmp_path / "artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    server = Server.brief(tmp_path) if REAL else Server.fake(tmp_path, tmp_path / "jobs.sqlite3", delay=0.05)
    timeout_ms = 1_800_000 if REAL else 30_000
    try:
        server.wait_ready(timeout=600 if REAL else 30)
        page = browser.new_page(viewport={"width": 1366, "height": 768})  # a laptop screen
        page.goto(server.url + "/")
        page.wait_for_selector("#model-status.ready")
        page.fill("#article", article)
        page.click("#run")
        page.wait_for_selector("#progress:not([hidden])")
        page.wait_for_selector("body[data-state=done], body[data-state=error]", timeout=timeout_ms)
        page.screenshot(path=str(artifacts / f"editors-page-{'real' if REAL else 'fake'}.png"), full_page=True)
        assert page.get_attribute("body", "data-state") == "done", page.inner_text("#error")

        headline = page.inner_text("#headline").strip()
        assert headline and headline != "(no headline)"
        english = [cell.strip() for cell in page.locator("#rows td[lang=en]").all_inner_texts()]
        assert len(english) >= 3 and all(english)
        if not REAL:
            assert any("Blinken" in cell for cell in english)  # the echo "translation"
        facts = page.locator("#rows mark.fact")
        assert facts.count() >= 1
        assert facts.first.get_attribute("data-status") in ("preserved", "altered", "missing")
        assert page.locator("#captions li").count() >= 1  # "Foto copertina: …"
        assert page.locator("#removed li").count() >= 1  # "Leggi anche:"
        assert page.locator(".legend .fact").count() == 5  # preserved, altered, missing, check by hand, not in article
        # no horizontal scrolling on a laptop screen
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        server.stop()


def test_editors_page_shows_input_errors(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = Server.fake(tmp_path, tmp_path / "jobs.sqlite3")
    try:
        server.wait_ready()
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(server.url + "/")
        page.fill("#article", "This is an English sentence about the weather in London today. The forecast says that it "
                              "will rain for the rest of the week and the wind will be strong on the coast.")
        page.click("#run")
        page.wait_for_selector("body[data-state=error]", timeout=15_000)
        text = page.inner_text("#error")
        assert "not Italian" in text and "not_italian" in text
    finally:
        server.stop()
