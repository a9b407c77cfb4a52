"""Text that arrives decomposed (NFD) or with look-alike code points reads as its composed
twin: the readers' output is brought to NFC once, so patterns, phrase lists and the
embedding cache see one form (tradelens/text/normal_form.py)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import yaml

from tests.conftest import run_cli
from tradelens.commands.evaluate import load_eval_set
from tradelens.models import Block, Document
from tradelens.taxonomy import load_taxonomy
from tradelens.text import read_document
from tradelens.text.normal_form import nfc, nfc_document

#: Two data-flow commitments written without a heading, in the team's words. Stored
#: decomposed, each lost its finding before the readers composed their text (measured: 31
#: of 89 labelled Spanish and French items changed when decomposed, none once composed).
SPANISH = ("Cada Parte permitirá que la información electrónica de una persona cubierta salga "
           "de su territorio cuando se transfiera para la conducción de su negocio.\n")
FRENCH = ("Chaque Partie permet que les données électroniques d'une personne visée quittent son "
          "territoire lorsqu'elles sont transférées pour l'exercice de ses activités.\n")
GREEK_QUESTION_MARK = "\u037e"


def decomposed(text: str) -> str:
    out = unicodedata.normalize("NFD", text)
    assert out != text and unicodedata.is_normalized("NFC", unicodedata.normalize("NFC", out))
    return out


def write_docx(path: Path, text: str) -> None:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n"):
        if paragraph:
            document.add_paragraph(paragraph)
    document.save(str(path))


def test_a_decomposed_draft_is_read_as_its_composed_twin(tmp_path: Path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "es_composed.txt").write_text(SPANISH, encoding="utf-8")
    (drafts / "es_decomposed.txt").write_text(decomposed(SPANISH), encoding="utf-8")
    write_docx(drafts / "fr_composed.docx", FRENCH)
    write_docx(drafts / "fr_decomposed.docx", decomposed(FRENCH))
    result = run_cli("analyse", str(drafts), "--format", "json", "--out",
                     str(tmp_path / "out"), "--store", str(tmp_path / "store"), "-q")
    assert result.exit_code == 0, result.output
    reports = {p.stem: json.loads(p.read_text()) for p in (tmp_path / "out").glob("*.json")}
    assert set(reports) == {"es_composed", "es_decomposed", "fr_composed", "fr_decomposed"}

    def categories(stem: str) -> dict:
        return {c: (body["status"], [f["strength"] for f in body["findings"]])
                for c, body in reports[stem]["categories"].items()}

    for lang, word in (("es", "información"), ("fr", "données")):
        assert categories(f"{lang}_composed")["data_free_flow"] == ("hard", ["hard"])
        assert categories(f"{lang}_decomposed") == categories(f"{lang}_composed")
        # what is published is the composed text, whatever the file held
        quoted = [f["text"] for f in
                  reports[f"{lang}_decomposed"]["categories"]["data_free_flow"]["findings"]]
        assert quoted and all(word in t and unicodedata.is_normalized("NFC", t)
                              for t in quoted)


def test_a_greek_question_mark_written_for_a_semicolon_becomes_one(tmp_path: Path):
    path = tmp_path / "draft.txt"
    path.write_text("Article 1\n\n1. The Parties shall cooperate" + GREEK_QUESTION_MARK +
                    " each Party shall publish its measures.\n", encoding="utf-8")
    document = read_document(path)
    text = "\n".join(block.text for block in document.blocks)
    assert GREEK_QUESTION_MARK not in text
    assert "cooperate; each" in text


def test_every_text_field_of_a_document_is_composed():
    acute = "e\u0301"
    block = Block(kind="article", text=f"Donn{acute}es", number=f"{acute}1", title=f"T{acute}",
                  footnotes=[f"n{acute}"], comments=[f"c{acute}"],
                  changes=[("inserted", f"i{acute}")])
    document = Document(agreement_id="x", source="x", format="text", blocks=[block],
                        title=f"Accord{acute}", parties=[f"P{acute}"],
                        parties_original=[f"O{acute}"])
    nfc_document(document)
    assert (block.text, block.number, block.title) == ("Données", "é1", "Té")
    assert (block.footnotes, block.comments, block.changes) == \
        (["né"], ["cé"], [("inserted", "ié")])
    assert (document.title, document.parties, document.parties_original) == \
        ("Accordé", ["Pé"], ["Oé"])
    composed = "Données"
    assert nfc(composed) is composed  # already composed: no copy


def test_labelled_items_typed_decomposed_are_composed(tmp_path: Path):
    (tmp_path / "dev.es.yaml").write_text(yaml.safe_dump({"lang": "es", "items": [
        {"id": "es-1", "text": decomposed(SPANISH), "expect": {"data_free_flow": "hard"}},
    ]}, allow_unicode=True), encoding="utf-8")
    items = load_eval_set(tmp_path, load_taxonomy())
    assert "información" in items[0].text
    assert unicodedata.is_normalized("NFC", items[0].text)
