"""EUR-Lex HTML and Formex XML: sniffed as such and read with their clause structure.

Fixtures are written here (tests/eurlex_maker.py) in the shape of the two formats from a
sample agreement and from the TPP's Electronic Commerce chapter (with its footnotes, as
Formex NOTEs and EUR-Lex `oj-note` paragraphs). Each must segment into the same clauses,
locations and notes as its source, and score the same through the CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, TOTA, load_reports, run_cli
from tests.eurlex_maker import structure, write_eurlex_html, write_formex
from tradelens.text import read_document
from tradelens.text.html_reader import read_html
from tradelens.text.segment import segment
from tradelens.text.sniff import sniff_format

SOURCE = ROOT / "corpora" / "sources" / "pacific_rim_digital_partnership.txt"


def _clauses(path: Path, chapter: str = "") -> list:
    return [c for c in segment(read_document(path))
            if c.article and (not chapter or (c.chapter and chapter in c.chapter))]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("eurlex")
    text = base / "pacific.txt"  # without its Id line, so each file is named by its stem
    text.write_text("".join(line for line in SOURCE.read_text().splitlines(keepends=True)
                            if not line.startswith("Id:")))
    files = {"text": text}
    for name, clauses in (("pacific", _clauses(text)),
                          ("tpp", _clauses(TOTA / "pta_449.xml", "Electronic Commerce"))):
        files[f"{name}_formex"] = base / f"{name}_formex.xml"
        files[f"{name}_eurlex"] = base / f"{name}_eurlex.html"
        write_formex(structure(clauses), files[f"{name}_formex"], f"{name} agreement")
        write_eurlex_html(structure(clauses), files[f"{name}_eurlex"], f"{name} agreement")
    return files


def _shape(clauses: list) -> list[tuple]:
    # Article and paragraph, not clause ids: ToTA's ids come from its own article keys.
    return [(c.article, c.paragraph, c.text, c.location,
             [n.split(" ", 1)[-1] for n in c.footnotes], [s.label for s in c.subparagraphs])
            for c in clauses]


def test_the_formats_are_sniffed(made: dict[str, Path]) -> None:
    assert sniff_format(made["pacific_formex"]) == "formex"
    assert sniff_format(made["pacific_eurlex"]) == "eurlex-html"
    assert sniff_format(TOTA / "pta_449.xml") == "xml"
    assert read_document(made["tpp_formex"]).format == "formex"
    assert read_document(made["tpp_eurlex"]).format == "eurlex-html"


@pytest.mark.parametrize("fmt", ["formex", "eurlex"])
@pytest.mark.parametrize("name,source,chapter", [
    ("pacific", None, ""), ("tpp", TOTA / "pta_449.xml", "Electronic Commerce")])
def test_articles_paragraphs_points_and_notes_survive(made, fmt: str, name: str,
                                                      source: Path | None, chapter: str) -> None:
    expected = _shape(_clauses(source or made["text"], chapter))
    got = _shape(_clauses(made[f"{name}_{fmt}"]))
    assert got == expected
    assert any(points for *_, points in got)
    if name == "tpp":
        assert sum(len(notes) for *_, notes, _ in got) >= 5


def test_the_generic_html_reader_would_lose_the_structure(made) -> None:
    """Guard: the dedicated reader is what passes, not the fixture's simplicity."""
    generic = _shape([c for c in segment(read_html(made["tpp_eurlex"])) if c.article])
    assert generic != _shape(_clauses(made["tpp_eurlex"]))


def test_the_eu_formats_score_like_the_source(made, tmp_path: Path) -> None:
    files = [made["text"], made["pacific_formex"], made["pacific_eurlex"]]
    result = run_cli("analyse", *map(str, files), "--out", str(tmp_path / "out"),
                     "--store", str(tmp_path / "store"), "--format", "json", "--workers", "1",
                     "--quiet")
    assert result.exit_code == 0, result.output
    reports = load_reports(tmp_path / "out")

    def provisions(report: dict) -> dict:
        return {name: (c["status"], sorted(f["clause_id"].split(":")[1] for f in c["findings"]))
                for name, c in report["categories"].items()}

    source = provisions(reports["pacific"])
    assert provisions(reports["pacific_formex"]) == source
    assert provisions(reports["pacific_eurlex"]) == source
    assert reports["pacific_formex"]["agreement"]["format"] == "formex"
    assert any(status == "hard" for status, _ in source.values())
