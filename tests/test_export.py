"""`tradelens export`: tidy CSV and Parquet tables, the panel's row count, metadata."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.conftest import load_reports, run_cli
from tests.ledger_fixture import AGREEMENTS, sides
from tradelens.report.export import TABLES, neutralise, tables
from tradelens.taxonomy import load_taxonomy
from tradelens.workspace.store import Store

UNTIL = 2025


@pytest.fixture(scope="module")
def exported(ledger_run, tmp_path_factory):
    result, _, store = ledger_run
    assert result.exit_code == 0, result.output
    to = tmp_path_factory.mktemp("export")
    run = run_cli("export", "--store", str(store), "--to", str(to), "--until", str(UNTIL))
    assert run.exit_code == 0, run.output
    return to


def expected_panel_rows() -> int:
    """docs/data.md: K x sum over ordered pairs (c, p) on different sides of an agreement
    in force by UNTIL of (UNTIL - first year they share one + 1)."""
    first: dict[tuple[str, str], int] = {}
    for agreement in AGREEMENTS:
        if agreement.start_year > UNTIL:
            continue
        side = sides(agreement)
        for c in agreement.codes:
            for p in agreement.codes:
                if side[c] != side[p]:
                    first[(c, p)] = min(first.get((c, p), 9999), agreement.start_year)
    categories = len(load_taxonomy().categories)
    return categories * sum(UNTIL - year + 1 for year in first.values())


def test_panel_row_count_follows_the_data_dictionary(exported):
    panel = pd.read_parquet(exported / "panel.parquet")
    assert len(panel) == expected_panel_rows() > 0
    assert len(pd.read_csv(exported / "panel.csv")) == len(panel)
    assert not panel.duplicated(["country", "partner", "year", "category"]).any()


def test_parquet_loads_with_pandas_and_pyarrow_and_carries_provenance(exported, ledger_run):
    _, out, _ = ledger_run
    provenance = next(iter(load_reports(out).values()))["provenance"]
    for name in TABLES:
        table = pq.read_table(exported / f"{name}.parquet")
        frame = pd.read_parquet(exported / f"{name}.parquet")
        assert table.num_rows == len(frame) > 0, name
        meta = table.schema.metadata
        assert meta[b"taxonomy_version"].decode() == provenance["taxonomy_version"]
        assert meta[b"model_sha256"].decode() == provenance["model_sha256"]
        assert json.loads(meta[b"tradelens"])["panel_until"] == UNTIL
        csv_frame = pd.read_csv(exported / f"{name}.csv")
        assert list(csv_frame.columns) == list(frame.columns), name
        assert len(csv_frame) == len(frame), name
    sidecar = json.loads((exported / "metadata.json").read_text())
    assert sidecar["taxonomy_version"] == provenance["taxonomy_version"]
    assert sidecar["model_sha256"] == provenance["model_sha256"]
    assert sidecar["tables"]["panel"]["rows"] == expected_panel_rows()


def test_tables_say_what_the_fixture_means(exported):
    agreements = pd.read_parquet(exported / "agreements.parquet").set_index("agreement_id")
    parties = pd.read_parquet(exported / "parties.parquet")
    findings = pd.read_parquet(exported / "findings.parquet")
    panel = pd.read_parquet(exported / "panel.parquet")
    for agreement in AGREEMENTS:
        row = agreements.loc[agreement.id]
        assert row["year_start"] == agreement.start_year
        assert sorted(parties[parties.agreement_id == agreement.id].party_code) == sorted(
            agreement.codes)
        for category in ("data_free_flow", "server_location", "source_code_secrecy"):
            assert row[f"{category}_status"] == agreement.rules.get(category, "none")
        mine = findings[findings.agreement_id == agreement.id]
        assert set(zip(mine.category, mine.strength, strict=True)) == set(
            agreement.rules.items())
    # Chile and Peru: bound on data flows from the first agreement's entry into force
    chile_peru = panel[(panel.country == "CHL") & (panel.partner == "PER")
                       & (panel.category == "data_free_flow")].set_index("year")
    start = min(a.start_year for a in AGREEMENTS if {"CHL", "PER"} <= set(a.codes))
    assert chile_peru.index.min() == start
    assert chile_peru.loc[start, "status"] == "hard"
    assert chile_peru.loc[start, "agreement_id"] == "andes_pacific"
    assert chile_peru.loc[UNTIL, "agreements_in_force"] == 2
    # an EU member and Chile share an agreement but no commitment
    austria = panel[(panel.country == "AUT") & (panel.partner == "CHL")]
    assert set(austria.status) == {"none"} and austria.agreement_id.isna().all()
    # no pair among EU members: the EU signed as one side
    assert panel[(panel.country == "AUT") & (panel.partner == "BEL")].empty


def test_csv_cells_are_neutralised_against_formulas(exported):
    titles = pd.read_csv(exported / "agreements.csv")["title"]
    assert "'=Atlantis - Chile Trade Pact (fixture)" in set(titles)
    frame = pd.DataFrame({"text": ["=1+1", "+x", "-y", "@z", "\tq", "\rr", "ok", None],
                          "n": [-1, 2, 3, 4, 5, 6, 7, 8]})
    clean = neutralise(frame)
    assert list(clean["text"][:7]) == ["'=1+1", "'+x", "'-y", "'@z", "'\tq", "'\rr", "ok"]
    assert pd.isna(clean["text"][7]) and list(clean["n"]) == list(frame["n"])


def test_python_api_returns_the_same_tables(exported, ledger_run):
    _, _, store = ledger_run
    frames = tables(store, until=UNTIL)
    assert set(frames) == set(TABLES)
    for name, frame in frames.items():
        assert isinstance(frame, pd.DataFrame)
        assert frame.shape == pd.read_parquet(exported / f"{name}.parquet").shape, name
        assert frame.attrs["tradelens"]["panel_until"] == UNTIL


def test_export_exit_codes(ledger_run, tmp_path):
    _, _, store = ledger_run
    missing = run_cli("export", "--store", str(tmp_path / "none"), "--to", str(tmp_path / "o"))
    assert missing.exit_code == 2 and "no TradeLens workspace" in missing.stderr
    bad = run_cli("export", "--store", str(store), "--to", str(tmp_path / "o"),
                  "--format", "xlsx")
    assert bad.exit_code == 2 and "xlsx" in bad.stderr
    Store(tmp_path / "empty").close()
    empty = run_cli("export", "--store", str(tmp_path / "empty"), "--to", str(tmp_path / "o"))
    assert empty.exit_code == 1 and "no agreements" in empty.stderr
    only_csv = run_cli("export", "--store", str(store), "--to", str(tmp_path / "csv"),
                       "--format", "csv")
    assert only_csv.exit_code == 0
    assert not list((tmp_path / "csv").glob("*.parquet"))
    assert (tmp_path / "csv" / "metadata.json").is_file()
