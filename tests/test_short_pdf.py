"""Short PDF drafts with one article per page keep their articles.

Running heads are found by repetition: a word printed at the same place on most pages, a
top or bottom line whose shape recurs. In a three- or four-page draft that starts every
article on a new page, "Article N" sits at the same place on every page, and where the
numbering starts on page 1 its number is the page's own. Both rules took it for a running
head, so the draft became one clause and every finding pointed at the whole text. A
heading that opens a different division on each page is the text's structure; a running
head that names one chapter throughout is still dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.conftest import load_reports, run_cli
from tradelens.text import read_document
from tradelens.text.segment import segment

ARTICLES = [
    ("Movement of Business Data",
     "Each Party shall allow a covered enterprise to send information, including personal "
     "information, out of its territory by electronic means when the enterprise does so to "
     "carry on its business."),
    ("Where Servers Are Placed",
     "No Party shall make the use or location of computing facilities in its territory a "
     "condition for a covered enterprise to do business there."),
    ("Software Code",
     "No Party shall require that a person of the other Party hand over or open access to "
     "the source code of its software as a condition of importing or selling that software."),
]


def _draft(path: Path, cover: bool = False, running_head: Callable[[int], str] | None = None,
           footer: bool = False, articles: list[tuple[str, str]] = ARTICLES) -> Path:
    """One article per page, its heading at the same place on every page; `running_head`
    gives the head printed on each page (by page number), in the body's type."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pages = len(articles) + cover
    if cover:
        pdf.setFont("Times-Bold", 14)
        pdf.drawString(72, 600, "Draft Digital Trade Chapter")
        pdf.showPage()
    for number, (title, body) in enumerate(articles, start=1):
        if running_head:
            pdf.setFont("Times-Roman", 10)
            pdf.drawString(72, 805, running_head(number + cover))
        pdf.setFont("Times-Bold", 11)
        pdf.drawString(72, 770, f"Article {number}")
        pdf.drawString(72, 755, title)
        pdf.setFont("Times-Roman", 10)
        line, y = "", 730
        for word in body.split():
            if len(line) + len(word) > 85:
                pdf.drawString(72, y, line.strip())
                line, y = "", y - 13
            line += word + " "
        pdf.drawString(72, y, line.strip())
        if footer:
            pdf.setFont("Times-Roman", 8)
            pdf.drawString(280, 30, f"Page {number + cover} of {pages}")
        pdf.showPage()
    pdf.save()
    return path


def _articles(path: Path) -> list[tuple[str | None, str]]:
    return [(c.article, c.text) for c in segment(read_document(path))]


def test_article_numbers_that_equal_page_numbers_stay_headings(tmp_path: Path) -> None:
    clauses = _articles(_draft(tmp_path / "draft.pdf"))
    assert [article for article, _ in clauses] == ["1", "2", "3"]
    for (_, text), (title, body) in zip(clauses, ARTICLES, strict=True):
        assert text.startswith(body[:40]) and title not in text


def test_article_headings_after_a_cover_page_stay_headings(tmp_path: Path) -> None:
    clauses = _articles(_draft(tmp_path / "draft.pdf", cover=True))
    assert [article for article, _ in clauses if article] == ["1", "2", "3"]


def test_a_running_head_naming_one_chapter_is_still_dropped(tmp_path: Path) -> None:
    path = _draft(tmp_path / "draft.pdf", running_head=lambda _: "Chapter 9 Digital Trade",
                  footer=True)
    clauses = _articles(path)
    assert [article for article, _ in clauses] == ["1", "2", "3"]
    for _, text in clauses:
        assert "Digital Trade" not in text and "Page" not in text


def test_a_running_head_that_follows_the_chapters_is_still_dropped(tmp_path: Path) -> None:
    """Two chapters of three pages each: the head names the current chapter and the page,
    so its number changes, but it names the same chapter over a run of pages."""
    path = _draft(tmp_path / "draft.pdf", articles=ARTICLES * 2,
                  running_head=lambda page: f"Chapter {9 if page <= 3 else 10} - page {page}")
    document = read_document(path)
    assert not any(b.text.startswith("Chapter") for b in document.blocks)
    clauses = segment(document)
    assert [c.article for c in clauses] == ["1", "2", "3", "4", "5", "6"]
    assert {c.chapter for c in clauses} == {None}


def test_each_finding_points_at_its_own_article(tmp_path: Path) -> None:
    path = _draft(tmp_path / "draft.pdf", footer=True)
    result = run_cli("analyse", str(path), "--out", str(tmp_path / "out"), "--store",
                     str(tmp_path / "store"), "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    report = load_reports(tmp_path / "out")["draft"]
    where = {category: {f["clause_id"].split(":")[1] for f in body["findings"]}
             for category, body in report["categories"].items()}
    assert where == {"data_free_flow": {"art1"}, "server_location": {"art2"},
                     "source_code_secrecy": {"art3"}}
