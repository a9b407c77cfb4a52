"""PDF round trip: agreements rendered to two-column PDFs segment like their source texts.

The PDFs are made here (tests/pdf_maker.py) with running headers, 'Page N of M' footers
and real footnotes, from ToTA chapters and the sample corpus, so every check compares
the PDF reader against text whose structure is known.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, TOTA
from tests.pdf_maker import articles_from_clauses, render_pdf
from tradelens.text import read_document
from tradelens.text.segment import segment

CASES = [
    (TOTA / "pta_449.xml", "Electronic Commerce"),
    (TOTA / "pta_449.xml", "Telecommunications"),
    (TOTA / "pta_449.xml", "Investment"),
    (TOTA / "pta_450.xml", "Comercio Electrónico"),
    (TOTA / "pta_425.xml", "Electronic Commerce"),
    (SAMPLES / "northern_trade_accord.xml", ""),
    (SAMPLES / "eastern_regional_partnership.txt", ""),
    (SAMPLES / "draft_digital_chapter.txt", ""),
]


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[0].stem}-{c[1] or 'all'}")
def round_trip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    source, chapter = request.param
    clauses = [c for c in segment(read_document(source))
               if c.article and (not chapter or (c.chapter and chapter in c.chapter))]
    assert len(clauses) >= 5, f"nothing to render from {source.name} {chapter}"
    articles = articles_from_clauses(clauses)
    for article in articles:  # footnotes are printed with fresh numbers by the renderer
        article.paragraphs = [(label, text, [n.split(" ", 1)[1] for n in notes])
                              for label, text, notes in article.paragraphs]
    target = tmp_path_factory.mktemp("pdf") / f"{source.stem}.pdf"
    pages = render_pdf(articles, target, f"{source.stem} - consolidated text")
    from_pdf = segment(read_document(target))
    return articles, pages, from_pdf


def test_pdf_finds_the_same_articles_as_the_source(round_trip) -> None:
    articles, _, from_pdf = round_trip
    by_article: dict[str, list] = {}
    for clause in from_pdf:
        by_article.setdefault(clause.article, []).append(clause)
    matched = []
    for article in articles:
        number = article.heading.split()[-1]
        source_text = " ".join(text for _, text, _ in article.paragraphs)
        pdf_text = " ".join(c.text for c in by_article.get(number, []))
        matched.append(_similarity(source_text, pdf_text) >= 0.9)
    assert sum(matched) / len(matched) >= 0.98, (
        [a.heading for a, ok in zip(articles, matched, strict=True) if not ok])


def test_pdf_pages_are_where_the_renderer_put_each_article(round_trip) -> None:
    articles, pages, from_pdf = round_trip
    first_page = {}
    for clause in from_pdf:
        first_page.setdefault(clause.article, clause.page)
    right = [first_page.get(a.heading.split()[-1]) == pages[f"{a.key}#0"] for a in articles]
    assert sum(right) / len(right) >= 0.98
    assert max(c.page for c in from_pdf) == max(pages.values())


def test_pdf_footnotes_leave_the_text_and_reach_their_article(round_trip) -> None:
    articles, _, from_pdf = round_trip
    expected = {a.heading.split()[-1]: sum(len(n) for _, _, n in a.paragraphs)
                for a in articles}
    found: dict[str, int] = {}
    for clause in from_pdf:
        found[clause.article] = found.get(clause.article, 0) + len(clause.footnotes)
    assert sum(found.values()) == sum(expected.values())
    with_notes = [number for number, n in expected.items() if n]
    if with_notes:
        right = [found.get(number) == expected[number] for number in with_notes]
        assert sum(right) / len(right) >= 0.9
    # Footnote text never stays in the body: no clause ends with a footer or a note.
    assert not any("consolidated text" in c.text or "Page 1 of" in c.text for c in from_pdf)


def test_single_column_sample_pdf_keeps_pages_and_drops_running_lines() -> None:
    clauses = segment(read_document(SAMPLES / "pacific_rim_digital_partnership.pdf"))
    by_id = {c.clause_id.split(":", 1)[1]: c for c in clauses}
    assert by_id["art8.5:p2"].page == 3
    assert "No Party shall require a covered person to use or locate" in by_id["art8.5:p2"].text
    assert not any("Pacific Rim Digital Partnership - consolidated" in c.text for c in clauses)
    assert not any("Page 2 of" in c.text for c in clauses)


def test_pdf_maker_and_reader_disagree_when_columns_are_ignored(tmp_path: Path) -> None:
    """Guard against a vacuous round trip: read left-to-right across both columns, the text
    of the rendered PDF must differ from the source (so the column logic is what passes)."""
    import pdfplumber

    clauses = [c for c in segment(read_document(TOTA / "pta_449.xml"))
               if c.chapter and "Electronic Commerce" in c.chapter]
    target = tmp_path / "ecom.pdf"
    render_pdf(articles_from_clauses(clauses), target, "TPP")
    with pdfplumber.open(target) as pdf:
        naive = " ".join((page.extract_text() or "") for page in pdf.pages)
    source = " ".join(c.text for c in clauses)
    assert _similarity(" ".join(naive.split())[:3000], source[:3000]) < 0.8
