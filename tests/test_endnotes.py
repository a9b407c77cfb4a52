"""Endnotes reach the provisions that cite them, as footnotes do.

Two TPP chapters from ToTA (Telecommunications and Electronic Commerce, both with notes)
are rendered three times by tests/pdf_maker.py: notes at the foot of their pages, notes
gathered under a 'Notes' heading at the end of each chapter in small type, and the same in
body type (numbered from 1 again in each chapter). Every clause must carry the same notes
and the same text in all three. Plain text with `[n]` markers and a Notes section is
checked the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TOTA
from tests.pdf_maker import articles_from_clauses, render_pdf
from tradelens.text import read_document
from tradelens.text.segment import segment

CHAPTERS = ("Telecommunications", "Electronic Commerce")


def _note_texts(notes: list[str]) -> list[str]:
    """Notes without their numbers (footnotes and endnotes are numbered differently)."""
    return [" ".join(n.split(" ", 1)[-1].split()) for n in notes]


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    base = tmp_path_factory.mktemp("endnotes")
    source = segment(read_document(TOTA / "pta_449.xml"))
    articles = []
    for chapter in CHAPTERS:
        clauses = [c for c in source if c.article and c.chapter and chapter in c.chapter]
        part = articles_from_clauses(clauses)
        part[0].chapter = clauses[0].chapter.split(" (")[0]
        articles += part
    for article in articles:
        article.paragraphs = [(label, text, [n.split(" ", 1)[-1] for n in notes])
                              for label, text, notes in article.paragraphs]
    out: dict[str, list] = {"source": articles}
    for style in ("foot", "small", "body"):
        target = base / f"tpp_{style}.pdf"
        render_pdf(articles, target, "TPP - consolidated text",
                   endnotes=None if style == "foot" else style)
        out[style] = segment(read_document(target))
    return out


@pytest.mark.parametrize("style", ["small", "body"])
def test_endnotes_reach_the_same_clauses_as_footnotes(renders, style: str) -> None:
    expected = {c.clause_id.split(":", 1)[1]: (c.text, _note_texts(c.footnotes))
                for c in renders["foot"]}
    got = {c.clause_id.split(":", 1)[1]: (c.text, _note_texts(c.footnotes))
           for c in renders[style]}
    assert got == expected
    assert sum(len(notes) for _, notes in got.values()) >= 10


@pytest.mark.parametrize("style", ["small", "body"])
def test_every_printed_note_is_linked_once(renders, style: str) -> None:
    printed = sorted(" ".join(n.split()) for a in renders["source"]
                     for _, _, notes in a.paragraphs for n in notes)
    linked = sorted(t for c in renders[style] for t in _note_texts(c.footnotes))
    assert linked == printed
    assert not any(c.text.strip().startswith("Notes") for c in renders[style])


def test_text_endnotes_are_linked_and_their_markers_removed(tmp_path: Path) -> None:
    path = tmp_path / "agreement.txt"
    path.write_text(
        "CHAPTER 1\nGENERAL\n\nArticle 1.1: Scope\n"
        "1. This Chapter applies to measures affecting trade by electronic means.[1]\n"
        "2. It does not apply to government procurement.\n\n"
        "Notes\n\n1 For greater certainty, this includes measures of regional governments.\n\n"
        "CHAPTER 2\nDATA\n\nArticle 2.1: Transfer of Information\n"
        "1. Each Party shall allow the cross-border transfer of information by electronic "
        "means.¹ This applies to the conduct of business.[2]\n\n"
        "Endnotes\n1. Nothing in this Article applies to financial services.\n"
        "2. Business includes non-profit activity\nof a covered person.\n",
        encoding="utf-8")
    clauses = {c.clause_id.split(":", 1)[1]: c for c in segment(read_document(path))}
    assert clauses["art1.1:p1"].footnotes == [
        "1 For greater certainty, this includes measures of regional governments."]
    assert clauses["art1.1:p1"].text.endswith("by electronic means.")
    assert clauses["art2.1:p1"].footnotes == [
        "1 Nothing in this Article applies to financial services.",
        "2 Business includes non-profit activity of a covered person."]
    assert "¹" not in clauses["art2.1:p1"].text and "[2]" not in clauses["art2.1:p1"].text
    assert not any("Notes" in c.text or "Nothing in this" in c.text for c in clauses.values())


def test_a_notes_heading_nobody_cites_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "agreement.txt"
    path.write_text("Article 1: Objectives\n1. The Parties shall cooperate.\n\nNotes\n"
                    "1 The Parties take note of the work of the committee.\n",
                    encoding="utf-8")
    text = " ".join(c.text for c in segment(read_document(path)))
    assert "take note of the work of the committee" in text
