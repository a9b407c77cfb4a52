"""Parallel bilingual prints: English and French side by side (Canada's layout) or on
facing pages, and tables with one language per cell (HTML, Word), split by language, each
language analysed as its own text version of the agreement and reported together, checked
through the real CLI against a clean original of each language alone
(tests/bilingual_maker.py, PDFs printed by headless Chromium).

Also: per-block language detection on real ToTA paragraphs, a two-column print in ONE
language that must not be split, and a bad input in the same batch.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import Result

from tests.bilingual_maker import (
    CHAPTERS,
    TITLE,
    agreement_page,
    alternating_page,
    write_bilingual,
    write_word,
)
from tests.conftest import load_reports, run_cli
from tests.print_maker import agreement_html, make_division, print_pdf
from tradelens.models import Block, Document
from tradelens.text import read_document
from tradelens.text.language import block_language
from tradelens.text.parallel import language_versions
from tradelens.text.segment import segment
from tradelens.workspace.store import Store

LAYOUTS = {"ruritania_freedonia": "columns", "facing_pages": "pages",
           "table_parallel": "columns", "word_parallel": "columns",
           "alternating": "blocks", "alternating_web": "blocks"}
#: The clean original each parallel source is compared with: the PDF of each language
#: alone, or the same HTML page or Word file in one language.
CLEAN = {"ruritania_freedonia": "clean", "facing_pages": "clean",
         "table_parallel": "clean_html", "word_parallel": "clean_word",
         "alternating": "clean", "alternating_web": "clean_html"}
#: Each parallel source's key in the batch's files.
FILE_KEY = {"ruritania_freedonia": "parallel", "facing_pages": "facing",
            "table_parallel": "table", "word_parallel": "word",
            "alternating": "alternating", "alternating_web": "alternating_web"}
_WORD = re.compile(r"[^\W\d_]{3,}")


def _errors(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One CLI batch: both parallel prints, the clean original of each language, a
    two-column print in English only, and a broken PDF."""
    base = tmp_path_factory.mktemp("bilingual")
    files = write_bilingual(base / "in")
    divisions = [make_division(f"Chapter {c} - Subject Matter {c}",
                               [f"{c}.{a}" for a in range(1, 5)], seed=40 + c)
                 for c in range(1, 5)]
    files["two_columns"] = print_pdf(agreement_html(
        "Agreement between Ruritania and Freedonia", divisions,
        running_head="Ruritania - Freedonia Agreement"), base / "in" / "two_columns.pdf")
    # The web's form of the same layout: a table with one language per cell.
    files["table"] = base / "in" / "table_parallel.html"
    files["table"].write_text(agreement_page(), encoding="utf-8")
    for language in ("en", "fr"):
        files[f"html_{language}"] = base / "in" / f"clean_html_{language}.html"
        files[f"html_{language}"].write_text(agreement_page(language), encoding="utf-8")
    # Chapters taking turns in one column (a web page), and headings and paragraphs
    # taking turns, which cannot be told apart (below).
    files["alternating_web"] = base / "in" / "alternating_web.html"
    files["alternating_web"].write_text(alternating_page(), encoding="utf-8")
    files["by_row"] = base / "in" / "turns_by_row.html"
    files["by_row"].write_text(alternating_page(by_row=True), encoding="utf-8")
    word = write_word(base / "in")  # a Word table, one language per cell
    files.update({"word": word["parallel"], "word_en": word["en"], "word_fr": word["fr"]})
    files["broken"] = base / "in" / "broken.pdf"
    files["broken"].write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF garbage")
    out, store = base / "out", base / "store"
    result = run_cli("analyse", *map(str, files.values()), "--out", str(out), "--store",
                     str(store), "--format", "json,md,html", "--workers", "1", "--quiet")
    return {"result": result, "reports": load_reports(out), "out": out, "store": store,
            "files": files, "base": base}


def _statuses(report: dict) -> dict[str, str]:
    return {category: body["status"] for category, body in report["categories"].items()}


