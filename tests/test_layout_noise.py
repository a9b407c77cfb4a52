"""Watermarks and stamps leave the text: an agreement printed with a diagonal
"CONFIDENTIAL DRAFT" watermark, stamps over the text and a vertical registry note in the
margin reads exactly like the clean print, and scores the same.

The PDFs are rendered here (tests/pdf_maker.py) from the sample corpus and from the TPP's
Electronic Commerce chapter in ToTA, once clean and once with the marks on every page.
"""

from __future__ import annotations

import math
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import SAMPLES, TOTA, load_reports, run_cli
from tests.pdf_maker import articles_from_clauses, render_pdf
from tradelens.text import read_document
from tradelens.text.pdf_noise import noise_chars
from tradelens.text.segment import segment


def _marks(canvas, page: int) -> None:  # noqa: ANN001 - a reportlab canvas
    """What a registry does to a treaty print: watermark, stamps, a margin note."""
    from reportlab.lib.pagesizes import A4

    width, height = A4
    canvas.saveState()
    canvas.setFillGray(0.8)
    canvas.setFont("Helvetica-Bold", 54)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, 0, "CONFIDENTIAL DRAFT")
    canvas.restoreState()
    canvas.setFillColorRGB(0.7, 0.1, 0.1)
    if page % 2:  # a horizontal stamp printed over the body text
        canvas.setFont("Helvetica-Bold", 22)
        canvas.drawString(width * 0.45, height * 0.62, f"RECEIVED 14 MAR 2016 No {page}")
    else:  # a tilted stamp
        canvas.saveState()
        canvas.translate(width * 0.3, height * 0.4)
        canvas.rotate(12)
        canvas.setFont("Helvetica-Bold", 26)
        canvas.drawString(0, 0, "CERTIFIED TRUE COPY")
        canvas.restoreState()
    canvas.saveState()  # a registry note running up the margin
    canvas.translate(10, height * 0.3)
    canvas.rotate(90)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(0, 0, f"Registry 2016/4471 sheet {page}")
    canvas.restoreState()


CASES = {
    "eastern": (SAMPLES / "eastern_regional_partnership.txt", ""),
    "tpp_ecommerce": (TOTA / "pta_449.xml", "Electronic Commerce"),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    base = tmp_path_factory.mktemp("noise")
    made = {}
    for name, (source, chapter) in CASES.items():
        clauses = [c for c in segment(read_document(source))
                   if c.article and (not chapter or (c.chapter and chapter in c.chapter))]
        articles = articles_from_clauses(clauses)
        for article in articles:  # the renderer numbers footnotes itself
            article.paragraphs = [(label, text, [n.split(" ", 1)[-1] for n in notes])
                                  for label, text, notes in article.paragraphs]
        clean, marked = base / f"{name}.pdf", base / f"{name}_marked.pdf"
        render_pdf(articles, clean, f"{name} - text")
        render_pdf(articles, marked, f"{name} - text", overlay=_marks)
        made[name] = (clean, marked)
    return made


def _mark_text(page: int) -> str:
    stamp = f"RECEIVED 14 MAR 2016 No {page}" if page % 2 else "CERTIFIED TRUE COPY"
    return "CONFIDENTIAL DRAFT" + stamp + f"Registry 2016/4471 sheet {page}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_marks_are_in_the_pdf_and_only_they_are_dropped(pdfs, name: str) -> None:
    clean, marked = pdfs[name]
    with pdfplumber.open(clean) as plain, pdfplumber.open(marked) as noisy:
        assert len(plain.pages) == len(noisy.pages)
        for before, after in zip(plain.pages, noisy.pages, strict=True):
            assert not noise_chars(before.chars)
            dropped = noise_chars(after.chars)
            text = "".join(after.chars[i]["text"] for i in dropped)
            # Every letter of every mark is dropped, and no letter of the text.
            assert sorted(text.replace(" ", "")) == \
                sorted(_mark_text(after.page_number).replace(" ", ""))
            assert len(after.chars) - len(dropped) == len(before.chars)


@pytest.mark.parametrize("name", sorted(CASES))
def test_marked_pdf_segments_exactly_like_the_clean_one(pdfs, name: str) -> None:
    clean, marked = pdfs[name]
    expected = [(c.clause_id.split(":", 1)[1], c.text, c.page)
                for c in segment(read_document(clean))]
    got = [(c.clause_id.split(":", 1)[1], c.text, c.page)
           for c in segment(read_document(marked))]
    assert len(expected) > 10
    assert got == expected


def test_marked_pdfs_score_like_the_clean_ones(pdfs, tmp_path: Path) -> None:
    files = [str(p) for pair in pdfs.values() for p in pair]
    result = run_cli("analyse", *files, "--out", str(tmp_path / "out"),
                     "--store", str(tmp_path / "store"), "--format", "json",
                     "--workers", "1", "--quiet")
    assert result.exit_code == 0, result.output
    reports = load_reports(tmp_path / "out")
    for name in CASES:
        clean, marked = reports[name], reports[f"{name}_marked"]
        assert clean["policy_space"]["score"] == marked["policy_space"]["score"]
        for category, data in clean["categories"].items():
            other = marked["categories"][category]
            assert other["status"] == data["status"]
            assert [f["text"] for f in other["findings"]] == [f["text"] for f in data["findings"]]
    assert any(c["status"] == "hard" for r in reports.values()
               for c in r["categories"].values())


def test_the_page_direction_is_the_one_most_characters_share() -> None:
    """A landscape table printed sideways keeps its text; the odd upright label goes."""
    def char(text: str, angle: float, x: float) -> dict:
        a, b = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        return {"text": text, "matrix": (a * 9, b * 9, -b * 9, a * 9, x, 0), "size": 9.0,
                "x0": x, "x1": x + 5, "top": 100.0, "bottom": 109.0}

    sideways = [char("x", 90, n * 6) for n in range(30)] + [char("y", 0.3, 400)]
    assert noise_chars(sideways) == {30}
    tilted_scan = [char("x", 0.4, n * 6) for n in range(30)] + [char("W", 45, 50)]
    assert noise_chars(tilted_scan) == {30}
