"""The classifier on wording it was not built from: modules, meaning without keywords, the
learned topic decision and `needs_review` (modality forms, prohibitions and freeing clauses:
`test_modality_forms.py`)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from tests.conftest import ROOT, SAMPLES, run_cli
from tradelens.analysis import Pipeline
from tradelens.classify.learned import load_topic_model
from tradelens.models import Clause
from tradelens.taxonomy import default_taxonomy_dir, load_taxonomy
from tradelens.text.segment import segment
from tradelens.text.text_reader import read_text

TAXONOMY = load_taxonomy()


#: Two modules; the second is outside the first one's exclusion from dispute settlement.
MODULES = ROOT / "tests" / "data" / "two_modules.txt"


def test_modules_are_divisions_and_an_exclusion_reaches_only_its_module(tmp_path):
    source = MODULES
    clauses = segment(read_text(source))
    chapters = {c.clause_id: (c.chapter, c.chapter_index) for c in clauses}
    assert chapters["two_modules:art3.1:p1"][0].startswith("Module 3")
    assert chapters["two_modules:art4.1:p1"][0].startswith("Module 4")
    assert chapters["two_modules:art3.1:p1"][1] != chapters["two_modules:art4.1:p1"][1]
    out = tmp_path / "out"
    result = run_cli("analyse", str(source), "--out", str(out), "--store",
                     str(tmp_path / "store"), "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "two_modules.json").read_text())
    flows = report["categories"]["data_free_flow"]["findings"]
    servers = report["categories"]["server_location"]["findings"]
    assert flows and servers
    assert {e["type"] for e in flows[0]["enforceability"]} == {"no_dispute_settlement"}
    assert servers[0]["enforceability"] == []


def test_the_first_pass_reaches_a_clause_by_meaning(tmp_path):
    pipeline = Pipeline()
    lang = "en"
    paraphrase = Clause(clause_id="t:a1:p1", agreement_id="t", chapter=None, article=None,
                        article_key="a1", paragraph="1", location="x",
                        text="Neither Party shall require a covered person to place its "
                             "record-keeping equipment inside its territory as a condition "
                             "for conducting business there.")
    unrelated = Clause(clause_id="t:a2:p1", agreement_id="t", chapter=None, article=None,
                       article_key="a2", paragraph="1", location="x",
                       text="Each Party shall apply its tariff schedule to originating "
                            "goods of the other Party from the date of entry into force.")
    by_words = pipeline.classifier.first_pass([paraphrase, unrelated], lang)
    assert not by_words.any()  # no first-pass word in either
    by_meaning = pipeline.semantic_candidates([paraphrase, unrelated], language=lang)
    assert list(by_meaning) == [True, False]


def _taxonomy_copy(tmp_path: Path, **classifier: object) -> Path:
    copy = tmp_path / "taxonomy"
    shutil.copytree(default_taxonomy_dir(), copy)
    path = copy / "taxonomy.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["classifier"].update(classifier)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return copy


def test_findings_under_the_threshold_are_marked_in_every_format(tmp_path):
    sample = SAMPLES / "eastern_regional_partnership.txt"
    runs = {}
    for name, review_below in (("all", 1.01), ("none", 0.0)):
        taxonomy = _taxonomy_copy(tmp_path / name, review_below=min(review_below, 1.0))
        out = tmp_path / name / "out"
        result = run_cli("analyse", str(sample), "--taxonomy", str(taxonomy), "--out",
                         str(out), "--store", str(tmp_path / name / "store"),
                         "--format", "json,md,csv,html", "-q")
        assert result.exit_code == 0, result.output
        runs[name] = out
    report = json.loads((runs["all"] / "eastern_regional_partnership.json").read_text())
    findings = [f for body in report["categories"].values() for f in body["findings"]]
    flagged = [f for f in findings if f["needs_review"]]
    # review_below 1.0 flags every finding less than fully confident
    assert flagged == [f for f in findings if f["confidence"] < 1.0] and flagged
    rows = list(csv.DictReader((runs["all"] / "findings.csv").open(encoding="utf-8")))
    assert sum(r["needs_review"] == "True" for r in rows) == len(flagged)
    markdown = (runs["all"] / "eastern_regional_partnership.md").read_text()
    assert markdown.count("needs review") == len(flagged)
    page = (runs["all"] / "eastern_regional_partnership.html").read_text()
    assert page.count('class="review"') == len(flagged)
    quiet = json.loads((runs["none"] / "eastern_regional_partnership.json").read_text())
    assert not any(f["needs_review"] for body in quiet["categories"].values()
                   for f in body["findings"])
    assert "needs review" not in (runs["none"] / "eastern_regional_partnership.md").read_text()


def test_the_shipped_topic_model_matches_the_bundled_encoder_and_is_in_provenance(
        sample_reports):
    model = load_topic_model()
    assert model is not None, "the package ships a trained topic model"
    pipeline = Pipeline()
    assert model.encoder_id == pipeline.encoder.model_id
    assert set(model.categories) == set(TAXONOMY.categories)
    assert model.head.weights.shape[0] == len(model.categories)
    assert np.isfinite(model.head.weights).all()
    for report in sample_reports.values():
        assert report["provenance"]["topic_model_sha256"] == model.sha256


def test_train_reads_only_development_files(tmp_path, tota_dir):
    """`tradelens train` writes a loadable model whose card names what it learnt from:
    exemplars and dev/corpus files, never held-out or test files. The background is six
    ToTA agreements in the three languages, and the commitment reader learns from two
    read blind sets (the whole corpus and every read set are the defaults, and what the
    shipped model was fitted on; here they would only take longer: every read set took
    eleven minutes of the suite, growing with each set)."""
    background = tmp_path / "background"
    background.mkdir()
    for name in ("pta_425", "pta_300", "pta_1", "pta_100", "pta_321", "pta_86"):
        (background / f"{name}.xml").symlink_to(tota_dir / f"{name}.xml")
    target = tmp_path / "topic_model.npz"
    readers = [ROOT / "tests" / "data" / name for name in ("eval_blind", "eval_blind2")]
    result = run_cli("train", "--to", str(target), "--store", str(tmp_path / "store"),
                     "--background", str(background),
                     *(arg for d in readers for arg in ("--reader-from", str(d))))
    assert result.exit_code == 0, result.output
    assert "first-pass centres from background: en 4 agreements" in result.output
    card = json.loads(target.with_name("topic_model.json").read_text())
    assert card["trained_on"] and all(
        source == "exemplar" or source.endswith(("/dev", "/corpus"))
        for source in card["trained_on"])
    assert not any("test" in s or "heldout" in s for s in card["trained_on"])
    model = load_topic_model(target)
    assert model is not None and model.sha256 == card["sha256"]
    for body in card["categories"].values():
        assert 0.0 <= body["cross_validated"]["all"]["f1"] <= 1.0
    second = card["multilingual"]
    assert second["languages"] == ["es", "fr"] and model.multilingual is not None
    assert str(int(second["scale"])) in second["scales_tried"]
    assert second["scales_tried"][str(int(second["scale"]))] == \
        max(second["scales_tried"].values())
    reader = card["commitment_reader"]  # fitted last, on the rules' decisions
    assert model.commitment is not None and reader["decisions_without_wording"] > 20
    assert set(reader["trained_on"]) == {"eval", "eval_ood", "eval_blind", "eval_blind2"}


def test_the_commitment_reader_learns_from_every_read_blind_set_and_never_the_reserve():
    """What `tradelens train` gives the reader unless --reader-from says otherwise: every
    blind set `tradelens eval` reads by default, none of the reserve."""
    from tests.test_blind_data import SETS
    from tradelens.cli import _reader_sets

    given = {Path(d).name for d in _reader_sets(())}
    assert given == {folder for folder, *_, by_default in SETS if by_default}
    reserve = {folder for folder, *_, by_default in SETS if not by_default}
    assert reserve and reserve.isdisjoint(given)


def test_train_refuses_a_reserve_set_for_the_reader(tmp_path):
    from tests.test_blind_data import SETS

    reserve = next(folder for folder, *_, by_default in SETS if not by_default)
    result = run_cli("train", "--commitment-only", "--reader-from",
                     str(ROOT / "tests" / "data" / reserve), "--store", str(tmp_path / "s"),
                     "--to", str(tmp_path / "m.npz"))
    assert result.exit_code == 2
    assert f"{reserve}: not a blind set already read" in result.output
    assert not (tmp_path / "m.npz").exists() and not (tmp_path / "s").exists()


def test_eval_reports_each_set_apart_and_reads_tota_articles_by_reference(tmp_path):
    """Two small labelled sets, one with a ToTA article named by reference (no text in the
    file): each set is reported on its own, and the article is read from the corpus."""
    written = tmp_path / "written"
    written.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "eval" / "corpus.en.yaml", written)
    referenced = tmp_path / "referenced"
    referenced.mkdir()
    (referenced / "dev.tota.yaml").write_text(yaml.safe_dump({"lang": "mixed", "items": [
        {"id": "t-tota-1", "lang": "en", "tota": {"file": "pta_425.xml",
                                                  "source_ref": "36839"},
         "expect": {"server_location": "hard"}, "modifiers": ["lppo_necessity"]}]}),
        encoding="utf-8")
    tota = ROOT.parent / "shared" / "corpora" / "tota" / "xml"
    result = run_cli("eval", str(written), str(referenced), "--tota", str(tota), "--store",
                     str(tmp_path / "store"))
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.index(f"== {written} ==") < text.index(f"== {referenced} ==")
    assert "ToTA-referenced items" not in text  # measured, not skipped
    assert re.search(r"^split dev \(1\):", text, re.M)
    # each file has its own row, so a set mixed into a language row reads apart
    assert re.search(r"^file dev\.tota \(1\):", text, re.M)
    assert re.search(r"^file corpus\.en \(\d+\):", text, re.M)
    # Japan-Mongolia's localisation ban, found in its article
    section = text[text.index(f"== {referenced} =="):]
    assert re.search(r"^server_location\s+1\.000\s+1\.000\s+1\.000\s+1\s+0\s+0", section, re.M)
    # The article's own necessity test counts; the general exceptions (Chapter 1) and the
    # chapter's procurement exclusion reach the finding in the report, but the label names
    # what the article carries, so they are not counted against it.
    assert re.search(r"^lppo_necessity\s+1\.000\s+1\.000\s+1\s+0\s+0$", section, re.M)
    for elsewhere in ("general_exceptions", "government_procurement_excluded"):
        assert re.search(rf"^{elsewhere}\s+\S+\s+\S+\s+0\s+0\s+0$", section, re.M), section


RULE = ("Each Party shall allow the cross-border transfer of information by electronic means "
        "when this activity is for the conduct of the business of a covered person.")
EXCLUSION = ("Neither Party shall have recourse to dispute settlement under this Agreement for "
             "any matter arising under this Chapter.")
FILLER = "Each Party shall designate a contact point for the purposes of this Chapter."


@pytest.mark.parametrize("position", ["before", "after", "far after"])
def test_a_chapter_exclusion_reaches_the_rule_wherever_it_sits(tmp_path, position):
    articles = [("Cross-Border Transfer of Information", RULE)]
    fillers = [(f"Contact Point {n}", FILLER) for n in range(1, 13)]
    exclusion = [("Dispute Settlement", EXCLUSION)]
    order = {"before": exclusion + articles,
             "after": articles + exclusion,
             "far after": articles + fillers + exclusion}[position]
    lines = ["Id: placement", "Title: Placement Test", "", "CHAPTER 7", "DIGITAL TRADE", ""]
    for n, (title, text) in enumerate(order, 1):
        lines += [f"Article 7.{n}: {title}", text, ""]
    lines += ["CHAPTER 8", "TRADE IN GOODS", "", "Article 8.1: Tariffs",
              "Each Party shall apply its schedule to originating goods.", ""]
    finding = _report(tmp_path, "placement", lines)["categories"]["data_free_flow"]["findings"][0]
    assert [e["type"] for e in finding["enforceability"]] == ["no_dispute_settlement"]


def _report(tmp_path: Path, name: str, lines: list[str]) -> dict:
    """The JSON report of an agreement made of these lines, analysed by the CLI."""
    source = tmp_path / f"{name}.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("analyse", str(source), "--out", str(out), "--store",
                     str(tmp_path / "store"), "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    return json.loads((out / f"{name}.json").read_text())


SERVER_RULE = ("No Party shall require a covered person to use or locate computing facilities "
               "in that Party's territory as a condition for conducting business there.")
#: One agreement in two languages: the words each heading, rule and exclusion is made of.
PART_WORDS = {
    "en": {"part": "PART", "chapter": "CHAPTER", "article": "Article", "rule": RULE,
           "server": SERVER_RULE, "filler": FILLER, "objective":
           "The Parties establish a free trade area.", "exclusion":
           "Neither Party shall have recourse to dispute settlement under this Agreement for "
           "any matter arising under this Part."},
    "es": {"part": "PARTE", "chapter": "CAPÍTULO", "article": "Artículo", "rule":
           "Cada Parte permitirá la transferencia transfronteriza de información por medios "
           "electrónicos, cuando esta actividad sea para la realización de la actividad "
           "comercial de una persona cubierta.", "server":
           "Ninguna Parte exigirá a una persona cubierta usar o ubicar instalaciones "
           "informáticas en el territorio de esa Parte como condición para la realización de "
           "negocios en ese territorio.", "filler":
           "Cada Parte designará un punto de contacto para los fines del presente Capítulo.",
           "objective": "Las Partes establecen una zona de libre comercio.", "exclusion":
           "Ninguna Parte podrá recurrir a la solución de controversias del presente Tratado "
           "respecto de asuntos derivados de la presente Parte."},
}


def _part_agreement(position: str, lang: str) -> list[str]:
    """Part II holds the data-flow rule (chapter 7) and, before, after or far after it, a
    chapter whose only article takes the whole Part out of dispute settlement; Part III's
    localisation rule is outside it."""
    w = PART_WORDS[lang]
    rule = [f"{w['chapter']} 7", "DATA", "", f"{w['article']} 7.1: Data", w["rule"], ""]
    exclusion = [f"{w['chapter']} 8", "INSTITUTIONS", "", f"{w['article']} 8.1: Disputes",
                 w["exclusion"], ""]
    fillers = [line for n in range(1, 9) for line in (
        f"{w['chapter']} {20 + n}", f"COOPERATION {n}", "", f"{w['article']} {20 + n}.1: Contact",
        w["filler"], "")]
    body = {"before": exclusion + rule, "after": rule + exclusion,
            "far after": rule + fillers + exclusion}[position]
    return ["Id: parts", "Title: Part Scope Test", "", f"{w['part']} I", "GENERAL", "",
            f"{w['article']} 1: Objectives", w["objective"], "",
            f"{w['part']} II", "DIGITAL TRADE", "", *body,
            f"{w['part']} III", "SERVICES", "", f"{w['chapter']} 9", "COMPUTING", "",
            f"{w['article']} 9.1: Computing", w["server"], ""]


@pytest.mark.parametrize("position", ["before", "after", "far after"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_part_exclusion_reaches_every_chapter_of_its_part_and_no_other(
        tmp_path, position, lang):
    lines = _part_agreement(position, lang)
    report = _report(tmp_path, "parts", lines)
    clauses = {c.clause_id: c for c in segment(read_text(tmp_path / "parts.txt"))}
    assert [d.kind for d in clauses["parts:art7.1:p0"].divisions] == ["part", "chapter"]
    assert clauses["parts:art9.1:p0"].chapter == "Chapter 9 (COMPUTING)"
    assert clauses["parts:art9.1:p0"].headings[0] == "Part III (SERVICES)"
    assert report["agreement"]["language"] == lang
    categories = report["categories"]
    flows, servers = (categories[c]["findings"] for c in ("data_free_flow", "server_location"))
    assert [e["type"] for e in flows[0]["enforceability"]] == ["no_dispute_settlement"]
    assert servers and servers[0]["enforceability"] == []


def test_a_chapter_exclusion_in_one_section_reaches_the_rule_in_another(tmp_path):
    lines = ["Id: sections", "Title: Section Scope Test", "", "CHAPTER 7", "DIGITAL TRADE", "",
             "SECTION A", "RULES", "", "Article 7.1: Cross-Border Transfer of Information",
             RULE, "", "SECTION B", "INSTITUTIONS", "", "Article 7.2: Disputes", EXCLUSION, "",
             "CHAPTER 8", "COMPUTING", "", "Article 8.1: Location of Computing Facilities",
             SERVER_RULE, ""]
    categories = _report(tmp_path, "sections", lines)["categories"]
    flows, servers = (categories[c]["findings"] for c in ("data_free_flow", "server_location"))
    assert [e["type"] for e in flows[0]["enforceability"]] == ["no_dispute_settlement"]
    assert servers[0]["enforceability"] == []
