"""OCR of image-only pages: a scanned agreement reads like the typeset one.

Each fixture is made here: agreements rendered to PDF by reportlab (one column like the
sample corpus, two columns with footnotes like treaty PDFs), rasterised page by page into
image-only PDFs, and a mixed PDF whose second page is a scan among typeset pages. The real
CLI analyses them all in one batch; the scans must give the same statuses and the same
provisions (the articles of the findings) as their typeset originals.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES, load_reports, run_cli
from tests.pdf_maker import articles_from_clauses, render_pdf
from tests.scan_maker import rasterise, splice
from tradelens.errors import InputError
from tradelens.text import read_document
from tradelens.text.ocr import ENGINE_MISSING, installed_languages
from tradelens.text.options import ReaderOptions
from tradelens.text.segment import segment

SOURCE = ROOT / "corpora" / "sources" / "pacific_rim_digital_partnership.txt"


def _sample_renderer():  # noqa: ANN202 - the sample corpus's own reportlab renderer
    spec = importlib.util.spec_from_file_location("build_samples",
                                                  ROOT / "corpora" / "build_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.render


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("ocr")
    made = {"pacific": base / "pacific.pdf", "eastern": base / "eastern.pdf"}
    # Without its 'Id:' line, each PDF is named by its file (they would share one id).
    source = base / "pacific.txt"
    source.write_text("".join(line for line in SOURCE.read_text().splitlines(keepends=True)
                              if not line.startswith("Id:")))
    _sample_renderer()(source, made["pacific"], "Pacific Rim Digital Partnership - text")
    clauses = [c for c in segment(read_document(SAMPLES / "eastern_regional_partnership.txt"))
               if c.article]
    render_pdf(articles_from_clauses(clauses), made["eastern"], "Eastern Regional Partnership")
    for name in ("pacific", "eastern"):
        made[f"{name}_scan"] = base / f"{name}_scan.pdf"
        rasterise(made[name], made[f"{name}_scan"])
    made["pacific_mixed"] = base / "pacific_mixed.pdf"
    splice(made["pacific"], made["pacific_scan"], made["pacific_mixed"], {2})
    return made


@pytest.fixture(scope="module")
def out_dir(pdfs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture through `tradelens analyse` in one batch."""
    base = tmp_path_factory.mktemp("ocr-run")
    result = run_cli("analyse", *map(str, pdfs.values()), "--out", str(base / "out"),
                     "--store", str(base / "store"), "--format", "json,html",
                     "--workers", "1", "--quiet")
    assert result.exit_code == 0, result.output
    return base / "out"


@pytest.fixture(scope="module")
def reports(out_dir: Path) -> dict[str, dict]:
    return load_reports(out_dir)


def _provisions(report: dict) -> dict[str, tuple[str, set[str]]]:
    """category -> (status, the articles its findings come from)."""
    return {name: (category["status"],
                   {f["clause_id"].split(":")[1] for f in category["findings"]})
            for name, category in report["categories"].items()}


@pytest.mark.parametrize("original,copy", [("pacific", "pacific_scan"),
                                           ("eastern", "eastern_scan"),
                                           ("pacific", "pacific_mixed")])
def test_scan_gives_the_same_statuses_and_provisions(reports, original: str, copy: str) -> None:
    typeset, scanned = _provisions(reports[original]), _provisions(reports[copy])
    assert scanned == typeset
    # The comparison means something: the originals bind on something.
    assert any(status == "hard" for status, _ in typeset.values())


def test_scans_have_their_pages_and_clauses(reports) -> None:
    for name in ("pacific", "eastern"):
        assert reports[f"{name}_scan"]["stats"]["pages"] == reports[name]["stats"]["pages"]
        assert reports[f"{name}_scan"]["stats"]["clauses"] == reports[name]["stats"]["clauses"]


def test_only_findings_read_by_ocr_carry_a_confidence(reports) -> None:
    def findings(name: str) -> list[dict]:
        return [f for c in reports[name]["categories"].values() for f in c["findings"]]

    assert all("ocr_confidence" not in f for f in findings("pacific") + findings("eastern"))
    scanned = findings("pacific_scan") + findings("eastern_scan")
    assert scanned and all(0.5 < f["ocr_confidence"] <= 1 for f in scanned)
    mixed = findings("pacific_mixed")
    assert {f["page"] for f in mixed if "ocr_confidence" in f} == {2}
    assert any(f["page"] != 2 for f in mixed)


def test_scorecard_page_says_a_finding_was_read_by_ocr(out_dir: Path) -> None:
    assert re.search(r"read by OCR \(confidence 0\.\d\d\)",
                     (out_dir / "pacific_scan.html").read_text())
    assert "read by OCR" not in (out_dir / "pacific.html").read_text()


def test_ocr_never_refuses_a_scan(pdfs: dict[str, Path], tmp_path: Path) -> None:
    result = run_cli("analyse", str(pdfs["eastern_scan"]),
                     str(SAMPLES / "cooperation_framework.txt"),
                     "--out", str(tmp_path / "out"), "--store", str(tmp_path / "store"),
                     "--format", "json", "--ocr", "never", "--quiet")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "no text layer" in errors[0]
    assert str(pdfs["eastern_scan"]) in errors[0]
    assert (tmp_path / "out" / "cooperation_framework.json").is_file()


def test_ocr_always_reads_typeset_pages_through_the_engine(pdfs: dict[str, Path]) -> None:
    document = read_document(pdfs["eastern"], ReaderOptions(ocr="always"))
    typeset = segment(read_document(pdfs["eastern"]))
    ocred = segment(document)
    assert all(c.ocr_confidence is not None for c in ocred)
    assert {c.article for c in ocred} == {c.article for c in typeset}


def test_missing_engine_is_one_clear_line(pdfs: dict[str, Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither ocrmypdf nor tesseract on it
    installed_languages.cache_clear()
    try:
        result = run_cli("analyse", str(pdfs["pacific_scan"]), str(pdfs["pacific"]),
                         "--out", str(tmp_path / "out"), "--store", str(tmp_path / "store"),
                         "--format", "json", "--workers", "1", "--quiet")
    finally:
        installed_languages.cache_clear()
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {pdfs['pacific_scan']}: {ENGINE_MISSING}"]
    assert (tmp_path / "out" / "pacific.json").is_file()  # the typeset file needs no OCR


@pytest.mark.parametrize("options,words", [
    (ReaderOptions(ocr_page_seconds=0.01), r"OCR gave up on page 1 after 0.01 s"),
    (ReaderOptions(ocr_total_seconds=0.5), r"OCR took longer than 0.5 s for the whole file"),
    (ReaderOptions(ocr_max_pages=1), r"\d+ pages need OCR, more than the limit of 1"),
    (ReaderOptions(ocr_max_image_mpixels=0.5),
     r"OCR refused on page 1: an image of \d+x\d+ pixels is over the limit of 0.5 "
     r"megapixels"),
])
def test_ocr_limits_give_one_line_naming_file_and_page(pdfs: dict[str, Path], options,
                                                       words: str) -> None:
    with pytest.raises(InputError) as caught:
        read_document(pdfs["pacific_scan"], options)
    message = str(caught.value)
    assert message.startswith(f"{pdfs['pacific_scan']}: ")
    assert re.search(words, message), message
    assert "\n" not in message and len(message) < 300


def test_ocr_language_data_is_installed() -> None:
    """The Makefile's `ocr` step installs English, Spanish and French data."""
    assert {"eng", "spa", "fra"} <= installed_languages()
