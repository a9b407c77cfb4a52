"""`tradelens compare` and `tradelens check`, through the real CLI on the sample corpus."""

from __future__ import annotations

import json

from tests.conftest import SAMPLES, run_cli

PACIFIC = str(SAMPLES / "pacific_rim_digital_partnership.pdf")
NORTHERN = str(SAMPLES / "northern_trade_accord.xml")
EASTERN = str(SAMPLES / "eastern_regional_partnership.txt")
DRAFT = str(SAMPLES / "draft_digital_chapter.txt")


def _json(*args: str) -> dict:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compare_puts_agreements_side_by_side_with_what_differs(samples_run, sample_reports):
    store = str(samples_run[2])
    data = _json("compare", PACIFIC, NORTHERN, EASTERN, "--store", store)
    assert [a["id"] for a in data["agreements"]] == [
        "pacific_rim_digital_partnership", "northern_trade_accord", "eastern_regional_partnership"]
    by_category = {c["category"]: c for c in data["categories"]}
    for category, entry in by_category.items():
        got = [(r["agreement"], r["status"], r["policy_space"]) for r in entry["rows"]]
        want = [(a, sample_reports[a]["categories"][category]["status"],
                 sample_reports[a]["categories"][category]["policy_space"])
                for a, *_ in got]
        assert got == want
    source_code = by_category["source_code_secrecy"]
    assert any(d.startswith("status differs") for d in source_code["differences"])
    assert any(d.startswith("Limited to mass-market software: in pacific_rim_digital_partnership;"
                            " not in northern_trade_accord") for d in source_code["differences"])
    localisation = by_category["server_location"]
    assert any("self-judging" in d.lower() and d.split(": in ")[1].startswith("eastern")
               for d in localisation["differences"])
    text = run_cli("compare", PACIFIC, NORTHERN, "--store", store).output
    assert "points apart" in text and "northern_trade_accord:as2-1916:p1" in text


def test_compare_needs_two_files():
    result = run_cli("compare", PACIFIC)
    assert result.exit_code == 2
    assert "at least two" in result.output


def test_check_scores_each_bracketed_option_and_names_the_missing_exception(samples_run):
    store = str(samples_run[2])
    data = _json("check", DRAFT, "--against", PACIFIC, "--against", NORTHERN, "--store", store)
    options = {o["option"]: o for o in data["options"]}
    assert set(options) == {"option 1", "option 2"}
    assert options["option 1"]["score"] < options["option 2"]["score"]
    assert options["option 1"]["categories"]["server_location"]["status"] == "hard"
    assert options["option 2"]["categories"]["server_location"]["status"] == "soft"
    localisation = next(a for a in options["option 1"]["alignments"]
                        if a["category"] == "server_location")
    versus = {c["agreement"]: c for c in localisation["counterparts"]}
    # CPTPP-style precedent: same wording, but its LPPO exception is missing from the draft
    assert versus["pacific_rim_digital_partnership"]["similarity"] > 0.95
    assert "lppo_necessity" in versus["pacific_rim_digital_partnership"]["missing"]
    assert "lppo_necessity" not in versus["northern_trade_accord"]["missing"]
    soft = next(a for a in options["option 2"]["alignments"] if a["category"] == "data_free_flow")
    assert soft["strength"] == "soft" and "soft where" in soft["verdict"]
    assert any(line.startswith("Source code and algorithms: no rule in the draft")
               for line in options["option 1"]["absent"])
    text = run_cli("check", DRAFT, "--against", PACIFIC, "--store", store).output
    assert "bracketed options: option 1 " in text
    assert "missing: " in text and "legitimate public policy objective" in text


def test_check_without_brackets_scores_the_text_as_the_report_does(samples_run, sample_reports):
    data = _json("check", PACIFIC, "--against", NORTHERN, "--store", str(samples_run[2]))
    assert [o["option"] for o in data["options"]] == ["as written"]
    report = sample_reports["pacific_rim_digital_partnership"]
    assert data["options"][0]["score"] == report["policy_space"]["score"]


def test_check_reports_a_bad_draft_on_one_line(tmp_path, samples_run):
    bad = tmp_path / "draft.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    result = run_cli("check", str(bad), "--against", PACIFIC, "--store", str(samples_run[2]))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "draft.pdf" in lines[0]


def test_compare_and_check_take_report_files_and_stored_ids(samples_run, sample_reports,
                                                            tmp_path):
    """What a user has at hand: a report JSON (read, not re-analysed), a stored id, a file."""
    _, out, store = samples_run
    report_file = out / "northern_trade_accord.json"
    data = _json("compare", str(report_file), "pacific_rim_digital_partnership", EASTERN,
                 "--store", str(store))
    assert [a["id"] for a in data["agreements"]] == [
        "northern_trade_accord", "pacific_rim_digital_partnership",
        "eastern_regional_partnership"]
    assert data["agreements"][0]["score"] == \
        sample_reports["northern_trade_accord"]["policy_space"]["score"]
    from_files = _json("check", DRAFT, "--against", PACIFIC, "--against", NORTHERN,
                       "--store", str(store))
    from_reports = _json("check", DRAFT, "--against", "pacific_rim_digital_partnership",
                         "--against", str(report_file), "--store", str(store))
    assert from_reports["options"] == from_files["options"]


def test_compare_refuses_what_is_not_an_agreement_on_one_line(samples_run, tmp_path):
    store = str(samples_run[2])
    not_report = tmp_path / "data.json"
    not_report.write_text('{"rows": [1, 2, 3]}')
    result = run_cli("compare", str(not_report), PACIFIC, "--store", store)
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "data.json" in result.stderr and "not a TradeLens report" in result.stderr
    result = run_cli("compare", "no_such_agreement", PACIFIC, "--store", store)
    assert result.exit_code == 1
    assert "no_such_agreement" in result.stderr and "no agreement with this id" in result.stderr
