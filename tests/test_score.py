"""The scoring rubric: numbers from the taxonomy, each explained."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from tests.conftest import SAMPLES, run_cli
from tradelens.classify.modifiers import link_modifiers
from tradelens.models import Clause, Finding, ModifierHit
from tradelens.score import score_agreement
from tradelens.taxonomy import load_taxonomy


def _clause(cid: str, article: str = "a1", chapter: int = 1) -> Clause:
    return Clause(clause_id=cid, agreement_id="t", text="x", chapter=None, article=None,
                  article_key=article, paragraph="1", location="x", chapter_index=chapter)


def _hit(modifier: str, kind: str, reach: str, cid: str = "t:a1:p3", article: str = "a1",
         chapter: int = 1) -> ModifierHit:
    return ModifierHit(modifier=modifier, kind=kind, clause_id=cid, reach=reach,
                       article_key=article, chapter_index=chapter)


def test_rubric_values_come_from_the_taxonomy():
    taxonomy = load_taxonomy()
    strength = taxonomy.scoring["strength"]
    findings = [Finding("data_free_flow", _clause("t:a1:p2"), "hard", 0.9),
                Finding("server_location", _clause("t:a2:p1", "a2"), "soft", 0.9)]
    score = score_agreement(findings, taxonomy)
    assert score.categories["data_free_flow"].policy_space == strength["hard"]
    assert score.categories["server_location"].policy_space == strength["soft"]
    assert score.categories["source_code_secrecy"].policy_space == strength["none"]
    expected = (strength["hard"] + strength["soft"] + strength["none"]) / 3
    assert score.score == round(expected, 1)


def test_exceptions_add_relief_up_to_the_ceiling():
    taxonomy = load_taxonomy()
    finding = Finding("data_free_flow", _clause("t:a1:p2"), "hard", 0.9)
    hits = [_hit("lppo_self_judging", "exception", "article"),
            _hit("security_self_judging", "exception", "article"),
            _hit("no_dispute_settlement", "enforceability", "chapter", "t:a9:p2", "a9")]
    link_modifiers([finding], hits, taxonomy)
    assert {h.modifier for h in finding.modifiers} == {h.modifier for h in hits}
    score = score_agreement([finding], taxonomy)
    category = score.categories["data_free_flow"]
    assert category.policy_space == taxonomy.scoring["hard_ceiling"]
    assert category.decisive is not None and category.decisive.finding is finding
    assert any("capped" in line for line in category.decisive.explanation)


def test_modifiers_reach_only_where_they_apply():
    taxonomy = load_taxonomy()
    finding = Finding("data_free_flow", _clause("t:a1:p2"), "hard", 0.9)
    hits = [_hit("lppo_necessity", "exception", "article", "t:a7:p3", "a7"),  # other article
            _hit("mass_market_only", "scope", "article"),                   # other category
            _hit("no_dispute_settlement", "enforceability", "chapter", "t:x", "a9", 2)]
    link_modifiers([finding], hits, taxonomy)
    assert finding.modifiers == []


def test_sector_rules_do_not_override_an_economy_wide_rule():
    taxonomy = load_taxonomy()
    general = Finding("data_free_flow", _clause("t:a1:p2"), "hard", 0.9)
    telecom = Finding("data_free_flow", _clause("t:a5:p1", "a5"), "hard", 0.9)
    hits = [_hit("lppo_self_judging", "exception", "article"),
            _hit("telecommunications_only", "scope", "clause", "t:a5:p1", "a5")]
    link_modifiers([general, telecom], hits, taxonomy)
    category = score_agreement([general, telecom], taxonomy).categories["data_free_flow"]
    scores = {s.finding.clause.clause_id: s.policy_space for s in category.findings}
    # The telecom rule binds more tightly, but only within the general rule's coverage.
    assert scores["t:a1:p2"] > scores["t:a5:p1"]
    assert category.policy_space == scores["t:a1:p2"]
    assert category.decisive is not None and category.decisive.finding is general
    # Without an economy-wide rule the sector rule decides.
    only = score_agreement([telecom], taxonomy).categories["data_free_flow"]
    assert only.policy_space == scores["t:a5:p1"] and only.decisive.finding is telecom


def test_scoring_changes_nothing_it_is_given():
    taxonomy = load_taxonomy()
    findings = [Finding("data_free_flow", _clause("t:a1:p2"), "hard", 0.9),
                Finding("data_free_flow", _clause("t:a2:p1", "a2"), "soft", 0.7)]
    link_modifiers(findings, [_hit("lppo_necessity", "exception", "article")], taxonomy)
    before = copy.deepcopy(findings)
    first = score_agreement(findings, taxonomy)
    assert findings == before
    assert score_agreement(findings, taxonomy) == first


def test_weights_file_reweights_without_editing_the_package(tmp_path: Path):
    weights = tmp_path / "weights.yaml"
    weights.write_text("category_weights:\n  data_free_flow: 1\n  server_location: 0\n"
                       "  source_code_secrecy: 0\n")
    sample = SAMPLES / "eastern_regional_partnership.txt"
    out = tmp_path / "out"
    result = run_cli("analyse", str(sample), "--weights", str(weights), "--out", str(out),
                     "--store", str(tmp_path / "store"), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads((out / "eastern_regional_partnership.json").read_text())
    assert report["policy_space"]["score"] == report["categories"]["data_free_flow"][
        "policy_space"]
    assert report["policy_space"]["weights"]["server_location"] == 0


def test_bad_weights_file_is_a_usage_error(tmp_path: Path):
    weights = tmp_path / "weights.yaml"
    weights.write_text("hard_ceiling: 250\n")
    result = run_cli("analyse", str(SAMPLES / "cooperation_framework.txt"), "--weights",
                     str(weights), "--out", str(tmp_path / "o"), "--store", str(tmp_path / "s"))
    assert result.exit_code == 2
    assert "weights.yaml" in result.stderr and "250" in result.stderr


def test_among_equally_binding_findings_the_most_confident_decides():
    """Two hard rules of one article leave the same room; the one the classifier is surer
    of is the evidence shown, whatever their order in the text."""
    taxonomy = load_taxonomy()
    doubtful = Finding("data_free_flow", _clause("t:a1:p1"), "hard", 0.51)
    sure = Finding("data_free_flow", _clause("t:a1:p5"), "hard", 0.96)
    category = score_agreement([doubtful, sure], taxonomy).categories["data_free_flow"]
    assert category.decisive is not None and category.decisive.finding is sure
    # the list keeps text order among equals: the first listed is not the decisive one
    assert [s.finding for s in category.findings] == [doubtful, sure]
    again = score_agreement([sure, doubtful], taxonomy).categories["data_free_flow"]
    assert again.decisive is not None and again.decisive.finding is sure
