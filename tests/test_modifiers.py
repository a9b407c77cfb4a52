"""Every exception, scope and enforceability type: found where it is, not where it is not,
and linked only to the findings it governs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import run_cli
from tradelens.classify import Classifier
from tradelens.classify.modifiers import modifier_evidence, reaches
from tradelens.models import Clause, ModifierHit
from tradelens.taxonomy import load_taxonomy
from tradelens.text.divisions import Division, governed_division, named_division
from tradelens.text.references import chapter_references

TAXONOMY = load_taxonomy()
EXEMPLARS = [(m.id, e) for m in TAXONOMY.modifiers.values() for e in m.exemplars]


def test_every_modifier_type_has_positive_and_negative_exemplars_in_three_languages():
    required = {"lppo_necessity", "lppo_self_judging", "security_self_judging",
                "general_exceptions", "financial_services_only", "telecommunications_only",
                "mass_market_only", "critical_infrastructure_excluded",
                "government_procurement_excluded", "government_information_excluded",
                "commercially_negotiated_contracts", "no_dispute_settlement",
                "temporary_exemption"}
    assert required <= set(TAXONOMY.modifiers)
    for modifier in TAXONOMY.modifiers.values():
        positives = {e.lang for e in modifier.exemplars if e.match}
        assert {"en", "es", "fr"} <= positives, modifier.id
        assert any(not e.match for e in modifier.exemplars), modifier.id


@pytest.mark.parametrize(("modifier_id", "exemplar"), EXEMPLARS,
                         ids=[f"{m}-{e.lang}-{'pos' if e.match else 'neg'}-{i}"
                              for i, (m, e) in enumerate(EXEMPLARS)])
def test_cues_agree_with_the_modifier_exemplars(modifier_id, exemplar):
    modifier = TAXONOMY.modifiers[modifier_id]
    chapter = exemplar.chapter
    if modifier.sectoral and not exemplar.match:
        chapter = "Electronic Commerce"
    evidence = modifier_evidence(modifier, chapter, exemplar.text, exemplar.lang)
    assert bool(evidence) == exemplar.match, (exemplar.text, evidence)


CURLY = [(m, e) for m, e in EXEMPLARS if "'" in e.text]


@pytest.mark.parametrize(("modifier_id", "exemplar"), CURLY,
                         ids=[f"{m}-{e.lang}-{i}" for i, (m, e) in enumerate(CURLY)])
def test_cues_read_typographic_apostrophes_as_straight_ones(modifier_id, exemplar):
    """Word and PDF drafts write "s’applique"; the cues are written "s'applique"."""
    modifier = TAXONOMY.modifiers[modifier_id]
    chapter = "Electronic Commerce" if modifier.sectoral and not exemplar.match \
        else exemplar.chapter
    typographic = exemplar.text.replace("'", "\u2019")
    assert bool(modifier_evidence(modifier, chapter, typographic, exemplar.lang)) == \
        exemplar.match, typographic


# One agreement in the sample text format, with each linking rule exercised by a clause
# that should be reached and one that should not.
AGREEMENT = Path(__file__).parent / "data" / "linking_test.txt"


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("linking")
    result = run_cli("analyse", str(AGREEMENT), "--out", str(root / "out"),
                     "--store", str(root / "store"), "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    return json.loads((root / "out" / "linking_test.json").read_text())


def _finding(report: dict, category: str, article: str) -> dict:
    return next(f for f in report["categories"][category]["findings"]
                if f"Article {article}" in f["location"])


def _types(finding: dict) -> set[str]:
    return ({e["type"] for e in finding["exceptions"]} | set(finding["scope"])
            | {e["type"] for e in finding["enforceability"]})


def test_exception_in_the_same_article_is_linked_and_not_beyond_it(linked):
    assert "lppo_necessity" in _types(_finding(linked, "data_free_flow", "9.2"))
    assert "lppo_necessity" not in _types(_finding(linked, "server_location", "9.3"))


def test_exception_clause_is_not_a_finding_of_its_own(linked):
    ids = {f["clause_id"] for c in linked["categories"].values() for f in c["findings"]}
    exception = next(m["clause_id"] for m in linked["modifiers"] if m["type"] == "lppo_necessity")
    assert exception not in ids


def test_chapter_scope_and_dispute_settlement_reach_their_chapter_only(linked):
    for category, article in (("data_free_flow", "9.2"), ("server_location", "9.3")):
        types = _types(_finding(linked, category, article))
        assert {"government_procurement_excluded", "no_dispute_settlement"} <= types
    financial = _finding(linked, "data_free_flow", "8.1")
    assert "no_dispute_settlement" not in _types(financial)
    assert "government_procurement_excluded" not in _types(financial)


def test_sector_scope_is_read_from_the_chapter_heading(linked):
    assert "financial_services_only" in _types(_finding(linked, "data_free_flow", "8.1"))
    assert "financial_services_only" not in _types(_finding(linked, "data_free_flow", "9.2"))


def test_general_exception_reaches_the_chapters_it_names(linked):
    ecommerce = _finding(linked, "data_free_flow", "9.2")
    sources = {e["clause_id"] for e in ecommerce["exceptions"] if e["type"] == "general_exceptions"}
    assert sources == {"linking_test:art12.1:p2"}  # the GATS paragraph, not the GATT one
    assert "general_exceptions" not in _types(_finding(linked, "data_free_flow", "8.1"))


def _hit(text: str, chapter: str, chapter_index: int) -> ModifierHit:
    return ModifierHit("general_exceptions", "exception", "x:c1", "agreement", "x:a1",
                       chapter_index, refers_to=chapter_references(text), chapter=chapter)


def _clause(chapter: str, chapter_index: int) -> Clause:
    return Clause("x:c2", "x", "text", chapter, "1", "x:a2", "1", "loc",
                  chapter_index=chapter_index)


@pytest.mark.parametrize(("text", "expected"), [
    ("Article 17.1 (General Exceptions) shall apply to this Chapter.", True),
    ("For the purposes of Chapters 10 and 14, Article XIV of GATS is incorporated.", True),
    ("Para los efectos del Capítulo 14 (Comercio Electrónico), se incorpora el Artículo XIV.",
     True),
    ("For the purposes of Chapter 2 (Goods), Article XX of GATT 1994 is incorporated.", False),
])
def test_general_exception_references_by_number_title_or_own_chapter(text, expected):
    hit_chapter = "Chapter 14 (Electronic Commerce)" if "this Chapter" in text else "Chapter 29"
    hit = _hit(text, hit_chapter, 14 if "this Chapter" in text else 29)
    assert reaches(hit, _clause("Chapter 14 (Electronic Commerce)", 14)) is expected


@pytest.mark.parametrize(("text", "kind"), [
    ("Neither Party shall have recourse to dispute settlement for matters under this Part.",
     "part"),
    ("Ninguna Parte podrá recurrir a la solución de controversias en la presente Parte.",
     "part"),
    ("Aucune Partie ne peut recourir au règlement des différends au titre du présent titre.",
     "title"),
    ("Este Capítulo no se aplicará a la contratación pública.", "chapter"),
    ("Ninguna Parte podrá recurrir a la solución de controversias.", None),
    ("Nada de lo dispuesto impedirá que esta Parte adopte medidas.", None),
])
def test_a_modifier_names_the_division_it_governs(text, kind):
    # "Ninguna Parte", "esta Parte" are Parties: a Spanish Part is "la presente Parte"
    assert named_division(text) == kind


def test_a_general_exception_for_this_part_reaches_the_parts_chapters_only():
    part = Division("part", 3, "Part II (Trade)")
    inside = _clause("Chapter 7 (Digital Trade)", 5)
    inside.divisions = (part, Division("chapter", 5, "Chapter 7 (Digital Trade)"))
    outside = _clause("Chapter 9 (Services)", 9)
    outside.divisions = (Division("part", 8, "Part III"), Division("chapter", 9, "Chapter 9"))
    text = "Article XX of GATT applies to this Part, mutatis mutandis."
    hit = _hit(text, "Chapter 6 (Exceptions)", 4)
    hit.division = governed_division((part, Division("chapter", 4, "Chapter 6")),
                                     named_division(text), 4)
    assert hit.division == 3
    assert reaches(hit, inside) and not reaches(hit, outside)
    # a chapter named by title is covered in whichever division the clause sits
    named = _hit("For the purposes of Chapter 7 (Digital Trade), Article XIV of GATS is "
                 "incorporated.", "Chapter 20", 20)
    assert reaches(named, inside) and not reaches(named, outside)


def test_a_modifier_printed_only_in_a_footnote_is_found_and_linked():
    """RCEP-style: the self-judging necessity sits in a footnote of the exception."""
    taxonomy = TAXONOMY
    dimension = 8
    vectors = np.zeros((len(taxonomy.exemplars), dimension), dtype=np.float32)
    classifier = Classifier(taxonomy, vectors)
    rule = Clause("r:a1:p1", "r", "Each Party shall allow the cross-border transfer of "
                  "information by electronic means for the business of a covered person.",
                  "Chapter 12 (Electronic Commerce)", "12.15", "r:a1", "1", "loc",
                  chapter_index=12)
    exception = Clause("r:a1:p2", "r", "Nothing in this Article shall prevent a Party from "
                       "adopting measures to achieve a legitimate public policy objective.",
                       "Chapter 12 (Electronic Commerce)", "12.15", "r:a1", "2", "loc",
                       chapter_index=12,
                       footnotes=["12 For the purposes of this subparagraph, the Parties affirm "
                                  "that the necessity behind the implementation of such "
                                  "legitimate public policy shall be decided by the "
                                  "implementing Party."])
    result = classifier.classify([rule, exception], np.zeros((2, dimension), np.float32), "en")
    finding = next(f for f in result.findings if f.category == "data_free_flow")
    linked = {h.modifier: h for h in finding.modifiers}
    assert "lppo_self_judging" in linked
    assert linked["lppo_self_judging"].evidence[0].cue.startswith("footnote 1:")
    assert "lppo_necessity" not in linked


def test_negated_commitment_and_carried_on_sentence(tmp_path: Path):
    taxonomy = TAXONOMY
    vectors = np.zeros((len(taxonomy.exemplars), 8), dtype=np.float32)
    classifier = Classifier(taxonomy, vectors)
    negated = Clause("n:a1:p1", "n", "The Parties understand that no provision shall be "
                     "construed to require a Party to permit the cross-border transfer of "
                     "information by electronic means.", None, "1", "n:a1", "1", "loc")
    carried = Clause("n:a2:p1", "n", "The Parties value cross-border data flows. To that end, "
                     "no Party shall restrict such flows for the business of a covered person.",
                     None, "2", "n:a2", "1", "loc")
    result = classifier.classify([negated, carried], np.zeros((2, 8), np.float32), "en",
                                 trace=True)
    found = {(f.clause.clause_id, f.category): f.strength for f in result.findings}
    assert ("n:a1:p1", "data_free_flow") not in found
    reason = next(d for d in result.decisions["n:a1:p1"] if d.category == "data_free_flow")
    assert reason.outcome == "no commitment" and "negated" in reason.reason
    assert found[("n:a2:p1", "data_free_flow")] == "hard"
