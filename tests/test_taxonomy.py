"""The taxonomy is data: validated at load, extensible without code."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.regex_sampler import sample_text
from tradelens.errors import SetupError
from tradelens.taxonomy import CORE_CATEGORIES, CueRule, default_taxonomy_dir, load_taxonomy


@pytest.fixture()
def taxonomy_copy(tmp_path: Path) -> Path:
    target = tmp_path / "taxonomy"
    shutil.copytree(default_taxonomy_dir(), target, ignore=shutil.ignore_patterns("*.py",
                                                                                  "__pycache__"))
    return target


def test_bundled_taxonomy_loads_with_core_categories_and_three_languages():
    taxonomy = load_taxonomy()
    assert set(CORE_CATEGORIES) <= set(taxonomy.categories)
    for category in CORE_CATEGORIES:
        exemplars = taxonomy.categories[category].exemplars
        for lang in ("en", "es", "fr"):  # positives of both strengths and hard negatives
            assert {"hard", "soft", "none"} == {e.strength for e in exemplars
                                                if e.lang == lang}, (category, lang)
        assert set(taxonomy.categories[category].cues) == {"en", "es", "fr"}
    assert {"lppo_necessity", "lppo_self_judging", "no_dispute_settlement"} <= set(
        taxonomy.modifiers)


def test_invalid_file_is_named_with_its_line(taxonomy_copy: Path):
    path = taxonomy_copy / "categories" / "source_code_secrecy.yaml"
    text = path.read_text().replace("strength: hard", "strength: binding", 1)
    path.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "strength: binding" in t)
    with pytest.raises(SetupError) as error:
        load_taxonomy(taxonomy_copy)
    assert f"source_code_secrecy.yaml:{line}:" in str(error.value)
    assert "binding" in str(error.value)


def test_bad_regex_is_reported(taxonomy_copy: Path):
    path = taxonomy_copy / "categories" / "server_location.yaml"
    path.write_text(path.read_text().replace("'data locali[sz]ation'", "'data locali[sz'"))
    with pytest.raises(SetupError, match="bad pattern"):
        load_taxonomy(taxonomy_copy)


def test_weights_for_unknown_category_are_refused(taxonomy_copy: Path):
    path = taxonomy_copy / "taxonomy.yaml"
    path.write_text(path.read_text().replace("source_code_secrecy: 1",
                                             "source_code_secrecy: 1\n    customs: 1"))
    with pytest.raises(SetupError, match="unknown categories: customs"):
        load_taxonomy(taxonomy_copy)


CUSTOMS_CATEGORY = r"""id: customs_duties_electronic
label: Customs duties on electronic transmissions
definition: A ban on customs duties on electronic transmissions removes a tariff tool.
cues:
  en:
    - 'customs duties\b.{0,160}\b(electronic transmissions|transmitted electronically)'
exemplars:
  - lang: en
    strength: hard
    text: No Party shall levy customs duties on electronic transmissions between persons.
  - lang: en
    strength: soft
    text: The Parties shall endeavour not to impose customs duties on electronic transmissions.
