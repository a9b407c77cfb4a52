"""Segmentation of flat text (PDF, plain text) and ToTA structure into clauses."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SAMPLES
from tradelens.ingest import read_document
from tradelens.language import detect_language
from tradelens.models import Block, Document
from tradelens.segment import segment


def _doc(text: str, agreement_id: str = "t") -> Document:
    return Document(agreement_id=agreement_id, source="mem", format="text",
                    blocks=[Block(kind="line", text=line) for line in text.splitlines()])


def test_english_spanish_french_headings_and_paragraphs():
    text = """CHAPTER 14
ELECTRONIC COMMERCE

Article 14.11: Cross-Border Transfer
1. First paragraph.
2. Second paragraph with (a) an item; and (b) another.

Artículo 14.13 Ubicación de las instalaciones
1. Primer párrafo.

Article premier
Objet du présent accord.
"""
    clauses = segment(_doc(text))
    ids = [c.clause_id for c in clauses]
    assert ids == ["t:art14.11:p1", "t:art14.11:p2", "t:art14.13:p1", "t:artpremier:p0"]
    assert clauses[0].chapter == "Chapter 14 (ELECTRONIC COMMERCE)"
    assert clauses[0].article_title == "Cross-Border Transfer"
    assert clauses[2].article_title == "Ubicación de las instalaciones"
    assert "(b) another" in clauses[1].text


def test_numbers_out_of_sequence_do_not_split_paragraphs():
    text = "Article 3: Dates\n1. The Parties agree that\n2016. was a year\n2. Second.\n"
    clauses = segment(_doc(text))
    assert [c.paragraph for c in clauses] == ["1", "2"]
    assert "2016. was a year" in clauses[0].text


def test_cross_reference_at_line_start_is_not_a_heading():
    text = ("Article 2: Scope\n1. The obligations in this Chapter are subject to\n"
            "Article 14.4 (Non-Discriminatory Treatment) and to the exceptions.\n")
    clauses = segment(_doc(text))
    assert len(clauses) == 1
    assert "Article 14.4" in clauses[0].text


def test_clause_ids_are_stable_across_runs_and_batches():
    path = SAMPLES / "eastern_regional_partnership.txt"
    first = [c.clause_id for c in segment(read_document(path))]
    second = [c.clause_id for c in segment(read_document(path))]
    assert first == second
    assert len(set(first)) == len(first)


def test_tota_articles_keep_their_identifier(tota_dir: Path):
    document = read_document(tota_dir / "pta_449.xml")
    clauses = segment(document)
    by_ref = {c.source_ref for c in clauses}
    assert {"40218", "40220", "40224"} <= by_ref
    transfer = [c for c in clauses if c.source_ref == "40218"]
    assert [c.paragraph for c in transfer] == ["1", "2", "3"]
    assert transfer[1].chapter.endswith("(Electronic Commerce)")


def test_language_detection():
    assert detect_language("Each Party shall allow the transfer of information by the Parties.") \
        == "en"
    assert detect_language("Cada Parte permitirá la transferencia de la información por medios "
                           "electrónicos de los proveedores.") == "es"
    assert detect_language("Chaque Partie autorise le transfert des données et les services "
                           "par voie électronique dans la Partie.") == "fr"
    assert detect_language("12 34") is None


def test_spanish_tota_language_comes_from_metadata(tota_dir: Path):
    assert read_document(tota_dir / "pta_450.xml").language == "es"
