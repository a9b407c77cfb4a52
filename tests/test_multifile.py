"""An agreement made of several files: a manifest (agreement.yaml) reads a main text and
a side letter as ONE agreement, and the side letter's exception reaches the rules it
governs, checked through the real CLI.

The main text is the sample PDF; the side letter is a Word file written here (the team's
own words): a self-judging exception for Chapter 8 and a temporary exemption from dispute
settlement for one Party. The same PDF analysed alone is the baseline.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, load_reports, run_cli
from tests.docx_maker import Para, write_docx
from tradelens.errors import InputError
from tradelens.text import discover, read_document
from tradelens.text.manifest import manifest_sha256
from tradelens.text.segment import segment

MAIN = SAMPLES / "pacific_rim_digital_partnership.pdf"
MANIFEST = """\
id: pacific_with_letter
title: Pacific Rim Digital Partnership and side letter
parties: [Aurelia, Borealis, Coralia]
date_signed: 2017-03-08
files:
  - {path: main.pdf, role: main}
  - {path: letters/side_letter.docx, role: side_letter, title: Aurelia and Coralia}
"""


def _side_letter(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    write_docx(target, [
        Para([("text", "Side Letter on Computing Facilities")], style="Title"),
        Para([("text", "In connection with the signing today of the Partnership, the "
                       "Parties confirm the following understanding.")]),
        Para([("text", "1. With respect to Chapter 8 (Electronic Commerce), nothing in "
                       "Article 8.5 shall be construed to prevent a Party from adopting or "
                       "maintaining a measure on the location of computing facilities that "
                       "it considers necessary to achieve a legitimate public policy "
                       "objective.")]),
        Para([("text", "2. For a period of five years after the date of entry into force "
                       "of the Agreement, Coralia shall not be subject to dispute settlement "
                       "with respect to Article 8.6 of Chapter 8 (Electronic Commerce).")]),
    ], title="Side letter")


def _agreement(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(MAIN, folder / "main.pdf")
    _side_letter(folder / "letters" / "side_letter.docx")
    (folder / "agreement.yaml").write_text(MANIFEST)
    return folder


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict], str]:
    base = tmp_path_factory.mktemp("multi")
    inputs = base / "in"
    _agreement(inputs / "pacific")
    shutil.copy(MAIN, inputs / "pacific_alone.pdf")
    broken = inputs / "broken"
    broken.mkdir()
    (broken / "agreement.yaml").write_text("files:\n  - {path: ../pacific/main.pdf, role: main}\n")
    result = run_cli("analyse", str(inputs), "--out", str(base / "out"),
                     "--store", str(base / "store"), "--format", "json,html", "--workers", "1",
                     "--quiet")
    return inputs, load_reports(base / "out"), result.stderr if result.exit_code else ""


def test_a_folder_with_a_manifest_is_one_input(batch) -> None:
    inputs, reports, _ = batch
    assert sorted(discover([inputs])) == sorted([
        inputs / "broken" / "agreement.yaml", inputs / "pacific" / "agreement.yaml",
        inputs / "pacific_alone.pdf"])
    # The PDF alone is named by its own 'Id:' header; the folder by its manifest.
    assert set(reports) == {"pacific_with_letter", "pacific_rim_digital_partnership"}
    agreement = reports["pacific_with_letter"]["agreement"]
    assert agreement["title"] == "Pacific Rim Digital Partnership and side letter"
    assert agreement["parties"] == ["Aurelia", "Borealis", "Coralia"]
    assert agreement["date_signed"] == "2017-03-08"


def test_a_bad_manifest_is_one_line_and_the_batch_goes_on(batch) -> None:
    inputs, reports, stderr = batch
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {inputs / 'broken' / 'agreement.yaml'}: manifest file "
                      "'../pacific/main.pdf' leaves the manifest's folder"]
    assert "pacific_with_letter" in reports


def test_the_side_letter_changes_the_score_of_the_rules_it_governs(batch) -> None:
    _, reports, _ = batch
    alone = reports["pacific_rim_digital_partnership"]["categories"]["server_location"]
    joint = reports["pacific_with_letter"]["categories"]["server_location"]
    assert alone["status"] == joint["status"] == "hard"
    assert joint["policy_space"] > alone["policy_space"]
    decisive = joint["findings"][0]
    assert decisive["file"] == "main.pdf" and decisive["page"] is not None
    assert any("self-judging" in line and "pacific_with_letter:" in line
               for line in decisive["explanation"])
    exceptions = {e["type"]: e["clause_id"] for e in decisive["exceptions"]}
    letter_clauses = {f["clause_id"] for c in reports["pacific_with_letter"]["categories"].values()
                      for f in c["findings"] if f.get("file") != "main.pdf"}
    assert not letter_clauses  # the letter holds exceptions, not rules
    assert "lppo_self_judging" in exceptions
    source_code = reports["pacific_with_letter"]["categories"]["source_code_secrecy"]
    enforce = {e["type"] for f in source_code["findings"] for e in f["enforceability"]}
    assert "temporary_exemption" in enforce


def test_every_clause_keeps_its_file_and_page(batch) -> None:
    inputs, _, _ = batch
    clauses = segment(read_document(inputs / "pacific"))
    files = {c.file for c in clauses}
    assert files == {"main.pdf", "letters/side_letter.docx"}
    assert all(c.page for c in clauses if c.file == "main.pdf")
    letter = [c for c in clauses if c.file_role == "side_letter"]
    assert letter and all(c.chapter and c.chapter.startswith("Side letter") for c in letter)
    assert not any("Side Letter on Computing" in c.text for c in clauses if c.file == "main.pdf")


def test_a_changed_member_file_changes_the_agreement_hash(tmp_path: Path) -> None:
    folder = _agreement(tmp_path / "a")
    before = manifest_sha256(folder)
    with (folder / "letters" / "side_letter.docx").open("ab") as handle:
        handle.write(b"\0")
    assert manifest_sha256(folder / "agreement.yaml") != before


def _manifest(folder: Path, text: str) -> Path:
    _agreement(folder)
    (folder / "agreement.yaml").write_text(text)
    return folder


HOSTILE = {
    "absolute path": ("files:\n  - {path: /etc/passwd, role: main}\n", "is an absolute path"),
    "parent": ("files:\n  - {path: letters/../../x.pdf, role: main}\n",
               "leaves the manifest's folder"),
    "missing": ("files:\n  - {path: nowhere.pdf, role: main}\n", "'nowhere.pdf' does not exist"),
    "bad role": ("files:\n  - {path: main.pdf, role: preamble}\n",
                 "invalid manifest at files/0/role"),
    "unknown key": ("files:\n  - {path: main.pdf, role: main}\nrun: rm -rf /\n",
                    "invalid manifest at top level"),
    "no files": ("id: x\n", "invalid manifest at top level: 'files' is a required property"),
    "annex first": ("files:\n  - {path: main.pdf, role: annex}\n",
                    "the first file must have role 'main'"),
    "anchors": ("a: &x [1, 2]\nb: *x\nfiles:\n  - {path: main.pdf, role: main}\n",
                "YAML anchors or aliases"),
    "not yaml": ("files: [unclosed\n", "not valid YAML at line"),
    "itself": ("files:\n  - {path: agreement.yaml, role: main}\n", "is itself a manifest"),
    "twice": ("files:\n  - {path: main.pdf, role: main}\n  - {path: ./main.pdf, role: annex}\n",
              "lists './main.pdf' twice"),
    "too big": ("# " + "x" * 70_000 + "\nfiles:\n  - {path: main.pdf, role: main}\n",
                "manifest larger than 64 KB"),
    "bad date": ("date_signed: soon\nfiles:\n  - {path: main.pdf, role: main}\n",
                 "invalid manifest at date_signed"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_manifests_get_one_line_naming_the_manifest(tmp_path: Path, case: str) -> None:
    text, reason = HOSTILE[case]
    folder = _manifest(tmp_path / "agreement", text)
    with pytest.raises(InputError) as caught:
        read_document(folder)
    message = str(caught.value)
    assert message.startswith(f"{folder / 'agreement.yaml'}: "), message
    assert reason in message, message
    assert "\n" not in message and len(message) < 300


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = _manifest(tmp_path / "agreement", "files:\n  - {path: link.pdf, role: main}\n")
    outside = tmp_path / "outside.pdf"
    shutil.copy(MAIN, outside)
    os.symlink(outside, folder / "link.pdf")
    with pytest.raises(InputError, match="leaves the manifest's folder"):
        read_document(folder)


def test_a_broken_member_file_is_named_in_the_error(tmp_path: Path) -> None:
    folder = _manifest(tmp_path / "agreement", "files:\n  - {path: main.pdf, role: main}\n"
                                               "  - {path: bad.pdf, role: annex}\n")
    (folder / "bad.pdf").write_bytes(b"%PDF-1.7\ngarbage")
    with pytest.raises(InputError) as caught:
        read_document(folder)
    assert str(caught.value).startswith(f"{folder / 'agreement.yaml'}: bad.pdf: corrupt PDF")