"""


def test_a_category_is_added_by_yaml_alone(taxonomy_copy: Path, tmp_path: Path):
    (taxonomy_copy / "categories" / "customs_duties_electronic.yaml").write_text(
        CUSTOMS_CATEGORY)
    settings = taxonomy_copy / "taxonomy.yaml"
    settings.write_text(settings.read_text().replace(
        "source_code_secrecy: 1", "source_code_secrecy: 1\n    customs_duties_electronic: 1"))
    sample = Path(__file__).resolve().parents[1] / "corpora/samples/northern_trade_accord.xml"
    result = run_cli("analyse", str(sample), "--taxonomy", str(taxonomy_copy), "--out",
                     str(tmp_path / "out"), "--store", str(tmp_path / "store"), "--format",
                     "json")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "northern_trade_accord.json").read_text())
    customs = report["categories"]["customs_duties_electronic"]
    assert customs["status"] == "hard"
    assert customs["findings"][0]["source_ref"] == "s2-1903"
    assert report["policy_space"]["weights"]["customs_duties_electronic"] == 1


def test_weights_file_reweights_modifier_relief_and_refuses_unknown_ones():
    taxonomy = load_taxonomy()
    weighted = taxonomy.with_scoring({"relief": {"lppo_self_judging": 12}}, "w.yaml")
    assert weighted.modifiers["lppo_self_judging"].relief == 12
    assert taxonomy.modifiers["lppo_self_judging"].relief != 12  # the original is untouched
    assert weighted.fingerprint != taxonomy.fingerprint
    with pytest.raises(SetupError, match=r"w\.yaml: relief for unknown modifier 'nope'"):
        taxonomy.with_scoring({"relief": {"nope": 5}}, "w.yaml")
    with pytest.raises(SetupError, match="from 0 to 100"):
        taxonomy.with_scoring({"relief": {"lppo_necessity": 500}}, "w.yaml")


def test_without_first_pass_words_every_clause_is_read_closely(taxonomy_copy: Path):
    from tradelens.classify import Classifier
    from tradelens.models import Clause

    settings = taxonomy_copy / "taxonomy.yaml"
    text = settings.read_text()
    start, end = text.index("\nfirst_pass:") + 1, text.index("\nscoring:") + 1
    settings.write_text(text[:start] + text[end:])
    bare = load_taxonomy(taxonomy_copy)
    assert bare.first_pass == {}
    clauses = [Clause("x:1", "x", "Tariffs on bananas shall be eliminated.", None, None, "a1",
                      None, "x")]
    import numpy as np

    vectors = np.zeros((len(bare.exemplars), 384), dtype=np.float32)
    assert Classifier(bare, vectors).first_pass(clauses, "en").tolist() == [True]
    assert Classifier(load_taxonomy(), np.zeros((len(load_taxonomy().exemplars), 384),
                      dtype=np.float32)).first_pass(clauses, "en").tolist() == [False]


def test_a_rules_required_words_gate_it_but_are_not_its_evidence():
    flags = re.IGNORECASE
    rule = CueRule(all=[re.compile(r"not apply to .{0,20}procurement", flags)],
                   requires=[re.compile("government", flags)])
    assert rule.search("This Chapter shall not apply to procurement.") is None
    found = rule.search("Government bodies: this Chapter shall not apply to procurement.")
    assert found is not None
    assert [m.group(0) for m in found] == ["not apply to procurement"]
    rule.none.append(re.compile("except", flags))
    assert rule.search("Government: it shall not apply to procurement, except ...") is None


def test_required_words_are_in_every_text_a_bundled_rule_matches():
    """`requires` is a shortcut, never a condition of its own: texts drawn at random from
    every alternative of a rule's patterns (and every exemplar) that the rule matches
    without it hold its required words too."""
    from re import _parser as sre_parse  # Python 3.11+, as setup.cfg requires

    rng = random.Random(7)
    taxonomy = load_taxonomy()
    exemplars = [e.text for m in taxonomy.modifiers.values() for e in m.exemplars]
    gated = [(m.id, rule) for m in taxonomy.modifiers.values()
             for rules in m.cues.values() for rule in rules if rule.requires]
    assert len(gated) >= 20
    for modifier_id, rule in gated:
        bare = CueRule(all=rule.all, none=rule.none)
        parsed = [sre_parse.parse(p.pattern, p.flags) for p in rule.all]
        drawn = [" . ".join(f" {sample_text(pattern, rng)} " for pattern in parsed)
                 for _ in range(300)]
        matched = 0
        for text in [*drawn, *exemplars, *(e.replace("'", "\u2019") for e in exemplars)]:
            if bare.search(text):
                matched += 1
                assert bool(rule.search(text)), (modifier_id, rule.requires, text)
        assert matched >= 25, (modifier_id, matched)
