"""The real CLI over the sample corpus, checked against the team's manifest."""

from __future__ import annotations

import csv

import jsonschema
import pytest

from tradelens.report.contract import report_schema

CATEGORIES = ("data_free_flow", "server_location", "source_code_secrecy")


def _id(entry: dict) -> str:
    return entry["file"].rsplit(".", 1)[0]


def test_every_sample_is_reported(samples_run, manifest, sample_reports):
    result, out, _ = samples_run
    assert result.exit_code == 0, result.output
    assert set(sample_reports) == {_id(e) for e in manifest["samples"]}
    for entry in manifest["samples"]:
        assert (out / f"{_id(entry)}.md").is_file()
    assert (out / "index.md").is_file()


def test_reports_validate_against_the_contract(sample_reports):
    for report in sample_reports.values():
        jsonschema.validate(report, report_schema())
        assert report["schema"] == "tradelens.report/1"
        assert len(report["provenance"]["model_sha256"]) == 64


@pytest.mark.parametrize("category", CATEGORIES)
def test_status_matches_manifest(sample_reports, manifest, category):
    for entry in manifest["samples"]:
        report = sample_reports[_id(entry)]
        got = report["categories"][category]["status"]
        assert got == entry["expected"][category], f"{entry['file']} {category}"


def test_formats_are_sniffed_as_the_manifest_says(sample_reports, manifest):
    for entry in manifest["samples"]:
        assert sample_reports[_id(entry)]["agreement"]["format"] == entry.get(
            "format", sample_reports[_id(entry)]["agreement"]["format"])
    formats = {r["agreement"]["format"] for r in sample_reports.values()}
    assert {"pdf", "xml-tota", "text"} <= formats


def test_scores_follow_the_policy_space_ranking(sample_reports, manifest):
    ranked = sorted((e for e in manifest["samples"] if "policy_space_rank" in e),
                    key=lambda e: e["policy_space_rank"])
    scores = [sample_reports[_id(e)]["policy_space"]["score"] for e in ranked]
    assert scores == sorted(scores) and len(set(scores)) == len(scores), scores


def test_expected_modifiers_are_linked(sample_reports, manifest):
    for entry in manifest["samples"]:
        report = sample_reports[_id(entry)]
        for category, modifiers in entry.get("expected_modifiers", {}).items():
            linked = set()
            for finding in report["categories"][category]["findings"]:
                linked |= {e["type"] for e in finding["exceptions"]}
                linked |= set(finding["scope"])
                linked |= {e["type"] for e in finding["enforceability"]}
            missing = set(modifiers) - linked
            assert not missing, f"{entry['file']} {category}: {missing}"


def test_status_is_the_strongest_finding(sample_reports):
    order = {"none": 0, "soft": 1, "hard": 2}
    for report in sample_reports.values():
        for body in report["categories"].values():
            strongest = max((f["strength"] for f in body["findings"]), key=order.get,
                            default="none")
            assert body["status"] == strongest


def test_findings_point_at_real_clauses_with_evidence(sample_reports):
    for report in sample_reports.values():
        for body in report["categories"].values():
            for finding in body["findings"]:
                assert finding["clause_id"].startswith(report["agreement"]["id"] + ":")
                for span in finding["evidence"]:
                    if span["cue"].startswith(("topic:", "modality:")):
                        assert finding["text"][span["start"]:span["end"]] == span["text"]


def test_pdf_sample_keeps_page_numbers_and_drops_running_lines(sample_reports):
    report = sample_reports["pacific_rim_digital_partnership"]
    assert report["stats"]["pages"] >= 3
    findings = [f for b in report["categories"].values() for f in b["findings"]]
    assert all(isinstance(f["page"], int) and f["page"] >= 1 for f in findings)
    for finding in findings:
        assert "consolidated text" not in finding["text"]
        assert "Page " not in finding["text"]


def test_metadata_header_is_read(sample_reports):
    agreement = sample_reports["eastern_regional_partnership"]["agreement"]
    assert agreement["date_signed"] == "2020-11-15"
    assert agreement["parties"] == ["Aurelia", "Borealis", "Coralia", "Deltania"]
    assert agreement["language"] == "en"


def test_csv_tables_have_one_row_per_agreement_and_finding(samples_run, sample_reports):
    _, out, _ = samples_run
    with (out / "agreements.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["agreement_id"] for r in rows} == set(sample_reports)
    with (out / "findings.csv").open() as handle:
        findings = list(csv.DictReader(handle))
    expected = sum(len(b["findings"]) for r in sample_reports.values()
                   for b in r["categories"].values())
    assert len(findings) == expected


def test_markdown_summary_names_every_agreement_and_score(samples_run, sample_reports):
    _, out, _ = samples_run
    index = (out / "index.md").read_text()
    for report in sample_reports.values():
        assert f"({report['agreement']['id']}.md)" in index
        assert f"{report['policy_space']['score']:g}" in index