def _provisions(report: dict) -> set[tuple]:
    """Each finding as (category, strength, clause key without the agreement id, the
    exceptions linked to it)."""
    return {(category, f["strength"], f["clause_id"].split(":", 1)[1],
             tuple(sorted(e["type"] for e in f["exceptions"])))
            for category, body in report["categories"].items() for f in body["findings"]}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("source", sorted(LAYOUTS))
def test_each_language_version_gives_what_its_clean_original_gives(batch, source: str,
                                                                   language: str) -> None:
    version = batch["reports"][f"{source}_{language}"]
    clean = batch["reports"][f"{CLEAN[source]}_{language}"]
    assert version["agreement"]["language"] == language
    assert version["agreement"]["title"] == TITLE[language]
    assert _statuses(version) == _statuses(clean)
    assert _provisions(version) == _provisions(clean)
    assert version["policy_space"]["score"] == clean["policy_space"]["score"]
    assert version["stats"]["clauses"] == clean["stats"]["clauses"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_clean_originals_are_read_as_they_were_drafted(batch, language: str) -> None:
    """Today's classifier reads the drafted rules in both languages: binding transfer,
    localisation and source-code rules with their exceptions, a soft cooperation rule."""
    provisions = _provisions(batch["reports"][f"clean_{language}"])
    assert _statuses(batch["reports"][f"clean_{language}"]) == {
        "data_free_flow": "hard", "server_location": "hard", "source_code_secrecy": "hard"}
    assert ("data_free_flow", "hard", "art2.3:p1", ("lppo_necessity",)) in provisions
    assert ("server_location", "hard", "art2.4:p1", ("lppo_self_judging",)) in provisions
    assert ("source_code_secrecy", "hard", "art2.5:p1", ()) in provisions
    assert ("data_free_flow", "soft", "art2.2:p1", ()) in provisions


@pytest.mark.parametrize("source", sorted(LAYOUTS))
def test_the_versions_are_reported_together_and_name_each_other(batch, source: str) -> None:
    reports, out = batch["reports"], batch["out"]
    assert source not in reports  # never the mixed text as one agreement
    expected = {"source_id": source, "layout": LAYOUTS[source],
                "versions": [{"id": f"{source}_en", "language": "en"},
                             {"id": f"{source}_fr", "language": "fr"}]}
    for language in ("en", "fr"):
        agreement = reports[f"{source}_{language}"]["agreement"]
        assert agreement["parallel"] == expected
        # the file name, no folders
        assert agreement["source"] == batch["files"][FILE_KEY[source]].name
    rows = [line for line in (out / "index.md").read_text().splitlines()
            if line.startswith("| [") and re.search(rf"\]\({source}_(en|fr)\.md\)", line)]
    assert len(rows) == 2
    index = (out / "index.md").read_text().splitlines()
    assert abs(index.index(rows[0]) - index.index(rows[1])) == 1  # next to each other
    assert f"[fr]({source}_fr.md)" in rows[0] and f"[en]({source}_en.md)" in rows[1]
    assert f"[fr]({source}_fr.md)" in (out / f"{source}_en.md").read_text()
    assert f'href="{source}_en.html"' in (out / f"{source}_fr.html").read_text()


def _vocabulary(language: str) -> set[str]:
    texts = [TITLE[language]]
    for headings, articles in CHAPTERS:
        texts.append(headings[language])
        for _, titles, paragraphs in articles:
            texts += [titles[language], *paragraphs[language]]
    return {w.lower() for text in texts for w in _WORD.findall(text)}


@pytest.mark.parametrize("source", sorted(LAYOUTS))
def test_no_word_of_one_language_reaches_the_other_version(batch, source: str) -> None:
    english, french = _vocabulary("en"), _vocabulary("fr")
    only = {"en": english - french, "fr": french - english}
    store = Store(batch["store"], read_only=True)
    try:
        stored = store.clause_texts()
    finally:
        store.close()
    for language, other in (("en", "fr"), ("fr", "en")):
        mine = {cid.split(":", 1)[1]: text for cid, text in stored
                if cid.startswith(f"{source}_{language}:")}
        clean = {cid.split(":", 1)[1]: text for cid, text in stored
                 if cid.startswith(f"{CLEAN[source]}_{language}:")}
        assert mine == clean  # every clause, word for word
        leaked = {w for text in mine.values() for w in _WORD.findall(text.lower())} \
            & only[other]
        assert leaked == set()
        assert all(block_language(text, ("en", "fr")) in (language, None)
                   for text in mine.values())


def test_a_two_column_print_in_one_language_is_not_split(batch) -> None:
    reports = batch["reports"]
    assert "parallel" not in reports["two_columns"]["agreement"]
    assert not any(name.startswith("two_columns_") for name in reports)
    document = read_document(batch["files"]["two_columns"])
    assert {b.column for b in document.blocks} >= {1, 2}  # read as two columns
    assert language_versions(document) == [document]
    assert "parallel" not in reports["clean_en"]["agreement"]


def test_headings_and_paragraphs_taking_turns_are_left_whole_not_split_wrongly(
        batch) -> None:
    """Each heading printed right before its translation ("Article 2.3" / "Article 2.3"):
    nothing tells which heading is which, and a split that gave one version every
    heading would be worse than none, so the page stays one (mixed) agreement."""
    report = batch["reports"]["turns_by_row"]
    assert "parallel" not in report["agreement"]
    assert not any(name.startswith("turns_by_row_") for name in batch["reports"])


def test_a_country_ledger_counts_the_two_versions_as_one_agreement(batch) -> None:
    """Both versions carry the same parties: the ledger lists the treaty once, naming
    the other version, as it does for ToTA's English and Spanish TPP."""
    from tradelens.ledger import ledger, records

    reports = []
    for language in ("en", "fr"):
        report = batch["reports"][f"ruritania_freedonia_{language}"]
        agreement = {**report["agreement"], "party_codes": ["CAN", "FRA"],
                     "date_signed": "2020-05-04"}
        reports.append({**report, "agreement": agreement})
    found = ledger("CAN", records(reports))
    assert found["agreements"] == 1
    commitment = found["categories"]["data_free_flow"]["commitments"]
    assert [(c["agreement_id"], c["other_versions"]) for c in commitment] == [
        ("ruritania_freedonia_en", ["ruritania_freedonia_fr"])]


def test_a_bad_input_stays_one_line_and_the_batch_goes_on(batch) -> None:
    result = batch["result"]
    assert result.exit_code == 1
    errors = _errors(result)
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {batch['files']['broken']}: ")
    # 6 x 2 versions, 3 x 2 clean originals, a two-column print, a mixed page
    assert len(batch["reports"]) == 20


def test_a_second_run_answers_from_the_store_and_a_lost_version_is_redone(
        batch, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(batch["store"], store)
    parallel = str(batch["files"]["parallel"])
    args = ("analyse", parallel, "--out", str(tmp_path / "out"), "--store", str(store),
            "--format", "json", "--workers", "1")
    again = run_cli(*args)
    assert again.exit_code == 0, again.output
    assert "2 agreements (2 unchanged, from the store)" in again.stdout
    # A run stopped between the two versions leaves one: the file is analysed again.
    kept = Store(store)
    before = set(kept.agreement_ids())
    assert kept.delete_agreement("ruritania_freedonia_fr")
    kept.close()
    redone = run_cli(*args)
    assert redone.exit_code == 0, redone.output
    assert "2 agreements (0 unchanged, from the store)" in redone.stdout
    reopened = Store(store, read_only=True)
    try:
        assert set(reopened.agreement_ids()) == before  # nothing else lost
        assert reopened.report("ruritania_freedonia_fr")["categories"] == \
            batch["reports"]["ruritania_freedonia_fr"]["categories"]
    finally:
        reopened.close()


# -- the split on its own --------------------------------------------------------------

def _page(language: str, page: int, column: int | None, n: int) -> list[Block]:
    text = {"en": "Each Party shall maintain measures on the protection of consumers who "
                  "trade online and shall publish the texts of its laws and regulations "
                  "within a reasonable period of time",
            "fr": "Chaque Partie maintient des mesures sur la protection des consommateurs "
                  "qui font du commerce en ligne et publie les textes de ses lois et "
                  "règlements dans un délai raisonnable"}[language]
    return [Block(kind="line", text=f"{text} ({page}.{k})", page=page, column=column)
            for k in range(n)]


def _document(blocks: list[Block]) -> Document:
    return Document(agreement_id="x", source="x.pdf", format="pdf", blocks=blocks,
                    title="x")


def test_columns_in_one_language_or_inconsistent_columns_are_not_split() -> None:
    same = [b for p in range(1, 4) for b in _page("en", p, 1, 3) + _page("en", p, 2, 3)]
    assert len(language_versions(_document(same))) == 1
    # French on the left of one page, on the right of the next two: not a layout by
    # columns; each block then goes by its own language.
    mixed = (_page("fr", 1, 1, 3) + _page("en", 1, 2, 3)
             + [b for p in (2, 3) for b in _page("en", p, 1, 3) + _page("fr", p, 2, 3)])
    versions = language_versions(_document(mixed))
    assert [v.parallel.layout for v in versions] == ["blocks", "blocks"]
    assert all(block_language(b.text) == v.language for v in versions for b in v.blocks)
    parallel = [b for p in range(1, 4) for b in _page("en", p, 1, 3) + _page("fr", p, 2, 3)]
    assert [v.agreement_id for v in language_versions(_document(parallel))] == ["x_en", "x_fr"]


def test_a_two_language_table_inside_a_text_in_one_language_is_not_split() -> None:
    """A glossary table (English | French) in an English agreement: most of the words are
    outside the columns, so the file is not a parallel text."""
    body = _page("en", None, None, 12)  # type: ignore[arg-type]
    table = _page("en", None, 1, 2) + _page("fr", None, 2, 2)  # type: ignore[arg-type]
    assert len(language_versions(_document(body + table))) == 1
    assert len(language_versions(_document(body[:2] + table))) == 2


def test_an_english_agreement_with_a_french_page_is_not_split_by_pages() -> None:
    """Facing pages need both languages at about the same length: one French page in an
    English text (a quoted annex, a signature page) is not a second version."""
    blocks = [b for p in range(1, 6) for b in _page("en", p, None, 4)] + _page("fr", 6, None, 4)
    assert len(language_versions(_document(blocks))) == 1
    facing = [b for p in range(1, 7) for b in _page("en" if p % 2 else "fr", p, None, 4)]
    versions = language_versions(_document(facing))
    assert [v.language for v in versions] == ["en", "fr"]
    assert all(b.page % 2 == 1 for b in versions[0].blocks)


def test_structured_sources_are_never_split(tota_dir: Path) -> None:
    document = read_document(tota_dir / "pta_449.xml")
    assert language_versions(document) == [document]


# -- language detection per block, on real paragraphs ------------------------------------

#: Agreements whose ToTA metadata names their language: both French ones, two Spanish,
#: two English.
_TOTA_BY_LANGUAGE = {"fr": ("pta_86", "pta_88"), "es": ("pta_450", "pta_123"),
                     "en": ("pta_449", "pta_1")}


@pytest.mark.parametrize("language", sorted(_TOTA_BY_LANGUAGE))
def test_block_language_tells_tota_paragraphs_apart(tota_dir: Path, language: str) -> None:
    right = wrong = total = 0
    for name in _TOTA_BY_LANGUAGE[language]:
        document = read_document(tota_dir / f"{name}.xml")
        assert document.language == language
        for clause in segment(document):
            if len(clause.text.split()) < 8:
                continue
            found = block_language(clause.text)
            total += 1
            right += found == language
            wrong += found not in (language, None)
    assert total >= 50
    assert right / total >= 0.97
    assert wrong / total <= 0.02


def test_block_language_says_nothing_about_too_little_text() -> None:
    assert block_language("Article 3") is None
    assert block_language("12.4 (b) 2019") is None
    assert block_language("Accord entre la Ruritanie et la Freedonie", ("en", "fr")) == "fr"
    assert block_language("Agreement between Ruritania and Freedonia", ("en", "fr")) == "en"
    with pytest.raises(ValueError):
        block_language("Each Party shall allow the transfer", ("en",))
