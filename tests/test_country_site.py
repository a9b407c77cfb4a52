"""Country pages of the scorecard site, parsed with lxml and driven in headless Chromium.

Built by the real CLI from the generated party-named workspace (tests/ledger_fixture.py);
the browser part follows tests/test_browser.py (loopback server, console errors, links).
"""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html

from tests.ledger_fixture import AGREEMENTS
from tests.test_browser import SCREENSHOTS, _QuietHandler, _severe, browser  # noqa: F401
from tradelens.report.pages import anchor

ALL_CODES = sorted({c for a in AGREEMENTS for c in a.codes})


def _site(ledger_run) -> Path:
    result, out, _ = ledger_run
    assert result.exit_code == 0, result.output
    return out


def test_a_page_per_party_in_their_own_folder(ledger_run):
    out = _site(ledger_run)
    pages = {p.name for p in (out / "countries").glob("*.html")}
    assert pages == {f"{c.lower()}.html" for c in ALL_CODES} | {"index.html"}
    rows = html.parse(str(out / "countries" / "index.html")).getroot().xpath(
        "//table[@id='countries']/tbody/tr/@data-id")
    assert sorted(rows) == ALL_CODES
    # agreement pages and index/methodology are where they were, untouched by the folder
    assert {a.id for a in AGREEMENTS} <= {p.stem for p in out.glob("*.html")}


def test_every_link_of_the_whole_site_resolves(ledger_run):
    out = _site(ledger_run)
    pages = {p: html.parse(str(p)).getroot() for p in out.rglob("*.html")}
    checked = 0
    for path, root in pages.items():
        for element, attribute, link, _pos in root.iterlinks():
            parts = urlsplit(link)
            if parts.scheme == "data":
                continue
            assert not parts.scheme and not parts.netloc, f"{path.name}: external {link}"
            target = (path.parent / parts.path).resolve() if parts.path else path
            assert target.is_file(), f"{path}: <{element.tag} {attribute}={link!r}> broken"
            if parts.fragment:
                assert parts.fragment in pages[target].xpath("//@id"), (path, link)
            checked += 1
    assert checked > 200


def test_country_page_links_each_decisive_clause_to_its_finding(ledger_run):
    out = _site(ledger_run)
    root = html.parse(str(out / "countries" / "mex.html")).getroot()
    assert root.xpath("string(//h1)").startswith("Mexico")
    section = root.xpath("//section[@id='server_location']")[0]
    first = section.xpath(".//a[@class='first-bound']/@href")[0]
    page, fragment = first.split("#")
    assert page == "../pacific_alliance_protocol.html"
    agreement = html.parse(str(out / "pacific_alliance_protocol.html")).getroot()
    finding = agreement.xpath(f"//article[@id='{fragment}']")[0]
    assert fragment.startswith(f"server_location-{anchor('pacific_alliance_protocol:')}")
    assert "computing facilities" in finding.xpath("string(.//blockquote)")
    # one timeline per category, each with its line and a dot per commitment
    charts = root.xpath("//section[@class='category']//svg[contains(@class,'timeline')]")
    assert len(charts) == 3
    dots = section.xpath(".//svg//circle")
    assert len(dots) == sum(1 for a in AGREEMENTS if "MEX" in a.codes
                            and "server_location" in a.rules)
    partners = root.xpath("//table[@class='partners']//code/text()")
    assert sorted(partners) == ["CHL", "COL", "PER"]


@pytest.fixture(scope="module")
def site(ledger_run) -> Iterator[str]:
    out = _site(ledger_run)
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_country_pages_in_the_browser(browser, site):  # noqa: F811 - the shared fixture
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(f"{site}/index.html")
    browser.find_element(By.LINK_TEXT, "Countries").click()
    assert browser.current_url.endswith("/countries/index.html")
    browser.find_element(By.LINK_TEXT, "Chile").click()
    assert browser.current_url.endswith("/countries/chl.html")
    # the chart is drawn: the line has a real size on screen and the stylesheet applied
    line = browser.find_element(By.CSS_SELECTOR, "#data_free_flow svg.timeline polyline")
    assert line.size["width"] > 100 and line.size["height"] > 10
    assert browser.execute_script(
        "return getComputedStyle(arguments[0]).fill", line) == "none"
    browser.save_screenshot(str(SCREENSHOTS / "country_chl.png"))
    assert _severe(browser) == []
    hrefs = set(browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]'))"
        ".map(a => new URL(a.getAttribute('href'), location.href).href);"))
    assert all(h.startswith(site) for h in hrefs), hrefs
    for page in sorted({h.split("#")[0] for h in hrefs}):
        with urllib.request.urlopen(page) as response:  # loopback only: the test server
            assert response.status == 200, page
        browser.get(page)
        assert browser.find_element(By.TAG_NAME, "h1").text, page
        assert _severe(browser) == [], page
    # a decisive clause, followed by a click, lands on the finding on the agreement page
    browser.get(f"{site}/countries/chl.html")
    browser.find_element(By.CSS_SELECTOR, "#data_free_flow a.first-bound").click()
    page, target = browser.current_url.split("#")
    assert page.endswith("/andes_pacific.html")
    assert browser.find_element(By.ID, target).is_displayed()
    # the countries table sorts like the agreements table
    browser.get(f"{site}/countries/index.html")
    browser.find_element(By.XPATH, "//table[@id='countries']//th/button[.='Agreements']"
                         ).click()
    counts = [int(c.get_attribute("data-sort")) for c in browser.find_elements(
        By.CSS_SELECTOR, "#countries tbody tr td:nth-child(3)")]
    assert counts == sorted(counts) and len(counts) == len(ALL_CODES)
