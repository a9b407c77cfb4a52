"""`tradelens ledger` on the generated party-named workspace (tests/ledger_fixture.py).

Expected answers are computed from what the fixture means (its parties, dates and rules),
never copied from a run.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import run_cli
from tests.ledger_fixture import AGREEMENTS, UNKNOWN_PARTY, sides


def _ledger(store, country, *extra):
    result = run_cli("ledger", country, "--store", str(store), *extra)
    return result


def _expected_first_bound(country: str, category: str):
    bound = [a for a in AGREEMENTS if country in a.codes and a.rules.get(category) == "hard"]
    return min(bound, key=lambda a: (a.start_year, a.id)) if bound else None


def test_analyse_reports_party_codes_and_warns_about_the_unknown_party(ledger_run):
    result, out, _ = ledger_run
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and f"unknown party '{UNKNOWN_PARTY}'" in warnings[0]
    assert "atlantis_chile.txt" in warnings[0]
    for agreement in AGREEMENTS:
        report = json.loads((out / f"{agreement.id}.json").read_text())
        assert report["agreement"]["party_codes"] == sorted(agreement.codes)
        assert report["agreement"]["date_into_force"] == agreement.into_force


@pytest.mark.parametrize("country", ["CHL", "Chile", "Pérou", "SGP", "MEX"])
def test_ledger_names_the_first_binding_agreement_per_category(ledger_run, country):
    _, _, store = ledger_run
    result = _ledger(store, country, "--format", "json", "--on", "2025-06-01")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    code = data["country"]
    mine = [a for a in AGREEMENTS if code in a.codes]
    assert data["agreements"] == len(mine)
    for category, body in data["categories"].items():
        expected = _expected_first_bound(code, category)
        first = body["first_bound"]
        if expected is None:
            assert first is None, category
            continue
        assert first["agreement_id"] == expected.id
        assert first["year"] == expected.start_year
        own = sides(expected)[code]
        assert first["partners"] == sorted(c for c in expected.codes
                                           if sides(expected)[c] != own)
        assert first["basis"].startswith("in force" if expected.into_force else "signed")
        assert first["clause_id"].startswith(f"{expected.id}:")
        open_ids = {o["agreement_id"] for o in body["open"]}
        assert open_ids == {a.id for a in mine if category not in a.rules}


def test_in_force_today_depends_on_the_date(ledger_run):
    _, _, store = ledger_run
    later = json.loads(_ledger(store, "MEX", "--format", "json", "--on", "2020-01-01").stdout)
    assert later["categories"]["server_location"]["strongest_in_force"]["agreement_id"] == (
        "pacific_alliance_protocol")
    earlier = json.loads(_ledger(store, "MEX", "--format", "json", "--on", "2015-01-01").stdout)
    assert earlier["categories"]["server_location"]["strongest_in_force"] is None
    # the first year bound does not move with the reading date
    assert earlier["categories"]["server_location"]["first_bound"]["year"] == 2016


def test_ledger_text_and_csv(ledger_run):
    _, _, store = ledger_run
    text = _ledger(store, "CHL")
    assert text.exit_code == 0
    assert text.stdout.startswith("Chile (CHL): ")
    assert "first bound: 2009" in text.stdout
    table = _ledger(store, "CHL", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    chile = [a for a in AGREEMENTS if "CHL" in a.codes]
    assert len(rows) == 3 * len(chile)  # every category x every agreement of Chile
    titles = {r["title"] for r in rows}
    assert "'=Atlantis - Chile Trade Pact (fixture)" in titles  # neutralised for spreadsheets
    assert not any(t.startswith("=") for t in titles)


def test_ledger_exit_codes(ledger_run, tmp_path):
    _, _, store = ledger_run
    unknown = _ledger(store, "Narnia")
    assert unknown.exit_code == 2 and "unknown country 'Narnia'" in unknown.stderr
    absent = _ledger(store, "Canada")
    assert absent.exit_code == 1 and "no agreement of Canada (CAN)" in absent.stderr
    missing = _ledger(tmp_path / "nowhere", "CHL")
    assert missing.exit_code == 2 and "no TradeLens workspace" in missing.stderr
    bad_date = _ledger(store, "CHL", "--on", "yesterday")
    assert bad_date.exit_code == 2


def test_language_versions_of_one_treaty_are_listed_once(ledger_run):
    from tests.conftest import load_reports
    from tradelens.ledger import ledger, records

    _, out, _ = ledger_run
    original = load_reports(out)["andes_pacific"]
    spanish = json.loads(json.dumps(original))
    spanish["agreement"]["id"] = "andes_pacific_es"
    data = ledger("PER", records([original, spanish]))
    entries = data["categories"]["data_free_flow"]["commitments"]
    assert [e["agreement_id"] for e in entries] == ["andes_pacific"]
    assert entries[0]["other_versions"] == ["andes_pacific_es"]
    spanish["agreement"]["date_signed"] = "2007-01-01"  # a different treaty after all
    assert len(ledger("PER", records([original, spanish]))["categories"]["data_free_flow"][
        "commitments"]) == 2
