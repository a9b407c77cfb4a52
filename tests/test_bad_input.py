"""Bad input per DESIGN.md: one line naming the file and the reason, and the batch goes on.

All the bad files sit in one directory with a good agreement, analysed in one run into a
store that already holds another agreement; each case then checks its own error line,
and every case checks that the good file was analysed and nothing stored was lost.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import SAMPLES, run_cli

GOOD = SAMPLES / "cooperation_framework.txt"
STORED_BEFORE = SAMPLES / "goods_trade_agreement.xml"


def _corrupt_pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n%%EOF")


def _encrypted_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), encrypt="open-sesame")
    pdf.drawString(72, 720, "Article 1. Each Party shall allow transfers of information.")
    pdf.save()


def _image_only_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    for n in range(40):  # a scanned page: marks, no text layer
        pdf.rect(60 + 10 * n, 700 - 12 * n, 8, 8, fill=1)
    pdf.showPage()
    pdf.save()


def _empty_pdf(path: Path) -> None:
    path.write_bytes(b"")


def _zip_bomb_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<a>" + " " * (300 * 1024 * 1024) + "</a>")


def _text_named_docx(path: Path) -> None:
    path.write_text("Article 1. This is plain text that someone saved with a .docx name.\n")


def _zip_not_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")


def _entity_bomb(path: Path) -> None:
    path.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;</r>')


def _external_entity(path: Path) -> None:
    path.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    "<treaty><body>&x;</body></treaty>")


def _binary_junk(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 40)


def _malformed_xml(path: Path) -> None:
    path.write_text("<treaty><meta><name>Broken</meta></treaty>")


def _unreadable(path: Path) -> None:
    """Permission denied for a normal user; root reads anything, so it gets a file whose
    read fails in the kernel (/proc/self/mem at offset 0 raises EIO)."""
    if os.geteuid() == 0:
        path.symlink_to("/proc/self/mem")
    else:
        path.write_text("Article 1. Locked away.")
        path.chmod(0)


# file name -> (maker, words the one-line error must contain)
CASES = {
    "corrupt.pdf": (_corrupt_pdf, "corrupt PDF"),
    "encrypted.pdf": (_encrypted_pdf, "encrypted PDF"),
    "scanned.pdf": (_image_only_pdf, "no text layer"),
    "empty.pdf": (_empty_pdf, "empty"),
    "bomb.docx": (_zip_bomb_docx, "zip bomb"),
    "plain-text.docx": (_text_named_docx, "named .docx but is not a Word"),
    "other-zip.docx": (_zip_not_docx, "not a Word (DOCX) document"),
    "billion-laughs.xml": (_entity_bomb, "declares entities"),
    "external-entity.xml": (_external_entity, "declares entities"),
    "junk.xml": (_binary_junk, "binary content"),
    "broken.xml": (_malformed_xml, "malformed XML"),
    "locked.txt": (_unreadable, "cannot be read"),
}


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path, Path]:
    base = tmp_path_factory.mktemp("bad")
    batch, out, store = base / "in", base / "out", base / "store"
    batch.mkdir()
    for name, (make, _) in CASES.items():
        make(batch / name)
    shutil.copy(GOOD, batch / GOOD.name)
    first = run_cli("analyse", str(STORED_BEFORE), "--out", str(base / "first"),
                    "--store", str(store), "--format", "json", "--quiet")
    assert first.exit_code == 0, first.output
    result = run_cli("analyse", str(batch), "--out", str(out), "--store", str(store),
                     "--format", "json")
    return result, batch, out, store


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_gets_one_line_and_the_batch_goes_on(bad_batch, name: str) -> None:
    result, batch, out, store = bad_batch
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    mine = [line for line in errors if f"{batch / name}:" in line]
    assert len(mine) == 1, result.stderr
    assert CASES[name][1] in mine[0]
    assert "\n" not in mine[0] and len(mine[0]) < 300
    assert len(errors) == len(CASES)
    # The good file in the same batch was analysed, and the store kept what it had.
    assert (out / "cooperation_framework.json").is_file()
    with sqlite3.connect(store / "tradelens.sqlite") as db:
        ids = {row[0] for row in db.execute("SELECT agreement_id FROM agreements")}
    assert ids == {"goods_trade_agreement", "cooperation_framework"}


def test_one_broken_file_among_many(tmp_path: Path) -> None:
    batch = tmp_path / "in"
    batch.mkdir()
    good = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".xml"))
    for path in good:
        shutil.copy(path, batch / path.name)
    (batch / "zz_truncated.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    result = run_cli("analyse", str(batch), "--out", str(tmp_path / "out"),
                     "--store", str(tmp_path / "store"), "--format", "json", "--quiet")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "zz_truncated.pdf" in errors[0]
    assert len(list((tmp_path / "out").glob("*.json"))) == len(good)
