"""`tradelens explain`: each finding shows the rule, wording, exemplars and modifiers behind it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "eastern_regional_partnership.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("explain-store")


@pytest.fixture(scope="module")
def explained(store: Path) -> dict:
    result = run_cli("explain", str(SAMPLE), "--format", "json", "--store", str(store))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def analysed(store: Path, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("explain-out")
    result = run_cli("analyse", str(SAMPLE), "--out", str(out), "--store", str(store),
                     "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    return json.loads(next(out.glob("*.json")).read_text())


def test_explain_covers_exactly_the_findings_of_the_report(explained, analysed):
    reported = {(f["clause_id"], c) for c, body in analysed["categories"].items()
                for f in body["findings"]}
    assert {(f["clause_id"], f["category"]) for f in explained["findings"]} == reported
    assert reported


def test_each_finding_names_its_rule_wording_exemplars_and_points(explained):
    for finding in explained["findings"]:
        cues = {e["cue"].split(":")[0] for e in finding["evidence"]}
        assert "modality" in cues
        assert finding["rule"]
        assert finding["nearest_exemplars"]
        assert finding["explanation"][0].startswith(f"{finding['strength']} rule")
        text = finding["text"]
        for span in finding["evidence"]:
            assert span["text"].lower() in text.lower()


def test_modifiers_are_explained_with_their_words_and_relief(explained):
    hard = [f for f in explained["findings"] if f["strength"] == "hard"]
    assert {"lppo_self_judging", "no_dispute_settlement"} <= {
        m["type"] for f in hard for m in f["modifiers"]}
    for finding in hard:  # relief is given to hard rules, each step in the explanation
        for modifier in finding["modifiers"]:
            assert modifier["evidence"] and modifier["label"]
            assert any(line.startswith(f"+{modifier['relief']:g} {modifier['label'].lower()}")
                       for line in finding["explanation"]), modifier


def test_text_output_is_readable(store: Path):
    result = run_cli("explain", str(SAMPLE), "--store", str(store))
    assert result.exit_code == 0
    # the learned topic decision names its probability, then the cue that backs it
    assert re.search(r"why: topic model [\d.]+, topic cue '", result.stdout)
    assert "nearest exemplars:" in result.stdout
    assert "policy space" in result.stdout


def test_one_clause_shows_every_category_decision(explained, store: Path):
    exception_id = next(m["clause_id"] for f in explained["findings"] for m in f["modifiers"]
                        if m["type"] == "lppo_self_judging")
    short_id = exception_id.split(":", 1)[1]
    result = run_cli("explain", str(SAMPLE), "--clause", short_id, "--format", "json",
                     "--store", str(store))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["clause_id"] == exception_id
    assert {d["category"] for d in data["decisions"]} >= {"data_free_flow", "server_location",
                                                          "source_code_secrecy"}
    assert all(d["outcome"] == "excluded" for d in data["decisions"])
    assert "lppo_self_judging" in {m["type"] for m in data["modifiers"]}


def test_unknown_clause_is_a_one_line_error(store: Path):
    result = run_cli("explain", str(SAMPLE), "--clause", "a99:p9", "--store", str(store))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "a99:p9" in result.stderr and SAMPLE.name in result.stderr
