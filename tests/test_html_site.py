"""The static HTML scorecard: built by the real CLI, read back as HTML.

The browser behaviour (sorting, console errors) is in test_browser.py; here the pages are
parsed with lxml: every page exists, every link resolves, nothing reaches for the network,
and what the pages say matches the JSON reports.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html

from tests.conftest import SAMPLES, load_reports, run_cli
from tradelens.report.html_site import highlight
from tradelens.report.pages import anchor
from tradelens.report.svg_charts import Point, score_histogram, scores_by_year, year_of


def _pages(out: Path) -> dict[str, html.HtmlElement]:
    return {p.name: html.parse(str(p)).getroot() for p in out.glob("*.html")}


def test_one_page_per_agreement_plus_index_and_methodology(samples_run, sample_reports):
    _, out, _ = samples_run
    names = {p.name for p in out.glob("*.html")}
    assert names == {f"{i}.html" for i in sample_reports} | {"index.html", "methodology.html"}
    assert (out / "assets" / "scorecard.css").is_file()
    assert (out / "assets" / "scorecard.js").is_file()


def test_every_link_and_anchor_resolves(samples_run):
    _, out, _ = samples_run
    pages = _pages(out)
    checked = 0
    for name, root in pages.items():
        for element, attribute, link, _pos in root.iterlinks():
            parts = urlsplit(link)
            if parts.scheme == "data":
                continue
            assert not parts.scheme and not parts.netloc, f"{name}: external link {link}"
            target = out / parts.path if parts.path else out / name
            assert target.is_file(), f"{name}: <{element.tag} {attribute}={link!r}> is broken"
            if parts.fragment:
                ids = pages[target.name].xpath("//@id") if target.suffix == ".html" else []
                assert parts.fragment in ids, f"{name}: no #{parts.fragment} in {target.name}"
            checked += 1
    assert checked > 50


def test_no_asset_or_page_reaches_for_the_network(samples_run):
    _, out, _ = samples_run
    for path in [*out.glob("*.html"), *out.glob("assets/*")]:
        text = path.read_text()
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text), path
        assert "@import" not in text and "url(http" not in text, path


def test_index_table_lists_every_agreement_sorted_by_score(samples_run, sample_reports):
    _, out, _ = samples_run
    rows = html.parse(str(out / "index.html")).getroot().xpath(
        "//table[@id='agreements']/tbody/tr")
    ids = [r.get("data-id") for r in rows]
    assert sorted(ids) == sorted(sample_reports)
    scores = [float(r.xpath("./td[4]/@data-sort")[0]) for r in rows]
    assert scores == sorted(scores)
    assert scores == sorted(r["policy_space"]["score"] for r in sample_reports.values())


def test_agreement_page_shows_findings_highlighted_with_their_exceptions(samples_run,
                                                                        sample_reports):
    _, out, _ = samples_run
    report = sample_reports["pacific_rim_digital_partnership"]
    root = html.parse(str(out / "pacific_rim_digital_partnership.html")).getroot()
    assert root.xpath("string(//p[@id='score'])").startswith(f"{report['policy_space']['score']:g}")
    for category, body in report["categories"].items():
        section = root.xpath(f"//section[@id='{category}']")[0]
        articles = section.xpath(".//article[@class='finding']")
        assert len(articles) == len(body["findings"])
        for finding, article in zip(body["findings"], articles, strict=True):
            quoted = article.xpath("string(.//blockquote)")
            assert " ".join(quoted.split()) == " ".join(finding["text"].split())
            marks = article.xpath(".//blockquote/mark/text()")
            assert {e["text"] for e in finding["evidence"]} <= set(marks)
            # every exception and scope limit links to the clause that carries it
            linked = {a.get("href")[3:] for a in article.xpath(".//p[@class='mods']/a")}
            expected = {anchor(e["clause_id"]) for e in finding["exceptions"]}
            assert expected <= linked
    exception_clauses = root.xpath("//section[@class='modifiers']/article/@id")
    assert f"m-{anchor('pacific_rim_digital_partnership:art8.5:p3')}" in exception_clauses


def test_methodology_page_shows_the_weights_in_force(tmp_path):
    weights = tmp_path / "weights.yaml"
    weights.write_text("strength: {none: 100, soft: 77, hard: 13}\n"
                       "relief: {lppo_necessity: 21}\n")
    out = tmp_path / "out"
    result = run_cli("analyse", str(SAMPLES / "cooperation_framework.txt"), "--out", str(out),
                     "--store", str(tmp_path / "store"), "--format", "html,json",
                     "--weights", str(weights), "--quiet")
    assert result.exit_code == 0, result.output
    root = html.parse(str(out / "methodology.html")).getroot()
    strength = {r.xpath("string(./th)"): r.xpath("string(./td[2])")
                for r in root.xpath("//h2[@id='strength']/following-sibling::table[1]//tbody/tr")}
    assert strength == {"none": "100", "soft": "77", "hard": "13"}
    lppo = root.xpath("//tr[@id='lppo_necessity']/td[last()]/text()")
    assert lppo == ["+21"]
    assert load_reports(out)["cooperation_framework"]["policy_space"]["score"] == pytest.approx(
        (77 + 100 + 100) / 3, abs=0.05)


def test_highlight_escapes_text_and_never_overlaps_marks():
    text = "No Party shall <require> data & servers"
    out = str(highlight(text, [(0, 14, "modal"), (9, 24, "topic"), (25, 29, "topic")]))
    assert out == ('<mark class="modal">No Party shall</mark> &lt;require&gt; '
                   '<mark class="topic">data</mark> &amp; servers')


def test_charts_count_and_place_what_they_are_given():
    points = [Point("a", 5, "a.html", 2001), Point("b", 15, "b.html", 2010),
              Point("c", 19.9, "c.html", None), Point("d", 100, "d.html", 2020)]
    histogram = score_histogram(points)
    counts = re.findall(r"<title>(\d+)–\d+: (\d+) agreements", histogram)
    assert dict(counts) == {"0": "1", "10": "2", "20": "0", "30": "0", "40": "0", "50": "0",
                            "60": "0", "70": "0", "80": "0", "90": "1"}
    by_year = scores_by_year(points)
    assert by_year.count("<circle") == 3  # the undated agreement is left out
    assert scores_by_year(points[:1]) == ""
    assert year_of("signed on 4 February 2016") == 2016
    assert year_of("not signed") is None
