"""`tradelens serve` in a real browser: uvicorn on 127.0.0.1 (a free port), headless
Chromium driven by Selenium (Debian's chromium and chromium-driver, as in
tests/test_browser.py). Upload the sample draft, see the highlighted clauses, the
per-option table and a precedent, tick a what-if modifier and watch the score change with
no reload, download the Word export, and be refused an over-size upload. No page may log a
console error (a CSP violation would be one)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import serve_support
from tests.serve_support import DRAFT, LIMIT
from tests.test_browser import SCREENSHOTS, _severe, browser  # noqa: F401 - the fixture
from tradelens.serve.app import create_app
from tradelens.serve.engine import Settings

serve_store = serve_support.serve_store  # the shared workspace fixture


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(serve_store: Path) -> Iterator[str]:
    """The app served by uvicorn in a thread; yields its base URL once it answers."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(create_app(Settings(serve_store, max_upload_bytes=LIMIT)),
                            host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 300
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _wait(driver, condition, seconds: float = 300):  # noqa: ANN001, ANN202
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def _upload(driver, base: str, path: Path) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/")
    driver.find_element(By.ID, "file").send_keys(str(path))
    driver.find_element(By.ID, "check-button").click()
    _wait(driver, lambda d: "/draft/" in d.current_url
          or d.find_elements(By.ID, "error-message"))


def test_check_a_draft_and_try_a_modifier(browser, server, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    _upload(browser, server, DRAFT)
    assert "/draft/" in browser.current_url
    assert "Not stored." in browser.find_element(By.ID, "confidential").text
    flagged = browser.find_elements(By.CSS_SELECTOR, "#draft-text .clause.flagged.hard")
    assert {c.get_attribute("id") for c in flagged} >= {"draft_digital_chapter-artx-3-p1",
                                                        "draft_digital_chapter-artx-4-p1"}
    assert flagged[0].find_elements(By.CSS_SELECTOR, "mark.topic")
    colour = browser.execute_script(
        "return getComputedStyle(arguments[0]).borderLeftColor;", flagged[0])
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # the category colour shows
    options = browser.find_elements(By.CSS_SELECTOR, "#options tbody tr")
    assert [r.find_element(By.TAG_NAME, "td").text for r in options] == ["option 1",
                                                                         "option 2"]
    precedent = browser.find_element(By.CSS_SELECTOR,
                                     "article[data-finding^='data_free_flow'] .precedent")
    assert "pacific_rim_digital_partnership" in precedent.text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "serve-check.png"))

    score = browser.find_element(By.ID, "score")
    before = float(score.text)
    box = browser.find_element(
        By.CSS_SELECTOR, "article[data-finding^='server_location'] "
                         "input[data-modifier='no_dispute_settlement']")
    assert not box.is_selected()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.click()
    _wait(browser, lambda d: d.find_element(By.TAG_NAME, "body")
          .get_attribute("data-whatif") in ("done", "failed"), 120)
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-whatif") == "done"
    after = float(browser.find_element(By.ID, "score").text)
    assert after > before
    assert "/draft/" in browser.current_url  # no reload, no navigation
    explain = browser.find_element(By.CSS_SELECTOR,
                                   "tr[data-category='server_location'] .cat-explain").text
    assert "(proposed)" in explain
    assert _severe(browser) == []


def test_word_export_downloads_with_comments(browser, server, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Page.setDownloadBehavior",
                            {"behavior": "allow", "downloadPath": str(tmp_path)})
    _upload(browser, server, DRAFT)
    button = browser.find_element(By.ID, "export-docx")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    _wait(browser, lambda d: [p for p in tmp_path.glob("*.docx")], 120)
    time.sleep(0.5)  # let Chromium finish renaming the partial download
    path = next(tmp_path.glob("*.docx"))
    import docx

    comments = list(docx.Document(str(path)).comments)
    assert len(comments) >= 2
    assert all("closest precedent:" in c.text for c in comments)
    assert _severe(browser) == []


def test_an_oversize_upload_is_refused_in_the_browser(browser, server, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    big = tmp_path / "too_big.txt"
    big.write_bytes(b"Article 1\nEach Party shall allow data flows.\n" * (LIMIT // 30))
    _upload(browser, server, big)
    message = browser.find_element(By.ID, "error-message").text
    assert "larger than the 0.25 MB limit" in message
    assert browser.find_element(By.TAG_NAME, "h1").text == "File too large"
