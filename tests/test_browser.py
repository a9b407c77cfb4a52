"""The scorecard site in a real browser: headless Chromium driven by Selenium.

Debian's `chromium` and `chromium-driver` packages provide the browser and its matching
driver (`make browser` installs them; `.ci/run` runs it). The site is served from a local
HTTP server on 127.0.0.1, as a reader's web server would serve it. The tests check that the
table sorts and filters, that links lead to real pages, and that no page logs a console
error; a screenshot of each page is written to reports/browser/ for review.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = ROOT / "reports" / "browser"


@pytest.fixture(scope="module")
def site(samples_run) -> Iterator[str]:
    """The samples' scorecard on a loopback HTTP server; yields its base URL."""
    _, out, _ = samples_run
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """No access log on the test output."""


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201 - selenium's driver type
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("the browser tests need Debian's chromium and chromium-driver packages: "
                    "run `make browser` (as root) or apt-get install chromium chromium-driver")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not download drivers
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def _severe(driver) -> list[dict]:  # noqa: ANN001
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _scores(driver) -> list[float]:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    cells = driver.find_elements(By.CSS_SELECTOR,
                                 "#agreements tbody tr:not([hidden]) td:nth-child(4)")
    return [float(c.get_attribute("data-sort")) for c in cells]


def _click_header(driver, label: str) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    driver.find_element(By.XPATH, f"//table[@id='agreements']//th/button[.='{label}']").click()


def test_table_sorts_both_ways_and_by_text(browser, site, sample_reports):
    from selenium.webdriver.common.by import By

    browser.get(f"{site}/index.html")
    assert browser.title.startswith("Policy space of 6 agreements")
    served = _scores(browser)
    assert served == sorted(served) and len(served) == len(sample_reports)
    _click_header(browser, "Score")  # already ascending: the first click turns it round
    assert _scores(browser) == sorted(served, reverse=True)
    header = browser.find_element(By.XPATH, "//th[button='Score']")
    assert header.get_attribute("aria-sort") == "descending"
    _click_header(browser, "Score")
    assert _scores(browser) == sorted(served)
    _click_header(browser, "Agreement")
    titles = [e.text.lower() for e in browser.find_elements(
        By.CSS_SELECTOR, "#agreements tbody tr td:first-child a")]
    assert titles == sorted(titles) and len(titles) == len(sample_reports)
    assert _severe(browser) == []


def test_filter_hides_rows_that_do_not_match(browser, site):
    from selenium.webdriver.common.by import By

    browser.get(f"{site}/index.html")
    box = browser.find_element(By.ID, "filter")
    box.send_keys("pacific")
    visible = browser.find_elements(By.CSS_SELECTOR, "#agreements tbody tr:not([hidden])")
    assert [r.get_attribute("data-id") for r in visible] == ["pacific_rim_digital_partnership"]
    assert browser.find_element(By.ID, "shown").text == "1 of 6 shown"


def test_links_lead_to_pages_without_console_errors(browser, site, sample_reports):
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(f"{site}/index.html")
    browser.save_screenshot(str(SCREENSHOTS / "index.png"))
    # resolved by the page itself, so HTML and SVG links count alike
    hrefs = set(browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]'))"
        ".map(a => new URL(a.getAttribute('href'), location.href).href);"))
    assert all(h.startswith(site) for h in hrefs), hrefs
    pages = {h.split("#")[0] for h in hrefs}
    assert len(pages) >= len(sample_reports) + 2
    for page in sorted(pages):
        with urllib.request.urlopen(page) as response:  # loopback only: the test server
            assert response.status == 200, page
        browser.get(page)
        assert browser.find_element(By.TAG_NAME, "h1").text, page
        assert "Error response" not in browser.title, page
        assert _severe(browser) == [], page
    # an agreement page, followed by a click from the index, with its exceptions linked
    browser.get(f"{site}/index.html")
    title = "Pacific Rim Digital Partnership (sample, CPTPP-style)"
    browser.find_element(By.LINK_TEXT, title).click()
    assert browser.current_url.endswith("/pacific_rim_digital_partnership.html")
    link = browser.find_element(By.CSS_SELECTOR, "#server_location p.mods a.exception")
    link.click()
    target = browser.current_url.split("#")[1]
    assert browser.find_element(By.ID, target).is_displayed()
    browser.save_screenshot(str(SCREENSHOTS / "pacific_rim_digital_partnership.png"))
    assert (SCREENSHOTS / "index.png").stat().st_size > 10_000


def test_the_console_check_catches_a_script_error(browser):
    """Guard: the console-error assertions above can fail."""
    browser.get("data:text/html,<p>x</p><script>no_such_function()</script>")
    errors = _severe(browser)
    assert errors and "no_such_function" in errors[0]["message"]
